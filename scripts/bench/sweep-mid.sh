#!/usr/bin/env bash
# The M = 257-512 sweep: the bucket whose configs the model picks (no sweep
# has timed warp_specialized tiles there), where cuBLASLt ran 0.65-0.80x
# our time on 512-1024 x K at M = 512 (2026-12-07). Every config is timed
# at both M = 300 and M = 512, so its score covers the bucket: a tile of
# 256 tokens pays for 512 at M = 300, where one of 64 or 128 does not.
#   scripts/bench/sweep-mid.sh compile   # here: out/sweep-mid-{512,odd}
#   scripts/bench/sweep-mid.sh run       # GPU machine: $OUT/*.csv, *.log
# Grid, all 8 dsv4 (N, K): warp_specialized block_m 64/128, block_n
# 64/128/192/256, block_k 64, split 1-4 (cluster_push where its buffer
# fits beside 4 stages, else the cluster reduction: both are compiled and
# sweep-compile.sh drops what does not fit); beside them the swap_ab tiles
# of the swap-mid sweeps (256 tokens, block_n 64 pushed at split 2, 4, 5;
# block_n 128 at split 5, 6), timed at M = 300 this time. odd: N = 200,
# K = 4104 at M = 257, 300, 383, 511 for the split counts above.
# MID_NK, MID_BN and MID_SPLIT replace the swept lists.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. scripts/bench/sweep-lib.sh
nks=${MID_NK:-"256x4096 512x4096 1024x4096 2048x4096 384x7168 512x7168 1024x7168 2048x7168"}
ms=300,512
tails=257,300,383,511
case ${1:-} in
  compile)
    d=out/sweep-mid-512
    SWEEP_DIR=$d SWEEP_BM="64 128" SWEEP_BN="${MID_BN:-64 128 192 256}" SWEEP_BK=64 \
      SWEEP_SPLIT="${MID_SPLIT:-1 2 3 4}" SWEEP_REDUCTION="cluster_push cluster" \
      scripts/bench/sweep-compile.sh "$nks" "$ms" 257-512
    SWEEP_DIR=$d SWEEP_APPEND=1 SWEEP_SCHEDULE=swap_ab SWEEP_BM=256 SWEEP_BN=64 SWEEP_BK=64 \
      SWEEP_SPLIT="2 4 5" SWEEP_REDUCTION=cluster_push \
      scripts/bench/sweep-compile.sh "$nks" "$ms" 257-512
    SWEEP_DIR=$d SWEEP_APPEND=1 SWEEP_SCHEDULE=swap_ab SWEEP_BM=256 SWEEP_BN=128 SWEEP_BK=64 \
      SWEEP_SPLIT="5 6" SWEEP_REDUCTION=cluster \
      scripts/bench/sweep-compile.sh "$nks" "$ms" 257-512
    SWEEP_BM="64 128" SWEEP_BN="64 192" SWEEP_BK=64 SWEEP_SPLIT="1 3" \
      SWEEP_REDUCTION="cluster_push cluster" compile_odd sweep-mid "$tails" 257-512
    SWEEP_APPEND=1 SWEEP_SCHEDULE=swap_ab SWEEP_BM=256 SWEEP_BN=128 SWEEP_BK=64 \
      SWEEP_SPLIT=6 SWEEP_REDUCTION=cluster compile_odd sweep-mid "$tails" 257-512
    [ -d out/bundles/dsv4 ] || scripts/compile-bundles.sh
    ;;
  run)
    OUT=${OUT:-out/sweep-mid-results}
    check_base_run sweep-mid "$tails" "$ms" "$nks" 512
    ;;
  *)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
