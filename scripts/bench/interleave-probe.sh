#!/usr/bin/env bash
# Does a backend's figure depend on what ran just before it? Compute-bound
# shapes run under the H100's power cap, where the clock follows the recent
# load. Times the shapes given (default: the three largest M = 16384 shapes
# of dsv4.json, and 8192^3 and 2048x24576x7168) with gemm-bench:
#   generated and cuBLASLt interleaved replay by replay (--order interleaved),
#   each alone, both in blocks in either order (--order blocked, default),
# then torch cuBLAS (peers.py), logging the SM clock (nvidia-smi, 100 ms).
# A sound method gives each backend the same figure whatever the order.
# Results: $OUT/interleave-probe.tar.gz and summary.txt.
#   OUT=out/interleave scripts/bench/interleave-probe.sh
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
OUT=${OUT:-out/interleave}
mkdir -p "$OUT"
bench=build-rt/tools/gemm-bench/gemm-bench
echo '{"shapes": [[16384, 2048, 7168], [16384, 1024, 7168], [16384, 2048, 4096]]}' >"$OUT/m16384.json"
echo '{"shapes": [[8192, 8192, 8192], [2048, 24576, 7168]]}' >"$OUT/square.json"
nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw.instant,temperature.gpu,clocks_throttle_reasons.active \
  --format=csv,noheader,nounits -lms 100 >"$OUT/smi.csv" &
smi=$!
: >"$OUT/steps.txt"
step() { # name, command...
  local name=$1; shift
  echo "$name start $(date +%s.%N)" >>"$OUT/steps.txt"
  "$@" >>"$OUT/log.txt" 2>&1
  echo "$name end $(date +%s.%N)" >>"$OUT/steps.txt"
}
runs=("interleaved generated,cublaslt" "blocked generated" "blocked cublaslt"
      "blocked generated,cublaslt" "blocked cublaslt,generated")
for set in m16384 square; do
  bundle=out/bundles/dsv4
  [ "$set" = square ] && [ -f out/bundles/square/manifest.json ] && bundle=out/bundles/square
  for r in "${runs[@]}"; do
    order=${r% *} b=${r#* }
    step "$set-$order-$b" "$bench" "$OUT/$set.json" --bundle "$bundle" --backends "$b" \
      --order "$order" --json "$OUT/$set-$order-$b.json"
  done
  step "$set-peers" python3 scripts/bench/peers.py "$OUT/$set.json" --peers cublas \
    --json "$OUT/$set-peers.json"
done
kill "$smi"
python3 - "$OUT" "${runs[@]}" <<'PY' | tee "$OUT/summary.txt"
import json, sys
d, runs = sys.argv[1], [r.replace(" ", "-") for r in sys.argv[2:]]
def rows(name):
    j = json.load(open(f"{d}/{name}.json"))
    return {(r["M"], r["N"], r["K"]): r for r in (j["rows"] if isinstance(j, dict) else j)}
for set in ("m16384", "square"):
    cols, heads = [], []
    for r in runs:
        rs = rows(f"{set}-{r}")
        for b in r.split("-", 1)[1].split(","):
            cols.append((rs, b)); heads.append(f"{r} {b}")
    t = rows(f"{set}-peers")
    print(f"{set}: M N K | " + " | ".join(heads) + " | torch cuBLAS (us)")
    for k in t:
        xs = [rs[k][b]["us"] for rs, b in cols] + [t[k]["cublas"]["us"]]
        print(" ".join(map(str, k)) + " | " + " | ".join(f"{x:.1f}" for x in xs))
PY
tar -czf "$OUT/../interleave-probe.tar.gz" -C "$OUT" . && mv "$OUT/../interleave-probe.tar.gz" "$OUT/"
