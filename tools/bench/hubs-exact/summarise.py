"""Medians per family, size and engine from the JSON lines of tools/bench/hubs-exact/run.sh.

    python3 summarise.py results.jsonl

One Markdown table row per (family, sites, engine): instances, median hubs (valid hubs for
spopt MaxP, whose regions have no centre or latency bound), median proven upper bound and gap
(wattbit only), how many were proven optimal, median and largest seconds.
"""
import json
import statistics
import sys
from collections import defaultdict

rows = defaultdict(list)
with open(sys.argv[1]) as f:
    for line in f:
        if line.strip():
            r = json.loads(line)
            rows[(r.get("family", "?"), r["sites"], r["engine"])].append(r)

print("| family | sites | engine | runs | hubs (median) | upper bound (median) | gap (median) | proven optimal | seconds (median) | seconds (max) |")
print("|---|---|---|---|---|---|---|---|---|---|")
order = {"wattbit-exact-on": 0, "wattbit-exact-off": 1, "spopt-maxp": 2}
for key in sorted(rows, key=lambda k: (k[0], k[1], order.get(k[2], 9))):
    rs = rows[key]
    done = [r for r in rs if not r.get("timed_out")]
    hubs = statistics.median(r.get("valid_hubs", r["hubs"]) for r in done) if done else "timed out"
    if "hubs_upper_bound" in rs[0] and done:
        bound = statistics.median(r["hubs_upper_bound"] for r in rs)
        gap = f"{100 * statistics.median(r['gap'] for r in rs):.1f} %"
        proven = f"{sum(r['optimal'] for r in rs)} / {len(rs)} (count {sum(r['count_proven'] for r in rs)})"
    else:
        bound, gap, proven = "—", "—", "—"
    secs = [r["seconds"] for r in rs]
    timed = len(rs) - len(done)
    runs = f"{len(rs)}" + (f" ({timed} cut off)" if timed else "")
    hubs = hubs if isinstance(hubs, str) else f"{hubs:g}"
    print(f"| {key[0]} | {key[1]} | {key[2]} | {runs} | {hubs} | {bound if isinstance(bound, str) else f'{bound:g}'} | {gap} | {proven} | {statistics.median(secs):.2f} | {max(secs):.2f} |")
