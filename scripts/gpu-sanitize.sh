#!/usr/bin/env bash
# Every generated kernel variant under compute-sanitizer: memcheck (with
# padded row strides, so out-of-bounds stores past column N or past the last
# row are caught), racecheck (shared and distributed shared memory hazards)
# and synccheck (barrier and mbarrier misuse), by default on the dsv4 and odd bundles.
#
#   scripts/gpu-sanitize.sh [memcheck] [racecheck] [synccheck]   (default: all)
#
# One gemm-check process per (tool, N x K) runs one M per bucket (tails
# included) so every variant of the bundle launches under the tool; only the
# generated kernels (names starting gemm_) are instrumented, the fp64
# reference kernels of gemm-check are not. The three tools run concurrently.
# Writes $OUT/sanitize/<tool>-<bundle>-<NxK>.{log,csv} and a per-variant
# table $OUT/sanitize/summary.md; exits non-zero if any tool reported an
# error, any gemm-check case failed, or a variant never launched.
#
# SANITIZE_NK=384x7168,2048x7168 limits the run (and the table) to those
# N x K, for a re-run after only their variants changed; the summary says so.
# SANITIZE_M=1,7,64 replaces the M list, so only the variants of the buckets
# holding those M run (and are tabled), e.g. after only the 1-64 buckets
# changed.
# SANITIZE_BUNDLES="square" picks the bundles of out/bundles (default
# "dsv4 odd"); the square bundle serves M >= 1025 only, so give it
# SANITIZE_M=1025,3001 (every M of the list must have a variant).
#
# SANITIZE_ROOT (default out/bundles) takes the bundles from another
# compile-bundles.sh directory, e.g. out/tmastore-bundles, and
# SANITIZE_LDC_PAD sets memcheck's padded ldc (gemm-check --ldc-pad; 4
# for kernels that store out through TMA).
# Needs build-rt/ (scripts/setup.sh) and out/bundles/ (compile-bundles.sh).
set -uo pipefail
only_nk=${SANITIZE_NK:-}
bundles=${SANITIZE_BUNDLES:-dsv4 odd}
root=${SANITIZE_ROOT:-out/bundles}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
OUT=${OUT:-$top/out/gpu}
dir="$OUT/sanitize"
mkdir -p "$dir"
export PATH="/usr/local/cuda/bin:$PATH"

tools=("$@")
[ ${#tools[@]} -eq 0 ] && tools=(memcheck racecheck synccheck)
for t in "${tools[@]}"; do
  case "$t" in
  memcheck | racecheck | synccheck) ;;
  *) echo "usage: $0 [memcheck] [racecheck] [synccheck]" >&2; exit 2 ;;
  esac
done

sanitizer=$(command -v compute-sanitizer || true)
if [ -z "$sanitizer" ]; then
  echo "error: compute-sanitizer not found (it ships with the CUDA toolkit)" >&2
  exit 1
fi
check=build-rt/tools/gemm-check/gemm-check
[ -x "$check" ] || { echo "error: $check is missing (scripts/setup.sh)" >&2; exit 1; }
for b in $bundles; do
  [ -f "$root/$b/manifest.json" ] || { echo "error: $root/$b is missing (scripts/compile-bundles.sh)" >&2; exit 1; }
done

# Only our kernels: their names start with gemm_ (docs/bundle.md). Failed
# driver calls are not reported here: the runtime checks every result itself
# (a failure fails gemm-check), and it probes each kernel's parameter count
# with cuFuncGetParamInfo(count), which fails by design (CUDA has no
# parameter-count query), so the sanitizer would count one error per load.
filter=(--kernel-name kns=gemm_ --report-api-errors no)
"$sanitizer" --version | tail -1 >"$dir/version.txt"

# One M per default bucket (1-1, 2-8, 9-16, 17-32, 33-64, 65-128, 129-256,
# 257-512, 513-1024, 1025-2048, 2049-4096, 4097-8192, 8193-), mostly not a
# multiple of a tile, plus M = 1 and a bucket's top.
m_list=${SANITIZE_M:-1,7,13,25,64,100,129,300,1000,2000,3000,4097,8200}

run_tool() { # <tool>
  local tool=$1 rc=0 extra=()
  case $tool in
  memcheck) extra=(--padded ${SANITIZE_LDC_PAD:+--ldc-pad "$SANITIZE_LDC_PAD"}) ;;
  racecheck) extra=() ;;
  synccheck) extra=() ;;
  esac
  local bundle nk
  for bundle in $bundles; do
    for nk in $(python3 -c "import json
seen=[]
for v in json.load(open('$root/$bundle/manifest.json'))['variants']:
  nk=f\"{v['n']}x{v['k']}\"
  if nk not in seen: seen.append(nk)
print(' '.join(seen))"); do
      if [ -n "$only_nk" ] && [[ ",$only_nk," != *",$nk,"* ]]; then continue; fi
      local base="$dir/$tool-$bundle-$nk"
      timeout 900 "$sanitizer" --tool "$tool" "${filter[@]}" --error-exitcode 99 \
        --print-limit 50 --log-file "$base.log" \
        "$check" --bundle "$root/$bundle" --policy generated --nk "$nk" \
        --m-list "$m_list" "${extra[@]}" --csv "$base.csv" >"$base.out" 2>&1
      local r=$?
      echo "$tool $bundle $nk: exit $r" >>"$dir/exit-codes.txt"
      [ $r -eq 0 ] || rc=1
    done
  done
  return $rc
}

: >"$dir/exit-codes.txt"
pids=()
for t in "${tools[@]}"; do
  run_tool "$t" &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do
  wait "$p" || status=1
done

SANITIZE_NK=$only_nk SANITIZE_M=${SANITIZE_M:-} SANITIZE_BUNDLES=$bundles SANITIZE_ROOT=$root \
  python3 - "$dir" "${tools[@]}" <<'EOF' || status=1
import csv, glob, json, os, re, sys
d, tools = sys.argv[1], sys.argv[2:]
only = [x for x in os.environ.get("SANITIZE_NK", "").split(",") if x]
ms = [int(x) for x in os.environ.get("SANITIZE_M", "").split(",") if x]
variants = []
for b in os.environ["SANITIZE_BUNDLES"].split():
    for v in json.load(open(f"{os.environ['SANITIZE_ROOT']}/{b}/manifest.json"))["variants"]:
        if only and f"{v['n']}x{v['k']}" not in only:
            continue
        if ms and not any(v["m_min"] <= m <= v["m_max"] for m in ms):
            continue
        variants.append((b, v))
ok = True
rows = []
for b, v in variants:
    nk = f"{v['n']}x{v['k']}"
    row = [b, v["name"], v["config"]["text"].replace("#gemm.config<", "").rstrip(">")]
    for t in tools:
        base = f"{d}/{t}-{b}-{nk}"
        launched = failed = 0
        if os.path.exists(base + ".csv"):
            for r in csv.DictReader(open(base + ".csv")):
                if re.search(r"(^|[^\w])" + re.escape(v["name"]) + r"($|[^\w])", r.get("choice", "")):
                    launched += 1
                    failed += r.get("pass") != "PASS"
        log = open(base + ".log").read() if os.path.exists(base + ".log") else ""
        m = re.search(r"(?:ERROR SUMMARY: |\((?=\d+ errors))(\d+) error", log)
        errors = int(m.group(1)) if m else -1
        named = log.count(v["kernel"] + "+") + log.count(v["kernel"] + "(")
        cell = f"{launched} runs, {errors if errors >= 0 else '?'} err"
        if named:
            cell += f" ({named} naming it)"
        if launched == 0 or errors != 0 or failed:
            ok = False
            cell = "**" + cell + "**"
        row.append(cell)
    rows.append(row)
with open(f"{d}/summary.md", "w") as f:
    f.write("| bundle | variant | config | " + " | ".join(tools) + " |\n")
    f.write("|" + " --- |" * (3 + len(tools)) + "\n")
    for r in rows:
        f.write("| " + " | ".join(r) + " |\n")
if only:
    with open(f"{d}/summary.md", "a") as f:
        f.write(f"\nOnly N x K in SANITIZE_NK={','.join(only)}.\n")
if ms:
    with open(f"{d}/summary.md", "a") as f:
        f.write(f"\nOnly the buckets holding SANITIZE_M={','.join(map(str, ms))}.\n")
print(open(f"{d}/summary.md").read())
print("per-process error counts are for all variants of one N x K; a cell is bold when "
      "the variant never launched, its process reported errors, or a check failed")
sys.exit(0 if ok else 1)
EOF

echo "gpu-sanitize: $([ $status -eq 0 ] && echo PASS || echo FAIL) ($(cat "$dir/version.txt"))"
exit $status
