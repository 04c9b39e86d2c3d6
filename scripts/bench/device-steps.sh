#!/usr/bin/env bash
# Several GPU jobs in one call of a GPU machine, in the order given, each
# under its own time limit, each packed into $OUT/STEP.tgz as soon as it
# ends (a call returns a handful of files, and what a killed call left
# under $OUT still comes back), with $OUT/steps.log: rc and seconds per
# step.
#   scripts/bench/device-steps.sh check=90 bench=180 shift=110 fit1024=120
# Steps:
#   check    scripts/bench/check-changed.sh $CHECK_NK $CHECK_M (the changed
#            variants: packed, padded, JIT, disk cache, compute-sanitizer)
#   bench    PEERS=cublas scripts/gpu-bench.sh --tune (BENCH_PEERS to change)
#   shift    scripts/bench/shift-probe.sh (needs out/shift-bundles)
#   vpush    the same probe of out/vpush-bundles (gemm-compile --vector-push),
#            timed at VPUSH_M (default 4,16,64,100,256,300,512,1024,1500,5000:
#            1500 and 5000 for the pull-form prefill kernels)
#   tmastore the same probe of out/tmastore-bundles (gemm-compile
#            --tma-store), padded checks with ldc = N + 4 (its kernels
#            need ldc % 4 == 0), timed at TMASTORE_M (default
#            1024,4096,16384) and on the square shapes; then
#            compute-sanitizer on four of its kernels
#   prefill8 scripts/bench/sweep-prefill.sh run-8 (unpacks
#            out/prefill8-pack.tar.xz): the N = 2048 shapes at M = 1024,
#            split-1 configs with both epilogues, the split-2 pull form as
#            is and with --vector-push, in one run
#   prefill9 scripts/bench/sweep-prefill.sh run-9 (out/prefill9-pack.tar.xz):
#            2048x7168 at M = 777 and 1024, persistent 128 x 128 at 5-7
#            stages beside the fit1024 picks
#   fit1024  FIT_BUCKETS=1024 scripts/bench/sweep-fit.sh run (unpacks
#            out/fit1024-pack.tar.xz when the sweep dirs are not there)
#   mc       scripts/bench/sweep-fit.sh run-mc (out/mc-pack.tar.xz likewise)
#   fitv     the one-wave grids of M = 129-256 and 513-1024 compiled with
#            --vector-push, cluster_push only (out/fitv-pack.tar.xz; FIT_PREFIX
#            sweep-fitv): which splits win once the push is cheaper. Its
#            configs' tags do not say vector-push: they go into the tuned
#            table only once the option is the default
#   gpucheck scripts/gpu-check.sh (every variant; minutes)
#   pushcost scripts/bench/push-cost.cu built and run (seconds): the
#            split-K reduction's stores, barrier and sums timed apart
# Here, beforehand: scripts/compile-bundles.sh, and for shift, vpush,
# tmastore (BUNDLES_DIR=out/tmastore-bundles GEMM_COMPILE_FLAGS=--tma-store
# scripts/compile-bundles.sh), fit1024,
# mc and fitv what their scripts say; pack sweep dirs with
#   tar cJf out/fit1024-pack.tar.xz out/sweep-fit1024-*
#   tar cJf out/fitv-pack.tar.xz out/sweep-fitv*
#   tar cJf out/prefill8-pack.tar.xz out/sweep-prefill8
# since a call carries at most 64 MiB.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
# Every step is known and has what it needs before the first one runs.
for arg in "$@"; do
  case ${arg%%=*} in
    bench | shift | vpush | tmastore | prefill8 | prefill9 | fit1024 | mc | fitv | gpucheck | pushcost) ;;
    check)
      if [ -z "${CHECK_NK:-}" ] || [ -z "${CHECK_M:-}" ]; then
        echo "error: step check needs CHECK_NK (the changed N x K) and CHECK_M" >&2
        exit 2
      fi ;;
    *)
      echo "error: unknown step '${arg%%=*}' (check, bench, shift, vpush, tmastore, prefill8, prefill9, fit1024, mc, fitv, gpucheck, pushcost)" >&2
      exit 2 ;;
  esac
done
OUT=${OUT:-out/device-steps}
work=$(mktemp -d)
mkdir -p "$OUT"
# A copy of build-rt may arrive without the library's version links.
if [ -f build-rt/libgemmrt.so.0.1.0 ]; then
  ln -sf libgemmrt.so.0.1.0 build-rt/libgemmrt.so.0
  ln -sf libgemmrt.so.0 build-rt/libgemmrt.so
fi
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader \
  > "$OUT/steps.log" 2>&1
unpack() {
  local pack=$1 dir=$2
  [ -d "$dir" ] || [ ! -f "$pack" ] || tar xJf "$pack"
}
status=0
for arg in "$@"; do
  step=${arg%%=*}
  secs=${arg#*=}
  [ "$secs" = "$arg" ] && secs=300
  dir=$work/$step
  mkdir -p "$dir"
  start=$(date +%s)
  case $step in
    check)
      OUT=$dir timeout "$secs" scripts/bench/check-changed.sh "$CHECK_NK" "$CHECK_M" ;;
    bench)
      OUT=$dir PEERS=${BENCH_PEERS:-cublas} timeout "$secs" scripts/gpu-bench.sh --tune ;;
    shift)
      OUT=$dir timeout "$secs" scripts/bench/shift-probe.sh ;;
    vpush)
      # Split-K runs from decode (swap_ab, up to 8 ranks) to M = 1024.
      SHIFT_BUNDLES=out/vpush-bundles SHIFT_M=${VPUSH_M:-4,16,64,100,256,300,512,1024,1500,5000} \
        OUT=$dir timeout "$secs" scripts/bench/shift-probe.sh ;;
    tmastore)
      # The probe, then compute-sanitizer on four of its kernels (a k-group
      # and a two-warpgroup one-tile kernel, two persistent ones) with
      # whatever time the step has left.
      t0=$SECONDS
      SHIFT_BUNDLES=out/tmastore-bundles SHIFT_M=${TMASTORE_M:-1024,4096,16384} \
        SHIFT_LDC_PAD=4 SHIFT_SQUARE=1 OUT=$dir timeout "$secs" \
        scripts/bench/shift-probe.sh
      rc=$?
      left=$(( secs - (SECONDS - t0) ))
      if [ $left -gt 10 ]; then
        SANITIZE_ROOT=out/tmastore-bundles SANITIZE_BUNDLES=dsv4 SANITIZE_LDC_PAD=4 \
          SANITIZE_NK=1024x4096,2048x7168 SANITIZE_M=1000,3000 OUT=$dir \
          timeout "$left" scripts/gpu-sanitize.sh > "$dir/sanitize.log" 2>&1 || rc=1
      else
        rc=1
      fi
      (exit $rc) ;;
    prefill8)
      unpack out/prefill8-pack.tar.xz out/sweep-prefill8
      OUT=$dir timeout "$secs" scripts/bench/sweep-prefill.sh run-8 ;;
    prefill9)
      unpack out/prefill9-pack.tar.xz out/sweep-prefill9
      OUT=$dir timeout "$secs" scripts/bench/sweep-prefill.sh run-9 ;;
    fit1024)
      unpack out/fit1024-pack.tar.xz out/sweep-fit1024-777-1024
      FIT_BUCKETS=1024 OUT=$dir timeout "$secs" scripts/bench/sweep-fit.sh run ;;
    mc)
      unpack out/mc-pack.tar.xz out/sweep-mc256-192-256
      OUT=$dir timeout "$secs" scripts/bench/sweep-fit.sh run-mc ;;
    fitv)
      unpack out/fitv-pack.tar.xz out/sweep-fitv256-192-256
      FIT_PREFIX=sweep-fitv FIT_BUCKETS="256 1024" OUT=$dir timeout "$secs" \
        scripts/bench/sweep-fit.sh run ;;
    gpucheck)
      OUT=$dir timeout "$secs" scripts/gpu-check.sh ;;
    pushcost)
      nvcc -arch=sm_90a -O2 -o "$dir/push-cost" scripts/bench/push-cost.cu &&
        timeout "$secs" "$dir/push-cost" | tee "$dir/push-cost.csv" ;;
  esac > "$dir/stdout.log" 2>&1
  rc=$?
  [ $rc = 0 ] || status=1
  echo "$step rc=$rc $(( $(date +%s) - start )) s" | tee -a "$OUT/steps.log"
  tail -3 "$dir/stdout.log"
  tar czf "$OUT/$step.tgz" -C "$work" "$step"
done
rm -rf "$work"
exit $status
