#!/usr/bin/env bash
# Big-layer map benchmark: `wattbit-map run` on a 400,000-cell 1 km mesh layer over Japan
# (tools/bench/map/generate.py: role gap + population) to SVG and to HTML, then headless
# chromium screenshots of the HTML to show that a browser opens the result quickly.
# Prints a Markdown table: wall seconds and peak RSS (/usr/bin/time -v, median of REPEAT
# runs), output size, whether two runs are byte-identical, and the screenshot times of the
# big map and of an empty page (chromium's own start-up) for comparison.
#
#   tools/bench/map/run.sh [CELLS]     (default 400000; data in $WATTBIT_BENCH_DATA or /tmp)
set -euo pipefail
cd "$(dirname "$0")/../../.."
CELLS=${1:-400000}
REPEAT=${REPEAT:-3}
DATA_DIR=${WATTBIT_BENCH_DATA:-/tmp/wattbit-bench}
SCRATCH=${WATTBIT_BUILD_DIR:-$PWD/.build}
DATA="$DATA_DIR/map-mesh-$CELLS.geojson"
OUT="$DATA_DIR/map-out"
mkdir -p "$DATA_DIR" "$OUT"

if [ ! -s "$DATA" ]; then
    python3 tools/bench/map/generate.py "$DATA" --cells "$CELLS" >&2
fi

swift build -c release --product wattbit-map --scratch-path "$SCRATCH" >&2
BIN="$(swift build -c release --product wattbit-map --scratch-path "$SCRATCH" --show-bin-path)/wattbit-map"

# The output-format parameter's flag, as the manifest names it (`format` or `map_format`).
FORMAT_FLAG=$("$BIN" describe | python3 -c '
import json, sys
names = [p["name"] for p in json.load(sys.stdin)["parameters"]]
print("--" + next((n for n in ("format", "map_format") if n in names), "format").replace("_", "-"))')

# One timed run: prints "seconds rss_kib"; exits non-zero (with the tool's stderr) on failure.
timed() {
    local log="$OUT/time.log"
    if ! /usr/bin/time -v -o "$log" "$@" 2>"$OUT/stderr.log"; then
        echo "bench: failed: $*" >&2
        cat "$OUT/stderr.log" "$log" >&2
        return 1
    fi
    python3 - "$log" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
seconds = 0.0
for part in wall.split(":"):
    seconds = seconds * 60 + float(part)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
print(f"{seconds:.2f} {rss}")
EOF
}

median() { python3 -c 'import sys, statistics; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

cpu="$(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo "input: $DATA ($(du -m "$DATA" | cut -f1) MB, $CELLS cells); $cpu" >&2
echo
echo "| output | wall s (median of $REPEAT) | peak RSS MiB | size KiB | deterministic |"
echo "|---|---|---|---|---|"
for format in svg html; do
    seconds=(); rss=()
    for i in $(seq "$REPEAT"); do
        read -r s r < <(timed "$BIN" run --layer "$DATA" "$FORMAT_FLAG" "$format" \
            --title "400k-cell 1 km mesh" -o "$OUT/big-$i.$format")
        seconds+=("$s"); rss+=("$r")
    done
    same=yes
    if [ "$REPEAT" -gt 1 ] && ! cmp -s "$OUT/big-1.$format" "$OUT/big-2.$format"; then same=NO; fi
    cp "$OUT/big-1.$format" "$OUT/big.$format"
    size_kib=$(( $(stat -c %s "$OUT/big.$format") / 1024 ))
    rss_mib=$(python3 -c "import sys; print(round(max(int(x) for x in sys.argv[1:]) / 1024))" "${rss[@]}")
    echo "| $format | $(median "${seconds[@]}") | $rss_mib | $size_kib | $same |"
done

# A browser opening the page: chromium renders it headless and saves a screenshot. The empty
# page measures chromium's own start-up, so the difference is the map's cost.
BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$BROWSER" ]; then
    echo
    echo "SKIPPED: no chromium on PATH; the browser timing did not run (tools/setup installs it)"
    exit 0
fi
printf '<!doctype html><title>empty</title>\n' > "$OUT/empty.html"
shot() {
    local page=$1 png=$2 start end
    rm -f "$png"
    start=$(date +%s.%N)
    "$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,900 \
        --user-data-dir="$OUT/chromium-profile" --screenshot="$png" "file://$page" >/dev/null 2>&1
    end=$(date +%s.%N)
    if [ ! -s "$png" ]; then echo "bench: chromium wrote no screenshot of $page" >&2; return 1; fi
    python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$start" "$end"
}
shot "$OUT/empty.html" "$OUT/empty.png" >/dev/null   # warm the profile and the page cache
empty=(); big=(); svg=()
for i in $(seq "$REPEAT"); do
    empty+=("$(shot "$OUT/empty.html" "$OUT/empty.png")")
    big+=("$(shot "$OUT/big.html" "$OUT/big.png")")
    svg+=("$(shot "$OUT/big.svg" "$OUT/big-svg.png")")
done
echo
echo "| chromium --headless --screenshot | wall s (median of $REPEAT) |"
echo "|---|---|"
echo "| empty page (browser start-up) | $(median "${empty[@]}") |"
echo "| big.html ($(( $(stat -c %s "$OUT/big.html") / 1024 )) KiB) | $(median "${big[@]}") |"
echo "| big.svg ($(( $(stat -c %s "$OUT/big.svg") / 1024 )) KiB) | $(median "${svg[@]}") |"
echo
echo "screenshot: $OUT/big.png ($(( $(stat -c %s "$OUT/big.png") / 1024 )) KiB)"
