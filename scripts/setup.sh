#!/usr/bin/env bash
# Installs what gemmgen needs on Debian 12 (when missing) and builds the
# compiler (build/) and the runtime (build-rt/). Safe to run again: it only
# installs missing packages and rebuilds what changed.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

pkgs=(cmake ninja-build ccache g++ python3 libmlir-22-dev mlir-22-tools
      llvm-22-dev llvm-22-tools nlohmann-json3-dev libgtest-dev googletest
      pkg-config clang-14 libclang-rt-14-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# CUDA (nvcc, ptxas, the driver API stub, cuBLASLt) is expected in
# /usr/local/cuda; Debian's packages do not carry CUDA 13.
export PATH="/usr/local/cuda/bin:$PATH"
if ! command -v ptxas >/dev/null; then
  echo "warning: ptxas not found: bundles get no cubin and PTX checks are skipped" >&2
fi

jobs=${GEMMGEN_JOBS:-$(nproc)}
echo "== building the compiler (build/)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs"

if [ -f runtime/CMakeLists.txt ]; then
  echo "== building the runtime (build-rt/)"
  # The compiler library just built also runs in the runtime's background-
  # compilation test.
  cmake -S runtime -B build-rt -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DGEMMRT_TEST_COMPILER_LIBRARY="$PWD/build/lib/libgemmgen_compiler.so" >/dev/null
  cmake --build build-rt -j "$jobs"
fi
