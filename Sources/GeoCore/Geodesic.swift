import CPROJ

/// Geodesics on the GRS80 ellipsoid (JGD2011; identical to WGS84 to 0.1 mm on the surface),
/// solved with Karney's algorithms (C. F. F. Karney, "Algorithms for geodesics",
/// J. Geodesy 87, 43–55, 2013) as shipped in PROJ's `geodesic.h`. Accurate to about 15 nm;
/// needs no PROJ context and no database, so every function here is thread-safe.
///
/// Positions are RFC 7946 lon/lat degrees; distances are metres or kilometres as named.
/// Non-finite input yields NaN results rather than a trap.
public enum Geodesic {
    /// GRS80 semi-major axis in metres.
    public static let equatorialRadiusMeters = 6_378_137.0
    /// GRS80 flattening (derived from J2, as used by JGD2011).
    public static let flattening = 1.0 / 298.257222101

    /// Distance and forward azimuths (degrees clockwise from north, in −180…180) of the
    /// shortest geodesic from `a` to `b`. O(1), about a microsecond.
    public static func inverse(_ a: Position, _ b: Position)
        -> (distanceMeters: Double, azimuth1: Double, azimuth2: Double) {
        var s12 = 0.0, azi1 = 0.0, azi2 = 0.0
        withUnsafePointer(to: grs80) { g in
            geod_inverse(g, a.lat, a.lon, b.lat, b.lon, &s12, &azi1, &azi2)
        }
        return (s12, azi1, azi2)
    }

    /// Geodesic distance in kilometres.
    public static func distanceKm(_ a: Position, _ b: Position) -> Double {
        distanceMeters(a.lon, a.lat, b.lon, b.lat) / 1000
    }

    /// Distance in metres between two lon/lat pairs; skips the azimuth output.
    @inline(__always)
    static func distanceMeters(_ lon1: Double, _ lat1: Double, _ lon2: Double, _ lat2: Double) -> Double {
        var s12 = 0.0
        geod_inverse(GRS80.shared.pointer, lat1, lon1, lat2, lon2, &s12, nil, nil)
        return s12
    }

    /// The point reached by travelling `distanceMeters` along the geodesic that leaves
    /// `from` at `azimuthDegrees` (clockwise from north). Longitude is returned in −180…180.
    public static func direct(from: Position, azimuthDegrees: Double, distanceMeters: Double) -> Position {
        var lat2 = 0.0, lon2 = 0.0
        withUnsafePointer(to: grs80) { g in
            geod_direct(g, from.lat, from.lon, azimuthDegrees, distanceMeters, &lat2, &lon2, nil)
        }
        return Position(lon2, lat2)
    }

    /// The point at `fraction` (0…1) of the way along the geodesic from `a` to `b`.
    public static func interpolate(_ a: Position, _ b: Position, fraction: Double) -> Position {
        var line = geod_geodesicline()
        var lat = 0.0, lon = 0.0
        withUnsafePointer(to: grs80) { g in
            geod_inverseline(&line, g, a.lat, a.lon, b.lat, b.lon, 0)
        }
        // Capabilities 0 means the default set, which includes GEOD_DISTANCE_IN and LONGITUDE.
        geod_position(&line, line.s13 * fraction, &lat, &lon, nil)
        return Position(lon, lat)
    }

    /// Inserts points so no segment is longer than `maxSegmentKm`; each original segment is
    /// split into the fewest equal geodesic pieces that satisfy the limit. Original vertices
    /// are kept exactly (including altitude); inserted ones have none. A non-positive or
    /// non-finite limit returns the line unchanged. O(output length).
    public static func densify(_ line: [Position], maxSegmentKm: Double) -> [Position] {
        guard line.count >= 2, maxSegmentKm > 0, maxSegmentKm.isFinite else { return line }
        let maxMeters = maxSegmentKm * 1000
        var out: [Position] = []
        out.reserveCapacity(line.count)
        out.append(line[0])
        withUnsafePointer(to: grs80) { g in
            for i in 1..<line.count {
                let a = line[i - 1], b = line[i]
                var geodesicLine = geod_geodesicline()
                geod_inverseline(&geodesicLine, g, a.lat, a.lon, b.lat, b.lon, 0)
                let total = geodesicLine.s13
                if total.isFinite, total > maxMeters {
                    // Cap the piece count so absurd inputs cannot exhaust memory.
                    let pieces = Int(min((total / maxMeters).rounded(.up), 10_000_000))
                    for k in 1..<pieces {
                        var lat = 0.0, lon = 0.0
                        geod_position(&geodesicLine, total * Double(k) / Double(pieces), &lat, &lon, nil)
                        out.append(Position(lon, lat))
                    }
                }
                out.append(b)
            }
        }
        return out
    }

    /// Sum of geodesic segment lengths in kilometres. O(n).
    public static func lengthKm(_ line: [Position]) -> Double {
        guard line.count >= 2 else { return 0 }
        var meters = 0.0
        for i in 1..<line.count {
            meters += distanceMeters(line[i - 1].lon, line[i - 1].lat, line[i].lon, line[i].lat)
        }
        return meters / 1000
    }

    /// Ellipsoidal area in km² of a polygon given as GeoJSON rings (exterior first, holes
    /// after): |exterior| minus the |holes|, whatever each ring's orientation. Rings may be
    /// closed or open. Exact for geodesic edges (Karney 2013, §6). O(n).
    public static func polygonAreaKm2(_ rings: [[Position]]) -> Double {
        guard let exterior = rings.first else { return 0 }
        var area = ringAreaMeters2(exterior)
        for hole in rings.dropFirst() { area -= ringAreaMeters2(hole) }
        return max(0, area) / 1e6
    }

    /// Unsigned area in m² enclosed by one ring (the smaller of the two sides).
    static func ringAreaMeters2(_ ring: [Position]) -> Double {
        var points = ring
        if points.count >= 2, let first = points.first, let last = points.last,
           first.x == last.x, first.y == last.y {
            points.removeLast()
        }
        guard points.count >= 3 else { return 0 }
        var lats = points.map(\.lat), lons = points.map(\.lon)
        var area = 0.0, perimeter = 0.0
        withUnsafePointer(to: grs80) { g in
            geod_polygonarea(g, &lats, &lons, Int32(points.count), &area, &perimeter)
        }
        return abs(area)
    }

    /// The ellipsoid, initialised once and kept at one address (`distanceMeters`, the hot
    /// path, passes that address rather than a copy of the 400-byte structure per call).
    final class GRS80: @unchecked Sendable {
        static let shared = GRS80()
        /// Read-only after init, never freed.
        let pointer: UnsafePointer<geod_geodesic>
        private init() {
            let g = UnsafeMutablePointer<geod_geodesic>.allocate(capacity: 1)
            g.initialize(to: Geodesic.grs80)
            pointer = UnsafePointer(g)
        }
    }

    /// The ellipsoid, initialised once; `geod_geodesic` is plain data, read-only after init.
    static let grs80: geod_geodesic = {
        var g = geod_geodesic()
        geod_init(&g, equatorialRadiusMeters, flattening)
        return g
    }()
}
