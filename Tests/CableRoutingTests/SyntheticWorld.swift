import Foundation
import GeoCore
@testable import CableRouting

/// Small synthetic worlds near the equator, where analytic optima are known on the sphere.
enum SyntheticWorld {
    static let radiusKm = Gnomonic.earthRadiusKm
    static let region = BoundingBox(minX: 0, minY: -4, maxX: 8, maxY: 4)

    /// The point at angular distance `km` from `p` along `bearingDegrees`, on the search
    /// sphere (spherical direct problem).
    static func offset(_ p: Position, km: Double, bearingDegrees: Double) -> Position {
        let d = km / radiusKm, theta = bearingDegrees * .pi / 180
        let phi1 = p.lat * .pi / 180, lam1 = p.lon * .pi / 180
        let phi2 = asin(sin(phi1) * cos(d) + cos(phi1) * sin(d) * cos(theta))
        let lam2 = lam1 + atan2(sin(theta) * sin(d) * cos(phi1), cos(d) - sin(phi1) * sin(phi2))
        return Position(lam2 * 180 / .pi, phi2 * 180 / .pi)
    }

    /// A spherical disc (cap) as a closed polygon ring of `vertices` points.
    static func disc(center: Position, radiusKm: Double, vertices: Int = 720) -> Geometry {
        var ring = (0..<vertices).map { offset(center, km: radiusKm, bearingDegrees: Double($0) * 360 / Double(vertices)) }
        ring.reverse()
        ring.append(ring[0])
        return .polygon([ring])
    }

    static func box(_ minLon: Double, _ minLat: Double, _ maxLon: Double, _ maxLat: Double) -> [Position] {
        [Position(minLon, minLat), Position(maxLon, minLat), Position(maxLon, maxLat),
         Position(minLon, maxLat), Position(minLon, minLat)]
    }

    static func surface(land: [Geometry], zones: [ConcentrationZone] = [], hazards: [HazardZone] = [],
                        cellKm: Double = 2, clearanceKm: Double = 0) -> SeaSurface {
        SeaSurface(land: land, zones: zones, hazards: hazards,
                   options: SeaSurfaceOptions(region: region, cellKm: cellKm, coastClearanceKm: clearanceKm, minPassageKm: 1))
    }

    static func end(_ name: String, _ p: Position, international: Bool = false) -> RouteEnd {
        RouteEnd(label: name, candidates: [Landing(name: name, position: p)], isInternational: international)
    }

    /// Length on the search sphere (what the analytic optima are stated on).
    static func sphereLengthKm(_ line: [Position]) -> Double {
        zip(line, line.dropFirst()).reduce(0) { $0 + Gnomonic.sphereDistanceKm($1.0, $1.1) }
    }

    static func planOne(_ surface: SeaSurface, from: Position, to: Position, approachKm: Double = 0) throws -> PlannedRoute {
        let request = RouteRequest.testing(from: end("A", from), to: end("B", to), approachKm: approachKm)
        let plan = try CableRouter(surface: surface).plan(request)
        guard let route = plan.routes.first else { throw CableRoutingError.unreachable("no route") }
        return route
    }
}

extension RouteRequest {
    /// A request with `wattbit cable`'s default parameters (its manifest) except where a test
    /// says otherwise; the engine itself has no defaults for them.
    static func testing(from: RouteEnd, to: RouteEnd, via: [RouteEnd] = [], routes: Int = 1,
                        minSeparationKm: Double = 30, approachKm: Double = 20, snapKm: Double = 10,
                        allowConcentrationZones: Bool = false, allowConcentrationLanding: Bool = false,
                        distinctLandings: Bool = false, avoid: [Geometry] = [], costPerKmUSD: Double = 30_000,
                        displaySegmentKm: Double = 10, existing: [ExistingCable] = [],
                        minSeparationExistingKm: Double = 0) -> RouteRequest {
        RouteRequest(from: from, to: to, via: via, routes: routes, minSeparationKm: minSeparationKm,
                     approachKm: approachKm, snapKm: snapKm, allowConcentrationZones: allowConcentrationZones,
                     allowConcentrationLanding: allowConcentrationLanding, distinctLandings: distinctLandings,
                     avoid: avoid, costPerKmUSD: costPerKmUSD, displaySegmentKm: displaySegmentKm,
                     existing: existing, minSeparationExistingKm: minSeparationExistingKm)
    }
}

extension JointOptions {
    /// `wattbit cable`'s defaults (`--candidates 4`, `--select-time-limit 10`) unless given.
    static func testing(seeds: Int = 4, maxCandidates: Int = 400, concurrency: Int = 1) -> JointOptions {
        JointOptions(seeds: seeds, maxCandidates: maxCandidates, timeLimitSeconds: 10, concurrency: concurrency)
    }
}
