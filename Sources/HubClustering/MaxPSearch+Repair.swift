import GeoCore
import MixedInteger

// Exact large-neighbourhood repair of the heuristic's hubs.
//
// Problem. Where the hubs of a part fall short of its capacity bound ⌊coverable MW / floor⌋,
// a hub more may fit if a few adjacent hubs give up their sites and those sites, the free
// sites around them and the surplus of the hubs next to them are packed again. Greedy growth
// and the (q, q+1)-swaps of the construction pick one packing; on tight neighbourhoods a
// better one differs in many assignments at once.
//
// Method: large-neighbourhood search with an exact repair (Shaw 1998, "Using constraint
// programming and local search methods to solve vehicle routing problems", CP-98, LNCS 1520,
// 417–431: destroy a related part of the solution, re-optimise it exactly with the rest
// fixed, keep it when better; Pisinger & Ropke 2010, "Large neighborhood search", Handbook of
// Metaheuristics, 399–419). A window is
//   - destroyed hubs D: a seed hub and its q − 1 nearest hubs (q = 1, 2, 3), whose centres
//     are free to move and whose members are free;
//   - free sites: unassigned eligible sites within the radius of a member of D;
//   - donor hubs G: the other hubs with members a window site reaches. A donor keeps its
//     centre and its out-of-window members; its in-window members may leave (and window
//     sites may join it) while it keeps its floor. This is how a repair takes sites away from
//     neighbouring hubs: a tight neighbourhood does not cut into independent windows.
// The window's sites S (at most `repairWindowSites`, nearest the seed first) are solved as
// the part model of ExactHubs.swift restricted to S — balls cut to S, so no variable reaches
// outside the window — with the donors as open centres of fixed floor load:
//   max Σ y_c  s.t.  y_j + Σ_c x_cj + Σ_g x_gj ≤ 1 (j ∈ S),  x_cj ≤ y_c,
//                    (w_c − F) y_c + Σ_j w_j x_cj ≥ 0,  L_g + Σ_j w_j x_gj ≥ F (g ∈ G),
//                    Σ y_c ≤ ⌊(Σ_S w − Σ_g max(0, F − L_g)) / F⌋ (Chvátal–Gomory, as the part model),
// with L_g the load of donor g outside the window, started from the current hubs (so the
// answer is never worse). A window whose capacity cut allows no more than |D| hubs is skipped
// without a solve; most windows are. An answer with more hubs than |D| replaces the window
// (checked again on the state: every floor, every radius); capacity and compactness are then
// restored by enclave assignment and the local search of MaxPSearch+LocalSearch.swift.
//
// Stopping rule and budget: rounds over every seed hub of the parts short of their capacity
// bound, until a round gains nothing (at most `repairRounds`), or the time budget
// (`repairTimeLimitSeconds`) runs out. Each solve has a node limit (`repairNodeLimit`), so
// the result is deterministic unless the time budget strikes (then how far the rounds got
// depends on the machine). Never worse than its input: each change adds hubs, and the local
// search after it only improves capacity and cost.
//
// Complexity: per window O(|S| · k) ball look-ups and a model of O(|S|²) columns at most;
// per round O(p) windows, of which those passing the capacity cut cost one CBC solve each
// (a forked child, about 15 ms plus the solve).

/// What the repair did (figures for benchmarks and logs).
public struct HubRepairStats: Sendable, Hashable {
    /// Windows built, and of those the ones whose capacity cut allowed a hub more (solved).
    public var windows = 0
    public var solves = 0
    /// Windows replaced, and the hubs they added.
    public var accepted = 0
    public var hubsGained = 0
    /// Wall-clock seconds of the repair phase, and whether its budget ran out.
    public var seconds = 0.0
    public var budgetExhausted = false

    public init() {}
}

extension MaxPSearch {
    /// At most this many movable sites in a window.
    static let repairWindowSites = 80
    /// Branch-and-bound nodes per window solve (deterministic, unlike a time limit).
    static let repairNodeLimit = 400
    /// Wall-clock cap of one window solve (a safety net; the node limit normally ends it).
    static let repairSolveSeconds = 2.0
    /// Columns of a window model, about (sites further from the seed are left out beyond it).
    static let repairColumnLimit = 3000
    /// Window solves per run: with the node limit, a bound on the work that does not depend
    /// on the machine (the time budget is the safety net).
    static let repairSolveLimit = 48
    /// Windows built per run (each costs ball look-ups over its sites; large inputs have
    /// thousands of seeds).
    static let repairWindowLimit = 400
    /// Rounds over all seed hubs.
    static let repairRounds = 3

    /// Runs the repair on the hubs of `parts` (each a list of sites) whose hub count is below
    /// their capacity bound. Leaves the state at least as good as it found it.
    func repairPhase(parts: [[Int]], seconds: Double, progress: ProgressCallback?) -> HubRepairStats {
        var stats = HubRepairStats()
        guard seconds > 0, !parts.isEmpty, floorMW <= MaxPSearch.solverMWLimit else { return stats }
        let clock = ContinuousClock()
        let began = clock.now
        func elapsed() -> Double {
            let d = began.duration(to: clock.now)
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        // Parts short of their capacity bound (nothing to gain elsewhere).
        var repairable = Array(repeating: false, count: pointCount)
        var any = false
        for part in parts {
            var coverable = 0.0
            for j in part { coverable += weight[j] }
            guard part.allSatisfy({ weight[$0] <= MaxPSearch.solverMWLimit }) else { continue }
            if currentObjective(part).hubCount < hubCount(coverable / floorMW, cap: part.count) {
                for j in part { repairable[j] = true }
                any = true
            }
        }
        guard any else { return stats }
        let before = objective()
        let entry = Snapshot(hubOf: hubOf, distKm: distKm, hubCentre: hubCentre, hubFixed: hubFixed)
        // When each hub last changed, and the state of a window when it was last tried.
        var changedAt = Array(repeating: 0, count: hubCentre.count)
        var stamp = 1
        var tried: [[Int]: Int] = [:]
        var settled = true
        // Hub surplus over the floor, binned, for a cheap bound on what a window could gather
        // before it is built (large inputs have thousands of seed hubs and few promising ones).
        func surplusGrid() -> CapacityGrid {
            var grid = CapacityGrid(points: position, radiusKm: radiusKm)
            for h in 0..<hubCentre.count where hubAlive[h] && hubMW[h] > floorMW { grid.add(position[hubCentre[h]], hubMW[h] - floorMW) }
            return grid
        }
        var surplus = surplusGrid()
        rounds: for _ in 0..<MaxPSearch.repairRounds {
            var gained = 0
            // Destroyed centres lie within 2R of the seed's, their members within R of
            // those, free sites within R of members, donated members within R of window
            // sites and their donors' centres within R of them. A window's capacity cut is
            // at most (q F + every destroyed and donor hub's surplus + free capacity) / F,
            // each summed over those reaches (the seed's own surplus twice: a safe
            // over-estimate). Seeds go most promising first, so that the window limit
            // spends itself where a hub is likeliest to fit.
            func gather(_ h: Int, _ q: Int) -> Double {
                let reach = q == 1 ? 2 * radiusKm : 4 * radiusKm
                return Double(q) * floorMW + hubMW[h] - floorMW
                    + available.upperBound(around: position[hubCentre[h]], radiusKm: reach)
                    + surplus.upperBound(around: position[hubCentre[h]], radiusKm: reach + 2 * radiusKm)
            }
            let seeds = (0..<hubCentre.count).filter { h in
                hubAlive[h] && !hubFixed[h] && hubCentre[h] < siteCount && repairable[hubCentre[h]]
            }.map { (hub: $0, slack: gather($0, 3) - 4 * floorMW) }
                .filter { $0.slack >= -1e-7 * max(1, floorMW) }
                .sorted { $0.slack != $1.slack ? $0.slack > $1.slack : hubCentre[$0.hub] < hubCentre[$1.hub] }
                .map(\.hub)
            for (done, h) in seeds.enumerated() {
                for q in 1...3 {
                    guard hubAlive[h] else { break }
                    if elapsed() >= seconds - 0.05 || stats.windows >= MaxPSearch.repairWindowLimit {
                        stats.budgetExhausted = true
                        break rounds
                    }
                    if gather(h, q) < Double(q + 1) * floorWithSlack { continue }
                    guard let window = repairWindow(seed: h, hubs: q) else { continue }
                    stats.windows += 1
                    while changedAt.count < hubCentre.count { changedAt.append(stamp) }
                    let key = window.destroyed.sorted()
                    let state = (window.destroyed + window.donors).map { changedAt[$0] }.max() ?? 0
                    if let last = tried[key], last >= state { continue }
                    tried[key] = stamp
                    guard window.hubLimit > window.destroyed.count else { continue }
                    if stats.solves >= MaxPSearch.repairSolveLimit { stats.budgetExhausted = true; break rounds }
                    stats.solves += 1
                    let limit = min(MaxPSearch.repairSolveSeconds, seconds - elapsed())
                    guard let gain = solveWindow(window, seconds: limit) else { continue }
                    stamp += 1
                    while changedAt.count < hubCentre.count { changedAt.append(stamp) }
                    for g in window.destroyed + window.donors { changedAt[g] = stamp }
                    stats.accepted += 1
                    stats.hubsGained += gain
                    settled = false
                    surplus = surplusGrid()
                    gained += gain
                    break
                }
                progress?(Double(done + 1) / Double(max(1, seeds.count)), "repair")
            }
            if gained == 0 { break }
            enclavePhase()
            localSearch()
            settled = true
            surplus = surplusGrid()
        }
        if !settled {
            // The budget cut a round short after a change: settle capacity and compactness.
            enclavePhase()
            localSearch()
        }
        compactHubs()
        stats.seconds = elapsed()
        // Never worse than the input (every change adds hubs, so this is a safety net).
        if before < objective() {
            restore(entry)
            stats.accepted = 0
            stats.hubsGained = 0
        }
        return stats
    }

    struct RepairWindow {
        var destroyed: [Int]
        var donors: [Int]
        /// Movable sites (members of D, free sites, donors' members within reach).
        var sites: [Int]
        /// Each donor's load outside the window (its centre included).
        var donorLoad: [Double]
        /// The capacity cut: no repair yields more hubs than this.
        var hubLimit: Int
    }

    /// The window around hub `seed` with `hubs` destroyed hubs, or nil when there are not
    /// that many hubs within 2 × radius of the seed's centre.
    func repairWindow(seed: Int, hubs q: Int) -> RepairWindow? {
        var destroyed = [seed]
        if q > 1 {
            let index = ensureCentreIndex()
            for near in index.kNearest(q + 1, to: position[hubCentre[seed]]) where destroyed.count < q {
                let g = centreIndexHubs[near.index]
                guard g != seed, hubAlive[g], !hubFixed[g], near.distanceKm <= 2 * radiusKm else { continue }
                destroyed.append(g)
            }
            if destroyed.count < q { return nil }
        }
        let inDestroyed = Set(destroyed)
        var sites: [Int] = []
        var inWindow = Set<Int>()
        for g in destroyed { for j in hubMembers[g] where inWindow.insert(Int(j)).inserted { sites.append(Int(j)) } }
        sites.sort()
        // Free sites and donors' members a destroyed hub's member reaches, nearest to one
        // of those members first (distances the balls already hold: no geodesic here).
        var nearestKm: [Int: Double] = [:]
        for s in sites {
            for nb in ball(s) where !inWindow.contains(Int(nb.site)) {
                let j = Int(nb.site)
                if let known = nearestKm[j], known <= nb.km { continue }
                nearestKm[j] = nb.km
            }
        }
        var free: [(site: Int, km: Double)] = []
        var donated: [(site: Int, km: Double)] = []
        for (j, km) in nearestKm {
            let h = Int(hubOf[j])
            if h < 0 {
                free.append((j, km))
            } else if !inDestroyed.contains(h) && hubCentre[h] != j {
                donated.append((j, km))
            }
        }
        let byDistance: ((site: Int, km: Double), (site: Int, km: Double)) -> Bool = { $0.km != $1.km ? $0.km < $1.km : $0.site < $1.site }
        free.sort(by: byDistance)
        donated.sort(by: byDistance)
        // The capacity cut of a list of window sites, with its donors and their outside loads.
        func capacityCut(_ list: [Int]) -> (donors: [Int], donorLoad: [Double], limit: Int) {
            var donors: [Int] = []
            var donorIndex: [Int: Int] = [:]
            var donorLoad: [Double] = []
            var windowMW = 0.0
            for j in list {
                windowMW += weight[j]
                let h = Int(hubOf[j])
                guard h >= 0, !inDestroyed.contains(h) else { continue }
                let d: Int
                if let known = donorIndex[h] { d = known } else {
                    d = donors.count
                    donorIndex[h] = d; donors.append(h); donorLoad.append(hubMW[h])
                }
                donorLoad[d] -= weight[j]
            }
            var needed = 0.0
            for load in donorLoad { needed += max(0, floorMW - load) }
            return (donors, donorLoad, hubCount((windowMW - needed) / floorMW + 1e-9, cap: list.count))
        }
        // Leaving a site out never raises the cut (a donor's need falls by at most the site's
        // capacity), so the cut of the window capped by site count alone decides cheaply
        // whether any window around this seed can gain.
        let extras = free + donated
        let widest = sites + extras.prefix(max(0, MaxPSearch.repairWindowSites - sites.count)).map(\.site)
        let widestCut = capacityCut(widest)
        if widestCut.limit <= destroyed.count {
            return RepairWindow(destroyed: destroyed, donors: widestCut.donors, sites: widest,
                                donorLoad: widestCut.donorLoad, hubLimit: widestCut.limit)
        }
        // Sites join while the window stays small: at most `repairWindowSites` sites, and
        // about `repairColumnLimit` columns (each pair within the radius may be a centre and
        // a member, counted as if every site were a candidate centre).
        var columns = 0
        for j in sites { columns += 2 * ball(j).filter { inWindow.contains(Int($0.site)) }.count }
        if q > 1 && columns > MaxPSearch.repairColumnLimit { return nil }
        for extra in extras {
            guard sites.count < MaxPSearch.repairWindowSites else { break }
            let added = 2 * ball(extra.site).filter { inWindow.contains(Int($0.site)) }.count + 1
            if columns + added > MaxPSearch.repairColumnLimit { break }
            columns += added
            sites.append(extra.site)
            inWindow.insert(extra.site)
        }
        let (donors, donorLoad, limit) = capacityCut(sites)
        return RepairWindow(destroyed: destroyed, donors: donors, sites: sites, donorLoad: donorLoad, hubLimit: limit)
    }

    /// Solves the window exactly (hubs only) and, when that adds hubs, puts the answer in
    /// place. Returns the hubs gained, or nil when the state is unchanged.
    func solveWindow(_ window: RepairWindow, seconds: Double) -> Int? {
        let sites = window.sites
        var slotOf: [Int: Int] = [:]
        for (k, j) in sites.enumerated() { slotOf[j] = k }
        var model = LinearModel(.maximise)
        var membership = Array(repeating: [(LinearModel.Variable, Double)](), count: sites.count)
        var hubTerms: [(LinearModel.Variable, Double)] = []
        // Columns: a centre y_c, or a member x_(owner, j) with owner a candidate's y or a donor.
        var centres: [(site: Int, v: LinearModel.Variable)] = []
        var members: [(owner: Int, site: Int, km: Double, v: LinearModel.Variable)] = []  // owner ≥ 0: centres index; < 0: −1 − donor
        var yOf: [Int: LinearModel.Variable] = [:]
        var xOf: [Int64: LinearModel.Variable] = [:]
        func key(_ owner: Int, _ site: Int) -> Int64 { Int64(owner) << 32 | Int64(site) }
        // New centres among the destroyed hubs' members and the free sites; donors' members
        // may move but become centres only in small windows (larger windows stay small
        // models this way, and gain as often in the benchmark).
        var donorMember = Set<Int>()
        if sites.count > MaxPSearch.repairWindowSites / 2 {
            let donorSet = Set(window.donors)
            for j in sites where hubOf[j] >= 0 && donorSet.contains(Int(hubOf[j])) { donorMember.insert(j) }
        }
        for c in sites where c < siteCount && centreOK[c] && !donorMember.contains(c) {
            var reach = 0.0
            let near = ball(c).filter { slotOf[Int($0.site)] != nil }
            for nb in near { reach += weight[Int(nb.site)] }
            if !near.contains(where: { Int($0.site) == c }) { reach += weight[c] }
            guard reach >= floorWithSlack else { continue }
            let yc = model.addBinary(objective: 1)
            let owner = centres.count
            centres.append((c, yc))
            yOf[c] = yc
            hubTerms.append((yc, 1))
            membership[slotOf[c]!].append((yc, 1))
            var floorRow: [(LinearModel.Variable, Double)] = [(yc, weight[c] - floorMW)]
            for nb in near where Int(nb.site) != c {
                let j = Int(nb.site)
                let x = model.addBinary()
                members.append((owner, j, nb.km, x))
                xOf[key(owner, j)] = x
                membership[slotOf[j]!].append((x, 1))
                floorRow.append((x, weight[j]))
                model.addConstraint([(x, 1), (yc, -1)], .lessOrEqual, 0)
            }
            model.addConstraint(floorRow, .greaterOrEqual, 0)
        }
        for (d, g) in window.donors.enumerated() {
            let owner = -1 - d
            var floorRow: [(LinearModel.Variable, Double)] = []
            for nb in ball(hubCentre[g]) {
                let j = Int(nb.site)
                guard let k = slotOf[j] else { continue }
                let x = model.addBinary()
                members.append((owner, j, nb.km, x))
                xOf[key(owner, j)] = x
                membership[k].append((x, 1))
                floorRow.append((x, weight[j]))
            }
            model.addConstraint(floorRow, .greaterOrEqual, floorMW - window.donorLoad[d])
        }
        for terms in membership where terms.count > 1 { model.addConstraint(terms, .lessOrEqual, 1) }
        guard !hubTerms.isEmpty else { return nil }
        model.addConstraint(hubTerms, .lessOrEqual, Double(window.hubLimit))
        // The current hubs as the first incumbent.
        var start = Array(repeating: 0.0, count: model.variableCount)
        var donorOf: [Int: Int] = [:]
        for (d, g) in window.donors.enumerated() { donorOf[g] = d }
        var centreOwner: [Int: Int] = [:]
        for (owner, c) in centres.enumerated() { centreOwner[c.site] = owner }
        for j in sites {
            let h = Int(hubOf[j])
            guard h >= 0 else { continue }
            if let d = donorOf[h] {
                if let x = xOf[key(-1 - d, j)] { start[x.index] = 1 }
            } else if let owner = centreOwner[hubCentre[h]] {
                if hubCentre[h] == j { start[centres[owner].v.index] = 1 }
                else if let x = xOf[key(owner, j)] { start[x.index] = 1 }
            }
        }
        let startOK = model.violation(start) <= 1e-6
        guard let solution = try? MixedIntegerSolver.solve(
                model, limits: SolveLimits(timeSeconds: max(0.05, seconds), relativeGap: 0, absoluteGap: 0.999,
                                           maxNodes: MaxPSearch.repairNodeLimit, plainBranchAndBound: true),
                start: startOK ? start : nil),
              solution.hasSolution, model.violation(solution.values) <= 1e-6 else { return nil }
        let opened = centres.filter { solution.isSet($0.v) }
        guard opened.count > window.destroyed.count else { return nil }
        // Put the answer in place as a trial, and keep it only if the state agrees.
        let before = objective().hubCount
        let mark = beginTrial()
        for g in window.destroyed { closeHub(g) }
        for j in sites where hubOf[j] >= 0 { assign(j, to: -1, km: 0) }
        var hubOfOwner: [Int: Int] = [:]
        for (owner, c) in centres.enumerated() where solution.isSet(c.v) {
            let h = newHub(centre: c.site, fixed: false)
            hubOfOwner[owner] = h
            assign(c.site, to: h, km: 0)
        }
        for m in members where solution.isSet(m.v) {
            let target = m.owner >= 0 ? hubOfOwner[m.owner] : window.donors[-1 - m.owner]
            guard let target, hubOf[m.site] < 0 else { continue }
            assign(m.site, to: target, km: m.km)
        }
        var valid = true
        for h in Array(hubOfOwner.values) + window.donors where !(hubAlive[h] && hubMW[h] >= floorWithSlack) { valid = false }
        for h in hubOfOwner.values {
            for j in hubMembers[h] where distKm[Int(j)] > radiusKm + 1e-9 { valid = false }
        }
        let after = objective().hubCount
        guard valid, after > before else {
            rollbackTrial(hubCountAtStart: mark)
            return nil
        }
        commitTrial()
        centreIndex = nil
        return after - before
    }
}
