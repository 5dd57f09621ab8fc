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
    hubs = statistics.median(r.get("valid_hubs", r["hubs"]) for r in rs)
    if "hubs_upper_bound" in rs[0]:
        bound = statistics.median(r["hubs_upper_bound"] for r in rs)
        gap = f"{100 * statistics.median(r['gap'] for r in rs):.1f} %"
        proven = f"{sum(r['optimal'] for r in rs)} / {len(rs)} (count {sum(r['count_proven'] for r in rs)})"
    else:
        bound, gap, proven = "—", "—", "—"
    secs = [r["seconds"] for r in rs]
    print(f"| {key[0]} | {key[1]} | {key[2]} | {len(rs)} | {hubs:g} | {bound if isinstance(bound, str) else f'{bound:g}'} | {gap} | {proven} | {statistics.median(secs):.2f} | {max(secs):.2f} |")
