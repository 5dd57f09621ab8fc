#!/usr/bin/env python3
"""Prints the demo's short summary from its outputs (out/*.geojson): routes with lengths
and subsidy rates, hubs with MW and scores, fiber-gap totals. Standard library only."""
import csv
import glob
import json
import os
import sys


def features(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return []
    text = text.strip()
    if not text:
        return []
    if text.startswith("\x1e") or "\n\x1e" in text:
        return [json.loads(r) for r in text.split("\x1e") if r.strip()]
    doc = json.loads(text)
    return doc.get("features", [doc]) if doc.get("type") == "FeatureCollection" else [doc]


def props(f):
    return f.get("properties") or {}


def number(value, digits=0):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def main(out):
    print("\nNew submarine-cable routes")
    print(f"  {'rank':>4}  {'from':<22} {'to':<30} {'km':>7} {'detour':>6} {'min sep km':>10} {'subsidy':>7}")
    for path in sorted(glob.glob(os.path.join(out, "routes-*.geojson"))):
        for f in features(path):
            p = props(f)
            if p.get("role") != "route":
                continue
            subsidy = p.get("subsidy_rate")
            subsidy_text = "–" if subsidy is None else ("4/5" if abs(subsidy - 0.8) < 1e-9 else number(subsidy, 2))
            print(f"  {p.get('rank', '?'):>4}  {str(p.get('from', '?'))[:22]:<22} {str(p.get('to', '?'))[:30]:<30} "
                  f"{number(p.get('length_km')):>7} {number(p.get('detour_ratio'), 2):>6} "
                  f"{number(p.get('min_separation_km')):>10} {subsidy_text:>7}")

    hubs = [props(f) for f in features(os.path.join(out, "hubs.geojson")) if props(f).get("role") == "hub"]
    hubs.sort(key=lambda p: p.get("rank", 1e9))
    print(f"\nGW-class DC hubs: {len(hubs)}")
    for p in hubs:
        name = p.get("name_en") or p.get("name") or p.get("hub_id")
        extra = []
        for key in ("decarbonised_mw", "decarbonised_mw_within_radius", "rtt_ms_tokyo", "rtt_ms_to_tokyo", "score"):
            if key in p:
                extra.append(f"{key} {number(p[key], 2 if isinstance(p[key], float) and p[key] < 100 else 0)}")
        print(f"  #{p.get('rank', '?')} {name}: {number(p.get('total_mw'))} MW, {p.get('members', '?')} sites"
              + (f" ({', '.join(extra)})" if extra else ""))

    gaps = [props(f) for f in features(os.path.join(out, "gaps.geojson")) if props(f).get("role") == "gap"]
    people = sum(p.get("population", 0) or 0 for p in gaps)
    households = sum(p.get("households", 0) or 0 for p in gaps)
    cost = sum(p.get("extension_cost_jpy", 0) or 0 for p in gaps)
    islands = sum(1 for p in gaps if p.get("island"))
    national = None
    try:
        with open(os.path.join(out, "gaps-by-prefecture.csv"), encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row.get("level") == "national":
                    national = row
    except OSError:
        pass
    if national and float(national.get("households") or 0) > 0:
        share = float(national["covered_households"]) / float(national["households"])
        print(f"\nFiber reaches {100 * share:.2f} % of households (synthetic demo network, calibrated to MIC's "
              f"99.84 % FTTH household coverage at the end of FY2022)")
    print(f"\nFiber gaps: {len(gaps)} gaps ({islands} on islands), {number(people)} people, "
          f"{number(households)} households; closing all ≈ ¥{number(cost / 1e8, 1)} hundred million")
    for p in gaps[:5]:
        print(f"  {p.get('prefecture', '?')}: {number(p.get('population'))} people, "
              f"{number(p.get('extension_km'), 1)} km extension, ¥{number(p.get('cost_per_person_jpy'))}/person")
    diversity = [props(f) for f in features(os.path.join(out, "landing-diversity.geojson"))
                 if props(f).get("role") == "diversity-summary"]
    if diversity:
        d = diversity[0]

        def share(x):
            return "–" if x is None else f"{100 * x:.0f} %"
        print(f"\nCable landings by {d.get('region_by', 'region')}: HHI {number(d.get('hhi_before'))} → "
              f"{number(d.get('hhi_after'))} ({d.get('concentration_after', '?')}), effective regions "
              f"{number(d.get('effective_regions_before'), 1)} → {number(d.get('effective_regions_after'), 1)}; "
              f"Boso+Shima {share(d.get('boso_shima_share_before'))} → {share(d.get('boso_shima_share_after'))} "
              f"with {d.get('planned_landings', 0)} planned landings")
    sites = [props(f) for f in features(os.path.join(out, "siting.geojson")) if props(f).get("role") == "site"]
    if sites:
        print(f"\nNew GW-class DC sites (wattbit siting, 1 km, outside the metro areas): {len(sites)}")
        for p in sites[:10]:
            stability = p.get("stability")
            print(f"  #{p.get('rank')} mesh {p.get('mesh_code')} (pref. {p.get('prefecture_code')}): score "
                  f"{number(p.get('score'), 3)}, decarbonised {number(p.get('decarbonised_mw'))} MW, substation "
                  f"{number(p.get('substation_km'), 1)} km, RTT Tokyo {number(p.get('rtt_tokyo_ms'), 1)} ms"
                  + ("" if stability is None else f", stable in {100 * stability:.0f} % of weight draws"))
    print(f"\nOutputs in {out}/: " + ", ".join(sorted(os.path.basename(p) for p in glob.glob(os.path.join(out, "*")))))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "out")
