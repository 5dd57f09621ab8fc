/// Small planar predicates on (x, y) tuples in metres (a local tangent plane).
enum PlanarGeometry {
    typealias Point = (Double, Double)

    static func pointSegmentDistance(_ p: Point, _ a: Point, _ b: Point) -> Double {
        let dx = b.0 - a.0, dy = b.1 - a.1
        let len2 = dx * dx + dy * dy
        var t = 0.0
        if len2 > 0 { t = min(max(((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2, 0), 1) }
        let x = a.0 + t * dx - p.0, y = a.1 + t * dy - p.1
        return (x * x + y * y).squareRoot()
    }

    static func orient(_ o: Point, _ u: Point, _ v: Point) -> Double {
        (u.0 - o.0) * (v.1 - o.1) - (u.1 - o.1) * (v.0 - o.0)
    }

    /// 0 when the segments intersect, else the least endpoint-to-segment distance.
    static func segmentDistance(_ a: Point, _ b: Point, _ c: Point, _ d: Point) -> Double {
        let o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b)
        if ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)) { return 0 }
        return min(min(pointSegmentDistance(a, c, d), pointSegmentDistance(b, c, d)),
                   min(pointSegmentDistance(c, a, b), pointSegmentDistance(d, a, b)))
    }

    /// Even-odd point-in-polygon over all rings (holes flip parity).
    static func contains(_ rings: [[Point]], _ p: Point) -> Bool {
        var inside = false
        for ring in rings where ring.count >= 3 {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[i], b = ring[j]
                if (a.1 > p.1) != (b.1 > p.1) && p.0 < (b.0 - a.0) * (p.1 - a.1) / (b.1 - a.1) + a.0 {
                    inside.toggle()
                }
                j = i
            }
        }
        return inside
    }
}
