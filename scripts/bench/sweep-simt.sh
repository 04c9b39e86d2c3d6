#!/usr/bin/env bash
# The simt sweep: CUDA-core kernels for a few tokens (schedule simt) against
# the kernels the dsv4 bundle ships, in one run.
#   scripts/bench/sweep-simt.sh compile   # here: out/sweep-simt/b*, out/sweep-simt-odd
#   scripts/bench/sweep-simt.sh run       # GPU machine: $OUT/*.csv, *.log
# Grid (per N x K): block_m (the kernel's most tokens per CTA: 1, 2, 4 in
# their own M buckets 1, 2, 3-4, timed at M = 1, 2, 4; 8 in the default
# bucket 1-8, timed at M = 1, 2, 4, 8) x
# warp_rows (rows per warp) with warp_rows * block_m <= 8 (accumulator
# registers), k_groups 1/2/4, loads in flight per lane (warp_rows *
# block_k / 256) 4/8, 8 warps per CTA. Tags:
# m{bm}n{bn}k{bk}s1x1[kg{g}][r{rows}]simt. odd: N = 200, K = 4104 (a row
# tail and K chunks that do not divide evenly), one 1-16 bucket, only
# checked, with packed and padded strides, at M = 1..16 tails.
# SIMT_NK, SIMT_BM, SIMT_ROWS, SIMT_KG, SIMT_INFLIGHT and SIMT_STAGES (1:
# each step's loads, then its products; 2: the next step's weight loads
# before this step's products; tag s1/s2) replace the swept lists;
# SIMT_WARPS the warps per CTA. SIMT_ODD_BM and SIMT_ODD_INFLIGHT the odd
# grid's.
# Two steps in flight against one, at M = 1 (2026-12-06):
#   SIMT_BM=1 SIMT_KG="2 4" SIMT_STAGES="1 2" SIMT_ODD_BM="1 8" \
#   SIMT_ROWS="1 4" scripts/bench/sweep-simt.sh compile
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
nks=${SIMT_NK:-"256x4096 1024x4096 384x7168 2048x7168"}
odd_ms=1,2,3,5,7,8,9,13,16
# dir nks bucket ms bm-list
compile_grid() {
  local dir=$1 list=$2 bucket=$3 ms=$4 bms=$5 nk n k bm rows kg fl warps bk bn tag cfg
  rm -rf "$dir" && mkdir -p "$dir"
  for nk in $list; do
    n=${nk%x*}; k=${nk#*x}
    mkdir -p "$dir/$nk"
    echo "{\"nk\": [[$n, $k]], \"m\": [$ms]}" > "$dir/$nk/shapes.json"
    for bm in $bms; do
    for rows in ${SIMT_ROWS:-1 2 4}; do
      [ $(( rows * bm )) -gt 8 ] && continue
      for kg in ${SIMT_KG:-1 2 4}; do
      for fl in ${SIMT_INFLIGHT:-4 8}; do
      for st in ${SIMT_STAGES:-1}; do
        [ $(( fl % rows )) -ne 0 ] && continue
        bk=$(( fl / rows * 256 ))
        warps=${SIMT_WARPS:-8}
        [ $(( warps % kg )) -ne 0 ] && continue
        bn=$(( warps / kg * rows ))
        tag=m${bm}n${bn}k${bk}s${st}x1
        [ "$kg" -gt 1 ] && tag=${tag}kg${kg}
        [ "$rows" -gt 1 ] && tag=${tag}r${rows}
        tag=${tag}simt
        cfg="#gemm.config<block_m = $bm, block_n = $bn, block_k = $bk, stages = $st, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = $kg, warp_rows = $rows>"
        build/bin/gemm-compile --nk "$nk" --m-buckets "$bucket" --config "$cfg" --quiet -o "$dir/$nk/$tag" ||
          echo "sweep-simt: $nk $tag did not compile (left out)" >&2
      done
      done
      done
    done
    done
  done
  find "$dir" -name manifest.json | wc -l
}
case ${1:-} in
  compile)
    rm -rf out/sweep-simt
    for bm in ${SIMT_BM:-1 2 4 8}; do
      # block_m 8 serves the default 1-8 bucket: timed at every M there.
      case $bm in 1|2) bucket=$bm-$bm ms=$bm ;; 4) bucket=3-4 ms=4 ;; *) bucket=1-$bm ms=1,2,4,$bm ;; esac
      compile_grid out/sweep-simt/b$bm "$nks" "$bucket" "$ms" "$bm"
    done
    SIMT_INFLIGHT=${SIMT_ODD_INFLIGHT:-"2 8"} compile_grid out/sweep-simt-odd 200x4104 1-16 "$odd_ms" \
      "${SIMT_ODD_BM:-1 4 8}"
    [ -d out/bundles/dsv4 ] || scripts/compile-bundles.sh
    ;;
  run)
    OUT=${OUT:-out/simt-results}
    mkdir -p "$OUT"
    status=0
    # Correctness first: every odd-shape config at tails, packed and padded
    # strides (every element against fp64, output poisoned).
    SWEEP_DIR=out/sweep-simt-odd OUT=$OUT/check-odd scripts/bench/sweep-check.sh '.' \
      "$odd_ms" > "$OUT/check-odd.log" || status=1
    for b in out/sweep-simt-odd/200x4104/*/; do
      build-rt/tools/gemm-check/gemm-check --bundle "$b" --policy generated --nk 200x4104 \
        --m-list "$odd_ms" --padded-only > "$OUT/check-odd/padded-$(basename "$b").txt" 2>&1 ||
        { echo "padded $(basename "$b"): FAIL" >> "$OUT/check-odd.log"; status=1; }
    done
    # The shipped kernels at the same M, same gemm-bench, before the sweep.
    scripts/bench/bench-base.sh "$OUT" 1,2,4,8 $nks || status=1
    echo "nk,config,M,us,relerr" > "$OUT/sweep-simt.csv"
    for d in out/sweep-simt/b*/; do
      SWEEP_DIR=$d OUT=$OUT/simt scripts/bench/sweep-run.sh >> "$OUT/best-simt.txt" 2>&1 || status=1
      tail -n +2 "$OUT/simt/sweep.csv" >> "$OUT/sweep-simt.csv"
    done
    exit $status
    ;;
  *)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
