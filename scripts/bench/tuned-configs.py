#!/usr/bin/env python3
"""Writes the tuned-configs table that gemm-compile --tuned-configs reads
from config sweeps (scripts/bench/sweep-run.sh CSVs: nk,config,M,us,relerr).

  scripts/bench/tuned-configs.py --device "NVIDIA H100 80GB HBM3" \\
      --date 2026-11-28 docs/perf/data/2026-11-28/sweep-*.csv \\
      > docs/perf/data/tuned-configs.json

Every measurement goes in (gemm-compile picks per M bucket); rows whose
check failed (relerr above 2e-5 or missing) are left out. The config tags
of sweep-compile.sh (m128n256k64s4x1c2cn2; push after the split: the
cluster_push reduction; p: persistent, pm and pg: its along_m and grouped
rasters; kg2: two k-groups; sw: swap_ab; sweep-simt.sh's r2: two rows
per warp, simt: the simt schedule) become #gemm.config text; a
config column that already is #gemm.config text is kept.

gemm-compile compares the times of one M bucket with each other, so they
must come from one card. --override LO-HI:DEVICE:CSV[,CSV...] takes the
rows with M in LO-HI from those CSVs (measured on DEVICE) and drops the
positional CSVs' rows there; each measurement names its device.
"""
import argparse
import csv
import json
import re
import sys


def config_text(tag):
    if tag.startswith("#gemm.config<"):
        return tag
    # The order of sweep-compile.sh's suffixes.
    g = re.fullmatch(r"m(\d+)n(\d+)k(\d+)s(\d+)x(\d+)(push)?(?:c(\d+))?(?:cn(\d+))?"
                     r"(?:kg(\d+))?(?:r(\d+))?(sw|simt)?(p([mg])?)?", tag)
    if not g:
        sys.exit(f"error: config tag '{tag}' is not of sweep-compile.sh's form")
    bm, bn, bk, stages, split = (int(x) for x in g.groups()[:5])
    cm = int(g.group(7) or 1)
    cn = int(g.group(8) or 1)
    red = ("cluster_push" if g.group(6) else "cluster") if split > 1 else "none"
    sched = ("persistent" if g.group(12) else
             {"sw": "swap_ab", "simt": "simt", None: "warp_specialized"}[g.group(11)])
    raster = {None: "along_n", "m": "along_m", "g": "grouped"}[g.group(13)]
    # k_groups = 1 and warp_rows = 1 are the defaults: gemm-opt prints them
    # only when not 1.
    kg = int(g.group(9) or 1)
    rows = int(g.group(10) or 1)
    extra = f", k_groups = {kg}" if kg != 1 else ""
    extra += f", warp_rows = {rows}" if rows != 1 else ""
    return (f"#gemm.config<block_m = {bm}, block_n = {bn}, block_k = {bk}, "
            f"stages = {stages}, schedule = {sched}, split_k = {split}, "
            f"reduction = {red}, cluster_m = {cm}, cluster_n = {cn}, raster = {raster}{extra}>")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", nargs="+")
    ap.add_argument("--chip", default="sm_90a")
    ap.add_argument("--device", required=True)
    ap.add_argument("--date", required=True)
    ap.add_argument("--override", action="append", default=[],
                    metavar="LO-HI:DEVICE:CSV[,CSV...]")
    args = ap.parse_args()
    overrides = []
    for spec in args.override:
        try:
            span, device, paths = spec.split(":", 2)
            lo, hi = (int(x) for x in span.split("-"))
        except ValueError:
            sys.exit(f"error: --override '{spec}' is not LO-HI:DEVICE:CSV[,CSV...]")
        overrides.append({"m": [lo, hi], "device": device,
                          "sources": paths.split(",")})

    def overridden(m):
        return any(o["m"][0] <= m <= o["m"][1] for o in overrides)

    rows = []

    def read(path, device, keep):
        for r in csv.DictReader(open(path)):
            try:
                us, err = float(r["us"]), float(r["relerr"])
            except ValueError:
                continue
            m = int(r["M"])
            if not err <= 2e-5 or not keep(m):
                continue
            n, k = (int(x) for x in r["nk"].split("x"))
            rows.append({"n": n, "k": k, "m": m,
                         "config": config_text(r["config"]), "us": us,
                         "device": device})

    for path in args.csv:
        read(path, args.device, lambda m: not overridden(m))
    for o in overrides:
        lo, hi = o["m"]
        for path in o["sources"]:
            read(path, o["device"], lambda m, lo=lo, hi=hi: lo <= m <= hi)
    rows.sort(key=lambda r: (r["n"], r["k"], r["m"], r["us"]))
    json.dump({"schema_version": 1, "chip": args.chip, "device": args.device,
               "date": args.date, "sources": args.csv,
               "overrides": overrides, "measurements": rows},
              sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
