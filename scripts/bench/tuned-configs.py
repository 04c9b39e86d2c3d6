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
rows with M in LO-HI from those CSVs (measured on DEVICE) and drops every
row read before it there (the positional CSVs' and earlier overrides');
each measurement names its device. --remeasure LO-HI:DEVICE:CSV[,CSV...]
does the same only for the (N, K) its CSVs hold in LO-HI: some shapes
measured again on another card, without mixing two cards in one bucket.
Both apply in the order given. --extend TABLE starts from the positional
CSVs and overrides recorded in TABLE (a table this script wrote), read
again, and applies the flags given after them: how the checked-in table
grows by one sweep and stays reproducible from its own record.
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
                     r"(?:kg(\d+))?(?:r(\d+))?(sw|simt)?(p([mg])?)?(t)?", tag)
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
    extra += ", epilogue = tma_store" if g.group(14) else ""
    return (f"#gemm.config<block_m = {bm}, block_n = {bn}, block_k = {bk}, "
            f"stages = {stages}, schedule = {sched}, split_k = {split}, "
            f"reduction = {red}, cluster_m = {cm}, cluster_n = {cn}, raster = {raster}{extra}>")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", nargs="*")
    ap.add_argument("--extend", metavar="TABLE")
    ap.add_argument("--chip", default="sm_90a")
    ap.add_argument("--device", required=True)
    ap.add_argument("--date", required=True)
    # One list for both flags keeps the order they were given in.
    ap.add_argument("--override", dest="overrides", action="append", default=[],
                    type=lambda s: ("override", s), metavar="LO-HI:DEVICE:CSV[,CSV...]")
    ap.add_argument("--remeasure", dest="overrides", action="append",
                    type=lambda s: ("remeasure", s), metavar="LO-HI:DEVICE:CSV[,CSV...]")
    args = ap.parse_intermixed_args()
    overrides = []
    if args.extend:
        old = json.load(open(args.extend))
        args.csv = old["sources"] + args.csv
        overrides = old["overrides"]
    if not args.csv:
        ap.error("no CSV given (positional or through --extend)")
    for flag, spec in args.overrides:
        try:
            span, device, paths = spec.split(":", 2)
            lo, hi = (int(x) for x in span.split("-"))
        except ValueError:
            sys.exit(f"error: --{flag} '{spec}' is not LO-HI:DEVICE:CSV[,CSV...]")
        o = {"m": [lo, hi], "device": device, "sources": paths.split(",")}
        if flag == "remeasure":
            o["only_nk_held"] = True
        overrides.append(o)

    def read(path, device, lo=None, hi=None):
        """The checked rows of one CSV (with M in lo-hi when given), and
        every (N, K) it holds there, checked or not."""
        out, nks = [], set()
        for r in csv.DictReader(open(path)):
            m = int(r["M"])
            if lo is not None and not lo <= m <= hi:
                continue
            n, k = (int(x) for x in r["nk"].split("x"))
            nks.add((n, k))
            try:
                us, err = float(r["us"]), float(r["relerr"])
            except ValueError:
                continue
            if not err <= 2e-5:
                continue
            out.append({"n": n, "k": k, "m": m,
                        "config": config_text(r["config"]), "us": us,
                        "device": device})
        return out, nks

    rows = []
    for path in args.csv:
        rows += read(path, args.device)[0]
    for o in overrides:
        lo, hi = o["m"]
        new, nks = [], set()
        for path in o["sources"]:
            got, held = read(path, o["device"], lo, hi)
            new += got
            nks |= held
        rows = [r for r in rows
                if not (lo <= r["m"] <= hi and
                        (not o.get("only_nk_held") or (r["n"], r["k"]) in nks))] + new
    rows.sort(key=lambda r: (r["n"], r["k"], r["m"], r["us"]))
    json.dump({"schema_version": 1, "chip": args.chip, "device": args.device,
               "date": args.date, "sources": args.csv,
               "overrides": overrides, "measurements": rows},
              sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
