#!/usr/bin/env bash
# Grids that fit in one wave, for the M = 129-256 and 257-512 buckets. The
# 2026-12-07 sweeps lost at M = 256 where split-K grids of 128 CTAs in
# clusters of 4 or 8 ran in two waves (an H100 keeps 30 clusters of 4 and
# 15 of 8 resident), and only block_n 32/64/128/256 had been timed. Here
# block_n is any multiple of 8 from 32 to 256 (wgmma's n; the TMA box
# up to 256 rows), chosen per (N, block_m, split) so that the grid at
# every timed M is one wave of resident clusters and covers >= 70% of the
# SMs, with at most 15% of the tile's columns past N; at most two block_n
# (two tile counts) per (block_m, split). Resident clusters of size s are
# modeled from GPCs of 18 x 6, 16 and 8 SMs (which gives the 66, 30, 15
# and 7 clusters of 2, 4, 8 and 16 measured by cluster-occupancy.cu; its
# later run measured 39 of 3 and 17 of 6 where the model says 43 and 21,
# and 22 of 5 and 15 of 7 as modeled: a few split 3 and 6 grids of this
# sweep run in two waves; the model is kept so the sweep rebuilds as run).
#   scripts/bench/sweep-fit.sh compile   # here: out/sweep-fit{256,512}-*
#   scripts/bench/sweep-fit.sh run       # GPU machine: $OUT/*.csv, *.log
#   scripts/bench/sweep-fit.sh list 192,256   # the grid, one config a line
# FIT_BUCKETS (default "256 512") picks the buckets.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. scripts/bench/sweep-lib.sh
nks="256x4096 512x4096 1024x4096 2048x4096 384x7168 512x7168 1024x7168 2048x7168"
# Per bucket: the M each config is timed at (the grid must fit at each),
# the tails of the odd shape, the M range.
bucket_ms() { case $1 in 256) echo 192,256 ;; 512) echo 300,512 ;; esac; }
bucket_tails() { case $1 in 256) echo 129,192,255 ;; 512) echo 257,300,511 ;; esac; }
bucket_range() { case $1 in 256) echo 129-256 ;; 512) echo 257-512 ;; esac; }

# "N K block_m block_n split" lines of the grid for the M list $1.
list() {
  python3 - "$1" "$nks" <<'PY'
import math, sys
ms = [int(m) for m in sys.argv[1].split(",")]
gpcs = [18] * 6 + [16, 8]
def resident(s):  # clusters of s CTAs (one CTA per SM: max stages)
    return 132 if s == 1 else sum(g // s for g in gpcs)
for nk in sys.argv[2].split():
    n, k = map(int, nk.split("x"))
    for bm in (64, 128):
        for split in range(1, 9):
            counts = []
            for bn in range(32, 257, 8):
                tn = math.ceil(n / bn)
                if tn * bn > 1.15 * n or tn in counts:
                    continue
                ctas = [math.ceil(m / bm) * tn * split for m in ms]
                if max(ctas) > resident(split) * split or ctas[-1] < 0.7 * 132:
                    continue
                counts.append(tn)
                if len(counts) <= 2:
                    print(n, k, bm, bn, split)
PY
}

case ${1:-} in
  list)
    list "${2:-192,256}"
    ;;
  compile)
    for b in ${FIT_BUCKETS:-256 512}; do
      d=out/sweep-fit$b-$(bucket_ms "$b" | tr , -)
      rm -rf "$d"
      list "$(bucket_ms "$b")" | while read -r n k bm bn split; do
        SWEEP_DIR=$d SWEEP_APPEND=1 SWEEP_BM=$bm SWEEP_BN=$bn SWEEP_BK=64 \
          SWEEP_SPLIT=$split SWEEP_REDUCTION="cluster_push cluster" \
          scripts/bench/sweep-compile.sh "${n}x$k" "$(bucket_ms "$b")" \
          "$(bucket_range "$b")" > /dev/null
      done
      echo "$d: $(find "$d" -name manifest.json | wc -l) configs"
      # The odd shape (N = 200: a column tail in every block_n) through
      # block_n that are not powers of two, at split counts 1, 3 and 7.
      SWEEP_BM="64 128" SWEEP_BN="40 72 104 152 208" SWEEP_BK=64 \
        SWEEP_SPLIT="1 3 7" SWEEP_REDUCTION="cluster_push cluster" \
        compile_odd sweep-fit$b "$(bucket_tails "$b")" "$(bucket_range "$b")"
    done
    [ -d out/bundles/dsv4 ] || scripts/compile-bundles.sh
    ;;
  run)
    OUT=${OUT:-out/sweep-fit-results}
    status=0
    for b in ${FIT_BUCKETS:-256 512}; do
      ms=$(bucket_ms "$b")
      OUT=$OUT/fit$b check_base_run sweep-fit$b "$(bucket_tails "$b")" "$ms" \
        "$nks" "$(echo "$ms" | tr , -)" || status=1
    done
    exit $status
    ;;
  *)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
