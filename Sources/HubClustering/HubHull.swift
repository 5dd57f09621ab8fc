import Foundation
import GeoCore

/// The outline drawn for a hub: its members' convex hull, padded.
public enum HubHull {
    /// The convex hull (Andrew's monotone chain, 1979) of the points each padded by a circle
    /// of `padKm` (8 points on it), as a closed counter-clockwise ring (RFC 7946 §3.1.6).
    /// Padding makes hubs of one or two sites a proper polygon. O(n log n).
    public static func padded(_ points: [Position], padKm: Double) -> [Position] {
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
