#!/usr/bin/env bash
# GeoJSON read benchmark: wattbit's reader against python json.load and
# geopandas.read_file(engine="pyogrio") on one generated ~100 MB FeatureCollection of
# 1 km mesh polygons. Prints a Markdown table (MB = 10^6 bytes; peak RSS per process).
#
#   tools/bench/geojson/run.sh [SIZE_MB]      (default 100; data in $WATTBIT_BENCH_DATA or /tmp)
set -euo pipefail
cd "$(dirname "$0")/../../.."
SIZE_MB=${1:-100}
REPEAT=${REPEAT:-3}
DATA_DIR=${WATTBIT_BENCH_DATA:-/tmp/wattbit-bench}
SCRATCH=${WATTBIT_BUILD_DIR:-$PWD/.build}
VENV=tools/bench/.venv-geojson
DATA="$DATA_DIR/mesh-${SIZE_MB}mb.geojson"
mkdir -p "$DATA_DIR"

if [ ! -s "$DATA" ]; then
    python3 tools/bench/geojson/generate.py "$DATA" --target-mb "$SIZE_MB" >&2
fi

HAVE_GEOPANDAS=1
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
if ! "$VENV/bin/python" -c "import geopandas, pyogrio" 2>/dev/null; then
    if ! "$VENV/bin/pip" install -q geopandas pyogrio >&2; then
        echo "NOTE: geopandas/pyogrio wheels could not be installed; comparing with json.load only" >&2
        HAVE_GEOPANDAS=0
    fi
fi

swift build -c release --product wattbit-bench --scratch-path "$SCRATCH" >&2
BIN="$(swift build -c release --product wattbit-bench --scratch-path "$SCRATCH" --show-bin-path)/wattbit-bench"

{
    "$BIN" geojson "$DATA" --mode read --repeat "$REPEAT"
    "$BIN" geojson "$DATA" --mode stream --repeat "$REPEAT"
    "$BIN" geojson "$DATA" --mode write --repeat "$REPEAT"
    "$VENV/bin/python" tools/bench/geojson/peers.py json "$DATA" --repeat "$REPEAT"
    if [ "$HAVE_GEOPANDAS" = 1 ]; then
        "$VENV/bin/python" tools/bench/geojson/peers.py geopandas "$DATA" --repeat "$REPEAT"
    fi
} | tee /dev/stderr | python3 tools/bench/geojson/report.py
