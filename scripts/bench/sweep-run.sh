#!/usr/bin/env bash
# Times every bundle of out/sweep (or $SWEEP_DIR; scripts/bench/sweep-compile.sh) with
# gemm-bench (generated backend, each result checked against fp64) and
# writes one line per (config, M) to $OUT/sweep.csv.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
OUT=${OUT:-out/sweep-results}
mkdir -p "$OUT"
bench=build-rt/tools/gemm-bench/gemm-bench
echo "nk,config,M,us,relerr" > "$OUT/sweep.csv"
for dir in "${SWEEP_DIR:-out/sweep}"/*/; do
  nk=$(basename "$dir")
  for b in "$dir"*/; do
    tag=$(basename "$b")
    "$bench" "$dir/shapes.json" --bundle "$b" --backends generated --replays 15 \
      --json "$OUT/tmp.json" > /dev/null 2>&1
    python3 - "$OUT/tmp.json" "$nk" "$tag" >> "$OUT/sweep.csv" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["rows"]:
    g = r.get("generated", {})
    print(f'{sys.argv[2]},{sys.argv[3]},{r["M"]},{g.get("us", "")},{g.get("relerr", g.get("error", ""))}')
PY
  done
done
rm -f "$OUT/tmp.json"
python3 - "$OUT/sweep.csv" <<'PY'
import csv, sys, collections
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["us"]]
best = collections.defaultdict(list)
for r in rows:
    best[(r["nk"], int(r["M"]))].append((float(r["us"]), r["config"]))
for key in sorted(best):
    top = sorted(best[key])[:3]
    print(key, " | ".join(f"{c} {u:.2f}us" for u, c in top))
PY
