#!/usr/bin/env bash
# The split-K reduction sweep: the `cluster` (pull) and `cluster_push`
# reductions, each with one and two k-groups, side by side in one run.
#   scripts/bench/sweep-reduction.sh compile   # here: out/sweep-{dec,mid,odd}
#   scripts/bench/sweep-reduction.sh run       # GPU machine: $OUT/*.csv, *.log
#   scripts/bench/sweep-reduction.sh compile-short  # the confirmation run:
#     one k-group for both reductions, two only with cluster_push and
#     block_k 128 (dec-kg2); no odd shape; run then skips the checks that
#     have no bundles (checked in the full run: the same PTX on any sm_90).
#   scripts/bench/sweep-reduction.sh compile-half  # cluster_push with rings
#     small enough for two CTAs per SM ("half") beside the full ones, for
#     the wide decode shapes whose split grids do not fill the SMs.
# dec: the 8 dsv4 (N, K) at M in {1, 4, 16, 64}, 64-row tiles, block_n
# 32/64/128, block_k 64/128, split 4/8; mid: M in {256, 1024}, block_n
# 64/128, split 2/4; odd: N = 200, K = 4104 (65 k-tiles of 64: uneven rank
# shares, a column tail), only checked, at M in {1, 7, 64}.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
dsv4="256x4096 512x4096 1024x4096 2048x4096 384x7168 512x7168 1024x7168 2048x7168"
case ${1:-} in
  compile)
    export SWEEP_BM=64 SWEEP_REDUCTION="cluster cluster_push" SWEEP_KGROUPS="1 2"
    SWEEP_DIR=out/sweep-dec SWEEP_BN="32 64 128" SWEEP_BK="64 128" SWEEP_SPLIT="4 8" \
      scripts/bench/sweep-compile.sh "$dsv4" "1,4,16,64" 1-64
    SWEEP_DIR=out/sweep-mid SWEEP_BN="64 128" SWEEP_BK=64 SWEEP_SPLIT="2 4" \
      scripts/bench/sweep-compile.sh "$dsv4" "256,1024" 129-1024
    SWEEP_DIR=out/sweep-odd SWEEP_BN="32 128" SWEEP_BK="64 128" SWEEP_SPLIT="8" \
      scripts/bench/sweep-compile.sh "200x4104" "1,7,64" 1-64
    ;;
  compile-short)
    export SWEEP_BM=64
    rm -rf out/sweep-odd
    SWEEP_DIR=out/sweep-dec SWEEP_BN="32 64 128" SWEEP_BK="64 128" SWEEP_SPLIT="4 8" \
      SWEEP_REDUCTION="cluster cluster_push" scripts/bench/sweep-compile.sh "$dsv4" "1,4,16,64" 1-64
    SWEEP_DIR=out/sweep-dec-kg2 SWEEP_BN="32 64" SWEEP_BK=128 SWEEP_SPLIT="4 8" \
      SWEEP_REDUCTION=cluster_push SWEEP_KGROUPS=2 scripts/bench/sweep-compile.sh "$dsv4" "1,4,16,64" 1-64
    SWEEP_DIR=out/sweep-mid SWEEP_BN="64 128" SWEEP_BK=64 SWEEP_SPLIT="2 4" \
      SWEEP_REDUCTION="cluster cluster_push" scripts/bench/sweep-compile.sh "$dsv4" "256,1024" 129-1024
    ;;
  compile-half)
    export SWEEP_BM=64 SWEEP_REDUCTION=cluster_push SWEEP_STAGES="max half"
    rm -rf out/sweep-odd out/sweep-dec-kg2
    SWEEP_DIR=out/sweep-dec SWEEP_BN="64 128" SWEEP_BK="64 128" SWEEP_SPLIT="4 8" \
      scripts/bench/sweep-compile.sh "1024x4096 2048x4096 1024x7168 2048x7168" "1,4,16,64" 1-64
    SWEEP_DIR=out/sweep-mid SWEEP_BN="64 128" SWEEP_BK=64 SWEEP_SPLIT="2 4" \
      scripts/bench/sweep-compile.sh "2048x4096 2048x7168" "256" 129-256
    ;;
  run)
    OUT=${OUT:-out/sweep-results}
    mkdir -p "$OUT"
    # Correctness first, at tails: every push and k-group config of two
    # (N, K) and of the odd shape (every element against fp64).
    status=0
    if [ -d out/sweep-odd ]; then
      SWEEP_DIR=out/sweep-odd OUT=$OUT/check-odd scripts/bench/sweep-check.sh '.' "1,7,64" \
        > "$OUT/check-odd.log" || status=1
      SWEEP_DIR=out/sweep-dec OUT=$OUT/check-dec scripts/bench/sweep-check.sh 'push|kg2' "1,3,17,64" \
        256x4096 2048x7168 > "$OUT/check-dec.log" || status=1
      SWEEP_DIR=out/sweep-mid OUT=$OUT/check-mid scripts/bench/sweep-check.sh 'push|kg2' "129,300,1000" \
        384x7168 1024x4096 > "$OUT/check-mid.log" || status=1
    fi
    for s in dec dec-kg2 mid; do
      [ -d out/sweep-$s ] || continue
      SWEEP_DIR=out/sweep-$s OUT=$OUT/$s scripts/bench/sweep-run.sh > "$OUT/best-$s.txt" 2>&1 || status=1
      mv "$OUT/$s/sweep.csv" "$OUT/sweep-$s.csv"
    done
    exit $status
    ;;
  *)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
