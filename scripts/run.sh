#!/usr/bin/env bash
# The main job: set up and build (scripts/setup.sh), compile the default shape
# set (shapes/dsv4.json) into a bundle, and print what was built. On a machine
# with a GPU, also check every kernel against the fp64 reference and time it
# beside cuBLASLt.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
./scripts/setup.sh
./scripts/compile-bundles.sh

echo
echo "== out/bundles/dsv4: what was built"
python3 - <<'PY'
import json
m = json.load(open("out/bundles/dsv4/manifest.json"))
print(f"{m['compiler']}, chip {m['chip']}, options {m['options_hash']}, {len(m['variants'])} variants")
# schedule: ws (one CTA per tile) or persistent (one per SM, looping over
# tiles); cluster: cluster_m x cluster_n CTAs sharing y and x (multicast);
# config: measured in a sweep (tuned) or chosen by the model.
print(f"{'variant':26} {'M range':>15} {'tile (MxNxK)':>13} {'schedule':>10} {'stages':>6} "
      f"{'split':>5} {'cluster':>7} {'threads':>7} {'smem KiB':>8} {'cubin':>5} {'config':>6}")
for v in m["variants"]:
    c = v["config"]
    hi = "max" if v["m_max"] >= 2**31 - 1 else v["m_max"]
    tile = f"{c['block_m']}x{c['block_n']}x{c['block_k']}"
    cluster = f"{c['cluster_m']}x{c['cluster_n']}"
    sched = "ws" if c["schedule"] == "warp_specialized" else c["schedule"]
    print(f"{v['name']:26} {str(v['m_min']) + '-' + str(hi):>15} {tile:>13} {sched:>10} {c['stages']:>6} "
          f"{c['split_k']:>5} {cluster:>7} {v['block'][0]:>7} "
          f"{v['dynamic_smem_bytes'] / 1024:>8.1f} {'yes' if v['cubin'] else 'no':>5} "
          f"{v.get('config_source', '-'):>6}")
PY

if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then
  echo
  echo "== GPU found: checking every kernel"
  ./scripts/gpu-check.sh
  if [ -x scripts/gpu-bench.sh ]; then
    echo "== timing against cuBLASLt"
    ./scripts/gpu-bench.sh
  fi
else
  echo
  echo "No GPU here: checking and timing need one (run scripts/gpu-check.sh and"
  echo "scripts/gpu-bench.sh on a machine with an H100)."
fi
