import Foundation
import GeoCore

extension CableRouter {
    /// The legs of a route through stops (a `--via` chain or a ring): one route per pair of
    /// consecutive landings, cut where the route passes each stop's landing point (the
    /// route's vertices hold every landing exactly), each measured like a route (GRS80
    /// length, cost along the surface, latency, hazards). A route without stops is one leg.
    /// The legs' lengths and costs add up to the route's. O(vertices + hazard samples).
    public func legs(of route: PlannedRoute, request: RouteRequest) -> [PlannedRoute] {
        let vertices = route.vertices
        guard !route.stops.isEmpty, vertices.count >= 2 else { return [route] }
        let landings = [route.from] + route.stops + [route.to]
        // Cut indices: each stop's landing point, in order, after the previous cut.
        var cuts = [0]
        for stop in route.stops {
            guard let found = vertices.indices.dropFirst((cuts.last ?? 0) + 1).first(where: { vertices[$0] == stop.position }) else {
                return [route]   // cannot happen for routes from `plan`, which hold every landing
            }
            cuts.append(found)
        }
        cuts.append(vertices.count - 1)
        var legs: [PlannedRoute] = []
        for k in 1..<landings.count {
            legs.append(makeRoute(rank: k, from: landings[k - 1], to: landings[k], stops: [],
                                  vertices: Array(vertices[cuts[k - 1]...cuts[k]]), request: request))
        }
        return legs
    }
}
