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
reach for that M range. FLOOR_EFF (default 1) is the fraction of the
floor's rate a kernel is granted (the floor becomes floor / FLOOR_EFF):
streaming reads reach about 90-95% of the HBM rate, so a goal between the
ceilings at 1 and at 0.9 asks for a kernel at the edge of what the card
delivers.

READ_CSV (scripts/bench/hbm-read.cu's output: MiB,us,...) adds "read
ceiling": torch cuBLAS / the measured time of a kernel that only reads the
weight (N x K bf16, cold L2, launch included), for the rows with M <= 64
whose weight size the CSV holds (above, x and the FLOPs matter). That is
what a decode kernel could reach if computing and storing cost nothing.
"""
import json
import math
import os
import sys

LAUNCH_US = float(os.environ.get("LAUNCH_US", "0.89"))
FLOOR_EFF = float(os.environ.get("FLOOR_EFF", "1"))


def read_times(path):
    """Weight MiB -> measured read time (us), from hbm-read's CSV."""
    times = {}
    for line in open(path) if path else []:
        cells = line.strip().split(",")
        try:
            times[round(float(cells[0]), 4)] = float(cells[1])
        except (ValueError, IndexError):
            continue  # the header and comment lines
    return times


READ = read_times(os.environ.get("READ_CSV", ""))

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
            floor = "floor" if FLOOR_EFF == 1 else f"floor / {FLOOR_EFF:g}"
            head.append(f"ceiling: torch cuBLAS / ({floor} + {LAUNCH_US} us)")
            if READ:
                head.append("read ceiling: torch cuBLAS / measured weight read")
        print("| " + " | ".join(head) + " |")
        print("|" + " --- |" * len(head))
        for name, lo, hi in ranges:
            vt, vl, vs, vc, vr, fl = [], [], [], [], [], 0
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
                    vc.append(p["us"] / (r["floor_us"] / FLOOR_EFF + LAUNCH_US))
                    read = READ.get(round(key[1] * key[2] * 2 / 1048576, 4))
                    if read and key[0] <= 64:
                        vr.append(p["us"] / read)
                if g <= 2 * r["floor_us"] + 1.5:
                    fl += 1
            # Both times from one peers.py process, independent of gemm-bench's rows.
            for key, r in sorted(peers.items()):
                c, g = r.get("cublas", {}), r.get("gemmgen", {})
                if lo <= key[0] <= hi and "us" in c and "us" in g:
                    vs.append(c["us"] / g["us"])
            fmt = lambda v: f"{geo(v):.2f}x ({min(v):.2f}, {max(v):.2f})" if v else "-"
            cells = [name, fmt(vt), fmt(vl), f"{fl} of {n}"] + ([fmt(vs), fmt(vc)] if main_run else [])
            if main_run and READ:
                cells.append(fmt(vr))
            print("| " + " | ".join(cells) + " |")
        print()

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "out/bench")
