import Foundation
import GeoCore

/// The gnomonic (central) projection of the sphere onto the plane tangent at `center`.
///
/// Great circles project to straight lines (Snyder, "Map Projections — A Working Manual",
/// USGS PP 1395, 1987, §22), so a straight segment between two grid cells *is* the
/// shortest path on the sphere between them. That makes any-angle search (Theta*) on a
/// gnomonic grid produce geodesic polylines rather than rhumb lines, and it lets
/// line-of-sight be an exact raster traversal. Plane units are kilometres on the tangent
/// plane; the scale factor is ≥ 1 everywhere (1/cos² c radially, 1/cos c across), so a
/// grid cell of `s` plane-km is at most `s` km on the ground.
public struct Gnomonic: Sendable, Hashable {
    /// Mean Earth radius (IUGG R1) used for the search metric; reported lengths are
    /// re-measured on the GRS80 ellipsoid with `Geodesic`.
    public static let earthRadiusKm = 6371.0088

    public let center: Position
    // Unit vectors of the tangent frame: centre direction, east and north.
    let c: SIMD3<Double>
    let e: SIMD3<Double>
    let n: SIMD3<Double>

    public init(center: Position) {
        self.center = center
        let lam = center.lon * .pi / 180, phi = center.lat * .pi / 180
        c = SIMD3(cos(phi) * cos(lam), cos(phi) * sin(lam), sin(phi))
        e = SIMD3(-sin(lam), cos(lam), 0)
        n = SIMD3(-sin(phi) * cos(lam), -sin(phi) * sin(lam), cos(phi))
    }

    /// Unit vector of a lon/lat position.
    @inline(__always)
    static func unitVector(_ p: Position) -> SIMD3<Double> {
        let lam = p.lon * .pi / 180, phi = p.lat * .pi / 180
        return SIMD3(cos(phi) * cos(lam), cos(phi) * sin(lam), sin(phi))
    }

    /// Plane coordinates (km) of a position, or nil on the far hemisphere.
    public func forward(_ p: Position) -> (x: Double, y: Double)? {
        let u = Gnomonic.unitVector(p)
        let cosc = (u * c).sum()
        guard cosc > 1e-6 else { return nil }
        let r = Gnomonic.earthRadiusKm / cosc
        return ((u * e).sum() * r, (u * n).sum() * r)
    }

    /// The unit vector of a plane point.
    @inline(__always)
    func unit(x: Double, y: Double) -> SIMD3<Double> {
        let r = Gnomonic.earthRadiusKm
        let v = c + e * (x / r) + n * (y / r)
        return v / (v * v).sum().squareRoot()
    }

    /// Lon/lat of a plane point.
    public func inverse(x: Double, y: Double) -> Position {
        let v = unit(x: x, y: y)
        let lat = asin(max(-1, min(1, v.z))) * 180 / .pi
        let lon = atan2(v.y, v.x) * 180 / .pi
        return Position(lon, lat)
    }

    /// Great-circle distance (km) between two unit vectors, accurate at all separations.
    @inline(__always)
    static func arcKm(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
        let cx = a.y * b.z - a.z * b.y, cy = a.z * b.x - a.x * b.z, cz = a.x * b.y - a.y * b.x
        let s = (cx * cx + cy * cy + cz * cz).squareRoot()
        return atan2(s, (a * b).sum()) * earthRadiusKm
    }

    /// Great-circle distance (km) on the search sphere between two lon/lat positions.
    public static func sphereDistanceKm(_ a: Position, _ b: Position) -> Double {
        arcKm(unitVector(a), unitVector(b))
    }

    /// Largest plane-km per ground-km at a plane point (the radial scale 1/cos² c).
    @inline(__always)
    func maxScale(x: Double, y: Double) -> Double {
        let r = Gnomonic.earthRadiusKm
        return 1 + (x * x + y * y) / (r * r)
    }
}
