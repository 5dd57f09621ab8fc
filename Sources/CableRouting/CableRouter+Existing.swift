import Foundation
import GeoCore

/// An existing cable system: its route as lon/lat lines, and its name when known.
public struct ExistingCable: Sendable, Hashable {
    public var name: String?
    /// Polylines (a MultiLineString's parts), consecutive vertices joined by geodesics.
    public var lines: [[Position]]
    public init(name: String?, lines: [[Position]]) {
        self.name = name
        self.lines = lines
    }
}

/// How a route relates to the existing cables (`RouteRequest.existing`).
public struct ExistingCableMetrics: Sendable, Equatable {
    /// Route length within `minSeparationExistingKm` of an existing cable, outside the approaches.
    public var kmNearExisting: Double
    /// Times the route crosses an existing cable (anywhere, approaches included).
    public var crossings: Int
    /// Smallest distance from the route, outside the approaches, to any existing cable;
    /// nil when the route lies wholly inside its approaches.
    public var closestKm: Double?
    public var closestName: String?
}

extension CableRouter {
    /// Blocks every cell within `minSeparationExistingKm` of an existing cable outside the
    /// approach circles of `landings`, so routes keep that distance from every existing
    /// system except where they land (the same corridor stamping as between new routes).
    /// O(existing length / spacing × cells per disc).
    func stampExisting(into blocked: inout [Bool], request: RouteRequest, landings: [Position]) {
        guard request.minSeparationExistingKm > 0 else { return }
        for cable in request.existing {
            for line in cable.lines where line.count >= 2 {
                stampSeparation(route: line, into: &blocked, request: request, exemptions: landings,
                                radiusKm: request.minSeparationExistingKm)
            }
        }
    }

    /// Measures a route against the existing cables: length near them, crossings, closest
    /// distance and which cable. Distances are point-to-segment in the local tangent plane
    /// (GeoCore) from route samples every 0.25 km to the existing cables densified to 1 km
    /// geodesic pieces; crossings are those of the densified polylines, counted by GeoCore's
    /// `Planar.crosses` (a passage through a vertex or along a piece counts once).
    /// O(samples × existing segments) with a bounding-box cut per cable.
    public func existingMetrics(_ route: PlannedRoute, request: RouteRequest) -> ExistingCableMetrics {
        var metrics = ExistingCableMetrics(kmNearExisting: 0, crossings: 0, closestKm: nil, closestName: nil)
        guard !request.existing.isEmpty, route.vertices.count >= 2 else { return metrics }
        let cables: [(name: String?, lines: [[Position]], box: BoundingBox)] = request.existing.compactMap { cable in
            let lines = cable.lines.filter { $0.count >= 2 }.map { Geodesic.densify($0, maxSegmentKm: 1) }
            let all = lines.flatMap { $0 }
            guard let first = all.first else { return nil }
            var box = BoundingBox(minX: first.lon, minY: first.lat, maxX: first.lon, maxY: first.lat)
            for p in all { box = BoundingBox(minX: min(box.minX, p.lon), minY: min(box.minY, p.lat), maxX: max(box.maxX, p.lon), maxY: max(box.maxY, p.lat)) }
            return (cable.name, lines, box)
        }
        let landings = ([route.from] + route.stops + [route.to]).map(\.position)
        let samples = Geodesic.densify(route.vertices, maxSegmentKm: 0.25)
        let separation = request.minSeparationExistingKm
        var best = Double.infinity
        var bestName: String?
        var previous: (p: Position, near: Bool, outside: Bool)?
        for p in samples {
            let outside = landings.allSatisfy { Geodesic.distanceKm($0, p) >= request.approachKm }
            var nearest = Double.infinity
            var nearestName: String?
            if outside {
                let plane = LocalTangentPlane(at: p)
                for cable in cables {
                    // Lower bound: the distance to the cable's box.
                    let q = Position(min(max(p.lon, cable.box.minX), cable.box.maxX), min(max(p.lat, cable.box.minY), cable.box.maxY))
                    if plane.distanceMeters(p, q) / 1000 >= nearest { continue }
                    for line in cable.lines {
                        for k in 1..<line.count {
                            let d = plane.closest(on: line[k - 1], line[k], to: p).meters / 1000
                            if d < nearest { nearest = d; nearestName = cable.name }
                        }
                    }
                }
                if nearest < best { best = nearest; bestName = nearestName }
            }
            let near = outside && separation > 0 && nearest < separation
            if let previous, previous.near && near {
                metrics.kmNearExisting += Geodesic.distanceKm(previous.p, p)
            } else if let previous, previous.near != near, previous.outside || outside {
                metrics.kmNearExisting += Geodesic.distanceKm(previous.p, p) / 2
            }
            previous = (p, near, outside)
        }
        // Crossings: proper intersections of the route's pieces with the cables' pieces.
        let routeLine = Geodesic.densify(route.vertices, maxSegmentKm: 1)
        for cable in cables {
            for line in cable.lines {
                for k in 1..<line.count {
                    let c = line[k - 1], d = line[k]
                    for j in 1..<routeLine.count {
                        let a = routeLine[j - 1], b = routeLine[j]
                        if max(a.lon, b.lon) < min(c.lon, d.lon) || max(c.lon, d.lon) < min(a.lon, b.lon)
                            || max(a.lat, b.lat) < min(c.lat, d.lat) || max(c.lat, d.lat) < min(a.lat, b.lat) { continue }
                        // The half-open rule counts a passage through a vertex once.
                        if Planar.crosses(segment: a, b, segment: c, d) { metrics.crossings += 1 }
                    }
                }
            }
        }
        if best.isFinite {
            metrics.closestKm = best
            metrics.closestName = bestName
        }
        return metrics
    }
}
