#!/usr/bin/env bash
# Nsight Compute on our kernel and on torch's cuBLAS kernel for the same
# shapes, at the clock ncu locks (its default --clock-control base): at
# equal clocks, is a gap in the bench the kernel's work per clock, or the
# clock the power cap leaves it? Ours runs through gemm-check (one plain
# launch of the bundle's variant, the second of three), torch's through
# torch.mm. Per shape: duration, SM / tensor / memory throughput.
#   OUT=out/profile scripts/bench/profile-vs-cublas.sh [MxNxK ...]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
OUT=${OUT:-out/profile}
mkdir -p "$OUT"
export PATH="/usr/local/cuda/bin:$PATH"
shapes=${*:-16384x2048x7168 1024x384x7168}
sections=(--section SpeedOfLight --section ComputeWorkloadAnalysis --section MemoryWorkloadAnalysis)
for s in $shapes; do
  m=${s%%x*} nk=${s#*x}
  ncu --kernel-name regex:^gemm_ --launch-skip 1 --launch-count 1 "${sections[@]}" \
    build-rt/tools/gemm-check/gemm-check --bundle out/bundles/dsv4 \
    --policy generated --nk "$nk" --m-list "$m,$m,$m" >"$OUT/ncu-ours-$s.txt" 2>&1
  echo "$s ours: exit $?"
  ncu --kernel-name regex:nvjet --launch-skip 1 --launch-count 1 "${sections[@]}" \
    python3 -c "
import torch
m, n, k = map(int, '$s'.split('x'))
x = torch.randn(m, k, device='cuda', dtype=torch.bfloat16)
y = torch.randn(n, k, device='cuda', dtype=torch.bfloat16) / k ** 0.5
for _ in range(3):
    torch.mm(x, y.t(), out_dtype=torch.float32)
torch.cuda.synchronize()
" >"$OUT/ncu-torch-$s.txt" 2>&1
  echo "$s torch: exit $?"
done
for f in "$OUT"/ncu-*.txt; do
  echo "== $(basename "$f")"
  grep -E "^  [a-z_]+.*\(|Duration|SM Frequency|Compute \(SM\) Throughput|Memory Throughput|DRAM Throughput|L2 Cache Throughput|L1/TEX Cache Throughput|Executed Ipc Active|Issue Slots Busy|SM Busy" "$f" | head -14
done
