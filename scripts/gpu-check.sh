#!/usr/bin/env bash
# Correctness on a GPU machine: every kernel variant of the bundles against an
# fp64 reference on fresh random inputs (output poisoned first, every element
# written, nothing past column N touched, relative Frobenius error <= 2e-5),
# packed and with padded row strides; then the runtime's GPU tests (also
# under ThreadSanitizer: TSAN=0 skips) and every variant under
# compute-sanitizer memcheck, racecheck and synccheck (SANITIZE=0 skips).
#
# Uses build-rt/ (the runtime and gemm-check, built by scripts/setup.sh) and
# out/bundles/ (scripts/compile-bundles.sh); where the compiler is built here
# too, the bundles are compiled first. Results go to $OUT (default out/gpu).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
OUT=${OUT:-$top/out/gpu}
mkdir -p "$OUT"
export PATH="/usr/local/cuda/bin:$PATH"

if [ -x build/bin/gemm-compile ]; then
  ./scripts/compile-bundles.sh || exit 1
fi
for b in out/bundles/dsv4 out/bundles/odd; do
  [ -f "$b/manifest.json" ] || { echo "error: $b/manifest.json is missing (scripts/compile-bundles.sh)" >&2; exit 1; }
done
if [ ! -x build-rt/tools/gemm-check/gemm-check ]; then
  cmake -S runtime -B build-rt -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=/usr/bin/g++ >/dev/null &&
    cmake --build build-rt || exit 1
fi
check=build-rt/tools/gemm-check/gemm-check

{
  echo "# gpu-check on $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader), $(date -u +%F)"
  nvidia-smi --query-gpu=clocks.max.sm,clocks.max.mem --format=csv
} | tee "$OUT/gpu-check.txt"

status=0
dsv4_nk=$(python3 -c 'import json;print(",".join(f"{n}x{k}" for n,k in json.load(open("shapes/dsv4.json"))["nk"]))')
# Every default bucket (1-1, 2-8, 9-16, 17-32, 33-64, 65-128, 129-256, 257-512,
# 513-1024, 1025-2048, 2049-4096, 4097-8192, 8193-) gets at least one M, so
# every variant runs, with tails in M.
echo "## dsv4 bundle, policy generated" | tee -a "$OUT/gpu-check.txt"
$check --bundle out/bundles/dsv4 --policy generated --nk "$dsv4_nk" \
  --m-list 1,4,7,13,16,25,50,64,65,100,129,256,300,1000,1024,2000,3000,4096,4097,8200 \
  --csv "$OUT/gpu-check-dsv4.csv" 2>&1 | tee -a "$OUT/gpu-check.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
# Row strides larger than the rows (lda = K + 8, ldb = K + 16, ldc = N + 6):
# nothing past column N may change.
$check --bundle out/bundles/dsv4 --policy generated --nk "$dsv4_nk" \
  --m-list 1,7,13,25,50,65,129,300,1000,2000 --padded-only \
  --csv "$OUT/gpu-check-dsv4-padded.csv" 2>&1 | tee -a "$OUT/gpu-check.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

# The same kernels without their cubins: the runtime JIT-compiles the PTX
# with the driver (cuLink) and caches the result; then again from the disk
# cache. (The JIT linker places shared memory differently from ptxas; this
# is what caught kernels that assumed its alignment.)
echo "## dsv4 bundle without cubins: driver JIT, then the disk cache" | tee -a "$OUT/gpu-check.txt"
jit_dir=$(mktemp -d)
scripts/bench/ptx-only-bundle.py out/bundles/dsv4 "$jit_dir/bundle"
for pass in jit disk-cache; do
  GEMMRT_CACHE_DIR=$jit_dir/cache $check --bundle "$jit_dir/bundle" --policy generated --nk "$dsv4_nk" \
    --m-list 1,13,25,129,1000,4097 --csv "$OUT/gpu-check-dsv4-$pass.csv" 2>&1 | tail -1 | sed "s/^/$pass: /" | tee -a "$OUT/gpu-check.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
rm -rf "$jit_dir"

echo "## odd shapes, policy generated" | tee -a "$OUT/gpu-check.txt"
$check --bundle out/bundles/odd --policy generated \
  --nk 200x4104,200x7168,384x4104,384x7168 --m-list 1,7,13,25,50,129,1000,4097 --padded \
  --csv "$OUT/gpu-check-odd.csv" 2>&1 | tee -a "$OUT/gpu-check.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

if [ -f out/bundles/square/manifest.json ]; then
  # The peak-rate variants (persistent, along_m and grouped rasters among
  # them): tails in M and with padded strides.
  echo "## square bundle (M >= 1025), policy generated" | tee -a "$OUT/gpu-check.txt"
  $check --bundle out/bundles/square --policy generated --nk 4096x4096,8192x8192,24576x7168 \
    --m-list 1025,3001,4096 --padded --csv "$OUT/gpu-check-square.csv" 2>&1 | tee -a "$OUT/gpu-check.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
fi

if [ -f out/bundles/dsv4-invariant/manifest.json ]; then
  echo "## dsv4-invariant bundle (one kernel per N, K), policy batch_invariant" | tee -a "$OUT/gpu-check.txt"
  $check --bundle out/bundles/dsv4-invariant --policy batch_invariant --nk "$dsv4_nk" \
    --m-list 1,7,64,129,1000,4097 --csv "$OUT/gpu-check-dsv4-invariant.csv" 2>&1 | tail -1 | tee -a "$OUT/gpu-check.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
fi

echo "## cuBLASLt and reference backends (same oracle)" | tee -a "$OUT/gpu-check.txt"
for policy in cublaslt reference; do
  $check --policy $policy --cases 1x384x7168,129x200x4104,4097x2048x7168,7x21x264,33x100x100 --padded \
    2>&1 | tee -a "$OUT/gpu-check.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done

echo "## runtime GPU tests" | tee -a "$OUT/gpu-check.txt"
GEMMRT_TEST_BUNDLE=$top/out/bundles/odd GEMMRT_TEST_BUNDLE_DSV4=$top/out/bundles/dsv4 \
  GEMMRT_TEST_BUNDLE_INVARIANT=$top/out/bundles/dsv4-invariant \
  timeout 400 ctest --test-dir build-rt -L gpu --timeout 120 --output-on-failure 2>&1 | tail -60 | tee -a "$OUT/gpu-check.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

# The concurrency tests again with the runtime built under ThreadSanitizer
# (host threads, several streams and devices sharing one runtime's caches).
echo "## runtime GPU concurrency tests under ThreadSanitizer" | tee -a "$OUT/gpu-check.txt"
tsan_tests=build-rt-tsan-gpu/test/gemmrt-gpu-tests
# The tests also read the fake kernel and compiler built beside them: a
# test binary copied here without them is rebuilt too.
tsan_beside=(build-rt-tsan-gpu/test/fake_generated.ptx build-rt-tsan-gpu/test/fake_generated.cubin
  build-rt-tsan-gpu/test/libgemmrt-fake-compiler.so)
tsan_complete=1
for f in "$tsan_tests" "${tsan_beside[@]}"; do [ -e "$f" ] || tsan_complete=0; done
if [ "$tsan_complete" = 0 ] && [ "${TSAN:-1}" != 0 ]; then
  cmake -S runtime -B build-rt-tsan-gpu -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGEMMRT_SANITIZE=thread -DGEMMRT_BUILD_GPU_TOOLS=OFF \
    -DCMAKE_EXE_LINKER_FLAGS=-static-libtsan >/dev/null &&
    cmake --build build-rt-tsan-gpu --target gemmrt-gpu-tests >/dev/null
fi
if [ "${TSAN:-1}" = 0 ]; then
  echo "SKIPPED: TSAN=0" | tee -a "$OUT/gpu-check.txt"
elif [ -x "$tsan_tests" ]; then
  # GCC's TSan cannot map its shadow with more than 28 bits of ASLR.
  wrap=()
  if [ "$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0)" -gt 28 ]; then
    wrap=(setarch "$(uname -m)" -R)
  fi
  # The full report goes to tsan.log; the suppressions drop races inside the
  # (uninstrumented) CUDA driver and cuBLASLt only.
  GEMMRT_TEST_BUNDLE=$top/out/bundles/odd \
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$top/runtime/test/tsan-gpu.supp" \
    timeout 300 "${wrap[@]}" "$tsan_tests" \
    --gtest_filter='Gpu.EightThreadsTwoStreamsMixedShapes:Gpu.TwoDevicesOneRuntime:Gpu.GraphCapture*' \
    >"$OUT/tsan.log" 2>&1
  [ $? -eq 0 ] || status=1
  grep -E "^\[ +(OK|FAILED|SKIPPED|PASSED) +\]|WARNING: ThreadSanitizer|SUMMARY" "$OUT/tsan.log" | tee -a "$OUT/gpu-check.txt"
else
  echo "FAILED: could not build $tsan_tests" | tee -a "$OUT/gpu-check.txt"
  status=1
fi

# compute-sanitizer memcheck, racecheck and synccheck over every variant.
echo "## compute-sanitizer (scripts/gpu-sanitize.sh)" | tee -a "$OUT/gpu-check.txt"
if [ "${SANITIZE:-1}" = 0 ]; then
  echo "SKIPPED: SANITIZE=0" | tee -a "$OUT/gpu-check.txt"
else
  OUT=$OUT ./scripts/gpu-sanitize.sh 2>&1 | tail -80 | tee -a "$OUT/gpu-check.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
fi

echo "gpu-check: $([ $status -eq 0 ] && echo PASS || echo FAIL)" | tee -a "$OUT/gpu-check.txt"
exit $status
