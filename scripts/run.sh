#!/usr/bin/env bash
# The main job: set up, build, and compile the example.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
./scripts/setup.sh
echo "== gemm-opt examples/linear.mlir"
build/bin/gemm-opt examples/linear.mlir
