import Foundation
import GeoCore
import Testing
@testable import CableRouting

/// "Shortest means shortest": any-angle, geodesic routes within stated bounds of the
/// continuous optimum (issue: open sea 0.1 %, analytic obstacle 0.5 %, grid halving 1 %).
@Suite struct GeometryOptimalityTests {
    @Test func openSeaRouteIsTheGeodesic() throws {
        let surface = SyntheticWorld.surface(land: [])
        let cases: [(String, Position, Position)] = [
            ("east-west", Position(0.5, 0.2), Position(7.5, 0.2)),
            ("diagonal", Position(0.6, -3.4), Position(7.3, 3.1)),
            ("short", Position(3.0, 1.0), Position(3.2, 1.1)),
        ]
        for (name, a, b) in cases {
            let route = try SyntheticWorld.planOne(surface, from: a, to: b)
            let geodesic = Geodesic.distanceKm(a, b)
            #expect(abs(route.lengthKm / geodesic - 1) < 0.001, "\(name): \(route.lengthKm) vs geodesic \(geodesic)")
            #expect(route.detourRatio < 1.001, "\(name)")
        }
    }

    /// Around a spherical cap of radius r between two points at distance d from its centre
    /// on opposite sides, the optimum is tangent–arc–tangent:
    /// L = R (2t + sin r · (π − 2α)), cos t = cos d / cos r, cos α = tan r / tan d.
    @Test func aroundADiscWithinHalfAPercentOfTheAnalyticOptimum() throws {
        let center = Position(4, 0)
        let rKm = 150.0, dKm = 300.0
        let surface = SyntheticWorld.surface(land: [SyntheticWorld.disc(center: center, radiusKm: rKm)])
        let a = SyntheticWorld.offset(center, km: dKm, bearingDegrees: 270)
        let b = SyntheticWorld.offset(center, km: dKm, bearingDegrees: 90)
        let route = try SyntheticWorld.planOne(surface, from: a, to: b)
        let R = SyntheticWorld.radiusKm
        let r = rKm / R, d = dKm / R
        let t = acos(cos(d) / cos(r))
        let alpha = acos(tan(r) / tan(d))
        let optimum = R * (2 * t + sin(r) * (Double.pi - 2 * alpha))
        let length = SyntheticWorld.sphereLengthKm(route.vertices)
        #expect(length >= optimum * 0.9999, "shorter than the optimum: the route cut the disc")
        #expect(length / optimum - 1 < 0.005, "disc: \(length) km vs optimum \(optimum) km")
        print("cable accuracy: disc excess \(String(format: "%.3f", (length / optimum - 1) * 100)) % (\(length) vs \(optimum) km)")
    }

    /// A long thin wall between the ends: the optimum passes its end corners.
    @Test func aroundALongWallWithinHalfAPercent() throws {
        let wall = SyntheticWorld.box(3.98, -4.5, 4.02, 1.5)   // closed to the south edge
        let surface = SyntheticWorld.surface(land: [.polygon([wall])])
        let a = Position(1.0, -1.0), b = Position(7.0, -1.5)
        let route = try SyntheticWorld.planOne(surface, from: a, to: b)
        let c1 = Position(3.98, 1.5), c2 = Position(4.02, 1.5)
        let optimum = Gnomonic.sphereDistanceKm(a, c1) + Gnomonic.sphereDistanceKm(c1, c2) + Gnomonic.sphereDistanceKm(c2, b)
        let length = SyntheticWorld.sphereLengthKm(route.vertices)
        #expect(length >= optimum * 0.9999)
        #expect(length / optimum - 1 < 0.005, "wall: \(length) km vs optimum \(optimum) km")
        print("cable accuracy: wall excess \(String(format: "%.3f", (length / optimum - 1) * 100)) % (\(length) vs \(optimum) km)")
    }

    @Test func halvingTheGridChangesLengthByLessThanOnePercent() throws {
        let land: [Geometry] = [
            SyntheticWorld.disc(center: Position(3, 0.3), radiusKm: 90),
            .polygon([SyntheticWorld.box(5.2, -2.5, 5.4, 0.8)]),
        ]
        let a = Position(0.8, 0.2), b = Position(7.4, -0.4)
        let fine = try SyntheticWorld.planOne(SyntheticWorld.surface(land: land, cellKm: 2), from: a, to: b)
        let coarse = try SyntheticWorld.planOne(SyntheticWorld.surface(land: land, cellKm: 4), from: a, to: b)
        #expect(abs(coarse.lengthKm / fine.lengthKm - 1) < 0.01, "2 km: \(fine.lengthKm), 4 km: \(coarse.lengthKm)")
        print("cable accuracy: 4 km vs 2 km grid \(String(format: "%.3f", (coarse.lengthKm / fine.lengthKm - 1) * 100)) %")
    }
}
