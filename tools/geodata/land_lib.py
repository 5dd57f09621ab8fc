"""Shared helpers (a library, not a generator) for the geodata generators run by tools/build-geodata.

Deterministic GeoJSON writing (fixed key order, fixed coordinate precision, one feature
per line) so that the same inputs always give byte-identical files.
"""
import json
import math
import os
import subprocess

from shapely.geometry import mapping

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GEODATA = os.path.join(REPO, "geodata")
TABLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tables")
SCRATCH = os.environ.get("WATTBIT_GEODATA_SCRATCH", os.path.join(REPO, ".build-data"))

# Region covered by the embedded geodata (lon/lat degrees).
REGION = (120.0, 155.0, 20.0, 47.0)
GMT_REGION = "-R120/155/20/47"


def run(cmd, stdin=None):
    """Runs a command and returns its stdout as text; raises with stderr on failure."""
    res = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}): {res.stderr.strip()}")
    return res.stdout


def _fmt(x, decimals):
    s = f"{x:.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s in ("-0", ""):
        s = "0"
    return s


def _coords(c, decimals):
    if isinstance(c, (int, float)):
        return _fmt(float(c), decimals)
    return "[" + ",".join(_coords(x, decimals) for x in c) + "]"


def geometry_json(geom, decimals):
    m = mapping(geom)
    return '{"type":"%s","coordinates":%s}' % (m["type"], _coords(m["coordinates"], decimals))


def write_feature_collection(path, features, decimals=5, name=None):
    """features: list of (properties dict in key order, shapely geometry)."""
    lines = []
    for props, geom in features:
        p = json.dumps(props, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        lines.append('{"type":"Feature","properties":%s,"geometry":%s}' % (p, geometry_json(geom, decimals)))
    head = '{"type":"FeatureCollection",'
    if name:
        head += '"name":%s,' % json.dumps(name)
    text = head + '"features":[\n' + ",\n".join(lines) + "\n]}\n"
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
    return len(text.encode("utf-8"))


def read_features(path):
    from shapely.geometry import shape
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return [(ft["properties"], shape(ft["geometry"])) for ft in doc["features"]]


_GEOD = None


def geod():
    global _GEOD
    if _GEOD is None:
        from pyproj import Geod
        _GEOD = Geod(ellps="GRS80")
    return _GEOD


def area_km2(geom):
    """Geodesic area on GRS80 in km² (polygon or multipolygon, holes subtracted)."""
    a, _ = geod().geometry_area_perimeter(geom)
    return abs(a) / 1e6


def distance_km(lon1, lat1, lon2, lat2):
    _, _, d = geod().inv(lon1, lat1, lon2, lat2)
    return d / 1000.0


def round_area(a):
    if a >= 100:
        return round(a, 1)
    if a >= 1:
        return round(a, 2)
    return round(a, 4)


def local_aeqd(lon, lat):
    """A metric azimuthal-equidistant projection centred on (lon, lat): (forward, inverse)."""
    from pyproj import Transformer
    crs = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=GRS80 +units=m +no_defs"
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return fwd, inv


def ensure_scratch():
    os.makedirs(SCRATCH, exist_ok=True)
    return SCRATCH


def project(geom, transformer):
    """Applies a pyproj Transformer (always_xy) to every coordinate of a shapely geometry."""
    import numpy as np
    import shapely

    def f(c):
        x, y = transformer.transform(c[:, 0], c[:, 1])
        return np.column_stack([x, y])
    return shapely.transform(geom, f)
