#!/usr/bin/env bash
# gemm-compile --shift-tail-tiles on a GPU machine: correctness of bundles
# built with it, then their time beside the plain bundles at M that are no
# multiple of the tiles. A tile past the end of M or N reads rows TMA fills
# with zeros; the 2026-12-07 sweeps timed such tiles 10-60% slower than
# full ones (128-row tiles at M = 192 against M = 256, same grid). With
# the option the last tile starts at M - block_m (N - block_n) instead.
#   here:  BUNDLES_DIR=out/shift-bundles GEMM_COMPILE_FLAGS=--shift-tail-tiles \
#            scripts/compile-bundles.sh    (and scripts/compile-bundles.sh)
#   GPU:   scripts/bench/shift-probe.sh    -> $OUT (default out/shift-probe)
# Checks (every element against fp64, output poisoned, nothing past column
# N touched): the shifted dsv4 bundle at tails packed and padded, the odd
# and square bundles padded, and the batch-invariance GPU test on the
# shifted dsv4-invariant bundle (rows bitwise equal whatever M: a row may
# now sit at another place in its tile), with the runtime's TMA-store
# test (a hand-written kernel storing out through the runtime's fp32
# descriptor: Gpu.FakeGeneratedTmaStoreOut). Timing: gemm-bench, generated
# backend, plain and shifted bundles in turn twice (A B A B), cuBLASLt
# once, every (N, K) of dsv4 at SHIFT_M (default 100,192,300,400,700,1100,
# 3000); $OUT/summary.txt has the better of each pair and the ratio.
# SHIFT_BUNDLES (default out/shift-bundles) probes bundles built with
# another option the same way, e.g. gemm-compile --vector-push:
#   here:  BUNDLES_DIR=out/vpush-bundles GEMM_COMPILE_FLAGS=--vector-push \
#            scripts/compile-bundles.sh
#   GPU:   SHIFT_BUNDLES=out/vpush-bundles scripts/bench/shift-probe.sh
# SHIFT_LDC_PAD sets the padded checks' ldc to N + it (gemm-check
# --ldc-pad; default N + 6): 4 for bundles built with --tma-store, whose
# kernels need ldc % 4 == 0. SHIFT_SQUARE=1 also times the square bundle
# (shapes/square.json as given) the same way.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
OUT=${OUT:-out/shift-probe}
mkdir -p "$OUT"
shift_dir=${SHIFT_BUNDLES:-out/shift-bundles}
check=build-rt/tools/gemm-check/gemm-check
bench=build-rt/tools/gemm-bench/gemm-bench
nks=$(python3 -c 'import json;print(",".join(f"{n}x{k}" for n,k in json.load(open("shapes/dsv4.json"))["nk"]))')
status=0
pad=()
[ -n "${SHIFT_LDC_PAD:-}" ] && pad=(--ldc-pad "$SHIFT_LDC_PAD")
{
  echo "## shifted dsv4, packed and padded"
  $check --bundle "$shift_dir/dsv4" --policy generated --nk "$nks" \
    --m-list 1,7,50,65,100,129,192,200,300,383,511,1000,1100,3000,4097,8200 --padded "${pad[@]}" || status=1
  echo "## shifted odd shapes, padded"
  $check --bundle "$shift_dir/odd" --policy generated \
    --nk 200x4104,200x7168,384x4104,384x7168 --m-list 1,7,13,25,50,129,1000,3000,4097,8200 --padded "${pad[@]}" || status=1
  echo "## shifted square, padded"
  $check --bundle "$shift_dir/square" --policy generated --nk 4096x4096,8192x8192,24576x7168 \
    --m-list 1025,3001 --padded "${pad[@]}" || status=1
  echo "## batch invariance, shifted dsv4-invariant"
  GEMMRT_TEST_BUNDLE_INVARIANT=$top/$shift_dir/dsv4-invariant \
    build-rt/test/gemmrt-gpu-tests --gtest_filter='*BatchInvariant*:*TmaStore*' || status=1
} > "$OUT/check.txt" 2>&1
grep -E "^##|passed|failed|FAIL|OK \]|PASSED" "$OUT/check.txt" | tail -20

ms=${SHIFT_M:-100,192,300,400,700,1100,3000}
python3 -c 'import json,sys; print(json.dumps({"nk": [[int(v) for v in s.split("x")] for s in sys.argv[2].split(",")], "m": [int(m) for m in sys.argv[1].split(",")]}))' \
  "$ms" "$nks" > "$OUT/shapes.json"
sets=(dsv4)
[ "${SHIFT_SQUARE:-0}" = 1 ] && sets+=(square)
for set in "${sets[@]}"; do
  shapes=$OUT/shapes.json
  [ "$set" = square ] && shapes=shapes/square.json
  for round in 1 2; do
    for b in plain shift; do
      dir=out/bundles/$set
      [ $b = shift ] && dir=$shift_dir/$set
      backends=generated
      [ $round = 1 ] && [ $b = plain ] && backends=generated,cublaslt
      $bench "$shapes" --bundle "$dir" --backends $backends --replays 15 \
        --json "$OUT/$set-$b-$round.json" > "$OUT/$set-$b-$round.txt" 2>&1 || status=1
    done
  done
done
python3 - "$OUT" "${sets[@]}" > "$OUT/summary.txt" <<'PY' || status=1
import json, math, sys
out, sets = sys.argv[1], sys.argv[2:]
def load(name):
    rows = {}
    for s in sets:
        for r in json.load(open(f"{out}/{s}-{name}.json"))["rows"]:
            rows[(r["M"], r["N"], r["K"])] = r
    return rows
runs = {b: [load(f"{b}-{i}") for i in (1, 2)] for b in ("plain", "shift")}
print("M N K plain_us shift_us plain/shift cublaslt_us")
ratios = []
for key in sorted(runs["plain"][0]):
    t = {b: min(run[key]["generated"]["us"] for run in runs[b]) for b in runs}
    lt = runs["plain"][0][key].get("cublaslt", {}).get("us", float("nan"))
    ratios.append(t["plain"] / t["shift"])
    print(*key, f'{t["plain"]:.2f} {t["shift"]:.2f} {ratios[-1]:.3f} {lt:.2f}')
print(f"geomean plain/shift {math.exp(sum(map(math.log, ratios)) / len(ratios)):.3f}"
      f" (min {min(ratios):.3f}, max {max(ratios):.3f}) over {len(ratios)} shapes")
PY
tail -1 "$OUT/summary.txt"
exit $status
