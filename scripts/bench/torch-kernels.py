#!/usr/bin/env python3
"""Which cuBLAS kernel does torch run for each shape? Prints the CUDA kernel
names torch.mm(x, y.t(), out_dtype=float32) launches (torch.profiler), the
call peers.py times: the names carry cuBLAS's tile shape, cluster and
schedule, which tells what our generated kernels are up against.
    python3 scripts/bench/torch-kernels.py shapes/square.json
"""
import json
import sys

import torch
from torch.profiler import ProfilerActivity, profile


def shapes_of(spec):
    if 'shapes' in spec:
        return [tuple(s) for s in spec['shapes']]
    return [(m, n, k) for (n, k) in spec['nk'] for m in spec['m']]


def main():
    for (M, N, K) in shapes_of(json.load(open(sys.argv[1]))):
        x = torch.randn(M, K, device='cuda', dtype=torch.bfloat16)
        y = torch.randn(N, K, device='cuda', dtype=torch.bfloat16) / K ** 0.5
        torch.mm(x, y.t(), out_dtype=torch.float32)
        torch.cuda.synchronize()
        with profile(activities=[ProfilerActivity.CUDA]) as prof:
            torch.mm(x, y.t(), out_dtype=torch.float32)
            torch.cuda.synchronize()
        names = sorted({e.name for e in prof.events() if e.device_type == torch.autograd.DeviceType.CUDA})
        print(f"{M}x{N}x{K}: " + " ; ".join(names), flush=True)


if __name__ == '__main__':
    main()
