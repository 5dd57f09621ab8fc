#!/usr/bin/env bash
# Siting benchmark, side by side with the peer a GIS analyst would write (peer.py:
# geopandas spatial joins + scipy cKDTree + pyproj geodesics + numpy weighted sum, same
# criteria and defaults), both over all of Japan at 1 km with the embedded geodata.
# Swift runs: the site ranking alone (--sites-only), the default output (sites and
# candidate areas: the exact score of every cell that may reach --min-score), and the
# default output with --summary (the exact score of every eligible cell, as the peer
# computes every cell's). Prints wall and user CPU seconds and peak RSS (medians of REPEAT
# runs; the peer, which takes about a minute, PEER_REPEAT runs), the ratios, the land-cell counts and the largest score
# difference on the cells of six first-level meshes (Swift --cells-only against the peer's
# arrays; the target is 1e-9). Also: 1000 sensitivity samples over the best 1000 cells, and
# a national 250 m run (about 5.8 M land cells).
#
#   tools/bench/siting/run.sh          (venv tools/bench/.venv-siting made on first use)
#   REPEAT=5 PEER_REPEAT=1 WITH_250M=1 tools/bench/siting/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
REPEAT=${REPEAT:-5}
PEER_REPEAT=${PEER_REPEAT:-1}
WITH_250M=${WITH_250M:-1}
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

timed() {   # timed NAME COMMAND…: appends "wall user rss_kib" to $OUT/NAME.times
    local name=$1; shift
    /usr/bin/time -f "%e %U %M" -o "$OUT/time.log" "$@" >"$OUT/stdout.log" 2>"$OUT/stderr.log" || {
        echo "bench: failed: $*" >&2; cat "$OUT/stderr.log" >&2; return 1; }
    cat "$OUT/time.log" >> "$OUT/$name.times"
}
column_median() {   # column_median NAME COLUMN
    python3 -c 'import sys, statistics; print(statistics.median(float(l.split()[int(sys.argv[2])]) for l in open(sys.argv[1])))' \
        "$OUT/$1.times" "$2"
}
column_max() { python3 -c 'import sys; print(max(int(l.split()[2]) for l in open(sys.argv[1])))' "$OUT/$1.times"; }
row() { echo "| $2 | $(column_median "$1" 0) | $(column_median "$1" 1) | $(( $(column_max "$1") / 1024 )) |"; }

echo "$(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%FT%TZ)" >&2
rm -f "$OUT"/*.times
for i in $(seq "$REPEAT"); do
    timed swift "$BIN" run --top 10 --sites-only --progress none -o "$OUT/sites.geojson"
    timed swift-sens "$BIN" run --top 10 --sites-only --sensitivity 1000 --progress none -o "$OUT/sites-sens.geojson"
    timed swift-default "$BIN" run --progress none -o "$OUT/default.geojson"
    timed swift-summary "$BIN" run --progress none --summary "$OUT/summary.csv" -o "$OUT/default-summary.geojson"
done
for i in $(seq "$PEER_REPEAT"); do
    timed peer "$VENV/bin/python" tools/bench/siting/peer.py geodata "$OUT/peer.npz"
done
if [ "$WITH_250M" = 1 ]; then
    # --progress json: the run's one-line summary (cell counts) goes to stderr with it.
    timed swift-250m "$BIN" run --mesh-level 250m --top 10 --sites-only --progress json -o "$OUT/sites-250m.geojson"
    grep -o "[0-9]* cells, [0-9]* eligible" "$OUT/stderr.log" | head -1 | sed 's/^/250 m land cells: /' || true
fi

echo
echo "| all Japan, 1 km | wall s (median) | user CPU s (median) | peak RSS MiB |"
echo "|---|---|---|---|"
row swift "wattbit-siting --top 10 --sites-only ($REPEAT runs)"
row swift-sens "… --sensitivity 1000 ($REPEAT runs)"
row swift-default "wattbit-siting, default output: sites and areas ($REPEAT runs)"
row swift-summary "… --summary FILE: every eligible cell exact ($REPEAT runs)"
row peer "peer: geopandas + cKDTree + pyproj + numpy ($PEER_REPEAT run)"
[ "$WITH_250M" = 1 ] && row swift-250m "wattbit-siting --mesh-level 250m --top 10 --sites-only (1 run)"
echo
ratio() {   # ratio NAME LABEL: peer/NAME for wall and user CPU medians
    echo "ratio peer/swift ($2), wall: $(python3 -c "print(round($(column_median peer 0) / $(column_median "$1" 0), 1))")," \
         "user CPU: $(python3 -c "print(round($(column_median peer 1) / $(column_median "$1" 1), 1))")"
}
ratio swift "--sites-only"
ratio swift-default "default output"
ratio swift-summary "--summary"
echo "1000 sensitivity samples over the best 1000 cells: +$(python3 -c "print(round($(column_median swift-sens 0) - $(column_median swift 0), 2))") s wall"

# Scores: the Swift cells of six first-level meshes against the peer's.
"$BIN" run --tile 6441,5339,5235,5033,4930,3927 --cells-only --progress none -o "$OUT/cells.geojsons"
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
"$BIN" run --top 10 --sites-only --progress json 2>&1 >/dev/null | grep -o "[0-9]* cells, [0-9]* eligible" | head -1 | sed 's/^/land cells: swift /'
