#!/usr/bin/env bash
# Siting benchmark, side by side with the peer a GIS analyst would write (peer.py:
# geopandas spatial joins + scipy cKDTree + pyproj geodesics + numpy weighted sum, same
# criteria and defaults), both over all of Japan at 1 km with the embedded geodata.
# Prints wall seconds and peak RSS (median of REPEAT runs), the land-cell counts, and the
# largest score difference on the cells of six first-level meshes (Swift --cells-only
# against the peer's arrays; the target is 1e-9). Also times 1000 sensitivity samples.
#
#   tools/bench/siting/run.sh          (venv tools/bench/.venv-siting made on first use)
set -euo pipefail
cd "$(dirname "$0")/../../.."
REPEAT=${REPEAT:-3}
OUT=${WATTBIT_BENCH_DATA:-/tmp/wattbit-bench}/siting
SCRATCH=${WATTBIT_BUILD_DIR:-$PWD/.build}
VENV=tools/bench/.venv-siting
mkdir -p "$OUT"
export WATTBIT_GEODATA="$PWD/geodata"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --disable-pip-version-check geopandas scipy numpy pyproj shapely >&2

swift build -c release --product wattbit-siting --scratch-path "$SCRATCH" >&2
BIN="$(swift build -c release --product wattbit-siting --scratch-path "$SCRATCH" --show-bin-path)/wattbit-siting"

timed() {   # prints "wall_s user_s rss_kib"
    local log="$OUT/time.log"
    /usr/bin/time -f "%e %U %M" -o "$log" "$@" >"$OUT/stdout.log" 2>"$OUT/stderr.log" || {
        echo "bench: failed: $*" >&2; cat "$OUT/stderr.log" >&2; return 1; }
    cat "$log"
}
median() { python3 -c 'import sys, statistics; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

echo "$(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)" >&2
declare -A W U R
for name in swift peer swift-sens; do W[$name]=""; U[$name]=""; R[$name]=0; done
for i in $(seq "$REPEAT"); do
    read -r w u r < <(timed "$BIN" run --top 10 --sites-only -o "$OUT/sites.geojson")
    W[swift]+="$w "; U[swift]+="$u "; R[swift]=$(( r > R[swift] ? r : R[swift] ))
    read -r w u r < <(timed "$VENV/bin/python" tools/bench/siting/peer.py geodata "$OUT/peer.npz")
    W[peer]+="$w "; U[peer]+="$u "; R[peer]=$(( r > R[peer] ? r : R[peer] ))
    read -r w u r < <(timed "$BIN" run --top 10 --sites-only --sensitivity 1000 -o "$OUT/sites-sens.geojson")
    W[swift-sens]+="$w "; U[swift-sens]+="$u "; R[swift-sens]=$(( r > R[swift-sens] ? r : R[swift-sens] ))
done
echo
echo "| all Japan, 1 km | wall s (median of $REPEAT) | user CPU s | peak RSS MiB |"
echo "|---|---|---|---|"
for name in swift peer swift-sens; do
    echo "| $name | $(median ${W[$name]}) | $(median ${U[$name]}) | $(( R[$name] / 1024 )) |"
done
echo "ratio peer/swift (wall): $(python3 -c "import sys; print(round($(median ${W[peer]}) / $(median ${W[swift]}), 2))")"

# Scores: the Swift cells of six first-level meshes against the peer's.
"$BIN" run --tile 6441,5339,5235,5033,4930,3927 --cells-only --format geojsonseq -o "$OUT/cells.geojsons"
"$VENV/bin/python" - "$OUT/cells.geojsons" "$OUT/peer.npz" <<'PY'
import json, sys
import numpy as np
peer = np.load(sys.argv[2])
index = {(int(r), int(c)): i for i, (r, c) in enumerate(zip(peer["rows"], peer["cols"]))}
worst, n, missing = 0.0, 0, 0
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip("\x1e\n")
    if not line:
        continue
    p = json.loads(line)["properties"]
    code = p["mesh_code"]
    r = int(code[0:2]) * 80 + int(code[4]) * 10 + int(code[6])
    c = int(code[2:4]) * 80 + int(code[5]) * 10 + int(code[7])
    i = index.get((r, c))
    if i is None:
        missing += 1
        continue
    worst = max(worst, abs(p["score"] - float(peer["score"][i])))
    n += 1
print(f"scores: {n} cells compared, {missing} Swift cells not land in the peer, max |Δscore| = {worst:.3g}")
print(f"land cells: peer {len(peer['rows'])}")
PY
grep -o "[0-9]* cells, [0-9]* eligible" "$OUT/stderr.log" | head -1 | sed 's/^/land cells: swift /'
