#!/usr/bin/env python3
"""Splits measured kernel times into a fixed part and a part per k-step,
per tile shape: over the one-wave grids of the tuned table's measurements
(every CTA resident at once, so a CTA's k-steps are the critical path),
a least-squares line us = fixed + per_step * k_steps for each (block_m,
block_n, reduction) of the warp_specialized schedule without multicast
or k-groups, block_k 64.

  scripts/bench/step-cost.py [docs/perf/data/tuned-configs.json]
      [--device "NVIDIA H100 80GB HBM3"] [--m 256,512,1024] [--min-points 8]
      [--project GEMM_BENCH_JSON PEERS_JSON [--push-scale 1,0.5,0]]

fixed holds launch, barrier set-up, the pipeline fill, the split-K
reduction and the epilogue; per_step the steady state of one 64-deep
k-step of the tile. Resident clusters per size are those measured on an
H100 by scripts/bench/cluster-occupancy.cu (2026-12-07).

--project asks what a cheaper split-K reduction could buy: for every
shape of a gpu-bench run (gemm-bench JSON, peers.py JSON of the same run)
with 256 <= M <= 1024, the least time the lines give over the fitted tile
shapes and split 1-8 (waves of resident clusters), the push's extra fixed
cost scaled by each --push-scale (1: as measured; 0: free), against the
run's torch cuBLAS and our measured time. Scale 1 next to the measured
time shows how far the lines are from the kernels; the last line applies
each shape's projected change, lines(scale) / lines(1), to its measured
time.
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
    ap.add_argument("--project", nargs=2, metavar=("GEMM_BENCH_JSON", "PEERS_JSON"))
    ap.add_argument("--push-scale", default="1,0.5,0")
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
    lines = {}
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
        lines[key] = (fixed, slope)
    if args.project:
        project(lines, *args.project, [float(v) for v in args.push_scale.split(",")])


def project(lines, bench_json, peers_json, scales):
    """Least time over the fitted lines per shape, the push's extra fixed
    cost scaled; geometric means against torch cuBLAS."""
    def times(path, rows_of, backend):
        try:
            rows = rows_of(json.load(open(path)))
            return {(r["M"], r["N"], r["K"]): r[backend]["us"]
                    for r in rows if backend in r}
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise SystemExit(f"error: {path}: not a run with '{backend}' times ({e!r})")
    ours = times(bench_json, lambda d: d["rows"], "generated")
    torch = times(peers_json, lambda d: d, "cublas")
    shapes = sorted(k for k in ours if 256 <= k[0] <= 1024 and k in torch)
    tiles_with = {(bm, bn) for bm, bn, red in lines if red == "none"}
    tiles_with &= {(bm, bn) for bm, bn, red in lines if red == "cluster_push"}
    if not shapes or not tiles_with:
        raise SystemExit("error: --project needs shapes with 256 <= M <= 1024 in both runs"
                         " and a tile with both a split-1 and a cluster_push line")

    def best(m, n, k, scale):
        cands = []
        for bm, bn in sorted(tiles_with):
            plain, push = lines[(bm, bn, "none")], lines[(bm, bn, "cluster_push")]
            tiles = math.ceil(m / bm) * math.ceil(n / bn)
            for split in range(1, 9):
                steps = math.ceil(math.ceil(k / 64) / split)
                waves = math.ceil(tiles / RESIDENT[split])
                if split == 1:
                    fixed, per_step = plain
                else:
                    fixed = plain[0] + scale * (push[0] - plain[0])
                    per_step = push[1]
                cands.append((fixed + waves * steps * per_step, bm, bn, split))
        return min(cands)

    print()
    print("M N K ours_us torch_us " +
          " ".join(f"lines_us@{s:g}" for s in scales) + " best_at_last_scale")
    ratios = collections.defaultdict(list)
    for m, n, k in shapes:
        row = [best(m, n, k, s) for s in scales]
        reference = best(m, n, k, 1.0)[0]
        ratios["ours"].append(torch[(m, n, k)] / ours[(m, n, k)])
        for s, b in zip(scales, row):
            ratios[s].append(torch[(m, n, k)] / b[0])
            # The same change applied to the measured kernel: its time
            # times lines(scale) / lines(1).
            ratios[("scaled", s)].append(
                torch[(m, n, k)] / (ours[(m, n, k)] * b[0] / reference))
        print(m, n, k, f"{ours[(m, n, k)]:.2f}", f"{torch[(m, n, k)]:.2f}",
              *(f"{b[0]:.2f}" for b in row), "%dx%d split %d" % row[-1][1:])

    def geo(v):
        return math.exp(sum(map(math.log, v)) / len(v))
    print(f"torch cuBLAS / time, geometric mean over {len(shapes)} shapes:"
          f" measured {geo(ratios['ours']):.3f}; lines " +
          ", ".join(f"push x{s:g} {geo(ratios[s]):.3f}" for s in scales))
    print("measured x lines(scale) / lines(1): " +
          ", ".join(f"push x{s:g} {geo(ratios[('scaled', s)]):.3f}" for s in scales))


if __name__ == "__main__":
    main()
