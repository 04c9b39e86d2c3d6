#!/usr/bin/env python3
"""Ratios of one gpu-bench run, per M range, against torch cuBLAS (peers.py)
and gemmrt's cuBLASLt, as the perf issues state their goals.

  scripts/bench/summarize.py out/bench      # a gpu-bench.sh $OUT folder

Each ratio is the other's time / ours (above 1: ours is faster), as a
geometric mean (min, max) over the shapes of the M range. "vs torch cuBLAS"
sets gemm-bench's generated time against peers.py's, two processes run at
different times; "same process" takes both times from peers-*.json alone
(peers.py's peers cublas and gemmgen, timed in blocks A B B A), so the
GPU's clock state cannot favour either. It is in the main runs' tables only:
a variant run (dsv4-pdl) times other launches than peers.py did.

"ceiling" is the speedup over torch cuBLAS that a kernel would reach if it
took exactly the floor (gemm-bench's floor_us: bytes at the card's HBM
rate or flops at peak) plus the launch floor, LAUNCH_US (0.89 us: an
empty one-CTA kernel replayed in a graph, scripts/bench/launch-floor.cu).
No kernel launched this way can beat it, so a goal above it is out of
reach for that M range.
"""
import json
import math
import os
import sys

LAUNCH_US = float(os.environ.get("LAUNCH_US", "0.89"))

def geo(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def main(d):
    # dsv4-pdl: the same kernels launched with programmatic dependent launch
    # (GEMMRT_PDL=1), against the same run's peers.
    for run in ("dsv4", "dsv4-pdl", "square"):
        shapes = run.split("-")[0]
        main_run = run == shapes
        ours = {}
        path = os.path.join(d, f"gemm-bench-{run}.json")
        if os.path.exists(path):
            ours = {(r["M"], r["N"], r["K"]): r for r in json.load(open(path))["rows"]}
        peers = {}
        ppath = os.path.join(d, f"peers-{shapes}.json")
        if os.path.exists(ppath):
            peers = {(r["M"], r["N"], r["K"]): r for r in json.load(open(ppath))}
        same_process = main_run and any("us" in r.get("gemmgen", {}) for r in peers.values())
        if not ours and not same_process:
            continue
        ranges = [("1-64", 1, 64), ("256-1024", 256, 1024), ("1024-16384", 1024, 16384)]
        if shapes == "square":
            ranges = [("all", 1, 1 << 40)]
        print(f"## {run}")
        head = ["M range", "vs torch cuBLAS: geomean (min, max)", "vs cuBLASLt: geomean (min, max)",
                "within 2x floor + 1.5 us"]
        if main_run:
            head.append("same process: gemmgen vs torch cuBLAS (peers.py)")
            head.append(f"ceiling: torch cuBLAS / (floor + {LAUNCH_US} us)")
        print("| " + " | ".join(head) + " |")
        print("|" + " --- |" * len(head))
        for name, lo, hi in ranges:
            vt, vl, vs, vc, fl = [], [], [], [], 0
            n = 0
            for key, r in sorted(ours.items()):
                if not (lo <= key[0] <= hi) or "us" not in r.get("generated", {}):
                    continue
                n += 1
                g = r["generated"]["us"]
                if "us" in r.get("cublaslt", {}):
                    vl.append(r["cublaslt"]["us"] / g)
                p = peers.get(key, {}).get("cublas", {})
                if "us" in p:
                    vt.append(p["us"] / g)
                    vc.append(p["us"] / (r["floor_us"] + LAUNCH_US))
                if g <= 2 * r["floor_us"] + 1.5:
                    fl += 1
            # Both times from one peers.py process, independent of gemm-bench's rows.
            for key, r in sorted(peers.items()):
                c, g = r.get("cublas", {}), r.get("gemmgen", {})
                if lo <= key[0] <= hi and "us" in c and "us" in g:
                    vs.append(c["us"] / g["us"])
            fmt = lambda v: f"{geo(v):.2f}x ({min(v):.2f}, {max(v):.2f})" if v else "-"
            cells = [name, fmt(vt), fmt(vl), f"{fl} of {n}"] + ([fmt(vs), fmt(vc)] if main_run else [])
            print("| " + " | ".join(cells) + " |")
        print()

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "out/bench")
