import Foundation

/// GRS80 (the ellipsoid of JGD2011; WGS84 differs by 0.1 mm in b) and closed-form measures
/// used where a full geodesic is not needed.
public enum Ellipsoid {
    public static let a = 6_378_137.0
    public static let f = 1 / 298.257222101
    public static let e2 = f * (2 - f)
    static let e = e2.squareRoot()

    /// Area of the quadrangle between two parallels and two meridians on the ellipsoid:
    /// A = b²·Δλ/2 · [g(φ₂) − g(φ₁)], g(φ) = sinφ/(1−e²sin²φ) + artanh(e·sinφ)/e.
    public static func quadrangleAreaKm2(south: Double, north: Double, west: Double, east: Double) -> Double {
        func g(_ latDeg: Double) -> Double {
            let s = sin(latDeg * .pi / 180)
            return s / (1 - e2 * s * s) + 0.5 / e * log((1 + e * s) / (1 - e * s))
        }
        let b2 = a * a * (1 - e2)
        let dLon = (east - west) * .pi / 180
        return b2 * dLon / 2 * (g(north) - g(south)) / 1e6
    }

    /// Metres per degree of latitude (meridional radius of curvature M) and of longitude
    /// (prime-vertical radius N times cos φ) at a latitude (e.g. Torge & Müller, Geodesy,
    /// 4th ed., §6.2). O(1).
    @inlinable
    public static func metresPerDegree(latitude: Double) -> (lat: Double, lon: Double) {
        let phi = latitude * .pi / 180
        let s = sin(phi)
        let w = (1 - e2 * s * s).squareRoot()
        let n = a / w
        let m = a * (1 - e2) / (w * w * w)
        return (m * .pi / 180, n * cos(phi) * .pi / 180)
    }

    /// The fewest metres a degree of latitude spans anywhere (M is least at the equator):
    /// a safe divisor for turning a distance into a latitude span that is never too small.
    public static let minimumMetresPerDegreeLatitude = metresPerDegree(latitude: 0).lat
}

/// The local tangent plane at a point: lon/lat degrees mapped to metres east and north of
/// the origin, scaled by GRS80's meridional and prime-vertical radii at the origin's
/// latitude. For points within r of the origin the relative distance error is dominated by
/// the change of the longitude scale across r, about (r/R)·tan φ / 2, and stays below r/R
/// (a test checks it against GeographicLib): ≈ 1e-4 at 2 km, so 0.2 m. The right tool for
/// nearby work (snapping, reach tests, clustering radii), not for route lengths, which are
/// geodesic (`Geodesic`).
public struct LocalTangentPlane: Sendable {
    public let origin: Position
    /// Metres per degree of latitude and of longitude at the origin.
    public let metresPerDegreeLat: Double
    public let metresPerDegreeLon: Double

    @inlinable
    public init(at origin: Position) {
        self.origin = origin
        let scale = Ellipsoid.metresPerDegree(latitude: origin.lat)
        metresPerDegreeLat = scale.lat
        metresPerDegreeLon = scale.lon
    }

    /// Metres east (x) and north (y) of the origin. O(1).
    @inlinable @inline(__always)
    public func project(_ p: Position) -> Position {
        Position((p.x - origin.x) * metresPerDegreeLon, (p.y - origin.y) * metresPerDegreeLat)
    }

    /// lon/lat of a point given in metres east and north of the origin. O(1).
    @inlinable @inline(__always)
    public func unproject(_ q: Position) -> Position {
        Position(origin.x + q.x / metresPerDegreeLon, origin.y + q.y / metresPerDegreeLat)
    }

    /// Planar distance in metres between two lon/lat points, in this plane. O(1).
    @inlinable @inline(__always)
    public func distanceMeters(_ a: Position, _ b: Position) -> Double {
        let dx = (b.x - a.x) * metresPerDegreeLon, dy = (b.y - a.y) * metresPerDegreeLat
        return (dx * dx + dy * dy).squareRoot()
    }

    /// The lon/lat box holding every point within `meters` of `p` in this plane (a
    /// degenerate longitude scale at a pole widens to the whole circle). O(1).
    @inlinable
    public func box(around p: Position, meters: Double) -> BoundingBox {
        let dLat = meters / metresPerDegreeLat
        let dLon = metresPerDegreeLon > 1e-9 ? meters / metresPerDegreeLon : 360
        return BoundingBox(minX: p.x - dLon, minY: p.y - dLat, maxX: p.x + dLon, maxY: p.y + dLat)
    }

    /// Distance in metres from `p` to the lon/lat-straight segment a–b, measured in this
    /// plane, with the parameter t ∈ [0, 1] of the closest point along a→b (a straight line
    /// in the plane is straight in lon/lat, so `a + t·(b − a)` is that point). O(1).
    @inlinable @inline(__always)
    public func closest(on a: Position, _ b: Position, to p: Position) -> (meters: Double, t: Double) {
        let r = Planar.closest(on: project(a), project(b), to: project(p))
        return (r.distance, r.t)
    }
}
