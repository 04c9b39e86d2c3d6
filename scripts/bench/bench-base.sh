#!/usr/bin/env bash
# Times the shipped dsv4 bundle (generated and cuBLASLt) at the M a sweep
# measures, with the same gemm-bench, so that the sweep's configs compete
# with the shipped ones in one run (scripts/bench/tuned-configs.py).
#   scripts/bench/bench-base.sh OUT_DIR M,M,... NxK [NxK ...]
# Writes OUT_DIR/base/{shapes.json,bench.json,bench.txt} and OUT_DIR/base.csv.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
out=${1:?output directory}
ms=${2:?M list}
shift 2
mkdir -p "$out/base" || exit 1
python3 -c 'import json, sys; print(json.dumps({"nk": [[int(v) for v in s.split("x")] for s in sys.argv[2:]], "m": [int(m) for m in sys.argv[1].split(",")]}))' \
  "$ms" "$@" > "$out/base/shapes.json" || exit 1
status=0
build-rt/tools/gemm-bench/gemm-bench "$out/base/shapes.json" --bundle out/bundles/dsv4 \
  --backends generated,cublaslt --replays 15 --json "$out/base/bench.json" \
  > "$out/base/bench.txt" 2>&1 || status=1
scripts/bench/bench-to-csv.py "$out/base/bench.json" out/bundles/dsv4 \
  > "$out/base.csv" || status=1
exit $status
