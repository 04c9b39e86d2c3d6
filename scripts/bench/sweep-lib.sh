# shellcheck shell=bash
# Shared by the sweep scripts (sourced, not run).
#
# The odd shape every sweep checks its configs on before it times them:
# N = 200 (a column tail in every block_n) and K = 4104 (65 k-steps of 64,
# which no split count divides evenly). compile_odd builds the configs of
# the grid in the SWEEP_* variables for it into out/PREFIX-odd, for the
# tail M list given, in one M bucket.
#   SWEEP_BM=... compile_odd PREFIX TAIL_MS BUCKET
compile_odd() {
  SWEEP_DIR=out/$1-odd scripts/bench/sweep-compile.sh 200x4104 "$2" "$3"
}

# The GPU run of sweep dirs out/PREFIX-*: the odd-shape configs of
# out/PREFIX-odd checked at tail M first (every element against fp64,
# output poisoned), then the shipped kernels and cuBLASLt at the same M
# (bench-base.sh), then each dir out/PREFIX-S timed into $OUT/PREFIX-S.csv
# (best three per shape: $OUT/best-PREFIX-S.txt).
#   check_base_run PREFIX TAIL_MS BASE_MS "NxK ..." S...
check_base_run() {
  local prefix=$1 tails=$2 base_ms=$3 base_nks=$4 s status=0
  shift 4
  mkdir -p "$OUT"
  SWEEP_DIR=out/$prefix-odd OUT=$OUT/check-odd scripts/bench/sweep-check.sh '.' \
    "$tails" > "$OUT/check-odd.log" || status=1
  # shellcheck disable=SC2086
  scripts/bench/bench-base.sh "$OUT" "$base_ms" $base_nks || status=1
  for s in "$@"; do
    SWEEP_DIR=out/$prefix-$s OUT=$OUT/s$s scripts/bench/sweep-run.sh \
      > "$OUT/best-$prefix-$s.txt" 2>&1 || status=1
    mv "$OUT/s$s/sweep.csv" "$OUT/$prefix-$s.csv"
  done
  return $status
}
