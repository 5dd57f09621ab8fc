/// The planar primitives every engine shares: ring containment, point–segment and
/// segment–segment distance, segment intersection and crossing. Coordinates are (x, y) in any planar frame — lon/lat degrees
/// treated as a plane (as GEOS and RFC 7946 consumers do) or metres in a local tangent
/// plane (`LocalTangentPlane`). One implementation each; engines do not keep copies.
public enum Planar {
    /// Twice the signed area of the triangle o, u, v: > 0 when v lies left of o→u.
    @inlinable @inline(__always)
    public static func orient(_ o: Position, _ u: Position, _ v: Position) -> Double {
        (u.x - o.x) * (v.y - o.y) - (u.y - o.y) * (v.x - o.x)
    }

    /// Whether `p` lies inside `rings` by the even-odd (crossing number) rule: every ring
    /// flips parity, so a point in a hole is outside. Rings may be closed or open.
    ///
    /// Edge rule (the half-open PNPOLY rule, Franklin 1970s; Haines, "Point in Polygon
    /// Strategies", Graphics Gems IV, 1994): an edge counts when exactly one endpoint lies
    /// strictly above `p`'s latitude line and `p` lies strictly west of the crossing. On an
    /// axis-aligned ring that makes the south and west edges inside and the north and east
    /// edges outside — the convention of JIS X 0410 mesh cells — and in general a point on
    /// an edge shared by two rings of a partition belongs to exactly one of them, so a
    /// point on a shared border is never counted twice or lost — also in floating point,
    /// because the crossing is rounded the same way for both rings. O(vertices).
    @inlinable
    public static func contains(rings: [[Position]], _ p: Position) -> Bool {
        var inside = false
        for ring in rings where ring.count >= 3 {
            var j = ring.count - 1
            for i in 0..<ring.count {
                // The crossing is computed from the edge's southern end whichever way the
                // ring runs, so two rings sharing an edge round it identically.
                let (a, b) = ring[i].y < ring[j].y ? (ring[i], ring[j]) : (ring[j], ring[i])
                if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                    inside.toggle()
                }
                j = i
            }
        }
        return inside
    }

    /// Even-odd containment over every ring of every polygon (a MultiPolygon's parts do not
    /// overlap, so this is membership in their union). Same edge rule as `contains(rings:_:)`.
    @inlinable
    public static func contains(polygons: [[[Position]]], _ p: Position) -> Bool {
        var inside = false
        for polygon in polygons where contains(rings: polygon, p) { inside.toggle() }
        return inside
    }

    /// The point of segment a–b closest to `p`: the parameter `t` in [0, 1] along a→b and
    /// the distance. A zero-length segment is its start point. O(1).
    @inlinable @inline(__always)
    public static func closest(on a: Position, _ b: Position, to p: Position) -> (distance: Double, t: Double) {
        let dx = b.x - a.x, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        var t = 0.0
        if len2 > 0 { t = min(max(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0), 1) }
        let x = a.x + t * dx - p.x, y = a.y + t * dy - p.y
        return ((x * x + y * y).squareRoot(), t)
    }

    /// Distance from `p` to segment a–b. O(1).
    @inlinable @inline(__always)
    public static func distance(from p: Position, toSegment a: Position, _ b: Position) -> Double {
        closest(on: a, b, to: p).distance
    }

    /// Distance between segments a–b and c–d: 0 when they cross properly, else the least
    /// endpoint-to-segment distance (which is exact for non-crossing segments). O(1).
    @inlinable
    public static func distance(segment a: Position, _ b: Position, toSegment c: Position, _ d: Position) -> Double {
        let o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b)
        if ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)) { return 0 }
        return min(min(distance(from: a, toSegment: c, d), distance(from: b, toSegment: c, d)),
                   min(distance(from: c, toSegment: a, b), distance(from: d, toSegment: a, b)))
    }

    /// Whether the closed segments a–b and c–d share a point: a proper crossing, an end
    /// touching the other segment, or a collinear overlap all count (GEOS `intersects` on
    /// two LineStrings; a zero-length segment is its point). Signs of `orient`, so the
    /// answer is exact for inputs whose orientation products round correctly (the classic
    /// test, e.g. Cormen et al., *Introduction to Algorithms*, §33.1). O(1).
    @inlinable
    public static func intersects(segment a: Position, _ b: Position, segment c: Position, _ d: Position) -> Bool {
        let o1 = orient(c, d, a), o2 = orient(c, d, b), o3 = orient(a, b, c), o4 = orient(a, b, d)
        if ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)) { return true }
        @inline(__always) func within(_ u: Position, _ v: Position, _ p: Position) -> Bool {
            min(u.x, v.x) <= p.x && p.x <= max(u.x, v.x) && min(u.y, v.y) <= p.y && p.y <= max(u.y, v.y)
        }
        return (o1 == 0 && within(c, d, a)) || (o2 == 0 && within(c, d, b))
            || (o3 == 0 && within(a, b, c)) || (o4 == 0 && within(a, b, d))
    }

    /// Whether segment p–q crosses segment a–b under the half-open rule of crossing
    /// counts: an endpoint lying exactly on the other segment's line counts as lying on its
    /// right (where `orient` ≤ 0), so a collinear overlap never crosses. Counting these
    /// crossings of p→q over the edges of a closed ring gives the parity of
    /// contains(p) ≠ contains(q) exactly (for p and q off the ring), also when p→q passes
    /// through ring vertices or runs along an edge: a vertex on the line is counted for one
    /// of its two edges or for neither, never twice — the PNPOLY rule (Haines, "Point in
    /// Polygon Strategies", Graphics Gems IV, 1994) for segments. Along a path of several
    /// pieces the same holds, a path vertex inside an edge it passes being counted once,
    /// unless a path vertex lies on a ring vertex or turns on an edge the path runs along
    /// (each pair is decided on its own, so those can count twice). In general position it
    /// is GEOS `intersects` of the two segments; at a touch it differs on purpose (a path
    /// that touches a line and turns back is counted 0 or 2 times). Symmetric in the two
    /// segments; exact when the `orient` products round correctly (lattice coordinates).
    /// O(1).
    @inlinable @inline(__always)
    public static func crosses(segment p: Position, _ q: Position, segment a: Position, _ b: Position) -> Bool {
        if (orient(p, q, a) > 0) == (orient(p, q, b) > 0) { return false }
        return (orient(a, b, p) > 0) != (orient(a, b, q) > 0)
    }

    /// Where segments a–b and c–d meet in one point: `t` along a→b and `u` along c→d, both
    /// in 0…1 (the point is a + t·(b − a) = c + u·(d − c)). Nil when they do not meet, and
    /// when they are parallel — a collinear overlap has no single point and a zero-length
    /// segment no direction. The parameters come from the same orientations as
    /// `intersects(segment:_:segment:_:)`, so the two never disagree on a crossing. O(1).
    @inlinable
    public static func intersection(segment a: Position, _ b: Position,
                                    segment c: Position, _ d: Position) -> (t: Double, u: Double)? {
        let o1 = orient(c, d, a), o2 = orient(c, d, b), o3 = orient(a, b, c), o4 = orient(a, b, d)
        // orient(c, d, a + t·(b − a)) = o1 + t·(o2 − o1) vanishes at t = o1 / (o1 − o2).
        guard o1 != o2, o3 != o4, intersects(segment: a, b, segment: c, d) else { return nil }
        return (min(max(o1 / (o1 - o2), 0), 1), min(max(o3 / (o3 - o4), 0), 1))
    }

    /// Distance from `p` to the nearest edge of any ring. O(vertices).
    @inlinable
    public static func distance(from p: Position, toBoundaryOf rings: [[Position]]) -> Double {
        var best = Double.infinity
        for ring in rings where ring.count >= 2 {
            for i in 1..<ring.count { best = min(best, distance(from: p, toSegment: ring[i - 1], ring[i])) }
        }
        return best
    }
}
