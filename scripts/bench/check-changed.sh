#!/usr/bin/env bash
# After a tuned-table change: the changed variants of out/bundles/dsv4 on
# a GPU, the gpu-check way but only for the (N, K) and M given (every
# element against fp64, output poisoned, packed and padded strides, then
# the driver's JIT of the PTX and the disk cache), and compute-sanitizer
# on the same (scripts/gpu-sanitize.sh with SANITIZE_NK / SANITIZE_M).
#   scripts/bench/check-changed.sh 384x7168,2048x7168 129,200,300   -> $OUT
# A whole gpu-check takes minutes of a GPU machine; this, well under one.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
nks=${1:?N x K list}
ms=${2:?M list}
OUT=${OUT:-out/check-changed}
mkdir -p "$OUT"
check=build-rt/tools/gemm-check/gemm-check
status=0
{
  echo "# check-changed on $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader), $(date -u +%F): $nks at M = $ms"
  echo "## dsv4 bundle, packed and padded"
  $check --bundle out/bundles/dsv4 --policy generated --nk "$nks" --m-list "$ms" --padded \
    --csv "$OUT/check.csv" || status=1
  jit_dir=$(mktemp -d)
  scripts/bench/ptx-only-bundle.py out/bundles/dsv4 "$jit_dir/bundle"
  for pass in jit disk-cache; do
    echo "## without cubins: $pass"
    GEMMRT_CACHE_DIR=$jit_dir/cache $check --bundle "$jit_dir/bundle" --policy generated \
      --nk "$nks" --m-list "$ms" --csv "$OUT/check-$pass.csv" > "$OUT/check-$pass.txt" 2>&1 ||
      status=1
    tail -1 "$OUT/check-$pass.txt"
  done
  rm -rf "$jit_dir"
} > "$OUT/check.txt" 2>&1
tail -4 "$OUT/check.txt"
SANITIZE_NK=$nks SANITIZE_M=$ms SANITIZE_BUNDLES=dsv4 OUT=$OUT scripts/gpu-sanitize.sh \
  > "$OUT/sanitize.log" 2>&1 || status=1
tail -2 "$OUT/sanitize.log"
exit $status
