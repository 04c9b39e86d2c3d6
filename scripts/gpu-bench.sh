#!/usr/bin/env bash
# Timing on a GPU machine: gemmrt's generated kernels beside its cuBLASLt
# backend (gemm-bench), then torch cuBLAS and Triton (peers.py) on the same
# shapes in the same run, then charts and a table (scripts/bench/plot.py).
# Every figure is per call: a CUDA graph of calls cycling through inputs
# larger than 2x L2, warmed up, then the median of 15 replays (peers.py:
# 16, in blocks A B B A); each backend's result is checked against fp64
# before it is timed.
#
#   scripts/gpu-bench.sh [--tune]
#
# --tune: gemm-bench also writes out/bundles/dsv4/tuning.json (per N, K and
# M bucket: generated only where it was at least as fast as cuBLASLt at
# every measured M) and a copy into $OUT.
# Whenever out/bundles/dsv4/tuning.json exists, the runtime's `auto` policy
# (the tuned choice) is timed too: $OUT/gemm-bench-dsv4-auto.json.
#
# Our kernels beside torch's cuBLAS in one process: peers.py also times
# gemmgen.linear_bf16_fp32 (python/gemmgen over build-rt/libgemmrt.so, peer
# `gemmgen`, always policy generated) with GEMMGEN_BUNDLES=out/bundles/dsv4
# for shapes/dsv4.json and the square bundle below for shapes/square.json,
# interleaved with the other peers in blocks A B B A. gemm-bench's figures
# come from another process at another time, and under the H100's power cap
# the clock depends on what ran just before, which biases a ratio across
# processes. Where the package cannot load the library or the bundle, a
# warning says so and the peers run without it.
#
# Expects out/bundles/dsv4 (scripts/compile-bundles.sh, beforehand) and
# build-rt/ (built here when gemm-bench is missing). Writes into $OUT
# (default out/bench): bench.log, gemm-bench-{dsv4,dsv4-pdl,square}.{json,csv},
# peers-{dsv4,square}.json, speedup.png, tflops.png, floor.png,
# perf-table.md, hbm-read.csv (and tuning.json). Extra gemm-bench options: BENCH_ARGS
# (e.g. BENCH_ARGS="--replays 30"); peers: PEERS (default cublas,triton;
# gemmgen is added as above). DSV4_EXTRA_M (default 128,512) adds token
# counts to shapes/dsv4.json's M list for this run ($OUT/shapes-dsv4.json,
# used by every dsv4 timing): M = 512 lies in the 256-1024 range that
# shapes/dsv4.json samples only at its ends, and 128 and 512 are buckets
# (65-128, 257-512) of their own; DSV4_EXTRA_M= times the file's M only.
# scripts/bench/summarize.py $OUT gives the ratios per M range
# (READ_CSV=$OUT/hbm-read.csv adds the read ceiling).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
OUT=${OUT:-out/bench}
BENCH_ARGS=${BENCH_ARGS:-}
# Peers to time beside ours (peers.py --peers); Triton's autotuning takes
# minutes over all shapes.
PEERS=${PEERS:-cublas,triton}
tune=0
for a in "$@"; do
  case "$a" in
    --tune) tune=1 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: scripts/gpu-bench.sh [--tune]" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT" || exit 1
export PATH="/usr/local/cuda/bin:$PATH"

find_bench() {
  local p
  for p in build-rt/tools/gemm-bench/gemm-bench build-rt/tools/gemm-bench build-rt/bin/gemm-bench; do
    if [ -f "$p" ] && [ -x "$p" ]; then echo "$p"; return 0; fi
  done
  return 1
}

# Whether peers.py can run the peer gemmgen with bundle $1: loads the library
# and the bundle as it will (no GPU or torch needed); says why not on stderr.
gemmgen_runs() {
  PYTHONPATH="$top/python" python3 -c '
import sys
try:
    import gemmgen
    gemmgen.Runtime(sys.argv[1:], policy="generated").close()
except Exception as e:
    sys.exit(f"{type(e).__name__}: {e}")' "$1"
}

main() {
  echo "# gpu-bench on $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -1), $(date -u +%FT%TZ)"
  nvidia-smi --query-gpu=clocks.max.sm,clocks.max.mem,power.limit,persistence_mode --format=csv
  echo "# commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"

  [ -f out/bundles/dsv4/manifest.json ] ||
    { echo "error: out/bundles/dsv4/manifest.json is missing (scripts/compile-bundles.sh)" >&2; return 1; }
  local bench
  if ! bench=$(find_bench); then
    echo "== building the runtime and gemm-bench (build-rt/)"
    cmake -S runtime -B build-rt -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=/usr/bin/g++ >/dev/null &&
      cmake --build build-rt || return 1
    bench=$(find_bench) || { echo "error: the build made no gemm-bench under build-rt/" >&2; return 1; }
  fi

  local status=0 tune_args=() square_bundle=out/bundles/dsv4 dsv4=$OUT/shapes-dsv4.json
  python3 - shapes/dsv4.json "${DSV4_EXTRA_M-128,512}" "$dsv4" <<'PY' || return 1
import json, sys
src, extra, dst = sys.argv[1:4]
d = json.load(open(src))
d["m"] = sorted(set(d["m"]) | {int(m) for m in extra.split(",") if m.strip()})
json.dump(d, open(dst, "w"), indent=1)
PY
  [ "$tune" -eq 1 ] && tune_args=(--tune)
  [ -f out/bundles/square/manifest.json ] && square_bundle=out/bundles/square

  echo
  echo "## gemm-bench: $dsv4, bundle out/bundles/dsv4 ${tune_args[*]}"
  # shellcheck disable=SC2086
  "$bench" "$dsv4" --bundle out/bundles/dsv4 --backends generated,cublaslt "${tune_args[@]}" \
    --json "$OUT/gemm-bench-dsv4.json" --csv "$OUT/gemm-bench-dsv4.csv" $BENCH_ARGS || status=1
  echo
  echo "## gemm-bench: $dsv4, generated, GEMMRT_PDL=1 (programmatic dependent launch)"
  # What PDL buys: the same kernels, each launch allowed to start while the
  # previous one finishes.
  # shellcheck disable=SC2086
  GEMMRT_PDL=1 "$bench" "$dsv4" --bundle out/bundles/dsv4 --backends generated \
    --json "$OUT/gemm-bench-dsv4-pdl.json" --csv "$OUT/gemm-bench-dsv4-pdl.csv" $BENCH_ARGS || status=1
  if [ "$tune" -eq 1 ] && [ -f out/bundles/dsv4/tuning.json ]; then
    cp out/bundles/dsv4/tuning.json "$OUT/tuning.json" || status=1
  fi
  if [ -f out/bundles/dsv4/tuning.json ]; then
    echo
    echo "## gemm-bench: $dsv4, policy auto (out/bundles/dsv4/tuning.json)"
    # cuBLASLt again in the same pass: auto is judged against it side by side.
    # shellcheck disable=SC2086
    "$bench" "$dsv4" --bundle out/bundles/dsv4 --backends auto,cublaslt \
      --json "$OUT/gemm-bench-dsv4-auto.json" --csv "$OUT/gemm-bench-dsv4-auto.csv" $BENCH_ARGS || status=1
  fi

  if [ -f out/bundles/dsv4-invariant/manifest.json ]; then
    echo
    echo "## gemm-bench: $dsv4, policy batch_invariant (out/bundles/dsv4-invariant: one kernel per N, K)"
    # What batch invariance costs: beside cuBLASLt in the same pass.
    # shellcheck disable=SC2086
    "$bench" "$dsv4" --bundle out/bundles/dsv4-invariant --backends batch_invariant,cublaslt \
      --json "$OUT/gemm-bench-dsv4-invariant.json" --csv "$OUT/gemm-bench-dsv4-invariant.csv" $BENCH_ARGS || status=1
  fi

  echo
  echo "## gemm-bench: shapes/square.json, bundle $square_bundle"
  # shellcheck disable=SC2086
  "$bench" shapes/square.json --bundle "$square_bundle" --backends generated,cublaslt \
    --json "$OUT/gemm-bench-square.json" --csv "$OUT/gemm-bench-square.csv" $BENCH_ARGS || status=1

  # The repo's peers.py: the shared one plus the same warm-up as gemm-bench,
  # and our kernels as the peer `gemmgen` where the package can run them.
  local peers=scripts/bench/peers.py hbm
  # The floor of the card gemm-bench measured (an H100's where it did not run).
  hbm=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("hbm_tbps", 3.35))' \
    "$OUT/gemm-bench-dsv4.json" 2>/dev/null) || hbm=3.35
  if python3 -c 'import torch, triton' 2>/dev/null; then
    for s in dsv4 square; do
      local bundle=out/bundles/dsv4 list=$PEERS err shapes=$dsv4
      [ "$s" = square ] && { bundle=$square_bundle; shapes=shapes/square.json; }
      case ",$PEERS," in
        *,gemmgen,*) ;;
        *)
          if err=$(gemmgen_runs "$bundle" 2>&1); then
            list="$PEERS,gemmgen"
          else
            echo "warning: python/gemmgen cannot run bundle $bundle, so peers.py runs without gemmgen:" >&2
            printf '%s\n' "$err" | sed 's/^/  /' >&2
          fi ;;
      esac
      echo
      echo "## peers ($peers): $shapes, --peers $list, GEMMGEN_BUNDLES=$bundle"
      GEMMGEN_BUNDLES=$bundle python3 "$peers" "$shapes" --peers "$list" --json "$OUT/peers-$s.json" \
        --hbm-tbps "$hbm" || status=1
    done
  else
    echo "warning: python3 cannot import torch and triton: no peer timings (the charts use cuBLASLt)" >&2
  fi

  echo
  echo "## the weight read alone (scripts/bench/hbm-read.cu): the fastest a decode kernel can be"
  # Per dsv4 weight size, a kernel that only reads it, timed like the GEMMs;
  # summarize.py's "read ceiling" with READ_CSV=$OUT/hbm-read.csv.
  if nvcc -arch=sm_90a -O2 -o "$OUT/hbm-read" scripts/bench/hbm-read.cu; then
    "$OUT/hbm-read" | tee "$OUT/hbm-read.csv" || status=1
    rm -f "$OUT/hbm-read"
  else
    status=1
  fi

  echo
  echo "## charts and table"
  python3 scripts/bench/plot.py "$OUT" || status=1
  if [ -f "$OUT/perf-table.md" ]; then
    echo
    cat "$OUT/perf-table.md"
  fi
  echo
  echo "gpu-bench: $([ $status -eq 0 ] && echo OK || echo 'FAILED (see above)'); results in $OUT"
  return $status
}

main 2>&1 | tee "$OUT/bench.log"
exit "${PIPESTATUS[0]}"
