#!/usr/bin/env bash
# gemm-check (fp64 reference, output poisoned, every element checked) on
# the sweep bundles of out/sweep (or $SWEEP_DIR) whose tag matches a pattern, at M values
# that are no multiple of any tile: sweeps time only the M they were asked
# for, this covers the tails of a new schedule's configs.
#   scripts/bench/sweep-check.sh 'p$' "1,7,129,1000,3001,16385" [NxK ...]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
pattern=${1:?tag pattern}
ms=${2:?M list}
shift 2
OUT=${OUT:-out/sweep-check}
mkdir -p "$OUT"
check=build-rt/tools/gemm-check/gemm-check
status=0
for dir in "${SWEEP_DIR:-out/sweep}"/*/; do
  nk=$(basename "$dir")
  if [ $# -gt 0 ] && [[ " $* " != *" $nk "* ]]; then continue; fi
  for b in "$dir"*/; do
    tag=$(basename "$b")
    [[ $tag =~ $pattern ]] || continue
    if timeout 120 "$check" --bundle "$b" --policy generated --nk "$nk" --m-list "$ms" \
      >"$OUT/$nk-$tag.txt" 2>&1; then
      echo "$nk $tag: $(tail -1 "$OUT/$nk-$tag.txt")"
    else
      echo "$nk $tag: FAIL ($(tail -1 "$OUT/$nk-$tag.txt"))"
      status=1
    fi
  done
done
exit $status
