#!/usr/bin/env bash
# Compiles one bundle per (N, K, tile configuration) for a tuning sweep:
# out/sweep/<n>x<k>/<config-tag>/ plus out/sweep/<n>x<k>/shapes.json
# (SWEEP_DIR instead of out/sweep: several sweeps side by side).
# scripts/bench/sweep-run.sh times them all on the GPU machine. The sweep
# is how the analytic model of gemm-select-config is checked and adjusted.
#   scripts/bench/sweep-compile.sh "384x7168 2048x4096" "1,16,64" 1-64
# The grid: SWEEP_BM (default 64), SWEEP_BN (32 64 128), SWEEP_BK (64 128),
# SWEEP_SPLIT (1 2 4 8) with SWEEP_REDUCTION (cluster; cluster_push: the
# partials pushed into a buffer beside the ring, tag suffix push after the
# split), SWEEP_CM (cluster_m, 1), SWEEP_CN (cluster_n,
# 1) and SWEEP_STAGES (max: as many as one CTA's shared memory holds, up
# to SWEEP_MAX_STAGES, default 8; half: as many as let two CTAs share an
# SM; or a number) and
# SWEEP_SCHEDULE (warp_specialized; persistent: only without split-K and
# with at most 2 CTAs per cluster, tag suffix p; swap_ab: the weight's
# rows on wgmma's 64-row side, block_n 64 or 128, block_m the tokens (8 to
# 256, a multiple of 8), no multicast cluster, tag suffix sw) with SWEEP_RASTER
# (along_n; along_m and grouped, tag suffixes pm and pg: persistent only);
# SWEEP_KGROUPS (1; 2: two consumer warpgroups on alternate k-steps, tag
# suffix kg2, only with block_m 64 and even stages; not persistent);
# SWEEP_EPILOGUE (direct; tma_store: the tile stored through shared memory
# by TMA, tag suffix t, only split 1 without k-groups, block_n a multiple
# of 32, not swap_ab; persistent keeps 16 KiB per consumer warpgroup past
# the ring: fewer stages may fit);
# with split-K, split x cluster_m x cluster_n at most 8 (one cluster holds
# every split rank's multicast group). Tags: m128n256k64s4x1
# (block_m, block_n, block_k, stages, split), then c2 (cluster_m), cn2
# (cluster_n).
# An N x K may carry its own M list: "4096x4096@4096 8192x8192@8192".
# SWEEP_COMPILE_FLAGS adds gemm-compile flags (e.g. --shift-tail-tiles);
# SWEEP_TAG_SUFFIX ends every tag (e.g. v for --vector-push), so that
# bundles built with and without a flag can share a sweep dir and one
# timing run (fit-model.py and tuned-configs.py reject such tags: an option
# the table cannot express does not enter it).
# Large M, with and without the y multicast:
#   SWEEP_BM=128 SWEEP_BN="128 192 256" SWEEP_BK=64 SWEEP_SPLIT=1 \
#   SWEEP_CM="1 2" scripts/bench/sweep-compile.sh "2048x7168" "1100,4096" 1025-
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
nks=${1:-"256x4096 384x7168 1024x7168 2048x4096"}
ms=${2:-"1,16,64"}
bucket=${3:-1-64}
sweep=${SWEEP_DIR:-out/sweep}
# SWEEP_APPEND=1 adds to an existing sweep dir (a second grid beside the first).
[ "${SWEEP_APPEND:-0}" = 1 ] || rm -rf "$sweep"
mkdir -p "$sweep"
for spec in $nks; do
  nk=${spec%@*}; nk_ms=$ms
  [ "$spec" != "$nk" ] && nk_ms=${spec#*@}
  n=${nk%x*}; k=${nk#*x}
  mkdir -p "$sweep/$nk"
  echo "{\"nk\": [[$n, $k]], \"m\": [$nk_ms]}" > "$sweep/$nk/shapes.json"
  for bm in ${SWEEP_BM:-64}; do
    for bn in ${SWEEP_BN:-32 64 128}; do
      for bk in ${SWEEP_BK:-64 128}; do
        stage=$(( (bm + bn) * bk * 2 ))
        for st in ${SWEEP_STAGES:-max}; do
        case $st in
          # 232448: one CTA's opt-in limit; 116736: half an SM's 228 KiB
          # less the 1 KiB the hardware reserves per CTA. 1 KiB of each
          # goes to ring alignment, 16 bytes per stage to its barriers.
          max) limit=$(( 232448 - 1024 )) ;;
          half) limit=$(( 116736 - 1024 - 1024 )) ;;
          *) limit=$(( 232448 - 1024 )) ;;
        esac
        case $st in
          max|half) stages=$(( limit / (stage + 16) )) ;;
          *) stages=$st ;;
        esac
        [ $stages -gt "${SWEEP_MAX_STAGES:-8}" ] && stages=${SWEEP_MAX_STAGES:-8}
        [ $stages -lt 2 ] && continue
        for split in ${SWEEP_SPLIT:-1 2 4 8}; do
          [ $(( 4 * bm * bn )) -gt $(( stages * stage )) ] && [ $split -gt 1 ] && continue
          reds=${SWEEP_REDUCTION:-cluster}
          for red in $reds; do
          # Split 1 has no reduction: one config, whichever reductions are listed.
          [ $split -eq 1 ] && { [ $red = "${reds%% *}" ] || continue; red=none; }
          for cm in ${SWEEP_CM:-1}; do
          for cn in ${SWEEP_CN:-1}; do
          for sched in ${SWEEP_SCHEDULE:-warp_specialized}; do
          # The wgmma fragment: rows (64 per consumer warpgroup) and n;
          # swap_ab puts the weight's block_n rows on the 64-row side.
          rows=$bm; width=$bn
          if [ $sched = swap_ab ]; then
            rows=$bn; width=$bm
            [ $(( cm * cn )) -gt 1 ] && continue
            [ $bn -ne 64 ] && [ $bn -ne 128 ] && continue
          elif [ $bm -ne 64 ] && [ $bm -ne 128 ]; then
            continue
          fi
          st_red=$stages
          if [ $red = cluster_push ]; then
            # The push buffer comes on top of the ring: fewer stages fit.
            push=$(( split * ((width / 4 + split - 1) / split) * 2 * (rows / 64) * 128 * 4 ))
            fit=$(( (limit - push) / (stage + 16) ))
            [ $fit -lt $st_red ] && st_red=$fit
            [ $st_red -lt 2 ] && continue
          fi
          for raster in ${SWEEP_RASTER:-along_n}; do
          for kg in ${SWEEP_KGROUPS:-1}; do
          for ep in ${SWEEP_EPILOGUE:-direct}; do
            # One cluster holds every split rank's multicast group.
            [ $(( cm * cn * split )) -gt 8 ] && continue
            st_kg=$st_red
            if [ $kg -gt 1 ]; then
              { [ $bm -ne 64 ] || [ $sched != warp_specialized ]; } && continue
              st_kg=$(( stages / kg * kg ))
            fi
            [ $raster != along_n ] && [ $sched != persistent ] && continue
            ep_text=""
            if [ $ep = tma_store ]; then
              { [ $split -gt 1 ] || [ $kg -gt 1 ] || [ $sched = swap_ab ] ||
                [ $(( bn % 32 )) -ne 0 ]; } && continue
              ep_text=", epilogue = tma_store"
              if [ $sched = persistent ]; then
                # Two 8 KiB staging chunks per consumer warpgroup.
                fit=$(( (limit - bm / 64 * 16384) / (stage + 16) ))
                [ $fit -lt $st_kg ] && st_kg=$fit
                [ $st_kg -lt 2 ] && continue
              fi
            fi
            tag=m${bm}n${bn}k${bk}s${st_kg}x${split}
            [ $red = cluster_push ] && tag=${tag}push
            [ $cm -gt 1 ] && tag=${tag}c${cm}
            [ $cn -gt 1 ] && tag=${tag}cn${cn}
            [ $kg -gt 1 ] && tag=${tag}kg${kg}
            [ $sched = swap_ab ] && tag=${tag}sw
            if [ $sched = persistent ]; then
              [ $split -gt 1 ] || [ $(( cm * cn )) -gt 2 ] && continue
              tag=${tag}p
              [ $raster = along_m ] && tag=${tag}m
              [ $raster = grouped ] && tag=${tag}g
            fi
            [ $ep = tma_store ] && tag=${tag}t
            tag=${tag}${SWEEP_TAG_SUFFIX:-}
            [ -d "$sweep/$nk/$tag" ] && continue # max and half may agree
            cfg="#gemm.config<block_m = $bm, block_n = $bn, block_k = $bk, stages = $st_kg, schedule = $sched, split_k = $split, reduction = $red, cluster_m = $cm, cluster_n = $cn, raster = $raster, k_groups = $kg$ep_text>"
            # shellcheck disable=SC2086
            build/bin/gemm-compile --nk $nk --m-buckets $bucket --config "$cfg" --quiet \
              ${SWEEP_COMPILE_FLAGS:-} -o "$sweep/$nk/$tag" ||
              echo "sweep-compile: $nk $tag did not compile (left out)" >&2
          done
          done
          done
          done
          done
          done
          done
        done
        done
      done
    done
  done
done
find "$sweep" -name manifest.json | wc -l
