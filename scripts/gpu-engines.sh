#!/usr/bin/env bash
# What an engine sees, on a GPU machine: the Python package's tests (the
# torch op against fp64, strides, streams, CUDA graphs, torch.compile,
# errors), cold start from process start to the first correct result (C++
# and Python, empty and warm disk cache, beside torch's cuBLAS path; then
# the same from a bundle without cubins, where the disk cache matters), and
# the two engine-style examples. Results go to $OUT (default out/gpu).
#
# Needs build-rt/ (scripts/setup.sh), out/bundles/dsv4
# (scripts/compile-bundles.sh) and torch with CUDA.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
OUT=${OUT:-$top/out/gpu}
mkdir -p "$OUT"
export PATH="/usr/local/cuda/bin:$PATH"
export GEMMRT_LIBRARY=$top/build-rt/libgemmrt.so
bundle=out/bundles/dsv4
status=0
step() { echo "== $*" | tee -a "$OUT/engines.txt"; }

step "python tests (python/tests)"
GEMMGEN_BUNDLES=$bundle timeout 300 python3 -m unittest discover -s python/tests -v \
  >"$OUT/python-tests.txt" 2>&1 || status=1
tail -4 "$OUT/python-tests.txt" | tee -a "$OUT/engines.txt"

step "first call from Python, by phase (ms)"
GEMMGEN_BUNDLES=$bundle PYTHONPATH=python timeout 120 python3 scripts/bench/first-call.py \
  2>&1 | tail -1 | tee -a "$OUT/engines.txt"

step "cold start, bundle with cubins"
timeout 400 python3 scripts/bench/cold-start.py --bundle $bundle --runs "${RUNS:-5}" \
  --json "$OUT/cold-start.json" --cxx build-rt/tools/gemmrt-coldstart \
  2>&1 | tee -a "$OUT/engines.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
step "cold start, bundle without cubins (PTX JIT, then the disk cache)"
timeout 400 python3 scripts/bench/cold-start.py --bundle $bundle --runs "${RUNS:-5}" --jit \
  --modes gemmgen-empty-cache,gemmgen-warm-cache,cxx-empty-cache,cxx-warm-cache \
  --json "$OUT/cold-start-jit.json" --cxx build-rt/tools/gemmrt-coldstart \
  2>&1 | tee -a "$OUT/engines.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

step "examples/python/serve.py"
GEMMGEN_BUNDLES=$bundle timeout 300 python3 examples/python/serve.py \
  >"$OUT/serve-python.txt" 2>&1 || status=1
tail -20 "$OUT/serve-python.txt" | tee -a "$OUT/engines.txt"
step "examples/engine (C++)"
timeout 300 build-rt/examples/engine/gemmrt-engine-example $bundle \
  >"$OUT/engine-cxx.txt" 2>&1 || status=1
tail -12 "$OUT/engine-cxx.txt" | tee -a "$OUT/engines.txt"

echo "gpu-engines: $([ $status -eq 0 ] && echo PASS || echo FAIL)" | tee -a "$OUT/engines.txt"
exit $status
