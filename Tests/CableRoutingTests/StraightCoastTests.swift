import Foundation
import GeoCore
import Testing
@testable import CableRouting

/// With the default approach (20 km) and separation (30 km), two routes between landings on
/// a straight coast exist: the second leaves its landing's approach circle ≥ 97° away from
/// the first and runs offshore of it.
@Suite struct StraightCoastTests {
    @Test func twoSeparatedRoutesAlongAStraightCoastWithTheDefaults() throws {
        let land: [Geometry] = [.polygon([SyntheticWorld.box(-1, -5, 9, 0)])]
        let surface = SyntheticWorld.surface(land: land, clearanceKm: 2)
        let request = RouteRequest.testing(from: SyntheticWorld.end("A", Position(1, -0.01)),
                                   to: SyntheticWorld.end("B", Position(7, -0.01)), routes: 2)
        let plan = try CableRouter(surface: surface).plan(request)
        #expect(plan.routes.count == 2, "\(plan.warnings)")
        for route in plan.routes {
            #expect((route.achievedSeparationKm ?? 0) >= 30, "rank \(route.rank)")
            #expect(abs(route.from.snappedKm - 1.1) < 0.05, "landing snapped to the coast")
        }
        let offshore = plan.routes.map { r in r.vertices.map(\.lat).max() ?? 0 }
        #expect(offshore[1] > offshore[0] + 30 / 111.2, "the second route runs outside the first")
    }
}
