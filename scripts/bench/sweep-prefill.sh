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
#   scripts/bench/sweep-prefill.sh compile-mc  # here: out/sweep-mc{,-odd}
#   scripts/bench/sweep-prefill.sh run-mc      # GPU machine
#   scripts/bench/sweep-prefill.sh compile-2   # round two (below)
#   scripts/bench/sweep-prefill.sh run-2       # GPU machine
#   scripts/bench/sweep-prefill.sh compile-3   # round three (below)
#   scripts/bench/sweep-prefill.sh run-3       # GPU machine
#   scripts/bench/sweep-prefill.sh compile-4   # round four (below)
#   scripts/bench/sweep-prefill.sh run-4       # GPU machine
#   scripts/bench/sweep-prefill.sh compile-5   # round five (below)
#   scripts/bench/sweep-prefill.sh run-5       # GPU machine
#   scripts/bench/sweep-prefill.sh compile-6   # round six (below)
#   scripts/bench/sweep-prefill.sh run-6       # GPU machine
#   scripts/bench/sweep-prefill.sh compile-7   # round seven (below)
#   scripts/bench/sweep-prefill.sh run-7       # GPU machine
#   scripts/bench/sweep-prefill.sh compile-8   # round eight (below; its t
#                                              # rows can enter the table)
#   scripts/bench/sweep-prefill.sh run-8       # GPU machine
#   scripts/bench/sweep-prefill.sh compile-9   # round nine (below)
#   scripts/bench/sweep-prefill.sh run-9       # GPU machine
# mc: split-K inside multicast clusters (cluster n x m x split, at most 8
# CTAs): the CTAs of one split rank that share a y (x) tile load a slice
# each and multicast it, which cuts the L2-to-SM traffic that the split's
# extra CTAs add. Checked on the odd shape (N = 200: a cluster of 2 along N
# has a tile wholly past N) at the same M, then timed like the above.
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
# Multicast groups with split-K: y shared along M (cluster_m 2, 4) for
# block_n 128/192; x shared along N (cluster_n 2) where block_n 192 halves
# N = 384.
mc_grid() {
  SWEEP_BM="64 128" SWEEP_BN="${MC_BN:-128 192}" SWEEP_BK=64 \
    SWEEP_SPLIT="${MC_SPLIT:-1 2 3 4}" SWEEP_REDUCTION=cluster \
    SWEEP_CM="${MC_CM:-2 4}" SWEEP_CN="${MC_CN:-1}" \
    scripts/bench/sweep-compile.sh "$@"
}
# Checks the odd-shape configs of sweep dir $1 at tails, packed and padded,
# into $OUT/$2.
check_odd() {
  local dir=$1 name=$2 status=0
  SWEEP_DIR=$dir OUT=$OUT/$name scripts/bench/sweep-check.sh '.' \
    "$odd_ms" > "$OUT/$name.log" || status=1
  for b in "$dir"/200x4104/*/; do
    build-rt/tools/gemm-check/gemm-check --bundle "$b" --policy generated --nk 200x4104 \
      --m-list "$odd_ms" --padded-only > "$OUT/$name/padded-$(basename "$b").txt" 2>&1 ||
      { echo "padded $(basename "$b"): FAIL" >> "$OUT/$name.log"; status=1; }
  done
  return $status
}
# Round N's run on the GPU machine: every config of out/sweep-prefillN
# checked at tail M first (the sweep times one M, which the tiles divide),
# then the shipped kernels and cuBLASLt (bench-base.sh; its M and N x K
# given), then REPS passes of the sweep (default per round) into
# $OUT/sweep-prefillN.csv; best-prefillN.txt is the last pass's top three.
run_round() {
  local n=$1 tails=$2 reps=$3 dir=out/sweep-prefill$1 status=0
  shift 3
  OUT=${OUT:-out/prefill$n-results}
  mkdir -p "$OUT"
  SWEEP_DIR=$dir OUT=$OUT/check-tails scripts/bench/sweep-check.sh '.' \
    "$tails" > "$OUT/check-tails.log" || status=1
  if [ $# -gt 0 ]; then scripts/bench/bench-base.sh "$OUT" "$@" || status=1; fi
  echo "nk,config,M,us,relerr" > "$OUT/sweep-prefill$n.csv"
  for _ in $(seq "${REPS:-$reps}"); do
    SWEEP_DIR=$dir OUT=$OUT/rep scripts/bench/sweep-run.sh \
      > "$OUT/best-prefill$n.txt" 2>&1 || status=1
    tail -n +2 "$OUT/rep/sweep.csv" >> "$OUT/sweep-prefill$n.csv"
  done
  rm -rf "$OUT/rep"
  return $status
}
case ${1:-} in
  compile-mc)
    SWEEP_DIR=out/sweep-mc mc_grid "$nks" "1024" 513-
    # block_n 192 with cluster_n 2: x shared by the two N tiles of 384.
    SWEEP_DIR=out/sweep-mc SWEEP_APPEND=1 MC_BN=192 MC_CM="1 2" MC_CN=2 \
      mc_grid "$nks" "1024" 513-
    SWEEP_DIR=out/sweep-mc-odd MC_BN=96 MC_SPLIT="2 3" MC_CM=2 MC_CN="1 2" \
      mc_grid 200x4104 "$odd_ms" 1-
    find out/sweep-mc -name manifest.json | wc -l
    ;;
  compile-2)
    # Round two, after the first two (2026-12-06): the shapes still below
    # 0.9x cuBLAS. 384x7168 at M = 1024: 128-row tiles with 4-8 splits,
    # pushed partials; 2048x7168 at M = 1024: 128x256 tiles (wgmma n = 256)
    # with split 2, multicast along M, and the persistent schedule.
    SWEEP_DIR=out/sweep-prefill2 SWEEP_BM=128 SWEEP_BN="96 128 192" SWEEP_BK=64 \
      SWEEP_SPLIT="4 5 6 8" SWEEP_REDUCTION="cluster cluster_push" \
      scripts/bench/sweep-compile.sh 384x7168 1024 513-
    SWEEP_DIR=out/sweep-prefill2 SWEEP_APPEND=1 SWEEP_BM=128 SWEEP_BN=256 SWEEP_BK=64 \
      SWEEP_SPLIT="1 2" SWEEP_REDUCTION="cluster cluster_push" SWEEP_CM="1 2" \
      scripts/bench/sweep-compile.sh 2048x7168 1024 513-
    SWEEP_DIR=out/sweep-prefill2 SWEEP_APPEND=1 SWEEP_BM=128 SWEEP_BN="128 256" SWEEP_BK=64 \
      SWEEP_SPLIT=1 SWEEP_CM="1 2" SWEEP_SCHEDULE=persistent SWEEP_RASTER="along_n grouped" \
      scripts/bench/sweep-compile.sh 2048x7168 1024 513-
    find out/sweep-prefill2 -name manifest.json | wc -l
    ;;
  compile-3)
    # Round three: two consumer warpgroups on alternate k-steps of a 64-row
    # tile (k_groups = 2) together with split-K across a cluster, never
    # timed on an H100 at M = 1024 (on an H200, 384x7168 64x128 split 2
    # pushed: 15.5 us against 16.2 without k-groups). Beside them the
    # persistent grouped 128x128 of round two for 2048x7168, and the
    # shipped kernels through bench-base.sh, in one run.
    SWEEP_DIR=out/sweep-prefill3 SWEEP_BM=64 SWEEP_BN="96 128 192" SWEEP_BK=64 \
      SWEEP_SPLIT="1 2 3 4" SWEEP_REDUCTION="cluster cluster_push" SWEEP_KGROUPS=2 \
      scripts/bench/sweep-compile.sh 384x7168 1024 513-
    SWEEP_DIR=out/sweep-prefill3 SWEEP_APPEND=1 SWEEP_BM=64 SWEEP_BN="128 256" SWEEP_BK=64 \
      SWEEP_SPLIT="1 2" SWEEP_REDUCTION="cluster cluster_push" SWEEP_KGROUPS=2 \
      scripts/bench/sweep-compile.sh 2048x7168 1024 513-
    SWEEP_DIR=out/sweep-prefill3 SWEEP_APPEND=1 SWEEP_BM=128 SWEEP_BN=128 SWEEP_BK=64 \
      SWEEP_STAGES=7 SWEEP_SPLIT=1 SWEEP_SCHEDULE=persistent SWEEP_RASTER=grouped \
      scripts/bench/sweep-compile.sh 2048x7168 1024 513-
    find out/sweep-prefill3 -name manifest.json | wc -l
    ;;
  compile-4)
    # Round four, around round three's best for 384x7168 at M = 1024 (64x128,
    # split 2 pushed, k_groups 2): block_k 128, shallower rings, and the
    # split's clusters doubled or quadrupled along M to multicast y.
    SWEEP_DIR=out/sweep-prefill4 SWEEP_BM=64 SWEEP_BN=128 SWEEP_BK="64 128" \
      SWEEP_STAGES="max 6 4" SWEEP_SPLIT=2 SWEEP_REDUCTION=cluster_push SWEEP_KGROUPS=2 \
      SWEEP_CM="1 2 4" scripts/bench/sweep-compile.sh 384x7168 1024 513-
    find out/sweep-prefill4 -name manifest.json | wc -l
    ;;
  compile-5)
    # Round five, after round four's spread (the same config 17.0 and
    # 18.7 us in two runs): split 2 with pushed partials and clusters
    # along M (y multicast), with and without k_groups, block_n 96-192,
    # beside the shipped 128x192 split 6; run-5 times each REPS times.
    d=out/sweep-prefill5
    SWEEP_DIR=$d SWEEP_BM=64 SWEEP_BN="96 128" SWEEP_BK=64 SWEEP_SPLIT=2 \
      SWEEP_REDUCTION="cluster cluster_push" SWEEP_KGROUPS="1 2" SWEEP_CM="2 4" \
      scripts/bench/sweep-compile.sh 384x7168 1024 513-
    SWEEP_DIR=$d SWEEP_APPEND=1 SWEEP_BM=64 SWEEP_BN=128 SWEEP_BK="64 128" \
      SWEEP_STAGES="max 6 4" SWEEP_SPLIT=2 SWEEP_REDUCTION=cluster_push SWEEP_KGROUPS="1 2" \
      SWEEP_CM="1 2 4" scripts/bench/sweep-compile.sh 384x7168 1024 513-
    SWEEP_DIR=$d SWEEP_APPEND=1 SWEEP_BM=64 SWEEP_BN=192 SWEEP_BK=64 SWEEP_SPLIT="2 3 4" \
      SWEEP_REDUCTION=cluster_push SWEEP_CM=2 scripts/bench/sweep-compile.sh 384x7168 1024 513-
    build/bin/gemm-compile --nk 384x7168 --m-buckets 513- --quiet -o $d/384x7168/m128n192k64s5x6 \
      --config "#gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 6, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>"
    find $d -name manifest.json | wc -l
    ;;
  compile-6)
    # Round six: 2048x4096 at M = 1024, the other N = 2048 shape with one
    # wave of 128x128 tiles, given what helped 2048x7168 there (the
    # persistent schedule, grouped raster) and 384x7168 (split 2 with
    # pushed partials and y multicast); the shipped 64x256 beside them.
    d=out/sweep-prefill6
    SWEEP_DIR=$d SWEEP_BM=128 SWEEP_BN="128 256" SWEEP_BK=64 SWEEP_SPLIT=1 SWEEP_CM="1 2" \
      SWEEP_SCHEDULE=persistent SWEEP_RASTER="along_n grouped" \
      scripts/bench/sweep-compile.sh 2048x4096 1024 513-
    SWEEP_DIR=$d SWEEP_APPEND=1 SWEEP_BM=64 SWEEP_BN="128 256" SWEEP_BK=64 SWEEP_SPLIT="1 2" \
      SWEEP_REDUCTION="cluster cluster_push" SWEEP_CM="1 2" SWEEP_KGROUPS="1 2" \
      scripts/bench/sweep-compile.sh 2048x4096 1024 513-
    find $d -name manifest.json | wc -l
    ;;
  compile-7)
    # Round seven: 4096^3 (square.json). Its bucket (1025-) also holds
    # M = 1100 and 16384 in the tuned table, and the persistent 128x256
    # configs that lead at M = 4096 were never timed there; time them at
    # all three beside the shipped warp_specialized one.
    d=out/sweep-prefill7
    SWEEP_DIR=$d SWEEP_BM=128 SWEEP_BN=256 SWEEP_BK=64 SWEEP_SPLIT=1 SWEEP_CM="1 2" \
      SWEEP_SCHEDULE=persistent SWEEP_RASTER="along_n along_m grouped" \
      scripts/bench/sweep-compile.sh 4096x4096 1100,4096,16384 1025-
    SWEEP_DIR=$d SWEEP_APPEND=1 SWEEP_BM=128 SWEEP_BN=256 SWEEP_BK=64 SWEEP_SPLIT=1 SWEEP_CM="1 2" \
      scripts/bench/sweep-compile.sh 4096x4096 1100,4096,16384 1025-
    find $d -name manifest.json | wc -l
    ;;
  compile-8)
    # Round eight: the two N = 2048 shapes at M = 1024 (the lowest against
    # cuBLAS: 0.885-0.96x) with what was made for them, side by side in one
    # sweep dir: each split-1 config with both epilogues (tag suffix t:
    # epilogue = tma_store; a persistent 128 x 128 keeps 6 stages then),
    # and the 128 x 256 split-2 pull form as is and built with
    # --vector-push (tag suffix v: 16-byte remote loads).
    d=out/sweep-prefill8
    nk8="2048x7168 2048x4096"
    SWEEP_DIR=$d SWEEP_BM=128 SWEEP_BN=128 SWEEP_BK=64 SWEEP_STAGES="6 7" SWEEP_SPLIT=1 \
      SWEEP_SCHEDULE=persistent SWEEP_RASTER="along_n grouped" \
      SWEEP_EPILOGUE="direct tma_store" scripts/bench/sweep-compile.sh "$nk8" 1024 513-
    SWEEP_DIR=$d SWEEP_APPEND=1 SWEEP_BM=128 SWEEP_BN=256 SWEEP_BK=64 SWEEP_STAGES=4 \
      SWEEP_SPLIT=1 SWEEP_CM="1 2" SWEEP_SCHEDULE=persistent \
      SWEEP_EPILOGUE="direct tma_store" scripts/bench/sweep-compile.sh "$nk8" 1024 513-
    SWEEP_DIR=$d SWEEP_APPEND=1 SWEEP_BM="64 128" SWEEP_BN="128 256" SWEEP_BK=64 \
      SWEEP_SPLIT=1 SWEEP_EPILOGUE="direct tma_store" \
      scripts/bench/sweep-compile.sh "$nk8" 1024 513-
    for suffix in "" v; do
      flags=""
      [ -n "$suffix" ] && flags=--vector-push
      SWEEP_DIR=$d SWEEP_APPEND=1 SWEEP_BM=128 SWEEP_BN=256 SWEEP_BK=64 SWEEP_STAGES=4 \
        SWEEP_SPLIT=2 SWEEP_REDUCTION=cluster SWEEP_TAG_SUFFIX=$suffix \
        SWEEP_COMPILE_FLAGS=$flags scripts/bench/sweep-compile.sh "$nk8" 1024 513-
    done
    find $d -name manifest.json | wc -l
    ;;
  compile-9)
    # Round nine: 2048x7168 over its whole 513-1024 bucket (M = 777 and
    # 1024), so that the table can weigh the persistent 128 x 128 at 6
    # stages, which round eight found 6-12% faster than 7 stages at
    # M = 1024 only, against the shipped 7-stage kernel and the
    # fit1024 picks (128 x 256 split 2, 64 x 256).
    d=out/sweep-prefill9
    SWEEP_DIR=$d SWEEP_BM=128 SWEEP_BN=128 SWEEP_BK=64 SWEEP_STAGES="5 6 7" SWEEP_SPLIT=1 \
      SWEEP_SCHEDULE=persistent SWEEP_RASTER="along_n grouped" \
      scripts/bench/sweep-compile.sh 2048x7168 777,1024 513-
    SWEEP_DIR=$d SWEEP_APPEND=1 SWEEP_BM=128 SWEEP_BN=256 SWEEP_BK=64 SWEEP_STAGES=4 \
      SWEEP_SPLIT=2 SWEEP_REDUCTION=cluster scripts/bench/sweep-compile.sh 2048x7168 777,1024 513-
    SWEEP_DIR=$d SWEEP_APPEND=1 SWEEP_BM=64 SWEEP_BN=256 SWEEP_BK=64 SWEEP_SPLIT=1 \
      scripts/bench/sweep-compile.sh 2048x7168 777,1024 513-
    find $d -name manifest.json | wc -l
    ;;
  run-2) run_round 2 513,777,1000 1; exit ;;
  run-3) run_round 3 513,777,1000 1 1024 384x7168 2048x7168; exit ;;
  run-4) run_round 4 513,777,1000 1 1024 384x7168; exit ;;
  run-5) run_round 5 513,777,1000 4; exit ;;
  run-6) run_round 6 513,777,1000 3; exit ;;
  run-7) run_round 7 1025,1100,3001 2; exit ;;
  run-8) run_round 8 513,777,1000 3 1024 2048x7168 2048x4096; exit ;;
  run-9) run_round 9 513,777,1000 3 777,1024 2048x7168; exit ;;
  run-mc)
    OUT=${OUT:-out/prefill-mc-results}
    mkdir -p "$OUT"
    status=0
    check_odd out/sweep-mc-odd check-mc-odd || status=1
    scripts/bench/bench-base.sh "$OUT" 1024,4096 384x7168 2048x7168 || status=1
    SWEEP_DIR=out/sweep-mc OUT=$OUT/mc scripts/bench/sweep-run.sh > "$OUT/best-mc.txt" 2>&1 || status=1
    mv "$OUT/mc/sweep.csv" "$OUT/sweep-mc.csv"
    exit $status
    ;;
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
    check_odd out/sweep-prefill-odd check-odd || status=1
    # The shipped kernels and cuBLASLt at the same M, before the sweep.
    scripts/bench/bench-base.sh "$OUT" 1024,4096 384x7168 2048x7168 || status=1
    SWEEP_DIR=out/sweep-prefill OUT=$OUT/prefill scripts/bench/sweep-run.sh > "$OUT/best-prefill.txt" 2>&1 || status=1
    mv "$OUT/prefill/sweep.csv" "$OUT/sweep-prefill.csv"
    exit $status
    ;;
  *)
    sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
