#!/usr/bin/env python3
"""Cold start: from process start to the first correct result of one linear_bf16_fp32.

Runs on the GPU machine (needs torch with CUDA; no MLIR). Each measurement is a
fresh child process; cold start = t_result - t_start, where the parent takes
t_start = time.time() just before starting the child and the child reports
t_result = time.time() right after the first result was synchronized. The
result is checked against fp64 only after t_result was taken. Reported per
mode: median, min and max over --runs children, and the median offset of
each phase from t_start.

Modes:
  gemmgen-empty-cache  import torch, CUDA init, inputs, import gemmgen, Runtime on
                       --bundle with policy generated (the bundle's kernel must
                       serve the shape), first call; GEMMRT_CACHE_DIR is a fresh
                       empty directory for every run.
  gemmgen-warm-cache   the same with a GEMMRT_CACHE_DIR that an earlier run filled.
  torch-cublas         import torch, CUDA init, inputs,
                       torch.mm(x, y.t(), out_dtype=torch.float32) (or
                       (x @ y.t()).float() where torch.mm has no out_dtype; the
                       output says which).
  cxx-empty-cache, cxx-warm-cache
                       with --cxx BIN: BIN --bundle DIR --m M --n N --k K, a program
                       that prints the same JSON line as its last stdout line
                       (e.g. build-rt/tools/gemmrt-coldstart), with GEMMRT_CACHE_DIR
                       as for the gemmgen modes.
A child's last stdout line is JSON:
  {"t_result": <unix time>, "ok": <bool>, "phases": {"name": <unix time>, ...}, ...}
Python children report the phases import_torch_done, cuda_init_done,
inputs_ready, import_gemmgen_done, runtime_created and first_result.

A first, untimed round runs every mode once (disk page cache warm for all
modes alike; it also fills the warm caches); then --runs rounds alternate
between the modes so that drift affects all of them alike.

Usage:
  scripts/bench/cold-start.py --bundle out/bundles/dsv4 [--runs 5] [--json out/cold-start.json]
      [--m 16 --n 384 --k 7168] [--cxx build-rt/tools/gemmrt-coldstart] [--modes a,b] [--jit] [--log]
"""

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PYDIR = os.path.join(REPO, "python")
TOL = 2e-5
PY_MODES = ["gemmgen-empty-cache", "gemmgen-warm-cache", "torch-cublas"]
CXX_MODES = ["cxx-empty-cache", "cxx-warm-cache"]


# --- child side (this same file, run with --child) -------------------------

def child(a):
    phases = {}
    import torch
    phases["import_torch_done"] = time.time()
    torch.zeros(1, device="cuda")
    torch.cuda.synchronize()
    phases["cuda_init_done"] = time.time()
    g = torch.Generator(device="cuda").manual_seed(1234)
    x = torch.randn(a.m, a.k, device="cuda", generator=g).to(torch.bfloat16)
    y = torch.randn(a.n, a.k, device="cuda", generator=g).to(torch.bfloat16)
    torch.cuda.synchronize()
    phases["inputs_ready"] = time.time()
    info = {}
    tol = TOL
    if a.child == "gemmgen":
        sys.path.insert(0, PYDIR)
        import gemmgen
        phases["import_gemmgen_done"] = time.time()
        # Policy generated: the bundle's kernel or an error, never a fallback.
        rt = gemmgen.Runtime([a.bundle], policy="generated")
        gemmgen.set_runtime(rt)
        phases["runtime_created"] = time.time()
        out = gemmgen.linear_bf16_fp32(x, y)
    else:
        try:
            out = torch.mm(x, y.t(), out_dtype=torch.float32)
            info["mm"] = "torch.mm(x, y.t(), out_dtype=torch.float32)"
        except (TypeError, RuntimeError) as e:
            out = (x @ y.t()).float()
            info["mm"] = f"(x @ y.t()).float(): torch.mm has no out_dtype here ({e!s:.80})"
            tol = 1e-2     # the product is rounded to bf16 before the cast
    torch.cuda.synchronize()
    t_result = time.time()
    phases["first_result"] = t_result
    # Everything below happens after t_result and is not timed.
    ref = x.double() @ y.double().t()
    err = ((out.double() - ref).norm() / ref.norm()).item()
    info["rel_err"] = err
    if a.child == "gemmgen":
        info["choice"] = rt.describe(a.m, a.n, a.k)
    print(json.dumps({"t_result": t_result, "ok": bool(err <= tol), "phases": phases,
                      "device": torch.cuda.get_device_name(), "torch": torch.__version__,
                      "torch_cuda": torch.version.cuda, **info}))
    return 0


# --- parent side -----------------------------------------------------------

def run_once(cmd, env, timeout):
    t_start = time.time()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=timeout)
    lines = [ln for ln in p.stdout.splitlines() if ln.strip()]
    res = None
    if lines:
        try:
            res = json.loads(lines[-1])
        except ValueError:
            res = None
    if p.returncode != 0 or not isinstance(res, dict) or "t_result" not in res:
        tail = (p.stderr.strip().splitlines() or ["(no stderr)"])[-8:]
        return {"error": f"exit {p.returncode}; last stdout line: {lines[-1] if lines else '(none)'!s:.200}",
                "stderr_tail": tail}
    res["t_start"] = t_start
    res["cold_s"] = res["t_result"] - t_start
    res["offsets_s"] = {k: v - t_start for k, v in res.get("phases", {}).items()}
    res["gemmrt_log"] = [ln for ln in p.stderr.splitlines() if ln.startswith("gemmrt: ")]
    return res


def jit_only_copy(bundle, dest):
    """A copy of the bundle with no cubins, so that loading JIT-compiles the PTX."""
    shutil.copytree(bundle, dest, ignore=shutil.ignore_patterns("*.cubin"))
    path = os.path.join(dest, "manifest.json")
    with open(path) as f:
        m = json.load(f)
    for v in m["variants"]:
        v["cubin"] = None
    with open(path, "w") as f:
        json.dump(m, f, indent=1)
    return dest


def summarize(runs):
    ok = [r for r in runs if "cold_s" in r]
    s = {"runs": len(runs), "failed": len(runs) - len(ok),
         "wrong": sum(1 for r in ok if not r.get("ok"))}
    if ok:
        cold = [r["cold_s"] for r in ok]
        s.update(median_s=statistics.median(cold), min_s=min(cold), max_s=max(cold))
        names = []
        for r in ok:
            names += [k for k in r["offsets_s"] if k not in names]
        s["phases_median_s"] = {k: statistics.median(r["offsets_s"][k] for r in ok if k in r["offsets_s"])
                                for k in names}
        for key in ("mm", "choice"):
            if key in ok[0]:
                s[key] = ok[0][key]
        s["max_rel_err"] = max(r.get("rel_err", 0.0) for r in ok)
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--bundle", help="bundle directory (needed by the gemmgen and cxx modes)")
    ap.add_argument("--runs", type=int, default=5, help="timed children per mode (default 5)")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--cxx", help="C++ cold-start program (e.g. build-rt/tools/gemmrt-coldstart)")
    ap.add_argument("--m", type=int, default=16)
    ap.add_argument("--n", type=int, default=384)
    ap.add_argument("--k", type=int, default=7168)
    ap.add_argument("--modes", help=f"comma-separated subset of {','.join(PY_MODES + CXX_MODES)}")
    ap.add_argument("--jit", action="store_true",
                    help="use a copy of the bundle without cubins, so loading JIT-compiles the "
                         "PTX and the disk cache matters (the driver's own JIT cache is "
                         "disabled in the children)")
    ap.add_argument("--log", action="store_true", help="GEMMRT_LOG=1 in the children (load lines kept)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per child (default 300)")
    ap.add_argument("--child", choices=["gemmgen", "torch"], help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        return child(a)

    modes = a.modes.split(",") if a.modes else list(PY_MODES) + (list(CXX_MODES) if a.cxx else [])
    unknown = [m for m in modes if m not in PY_MODES + CXX_MODES]
    if unknown:
        ap.error(f"unknown mode(s) {', '.join(unknown)}")
    if any(m.startswith("cxx-") for m in modes):
        if not a.cxx or not os.access(a.cxx, os.X_OK):
            print(f"cold-start: skipping {', '.join(m for m in modes if m.startswith('cxx-'))}: "
                  f"{'no --cxx given' if not a.cxx else repr(a.cxx) + ' is not an executable file'}",
                  file=sys.stderr)
            modes = [m for m in modes if not m.startswith("cxx-")]
    needs_bundle = [m for m in modes if m != "torch-cublas"]
    if needs_bundle and not (a.bundle and os.path.isfile(os.path.join(a.bundle, "manifest.json"))):
        ap.error(f"--bundle DIR with a manifest.json is needed for {', '.join(needs_bundle)}")
    if a.runs < 1:
        ap.error("--runs must be >= 1")

    work = tempfile.mkdtemp(prefix="gemmgen-cold-start-")
    try:
        bundle = os.path.abspath(a.bundle) if a.bundle else None
        if bundle and a.jit:
            bundle = jit_only_copy(bundle, os.path.join(work, "bundle-jit"))
        base_env = dict(os.environ)
        for var in ("GEMMRT_BACKEND", "GEMMRT_LOG", "GEMMRT_CACHE_DIR", "GEMMGEN_BUNDLES",
                    "GEMMGEN_POLICY"):
            base_env.pop(var, None)
        if a.log:
            base_env["GEMMRT_LOG"] = "1"
        if a.jit:
            # The driver keeps its own JIT cache (~/.nv/ComputeCache); with it
            # on, "empty cache" would only measure gemmrt's cache being empty.
            base_env["CUDA_CACHE_DISABLE"] = "1"
        warm_dirs = {"gemmgen": os.path.join(work, "cache-warm-py"),
                     "cxx": os.path.join(work, "cache-warm-cxx")}
        shape = ["--m", str(a.m), "--n", str(a.n), "--k", str(a.k)]
        me = [sys.executable, os.path.abspath(__file__)]
        counter = [0]
        explained = set()

        def launch(mode, timed):
            env = dict(base_env)
            kind = "cxx" if mode.startswith("cxx-") else "gemmgen"
            if mode.endswith("-empty-cache"):
                counter[0] += 1
                env["GEMMRT_CACHE_DIR"] = os.path.join(work, f"cache-empty-{counter[0]}")
                os.makedirs(env["GEMMRT_CACHE_DIR"])
            elif mode.endswith("-warm-cache"):
                env["GEMMRT_CACHE_DIR"] = warm_dirs[kind]
            if mode == "torch-cublas":
                cmd = me + ["--child", "torch"] + shape
            elif kind == "gemmgen":
                cmd = me + ["--child", "gemmgen", "--bundle", bundle] + shape
            else:
                cmd = [a.cxx, "--bundle", bundle] + shape
            try:
                r = run_once(cmd, env, a.timeout)
            except subprocess.TimeoutExpired:
                r = {"error": f"timed out after {a.timeout} s"}
            if mode.endswith("-empty-cache"):
                shutil.rmtree(env["GEMMRT_CACHE_DIR"], ignore_errors=True)
            tag = "warm-up" if not timed else "run"
            if "error" in r:
                print(f"  {mode} {tag}: FAILED: {r['error']}", file=sys.stderr)
                if mode not in explained:     # the child's stderr once per mode
                    explained.add(mode)
                    for ln in r.get("stderr_tail", []):
                        print(f"    {ln}", file=sys.stderr)
            else:
                print(f"  {mode} {tag}: {r['cold_s'] * 1e3:8.1f} ms{'' if r.get('ok') else '  WRONG RESULT'}",
                      file=sys.stderr)
            return r

        print(f"cold-start: M={a.m} N={a.n} K={a.k}, {a.runs} runs per mode, modes: {', '.join(modes)}",
              file=sys.stderr)
        warmup = {m: launch(m, False) for m in modes}
        runs = {m: [] for m in modes}
        for _ in range(a.runs):
            for m in modes:
                runs[m].append(launch(m, True))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    results = {m: summarize(runs[m]) for m in modes}
    device = torch_v = None
    for r in [x for m in modes for x in runs[m] + [warmup[m]]]:
        if "device" in r:
            device, torch_v = r["device"], f"{r.get('torch')} (CUDA {r.get('torch_cuda')})"
            break

    print(f"\n# cold start, {device or 'unknown device'}, torch {torch_v}, "
          f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d}; M={a.m} N={a.n} K={a.k}"
          f"{'; bundle without cubins (PTX JIT)' if a.jit else ''}")
    phase_names = []
    for s in results.values():
        phase_names += [k for k in s.get("phases_median_s", {}) if k not in phase_names]
    short = {p: p.replace("_done", "").replace("_created", "").replace("first_", "") for p in phase_names}
    head = f"{'mode':20} {'median':>8} {'min':>8} {'max':>8}  | " + " ".join(f"{short[p]:>14}" for p in phase_names)
    print(head + "\n" + "-" * len(head))
    for m, s in results.items():
        if "median_s" not in s:
            print(f"{m:20} all {s['runs']} runs failed")
            continue
        ph = s["phases_median_s"]
        cells = " ".join(f"{ph[p] * 1e3:14.1f}" if p in ph else f"{'-':>14}" for p in phase_names)
        note = ""
        if s["failed"] or s["wrong"]:
            note = f"  ({s['failed']} failed, {s['wrong']} wrong)"
        print(f"{m:20} {s['median_s'] * 1e3:8.1f} {s['min_s'] * 1e3:8.1f} {s['max_s'] * 1e3:8.1f}  | {cells}{note}")
    print("(milliseconds from process start; phase columns: median time at which the phase ended)")
    for m, s in results.items():
        for key in ("choice", "mm"):
            if key in s:
                print(f"{m}: {s[key]}")

    if a.json:
        doc = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "device": device, "torch": torch_v, "shape": {"M": a.m, "N": a.n, "K": a.k},
               "bundle": os.path.abspath(a.bundle) if a.bundle else None, "jit_only": a.jit,
               "cxx": a.cxx, "runs_per_mode": a.runs, "modes": results,
               "raw": {m: runs[m] for m in modes}}
        os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
        with open(a.json, "w") as f:
            json.dump(doc, f, indent=1)
        print(f"wrote {a.json}")
    bad = any(s["failed"] or s["wrong"] or "median_s" not in s for s in results.values())
    return 1 if bad or not results else 0


if __name__ == "__main__":
    sys.exit(main())
