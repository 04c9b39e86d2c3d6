#!/usr/bin/env bash
# Compiles the bundles that the GPU scripts check and time:
#   out/bundles/dsv4  every (N, K) of shapes/dsv4.json, default M buckets,
#                     tuned configs where measured (the model's elsewhere)
#   out/bundles/odd   shapes that are multiples of no tile: N in {200, 384},
#                     K in {4104, 7168}
#   out/bundles/square the peak-rate shapes of shapes/square.json, M >= 1025
#   out/bundles/dsv4-invariant  one kernel per (N, K) of dsv4 for every M
#                     (policy batch_invariant)
# Needs the compiler built (scripts/setup.sh).
# BUNDLES_DIR (default out/bundles) puts them elsewhere; GEMM_COMPILE_FLAGS
# adds gemm-compile flags to every one (e.g. --shift-tail-tiles).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export PATH="/usr/local/cuda/bin:$PATH"
gc=build/bin/gemm-compile
[ -x "$gc" ] || { echo "error: $gc is missing: run scripts/setup.sh first" >&2; exit 1; }
b=${BUNDLES_DIR:-out/bundles}
read -r -a extra <<< "${GEMM_COMPILE_FLAGS:-}"
compile() { "$gc" "${extra[@]}" "$@"; }
mkdir -p "$b"
# Where the sweeps measured a bucket, its config is the measured best
# (docs/perf/data/tuned-configs.json); elsewhere the model's.
tuned=docs/perf/data/tuned-configs.json
compile shapes/dsv4.json --tuned-configs $tuned -o "$b/dsv4"
compile --nk 200x4104,200x7168,384x4104,384x7168 -o "$b/odd"
# Peak-rate shapes (shapes/square.json): large M only. The odd shapes and
# the batch-invariant bundle keep the model's configs.
compile shapes/square.json --m-buckets 1025- --tuned-configs $tuned -o "$b/square"
compile shapes/dsv4.json --m-buckets 1- -o "$b/dsv4-invariant"
