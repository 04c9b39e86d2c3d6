#!/usr/bin/env python3
"""Checks gemm-select-config's model against config sweeps, and refits it.

A Python mirror of estimateMicroseconds / selectConfig
(lib/Dialect/Gemm/Transforms/SelectConfig.cpp). It first checks that the
mirror picks what the C++ pass picks (the pins of
test/Transforms/select-config.mlir), then reports, over the sweep CSVs
(scripts/bench/sweep-run.sh: nk,config,M,us,relerr):
  - per measured (N, K, M): the model's pick among the swept configs, and
    its time against the best (regret);
  - per default bucket holding a measured M: the model's bucket pick and
    its regret there (unmeasured picks are counted, not scored).
--refit searches the fitted constants (coordinate descent, decode picks
held fixed) and prints the best set; the numbers in docs/perf/README.md
came from this script on docs/perf/data/2026-11-28/sweep-*.csv. A split-K
row counts only in the reduction the model emits for its tile (since
2026-12-08; before, pull rows stood for every split).

  scripts/bench/fit-model.py docs/perf/data/2026-11-28/sweep-*.csv [--refit]
"""
import argparse
import collections
import csv
import math
import re

SMEM = 232448  # ConfigAttr::kMaxSharedMemoryBytes
H100 = dict(sms=132, tf=989.0, dram=3350.0, l2=8000.0, sm=100.0, kstep=200.0,
            wave=1.5, cta=10.0, red=1.0, dsm=100.0,
            clusters={1: 132, 2: 66, 4: 30, 8: 15})
BUCKETS = [(1, 1), (2, 8), (9, 16), (17, 32), (33, 64), (65, 128), (129, 256), (257, 512), (513, 1024),
           (1025, 2048), (2049, 4096), (4097, 8192), (8193, 2147483647)]


def cdiv(a, b):
    return (a + b - 1) // b


def resident(p, size):
    idx = 1 if size <= 1 else 2 if size <= 2 else 4 if size <= 4 else 8
    return min(p["clusters"][idx], p["sms"] // size) * size


def estimate(p, cfg, m, n, k):
    bm, bn, bk, split, cm, cn, swap = cfg
    tiles = cdiv(cdiv(m, bm), cm) * cm * cdiv(cdiv(n, bn), cn) * cn
    ctas = tiles * split
    res = max(1, resident(p, cm * cn * split))
    waves = cdiv(ctas, res)
    ks = cdiv(cdiv(k, bk), split)
    per_sm = p["tf"] * 1e12 / p["sms"]
    rows64, width = (bn, bm) if swap else (bm, bn)  # wgmma's 64-row side, its n
    eff = (0.80 if rows64 == 128 else 0.55) * min(1.0, 0.6 + 0.4 * width / 256.0)
    t_compute = waves * (bm * bn * ks * bk * 2) / (per_sm * eff)
    active = min(ctas, res)
    psb = min(p["sm"], p["l2"] / active) * 1e9
    rows = min(bm, m) / cn + min(bn, n) / cm
    t_stream = waves * rows * ks * bk * 2 / psb
    t_dram = ((m * k + n * k) * 2 + m * n * 4) / (p["dram"] * 1e9)
    t_epi = waves * min(bm, m) * bn * 4 / psb
    t_steps = waves * ks * p["kstep"] * 1e-9
    t_red = waves * (p["red"] * 1e-6 + bm * bn * 4 / (p["dsm"] * 1e9)) if split > 1 else 0
    t_fixed = p["wave"] * 1e-6 * waves + p["cta"] * 1e-9 * ctas
    return (max(t_compute, t_stream, t_dram, t_steps) + t_epi + t_red + t_fixed) * 1e6


def ideal(p, m, n, k):
    return max(2.0 * m * n * k / (p["tf"] * 1e12),
               ((m * k + n * k) * 2 + m * n * 4) / (p["dram"] * 1e9)) * 1e6


def stages_for(bm, bn, bk):
    stage = (bm + bn) * bk * 2
    return min(8, (SMEM - 1024) // (stage + 16))


def select(p, n, k, lo, hi):
    if hi == 1:
        # SelectConfig.cpp: one token, the simt schedule (schedule 2 here),
        # k_groups so that K / k_groups <= 2048, 8 warps per CTA.
        kg = 1
        while kg < 8 and k > 2048 * kg:
            kg *= 2
        return (1, 8 // kg, 2048, 1, 1, 1, 2)
    hi = min(hi, 16384)
    lo = min(lo, hi)
    best = None
    for swap in (0, 1):
      if swap and hi > 32:
        continue
      for bm in (8, 16, 32) if swap else (128, 64):
        for bn in (128, 64) if swap else (256, 192, 128, 64, 32):
            for bk in (64, 128):
                if bk == 128 and bm != 64 and not swap:
                    continue
                kt = cdiv(k, bk)
                st = stages_for(bm, bn, bk)
                if st < 2:
                    continue
                for split in (1, 2, 4, 8):
                    if split > 1 and (kt < 2 * split or 4 * bm * bn > st * (bm + bn) * bk * 2):
                        continue
                    for cm in (1, 2):
                        if cm > 1 and (split > 1 or bm != 128 or bn % 16 or swap):
                            continue
                        cfg = (bm, bn, bk, split, cm, 1, swap)
                        score = sum(estimate(p, cfg, m, n, k) / ideal(p, m, n, k) for m in (lo, hi))
                        if best is None or score < best[0]:
                            best = (score, cfg)
    return best[1]


def parse_tag(tag):
    """The model's view of a sweep row's config, as (cfg, push), or None
    for a schedule it does not choose (persistent: tag suffix p; k-groups:
    kg2; simt: sweep-simt.sh's tags; the TMA-store epilogue: t). Rows name their config by a
    sweep-compile.sh tag (push: the cluster_push reduction) or, in later
    sweeps, by the config's text."""
    if tag.startswith("#gemm.config<"):
        f = dict(re.findall(r"(\w+) = (\w+)", tag))
        if (f.get("schedule") not in ("warp_specialized", "swap_ab") or
                f.get("k_groups", "1") != "1" or
                f.get("epilogue", "direct") != "direct"):
            return None
        return parse_config_text(tag), f.get("reduction") == "cluster_push"
    if re.fullmatch(r"m\d+n\d+k\d+s\d+x1(?:kg\d+)?(?:r\d+)?simt", tag):
        return None
    g = re.fullmatch(r"m(\d+)n(\d+)k(\d+)s(\d+)x(\d+)(push)?(?:c(\d+))?(?:cn(\d+))?(sw)?(p[mg]?)?(kg\d+)?(t)?", tag)
    if g is None:
        raise SystemExit(f"error: sweep tag '{tag}' is not a sweep-compile.sh tag")
    # Persistent, k-groups and the TMA-store epilogue: not the model's.
    if g.group(10) or g.group(11) or g.group(12):
        return None
    swap = 1 if g.group(9) else 0
    bm, bn, bk, _, split = (int(x) for x in g.groups()[:5])
    return (bm, bn, bk, split, int(g.group(7) or 1), int(g.group(8) or 1), swap), bool(g.group(6))


def model_pushes(cfg):
    """SelectConfig.cpp's reduction for a split-K candidate: cluster_push
    where its buffer beside the ring leaves at least min(stages, 4)
    stages, else the pull form."""
    bm, bn, bk, split, _, _, swap = cfg
    stages = stages_for(bm, bn, bk)
    rows, width = (bn, bm) if swap else (bm, bn)
    buffer = split * cdiv(width // 4, split) * 2 * (rows // 64) * 128 * 4
    st = stages
    while st >= 2 and st * (bm + bn) * bk * 2 + buffer + 1024 + 2 * st * 8 > SMEM:
        st -= 1
    return st >= min(stages, 4)


def parse_config_text(text):
    f = dict(re.findall(r"(\w+) = (\w+)", text))
    return (int(f["block_m"]), int(f["block_n"]), int(f["block_k"]), int(f["split_k"]),
            int(f["cluster_m"]), int(f["cluster_n"]),
            {"swap_ab": 1, "simt": 2}.get(f["schedule"], 0))


def check_mirror(p, pins):
    text = open(pins).read()
    bad = 0
    for name, cfg in re.findall(r"CHECK-LABEL: func.func @(\S+)\n// CHECK: config = (#gemm.config<[^>]*>)", text):
        n, k, lo, hi = re.fullmatch(r"n(\d+)_k(\d+)_m(\d+)_(\d+|max)", name).groups()
        hi = 2147483647 if hi == "max" else int(hi)
        got = select(p, int(n), int(k), int(lo), hi)
        # The split-K form too: load() scores rows by model_pushes.
        push = "reduction = cluster_push" in cfg
        if got != parse_config_text(cfg) or (got[3] > 1 and model_pushes(got) != push):
            bad += 1
            print(f"mirror disagrees with the C++ pass at {name}: {got} vs {cfg}")
    return bad


def load(paths):
    rows = collections.defaultdict(dict)
    for path in paths:
        for r in csv.DictReader(open(path)):
            try:
                us, err = float(r["us"]), float(r["relerr"])
            except ValueError:
                continue
            if err > 2e-5:
                continue
            n, k = (int(x) for x in r["nk"].split("x"))
            key, parsed = (n, k, int(r["M"])), parse_tag(r["config"])
            if parsed is None:
                continue
            # A split-K row counts where its reduction is the one the
            # model emits for that tile.
            cfg, push = parsed
            if cfg[3] > 1 and push != model_pushes(cfg):
                continue
            rows[key][cfg] = min(us, rows[key].get(cfg, us))
    return rows


def geo(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def point_regret(p, rows):
    regrets, logerr = [], []
    for (n, k, m), d in rows.items():
        best = min(d.values())
        pick = min(d, key=lambda c: estimate(p, c, m, n, k))
        regrets.append(d[pick] / best)
        logerr += [abs(math.log(estimate(p, c, m, n, k) / us)) for c, us in d.items()]
    return geo(regrets), max(regrets), sum(logerr) / len(logerr)


def bucket_regret(p, rows):
    regrets, unmeasured = [], 0
    for (n, k, m), d in rows.items():
        for lo, hi in BUCKETS:
            if lo <= m <= hi:
                pick = select(p, n, k, lo, hi)
                if pick in d:
                    regrets.append(d[pick] / min(d.values()))
                else:
                    unmeasured += 1
    return geo(regrets), len(regrets), unmeasured


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", nargs="+")
    ap.add_argument("--pins", default="test/Transforms/select-config.mlir")
    ap.add_argument("--refit", action="store_true")
    args = ap.parse_args()
    p = dict(H100)
    bad = check_mirror(p, args.pins)
    print(f"mirror vs {args.pins}: {'agrees' if not bad else f'{bad} disagreements'}")
    if bad:
        # Numbers from a mirror that is not the model would mislead.
        raise SystemExit(1)
    rows = load(args.csv)
    if not rows:
        # e.g. a sweep of k-groups or pushed splits only, which the model
        # does not choose.
        print("no measurement of a config the model chooses: nothing to score")
        return
    g, mx, le = point_regret(p, rows)
    print(f"{len(rows)} measured (N, K, M): model's pick among the swept configs is "
          f"{g:.3f}x the best on geometric mean, {mx:.2f}x at worst; mean |log error| {le:.3f}")
    bg, nb, un = bucket_regret(p, rows)
    print(f"bucket picks: {bg:.3f}x the best over {nb} measured, {un} picks not in the sweep")
    if not args.refit:
        return
    nks = sorted({(n, k) for n, k, _ in rows})
    decode = {nk: select(p, *nk, 2, 8) for nk in nks}
    grid = {"l2": [4000, 6000, 8000, 10000, 12000, 16000], "sm": [60, 80, 100, 130, 160, 200],
            "kstep": [100, 150, 200, 250, 300, 400], "wave": [0.5, 1, 1.5, 2, 3],
            "cta": [0, 5, 10, 20, 40], "red": [0.5, 1, 2, 3, 4, 6], "dsm": [25, 50, 100, 200, 400]}

    def objective(q):
        g, mx, le = point_regret(q, rows)
        moved = sum(select(q, *nk, 2, 8) != decode[nk] for nk in nks)
        return 3 * math.log(g) + 0.5 * le + 0.5 * math.log(mx) + moved

    best = objective(p)
    for _ in range(3):
        for key, values in grid.items():
            for v in values:
                q = dict(p, **{key: v})
                o = objective(q)
                if o < best - 1e-9:
                    best, p = o, q
    print("refit:", {k: p[k] for k in grid})
    g, mx, le = point_regret(p, rows)
    bg, nb, un = bucket_regret(p, rows)
    print(f"refit: per point {g:.3f}x (worst {mx:.2f}x), mean |log error| {le:.3f}; "
          f"bucket picks {bg:.3f}x over {nb} measured, {un} not in the sweep")


if __name__ == "__main__":
    main()
