#!/usr/bin/env bash
# The swap_ab sweep: the weight's rows on wgmma's 64-row side and the
# tokens as its n (block_m 8..64), against the kernels the dsv4 bundle
# ships today (tuned warp_specialized, cluster_push split-K), in one run.
#   scripts/bench/sweep-swap.sh compile   # here: out/sweep-swap{,-odd}
#   scripts/bench/sweep-swap.sh run       # GPU machine: $OUT/*.csv, *.log
# swap: the 8 dsv4 (N, K) at M in {1, 4, 8, 16, 32, 64}, block_m 8/16/32/64,
# block_n 64/128, block_k 128, split 2/4/8 with cluster_push; odd: N = 200,
# K = 4104 (a column tail and uneven rank shares), block_m 8/24/64, both
# reductions and split 1, only checked, at M in {1, 3, 7, 8, 9, 17, 64}.
# The baseline is out/bundles/dsv4 (scripts/compile-bundles.sh), timed by
# the same gemm-bench at the same M. SWAP_NK, SWAP_BM and SWAP_SPLIT (and
# SWAP_ODD_SPLIT for the checked odd shape, SWAP_MS for the M) replace the
# swept lists, e.g.
# SWAP_SPLIT="3 5 6 7" for split counts that are not powers of two.
#   scripts/bench/sweep-swap.sh compile-h100  # here: out/sweep-swap-h100-*
#   scripts/bench/sweep-swap.sh run-h100      # GPU machine
#   scripts/bench/sweep-swap.sh compile-mid   # here: out/sweep-swap-mid-*
#   scripts/bench/sweep-swap.sh run-mid       # GPU machine
#   scripts/bench/sweep-swap.sh compile-mid2  # here: out/sweep-swap-mid2-*
#   scripts/bench/sweep-swap.sh run-mid2      # GPU machine
# h100: the M = 2-32 picks of the tuned table came from an H200 sweep; this
# one times the four (N, K) with N >= 1024 (the weakest against cuBLAS) on
# the card it runs on, split 2-8 including counts that are not powers of
# two, each M with the tile rows that fit it (block_m 8 at M = 4 and 8, 16
# at 16, 32 at 32; one directory per block_m, as a directory has one M list).
# mid: swap_ab at M = 128, 256, 512 (block_m 128, 256, 256), where the
# shipped kernels put the tokens on wgmma's 64-row side and every N tile
# re-reads all of x from L2 (M = 256 on 2048x7168: 21.9 us against 11.4
# for reading the weight alone); with the weight's rows there instead, an
# x tile of 256 tokens serves 128 weight rows per k-step. All 8 (N, K),
# block_n 64/128, block_k 64, split 1-8.
# mid2: at M = 256 and 512 the mid sweep's swap_ab tiles lost to the
# shipped ones where split 4 and 8 make 128 CTAs in clusters of 4 or 8,
# of which an H100 holds 30 and 15 at once (two waves), and block_n 128
# with cluster_push had room for 2 stages. So: block_n 64 with split 3, 5,
# 6, 7 (cluster_push), and block_n 128 with the cluster reduction (its
# partials in the ring, 4 stages) at split 2-7.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
dsv4="256x4096 512x4096 1024x4096 2048x4096 384x7168 512x7168 1024x7168 2048x7168"
nks=${SWAP_NK:-$dsv4}
ms=${SWAP_MS:-1,4,8,16,32,64}
# compile_odd, check_base_run: the odd shape's configs built and checked,
# the shipped kernels timed, then the sweep dirs (scripts/bench/sweep-lib.sh).
. scripts/bench/sweep-lib.sh
# Tail M of each sweep's odd configs (no block_m of the sweep divides them).
tails_decode=1,3,7,8,9,17,64
tails_h100=1,3,7,9,17,31
tails_mid=65,100,129,255,300,511
tails_mid2=129,255,300,511
case ${1:-} in
  compile)
    export SWEEP_SCHEDULE=swap_ab
    SWEEP_DIR=out/sweep-swap SWEEP_BM="${SWAP_BM:-8 16 32 64}" SWEEP_BN="64 128" SWEEP_BK=128 \
      SWEEP_SPLIT="${SWAP_SPLIT:-2 4 8}" SWEEP_REDUCTION=cluster_push \
      scripts/bench/sweep-compile.sh "$nks" "$ms" 1-64
    SWEEP_BM="8 24 64" SWEEP_BN="64 128" SWEEP_BK="64 128" \
      SWEEP_SPLIT="${SWAP_ODD_SPLIT:-1 2 8}" SWEEP_REDUCTION="cluster cluster_push" \
      compile_odd sweep-swap "$tails_decode" 1-64
    [ -d out/bundles/dsv4 ] || scripts/compile-bundles.sh
    ;;
  compile-h100)
    export SWEEP_SCHEDULE=swap_ab SWEEP_BN="64 128" SWEEP_BK=128 \
      SWEEP_SPLIT="${SWAP_SPLIT:-2 3 4 5 6 7 8}" SWEEP_REDUCTION=cluster_push
    big=${SWAP_NK:-"1024x4096 2048x4096 1024x7168 2048x7168"}
    SWEEP_DIR=out/sweep-swap-h100-8 SWEEP_BM=8 scripts/bench/sweep-compile.sh "$big" 4,8 2-8
    SWEEP_DIR=out/sweep-swap-h100-16 SWEEP_BM=16 scripts/bench/sweep-compile.sh "$big" 16 9-16
    SWEEP_DIR=out/sweep-swap-h100-32 SWEEP_BM=32 scripts/bench/sweep-compile.sh "$big" 32 17-32
    # Tails: M that no block_m divides, and uneven rank shares (N = 200,
    # K = 4104), for the split counts new to this sweep.
    SWEEP_BM="8 32" SWEEP_SPLIT="3 5 6 7" compile_odd sweep-swap-h100 "$tails_h100" 1-32
    [ -d out/bundles/dsv4 ] || scripts/compile-bundles.sh
    ;;
  compile-mid)
    export SWEEP_SCHEDULE=swap_ab SWEEP_BN="64 128" SWEEP_BK=64 \
      SWEEP_SPLIT="${SWAP_SPLIT:-1 2 4 8}" SWEEP_REDUCTION="cluster_push"
    # M:block_m:bucket, one directory per M.
    for spec in 128:128:65-128 256:256:129-256 512:256:257-512; do
      IFS=: read -r m bm bucket <<< "$spec"
      SWEEP_DIR=out/sweep-swap-mid-$m SWEEP_BM=$bm scripts/bench/sweep-compile.sh "$nks" "$m" "$bucket"
    done
    # Tails: token counts no block_m divides, on a column tail and uneven
    # rank shares.
    SWEEP_BM="128 256" SWEEP_SPLIT="1 3" SWEEP_REDUCTION="cluster cluster_push" \
      compile_odd sweep-swap-mid "$tails_mid" 65-512
    [ -d out/bundles/dsv4 ] || scripts/compile-bundles.sh
    ;;
  compile-mid2)
    export SWEEP_SCHEDULE=swap_ab SWEEP_BM=256 SWEEP_BK=64
    for spec in 256:129-256 512:257-512; do
      IFS=: read -r m bucket <<< "$spec"
      SWEEP_DIR=out/sweep-swap-mid2-$m SWEEP_BN=64 SWEEP_SPLIT="3 5 6 7" \
        SWEEP_REDUCTION=cluster_push scripts/bench/sweep-compile.sh "$nks" "$m" "$bucket"
      SWEEP_APPEND=1 SWEEP_DIR=out/sweep-swap-mid2-$m SWEEP_BN=128 \
        SWEEP_SPLIT="2 3 4 5 6 7" SWEEP_REDUCTION=cluster \
        scripts/bench/sweep-compile.sh "$nks" "$m" "$bucket"
    done
    # Tails for the split counts and reduction new here.
    SWEEP_BN="64 128" SWEEP_SPLIT="5 7" SWEEP_REDUCTION="cluster cluster_push" \
      compile_odd sweep-swap-mid2 "$tails_mid2" 129-512
    [ -d out/bundles/dsv4 ] || scripts/compile-bundles.sh
    ;;
  run-mid2)
    OUT=${OUT:-out/sweep-swap-mid2-results}
    check_base_run sweep-swap-mid2 "$tails_mid2" 256,512 "$nks" 256 512
    exit
    ;;
  run-mid)
    OUT=${OUT:-out/sweep-swap-mid-results}
    check_base_run sweep-swap-mid "$tails_mid" 128,256,512 "$nks" 128 256 512
    exit
    ;;
  run-h100)
    OUT=${OUT:-out/sweep-swap-h100-results}
    check_base_run sweep-swap-h100 "$tails_h100" 4,8,16,32 \
      "${SWAP_NK:-"1024x4096 2048x4096 1024x7168 2048x7168"}" 8 16 32
    exit
    ;;
  run)
    OUT=${OUT:-out/sweep-results}
    mkdir -p "$OUT"
    status=0
    # Correctness first: every odd-shape config at tails (every element
    # against fp64, output poisoned).
    SWEEP_DIR=out/sweep-swap-odd OUT=$OUT/check-odd scripts/bench/sweep-check.sh '.' \
      "1,3,7,8,9,17,64" > "$OUT/check-odd.log" || status=1
    # The shipped kernels at the same M, same gemm-bench, before the sweep.
    scripts/bench/bench-base.sh "$OUT" "$ms" $nks || status=1
    SWEEP_DIR=out/sweep-swap OUT=$OUT/swap scripts/bench/sweep-run.sh > "$OUT/best-swap.txt" 2>&1 || status=1
    mv "$OUT/swap/sweep.csv" "$OUT/sweep-swap.csv"
    exit $status
    ;;
  *)
    sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
