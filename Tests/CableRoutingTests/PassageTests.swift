import Foundation
import GeoCore
import Testing
@testable import CableRouting

/// Narrow water: a straight channel between two walls, open or closed by
/// `minPassageKm`, followed along its middle; lakes are not sea; the lattice cache is
/// keyed by content. Distances are checked against the analytic geometry of the walls.
@Suite struct PassageTests {
    static let kmPerDegreeLat = 110.574   // GRS80 at the equator (meridian arc)

    /// Two walls from the region's north and south edges leaving a channel of `widthKm`
    /// (lon 3.95–4.05, about 11 km long) on the equator.
    static func channel(widthKm: Double) -> [Geometry] {
        let h = widthKm / 2 / kmPerDegreeLat
        return [.polygon([SyntheticWorld.box(3.95, h, 4.05, 4.5)]), .polygon([SyntheticWorld.box(3.95, -4.5, 4.05, -h)])]
    }

    static func surface(widthKm: Double, minPassageKm: Double, clearanceKm: Double = 2) -> SeaSurface {
        SeaSurface(land: channel(widthKm: widthKm),
                   options: SeaSurfaceOptions(region: SyntheticWorld.region, cellKm: 2, coastClearanceKm: clearanceKm,
                                              minPassageKm: minPassageKm))
    }

    static func request() -> RouteRequest {
        RouteRequest.testing(from: SyntheticWorld.end("W", Position(3.5, 0.01)), to: SyntheticWorld.end("E", Position(4.5, -0.01)),
                     approachKm: 5)
    }

    @Test(arguments: [(0.8, 0.5), (1.5, 1.0), (3.0, 1.0)])
    func aChannelWiderThanTheMinimumIsOpenAndFollowedInTheMiddle(widthKm: Double, minPassageKm: Double) throws {
        let route = try #require(try CableRouter(surface: Self.surface(widthKm: widthKm, minPassageKm: minPassageKm))
            .plan(Self.request()).routes.first)
        // Through the channel, not round the walls (which reach beyond the region).
        #expect(route.lengthKm < 120, "\(route.lengthKm) km")
        // In the channel, the distance to the walls is half the width minus the offset
        // from the middle: the route keeps within a quarter of the width of the middle.
        let h = widthKm / 2 / Self.kmPerDegreeLat
        for p in Geodesic.densify(route.vertices, maxSegmentKm: 0.05) where p.lon > 3.96 && p.lon < 4.04 {
            let offsetKm = abs(p.lat) * Self.kmPerDegreeLat
            #expect(abs(p.lat) < h, "outside the channel at \(p)")
            #expect(offsetKm <= max(0.25 * widthKm, 0.2), "\(offsetKm) km off the middle at \(p)")
        }
        let minCoast = try #require(route.minCoastKm)
        let analytic = Geodesic.densify(route.vertices, maxSegmentKm: 0.05)
            .filter { $0.lon > 3.95 && $0.lon < 4.05 }
            .map { (h - abs($0.lat)) * Self.kmPerDegreeLat }.min() ?? .infinity
        #expect(abs(minCoast - analytic) < 0.02 + 0.01 * analytic, "min_coast_km \(minCoast) vs walls \(analytic)")
        let passage = try #require(route.narrowestPassageKm)
        #expect(abs(passage - widthKm) < 0.05 * widthKm + 0.02, "narrowest passage \(passage) km for a \(widthKm) km channel")
    }

    @Test func aChannelNarrowerThanTheMinimumIsClosed() throws {
        do {
            _ = try CableRouter(surface: Self.surface(widthKm: 0.8, minPassageKm: 1.0)).plan(Self.request())
            Issue.record("planned through a 0.8 km channel with --min-passage-km 1")
        } catch let error as CableRoutingError {
            guard case .endEnclosed = error else { Issue.record("\(error)"); return }
            #expect(error.description.contains("enclosed"), "\(error)")
        }
    }

    @Test func aLakeIsNotSeaAndLandSnapsToTheSeaNotTheLake() throws {
        // An island 2° square with a lake in it; the lake shore is nearer to the inland
        // point than the sea.
        let outer = SyntheticWorld.box(3, -1, 5, 1), lake = SyntheticWorld.box(3.6, -0.4, 4.4, 0.4)
        let land: [Geometry] = [.polygon([outer, Array(lake.reversed())])]
        let surface = SyntheticWorld.surface(land: land, clearanceKm: 2)
        #expect(!surface.isOceanWater(Position(4, 0)), "the lake is not sea")
        #expect(surface.isOceanWater(Position(2.5, 0)), "the sea is sea")
        // 0.1° from the lake, 0.5° from the sea (west coast at lon 3).
        let inland = Position(3.5, 0)
        var request = RouteRequest.testing(from: SyntheticWorld.end("Inland", inland), to: SyntheticWorld.end("Sea", Position(1, 0)),
                                   snapKm: 30)
        do {
            _ = try CableRouter(surface: surface).plan(request)
            Issue.record("snapped to the lake")
        } catch let CableRoutingError.landingBeyondSnap(refusal) {
            #expect(refusal.closedWaterKm != nil, "\(refusal)")
            #expect(CableRoutingError.landingBeyondSnap(refusal).description.contains("lake"))
        }
        request.snapKm = 60
        let route = try #require(try CableRouter(surface: surface).plan(request).routes.first)
        #expect(abs(route.from.position.lon - 3) < 1e-6, "landed at \(route.from.position), not on the sea coast")
        #expect(abs(route.from.snappedKm - 0.5 * 111.32) < 0.5)
    }

    @Test func theLatticeCacheIsKeyedByContent() throws {
        let a = Self.channel(widthKm: 1.5), b = Self.channel(widthKm: 3.0)
        let options = SeaSurfaceOptions(region: SyntheticWorld.region, cellKm: 2, coastClearanceKm: 2, minPassageKm: 1)
        let built = SeaSurface(land: a, options: options)
        #expect(built.latticeWasBuilt)
        let entries = Dictionary(uniqueKeysWithValues: built.cacheEntries().map { ($0.name, $0.data) })
        let reused = SeaSurface(land: a, options: options, cached: { entries[$0] })
        #expect(!reused.latticeWasBuilt, "the same land and options reuse the bytes")
        let plannedBuilt = try CableRouter(surface: built).plan(Self.request())
        let plannedReused = try CableRouter(surface: reused).plan(Self.request())
        #expect(plannedBuilt.routes.map(\.vertices) == plannedReused.routes.map(\.vertices))
        // Other land, other options, damaged bytes: rebuilt, never trusted.
        #expect(SeaSurface(land: b, options: options, cached: { entries[$0] }).latticeWasBuilt)
        var narrower = options
        narrower.minPassageKm = 2
        #expect(SeaSurface(land: a, options: narrower, cached: { entries[$0] }).latticeWasBuilt)
        let damaged = entries.mapValues { $0.dropLast(10) }
        #expect(SeaSurface(land: a, options: options, cached: { damaged[$0] }).latticeWasBuilt)
        #expect(SeaSurface.latticeKey(land: a, options: options) != SeaSurface.latticeKey(land: b, options: options))
    }

    /// The zone and hazard rasters are cached beside the lattice: the same hazards reuse
    /// them (and plan the same route), a changed weight or shape rebuilds them, and so do
    /// damaged bytes. A hazard on the route's way gives the same route either way.
    @Test func theCostRastersAreCachedByContent() throws {
        let land = Self.channel(widthKm: 3.0)
        let options = SeaSurfaceOptions(region: SyntheticWorld.region, cellKm: 2, coastClearanceKm: 2, minPassageKm: 1)
        func hazard(weight: Double, halfSize: Double) -> HazardZone {
            HazardZone(name: "h", kind: "test", weight: weight, geometry: .polygon([[
                Position(4.3 - halfSize, -halfSize), Position(4.3 + halfSize, -halfSize), Position(4.3 + halfSize, halfSize),
                Position(4.3 - halfSize, halfSize), Position(4.3 - halfSize, -halfSize)]]))
        }
        let hazards = [hazard(weight: 4, halfSize: 0.05)]
        let built = SeaSurface(land: land, hazards: hazards, options: options)
        #expect(built.costsWereBuilt)
        let entries = Dictionary(uniqueKeysWithValues: built.cacheEntries().map { ($0.name, $0.data) })
        #expect(entries.count == 3, "lattice, cost rasters and uniform squares")
        let reused = SeaSurface(land: land, hazards: hazards, options: options, cached: { entries[$0] })
        #expect(!reused.costsWereBuilt && !reused.latticeWasBuilt)
        #expect(reused.cacheEntries().isEmpty, "nothing new to write")
        for cell in stride(from: 0, to: built.grid.cellCount, by: 97) {
            #expect(built.costMultiplier(cell: cell) == reused.costMultiplier(cell: cell))
        }
        let plannedBuilt = try CableRouter(surface: built).plan(Self.request())
        let plannedReused = try CableRouter(surface: reused).plan(Self.request())
        #expect(plannedBuilt.routes.map(\.vertices) == plannedReused.routes.map(\.vertices))

        let heavier = SeaSurface(land: land, hazards: [hazard(weight: 5, halfSize: 0.05)], options: options, cached: { entries[$0] })
        #expect(heavier.costsWereBuilt && !heavier.latticeWasBuilt, "a new weight rebuilds only the rasters")
        let larger = SeaSurface(land: land, hazards: [hazard(weight: 4, halfSize: 0.08)], options: options, cached: { entries[$0] })
        #expect(larger.costsWereBuilt)
        let damaged = entries.mapValues { $0.dropLast(3) }
        #expect(SeaSurface(land: land, hazards: hazards, options: options, cached: { damaged[$0] }).costsWereBuilt)
        #expect(SeaSurface.costKey(zones: [], hazards: hazards, options: options)
            != SeaSurface.costKey(zones: [], hazards: [hazard(weight: 4.000001, halfSize: 0.05)], options: options))
    }
}
