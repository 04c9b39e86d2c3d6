#!/usr/bin/env bash
# Nsight Compute on the generated decode kernels (M = 1): where the time of
# a call goes when the weight stream is short. One plain launch per kernel
# (gemm-check), profiled with the sections that say how busy DRAM was and
# what the warps waited on.
#   OUT=out/profile scripts/bench/profile-decode.sh [NxK ...]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
OUT=${OUT:-out/profile}
mkdir -p "$OUT"
export PATH="/usr/local/cuda/bin:$PATH"
nks=${*:-256x4096 2048x7168}
for nk in $nks; do
  ncu --kernel-name regex:^gemm_ --launch-skip 1 --launch-count 1 \
    --section SpeedOfLight --section MemoryWorkloadAnalysis \
    --section WarpStateStats --section LaunchStats --section Occupancy \
    build-rt/tools/gemm-check/gemm-check --bundle out/bundles/dsv4 \
    --policy generated --nk "$nk" --m-list 1,1,1 >"$OUT/ncu-$nk.txt" 2>&1
  echo "$nk: exit $?"
done
