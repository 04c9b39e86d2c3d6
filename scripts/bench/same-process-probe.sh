#!/usr/bin/env bash
# Why gemmgen timed inside peers.py (the torch op, one process with torch
# cuBLAS) can read slower than the same variant in gemm-bench: the same
# shapes through gemm-bench, peers.py with gemmgen alone, and peers.py with
# both peers in either block order. GPU machine; needs out/bundles/dsv4 and
# build-rt/. Writes $OUT/probe-*.json and prints the per-call times.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
OUT=${OUT:-out/probe}
mkdir -p "$OUT"
shapes=$OUT/probe-shapes.json
echo '{"shapes": [[256, 2048, 4096], [1024, 2048, 7168], [1, 256, 4096], [16384, 1024, 7168]]}' > "$shapes"
export GEMMGEN_BUNDLES=out/bundles/dsv4
build-rt/tools/gemm-bench/gemm-bench "$shapes" --bundle out/bundles/dsv4 --backends generated,cublaslt \
  --json "$OUT/probe-gemm-bench.json" > /dev/null
python3 scripts/bench/peers.py "$shapes" --peers gemmgen --json "$OUT/probe-gemmgen-alone.json" > /dev/null
python3 scripts/bench/peers.py "$shapes" --peers cublas,gemmgen --json "$OUT/probe-cublas-first.json" > /dev/null
python3 scripts/bench/peers.py "$shapes" --peers gemmgen,cublas --json "$OUT/probe-gemmgen-first.json" > /dev/null
python3 - "$OUT" <<'PY'
import json, sys
d = sys.argv[1]
gb = {(r["M"], r["N"], r["K"]): r for r in json.load(open(f"{d}/probe-gemm-bench.json"))["rows"]}
runs = {n: {(r["M"], r["N"], r["K"]): r for r in json.load(open(f"{d}/probe-{n}.json"))}
        for n in ("gemmgen-alone", "cublas-first", "gemmgen-first")}
print("M N K | gemm-bench generated, cuBLASLt | peers gemmgen alone | cublas-first: cublas, gemmgen | gemmgen-first: cublas, gemmgen")
for k, r in gb.items():
    us = lambda run, p: runs[run][k].get(p, {}).get("us", float("nan"))
    print(f"{k} | {r['generated']['us']:.2f}, {r['cublaslt']['us']:.2f} | {us('gemmgen-alone', 'gemmgen'):.2f}"
          f" | {us('cublas-first', 'cublas'):.2f}, {us('cublas-first', 'gemmgen'):.2f}"
          f" | {us('gemmgen-first', 'cublas'):.2f}, {us('gemmgen-first', 'gemmgen'):.2f}")
PY
