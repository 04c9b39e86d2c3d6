#!/usr/bin/env python3
"""Charts and a table from one benchmark run (scripts/gpu-bench.sh).

Usage: plot.py DIR [--out DIR2]

Reads every *.json in DIR that is either
  * gemm-bench --json output: an object with "device" and "rows"; rows have
    "M", "N", "K", "floor_us" and one cell per backend ("generated",
    "cublaslt", "auto", "reference"), a cell being {"us", "tflops", ...} or
    {"error": ...} (a file with only "auto" cells, e.g. a run after --tune,
    adds the tuned line), or
  * peers.py --json output: a list of rows with "M", "N", "K", "floor_us" and
    cells "cublas", "triton", "fp32" of the same form,
and writes into DIR (or DIR2):
  speedup.png   cuBLAS time / ours vs M, one line per (N, K); cuBLAS is torch's
                (peers.py, same run), else gemm-bench's cuBLASLt; dashed: auto
                (the runtime's tuned choice) when measured
  tflops.png    TFLOP/s vs M, one panel per (N, K): ours, cuBLASLt, torch
                cuBLAS, Triton (and auto)
  floor.png     fraction of the HBM/compute floor (floor_us / us) vs M
  perf-table.md the numbers, with the card and date in the header
Other JSON files (tuning.json, ...) are skipped. The table is written even
where matplotlib is missing.
"""
import argparse
import glob
import json
import math
import os
import sys

# Series: (key in the merged row, label)
OURS, LT, AUTO, TORCH, TRITON = 'generated', 'cublaslt', 'auto', 'torch_cublas', 'triton'
LABELS = {OURS: 'ours (generated)', LT: 'cuBLASLt (gemmrt)', AUTO: 'ours, auto/tuned',
          TORCH: 'torch cuBLAS', TRITON: 'Triton'}
# gemmgen in peers.py: our kernels through the torch op, timed in the same
# process as torch cuBLAS (the side-by-side figure).
PEER = 'gemmgen_peer'
PEER_KEYS = {'cublas': TORCH, 'triton': TRITON, 'fp32': 'torch_fp32', 'gemmgen': PEER}


def load(directory):
    """Returns (header of the first gemm-bench file or {}, rows keyed by (M, N, K),
    (N, K) groups in file order)."""
    headers, rows, groups = [], {}, []
    # The main runs (gemm-bench-<set>.json) first, so that their cells win
    # over the same backend's in a variant run (gemm-bench-<set>-pdl.json
    # times `generated` too, under another launch mode).
    paths = sorted(glob.glob(os.path.join(directory, '*.json')),
                   key=lambda p: (os.path.basename(p).count('-'), p))
    for path in paths:
        # A variant run's cells are its own columns: generated_pdl.
        suffix = '_pdl' if os.path.basename(path).endswith('-pdl.json') else ''
        try:
            with open(path) as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            print(f'plot.py: skipping {path}: {e}', file=sys.stderr)
            continue
        if isinstance(data, dict) and 'rows' in data and 'device' in data:
            headers.append({k: v for k, v in data.items() if k != 'rows'})
            src, keymap = data['rows'], None
        elif isinstance(data, list) and all(isinstance(r, dict) and 'M' in r for r in data):
            src, keymap = data, PEER_KEYS
        else:
            continue
        for r in src:
            try:
                key = (int(r['M']), int(r['N']), int(r['K']))
            except (KeyError, TypeError, ValueError):
                continue
            row = rows.setdefault(key, {'M': key[0], 'N': key[1], 'K': key[2]})
            if 'floor_us' in r:
                # gemm-bench's floor is the card's; peers.py assumes an H100.
                if keymap is None:
                    row['floor_us'] = r['floor_us']
                else:
                    row.setdefault('floor_us', r['floor_us'])
            if (key[1], key[2]) not in groups:
                groups.append((key[1], key[2]))
            for name, cell in r.items():
                if not isinstance(cell, dict):
                    continue
                k = (keymap.get(name, name) if keymap else name) + suffix
                # A timed cell wins over an error cell from another file.
                if k not in rows[key] or ('us' in cell and 'us' not in rows[key][k]):
                    row[k] = cell
    # The card and date of the main run (not of an auto-only rerun).
    main = [h for h in headers if set(h.get('backends', [])) - {AUTO}]
    header = (main or headers or [{}])[0]
    return header, rows, groups


def us(row, key):
    cell = row.get(key)
    if isinstance(cell, dict) and isinstance(cell.get('us'), (int, float)) and cell['us'] > 0:
        return float(cell['us'])
    return None


def baseline(row):
    """(cuBLAS time, True when it is torch's) or (None, False)."""
    t = us(row, TORCH)
    if t is not None:
        return t, True
    return us(row, LT), False


def cell_text(row, key):
    t = us(row, key)
    if t is not None:
        return f'{t:.2f}'
    cell = row.get(key)
    if not isinstance(cell, dict):
        return '–'
    err = str(cell.get('error', ''))
    if 'UNSUPPORTED_SHAPE' in err:
        return 'uncovered'
    if err.startswith('wrong result'):
        return 'WRONG'
    return 'error'


def card_line(header):
    if not header:
        return 'unknown card (no gemm-bench JSON found)'
    clocks = header.get('clocks', {})
    extra = f", SM {clocks['sm_max_mhz']} MHz" if 'sm_max_mhz' in clocks else ''
    return (f"{header.get('device', '?')}, driver {header.get('driver', '?')}"
            f"{extra}, {header.get('date', '?')}")


def write_table(path, header, rows, groups):
    have_auto = any(us(r, AUTO) is not None for r in rows.values())
    have_torch = any(us(r, TORCH) is not None for r in rows.values())
    have_peer = any(us(r, PEER) is not None for r in rows.values())
    hbm = header.get('hbm_tbps', 3.35)
    cols = ['M', 'N', 'K', 'ours us'] + (['auto us'] if have_auto else []) + \
        ['cuBLASLt us', 'torch cuBLAS us', 'Triton us', 'cuBLAS/ours'] + \
        (['ours in peers.py us', 'same process cuBLAS/ours'] if have_peer else []) + ['floor us']
    lines = [f'# GEMM timings: {card_line(header)}', '',
             'out[M,N] fp32 = x[M,K] bf16 · y[N,K]^T bf16. Per-call µs: a CUDA graph of calls cycling '
             'through inputs larger than 2x L2, median of '
             f"{header.get('replays', 15)} replays / calls. ours = gemmrt's generated kernels; "
             "cuBLASLt = gemmrt's cuBLASLt backend; torch cuBLAS and Triton from peers.py in the same run. "
             'cuBLAS/ours > 1: ours is faster'
             + ('' if have_torch else ' (torch cuBLAS missing: the ratio uses cuBLASLt)') + '. '
             + ("ours in peers.py = the same kernels through gemmgen's torch op, timed in "
                'the same process as torch cuBLAS (blocks A B B A); same process cuBLAS/ours = '
                'torch cuBLAS / that. ' if have_peer else '')
             + f'floor = max(bytes / {hbm} TB/s, flops / 989 TFLOP/s).', '',
             '| ' + ' | '.join(cols) + ' |',
             '|' + '|'.join('---:' for _ in cols) + '|']
    speedups = []
    for (n, k) in groups:
        for key in sorted(r for r in rows if r[1:] == (n, k)):
            row = rows[key]
            base, _ = baseline(row)
            ours = us(row, OURS)
            ratio = f'{base / ours:.2f}' if base and ours else '–'
            if base and ours:
                speedups.append(base / ours)
            cells = [str(key[0]), str(n), str(k), cell_text(row, OURS)] + \
                ([cell_text(row, AUTO)] if have_auto else []) + \
                [cell_text(row, LT), cell_text(row, TORCH), cell_text(row, TRITON), ratio]
            if have_peer:
                torch_us, peer_us = us(row, TORCH), us(row, PEER)
                cells += [cell_text(row, PEER),
                          f'{torch_us / peer_us:.2f}' if torch_us and peer_us else '–']
            cells.append(f"{row['floor_us']:.2f}" if isinstance(row.get('floor_us'), (int, float)) else '–')
            lines.append('| ' + ' | '.join(cells) + ' |')
    if speedups:
        geo = math.exp(sum(math.log(s) for s in speedups) / len(speedups))
        faster = sum(s >= 1 for s in speedups)
        lines += ['', f'ours at least as fast as cuBLAS at {faster} of {len(speedups)} shapes; '
                      f'geometric-mean speedup {geo:.2f}x.']
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')


def series(rows, n, k, fn):
    """Sorted (M, value) points of (N, K) where fn(row) is not None."""
    pts = []
    for key in sorted(r for r in rows if r[1:] == (n, k)):
        v = fn(rows[key])
        if v is not None:
            pts.append((key[0], v))
    return pts


def m_axis(ax, ms):
    ax.set_xscale('log', base=2)
    ms = sorted(set(ms))
    if ms:
        ax.set_xticks(ms)
        ax.set_xticklabels([str(m) for m in ms], fontsize=7, rotation=45 if len(ms) > 6 else 0)
        ax.minorticks_off()
    ax.set_xlabel('M (tokens per call)', fontsize=8)
    ax.tick_params(axis='y', labelsize=7)
    ax.grid(True, which='major', alpha=0.3)


def colors_for(groups, plt):
    cmap = plt.get_cmap('tab10' if len(groups) <= 10 else 'tab20')
    return {g: cmap(i % cmap.N) for i, g in enumerate(groups)}


def plot_speedup(path, header, rows, groups, plt):
    fig, ax = plt.subplots(figsize=(8, 4.5))
    colors = colors_for(groups, plt)
    ms, torch_used, lt_used, drawn = [], False, False, False
    for g in groups:
        n, k = g

        def ratio(row, key):
            base, is_torch = baseline(row)
            t = us(row, key)
            return base / t if base and t else None

        pts = series(rows, n, k, lambda r: ratio(r, OURS))
        auto = series(rows, n, k, lambda r: ratio(r, AUTO))
        for key in (r for r in rows if r[1:] == g):
            if us(rows[key], OURS) is not None or us(rows[key], AUTO) is not None:
                _, is_torch = baseline(rows[key])
                torch_used |= is_torch
                lt_used |= not is_torch
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], '-o', ms=3, lw=1.4,
                    color=colors[g], label=f'N={n} K={k}')
            drawn = True
        if auto:
            ax.plot([p[0] for p in auto], [p[1] for p in auto], '--', lw=1.1, color=colors[g],
                    label=None if pts else f'N={n} K={k} (auto)')
            drawn = True
        ms += [p[0] for p in pts + auto]
    ax.axhline(1.0, color='0.4', lw=1, ls=':')
    m_axis(ax, ms)
    base = ('torch cuBLAS' if torch_used and not lt_used else
            'cuBLASLt' if lt_used and not torch_used else 'torch cuBLAS (else cuBLASLt)')
    ax.set_ylabel(f'speedup over {base}', fontsize=8)
    dashed = ' — dashed: auto/tuned' if any(us(r, AUTO) for r in rows.values()) else ''
    ax.set_title(f'ours vs cuBLAS ({card_line(header)}){dashed}', fontsize=8)
    if drawn:
        ax.legend(fontsize=7, loc='center left', bbox_to_anchor=(1.01, 0.5), frameon=False)
    else:
        ax.text(0.5, 0.5, 'no shape has both ours and a cuBLAS time', ha='center',
                transform=ax.transAxes, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_tflops(path, header, rows, groups, plt):
    keys = [OURS, AUTO, LT, TORCH, TRITON]
    # key: (line style, marker, color)
    style = {OURS: ('-', 'o', 'C0'), AUTO: ('--', None, 'C0'), LT: ('-', 's', 'C1'),
             TORCH: ('-', '^', 'C2'), TRITON: ('-', 'v', 'C3')}
    ncols = min(4, max(1, len(groups)))
    nrows = max(1, math.ceil(len(groups) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.1 * ncols, 2.4 * nrows + 0.6), squeeze=False)
    used = set()
    for i, (n, k) in enumerate(groups):
        ax = axes[i // ncols][i % ncols]
        ms, ys = [], []
        for key in keys:
            pts = series(rows, n, k, lambda r, key=key: (2.0 * r['M'] * r['N'] * r['K'] / us(r, key) / 1e6
                                                         if us(r, key) else None))
            if not pts:
                continue
            ls, marker, color = style[key]
            ax.plot([p[0] for p in pts], [p[1] for p in pts], ls=ls, marker=marker, ms=3, lw=1.2,
                    color=color, label=LABELS[key])
            used.add(key)
            ms += [p[0] for p in pts]
            ys += [p[1] for p in pts]
        if ys and max(ys) / min(ys) > 20:
            ax.set_yscale('log')
        elif ys:
            ax.set_ylim(0, max(ys) * 1.15)
        m_axis(ax, ms)
        if i // ncols != (len(groups) - 1) // ncols:
            ax.set_xlabel('')
        ax.set_title(f'N={n} K={k}', fontsize=8)
        if i % ncols == 0:
            ax.set_ylabel('TFLOP/s', fontsize=8)
    for j in range(len(groups), nrows * ncols):
        axes[j // ncols][j % ncols].axis('off')
    handles = [plt.Line2D([], [], ls=style[k][0], marker=style[k][1], ms=4, color=style[k][2],
                          label=LABELS[k]) for k in keys if k in used]
    fig.legend(handles=handles, loc='upper center', ncol=len(handles), fontsize=8, frameon=False)
    fig.suptitle(card_line(header), fontsize=8, y=0.005, va='bottom')
    fig.tight_layout(rect=(0, 0.03, 1, 1 - 0.45 / (2.4 * nrows + 0.6)))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_floor(path, header, rows, groups, plt):
    have_torch = any(us(r, TORCH) is not None for r in rows.values())
    other = TORCH if have_torch else LT
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    colors = colors_for(groups, plt)
    drawn = False
    for ax, key in zip(axes, (OURS, other)):
        ms = []
        for g in groups:
            pts = series(rows, g[0], g[1],
                         lambda r: r['floor_us'] / us(r, key)
                         if us(r, key) and isinstance(r.get('floor_us'), (int, float)) else None)
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], '-o', ms=3, lw=1.3,
                        color=colors[g], label=f'N={g[0]} K={g[1]}')
                ms += [p[0] for p in pts]
                drawn = True
        ax.axhline(1.0, color='0.4', lw=1, ls=':')
        m_axis(ax, ms)
        ax.set_ylim(0, 1.05)
        ax.set_title(LABELS[key], fontsize=9)
    axes[0].set_ylabel('floor_us / us (1 = at the HBM/compute floor)', fontsize=8)
    if drawn:
        handles, labels = {}, []
        for ax in axes:
            for h, l in zip(*ax.get_legend_handles_labels()):
                handles.setdefault(l, h)
        axes[1].legend(list(handles.values()), list(handles.keys()), fontsize=7,
                       loc='center left', bbox_to_anchor=(1.01, 0.5), frameon=False)
    fig.suptitle(f"fraction of the floor max(bytes/{header.get('hbm_tbps', 3.35)} TB/s, flops/989 TFLOP/s) — {card_line(header)}",
                 fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('dir', help='directory with gemm-bench and peers.py JSON files')
    ap.add_argument('--out', help='where to write (default: DIR)')
    a = ap.parse_args()
    out = a.out or a.dir
    os.makedirs(out, exist_ok=True)
    header, rows, groups = load(a.dir)
    if not rows:
        print(f'plot.py: no gemm-bench or peers.py rows in {a.dir}', file=sys.stderr)
        return 1
    write_table(os.path.join(out, 'perf-table.md'), header, rows, groups)
    written = ['perf-table.md']
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError as e:
        print(f'plot.py: no charts ({e}); wrote {os.path.join(out, "perf-table.md")}', file=sys.stderr)
        return 0
    plot_speedup(os.path.join(out, 'speedup.png'), header, rows, groups, plt)
    plot_tflops(os.path.join(out, 'tflops.png'), header, rows, groups, plt)
    plot_floor(os.path.join(out, 'floor.png'), header, rows, groups, plt)
    written += ['speedup.png', 'tflops.png', 'floor.png']
    print(f'plot.py: wrote {", ".join(written)} into {out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
