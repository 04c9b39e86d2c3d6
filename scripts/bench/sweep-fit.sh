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
#   scripts/bench/sweep-fit.sh compile-mc | run-mc | list-mc   # the
#                      multicast grid (below): out/sweep-mc{256,512}-*
# FIT_BUCKETS (default "256 512"; also 1024: M = 777 and 1024, the
# 513-1024 bucket, whose table rows came from grids of whole-number
# splits 1/2/4/8 only) picks the buckets. FIT_PREFIX (default sweep-fit,
# sweep-mc) names the sweep dirs, FIT_REDUCTION (default "cluster_push
# cluster") the split-K forms, and SWEEP_COMPILE_FLAGS reaches gemm-compile:
# the grids again with an option, beside the plain ones, e.g.
#   SWEEP_COMPILE_FLAGS=--vector-push FIT_PREFIX=sweep-fitv \
#     FIT_REDUCTION=cluster_push FIT_BUCKETS="256 1024" sweep-fit.sh compile
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. scripts/bench/sweep-lib.sh
nks="256x4096 512x4096 1024x4096 2048x4096 384x7168 512x7168 1024x7168 2048x7168"
# Per bucket: the M each config is timed at (the grid must fit at each),
# the tails of the odd shape, the M range.
bucket_ms() { case $1 in 256) echo 192,256 ;; 512) echo 300,512 ;; 1024) echo 777,1024 ;; esac; }
bucket_tails() { case $1 in 256) echo 129,192,255 ;; 512) echo 257,300,511 ;; 1024) echo 513,777,1023 ;; esac; }
bucket_range() { case $1 in 256) echo 129-256 ;; 512) echo 257-512 ;; 1024) echo 513-1024 ;; esac; }

# "N K block_m block_n split" lines of the grid for the M list $1; with
# $2 = mc, "N K block_m block_n split cluster_m cluster_n" lines of the
# multicast grid (below).
list() {
  python3 - "$1" "$nks" "${2:-}" <<'PY'
import math, sys
ms = [int(m) for m in sys.argv[1].split(",")]
mc = sys.argv[3] == "mc"
gpcs = [18] * 6 + [16, 8]
# Measured by cluster-occupancy.cu on the H100 (2026-12-07), for mc.
measured = {1: 132, 2: 66, 3: 39, 4: 30, 5: 22, 6: 17, 7: 15, 8: 15}
def resident(s):  # clusters of s CTAs (one CTA per SM: max stages)
    if mc:
        return measured[s]
    return 132 if s == 1 else sum(g // s for g in gpcs)
for nk in sys.argv[2].split():
    n, k = map(int, nk.split("x"))
    for bm in (64, 128):
        for cm, cn in ((2, 1), (1, 2), (2, 2)) if mc else ((1, 1),):
            for split in range(1, 9):
                size = cm * cn * split
                if size > 8:
                    continue
                fits = []
                for bn in range(32, 257, 8):
                    tn = math.ceil(math.ceil(n / bn) / cn) * cn
                    if tn * bn > 1.15 * n or bn % (8 * cm) or tn in [f[1] for f in fits]:
                        continue
                    ctas = [math.ceil(math.ceil(m / bm) / cm) * cm * tn * split for m in ms]
                    if max(ctas) > resident(size) * size or ctas[-1] < 0.7 * 132:
                        continue
                    fits.append((bn, tn))
                # 1x1: the two smallest tiles that fit (most CTAs); mc:
                # the smallest and the largest, the largest reading the
                # least from L2.
                for bn, _ in (fits[:2] if not mc else sorted({fits[0], fits[-1]}) if fits else []):
                    print(n, k, bm, bn, split, *((cm, cn) if mc else ()))
PY
}

# mc: the multicast grid (cluster_m / cluster_n 2: CTAs along M share the
# y tile, along N the x tile, each loading a slice), split-K inside the
# cluster, one wave by the measured resident clusters. Why: at M = 256 the
# 1x1 winners stream ~100 MB through L2 for 2048 x 4096 (x re-read per N
# tile, y per M tile) in ~14 us, near L2's ~8 TB/s; 128 x 144 tiles in
# clusters of 2 (M) x 4 (split), 120 CTAs, read half that.
mode=${1:-}
prefix=${FIT_PREFIX:-sweep-fit}
case $mode in
  compile-mc|run-mc|list-mc) prefix=${FIT_PREFIX:-sweep-mc}; mode=${mode%-mc}; mc=mc ;;
  *) mc= ;;
esac
reduction=${FIT_REDUCTION:-cluster_push cluster}
case $mode in
  list)
    list "${2:-192,256}" "$mc"
    ;;
  compile)
    for b in ${FIT_BUCKETS:-256 512}; do
      d=out/$prefix$b-$(bucket_ms "$b" | tr , -)
      rm -rf "$d"
      list "$(bucket_ms "$b")" "$mc" | while read -r n k bm bn split cm cn; do
        SWEEP_DIR=$d SWEEP_APPEND=1 SWEEP_BM=$bm SWEEP_BN=$bn SWEEP_BK=64 \
          SWEEP_SPLIT=$split SWEEP_REDUCTION="$reduction" \
          SWEEP_CM=${cm:-1} SWEEP_CN=${cn:-1} \
          scripts/bench/sweep-compile.sh "${n}x$k" "$(bucket_ms "$b")" \
          "$(bucket_range "$b")" > /dev/null
      done
      echo "$d: $(find "$d" -name manifest.json | wc -l) configs"
      # The odd shape (N = 200: a column tail in every block_n) through
      # block_n that are not powers of two, at split counts 1, 3 and 7
      # (mc: 1 and 3, in clusters of 2 along M and along N).
      if [ -z "$mc" ]; then
        SWEEP_BM="64 128" SWEEP_BN="40 72 104 152 208" SWEEP_BK=64 \
          SWEEP_SPLIT="1 3 7" SWEEP_REDUCTION="$reduction" \
          compile_odd $prefix$b "$(bucket_tails "$b")" "$(bucket_range "$b")"
      else
        SWEEP_BM="64 128" SWEEP_BN="48 80 144 176" SWEEP_BK=64 SWEEP_SPLIT="1 3" \
          SWEEP_REDUCTION="$reduction" SWEEP_CM="1 2" SWEEP_CN="1 2" \
          compile_odd $prefix$b "$(bucket_tails "$b")" "$(bucket_range "$b")"
      fi
    done
    [ -d out/bundles/dsv4 ] || scripts/compile-bundles.sh
    ;;
  run)
    OUT=${OUT:-out/$prefix-results}
    status=0
    for b in ${FIT_BUCKETS:-256 512}; do
      ms=$(bucket_ms "$b")
      OUT=$OUT/${prefix#sweep-}$b check_base_run $prefix$b "$(bucket_tails "$b")" "$ms" \
        "$nks" "$(echo "$ms" | tr , -)" || status=1
    done
    exit $status
    ;;
  *)
    sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
