import Foundation
import GeoCore

/// Small lon/lat geometry the hub planner needs: point in polygon, distance to a polygon
/// boundary and the member hull. Hubs span at most a few hundred km, where a local
/// equirectangular frame is accurate to well under 1 %.
public enum PlanarGeometry {
    /// Even-odd ray casting over all rings of all polygons (holes included), so a point in a
    /// hole is outside. O(vertices).
    public static func contains(_ polygons: [[[Position]]], _ p: Position) -> Bool {
        var inside = false
        for polygon in polygons {
            for ring in polygon where ring.count >= 3 {
                var j = ring.count - 1
                for i in 0..<ring.count {
                    let a = ring[i], b = ring[j]
                    if (a.y > p.y) != (b.y > p.y) {
                        let x = a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x)
                        if p.x < x { inside.toggle() }
                    }
                    j = i
                }
            }
        }
        return inside
    }

    /// Distance in km from `p` to the nearest polygon edge, in the equirectangular frame at p.
    public static func distanceKm(from p: Position, toBoundaryOf polygons: [[[Position]]]) -> Double {
        let kmPerDegLat = 111.132
        let kmPerDegLon = 111.320 * cos(p.lat * .pi / 180)
        func local(_ q: Position) -> (Double, Double) { ((q.x - p.x) * kmPerDegLon, (q.y - p.y) * kmPerDegLat) }
        var best = Double.infinity
        for polygon in polygons {
            for ring in polygon where ring.count >= 2 {
                for i in 1..<ring.count {
                    let (ax, ay) = local(ring[i - 1]), (bx, by) = local(ring[i])
                    let dx = bx - ax, dy = by - ay
                    let len2 = dx * dx + dy * dy
                    let t = len2 > 0 ? max(0, min(1, -(ax * dx + ay * dy) / len2)) : 0
                    let cx = ax + t * dx, cy = ay + t * dy
                    best = min(best, (cx * cx + cy * cy).squareRoot())
                }
            }
        }
        return best
    }

    /// The convex hull (Andrew's monotone chain, 1979) of the points each padded by a circle
    /// of `padKm` (8 points on it), as a closed counter-clockwise ring (RFC 7946 §3.1.6).
    /// Padding makes hubs of one or two sites a proper polygon. O(n log n).
    public static func paddedHull(_ points: [Position], padKm: Double) -> [Position] {
        var cloud: [Position] = []
        cloud.reserveCapacity(points.count * 8)
        for p in points {
            for k in 0..<8 {
                let q = Geodesic.direct(from: p, azimuthDegrees: Double(k) * 45, distanceMeters: padKm * 1000)
                cloud.append(Position(round7(q.x), round7(q.y)))
            }
        }
        let unique: Set<Pair> = Set(cloud.map { (q: Position) -> Pair in Pair(x: q.x, y: q.y) })
        let sorted: [Pair] = unique.sorted { (a: Pair, b: Pair) -> Bool in a.x != b.x ? a.x < b.x : a.y < b.y }
        guard sorted.count >= 3 else { return sorted.map { (q: Pair) -> Position in Position(q.x, q.y) } }
        func cross(_ o: Pair, _ a: Pair, _ b: Pair) -> Double { (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x) }
        var lower: [Pair] = [], upper: [Pair] = []
        for p in sorted {
            while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
            lower.append(p)
        }
        for p in sorted.reversed() {
            while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
            upper.append(p)
        }
        var ring = Array(lower.dropLast()) + Array(upper.dropLast())
        if let first = ring.first { ring.append(first) }
        return ring.map { Position($0.x, $0.y) }
    }

    struct Pair: Hashable { var x: Double; var y: Double }
    static func round7(_ v: Double) -> Double { (v * 1e7).rounded() / 1e7 }
}
