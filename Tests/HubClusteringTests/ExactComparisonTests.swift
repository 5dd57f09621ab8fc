import Foundation
import GeoCore
import Testing
@testable import HubClustering

/// Deterministic small instances: sites scattered around a few town centres in Hokkaido.
struct SmallInstance: CustomStringConvertible {
    var name: String
    var sites: [HubSite]
    var options: HubClusteringOptions
    var description: String { name }

    static func generate(seed: UInt64, count: Int, towns: Int, metroShare: Double = 0) -> SmallInstance {
        var rng = SplitMix64(seed: seed)
        let townCentres = (0..<towns).map { _ in
            Position(141.0 + 2.5 * rng.unit(), 42.6 + 1.4 * rng.unit())
        }
        var sites: [HubSite] = []
        for _ in 0..<count {
            let town = townCentres[Int(rng.next() % UInt64(towns))]
            let p = Position(town.lon + (rng.unit() - 0.5) * 0.9, town.lat + (rng.unit() - 0.5) * 0.6)
            let mw = (50 + 350 * rng.unit()).rounded()
            sites.append(HubSite(position: p, capacityMW: mw, inMetroArea: rng.unit() < metroShare))
        }
        let options = HubClusteringOptions.testing(minHubMW: 1000, maxRadiusKm: 35 + Double(seed % 4) * 5)
        return SmallInstance(name: "seed\(seed)-n\(count)", sites: sites, options: options)
    }

    /// Towns far enough apart (≥ 2.6° of longitude) that no hub can span two of them, each
    /// with 5–12 sites spread ±0.35° × ±0.25° around it.
    static func separatedTowns(seed: UInt64, towns: Int, perTown: Int, radiusKm: Double, metroShare: Double) -> SmallInstance {
        var rng = SplitMix64(seed: seed)
        var sites: [HubSite] = []
        for t in 0..<towns {
            let centre = Position(130.0 + 2.6 * Double(t), 36.0 + 6.0 * rng.unit())
            for _ in 0..<perTown {
                let p = Position(centre.lon + (rng.unit() - 0.5) * 0.7, centre.lat + (rng.unit() - 0.5) * 0.5)
                let mw = (50 + 300 * rng.unit()).rounded()
                sites.append(HubSite(position: p, capacityMW: mw, inMetroArea: rng.unit() < metroShare))
            }
        }
        return SmallInstance(name: "seed\(seed)-\(towns)x\(perTown)-r\(Int(radiusKm))", sites: sites,
                             options: HubClusteringOptions.testing(minHubMW: 1000, maxRadiusKm: radiusKm))
    }

    /// The fixed table the comparison runs on: 40 instances of 10–40 sites, 0–6 hubs each.
    static let table: [SmallInstance] = (1...40).map { k in
        let towns = 1 + k % 4
        let perTown = min(5 + (k * 3) % 8, 40 / towns)
        return separatedTowns(seed: UInt64(k) * 7919, towns: towns, perTown: max(perTown, 10 / towns),
                              radiusKm: 25 + Double(k % 5) * 5, metroShare: k % 6 == 0 ? 0.2 : 0)
    }
}

@Suite("Heuristic versus exact optimum on small instances")
struct ExactComparisonTests {
    @Test("reaches the optimal hub count on every instance and the optimal cost within 2 % on most")
    func heuristicMatchesExact() throws {
        var countMatches = 0, within2 = 0, exactCost = 0, compared = 0
        var worstGap = 0.0, gaps: [Double] = []
        for instance in SmallInstance.table {
            let exact = ExactHubSolver.solve(sites: instance.sites, options: instance.options)
            var heuristicOnly = instance.options
            heuristicOnly.exact = .off
            let found = try HubClustering.solve(sites: instance.sites, options: heuristicOnly).objective
            compared += 1
            #expect(found.hubCount == exact.hubCount, "\(instance): heuristic \(found.hubCount) hubs, optimum \(exact.hubCount)")
            #expect(found.hubCount <= exact.hubCount, "\(instance): heuristic beats the exact solver — one of them is wrong")
            if found.hubCount == exact.hubCount { countMatches += 1 }
            if found.hubCount == exact.hubCount && abs(found.assignedMW - exact.assignedMW) < 1e-6 {
                let gap = exact.costMWKm > 0 ? (found.costMWKm - exact.costMWKm) / exact.costMWKm : 0
                #expect(gap > -1e-9, "\(instance): heuristic cost below the optimum")
                gaps.append(gap)
                worstGap = max(worstGap, gap)
                if gap <= 0.02 { within2 += 1 }
                if gap <= 1e-9 { exactCost += 1 }
            } else {
                #expect(found.assignedMW <= exact.assignedMW + 1e-6)
            }
        }
        let meanGap = gaps.isEmpty ? 0 : gaps.reduce(0, +) / Double(gaps.count)
        print(String(format: "hubs-exact: %d instances, optimal hub count %d/%d, same capacity and cost within 2%% %d/%d, exactly optimal %d, mean gap %.3f%%, worst gap %.3f%%",
                     compared, countMatches, compared, within2, compared, exactCost, 100 * meanGap, 100 * worstGap))
        #expect(countMatches == compared)
        #expect(Double(within2) >= 0.8 * Double(compared), "within 2 % on \(within2) of \(compared)")
    }
}
