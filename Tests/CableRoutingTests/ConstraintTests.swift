import Foundation
import GeoCore
import Testing
@testable import CableRouting

/// Facts a planner user checks: routes stay at sea, out of concentration zones, apart from
/// each other; bad ends fail with one clear message.
@Suite struct ConstraintTests {
    /// An archipelago between the ends: islands of several sizes, one smaller than a cell.
    static let islands: [Geometry] = [
        SyntheticWorld.disc(center: Position(3.0, 0.4), radiusKm: 60),
        SyntheticWorld.disc(center: Position(4.6, -0.6), radiusKm: 35),
        SyntheticWorld.disc(center: Position(5.5, 0.2), radiusKm: 0.6, vertices: 24),
        .polygon([SyntheticWorld.box(6.0, -1.0, 6.08, 0.9)]),
    ]

    /// Clips away the parts within `km` of the ends, then asks GEOS whether what is left
    /// touches land (planar on lon/lat, which is what "crosses land" means for the data).
    static func touchesLandOutsideApproach(_ route: PlannedRoute, land: [Geometry], approachKm: Double) throws -> Bool {
        let ends = [route.from.position, route.to.position]
        let points = Geodesic.densify(route.vertices, maxSegmentKm: 0.5)
        let context = GEOSContext()
        let landUnion = try context.unaryUnion(.geometryCollection(land))
        var piece: [Position] = []
        func flush() throws -> Bool {
            defer { piece = [] }
            guard piece.count >= 2 else { return false }
            return try context.intersects(.lineString(piece), landUnion)
        }
        for p in points {
            if ends.contains(where: { Geodesic.distanceKm($0, p) < approachKm }) {
                if try flush() { return true }
            } else {
                piece.append(p)
            }
        }
        return try flush()
    }

    @Test func routesNeverCrossLandAndKeepClearance() throws {
        let surface = SyntheticWorld.surface(land: Self.islands, clearanceKm: 2)
        let request = RouteRequest.testing(from: SyntheticWorld.end("W", Position(1.0, 0.1)),
                                   to: SyntheticWorld.end("E", Position(7.2, -0.2)), routes: 3,
                                   minSeparationKm: 30, approachKm: 20)
        let plan = try CableRouter(surface: surface).plan(request)
        #expect(plan.routes.count == 3, "\(plan.warnings)")
        for route in plan.routes {
            #expect(try !Self.touchesLandOutsideApproach(route, land: Self.islands, approachKm: 0))
            // Clearance: every sample outside the approaches is ≥ clearance − one cell from land.
            let land = surface.land
            for p in Geodesic.densify(route.vertices, maxSegmentKm: 1)
            where [route.from.position, route.to.position].allSatisfy({ Geodesic.distanceKm($0, p) > 20 }) {
                if let near = land.nearestCoast(to: p, withinKm: 2 - 1.0) {
                    Issue.record("rank \(route.rank) passes \(near.distanceKm) km from the coast at \(p)")
                    break
                }
            }
        }
    }

    @Test func separatedRoutesRespectTheMinimumAndAreRankedByCost() throws {
        let surface = SyntheticWorld.surface(land: Self.islands, clearanceKm: 2)
        let request = RouteRequest.testing(from: SyntheticWorld.end("W", Position(1.0, 0.1)),
                                   to: SyntheticWorld.end("E", Position(7.2, -0.2)), routes: 3,
                                   minSeparationKm: 30, approachKm: 20)
        let plan = try CableRouter(surface: surface).plan(request)
        #expect(plan.routes.map(\.rank) == Array(1...plan.routes.count))
        for (a, b) in zip(plan.routes, plan.routes.dropFirst()) { #expect(a.cost <= b.cost + 1e-9) }
        for route in plan.routes {
            let separation = try #require(route.achievedSeparationKm)
            #expect(separation >= 30 - 0.5, "rank \(route.rank): \(separation) km")
        }
    }

    @Test func fewerRoutesThanAskedAreReportedNotInvented() throws {
        // A 40 km wide channel between two walls: only one route fits 30 km apart.
        let walls: [Geometry] = [.polygon([SyntheticWorld.box(2, 0.18, 6, 4.5)]), .polygon([SyntheticWorld.box(2, -4.5, 6, -0.18)])]
        let surface = SyntheticWorld.surface(land: walls)
        let request = RouteRequest.testing(from: SyntheticWorld.end("W", Position(1.0, 0)), to: SyntheticWorld.end("E", Position(7.0, 0)),
                                   routes: 3, minSeparationKm: 30, approachKm: 20)
        let plan = try CableRouter(surface: surface).plan(request)
        #expect(plan.routes.count < 3)
        #expect(plan.warnings.contains { if case .fewerRoutes(let f) = $0 { f.requested == 3 } else { false } })
    }

    static let boso = ConcentrationZone(name: "boso", geometry: .polygon([SyntheticWorld.box(3.5, -1.5, 4.5, 1.5)]))

    @Test func routesStayOutOfConcentrationZones() throws {
        let surface = SyntheticWorld.surface(land: [], zones: [Self.boso])
        let route = try SyntheticWorld.planOne(surface, from: Position(1, 0), to: Position(7, 0.2))
        for p in Geodesic.densify(route.vertices, maxSegmentKm: 0.5) {
            #expect(!SeaSurface.geometry(Self.boso.geometry, contains: p), "enters the zone at \(p)")
        }
        var relaxed = RouteRequest.testing(from: SyntheticWorld.end("A", Position(1, 0)), to: SyntheticWorld.end("B", Position(7, 0.2)))
        relaxed.allowConcentrationZones = true
        let direct = try CableRouter(surface: surface).plan(relaxed).routes[0]
        #expect(direct.lengthKm < route.lengthKm)
    }

    @Test func landingInAConcentrationZoneIsRefusedUnlessAllowed() throws {
        let surface = SyntheticWorld.surface(land: [], zones: [Self.boso])
        var request = RouteRequest.testing(from: SyntheticWorld.end("Chikura", Position(4, 0)), to: SyntheticWorld.end("B", Position(7, 0)))
        #expect {
            try CableRouter(surface: surface).plan(request)
        } throws: { error in
            (error as? CableRoutingError) == .landingInConcentrationZone(landing: "Chikura", zone: "boso")
        }
        request.allowConcentrationLanding = true
        let route = try CableRouter(surface: surface).plan(request).routes[0]
        #expect(route.subsidyRate == 0)
        #expect(route.from.concentrationZone == "boso")
    }

    @Test func unreachableEndsFailWithAClearMessage() throws {
        // A lake: an island ring with water inside, and an end in that water.
        let outer = SyntheticWorld.box(3, -1, 5, 1), inner = SyntheticWorld.box(3.5, -0.5, 4.5, 0.5)
        let lakeWorld = SyntheticWorld.surface(land: [.polygon([outer, Array(inner.reversed())])])
        let cases: [(String, SeaSurface, RouteRequest)] = [
            ("lake", lakeWorld, RouteRequest.testing(from: SyntheticWorld.end("Sea", Position(1, 0)), to: SyntheticWorld.end("Lake", Position(4, 0)))),
            ("walled off by avoid", SyntheticWorld.surface(land: []),
             RouteRequest.testing(from: SyntheticWorld.end("Sea", Position(1, 0)), to: SyntheticWorld.end("Walled", Position(4, 0)),
                          avoid: [.polygon([outer, Array(inner.reversed())])])),
        ]
        for (name, surface, request) in cases {
            do {
                _ = try CableRouter(surface: surface).plan(request)
                Issue.record("\(name): planned a route to an enclosed end")
            } catch let error as CableRoutingError {
                guard case .endEnclosed(from: "Sea", _, _) = error else {
                    Issue.record("\(name): \(error)")
                    continue
                }
                #expect(error.description.contains("no sea route from Sea to"), "\(name): \(error)")
                #expect(error.description.contains("enclosed"), "\(name): \(error)")
            }
        }
    }

    @Test func endsOnLandAreSnappedWithinSnapKmOrRefusedWithTheDistance() throws {
        let land: [Geometry] = [.polygon([SyntheticWorld.box(3, -1, 5, 1)])]
        let surface = SyntheticWorld.surface(land: land, clearanceKm: 2)
        // 0.03° ≈ 3.3 km inland from the west coast at lon 3.
        let near = RouteRequest.testing(from: SyntheticWorld.end("Inland", Position(3.03, 0)), to: SyntheticWorld.end("Sea", Position(1, 0)))
        let route = try CableRouter(surface: surface).plan(near).routes[0]
        #expect(abs(route.from.snappedKm - 3.34) < 0.05)
        #expect(abs(route.from.position.lon - 3) < 1e-9)
        // 0.5° ≈ 55 km inland: refused, and the message gives the distance.
        let far = RouteRequest.testing(from: SyntheticWorld.end("Deep", Position(3.5, 0)), to: SyntheticWorld.end("Sea", Position(1, 0)))
        do {
            _ = try CableRouter(surface: surface).plan(far)
            Issue.record("planned from 55 km inland")
        } catch let CableRoutingError.landingBeyondSnap(refusal) {
            // The values, then the sentence with a caller's name for the limit.
            #expect(refusal.landing == "Deep" && refusal.snapKm == 10)
            guard case .coast(let km) = refusal.shore else { Issue.record("\(refusal.shore)"); return }
            #expect(abs(km - 55.6) < 0.5, "\(km) km to the sea")
            let message = CableRoutingError.landingBeyondSnap(refusal).message(naming: { "<\($0.rawValue)>" })
            #expect(message.contains("55.") && message.contains("more than <snapKm> 10.0"), "\(message)")
        }
    }

    @Test func distinctLandingsUseDifferentStations() throws {
        let surface = SyntheticWorld.surface(land: [])
        let from = RouteEnd(label: "hubs", candidates: [
            Landing(name: "north", position: Position(1, 1.5)), Landing(name: "mid", position: Position(1, 0)),
            Landing(name: "south", position: Position(1, -1.5))])
        let request = RouteRequest.testing(from: from, to: SyntheticWorld.end("E", Position(7, 0)), routes: 2,
                                   minSeparationKm: 30, approachKm: 20, distinctLandings: true)
        let plan = try CableRouter(surface: surface).plan(request)
        #expect(plan.routes.count == 2)
        #expect(Set(plan.routes.map(\.from.name)).count == 2)
        #expect(plan.routes[0].from.name == "mid", "the nearest candidate wins first")
    }

    @Test func hazardsRaiseCostAndAreReportedByKind() throws {
        let band = HazardZone(name: "trench", kind: "trench-axis", weight: 0.5, corridorKm: 20,
                              geometry: .lineString([Position(4, -4.5), Position(4, 4.5)]))
        let surface = SyntheticWorld.surface(land: [], hazards: [band])
        let route = try SyntheticWorld.planOne(surface, from: Position(1, 0), to: Position(7, 0))
        let crossed = try #require(route.hazardKm["trench-axis"])
        #expect(abs(crossed - 40) < 2, "crosses a 40 km corridor: \(crossed)")
        #expect(abs(route.cost - (route.lengthKm + 0.5 * crossed)) < 2)
    }

    @Test func planningIsDeterministic() throws {
        let surface = SyntheticWorld.surface(land: Self.islands, clearanceKm: 2)
        let request = RouteRequest.testing(from: SyntheticWorld.end("W", Position(1.0, 0.1)),
                                   to: SyntheticWorld.end("E", Position(7.2, -0.2)), routes: 2)
        let a = try CableRouter(surface: surface).plan(request), b = try CableRouter(surface: surface).plan(request)
        #expect(a.routes.map(\.vertices) == b.routes.map(\.vertices))
    }
}

/// A landing on water that leads nowhere at the grid resolution (a harbour basin or a
/// lagoon behind a sandbar) lands through the nearest open sea instead of failing.
@Suite struct LandingPocketTests {
    @Test func aLandingInALagoonStartsFromTheOpenSeaNearby() throws {
        let island = SyntheticWorld.box(3, -1, 5, 1)
        let lagoon = SyntheticWorld.box(3.03, -0.05, 3.07, 0.05)     // 3 km of sandbar to the sea
        let surface = SyntheticWorld.surface(land: [.polygon([island, Array(lagoon.reversed())])], clearanceKm: 2)
        let request = RouteRequest.testing(from: SyntheticWorld.end("Lagoon", Position(3.05, 0)),
                                   to: SyntheticWorld.end("Sea", Position(1, 0)))
        let route = try #require(try CableRouter(surface: surface).plan(request).routes.first)
        #expect(route.vertices.first == Position(3.05, 0), "starts at the landing itself")
        #expect(route.lengthKm < Geodesic.distanceKm(Position(3.05, 0), Position(1, 0)) * 1.01)
    }
}
