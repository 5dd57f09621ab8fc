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
        let options = HubClusteringOptions(minHubMW: 1000, maxRadiusKm: 35 + Double(seed % 4) * 5)
        return SmallInstance(name: "seed\(seed)-n\(count)", sites: sites, options: options)
    }

    /// The fixed table the comparison runs on: 36 instances of 14–40 sites.
    static let table: [SmallInstance] = (1...36).map { k in
        let seed = UInt64(k)
        let count = 14 + (k * 7) % 27
        return generate(seed: seed * 7919, count: count, towns: 2 + k % 4, metroShare: k % 6 == 0 ? 0.2 : 0)
    }
}

@Suite("Heuristic versus exact optimum on small instances")
struct ExactComparisonTests {
    @Test("reaches the optimal hub count on every instance and the optimal cost within 2 % on most")
    func heuristicMatchesExact() throws {
        var countMatches = 0, within2 = 0, exactCost = 0, compared = 0
        var worstGap = 0.0, gaps: [Double] = []
        for instance in SmallInstance.table {
            let exact = ExactHubSolver(sites: instance.sites, options: instance.options).solve()
            let found = try HubClustering.solve(sites: instance.sites, options: instance.options).objective
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
