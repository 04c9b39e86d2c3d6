#!/usr/bin/env bash
# The split-K sweep for the prefill shapes that run below cuBLAS: few
# output tiles (N = 384; 2048x7168 at M = 1024) on 132 SMs. Wider tiles
# (block_n 96/128/192, block_m 64/128) cut the L2 traffic per FLOP, and
# split counts that are not powers of two (3, 6) fill the SMs with them.
#   scripts/bench/sweep-prefill.sh compile   # here: out/sweep-prefill{,-odd}
#   scripts/bench/sweep-prefill.sh run       # GPU machine: $OUT/*.csv, *.log
# Timed: 384x7168 at M = 1024, 4096 and 2048x7168 at M = 1024, against the
# shipped bundle and cuBLASLt at the same M (scripts/bench/bench-base.sh).
# odd: N = 200, K = 4104 (a column tail; 65 k-steps that no split divides),
# only checked, packed and padded strides, at M = 1, 65, 129, 1000.
# PREFILL_NK, PREFILL_BN and PREFILL_SPLIT replace the swept lists.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
nks=${PREFILL_NK:-"384x7168@1024,4096 2048x7168@1024"}
odd_ms=1,65,129,1000
grid() {
  SWEEP_BM="64 128" SWEEP_BN="${PREFILL_BN:-96 128 192}" SWEEP_BK=64 \
    SWEEP_SPLIT="${PREFILL_SPLIT:-1 2 3 4 6 8}" SWEEP_REDUCTION=cluster \
    scripts/bench/sweep-compile.sh "$@"
}
case ${1:-} in
  compile)
    SWEEP_DIR=out/sweep-prefill grid "$nks" "1024" 513-
    SWEEP_DIR=out/sweep-prefill-odd PREFILL_BN="96 192" PREFILL_SPLIT="3 6" \
      grid 200x4104 "$odd_ms" 1-
    [ -d out/bundles/dsv4 ] || scripts/compile-bundles.sh
    ;;
  run)
    OUT=${OUT:-out/prefill-results}
    mkdir -p "$OUT"
    status=0
    # Correctness first: the odd-shape configs at tails, packed and padded.
    SWEEP_DIR=out/sweep-prefill-odd OUT=$OUT/check-odd scripts/bench/sweep-check.sh '.' \
      "$odd_ms" > "$OUT/check-odd.log" || status=1
    for b in out/sweep-prefill-odd/200x4104/*/; do
      build-rt/tools/gemm-check/gemm-check --bundle "$b" --policy generated --nk 200x4104 \
        --m-list "$odd_ms" --padded-only > "$OUT/check-odd/padded-$(basename "$b").txt" 2>&1 ||
        { echo "padded $(basename "$b"): FAIL" >> "$OUT/check-odd.log"; status=1; }
    done
    # The shipped kernels and cuBLASLt at the same M, before the sweep.
    scripts/bench/bench-base.sh "$OUT" 1024,4096 384x7168 2048x7168 || status=1
    SWEEP_DIR=out/sweep-prefill OUT=$OUT/prefill scripts/bench/sweep-run.sh > "$OUT/best-prefill.txt" 2>&1 || status=1
    mv "$OUT/prefill/sweep.csv" "$OUT/sweep-prefill.csv"
    exit $status
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
