#!/usr/bin/env python3
"""An engine-style use of gemmgen from Python.

What a serving engine does with gemmgen.linear_bf16_fp32:
  1. at start, register its weights (here: random bf16 weights of the DeepSeek-V4
     shapes of shapes/dsv4.json, "nk") and warm up: runtime.preload() loads
     every bundle kernel, then one call per weight and M bucket builds the
     per-shape state (descriptors, cuBLASLt plans, workspaces), so that no
     request pays a first-call cost;
  2. serve a mixed stream of batch sizes M (decode batches and prefill chunks):
     each step runs every weight once on an M-row activation, a row slice of a
     preallocated buffer (passed without a copy);
  3. report what the runtime selected for each shape (describe) and the
     average time per shape; a few results are checked against fp64.

Times: "gpu us" is the kernel time per call from CUDA events, taken while the
stream is kept busy ahead of the host (torch.cuda._sleep) so that Python's
launch overhead does not show up in it; "host us" is the Python + runtime
host time of one call (what bounds eager-mode serving of small M; capture the
step in a CUDA graph to remove it).

Usage (on a machine with an H100, torch with CUDA, and libgemmrt built):
    GEMMGEN_BUNDLES=out/bundles/dsv4 python3 examples/python/serve.py
    GEMMGEN_BUNDLES=out/bundles/dsv4 python3 examples/python/serve.py --steps 500 --policy cublaslt
Without GEMMGEN_BUNDLES every shape is served by cuBLASLt.
"""

import argparse
import collections
import json
import os
import random
import re
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# Run from a checkout without installing; an installed gemmgen works the same.
sys.path.insert(0, os.path.join(REPO, "python"))
import gemmgen  # noqa: E402

M_BUCKETS = [1, 4, 16, 64, 256, 1024]


def rel_err(out, x, w):
    ref = x.double() @ w.double().t()
    return ((out.double() - ref).norm() / ref.norm()).item()


def choice(rt, m, n, k):
    """'generated n256_k4096_m1_8' or 'cublaslt', from the runtime's description."""
    d = rt.describe(m, n, k)
    backend = re.search(r"backend=(\S+)", d)
    variant = re.search(r"variant=(\S+)", d)
    return " ".join(x.group(1) for x in (backend, variant) if x) or d


def main():
    ap = argparse.ArgumentParser(description="Serve a mixed stream of M with gemmgen.",
                                 epilog="Bundles come from GEMMGEN_BUNDLES (os.pathsep-separated).")
    ap.add_argument("--shapes", default=os.path.join(REPO, "shapes", "dsv4.json"),
                    help="JSON with \"nk\": [[N, K], ...] (default shapes/dsv4.json)")
    ap.add_argument("--steps", type=int, default=200, help="serving steps (default 200)")
    ap.add_argument("--check", type=int, default=3, help="steps whose results are checked (default 3)")
    ap.add_argument("--policy", choices=sorted(gemmgen.POLICIES), help="override GEMMGEN_POLICY")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    if not torch.cuda.is_available():
        sys.exit("serve.py: needs a CUDA device (torch.cuda.is_available() is False)")

    dev = torch.device("cuda")
    rt = gemmgen.get_runtime()        # from GEMMGEN_BUNDLES / GEMMGEN_POLICY
    if a.policy:
        rt.policy = a.policy
    print(f"libgemmrt {gemmgen.version()} ({gemmgen.library_path()}), "
          f"{torch.cuda.get_device_name(dev)}, torch {torch.__version__}")
    print(f"bundles: {rt.bundles or 'none (cuBLASLt only)'}; policy {rt.policy}")

    # 1. Register the weights, and activation buffers large enough for any M.
    with open(a.shapes) as f:
        nk = [tuple(s) for s in json.load(f)["nk"]]
    g = torch.Generator(device=dev).manual_seed(a.seed)
    weights = {(n, k): (torch.randn(n, k, device=dev, generator=g) / k ** 0.5).to(torch.bfloat16)
               for n, k in nk}
    acts = {k: torch.randn(max(M_BUCKETS), k, device=dev, generator=g).to(torch.bfloat16)
            for k in sorted({k for _, k in nk})}

    t0 = time.perf_counter()
    rt.preload()
    t1 = time.perf_counter()
    for (n, k), w in weights.items():
        for m in M_BUCKETS:
            gemmgen.linear_bf16_fp32(acts[k][:m], w)
    torch.cuda.synchronize()
    t2 = time.perf_counter()
    print(f"{len(weights)} weights; preload {1e3 * (t1 - t0):.1f} ms, "
          f"warm-up ({len(weights) * len(M_BUCKETS)} calls) {1e3 * (t2 - t1):.1f} ms")

    # 2. Serve. The sleep queued before each step keeps the GPU behind the host,
    # so the events below time kernels, not launch gaps.
    sleep = getattr(torch.cuda, "_sleep", None)
    rng = random.Random(a.seed)
    events = collections.defaultdict(list)
    host = collections.defaultdict(float)
    worst, checked, to_check = 0.0, 0, []
    for step in range(a.steps):
        m = rng.choice(M_BUCKETS)
        if sleep:
            sleep(2_000_000)       # about 1 ms at H100 clocks
        for (n, k), w in weights.items():
            x = acts[k][:m]        # a row slice: lda = K, no copy
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            start.record()
            h0 = time.perf_counter()
            out = gemmgen.linear_bf16_fp32(x, w)
            host[(m, n, k)] += time.perf_counter() - h0
            end.record()
            events[(m, n, k)].append((start, end))
            if step < a.check:
                to_check.append((out, x, w))   # checked after the loop: no sync here
    torch.cuda.synchronize()
    for out, x, w in to_check:
        err = rel_err(out, x, w)
        worst, checked = max(worst, err), checked + 1
        if not err <= 2e-5:
            (m, k), n = x.shape, w.shape[0]
            sys.exit(f"serve.py: M={m} N={n} K={k}: relative error {err:.3g} "
                     f"({rt.describe(m, n, k)})")
    print(f"served {a.steps} steps ({sum(len(v) for v in events.values())} calls); "
          f"{checked} results checked against fp64, max relative error {worst:.2e}")
    if not sleep:
        print("(torch.cuda._sleep is missing: gpu us includes launch gaps)")

    # 3. What served each shape, and how fast.
    print(f"\n{'N':>5} {'K':>5} {'M':>5}  {'selected':34} {'calls':>6} {'gpu us':>8} {'host us':>8}")
    for (m, n, k) in sorted(events, key=lambda s: (s[1], s[2], s[0])):
        ev = events[(m, n, k)]
        gpu_us = 1e3 * sum(s.elapsed_time(e) for s, e in ev) / len(ev)
        host_us = 1e6 * host[(m, n, k)] / len(ev)
        print(f"{n:5d} {k:5d} {m:5d}  {choice(rt, m, n, k):34} {len(ev):6d} {gpu_us:8.2f} {host_us:8.2f}")
    # Under policy auto, shapes no bundle covers may be compiled in the
    # background; the kernels serve runtimes created later (docs/runtime.md).
    if rt.has_background:
        print(f"\nbackground compilations still pending: {rt.wait_background(0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
