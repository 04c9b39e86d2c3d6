#!/usr/bin/env bash
# Does a shape's timing depend on what ran before it? Times the decode
# shapes of dsv4.json (M 1-64; generated and cuBLASLt in gemm-bench's order) on an
# idle GPU, then right after the M = 16384 shapes have kept it busy, then
# 20 s later. gpu-bench.sh runs M = 16384 of one N x K right before M = 1 of the
# next, and sweeps time one N x K alone: this tells whether that order
# explains their differences.
#   OUT=out/order scripts/bench/order-effect.sh
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
OUT=${OUT:-out/order}
mkdir -p "$OUT"
bench=build-rt/tools/gemm-bench/gemm-bench
decode=(shapes/dsv4.json --m-list 1,4,16,64 --bundle out/bundles/dsv4
        --backends generated,cublaslt)
"$bench" "${decode[@]}" --json "$OUT/decode-idle.json" >"$OUT/log.txt" 2>&1
"$bench" shapes/dsv4.json --m-list 16384 --bundle out/bundles/dsv4 \
  --backends generated --json "$OUT/prefill-heat.json" >>"$OUT/log.txt" 2>&1
"$bench" "${decode[@]}" --json "$OUT/decode-after-prefill.json" >>"$OUT/log.txt" 2>&1
sleep 20
"$bench" "${decode[@]}" --json "$OUT/decode-after-20s.json" >>"$OUT/log.txt" 2>&1
python3 - "$OUT" <<'PY'
import json, math, sys
d = sys.argv[1]
runs = ["decode-idle", "decode-after-prefill", "decode-after-20s"]
data = {r: {(x["N"], x["K"], x["M"]): x for x in json.load(open(f"{d}/{r}.json"))["rows"]} for r in runs}
print("N x K x M | " + " | ".join(f"{r} generated / cuBLASLt us" for r in runs))
for key in data[runs[0]]:
    cells = []
    for r in runs:
        x = data[r][key]
        cells.append(f'{x["generated"]["us"]:.2f} / {x["cublaslt"]["us"]:.2f}')
    print("x".join(map(str, key)) + " | " + " | ".join(cells))
for r in runs[1:]:
    for b in ("generated", "cublaslt"):
        q = [data[r][k][b]["us"] / data[runs[0]][k][b]["us"] for k in data[r]]
        print(f"{r} / decode-idle, {b}: {math.exp(sum(map(math.log, q)) / len(q)):.3f}")
PY
