#!/usr/bin/env python3
"""Ratios of one gpu-bench run, per M range, against torch cuBLAS (peers.py)
and gemmrt's cuBLASLt, as the perf issues state their goals.

  scripts/bench/summarize.py out/bench      # a gpu-bench.sh $OUT folder
"""
import json
import math
import os
import sys


def geo(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def main(d):
    # dsv4-pdl: the same kernels launched with programmatic dependent launch
    # (GEMMRT_PDL=1), against the same run's peers.
    for run in ("dsv4", "dsv4-pdl", "square"):
        shapes = run.split("-")[0]
        path = os.path.join(d, f"gemm-bench-{run}.json")
        if not os.path.exists(path):
            continue
        ours = {(r["M"], r["N"], r["K"]): r for r in json.load(open(path))["rows"]}
        peers = {}
        ppath = os.path.join(d, f"peers-{shapes}.json")
        if os.path.exists(ppath):
            peers = {(r["M"], r["N"], r["K"]): r for r in json.load(open(ppath))}
        ranges = [("1-64", 1, 64), ("256-1024", 256, 1024), ("1024-16384", 1024, 16384)]
        if shapes == "square":
            ranges = [("all", 1, 1 << 40)]
        print(f"## {run}")
        print("| M range | vs torch cuBLAS: geomean (min, max) | vs cuBLASLt: geomean (min, max) | within 2x floor + 1.5 us |")
        print("| --- | --- | --- | --- |")
        for name, lo, hi in ranges:
            vt, vl, fl = [], [], 0
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
                if g <= 2 * r["floor_us"] + 1.5:
                    fl += 1
            fmt = lambda v: f"{geo(v):.2f}x ({min(v):.2f}, {max(v):.2f})" if v else "-"
            print(f"| {name} | {fmt(vt)} | {fmt(vl)} | {fl} of {n} |")
        print()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "out/bench")
