#!/usr/bin/env python3
"""A stand-in for gemm-bench in sweep-run.test: writes the --json that a
run would, per FAKE_BENCH_MODE (--sweep runs only; a --bundle run always
times its bundle at 9 us):
  ok          every config timed (c: a wrong result), complete
  broken      the context broke after a: b checked but not timed, c not
              reached, complete false
  early       the context broke in the second shape: only the first
              shape's row, every config timed there, complete false
  unsupported --sweep rejected as an unknown option (exit 2, no JSON)
Each call is logged to FAKE_BENCH_LOG."""
import json, os, sys

args = sys.argv[1:]
shapes = json.load(open(args[0]))
ms = shapes["m"]
n, k = shapes["nk"][0]
out = args[args.index("--json") + 1]
with open(os.environ["FAKE_BENCH_LOG"], "a") as log:
    log.write(" ".join(os.path.basename(a.rstrip("/")) for a in args[1:]
                       if not a.endswith(".json")) + "\n")
mode = os.environ.get("FAKE_BENCH_MODE", "ok")

def row(m, cells):
    return dict({"M": m, "N": n, "K": k, "floor_us": 1.0, "sets": 4, "calls": 8}, **cells)

if "--sweep" in args:
    if mode == "unsupported":
        sys.exit(2)
    root = args[args.index("--sweep") + 1]
    tags = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    rows = []
    if mode == "early":
        rows = [row(ms[0], {t: {"us": 5.0, "relerr": 1e-6} for t in tags})]
        ms = []
    for m in ms:
        if mode == "ok":
            cells = {t: {"us": 5.0 + i, "relerr": 1e-6} for i, t in enumerate(tags)}
            cells["c"] = {"error": "wrong result: rel_err 1.000e-03 (tol 2.0e-05), 0 of 4096 elements unwritten",
                          "relerr": 1e-3}
        else:
            cells = {"a": {"us": 5.0, "relerr": 1e-6}, "b": {"error": ""}}
        rows.append(row(m, cells))
    json.dump({"complete": mode == "ok", "rows": rows}, open(out, "w"))
    sys.exit(0 if mode == "ok" else 3)
json.dump({"complete": True,
           "rows": [row(m, {"generated": {"us": 9.0, "relerr": 2e-6}}) for m in ms]},
          open(out, "w"))
