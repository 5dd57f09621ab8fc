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
/// Method: the instance splits exactly into components of sites linked within 2 × radius
/// (a hub's members are pairwise within 2 × radius, and a centre reaches only sites within
/// the radius), and the lexicographic optimum is the sum of the components' optima.
/// Within a component: enumeration of centre sets by depth-first search in index order. Feasibility is
/// monotone under adding a centre (a new centre only competes for sites the others could
/// already reach, and newly covered sites are out of their reach), so a branch stops at the
/// first infeasible set. For each feasible set the assignment of sites reachable from
/// several centres is solved by branch and bound (Hall-type capacity bound over hub subsets and a cost lower bound).
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
    func assign(_ centres: [Int], feasibilityOnly: Bool, costBound: Double = .infinity) -> Assignment? {
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
        // Hall-type bound (exact for divisible capacity, so a valid relaxation): for every set
        // S of hubs, their loads plus all undecided capacity that may go to some hub in S must
        // reach |S| x floor. Undecided capacity is kept per option mask; a zeta transform
        // gives, for each S, the capacity whose options avoid S.
        let full = (1 << p) - 1
        var byMask = Array(repeating: 0.0, count: 1 << p)
        var masks: [Int] = []
        for s in shared {
            var m = 0
            for o in s.options { m |= 1 << o.hub }
            masks.append(m)
            byMask[m] += weight[s.site]
        }
        var undecided = byMask.reduce(0, +)
        func hallHolds() -> Bool {
            var avoid = byMask
            for bit in 0..<p {
                for t in 0...full where t & (1 << bit) != 0 { avoid[t] += avoid[t ^ (1 << bit)] }
            }
            for set in stride(from: 1, through: full, by: 1) {
                var loadSum = 0.0, size = 0
                for h in 0..<p where set & (1 << h) != 0 { loadSum += load[h]; size += 1 }
                let reachable = undecided - avoid[full & ~set]
                if loadSum + reachable < Double(size) * floorMW - 1e-9 { return false }
            }
            return true
        }
        if !hallHolds() { return nil }
        // Lower bound on the cost still to pay: each remaining site at its nearest option.
        var suffixMin = Array(repeating: 0.0, count: shared.count + 1)
        for k in stride(from: shared.count - 1, through: 0, by: -1) {
            suffixMin[k] = suffixMin[k + 1] + weight[shared[k].site] * (shared[k].options.map(\.km).min() ?? 0)
        }
        var best = costBound
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
            byMask[masks[k]] -= w
            undecided -= w
            let ordered = s.options.sorted { $0.km != $1.km ? $0.km < $1.km : $0.hub < $1.hub }
            for o in ordered {
                load[o.hub] += w
                if hallHolds() { dfs(k + 1, cost + w * o.km) }
                load[o.hub] -= w
            }
            byMask[masks[k]] += w
            undecided += w
        }
        dfs(0, cost)
        return found ? Assignment(coveredMW: covered, cost: best) : nil
    }

    /// The optimal objective, component by component.
    static func solve(sites: [HubSite], options: HubClusteringOptions) -> HubObjective {
        let n = sites.count
        var parent = Array(0..<n)
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) where Geodesic.distanceKm(sites[i].position, sites[j].position) <= 2 * options.maxRadiusKm {
                let a = find(i), b = find(j)
                if a != b { parent[max(a, b)] = min(a, b) }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in 0..<n { groups[find(i), default: []].append(i) }
        var total = HubObjective(hubCount: 0, assignedMW: 0, costMWKm: 0)
        for key in groups.keys.sorted() {
            let part = ExactHubSolver(sites: groups[key]!.map { sites[$0] }, options: options).solve()
            total.hubCount += part.hubCount
            total.assignedMW += part.assignedMW
            total.costMWKm += part.costMWKm
        }
        return total
    }

    /// The largest hub count alone (level 1 of the objective), component by component:
    /// the enumeration of `solve()` without the capacity and cost levels, so larger tight
    /// instances stay cheap.
    static func maxHubCount(sites: [HubSite], options: HubClusteringOptions) -> Int {
        let n = sites.count
        var parent = Array(0..<n)
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) where Geodesic.distanceKm(sites[i].position, sites[j].position) <= 2 * options.maxRadiusKm {
                let a = find(i), b = find(j)
                if a != b { parent[max(a, b)] = min(a, b) }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in 0..<n { groups[find(i), default: []].append(i) }
        var total = 0
        for key in groups.keys.sorted() {
            let solver = ExactHubSolver(sites: groups[key]!.map { sites[$0] }, options: options)
            var best = 0
            func extend(_ set: [Int], from start: Int) {
                best = max(best, set.count)
                for k in start..<solver.candidates.count {
                    let next = set + [solver.candidates[k]]
                    if solver.assign(next, feasibilityOnly: true) != nil { extend(next, from: k + 1) }
                }
            }
            extend([], from: 0)
            total += best
        }
        return total
    }

    /// The optimal objective of one component.
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
        // Capacity in hubs depends only on the centres (every reachable site joins), so only
        // the sets with the most covered capacity compete on cost, under a shared bound.
        func coveredMW(_ set: [Int]) -> Double {
            var total = 0.0
            for j in weight.indices where memberOK[j] || set.contains(j) {
                if set.contains(j) || set.contains(where: { dist[$0][j] <= radiusKm }) { total += weight[j] }
            }
            return total
        }
        let covered = feasibleSets.map(coveredMW)
        let most = covered.max() ?? 0
        var best = HubObjective(hubCount: 0, assignedMW: 0, costMWKm: 0)
        var bestCost = Double.infinity
        // Uncapacitated lower bound per set: every covered site at its nearest centre.
        func lowerBound(_ set: [Int]) -> Double {
            var total = 0.0
            for j in weight.indices where memberOK[j] && !set.contains(j) {
                let nearest = set.map { dist[$0][j] }.min() ?? .infinity
                if nearest <= radiusKm { total += weight[j] * nearest }
            }
            return total
        }
        let contenders = zip(feasibleSets, covered).filter { $0.1 >= most - 1e-6 }.map { ($0.0, lowerBound($0.0)) }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.lexicographicallyPrecedes($1.0) }
        for (set, bound) in contenders {
            if bound >= bestCost - 1e-9 { break }
            guard let a = assign(set, feasibilityOnly: false, costBound: bestCost) else { continue }
            bestCost = a.cost
            best = HubObjective(hubCount: set.count, assignedMW: a.coveredMW, costMWKm: a.cost)
        }
        return best
    }
}
