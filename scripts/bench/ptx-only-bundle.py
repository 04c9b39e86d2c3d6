#!/usr/bin/env python3
"""Copies a bundle without its cubins (and tuning.json), the manifest's
"cubin" fields set to null, so that the runtime JIT-compiles the PTX with
the driver and caches the result on disk: the path gpu-check.sh and
check-changed.sh test beside the cubins.

    ptx-only-bundle.py SRC_BUNDLE DST_BUNDLE
"""
import json
import shutil
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    src, dst = sys.argv[1:3]
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.cubin", "tuning.json"))
    m = json.load(open(f"{dst}/manifest.json"))
    for v in m["variants"]:
        v["cubin"] = None
    json.dump(m, open(f"{dst}/manifest.json", "w"), indent=1)


if __name__ == "__main__":
    main()
