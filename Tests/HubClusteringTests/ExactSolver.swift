import GeoCore
@testable import HubClustering

/// An exact solver for small instances of the hub problem, written independently of the
/// heuristic so the two can be compared.
///
/// Same problem as `HubClustering.solve`: choose centres among the sites, assign every
/// eligible site within reach of some centre to a centre within reach (each centre to
/// itself), every hub ≥ floor; lexicographically maximise hubs, then capacity in hubs,
/// then minimise Σ capacity × distance (MW·km).
///
/// Method: enumeration of centre sets by depth-first search in index order. Feasibility is
/// monotone under adding a centre (a new centre only competes for sites the others could
/// already reach, and newly covered sites are out of their reach), so a branch stops at the
/// first infeasible set. For each feasible set the assignment of sites reachable from
/// several centres is solved by branch and bound (floor-potential and cost lower bounds).
struct ExactHubSolver {
    let weight: [Double]
    let memberOK: [Bool]
    let centreOK: [Bool]
    let dist: [[Double]]
    let radiusKm: Double
    let floorMW: Double
    var candidates: [Int] = []

    init(sites: [HubSite], options: HubClusteringOptions) {
        weight = sites.map(\.capacityMW)
        let metroFull = !options.excludeMetroCentres
        memberOK = sites.map { !$0.inMetroArea || options.allowMetroMembers || metroFull }
        centreOK = sites.map { !$0.inMetroArea || metroFull }
        dist = sites.map { a in sites.map { b in Geodesic.distanceKm(a.position, b.position) } }
        radiusKm = options.maxRadiusKm
        floorMW = options.minHubMW
        for c in sites.indices where centreOK[c] {
            var ball = 0.0
            for j in sites.indices where memberOK[j] && dist[c][j] <= radiusKm { ball += weight[j] }
            if ball >= floorMW { candidates.append(c) }
        }
    }

    struct Assignment { var coveredMW: Double; var cost: Double }

    /// Best assignment for a centre set, or nil when the floors cannot all be met.
    /// With `feasibilityOnly`, stops at the first feasible assignment.
    func assign(_ centres: [Int], feasibilityOnly: Bool) -> Assignment? {
        let n = weight.count
        let p = centres.count
        var load = Array(repeating: 0.0, count: p)
        var cost = 0.0, covered = 0.0
        var shared: [(site: Int, options: [(hub: Int, km: Double)])] = []
        let centreSet = Set(centres)
        for (h, c) in centres.enumerated() { load[h] += weight[c] }
        for j in 0..<n where memberOK[j] && !centreSet.contains(j) {
            let options = centres.enumerated().compactMap { h, c in dist[c][j] <= radiusKm ? (h, dist[c][j]) : nil }
            if options.isEmpty { continue }
            covered += weight[j]
            if options.count == 1 {
                load[options[0].0] += weight[j]; cost += weight[j] * options[0].1
            } else {
                shared.append((j, options.map { (hub: $0.0, km: $0.1) }))
            }
        }
        for c in centres { covered += weight[c] }
        shared.sort { weight[$0.site] != weight[$1.site] ? weight[$0.site] > weight[$1.site] : $0.site < $1.site }
        var potential = load
        for s in shared { for o in s.options { potential[o.hub] += weight[s.site] } }
        if potential.contains(where: { $0 < floorMW }) { return nil }
        // Lower bound on the cost still to pay: each remaining site at its nearest option.
        var suffixMin = Array(repeating: 0.0, count: shared.count + 1)
        for k in stride(from: shared.count - 1, through: 0, by: -1) {
            suffixMin[k] = suffixMin[k + 1] + weight[shared[k].site] * (shared[k].options.map(\.km).min() ?? 0)
        }
        var best = Double.infinity
        var found = false
        func dfs(_ k: Int, _ cost: Double) {
            if found && feasibilityOnly { return }
            if cost + suffixMin[k] >= best - 1e-9 { return }
            if k == shared.count {
                if load.allSatisfy({ $0 >= floorMW }) { best = cost; found = true }
                return
            }
            let s = shared[k]
            let w = weight[s.site]
            for o in s.options { potential[o.hub] -= w }
            let ordered = s.options.sorted { $0.km != $1.km ? $0.km < $1.km : $0.hub < $1.hub }
            for o in ordered {
                load[o.hub] += w; potential[o.hub] += w
                // Every hub must still be able to reach the floor.
                var ok = true
                for h in 0..<p where potential[h] < floorMW { ok = false; break }
                if ok { dfs(k + 1, cost + w * o.km) }
                load[o.hub] -= w; potential[o.hub] -= w
            }
            for o in s.options { potential[o.hub] += w }
        }
        dfs(0, cost)
        return found ? Assignment(coveredMW: covered, cost: best) : nil
    }

    /// The optimal objective.
    func solve() -> HubObjective {
        var maxP = 0
        var feasibleSets: [[Int]] = []
        func extend(_ set: [Int], from start: Int) {
            if set.count > maxP { maxP = set.count; feasibleSets = [] }
            if set.count == maxP && !set.isEmpty { feasibleSets.append(set) }
            for k in start..<candidates.count {
                let next = set + [candidates[k]]
                if assign(next, feasibilityOnly: true) != nil { extend(next, from: k + 1) }
            }
        }
        extend([], from: 0)
        var best = HubObjective(hubCount: 0, assignedMW: 0, costMWKm: 0)
        for set in feasibleSets {
            guard let a = assign(set, feasibilityOnly: false) else { continue }
            let value = HubObjective(hubCount: set.count, assignedMW: a.coveredMW, costMWKm: a.cost)
            if value < best { best = value }
        }
        return best
    }
}
