#!/usr/bin/env python3
"""Tests of wattbit-landing-diversity that need nothing but Python (run by
`swift test --filter LandingDiversity` and directly: python3 test_landing_diversity.py).

- The property the measure promises: a cable landed in a region that has no landings
  never raises the HHI, checked on thousands of random station sets in both region
  modes, in process and through the executable. The HHI itself is recomputed by brute
  force from the region counts, and the clusters by a separate breadth-first search.
- The issue's scenario: new landings in Hokkaido and Kyushu lower the index.
- Hostile input: one located line on stderr, exit 65, nothing on stdout, no -o file.
"""
import importlib.machinery
import importlib.util
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN = os.path.join(HERE, "wattbit-landing-diversity")
_loader = importlib.machinery.SourceFileLoader("landing_diversity", PLUGIN)
_spec = importlib.util.spec_from_loader("landing_diversity", _loader)
ld = importlib.util.module_from_spec(_spec)
_loader.exec_module(ld)

# Real coastal places all over Japan (lon, lat): the landing stations and more.
COAST = [(141.317, 43.222), (144.38, 42.98), (141.6, 42.63), (140.73, 41.77), (141.49, 40.51), (140.05, 39.76),
         (141.03, 38.26), (138.24, 37.18), (139.05, 37.92), (140.79, 36.83), (140.59, 36.38), (139.95, 34.98),
         (139.86, 35.05), (140.1, 34.92), (136.85, 34.30), (136.07, 35.65), (133.05, 35.55), (132.08, 34.90),
         (130.88, 33.95), (130.41, 33.61), (130.2, 33.57), (132.70, 33.85), (133.57, 33.50), (129.87, 32.75),
         (130.33, 31.60), (127.68, 26.21), (127.98, 26.59), (135.17, 34.69), (135.9, 33.5), (131.44, 31.9)]


def oracle_hhi(counts):
    total = sum(counts)
    return None if total == 0 else sum((100.0 * c / total) ** 2 for c in counts)


def oracle_clusters(points, cables, km):
    """Breadth-first search over the 'within km' graph of stations with cables."""
    seen, label = {}, 0
    for s in range(len(points)):
        if cables[s] == 0 or s in seen:
            continue
        queue, seen[s] = [s], label
        while queue:
            a = queue.pop()
            for b in range(len(points)):
                if cables[b] > 0 and b not in seen and ld.haversine_km(points[a], points[b]) <= km:
                    seen[b] = label
                    queue.append(b)
        label += 1
    return seen


class NoZones:
    @staticmethod
    def containing(point):
        return None


def zone(props, point):
    return ld.zone_of(props, point, NoZones)


def random_stations(rng, pool):
    n = rng.randint(1, 12)
    stations = []
    for k in range(n):
        x, y = rng.choice(pool)
        point = [round(x + rng.uniform(-0.05, 0.05), 5), round(y + rng.uniform(-0.05, 0.05), 5)]
        cables = rng.choice([0, 1, 1, 2, 3, 5, 9])
        stations.append((point, f"s{k}", cables, {"zone": rng.choice(["boso", "shima", "other"])}))
    return stations


class PropertyTests(unittest.TestCase):
    def test_cluster_mode_new_region_never_raises_hhi(self):
        rng = random.Random(15)
        checked = 0
        for case in range(3000):
            stations = random_stations(rng, COAST)
            km = rng.choice([0, 10, 50, 150, 400])
            x, y = rng.choice(COAST)
            landing = ([x + rng.uniform(-0.3, 0.3), y + rng.uniform(-0.3, 0.3)], "new", 1, {})
            rows, planned, summary = ld.measure(stations, [landing], ld.ClusterRegions(km), zone)
            # Independent oracle for the regions: BFS clusters; the landing is in a new
            # region exactly when no station with cables is within km of it.
            points = [s[0] for s in stations]
            cables = [s[2] for s in stations]
            clusters = oracle_clusters(points, cables, km)
            counts = {}
            for k, label in clusters.items():
                counts[label] = counts.get(label, 0) + cables[k]
            self.assertAlmostEqual(oracle_hhi(list(counts.values())) or 0, summary["hhi_before"] or 0, places=6)
            near = any(cables[k] > 0 and ld.haversine_km(points[k], landing[0]) <= km for k in range(len(points)))
            self.assertEqual(planned[0]["new_region"], not near, f"case {case}")
            if near:
                continue
            checked += 1
            self.assertAlmostEqual(oracle_hhi(list(counts.values()) + [1]), summary["hhi_after"], places=6)
            if summary["hhi_before"] is not None:
                self.assertLessEqual(summary["hhi_after"], summary["hhi_before"] + 1e-9, f"case {case}: {stations}")
        self.assertGreater(checked, 1000)

    def test_prefecture_mode_new_region_never_raises_hhi(self):
        rng = random.Random(7)
        regions = ld.PrefectureRegions(30)
        prefecture = {p: regions.region(list(p), "x")[0] for p in COAST}
        checked = 0
        for case in range(500):
            stations = random_stations(rng, COAST)
            rows, _, base = ld.measure(stations, [], regions, zone)
            empty = [p for p in COAST if all(r["region"] != prefecture[p] or r["cables_before"] == 0 for r in rows)]
            if not empty:
                continue
            landing = (list(rng.choice(empty)), "new", 1, {})
            rows, planned, summary = ld.measure(stations, [landing], regions, zone)
            self.assertTrue(planned[0]["new_region"])
            counts = [r["cables_after"] for r in rows]
            self.assertAlmostEqual(oracle_hhi(counts), summary["hhi_after"], places=6)
            if summary["hhi_before"] is not None:
                checked += 1
                self.assertLessEqual(summary["hhi_after"], summary["hhi_before"] + 1e-9, f"case {case}")
        self.assertGreater(checked, 150)

    def test_several_cables_in_one_new_region_can_raise_it(self):
        # The promise is per cable: ten regions of one cable each (HHI 1000), then five
        # cables into an eleventh: shares 1/15 x 10 and 5/15 give HHI 1555.6.
        self.assertAlmostEqual(oracle_hhi([1] * 10 + [5]), 1555.5555, places=3)
        self.assertGreater(oracle_hhi([1] * 10 + [5]), oracle_hhi([1] * 10))


def run(args, stdin=b"", env=None):
    return subprocess.run([sys.executable, PLUGIN, "run", "--progress", "none"] + args, input=stdin,
                          capture_output=True, timeout=60, env=env)


def collection(features):
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def point(lon, lat, props):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def summary_of(result):
    doc = json.loads(result.stdout)
    return next(f["properties"] for f in doc["features"] if f["properties"]["role"] == "diversity-summary")


class ExecutableTests(unittest.TestCase):
    def test_property_through_the_executable(self):
        rng = random.Random(2026)
        regions = ld.PrefectureRegions(30)
        with tempfile.TemporaryDirectory() as work:
            for case in range(20):
                stations = random_stations(rng, COAST)
                path = os.path.join(work, "stations.geojson")
                with open(path, "wb") as f:
                    f.write(collection([point(*s[0], {"cables": s[2], "name": s[1]}) for s in stations]))
                before = run(["--stations", path])
                self.assertEqual(before.returncode, 0, before.stderr)
                occupied = {f["properties"]["region"] for f in json.loads(before.stdout)["features"]
                            if f["properties"]["role"] == "region-share" and f["properties"]["cables_before"] > 0}
                empty = [p for p in COAST if regions.region(list(p), "x")[0] not in occupied]
                landing = rng.choice(empty)
                after = run(["--stations", path, "--planned", "-"],
                            stdin=collection([point(*landing, {"role": "landing", "name": "new"})]))
                self.assertEqual(after.returncode, 0, after.stderr)
                s = summary_of(after)
                if s["hhi_before"] is not None:
                    self.assertLessEqual(s["hhi_after"], s["hhi_before"], f"case {case}")

    def test_hokkaido_and_kyushu_landings_lower_concentration(self):
        # issue 15: `wattbit cable --from Ishikari --to Kitakyushu --routes 2` piped in used
        # to raise the zone HHI from 3639 to 3800. Its two landings, each with two routes:
        planned = collection([point(141.31739, 43.22156, {"role": "landing", "name": "Ishikari", "routes": [1, 2]}),
                              point(130.86, 33.93, {"role": "landing", "name": "Kitakyushu", "routes": [1, 2]})])
        result = run(["--planned", "-"], stdin=planned)
        self.assertEqual(result.returncode, 0, result.stderr)
        s = summary_of(result)
        # Embedded stations: Chiba 11, Ibaraki 5, Mie 5, Fukuoka 2, Hokkaido 1, Niigata 1,
        # Okinawa 1 cables: HHI = (121+25+25+4+1+1+1)/26^2 x 10^4 = 2633.1.
        self.assertEqual(s["hhi_before"], 2633.1)
        # After: Hokkaido 3, Fukuoka 4: (121+25+25+16+9+1+1)/30^2 x 10^4 = 2200.0.
        self.assertEqual(s["hhi_after"], 2200.0)
        self.assertEqual(s["boso_shima_share_before"], round(16 / 26, 4))
        self.assertEqual(s["boso_shima_share_after"], round(16 / 30, 4))


HOSTILE = [
    # (label, --stations text, expected fragments of the one error line)
    ("feature without coordinates",
     '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point"},"properties":{"cables":1}}]}',
     ["<stdin>:1:", "features[0].geometry: Point has no \"coordinates\" member"]),
    ("unpaired surrogate",
     '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[139,35]},'
     '"properties":{"cables":1,"name":"\\ud83d"}}]}',
     ["<stdin>:1:", "features[0].properties.name: unpaired surrogate \\uD83D in a string"]),
    ("NaN",
     '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[NaN,35]},'
     '"properties":{"cables":1}}]}',
     ["<stdin>:1:", "NaN is not a valid JSON number"]),
    ("1e400",
     '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[139,35]},'
     '"properties":{"cables":1e400}}]}',
     ["<stdin>:1:", "features[0].properties.cables: number 1e400 is too large for a double"]),
    ("duplicate key",
     '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[139,35]},'
     '"properties":{"cables":1,"cables":2}}]}',
     ["<stdin>:1:", "features[0].properties.cables: duplicate member \"cables\""]),
    ("EPSG:3857 crs",
     '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},'
     '"features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[139,35]},"properties":{"cables":1}}]}',
     ["<stdin>:1:", "crs: crs \"urn:ogc:def:crs:EPSG::3857\" is not WGS84/JGD2011"]),
    ("deep nesting",
     '{"type":"FeatureCollection","features":[' + "[" * 100000 + "]" * 100000 + "]}",
     ["<stdin>:1:", "nesting deeper than 256 levels"]),
    ("cables overflow",
     '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[139,35]},'
     '"properties":{"cables":12345678901234567890123}}]}',
     ["features[0]", "\"cables\" must be a list of cable names or a whole number"]),
]


class HostileInputTests(unittest.TestCase):
    def test_rows(self):
        for label, text, fragments in HOSTILE:
            with self.subTest(label), tempfile.TemporaryDirectory() as work:
                out = os.path.join(work, "out.geojson")
                result = run(["--stations", "-", "-o", out], stdin=text.encode())
                self.assertEqual(result.returncode, 65, result.stderr)
                self.assertEqual(result.stdout, b"")
                lines = result.stderr.decode().splitlines()
                self.assertEqual(len(lines), 1, result.stderr)
                for fragment in fragments:
                    self.assertIn(fragment, lines[0])
                self.assertEqual(os.listdir(work), [])


if __name__ == "__main__":
    unittest.main(verbosity=1)
