#!/usr/bin/env bash
# Compiles the bundles that the GPU scripts check and time:
#   out/bundles/dsv4  every (N, K) of shapes/dsv4.json, default M buckets
#   out/bundles/odd   shapes that are multiples of no tile: N in {200, 384},
#                     K in {4104, 7168}
# Needs the compiler built (scripts/setup.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export PATH="/usr/local/cuda/bin:$PATH"
gc=build/bin/gemm-compile
[ -x "$gc" ] || { echo "error: $gc is missing: run scripts/setup.sh first" >&2; exit 1; }
mkdir -p out/bundles
"$gc" shapes/dsv4.json -o out/bundles/dsv4
"$gc" --nk 200x4104,200x7168,384x4104,384x7168 -o out/bundles/odd
