#!/usr/bin/env bash
# Do compute-bound timings depend on the inputs and the GPU's clock state
# rather than on the backend? Logs SM clock, power, temperature and throttle
# reasons every 100 ms (nvidia-smi) while it times, each step marked in
# steps.txt, on shapes/square.json and on M = 16384 of shapes/dsv4.json:
#   gemm-bench (generated, cuBLASLt) with --data uniform, then --data normal
#   (peers.py's distribution), then peers.py (torch cuBLAS);
# then prints per step the median SM clock and power and each backend's
# time. Results: $OUT/clock-probe.tar.gz and the printed summary.
#   OUT=out/clock scripts/bench/clock-probe.sh
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
OUT=${OUT:-out/clock}
mkdir -p "$OUT"
bench=build-rt/tools/gemm-bench/gemm-bench
square_bundle=out/bundles/dsv4
[ -f out/bundles/square/manifest.json ] && square_bundle=out/bundles/square
python3 - "$OUT/m16384.json" <<'PY'
import json, sys
spec = json.load(open("shapes/dsv4.json"))
json.dump({"nk": spec["nk"], "m": [16384]}, open(sys.argv[1], "w"))
PY
nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw.instant,temperature.gpu,clocks_throttle_reasons.active \
  --format=csv,noheader,nounits -lms 100 >"$OUT/smi.csv" &
smi=$!
step() { # name, command...
  local name=$1; shift
  echo "$name start $(date +%s.%N)" >>"$OUT/steps.txt"
  "$@" >>"$OUT/log.txt" 2>&1
  echo "$name end $(date +%s.%N)" >>"$OUT/steps.txt"
}
: >"$OUT/steps.txt"
sleep 2
for set in square m16384; do
  shapes=shapes/square.json bundle=$square_bundle
  [ "$set" = m16384 ] && shapes=$OUT/m16384.json bundle=out/bundles/dsv4
  for data in uniform normal; do
    step "$set-$data" "$bench" "$shapes" --bundle "$bundle" --data "$data" \
      --backends generated,cublaslt --json "$OUT/$set-$data.json"
  done
  step "$set-peers" python3 scripts/bench/peers.py "$shapes" --peers cublas \
    --json "$OUT/$set-peers.json"
done
sleep 1
kill "$smi"
python3 - "$OUT" <<'PY' | tee "$OUT/summary.txt"
import json, statistics, sys, datetime
d = sys.argv[1]
samples = []
for line in open(f"{d}/smi.csv"):
    f = [x.strip() for x in line.split(",")]
    try:
        t = datetime.datetime.strptime(f[0], "%Y/%m/%d %H:%M:%S.%f").timestamp()
        samples.append((t, float(f[1]), float(f[2]), float(f[3]), f[4]))
    except (ValueError, IndexError):
        pass
steps = {}
for line in open(f"{d}/steps.txt"):
    name, what, t = line.split()
    steps.setdefault(name, {})[what] = float(t)
print("step | busy samples (> 300 W) | SM MHz median (min) | W median (max) | C max | power-capped samples")
for name, s in steps.items():
    xs = [x for x in samples if s["start"] <= x[0] <= s["end"] and x[2] > 300]
    if not xs:
        print(f"{name} | 0"); continue
    mhz = [x[1] for x in xs]; w = [x[2] for x in xs]
    cap = sum(1 for x in xs if int(x[4], 16) & 0x4)
    print(f"{name} | {len(xs)} | {statistics.median(mhz):.0f} ({min(mhz):.0f}) | "
          f"{statistics.median(w):.0f} ({max(w):.0f}) | {max(x[3] for x in xs):.0f} | {cap}")
def rows(name):
    j = json.load(open(f"{d}/{name}.json"))
    return {(r["M"], r["N"], r["K"]): r for r in (j["rows"] if isinstance(j, dict) else j)}
for set in ("square", "m16384"):
    u, n, t = rows(f"{set}-uniform"), rows(f"{set}-normal"), rows(f"{set}-peers")
    print(f"\n{set}: M N K | uniform: generated, cuBLASLt | normal: generated, cuBLASLt | torch cuBLAS (normal) us")
    for k in u:
        c = [u[k]["generated"].get("us"), u[k]["cublaslt"].get("us"),
             n[k]["generated"].get("us"), n[k]["cublaslt"].get("us"), t[k]["cublas"].get("us")]
        print(" ".join(map(str, k)) + " | " + " | ".join(f"{x:.1f}" for x in c))
PY
tar -czf "$OUT/clock-probe.tar.gz" -C "$OUT" --exclude clock-probe.tar.gz .
