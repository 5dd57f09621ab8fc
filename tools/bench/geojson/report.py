#!/usr/bin/env python3
"""Reads the JSON lines of the benchmark runs on stdin and prints a Markdown table."""
import json
import sys

rows = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
print("| tool | features | wall s | CPU s | MB/s (wall) | MB/s (CPU) | peak RSS MB |")
print("|---|---:|---:|---:|---:|---:|---:|")
for r in rows:
    mb = r["bytes"] / 1e6
    print(f"| {r['tool']} | {r['features']} | {r['seconds']:.2f} | {r['cpu_seconds']:.2f} | "
          f"{mb / r['seconds']:.1f} | {mb / max(r['cpu_seconds'], 1e-9):.1f} | {r['peak_rss_mb']:.0f} |")
