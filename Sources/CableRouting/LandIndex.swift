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
    /// Coastline segments, flattened: (ax, ay, bx, by) in degrees.
    let segments: [SIMD4<Double>]
    /// The coastline segments bucketed by lon/lat cell (GeoCore's bucket grid).
    let coast: BucketGrid

    /// Indexes the polygons of `land` (Polygon and MultiPolygon geometries; others ignored)
    /// with buckets of `bucketDegrees` a side. O(vertices).
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
        let box = all ?? BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)
        coast = BucketGrid(frame: GridFrame(covering: box, dLon: bucketDegrees, dLat: bucketDegrees),
                           count: segments.count) { k in
            (Position(segments[k].x, segments[k].y), Position(segments[k].z, segments[k].w))
        }
    }

    public var isEmpty: Bool { polygons.isEmpty }

    @inline(__always) func segment(_ k: Int) -> (a: Position, b: Position) {
        let s = segments[k]
        return (Position(s.x, s.y), Position(s.z, s.w))
    }

    /// Whether `p` lies in land: in some polygon, by GeoCore's ring containment (even–odd
    /// over the polygon's rings, so a point in a hole is at sea). On a coastline edge the
    /// kernel's half-open rule decides (south and west edges in, north and east edges out).
    /// O(vertices of the polygons whose box holds p).
    public func contains(_ p: Position) -> Bool {
        polygons.contains { $0.box.contains(p) && Planar.contains(rings: $0.rings, p) }
    }

    /// The nearest point of the coastline to `p` within `radiusKm`, with its distance,
    /// measured in the local tangent plane at `p` (GRS80 metres per degree; within a few
    /// tens of km its error is far below the grid's). O(segments near p).
    public func nearestCoast(to p: Position, withinKm radiusKm: Double) -> (point: Position, distanceKm: Double)? {
        let plane = LocalTangentPlane(at: p)
        guard plane.metresPerDegreeLon > 1e-3 else { return nil }
        var best: (Position, Double)?
        coast.forEachCandidate(in: plane.box(around: p, meters: radiusKm * 1000)) { index in
            let (a, b) = segment(index)
            let closest = plane.closest(on: a, b, to: p)
            let d = closest.meters / 1000
            if d <= radiusKm, best.map({ d < $0.1 }) ?? true {
                best = (Position(a.x + closest.t * (b.x - a.x), a.y + closest.t * (b.y - a.y)), d)
            }
            return true
        }
        return best.map { (point: $0.0, distanceKm: $0.1) }
    }

    /// The nearest point of each coastline segment within `radiusKm` of `p`, nearest first
    /// (ties by segment order), at most `limit`. Same metric as `nearestCoast`.
    func coastPoints(near p: Position, withinKm radiusKm: Double, limit: Int) -> [(point: Position, distanceKm: Double)] {
        let plane = LocalTangentPlane(at: p)
        guard plane.metresPerDegreeLon > 1e-3, radiusKm >= 0 else { return [] }
        var found: [Int: (Position, Double)] = [:]
        coast.forEachCandidate(in: plane.box(around: p, meters: radiusKm * 1000)) { index in
            if found[index] != nil { return true }
            let (a, b) = segment(index)
            let closest = plane.closest(on: a, b, to: p)
            let d = closest.meters / 1000
            if d <= radiusKm { found[index] = (Position(a.x + closest.t * (b.x - a.x), a.y + closest.t * (b.y - a.y)), d) }
            return true
        }
        return found.sorted { $0.value.1 != $1.value.1 ? $0.value.1 < $1.value.1 : $0.key < $1.key }
            .prefix(limit).map { (point: $0.value.0, distanceKm: $0.value.1) }
    }

    /// The smallest distance (km) from the lon/lat-straight segment a–b to the coastline,
    /// if it is below `limitKm` (else nil); 0 when the segment meets the coastline (a
    /// segment wholly inside land is not detected: callers measure routes at sea). Measured
    /// in the local tangent plane at a (the segment is short). O(segments near a–b).
    func distanceToCoastKm(_ a: Position, _ b: Position, below limitKm: Double) -> Double? {
        let plane = LocalTangentPlane(at: a)
        guard plane.metresPerDegreeLon > 1e-3 else { return nil }
        var box = plane.box(around: a, meters: limitKm * 1000)
        box.include(plane.box(around: b, meters: limitKm * 1000))
        let limit = limitKm * 1000
        var best = limit
        let pa = plane.project(a), pb = plane.project(b)
        coast.forEachCandidate(in: box) { index in
            let (c, d) = segment(index)
            let distance = Planar.distance(segment: pa, pb, toSegment: plane.project(c), plane.project(d))
            if distance < best { best = distance }
            return distance > 0
        }
        return best < limit ? best / 1000 : nil
    }

    /// Distance (km) from `origin` along the ray through `p` to the first coastline crossing
    /// beyond `p` (the far shore of a passage), within `maxKm`. Measured in the local
    /// tangent plane at `origin`. O(segments near the ray).
    func rayToCoastKm(from origin: Position, through p: Position, maxKm: Double) -> Double? {
        let plane = LocalTangentPlane(at: origin)
        let o = Position(0, 0), q = plane.project(p)
        let length = (q.x * q.x + q.y * q.y).squareRoot()
        guard length > 1e-6, plane.metresPerDegreeLon > 1e-3 else { return nil }
        let reach = maxKm * 1000
        let e = Position(q.x / length * reach, q.y / length * reach)
        let end = plane.unproject(e)
        let box = BoundingBox(minX: min(origin.x, end.x), minY: min(origin.y, end.y), maxX: max(origin.x, end.x), maxY: max(origin.y, end.y))
        var best: Double?
        coast.forEachCandidate(in: box) { index in
            let (a, b) = segment(index)
            let c = plane.project(a), d = plane.project(b)
            guard let meeting = Planar.intersection(segment: o, e, segment: c, d) else { return true }
            let t = meeting.t * reach
            if t > length, best.map({ t < $0 }) ?? true { best = t }
            return true
        }
        return best.map { $0 / 1000 }
    }

    /// Whether the lon/lat-straight segment a–b touches land: meets a coastline edge
    /// (GeoCore's closed-segment rule: touching counts) or lies inside a polygon.
    /// O(segments near a–b).
    public func segmentTouchesLand(_ a: Position, _ b: Position) -> Bool {
        let box = BoundingBox(minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y))
        let clear = coast.forEachCandidate(in: box) { index in
            let (c, d) = segment(index)
            return !Planar.intersects(segment: a, b, segment: c, d)
        }
        return !clear || contains(a)
    }
}
