#!/usr/bin/env python3
"""Turns a gemm-bench --json result of a bundle into sweep CSV rows.

    bench-to-csv.py BENCH_JSON BUNDLE_DIR > base.csv

One line per row the generated backend served (nk,config,M,us,relerr, as
scripts/bench/sweep-run.sh writes), the config being the #gemm.config text
of the variant that ran, read from BUNDLE_DIR/manifest.json. So a shipped
bundle timed in the same run as a sweep competes with the sweep's configs
in scripts/bench/tuned-configs.py. Rows that cuBLASLt served, that failed,
or whose variant the manifest lacks are left out (the last is an error:
the JSON is not of this bundle).
"""
import csv
import json
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    bench = json.load(open(sys.argv[1]))
    manifest = json.load(open(f"{sys.argv[2]}/manifest.json"))
    configs = {v["name"]: v["config"]["text"] for v in manifest["variants"]}
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["nk", "config", "M", "us", "relerr"])
    for r in bench["rows"]:
        g = r.get("generated") or {}
        if g.get("served") != "generated" or "us" not in g:
            continue
        variant = g.get("variant")
        if variant not in configs:
            sys.exit(f"error: variant '{variant}' (M={r['M']} N={r['N']} "
                     f"K={r['K']}) is not in {sys.argv[2]}/manifest.json")
        out.writerow([f"{r['N']}x{r['K']}", configs[variant], r["M"],
                      g["us"], g.get("relerr", "")])


if __name__ == "__main__":
    main()
