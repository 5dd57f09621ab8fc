#!/usr/bin/env bash
# Cable-routing benchmark: WattBit's engine (release) beside scikit-image MCP_Geometric on a
# raster of the same land and the PyPI `searoute` package, on the same cases.
# Usage: tools/bench/cable/run.sh [--cell-km 2]   (from the repository root or anywhere)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
scratch="${WATTBIT_BUILD_DIR:-$root/.build}"
cell_km=2
if [[ "${1:-}" == "--cell-km" ]]; then cell_km="$2"; fi

swift build -c release --scratch-path "$scratch" --product wattbit-bench >&2
venv="$root/tools/bench/.venv-cable"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check numpy scikit-image searoute pyproj
fi
out="$(mktemp -d)"
"$scratch/release/wattbit-bench" cable --geodata "$root/geodata" --cell-km "$cell_km" \
  --routes-out "$out/wattbit-routes.geojson" > "$out/wattbit.jsonl"
"$venv/bin/python" "$root/tools/bench/cable/compare.py" "$root/geodata" "$out/wattbit.jsonl" "$cell_km"

# Many pairs over one surface (wattbit cable --pairs/--matrix): N seeded pairs, beside
# MCP_Geometric run one-to-many. Pair count: WATTBIT_BATCH_PAIRS (default 1000).
"$scratch/release/wattbit-bench" cable-batch --geodata "$root/geodata" --pairs "${WATTBIT_BATCH_PAIRS:-1000}" \
  --pairs-out "$out/pairs.jsonl" > "$out/batch.json"
"$venv/bin/python" "$root/tools/bench/cable/batch.py" "$root/geodata" "$out/pairs.jsonl" "$out/batch.json" "$cell_km"

# K routes: greedy total cost against CableRouter.replan.
"$scratch/release/wattbit-bench" cable-replan --geodata "$root/geodata"

# K routes: greedy against the joint selection (candidates on the sea surface, CBC), side by
# side: total length and cost, proven optimality and gap, seconds. Repeats per case for the
# median times: WATTBIT_JOINT_REPEATS (default 1).
"$scratch/release/wattbit-bench" cable-joint --geodata "$root/geodata" --repeats "${WATTBIT_JOINT_REPEATS:-1}"
# The selection model alone on random conflict graphs of 25–400 candidates: where CBC stops
# proving the optimum quickly (the reason for the 400-candidate limit).
"$scratch/release/wattbit-bench" cable-joint-mip --sizes 25,50,100,200,400 --routes 3,5,10
