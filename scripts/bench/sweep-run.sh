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
# A gemm-bench JSON (argv: JSON NK MODE ...). MODE rows: its CSV lines
# (nk,tag,M,us,relerr-or-error), leaving out the tags given after MODE.
# MODE as=TAG: the lines of a one-bundle run, its "generated" cells named
# TAG. MODE left=SHAPES: of the tags given, those to run again: all when
# there is no JSON; when the run did not finish, those without a time in
# some row or with a row missing.
json_rows() {
  python3 - "$@" <<'PY'
import csv, json, sys
path, nk, mode, tags = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
try:
    d = json.load(open(path))
except (OSError, ValueError):
    if mode.startswith("left="):
        print(*tags)
    sys.exit(0)
if mode.startswith("left="):
    if d.get("complete", False):
        sys.exit(0)
    shapes = json.load(open(mode[len("left="):]))
    full = len(d["rows"]) == len(shapes["nk"]) * len(shapes["m"])
    print(*[t for t in tags if not full or
            not all("us" in r.get(t, {}) for r in d["rows"])])
    sys.exit(0)
meta = {"M", "N", "K", "floor_us", "sets", "calls"}
out = csv.writer(sys.stdout, lineterminator="\n")
for r in d["rows"]:
    for key, g in r.items():
        if mode.startswith("as="):
            tag = mode[len("as="):] if key == "generated" else None
        else:
            tag = key if key not in meta and key not in tags else None
        if tag:
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
    left=$(json_rows "$OUT/tmp.json" "$nk" "left=$dir/shapes.json" $tags)
    # A finished run's rows are all kept; an unfinished one's only for the
    # configs it timed (the others run again below).
    # shellcheck disable=SC2086
    json_rows "$OUT/tmp.json" "$nk" rows $left >> "$OUT/sweep.csv"
  fi
  for tag in $left; do
    rm -f "$OUT/tmp.json"
    "$bench" "$dir/shapes.json" --bundle "$dir$tag/" --backends generated --replays 15 \
      --json "$OUT/tmp.json" > /dev/null 2>&1
    json_rows "$OUT/tmp.json" "$nk" "as=$tag" >> "$OUT/sweep.csv"
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
