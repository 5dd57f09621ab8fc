import Foundation
import Testing
@testable import GeoCore

/// The index must give exactly the brute-force geodesic answers (same indices, same
/// distances, same tie order), wherever the points are.
@Suite struct PointIndexTests {
    /// A fixed-seed generator so failures reproduce.

    struct Region {
        let name: String
        let lon: ClosedRange<Double>, lat: ClosedRange<Double>
        let radiusKm: Double
    }

    static let regions: [Region] = [
        Region(name: "Japan", lon: 122.9...146, lat: 24...46, radiusKm: 60),
        Region(name: "Tokyo metro, dense", lon: 139.5...140.0, lat: 35.5...35.9, radiusKm: 2),
        Region(name: "across the antimeridian", lon: 170...190, lat: -20...(-10), radiusKm: 150),
        Region(name: "around the north pole", lon: -180...180, lat: 85...90, radiusKm: 120),
        Region(name: "whole globe", lon: -180...180, lat: -90...90, radiusKm: 1500),
    ]

    func randomPoints(_ n: Int, _ r: Region, _ rng: inout SplitMix64) -> [Position] {
        (0..<n).map { _ in
            var lon = Double.random(in: r.lon, using: &rng)
            if lon > 180 { lon -= 360 }
            return Position(lon, Double.random(in: r.lat, using: &rng))
        }
    }

    func bruteForce(_ points: [Position], _ q: Position) -> [(index: Int, distanceKm: Double)] {
        points.enumerated()
            .map { (index: $0.offset, distanceKm: Geodesic.distanceKm(q, $0.element)) }
            .sorted { ($0.distanceKm, $0.index) < ($1.distanceKm, $1.index) }
    }

    /// The filter step alone: bounds that hold the brute-force nearest geodesic, are under
    /// 0.5 % apart below 1,000 km, do not depend on the hint, and agree with the
    /// prepared-location queries.
    @Test func nearestDistanceBoundsHoldTheBruteForceNearest() throws {
        var rng = SplitMix64(state: 20261203)
        for region in Self.regions {
            let points = randomPoints(1500, region, &rng)
            let index = PointIndex(points)
            var hint = -1
            for q in randomPoints(60, region, &rng) {
                guard let location = PointIndex.Location(q) else { Issue.record("location"); return }
                let truth = bruteForce(points, q)[0].distanceKm
                let bounds = index.nearestDistanceBounds(to: location)
                #expect(bounds.lowerKm <= truth, "\(region.name)")
                #expect(bounds.upperKm >= truth, "\(region.name)")
                // a/b − 1 ≈ 0.34 %, plus the arc over the chord (≈ 0.1 % at 1,000 km).
                if truth < 1000 { #expect(bounds.upperKm <= (bounds.lowerKm * 1.005 + 1e-6), "\(region.name)") }
                let hinted = index.nearestDistanceBounds(to: location, hint: &hint)
                #expect(hinted.lowerKm == bounds.lowerKm, "\(region.name)")
                #expect(hinted.upperKm == bounds.upperKm, "\(region.name)")
                #expect(index.nearest(to: location)?.distanceKm == truth, "\(region.name)")
                #expect(index.within(km: region.radiusKm, of: location) == index.within(km: region.radiusKm, of: q))
            }
        }
        #expect(PointIndex([]).nearestDistanceBounds(to: PointIndex.Location(Position(139, 35))!).lowerKm == .infinity)
        #expect(PointIndex.Location(Position(.nan, 35)) == nil)
    }

    /// The refine step continued from a hint: the brute-force nearest (index, distance and
    /// tie order) whatever the hint — the filter step's own, a stale one, any point, an
    /// invalid one — with or without a distance limit.
    @Test func nearestFromAHintEqualsBruteForce() throws {
        var rng = SplitMix64(state: 20261204)
        for region in Self.regions {
            var points = randomPoints(800, region, &rng)
            points += points.prefix(40)   // exact ties: the smaller index must win
            let index = PointIndex(points)
            var hint = -1
            for q in randomPoints(50, region, &rng) {
                guard let location = PointIndex.Location(q) else { Issue.record("location"); return }
                let truth = bruteForce(points, q)[0]
                _ = index.nearestDistanceBounds(to: location, hint: &hint)
                for h in [hint, 0, index.count - 1, Int.random(in: 0..<index.count, using: &rng), -1, index.count] {
                    let got = index.nearest(to: location, maxKm: .infinity, hint: h)
                    #expect(got?.index == truth.index && got?.distanceKm == truth.distanceKm, "\(region.name), hint \(h)")
                    for maxKm in [truth.distanceKm, truth.distanceKm.nextDown, truth.distanceKm * 2, 0] {
                        let limited = index.nearest(to: location, maxKm: maxKm, hint: h)
                        let expected = index.nearest(to: location, maxKm: maxKm)
                        #expect(limited?.index == expected?.index && limited?.distanceKm == expected?.distanceKm,
                                "\(region.name), hint \(h), maxKm \(maxKm)")
                    }
                }
            }
        }
    }

    /// Neighbourhoods answer as the tree does for every query of their region: the same
    /// bounds (when the nearest is within the cap; beyond it, a lower bound beyond the cap
    /// too), the same exact nearest up to the cap, the same radius sets in the same order.
    @Test func neighbourhoodsAnswerAsTheTree() throws {
        var rng = SplitMix64(state: 20261205)
        for region in Self.regions where region.name != "whole globe" {
            for density in [30, 300, 3000] {
                var points = randomPoints(density, region, &rng)
                points += points.prefix(5)   // exact ties
                let index = PointIndex(points)
                for _ in 0..<12 {
                    // A block of queries about 10 km across around a random place.
                    let centre = randomPoints(1, region, &rng)[0]
                    let queries = (0..<40).map { _ in
                        Position(centre.lon + Double.random(in: -0.06...0.06, using: &rng),
                                 max(-90, min(90, centre.lat + Double.random(in: -0.045...0.045, using: &rng))))
                    }
                    let locations = queries.compactMap { PointIndex.Location($0) }
                    var box = PointIndex.Region()
                    for l in locations { box.include(l) }
                    for cap in [Double.infinity, 20, region.radiusKm * 3] {
                        let near = index.nearestNeighbourhood(of: box, capKm: cap)
                        #expect(near.count <= PointIndex.scanLimit, "\(region.name)")
                        for l in locations {
                            var treeHint = -1, hint = -1
                            let tree = index.nearestDistanceBounds(to: l, hint: &treeHint)
                            let got = near.nearestDistanceBounds(to: l, hint: &hint)
                            if tree.lowerKm <= cap {
                                #expect(got.lowerKm == tree.lowerKm && got.upperKm == tree.upperKm, "\(region.name), cap \(cap)")
                            } else {
                                #expect(got.lowerKm > cap, "\(region.name), cap \(cap)")
                            }
                            for maxKm in [cap, cap / 2, tree.lowerKm, 0] where maxKm <= cap {
                                let expected = index.nearest(to: l, maxKm: maxKm)
                                let answer = near.nearest(to: l, maxKm: maxKm, hint: hint)
                                #expect(answer?.index == expected?.index && answer?.distanceKm == expected?.distanceKm,
                                        "\(region.name), cap \(cap), maxKm \(maxKm)")
                            }
                        }
                    }
                    for radius in [region.radiusKm, 100, 0.5] {
                        let within = index.radiusNeighbourhood(of: box, km: radius)
                        for l in locations {
                            var got: [Int] = []
                            within.forEachWithin(km: radius, of: l) { got.append($0) }
                            #expect(got == index.within(km: radius, of: l), "\(region.name), radius \(radius)")
                        }
                    }
                }
            }
        }
        // No region, no points: the tree's answers.
        let empty = PointIndex([])
        var box = PointIndex.Region()
        box.include(PointIndex.Location(Position(139, 35))!)
        var hint = -1
        #expect(empty.nearestNeighbourhood(of: box).nearestDistanceBounds(to: PointIndex.Location(Position(139, 35))!, hint: &hint).lowerKm == .infinity)
        #expect(PointIndex([Position(139, 35)]).nearestNeighbourhood(of: PointIndex.Region()).count == 0)
    }

    @Test func queriesEqualBruteForceGeodesicAnswers() throws {
        var rng = SplitMix64(state: 20261123)
        for region in Self.regions {
            let points = randomPoints(1500, region, &rng)
            let index = PointIndex(points)
            #expect(index.count == points.count)
            for q in randomPoints(40, region, &rng) {
                let truth = bruteForce(points, q)
                let nearest = index.nearest(to: q)
                #expect(nearest?.index == truth[0].index, "\(region.name)")
                #expect(abs((nearest?.distanceKm ?? -1) - truth[0].distanceKm) <= 1e-12, "\(region.name)")

                // Bounded: the nearest when within maxKm, else nil (both sides of the bound).
                for maxKm in [region.radiusKm, truth[0].distanceKm, truth[0].distanceKm.nextDown] {
                    let bounded = index.nearest(to: q, maxKm: maxKm)
                    if truth[0].distanceKm <= maxKm {
                        #expect(bounded?.index == truth[0].index, "\(region.name)")
                        #expect(bounded?.distanceKm == truth[0].distanceKm, "\(region.name)")
                    } else {
                        #expect(bounded == nil, "\(region.name): nothing within \(maxKm) km")
                    }
                }

                let k = 7
                let knn = index.kNearest(k, to: q)
                #expect(knn.map(\.index) == truth.prefix(k).map(\.index), "\(region.name)")

                let inside = index.within(km: region.radiusKm, of: q)
                let expected = truth.filter { $0.distanceKm <= region.radiusKm }.map(\.index).sorted()
                #expect(inside == expected, "\(region.name)")
            }
        }
    }

    @Test func withinIsGeodesicNotSpherical() throws {
        // Near 35° N, a spherical model (R = 6371 km) overstates north-south distances by
        // about 0.4 %; a radius just above the true geodesic distance must include the point,
        // and one just below must not.
        let q = Position(139.767125, 35.681236)
        let p = Geodesic.direct(from: q, azimuthDegrees: 0, distanceMeters: 50_000)
        let index = PointIndex([p])
        #expect(index.within(km: 50.000001, of: q) == [0])
        #expect(index.within(km: 49.999999, of: q) == [])
        #expect(abs((index.nearest(to: q)?.distanceKm ?? 0) - 50) <= 1e-9)
    }

    @Test func tiesDuplicatesAndInvalidPoints() throws {
        let tokyo = Position(139.767125, 35.681236)
        let points = [
            Position(.nan, 35), tokyo, Position(140, 95), tokyo, Position(139.8, 35.7),
            Position(.infinity, 0),
        ]
        let index = PointIndex(points)
        #expect(index.count == 3, "NaN, infinite and |lat| > 90 points are not indexed")
        // Equal distances: the smaller input index comes first.
        #expect(index.nearest(to: tokyo)?.index == 1)
        #expect(index.kNearest(10, to: tokyo).map(\.index) == [1, 3, 4])
        #expect(index.within(km: 0, of: tokyo) == [1, 3])
        // Many identical points still build a valid tree.
        let same = PointIndex(Array(repeating: tokyo, count: 1000))
        #expect(same.within(km: 0.001, of: tokyo).count == 1000)
        #expect(same.kNearest(3, to: tokyo).map(\.index) == [0, 1, 2])
    }

    @Test func emptyIndexAndBadQueries() throws {
        let empty = PointIndex([])
        #expect(empty.nearest(to: Position(139, 35)) == nil)
        #expect(empty.kNearest(3, to: Position(139, 35)).count == 0)
        #expect(empty.within(km: 100, of: Position(139, 35)) == [])
        let index = PointIndex([Position(139, 35)])
        #expect(index.nearest(to: Position(.nan, 35)) == nil)
        #expect(index.kNearest(0, to: Position(139, 35)).count == 0)
        #expect(index.kNearest(-2, to: Position(139, 35)).count == 0)
        #expect(index.within(km: -1, of: Position(139, 35)) == [])
        #expect(index.within(km: .nan, of: Position(139, 35)) == [])
        #expect(index.within(km: .infinity, of: Position(-41, -35)) == [0])
    }
}
