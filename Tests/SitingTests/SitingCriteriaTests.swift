import Foundation
import GeoCore
import Testing
@testable import Siting

/// The embedded layers, loaded as the executable loads them (without PlannerKit).
enum Embedded {
    static func read(_ name: String) -> [Feature] {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return (try? GeoJSONReader.read(path: url.appendingPathComponent("geodata/\(name)").path).features) ?? []
    }
    static func point(_ f: Feature) -> Position? { if case .point(let p)? = f.geometry { return p }; return nil }
    static func polygon(_ f: Feature, name: String = "") -> ValuedPolygon? {
        guard let g = f.geometry, let rings = ScanlineFill.rings(of: g) else { return nil }
        return ValuedPolygon(rings: rings, name: name)
    }
    static let layers: SitingLayers = {
        let prefectures = read("prefectures.geojson").compactMap { f in polygon(f, name: f[property: "code"]?.stringValue ?? "") }
        let plants = read("power-plants.geojson").compactMap { f -> (position: Position, capacityMW: Double, decarbonised: Bool)? in
            guard let p = point(f) else { return nil }
            return (p, f[property: "capacity_mw"]?.doubleValue ?? 0, f[property: "decarbonised"]?.boolValue ?? false)
        }
        var lines: [[Position]] = [], regions: [ValuedPolygon] = []
        for f in read("hazards.geojson") {
            if case .lineString(let l)? = f.geometry { lines.append(l) } else if let p = polygon(f) { regions.append(p) }
        }
        return SitingLayers(
            prefectures: prefectures, plants: plants,
            substations: read("substations.geojson").compactMap(point),
            landings: read("landing-stations.geojson").filter { $0[property: "zone"]?.stringValue == "other" }.compactMap(point),
            ixs: read("ix.geojson").compactMap(point), hazardLines: lines, hazardRegions: regions,
            metro: read("zones.geojson").filter { $0[property: "kind"]?.stringValue == "metro-area" }.compactMap { polygon($0) })
    }()
}

@Suite("Siting criteria against independent computation")
struct SitingCriteriaTests {
    /// Scoring every cell skips the geodesics of saturated criteria (`saturating`); the
    /// exact evaluation computes all of them. Totals and exclusions must agree bit for bit,
    /// whatever the value functions: one row per option set that moves a saturation point.
    static let saturationCases: [(String, SitingOptions)] = {
        var plain = SitingOptions.testing()
        plain.top = 1
        var rtt = plain
        rtt.maxRTTMs = 9
        var reversed = plain   // farther is better, steps and thresholds at 0
        reversed.functions[.plantKm] = .linear(best: 80, worst: 5)
        reversed.functions[.ixKm] = .step(threshold: 150)
        reversed.functions[.rttTokyoMs] = .linear(best: 12, worst: 3)
        reversed.functions[.hazardKm] = .linear(best: 0, worst: 40)
        reversed.functions[.landingKm] = .step(threshold: 0)
        var tight = plain      // RTT limit above the criterion's far threshold
        tight.functions[.rttOsakaMs] = .linear(best: 1, worst: 4)
        tight.maxRTTMs = 6
        return [("defaults", plain), ("--max-rtt-ms 9", rtt), ("reversed and step functions", reversed),
                ("RTT limit beyond the value function", tight)]
    }()

    @Test("saturated criteria skipped while scoring: totals and exclusions equal the exact evaluation, bit for bit",
          arguments: saturationCases.indices)
    func saturationIsExact(_ k: Int) throws {
        let (label, options) = Self.saturationCases[k]
        let engine = try SitingEngine(layers: Embedded.layers, options: options)
        // Hokkaido east, Tokyo, Kyoto, Kyushu, Okinawa: near and far from every threshold.
        let tiles = ["6545", "5339", "5235", "4930", "3927"].compactMap { try? MeshCode($0) }
        var compared = 0
        for cell in engine.scoreAll(tiles: tiles) {
            let e = engine.evaluation(of: cell)
            #expect(e.total.bitPattern == cell.total.bitPattern, "\(label): cell \(cell.row),\(cell.column)")
            #expect(e.excluded.reduce(UInt8(0)) { $0 | $1.bit } == cell.excludedBits, "\(label)")
            compared += 1
        }
        #expect(compared > 10_000, "\(label): \(compared) cells")
    }

    /// Filter and refine: cells scored from chord bounds alone (no geodesic inverse) must
    /// bracket the exact total bit for bit, keep the exact exclusions, resolve to the exact
    /// total, and rank, when resolved lazily, exactly as a full sort of the exact cells.
    /// The option sets above on the embedded layers, plus one with every user layer that
    /// the bounds take exactly (grid points with --min-available-mw, population, factor
    /// points, an --exclude polygon).
    static let boundsCases: [(String, SitingLayers, SitingOptions)] = {
        var rows = saturationCases.map { ($0.0, Embedded.layers, $0.1) }
        var layers = Embedded.layers
        layers.gridPoints = layers.plants.map { WeightedPoint($0.position, $0.capacityMW / 4) }
        layers.population = layers.substations.map { WeightedPoint($0, 250_000) }
        layers.factorPoints = layers.ixs.enumerated().map { WeightedPoint($0.element, Double($0.offset % 7)) }
        layers.exclusions = [ValuedPolygon(rings: [[Position(135.6, 34.9), Position(135.9, 34.9), Position(135.9, 35.2),
                                                     Position(135.6, 35.2), Position(135.6, 34.9)]])]
        var options = SitingOptions.testing()
        options.top = 1
        options.minAvailableMW = 100
        options.gridRadiusKm = 40
        options.maxRTTMs = 10
        rows.append(("user layers: grid points, population, factor points, exclusion", layers, options))
        return rows
    }()

    @Test("bounded scoring brackets the exact total; lazy ranking and sites equal the exact ones",
          arguments: boundsCases.indices)
    func boundsAreExact(_ k: Int) throws {
        let (label, layers, options) = Self.boundsCases[k]
        let engine = try SitingEngine(layers: layers, options: options)
        let tiles = ["6545", "5339", "5235", "4930", "3927", "5438"].compactMap { try? MeshCode($0) }
        let exact = engine.scoreAll(tiles: tiles)
        let bounded = engine.scoreAll(tiles: tiles, exact: false)
        #expect(exact.count == bounded.count && exact.count > 10_000, "\(label)")
        var provisional = 0
        for (e, b) in zip(exact, bounded) {
            #expect(e.row == b.row && e.column == b.column && e.excludedBits == b.excludedBits, "\(label)")
            #expect(b.total <= e.total && e.total <= b.upper, "\(label): cell \(b.row),\(b.column)")
            #expect(engine.exactTotal(of: b).bitPattern == e.total.bitPattern, "\(label): cell \(b.row),\(b.column)")
            if !b.isExact { provisional += 1 }
        }
        #expect(provisional > 0, "\(label)")
        // Oracle: a full sort of the exact eligible cells by (total desc, row, column).
        let sorted = exact.filter(\.eligible).sorted { a, b in
            a.total != b.total ? a.total > b.total : (a.row, a.column) < (b.row, b.column)
        }
        let ranking = CellRanking(bounded, exactTotal: engine.exactTotal(of:))
        for i in 0..<min(2_000, sorted.count) {
            let c = ranking.cell(at: i)
            #expect(c?.row == sorted[i].row && c?.column == sorted[i].column && c?.total == sorted[i].total, "\(label): rank \(i)")
        }
        #expect(ranking.resolvedCount < provisional, "\(label): \(ranking.resolvedCount) of \(provisional) resolved")
        let centre: (ScoredCell) -> Position = { engine.cell(row: $0.row, column: $0.column).centre }
        let lazy = SiteSelection.top(CellRanking(bounded, exactTotal: engine.exactTotal(of:)), count: 10, minSpacingKm: 30, centre: centre)
        #expect(lazy == SiteSelection.top(exact, count: 10, minSpacingKm: 30, centre: centre), "\(label)")
        var resolved = bounded
        engine.resolve(&resolved) { _ in true }
        #expect(resolved.map(\.total) == exact.map(\.total) && resolved.allSatisfy(\.isExact), "\(label)")
    }

    /// Brute force: every facility, Karney's geodesic (GeoCore.Geodesic, GeographicLib's
    /// algorithm), minimum — against the engine's k-d tree answer, on a sample of cells.
    @Test("nearest-facility distances and decarbonised MW equal brute force; RTTs follow the shared fiber model")
    func bruteForce() throws {
        let layers = Embedded.layers
        let engine = try SitingEngine(layers: layers, options: SitingOptions.testing())
        let tiles = engine.tiles()
        #expect(tiles.count > 100)
        var rng = SplitMix64(seed: 7)
        var checked = 0
        for tile in tiles where rng.unit() < 0.15 {
            engine.forEachLandCell(tile) { row, column, centre, e, _ in
                guard (Int(row) * 31 + Int(column)) % 97 == 0 else { return }
                func brute(_ pts: [Position]) -> Double { pts.map { Geodesic.distanceKm(centre, $0) }.min() ?? .infinity }
                #expect(abs(e.raw[Criterion.plantKm.index] - brute(layers.plants.map(\.position))) < 1e-9)
                #expect(abs(e.raw[Criterion.substationKm.index] - brute(layers.substations)) < 1e-9)
                #expect(abs(e.raw[Criterion.landingKm.index] - brute(layers.landings)) < 1e-9)
                #expect(abs(e.raw[Criterion.ixKm.index] - brute(layers.ixs)) < 1e-9)
                let mw = layers.plants.filter { $0.decarbonised && Geodesic.distanceKm(centre, $0.position) <= 100 }
                    .reduce(0.0) { $0 + $1.capacityMW }
                #expect(abs(e.raw[Criterion.decarbonisedMW.index] - mw) < 1e-6)
                let tokyoKm = Geodesic.distanceKm(centre, Position(139.7640, 35.6870))
                #expect(abs(e.raw[Criterion.rttTokyoMs.index] - 2 * tokyoKm * 1.5 * 4.9 / 1000) < 1e-9)
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    struct ValueCase: Sendable, CustomTestStringConvertible {
        var function: ValueFunction
        var raw: Double
        var expected: Double
        var testDescription: String { "\(function.text) at \(raw)" }
    }

    static let valueCases: [ValueCase] = [
        // nearer is better: 1 at ≤ 10 km, 0 at ≥ 100 km
        .init(function: .linear(best: 10, worst: 100), raw: 0, expected: 1),
        .init(function: .linear(best: 10, worst: 100), raw: 10, expected: 1),
        .init(function: .linear(best: 10, worst: 100), raw: 10.000001, expected: 1 - 0.000001 / 90),
        .init(function: .linear(best: 10, worst: 100), raw: 55, expected: 0.5),
        .init(function: .linear(best: 10, worst: 100), raw: 99.999, expected: 0.001 / 90),
        .init(function: .linear(best: 10, worst: 100), raw: 100, expected: 0),
        .init(function: .linear(best: 10, worst: 100), raw: 1000, expected: 0),
        // more is better: 0 at 0 MW, 1 at ≥ 3000 MW
        .init(function: .linear(best: 3000, worst: 0), raw: 0, expected: 0),
        .init(function: .linear(best: 3000, worst: 0), raw: 750, expected: 0.25),
        .init(function: .linear(best: 3000, worst: 0), raw: 3000, expected: 1),
        .init(function: .linear(best: 3000, worst: 0), raw: 2999.7, expected: 0.9999),
        // step
        .init(function: .step(threshold: 1), raw: 0.999, expected: 0),
        .init(function: .step(threshold: 1), raw: 1, expected: 1),
    ]

    @Test("value functions at and around their thresholds", arguments: valueCases)
    func valueFunction(_ c: ValueCase) {
        #expect(abs(c.function.score(c.raw) - c.expected) < 1e-12)
    }

    @Test("options: unknown criterion, bad thresholds and zero weights are refused by name")
    func badOptions() throws {
        #expect(throws: SitingOptionError.self) { try CriterionSpec.weights("nope_km=1") }
        #expect(throws: SitingOptionError.self) { try CriterionSpec.weights("ix_km=-1") }
        #expect(throws: SitingOptionError.self) { try CriterionSpec.thresholds("ix_km=5:5") }
        var o = SitingOptions.testing()
        for c in Criterion.allCases { o.weights[c] = 0 }
        #expect(throws: SitingOptionError.self) { try SitingEngine(layers: Embedded.layers, options: o) }
    }
}

@Suite("Siting selection")
struct SitingSelectionTests {
    /// O(n²) oracle: a vector is flagged when no other is ≥ on all and > on one.
    static func oracle(_ v: [[Double]]) -> [Bool] {
        v.indices.map { i in
            !v.indices.contains { j in j != i && zip(v[j], v[i]).allSatisfy { $0 >= $1 } && zip(v[j], v[i]).contains { $0 > $1 } }
        }
    }

    @Test("Pareto flags equal the O(n²) oracle on random and tied vectors")
    func pareto() {
        var rng = SplitMix64(seed: 42)
        for trial in 0..<200 {
            let n = 1 + Int(rng.next() % 60), d = 1 + Int(rng.next() % 5)
            let levels = trial % 2 == 0 ? 4.0 : 1000.0   // coarse values make many ties
            let v = (0..<n).map { _ in (0..<d).map { _ in (rng.unit() * levels).rounded(.down) / levels } }
            #expect(SiteSelection.paretoFlags(v) == Self.oracle(v), "trial \(trial)")
        }
    }

    /// The ranking heaps the best cells first and the rest only when it reads past them: the
    /// whole order must still be the oracle's (a full sort by exact total, row, column),
    /// across that boundary, with ties, provisional cells and ineligible ones mixed in.
    @Test("the lazy ranking's whole order equals a full sort, past its first stage")
    func rankingOrder() {
        var rng = SplitMix64(seed: 7)
        for trial in 0..<3 {
            var cells: [ScoredCell] = []
            var exact: [Int64: Double] = [:]
            for k in 0..<(3 * CellRanking.firstStage + 1234) {
                let total = (rng.unit() * (trial == 0 ? 50 : 1e6)).rounded(.down) / (trial == 0 ? 50 : 1e6)
                let slack = rng.unit() < 0.5 ? 0 : rng.unit() * 0.05
                let cell = ScoredCell(row: Int32(k / 300), column: Int32(k % 300), total: total - slack, upper: total + slack,
                                      excludedBits: rng.unit() < 0.1 ? 1 : 0, prefecture: 0, polygonBits: 0)
                exact[Int64(cell.row) << 32 | Int64(cell.column)] = total
                cells.append(cell)
            }
            let oracle = cells.filter(\.eligible).map { c in
                (c.row, c.column, exact[Int64(c.row) << 32 | Int64(c.column)] ?? .nan)
            }.sorted { a, b in a.2 != b.2 ? a.2 > b.2 : (a.0, a.1) < (b.0, b.1) }
            let ranking = CellRanking(cells) { c in exact[Int64(c.row) << 32 | Int64(c.column)] ?? .nan }
            for (i, o) in oracle.enumerated() {
                let c = ranking.cell(at: i)
                #expect(c?.row == o.0 && c?.column == o.1 && c?.total == o.2, "trial \(trial), rank \(i)")
                if c?.row != o.0 || c?.column != o.1 { break }
            }
            #expect(ranking.cell(at: oracle.count) == nil)
        }
    }

    @Test("top N respects the spacing and takes the best eligible cells first")
    func spacing() throws {
        let engine = try SitingEngine(layers: Embedded.layers, options: SitingOptions.testing())
        let tiles = engine.tiles().filter { ["6441", "6340", "5339", "5132", "4930", "5033"].contains($0.code) }
        let cells = engine.scoreAll(tiles: tiles)
        let centre: (ScoredCell) -> Position = { engine.cell(row: $0.row, column: $0.column).centre }
        for spacing in [0.0, 10, 50, 200] {
            let top = SiteSelection.top(cells, count: 12, minSpacingKm: spacing, centre: centre)
            #expect(!top.isEmpty)
            for a in top.indices { for b in top.indices where a < b {
                #expect(Geodesic.distanceKm(centre(top[a]), centre(top[b])) >= spacing)
            } }
            let allEligible = top.allSatisfy { $0.eligible }
            #expect(allEligible)
            // The first site is the best eligible cell.
            let best = cells.filter(\.eligible).map(\.total).max()
            #expect(top.first?.total == best)
            // Greedy order: scores never increase down the list.
            #expect(zip(top, top.dropFirst()).allSatisfy { $0.total >= $1.total })
        }
    }

    @Test("sensitivity is deterministic under a seed and converges as samples grow")
    func sensitivity() {
        var rng = SplitMix64(seed: 3)
        let pool = (0..<300).map { _ in (0..<6).map { _ in rng.unit() } }
        let conflicts = pool.indices.map { i in [(i + 1) % pool.count] }
        let s = Sensitivity(scores: pool, weights: [1, 2, 2, 1, 1, 1], concentration: 50, conflicts: conflicts)
        let a = s.selectionFrequency(samples: 500, top: 10, seed: 9)
        let b = s.selectionFrequency(samples: 500, top: 10, seed: 9)
        #expect(a == b)
        let c = s.selectionFrequency(samples: 500, top: 10, seed: 10)
        #expect(a != c)
        // Converges: two independent 8000-sample estimates agree to ~3 standard errors.
        let x = s.selectionFrequency(samples: 8000, top: 10, seed: 1)
        let y = s.selectionFrequency(samples: 8000, top: 10, seed: 2)
        let small = s.selectionFrequency(samples: 50, top: 10, seed: 1)
        let bigGap = zip(x, y).map { abs($0 - $1) }.max() ?? 1
        let smallGap = zip(small, y).map { abs($0 - $1) }.max() ?? 0
        #expect(bigGap < 0.03)
        #expect(bigGap < smallGap)
        // Every sample selects exactly `top` cells.
        #expect(abs(x.reduce(0, +) - 10) < 1e-9)
    }
}
