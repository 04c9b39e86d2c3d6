#!/usr/bin/env bash
# Times every bundle of out/sweep (or $SWEEP_DIR; scripts/bench/sweep-compile.sh) with
# gemm-bench (generated backend, each result checked against fp64) and
# writes one line per (config, M) to $OUT/sweep.csv.
# Per (N, K), one gemm-bench process times all its configs (--sweep: one
# CUDA context, one fp64 reference per shape). Where that run did not
# finish (a kernel broke the context) or could not start, the configs it
# left without a time run one process each, as SWEEP_IN_PROCESS=0 runs
# them all.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
OUT=${OUT:-out/sweep-results}
mkdir -p "$OUT"
# SWEEP_BENCH: another gemm-bench (the tests' stand-in).
bench=${SWEEP_BENCH:-build-rt/tools/gemm-bench/gemm-bench}
echo "nk,config,M,us,relerr" > "$OUT/sweep.csv"
# CSV lines (nk,tag,M,us,relerr-or-error) of a gemm-bench JSON; with a
# shapes.json and tags after it, instead the tags to run again: those
# without a time in some row (or some row missing) when the run did not
# finish, or all of them when there is no JSON.
rows() {
  python3 - "$@" <<'PY'
import csv, json, sys
path, nk = sys.argv[1], sys.argv[2]
left = len(sys.argv) > 3
tags = sys.argv[4:] if left else []  # argv[3]: shapes.json
try:
    d = json.load(open(path))
except (OSError, ValueError):
    if left:
        print(*tags)
    sys.exit(0)
meta = {"M", "N", "K", "floor_us", "sets", "calls"}
if left:
    if d.get("complete", False):
        sys.exit(0)
    # An unfinished run may have stopped before the last shapes: a config
    # counts as timed only with a time in every row of a full set.
    shapes = json.load(open(sys.argv[3]))
    full = len(d["rows"]) == len(shapes["nk"]) * len(shapes["m"])
    timed = {t for t in tags if full and
             all("us" in r.get(t, {}) for r in d["rows"])}
    print(*[t for t in tags if t not in timed])
    sys.exit(0)
out = csv.writer(sys.stdout, lineterminator="\n")
for r in d["rows"]:
    for tag, g in r.items():
        if tag not in meta:
            out.writerow([nk, tag, r["M"], g.get("us", ""), g.get("relerr", g.get("error", ""))])
PY
}
for dir in "${SWEEP_DIR:-out/sweep}"/*/; do
  nk=$(basename "$dir")
  tags=$(cd "$dir" && for b in */; do [ -f "$b/manifest.json" ] && echo "${b%/}"; done)
  left=$tags
  if [ "${SWEEP_IN_PROCESS:-1}" = 1 ]; then
    rm -f "$OUT/tmp.json"
    "$bench" "$dir/shapes.json" --sweep "$dir" --replays 15 --json "$OUT/tmp.json" \
      > "$OUT/sweep-$nk.log" 2>&1
    # shellcheck disable=SC2086
    left=$(rows "$OUT/tmp.json" "$nk" "$dir/shapes.json" $tags)
    # A finished run's rows are all kept; an unfinished one's only for the
    # configs it timed (the others run again below).
    rows "$OUT/tmp.json" "$nk" | python3 -c '
import csv, sys
left = set(sys.argv[1].split())
out = csv.writer(sys.stdout, lineterminator="\n")
for row in csv.reader(sys.stdin):
    if row[1] not in left:
        out.writerow(row)' "$left" >> "$OUT/sweep.csv"
  fi
  for tag in $left; do
    b=$dir$tag/
    rm -f "$OUT/tmp.json"
    "$bench" "$dir/shapes.json" --bundle "$b" --backends generated --replays 15 \
      --json "$OUT/tmp.json" > /dev/null 2>&1
    python3 - "$OUT/tmp.json" "$nk" "$tag" >> "$OUT/sweep.csv" <<'PY'
import csv, json, sys
try:
    d = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    sys.exit(0)
out = csv.writer(sys.stdout, lineterminator="\n")
for r in d["rows"]:
    g = r.get("generated", {})
    out.writerow([sys.argv[2], sys.argv[3], r["M"], g.get("us", ""), g.get("relerr", g.get("error", ""))])
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
