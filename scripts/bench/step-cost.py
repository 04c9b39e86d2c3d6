#!/usr/bin/env python3
"""Splits measured kernel times into a fixed part and a part per k-step,
per tile shape: over the one-wave grids of the tuned table's measurements
(every CTA resident at once, so a CTA's k-steps are the critical path),
a least-squares line us = fixed + per_step * k_steps for each (block_m,
block_n, reduction) of the warp_specialized schedule without multicast
or k-groups, block_k 64.

  scripts/bench/step-cost.py [docs/perf/data/tuned-configs.json]
      [--device "NVIDIA H100 80GB HBM3"] [--m 256,512,1024] [--min-points 8]

fixed holds launch, barrier set-up, the pipeline fill, the split-K
reduction and the epilogue; per_step the steady state of one 64-deep
k-step of the tile. Resident clusters per size are those measured on an
H100 by scripts/bench/cluster-occupancy.cu (2026-12-07).
"""
import argparse
import collections
import json
import math
import re

RESIDENT = {1: 132, 2: 66, 3: 39, 4: 30, 5: 22, 6: 17, 7: 15, 8: 15}


def fields(text):
    return dict(re.findall(r"(\w+) = (\w+)", text))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("table", nargs="?", default="docs/perf/data/tuned-configs.json")
    ap.add_argument("--device", default="NVIDIA H100 80GB HBM3")
    ap.add_argument("--m", default="256,512,1024")
    ap.add_argument("--min-points", type=int, default=8)
    args = ap.parse_args()
    ms = {int(m) for m in args.m.split(",")}
    points = collections.defaultdict(list)
    for e in json.load(open(args.table))["measurements"]:
        if e["device"] != args.device or e["m"] not in ms:
            continue
        f = fields(e["config"])
        if (f["schedule"] != "warp_specialized" or f["cluster_m"] != "1" or
                f["cluster_n"] != "1" or f.get("k_groups", "1") != "1" or f["block_k"] != "64"):
            continue
        bm, bn, split = int(f["block_m"]), int(f["block_n"]), int(f["split_k"])
        tiles = math.ceil(e["m"] / bm) * math.ceil(e["n"] / bn)
        if split > 8 or tiles > RESIDENT[split]:
            continue
        steps = math.ceil(math.ceil(e["k"] / 64) / split)
        points[(bm, bn, f["reduction"])].append((steps, e["us"]))
    print("block_m block_n reduction points fixed_us per_step_ns r2")
    for key in sorted(points):
        p = points[key]
        xs, ys = [x for x, _ in p], [y for _, y in p]
        if len(p) < args.min_points or len(set(xs)) < 2:
            continue
        mx, my = sum(xs) / len(p), sum(ys) / len(p)
        sxx = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in p) / sxx
        fixed = my - slope * mx
        sst = sum((y - my) ** 2 for y in ys)
        sse = sum((y - fixed - slope * x) ** 2 for x, y in p)
        r2 = 1 - sse / sst if sst else float("nan")
        print(*key, len(p), f"{fixed:.2f}", f"{slope * 1000:.0f}", f"{r2:.2f}")


if __name__ == "__main__":
    main()
