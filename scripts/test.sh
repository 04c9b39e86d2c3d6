#!/usr/bin/env bash
# Sets up (scripts/setup.sh), then runs every test: the compiler's lit suite
# and the runtime's GoogleTest suite. GPU tests are skipped, with the reason
# printed, where there is no GPU.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
./scripts/setup.sh
export PATH="/usr/local/cuda/bin:$PATH"
echo "== compiler tests"
ctest --test-dir build --output-on-failure
if [ -f build-rt/CTestTestfile.cmake ]; then
  echo "== runtime tests"
  ctest --test-dir build-rt --output-on-failure
  # The Python package over the library just built; its torch/GPU tests
  # skip with the reason where torch or a GPU is missing.
  echo "== python package tests"
  GEMMRT_LIBRARY="$top/build-rt/libgemmrt.so" python3 -m unittest discover -s python/tests
fi

# Fuzzing (libFuzzer, ASan, UBSan): the parser, verifiers and pipeline of
# gemm-opt, and gemm-compile's shape files, each for GEMMGEN_FUZZ_SECONDS
# (default 60) over the seed corpus in fuzz/corpus.
if [ "${GEMMGEN_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== fuzzing the compiler (${GEMMGEN_FUZZ_SECONDS:-60} s per target)"
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DGEMMGEN_BUILD_FUZZERS=ON \
    -DGEMMGEN_FUZZ_SECONDS="${GEMMGEN_FUZZ_SECONDS:-60}" >/dev/null
  cmake --build build-fuzz --target gemm-shapefile-fuzzer gemm-opt-fuzzer
  ctest --test-dir build-fuzz -L fuzz --output-on-failure
fi

if [ -x scripts/runtime-sanitizers.sh ] && [ "${GEMMGEN_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== runtime under sanitizers"
  ./scripts/runtime-sanitizers.sh
fi
