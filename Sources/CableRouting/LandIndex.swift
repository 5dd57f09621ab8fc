import Foundation
import GeoCore

/// Exact land queries on the lon/lat polygons: point in land, nearest coast point, and
/// segment–coastline intersection, through a bucket grid of coastline segments.
/// Edges are treated as lon/lat-straight (as GEOS and RFC 7946 consumers do); over a
/// coastline edge of a few hundred metres that differs from the geodesic by micrometres.
public struct LandIndex: Sendable {
    struct Polygon: Sendable {
        var rings: [[Position]]
        var box: BoundingBox
    }
    let polygons: [Polygon]
    // Coastline segments, flattened: (ax, ay, bx, by) in degrees.
    let segments: [SIMD4<Double>]
    // Bucket grid of segment ids (CSR layout).
    let bucketDegrees: Double
    let bucketBox: BoundingBox
    let bucketColumns: Int
    let bucketRows: Int
    let bucketStart: [Int32]
    let bucketItems: [Int32]

    /// Indexes the polygons of `land` (Polygon and MultiPolygon geometries; others ignored).
    /// O(vertices).
    public init(land: [Geometry], bucketDegrees: Double = 0.1) {
        var polygons: [Polygon] = []
        func add(_ rings: [[Position]]) {
            guard let first = rings.first, first.count >= 4 else { return }
            var box = BoundingBox(minX: first[0].x, minY: first[0].y, maxX: first[0].x, maxY: first[0].y)
            for p in first { box.include(p) }
            polygons.append(Polygon(rings: rings, box: box))
        }
        func visit(_ g: Geometry) {
            switch g {
            case .polygon(let rings): add(rings)
            case .multiPolygon(let ps): ps.forEach(add)
            case .geometryCollection(let gs): gs.forEach(visit)
            default: break
            }
        }
        land.forEach(visit)
        self.polygons = polygons
        var segments: [SIMD4<Double>] = []
        var all: BoundingBox?
        for polygon in polygons {
            if all == nil { all = polygon.box } else { all?.include(polygon.box) }
            for ring in polygon.rings where ring.count >= 2 {
                for k in 1..<ring.count {
                    segments.append(SIMD4(ring[k - 1].x, ring[k - 1].y, ring[k].x, ring[k].y))
                }
            }
        }
        self.segments = segments
        self.bucketDegrees = bucketDegrees
        let box = all ?? BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)
        bucketBox = box
        let columns = max(1, Int((box.width / bucketDegrees).rounded(.up)) + 1)
        let rows = max(1, Int((box.height / bucketDegrees).rounded(.up)) + 1)
        bucketColumns = columns
        bucketRows = rows
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        func range(_ s: SIMD4<Double>) -> (Int, Int, Int, Int) {
            let c0 = Int(((min(s.x, s.z) - box.minX) / bucketDegrees).rounded(.down))
            let c1 = Int(((max(s.x, s.z) - box.minX) / bucketDegrees).rounded(.down))
            let r0 = Int(((min(s.y, s.w) - box.minY) / bucketDegrees).rounded(.down))
            let r1 = Int(((max(s.y, s.w) - box.minY) / bucketDegrees).rounded(.down))
            return (max(0, c0), min(columns - 1, c1), max(0, r0), min(rows - 1, r1))
        }
        for s in segments {
            let (c0, c1, r0, r1) = range(s)
            guard c0 <= c1, r0 <= r1 else { continue }
            for r in r0...r1 { for c in c0...c1 { counts[r * columns + c + 1] += 1 } }
        }
        for k in 1..<counts.count { counts[k] += counts[k - 1] }
        var fill = counts
        var items = [Int32](repeating: 0, count: Int(counts[counts.count - 1]))
        for (index, s) in segments.enumerated() {
            let (c0, c1, r0, r1) = range(s)
            guard c0 <= c1, r0 <= r1 else { continue }
            for r in r0...r1 {
                for c in c0...c1 {
                    let b = r * columns + c
                    items[Int(fill[b])] = Int32(index)
                    fill[b] += 1
                }
            }
        }
        bucketStart = counts
        bucketItems = items
    }

    public var isEmpty: Bool { polygons.isEmpty }

    /// Whether `p` lies in land (inside a polygon's exterior ring and outside its holes).
    /// O(vertices of the polygons whose box holds p).
    public func contains(_ p: Position) -> Bool {
        for polygon in polygons where polygon.box.contains(p) {
            var inside = false
            for ring in polygon.rings where ring.count >= 2 {
                var j = ring.count - 1
                for i in 0..<ring.count {
                    let a = ring[i], b = ring[j]
                    if (a.y > p.y) != (b.y > p.y),
                       p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                        inside.toggle()
                    }
                    j = i
                }
            }
            if inside { return true }
        }
        return false
    }

    /// Segment ids whose bucket overlaps the box (may repeat).
    func candidates(in box: BoundingBox, _ body: (Int) -> Bool) -> Bool {
        let c0 = max(0, Int(((box.minX - bucketBox.minX) / bucketDegrees).rounded(.down)))
        let c1 = min(bucketColumns - 1, Int(((box.maxX - bucketBox.minX) / bucketDegrees).rounded(.down)))
        let r0 = max(0, Int(((box.minY - bucketBox.minY) / bucketDegrees).rounded(.down)))
        let r1 = min(bucketRows - 1, Int(((box.maxY - bucketBox.minY) / bucketDegrees).rounded(.down)))
        guard c0 <= c1, r0 <= r1 else { return true }
        for r in r0...r1 {
            for c in c0...c1 {
                let b = r * bucketColumns + c
                for k in Int(bucketStart[b])..<Int(bucketStart[b + 1]) {
                    if !body(Int(bucketItems[k])) { return false }
                }
            }
        }
        return true
    }

    /// The nearest point of the coastline to `p` within `radiusKm`, with its distance
    /// (local equirectangular metric around `p`, accurate to well under 0.1 % at these
    /// ranges). O(segments near p).
    public func nearestCoast(to p: Position, withinKm radiusKm: Double) -> (point: Position, distanceKm: Double)? {
        let kmPerDegLat = 111.2
        let kmPerDegLon = 111.32 * cos(p.lat * .pi / 180)
        guard kmPerDegLon > 1e-6 else { return nil }
        let box = BoundingBox(minX: p.x - radiusKm / kmPerDegLon, minY: p.y - radiusKm / kmPerDegLat,
                              maxX: p.x + radiusKm / kmPerDegLon, maxY: p.y + radiusKm / kmPerDegLat)
        var best: (Position, Double)?
        _ = candidates(in: box) { index in
            let s = segments[index]
            let ax = (s.x - p.x) * kmPerDegLon, ay = (s.y - p.y) * kmPerDegLat
            let bx = (s.z - p.x) * kmPerDegLon, by = (s.w - p.y) * kmPerDegLat
            let dx = bx - ax, dy = by - ay
            let len2 = dx * dx + dy * dy
            var t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0
            t = max(0, min(1, t))
            let qx = ax + t * dx, qy = ay + t * dy
            let d = (qx * qx + qy * qy).squareRoot()
            if d <= radiusKm, best == nil || d < best!.1 {
                best = (Position(s.x + t * (s.z - s.x), s.y + t * (s.w - s.y)), d)
            }
            return true
        }
        return best.map { (point: $0.0, distanceKm: $0.1) }
    }

    /// The nearest point of each coastline segment within `radiusKm` of `p`, nearest first
    /// (ties by segment order), at most `limit`. Same metric as `nearestCoast`.
    func coastPoints(near p: Position, withinKm radiusKm: Double, limit: Int) -> [(point: Position, distanceKm: Double)] {
        let kmPerDegLat = 111.2
        let kmPerDegLon = 111.32 * cos(p.lat * .pi / 180)
        guard kmPerDegLon > 1e-6, radiusKm >= 0 else { return [] }
        let box = BoundingBox(minX: p.x - radiusKm / kmPerDegLon, minY: p.y - radiusKm / kmPerDegLat,
                              maxX: p.x + radiusKm / kmPerDegLon, maxY: p.y + radiusKm / kmPerDegLat)
        var found: [Int: (Position, Double)] = [:]
        _ = candidates(in: box) { index in
            if found[index] != nil { return true }
            let s = segments[index]
            let ax = (s.x - p.x) * kmPerDegLon, ay = (s.y - p.y) * kmPerDegLat
            let bx = (s.z - p.x) * kmPerDegLon, by = (s.w - p.y) * kmPerDegLat
            let dx = bx - ax, dy = by - ay
            let len2 = dx * dx + dy * dy
            let t = len2 > 0 ? max(0, min(1, -(ax * dx + ay * dy) / len2)) : 0
            let qx = ax + t * dx, qy = ay + t * dy
            let d = (qx * qx + qy * qy).squareRoot()
            if d <= radiusKm { found[index] = (Position(s.x + t * (s.z - s.x), s.y + t * (s.w - s.y)), d) }
            return true
        }
        return found.sorted { $0.value.1 != $1.value.1 ? $0.value.1 < $1.value.1 : $0.key < $1.key }
            .prefix(limit).map { (point: $0.value.0, distanceKm: $0.value.1) }
    }

    /// The smallest distance (km) from the lon/lat-straight segment a–b to the coastline,
    /// if it is below `limitKm` (else nil); 0 when the segment crosses the coastline (a
    /// segment wholly inside land is not detected: callers measure routes at sea). Local
    /// equirectangular metric around a (the segment is short). O(segments near a–b).
    func distanceToCoastKm(_ a: Position, _ b: Position, below limitKm: Double) -> Double? {
        let kmPerDegLat = 111.2
        let kmPerDegLon = 111.32 * cos(a.lat * .pi / 180)
        guard kmPerDegLon > 1e-6 else { return nil }
        let box = BoundingBox(minX: min(a.x, b.x) - limitKm / kmPerDegLon, minY: min(a.y, b.y) - limitKm / kmPerDegLat,
                              maxX: max(a.x, b.x) + limitKm / kmPerDegLon, maxY: max(a.y, b.y) + limitKm / kmPerDegLat)
        var best = limitKm
        let px = 0.0, py = 0.0
        let qx = (b.x - a.x) * kmPerDegLon, qy = (b.y - a.y) * kmPerDegLat
        @inline(__always) func pointSegment(_ x: Double, _ y: Double, _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Double {
            let dx = x1 - x0, dy = y1 - y0
            let len2 = dx * dx + dy * dy
            let t = len2 > 0 ? max(0, min(1, ((x - x0) * dx + (y - y0) * dy) / len2)) : 0
            let ex = x0 + t * dx - x, ey = y0 + t * dy - y
            return (ex * ex + ey * ey).squareRoot()
        }
        _ = candidates(in: box) { index in
            let s = segments[index]
            if LandIndex.segmentsIntersect(a, b, Position(s.x, s.y), Position(s.z, s.w)) { best = 0; return false }
            let cx = (s.x - a.x) * kmPerDegLon, cy = (s.y - a.y) * kmPerDegLat
            let dx = (s.z - a.x) * kmPerDegLon, dy = (s.w - a.y) * kmPerDegLat
            let d = min(pointSegment(cx, cy, px, py, qx, qy), pointSegment(dx, dy, px, py, qx, qy),
                        pointSegment(px, py, cx, cy, dx, dy), pointSegment(qx, qy, cx, cy, dx, dy))
            if d < best { best = d }
            return true
        }
        return best < limitKm ? best : nil
    }

    /// Distance (km) from `origin` along the ray through `p` to the first coastline crossing
    /// beyond `p` (the far shore of a passage), within `maxKm`. Local equirectangular metric.
    func rayToCoastKm(from origin: Position, through p: Position, maxKm: Double) -> Double? {
        let kmPerDegLat = 111.2
        let kmPerDegLon = 111.32 * cos(origin.lat * .pi / 180)
        let dx = (p.x - origin.x) * kmPerDegLon, dy = (p.y - origin.y) * kmPerDegLat
        let length = (dx * dx + dy * dy).squareRoot()
        guard length > 1e-9, kmPerDegLon > 1e-6 else { return nil }
        let ux = dx / length, uy = dy / length
        let end = Position(origin.x + ux * maxKm / kmPerDegLon, origin.y + uy * maxKm / kmPerDegLat)
        let box = BoundingBox(minX: min(origin.x, end.x), minY: min(origin.y, end.y), maxX: max(origin.x, end.x), maxY: max(origin.y, end.y))
        var best: Double?
        _ = candidates(in: box) { index in
            let s = segments[index]
            let ax = (s.x - origin.x) * kmPerDegLon, ay = (s.y - origin.y) * kmPerDegLat
            let bx = (s.z - origin.x) * kmPerDegLon, by = (s.w - origin.y) * kmPerDegLat
            // Solve origin + t·u = a + r·(b − a), t in (length, maxKm], r in [0, 1].
            let ex = bx - ax, ey = by - ay
            let denominator = ux * ey - uy * ex
            guard abs(denominator) > 1e-12 else { return true }
            let t = (ax * ey - ay * ex) / denominator
            let r = (ax * uy - ay * ux) / denominator
            if r >= 0, r <= 1, t > length, t <= maxKm, best == nil || t < best! { best = t }
            return true
        }
        return best
    }

    /// Whether the lon/lat-straight segment a–b touches land: crosses a coastline edge or
    /// lies inside a polygon. Exact orientation tests; O(segments near a–b).
    public func segmentTouchesLand(_ a: Position, _ b: Position) -> Bool {
        let box = BoundingBox(minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y))
        var hit = false
        _ = candidates(in: box) { index in
            let s = segments[index]
            if LandIndex.segmentsIntersect(a, b, Position(s.x, s.y), Position(s.z, s.w)) {
                hit = true
                return false
            }
            return true
        }
        return hit || contains(a)
    }

    static func segmentsIntersect(_ p1: Position, _ p2: Position, _ p3: Position, _ p4: Position) -> Bool {
        func orient(_ a: Position, _ b: Position, _ c: Position) -> Double {
            (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
        }
        func onSegment(_ a: Position, _ b: Position, _ c: Position) -> Bool {
            min(a.x, b.x) <= c.x && c.x <= max(a.x, b.x) && min(a.y, b.y) <= c.y && c.y <= max(a.y, b.y)
        }
        let d1 = orient(p3, p4, p1), d2 = orient(p3, p4, p2)
        let d3 = orient(p1, p2, p3), d4 = orient(p1, p2, p4)
        if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
        if d1 == 0 && onSegment(p3, p4, p1) { return true }
        if d2 == 0 && onSegment(p3, p4, p2) { return true }
        if d3 == 0 && onSegment(p1, p2, p3) { return true }
        if d4 == 0 && onSegment(p1, p2, p4) { return true }
        return false
    }
}
