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
fi
