import GeoCore

/// Capacitated max-p clustering of DC sites into hubs.
///
/// Problem. Choose hub centres among the sites (plus any fixed centres) and assign sites to
/// them so that every member lies within `maxRadiusKm` (geodesic) of its centre and every
/// hub holds at least `minHubMW`. The objective is lexicographic:
///   1. maximise the number of hubs p (max-p-regions, Duque, Anselin & Rey 2012,
///      J. Regional Science 52(3) 397–419);
///   2. maximise the capacity in hubs — every site within reach of some centre joins a hub,
///      so a site is left out only when no centre is within the latency bound;
///   3. minimise Σ capacity × distance to centre (MW·km), so each centre ends at the
///      capacity-weighted medoid of its members (the capacitated p-median objective,
///      Mulvey & Beck 1984, EJOR 18(3) 339–348).
/// Without level 2, level 3 would be minimised by shrinking every hub to the floor and
/// leaving reachable sites out, which no planner wants.
///
/// Method (after Wei, Rey & Knaap 2021, "Efficient regionalization for spatially explicit
/// neighborhood delineation", IJGIS 35(1) 135–151: many cheap randomised constructions,
/// each improved by local search, keep the best):
///   - Construction: candidate centres are sites whose latency ball holds ≥ floor; they are
///     seeded least-flexible first (smallest ball capacity, a min-degree order as for
///     maximum independent set), the order perturbed between restarts; a hub grows from its
///     seed nearest-first until it meets the floor (so it uses as little as needed).
///   - Hub-count moves: open — a new centre gathers unassigned sites and the surplus of
///     neighbouring hubs (members whose removal keeps those hubs at the floor); (q, q+1)-swap
///     — close one hub (or two neighbours) and reopen as many as possible around them, with
///     several first seeds and a subset-sum split for pairs of new centres, kept when that
///     yields more hubs (the (1,2)-swap of Andrade, Resende & Werneck 2012, J. Heuristics 18,
///     525–547, generalised).
///   - Enclave assignment: every unassigned site within reach of a centre joins the nearest.
///   - Compactness local search: centre relocation to the weighted medoid of the members,
///     member moves to a nearer centre, and member swaps between hubs when a move alone
///     would break a floor (the move/swap neighbourhoods of capacitated clustering,
///     Osman & Christofides 1994, ITOR 1(3) 317–336).
///   - Stopping rule: local search ends at the first pass that changes nothing (every
///     change strictly improves (capacity in hubs, −cost), so it cannot cycle), after
///     `maxPasses` passes, or — above 5,000 sites — when a pass gains < 0.01 % of the cost;
///     hub-count phases repeat until a round opens nothing (at most 3 rounds; 1 above 2,000
///     sites).
///   - Large inputs (> 5,000 sites): ball capacities are grid upper bounds (CapacityGrid),
///     hubs grow from k-nearest queries, stealing scans stop at 1,024 neighbours, relocation
///     tries the 8 members nearest the weighted mean.
///
/// Complexity, with n sites, k sites per latency ball, p hubs, m members per hub and r
/// restarts, each step times r: ball capacities O(n (log n + k)) (O(n) by grid above 5,000
/// sites); construction O(n log n + Σ k′ log k′) with k′ the neighbours a seed scans; the
/// swap phase O(p · s · k′ log k′) with s candidate seeds (6 for large inputs); a local-search
/// pass O(n log p + p · 24 · m) geodesic evaluations. Memory O(n) plus the ball cache,
/// capped at 4 million entries. Measured: 10,000 sites 1.6 s, 100,000 sites 17 s, 53 MB.
public enum HubClustering {
    /// Solves one instance. Throws only for invalid values (non-finite or negative capacity,
    /// invalid coordinates, non-positive floor or radius); empty input gives no hubs.
    public static func solve(sites: [HubSite], fixedCentres: [Position] = [],
                             options: HubClusteringOptions = HubClusteringOptions(),
                             progress: ProgressCallback? = nil) throws -> HubClusteringResult {
        guard options.minHubMW.isFinite, options.minHubMW > 0 else {
            throw HubClusteringError("min_hub_mw must be a positive number, got \(options.minHubMW)", category: .usage)
        }
        guard options.maxRadiusKm.isFinite, options.maxRadiusKm > 0 else {
            throw HubClusteringError("the latency radius must be a positive number of km, got \(options.maxRadiusKm)", category: .usage)
        }
        for (i, s) in sites.enumerated() {
            guard s.capacityMW.isFinite, s.capacityMW >= 0 else {
                throw HubClusteringError("site \(i): capacity_mw must be a non-negative number, got \(s.capacityMW)")
            }
            guard validLonLat(s.position) else { throw HubClusteringError("site \(i): invalid lon/lat") }
        }
        for (i, p) in fixedCentres.enumerated() where !validLonLat(p) {
            throw HubClusteringError("fixed centre \(i): invalid lon/lat")
        }
        let search = MaxPSearch(sites: sites, fixed: fixedCentres, options: options)
        return search.run(progress: progress)
    }

    static func validLonLat(_ p: Position) -> Bool {
        p.lon.isFinite && p.lat.isFinite && abs(p.lat) <= 90 && abs(p.lon) <= 180
    }
}


struct Neighbour {
    var site: Int32
    var km: Double
}

final class MaxPSearch {
    let siteCount: Int            // real sites; fixed centres follow as virtual points
    let pointCount: Int
    let position: [Position]
    let weight: [Double]
    let memberOK: [Bool]
    let centreOK: [Bool]
    let radiusKm: Double
    let floorMW: Double
    let options: HubClusteringOptions
    let fixedCount: Int

    let memberIndex: PointIndex
    let memberIds: [Int]
    var ballCache: [[Neighbour]?]
    var cachedEntries = 0
    static let ballCacheBudget = 4_000_000
    /// Capacity of member-eligible sites within reach of each point (0 when not a centre candidate).
    var ballMW: [Double] = []

    // Search state.
    var hubOf: [Int32]
    var distKm: [Double]
    var slot: [Int32]
    var hubCentre: [Int] = []
    var hubMW: [Double] = []
    var hubAlive: [Bool] = []
    var hubMembers: [[Int32]] = []
    var hubFixed: [Bool] = []

    struct JournalEntry { var site: Int32; var previousHub: Int32; var previousKm: Double }
    var journal: [JournalEntry]? = nil
    var journalClosed: [Int] = []

    var centreIndex: PointIndex? = nil
    /// Unassigned member-eligible capacity on a grid (upper bounds for seeds).
    var available = CapacityGrid(points: [], radiusKm: 1)
    /// Hubs whose membership changed since their last relocation.
    var hubDirty: [Bool] = []
    /// Whether new hubs give back surplus members (varied between restarts).
    var trimOnOpen = false
    var centreIndexHubs: [Int] = []

    /// Floor checks tolerate summation drift; final totals are recomputed exactly.
    var floorWithSlack: Double { floorMW - 1e-7 * max(1, floorMW) }

    init(sites: [HubSite], fixed: [Position], options: HubClusteringOptions) {
        siteCount = sites.count
        fixedCount = fixed.count
        pointCount = sites.count + fixed.count
        self.options = options
        radiusKm = options.maxRadiusKm
        floorMW = options.minHubMW
        position = sites.map(\.position) + fixed
        weight = sites.map(\.capacityMW) + Array(repeating: 0, count: fixed.count)
        let metroFullyEligible = !options.excludeMetroCentres
        memberOK = sites.map { !$0.inMetroArea || options.allowMetroMembers || metroFullyEligible }
            + Array(repeating: false, count: fixed.count)
        centreOK = sites.map { !$0.inMetroArea || metroFullyEligible } + Array(repeating: true, count: fixed.count)
        var ids: [Int] = []
        var idPositions: [Position] = []
        for i in 0..<sites.count where memberOK[i] { ids.append(i); idPositions.append(sites[i].position) }
        memberIds = ids
        memberIndex = PointIndex(idPositions)
        ballCache = Array(repeating: nil, count: pointCount)
        hubOf = Array(repeating: -1, count: pointCount)
        distKm = Array(repeating: 0, count: pointCount)
        slot = Array(repeating: -1, count: pointCount)
    }

    // MARK: Balls

    /// Member-eligible sites within the radius of point `c`, nearest first (ties by index).
    func ball(_ c: Int) -> [Neighbour] {
        if let cached = ballCache[c] { return cached }
        let centre = position[c]
        var result = memberIndex.within(km: radiusKm, of: centre).map { k -> Neighbour in
            let site = memberIds[k]
            return Neighbour(site: Int32(site), km: site == c ? 0 : Geodesic.distanceKm(centre, position[site]))
        }
        result.sort { $0.km != $1.km ? $0.km < $1.km : $0.site < $1.site }
        if cachedEntries + result.count <= MaxPSearch.ballCacheBudget {
            ballCache[c] = result
            cachedEntries += result.count
        }
        return result
    }

    /// Up to `count` member-eligible sites nearest to point `c` within the radius, nearest
    /// first (ties by index), and whether that is all of them.
    func nearestMembers(of c: Int, count: Int) -> (neighbours: [Neighbour], exhausted: Bool) {
        if siteCount <= MaxPSearch.smallInstance || ballCache[c] != nil {
            return (ball(c), true)
        }
        let found = memberIndex.kNearest(count, to: position[c])
        var result: [Neighbour] = []
        result.reserveCapacity(found.count)
        for f in found {
            if f.distanceKm > radiusKm { return (result, true) }
            let site = memberIds[f.index]
            result.append(Neighbour(site: Int32(site), km: site == c ? 0 : f.distanceKm))
        }
        return (result, found.count < count)
    }

    /// A member considers moving to its nearest few centres only.
    static let moveCentres = 8

    /// Below this many sites every ball is cached and searched whole.
    static let smallInstance = 5000

    /// Ball capacities: exact for small inputs; above `smallInstance` sites the grid upper
    /// bound (box of cells around the ball), which is enough to filter and order seeds —
    /// every hub is still grown from exact neighbour queries.
    func computeBallCapacities() {
        ballMW = Array(repeating: 0, count: pointCount)
        if siteCount > MaxPSearch.smallInstance {
            var grid = CapacityGrid(points: position, radiusKm: radiusKm)
            for i in 0..<siteCount where memberOK[i] { grid.add(position[i], weight[i]) }
            for c in 0..<pointCount where centreOK[c] { ballMW[c] = grid.upperBound(around: position[c], radiusKm: radiusKm) }
            return
        }
        for c in 0..<pointCount where centreOK[c] {
            var total = 0.0
            for k in memberIndex.within(km: radiusKm, of: position[c]) { total += weight[memberIds[k]] }
            ballMW[c] = total
        }
    }

    // MARK: State primitives

    func resetState() {
        for i in 0..<pointCount { hubOf[i] = -1; distKm[i] = 0; slot[i] = -1 }
        available = CapacityGrid(points: position, radiusKm: radiusKm)
        for i in 0..<siteCount where memberOK[i] { available.add(position[i], weight[i]) }
        hubDirty = []
        hubCentre = []; hubMW = []; hubAlive = []; hubMembers = []; hubFixed = []
        journal = nil; journalClosed = []
        centreIndex = nil
    }

    func assign(_ j: Int, to hub: Int, km: Double) {
        let old = Int(hubOf[j])
        journal?.append(JournalEntry(site: Int32(j), previousHub: Int32(old), previousKm: distKm[j]))
        if old >= 0 {
            let s = Int(slot[j])
            let last = hubMembers[old].removeLast()
            if Int(last) != j {
                hubMembers[old][s] = last
                slot[Int(last)] = Int32(s)
            }
            hubMW[old] -= weight[j]
            hubDirty[old] = true
            if hub < 0 && memberOK[j] && j < siteCount { available.add(position[j], weight[j]) }
        } else if hub >= 0 && memberOK[j] && j < siteCount {
            available.add(position[j], -weight[j])
        }
        if hub >= 0 {
            slot[j] = Int32(hubMembers[hub].count)
            hubMembers[hub].append(Int32(j))
            hubMW[hub] += weight[j]
            hubDirty[hub] = true
        } else {
            slot[j] = -1
        }
        hubOf[j] = Int32(hub)
        distKm[j] = km
    }

    func newHub(centre: Int, fixed: Bool) -> Int {
        hubCentre.append(centre); hubMW.append(0); hubAlive.append(true)
        hubMembers.append([]); hubFixed.append(fixed); hubDirty.append(true)
        return hubCentre.count - 1
    }

    func closeHub(_ h: Int) {
        while let j = hubMembers[h].last { assign(Int(j), to: -1, km: 0) }
        hubAlive[h] = false
        if journal != nil { journalClosed.append(h) }
    }

    func beginTrial() -> Int {
        journal = []
        journalClosed = []
        return hubCentre.count
    }

    func commitTrial() { journal = nil; journalClosed = [] }

    func rollbackTrial(hubCountAtStart: Int) {
        guard let entries = journal else { return }
        journal = nil
        for h in journalClosed { hubAlive[h] = true }
        for e in entries.reversed() { assign(Int(e.site), to: Int(e.previousHub), km: e.previousKm) }
        while hubCentre.count > hubCountAtStart {
            hubCentre.removeLast(); hubMW.removeLast(); hubAlive.removeLast()
            hubMembers.removeLast(); hubFixed.removeLast(); hubDirty.removeLast()
        }
        journalClosed = []
    }

    /// Whether member `j` may leave its hub without breaking that hub's floor.
    func canGive(_ j: Int, alreadyTaken: Double = 0) -> Bool {
        let h = Int(hubOf[j])
        if h < 0 { return true }
        if hubCentre[h] == j { return false }
        return hubMW[h] - alreadyTaken - weight[j] >= floorWithSlack
    }

    /// Opens a hub at `c`, growing nearest-first to the floor from unassigned sites and (with
    /// `steal`) the surplus of other hubs. Returns the new hub or nil (state unchanged).
    @discardableResult
    func tryOpen(_ c: Int, steal: Bool, fixed: Bool = false) -> Int? {
        guard centreOK[c], fixed || ballMW[c] >= floorWithSlack else { return nil }
        let own = Int(hubOf[c])
        if own >= 0 && !(steal && canGive(c)) { return nil }
        // Without stealing only unassigned capacity counts: skip hopeless seeds cheaply.
        if !steal && !fixed && available.upperBound(around: position[c], radiusKm: radiusKm) < floorWithSlack { return nil }
        var taken: [Neighbour] = []
        var takenFrom: [Int: Double] = [:]
        var total = 0.0
        if c < siteCount {
            total += weight[c]
            if own >= 0 { takenFrom[own, default: 0] += weight[c] }
        }
        if total < floorWithSlack {
            // Nearest first; small instances use the cached ball, large ones a growing
            // k-nearest query so a seed never pays for its whole ball.
            var k = 64
            while true {
                let (neighbours, exhausted) = nearestMembers(of: c, count: k)
                taken.removeAll(keepingCapacity: true)
                takenFrom.removeAll(keepingCapacity: true)
                total = 0
                if c < siteCount {
                    total += weight[c]
                    if own >= 0 { takenFrom[own, default: 0] += weight[c] }
                }
                for nb in neighbours {
                    let j = Int(nb.site)
                    if j == c { continue }
                    let h = Int(hubOf[j])
                    if h < 0 {
                        taken.append(nb); total += weight[j]
                    } else if steal, canGive(j, alreadyTaken: takenFrom[h] ?? 0) {
                        taken.append(nb); total += weight[j]
                        takenFrom[h, default: 0] += weight[j]
                    }
                    if total >= floorWithSlack { break }
                }
                if total >= floorWithSlack || exhausted { break }
                // Large inputs: a stealing seed looks at its 1,024 nearest sites at most.
                if steal && siteCount > MaxPSearch.smallInstance && k >= 1024 { break }
                k *= 4
            }
        }
        if total < floorWithSlack && !fixed { return nil }
        if trimOnOpen && total >= floorWithSlack {
            // Give back surplus, largest first, while the floor still holds: a hub that takes
            // only what it needs leaves the most capacity for other hubs (packing).
            let byWeight = taken.indices.sorted { weight[Int(taken[$0].site)] != weight[Int(taken[$1].site)]
                ? weight[Int(taken[$0].site)] > weight[Int(taken[$1].site)] : taken[$0].site < taken[$1].site }
            var dropped = Set<Int>()
            for k in byWeight where total - weight[Int(taken[k].site)] >= floorWithSlack {
                total -= weight[Int(taken[k].site)]
                dropped.insert(k)
            }
            if !dropped.isEmpty { taken = taken.indices.filter { !dropped.contains($0) }.map { taken[$0] } }
        }
        let h = newHub(centre: c, fixed: fixed)
        if c < siteCount || fixed { assign(c, to: h, km: 0) }
        for nb in taken { assign(Int(nb.site), to: h, km: nb.km) }
        centreIndex = nil
        return h
    }

    /// Opens two hubs at once at `c1` and `c2` from unassigned sites, splitting the sites
    /// both can reach by subset sum so that both meet the floor (a two-bin covering problem
    /// that nearest-first growth misses when capacity is tight). Small instances only.
    @discardableResult
    func tryOpenPair(_ c1: Int, _ c2: Int) -> Bool {
        guard c1 < siteCount, c2 < siteCount, hubOf[c1] < 0, hubOf[c2] < 0, centreOK[c1], centreOK[c2] else { return false }
        var km1: [Int: Double] = [:], km2: [Int: Double] = [:]
        for nb in ball(c1) where hubOf[Int(nb.site)] < 0 { km1[Int(nb.site)] = nb.km }
        for nb in ball(c2) where hubOf[Int(nb.site)] < 0 { km2[Int(nb.site)] = nb.km }
        var load1 = weight[c1], load2 = weight[c2]
        var only1: [Int] = [], only2: [Int] = [], shared: [Int] = []
        for j in Set(km1.keys).union(km2.keys).sorted() where j != c1 && j != c2 {
            switch (km1[j] != nil, km2[j] != nil) {
            case (true, true): shared.append(j)
            case (true, false): only1.append(j); load1 += weight[j]
            default: only2.append(j); load2 += weight[j]
            }
        }
        let sharedMW = shared.reduce(0) { $0 + weight[$1] }
        let lo = floorWithSlack - load1, hi = load2 + sharedMW - floorWithSlack
        guard hi >= lo, hi >= 0 else { return false }
        // Subset sums of the shared sites (capped), with back-pointers to rebuild the subset.
        struct Entry { var sum: Double; var parent: Int; var item: Int }
        var entries = [Entry(sum: 0, parent: -1, item: -1)]
        var sums = Set<Double>([0])
        var hit = lo <= 0 ? 0 : -1
        outer: for (k, j) in shared.enumerated() {
            let count = entries.count
            for e in 0..<count {
                let value = entries[e].sum + weight[j]
                if value > hi + 1e-9 || sums.contains(value) { continue }
                sums.insert(value)
                entries.append(Entry(sum: value, parent: e, item: k))
                if value >= lo - 1e-9 { hit = entries.count - 1; break outer }
                if entries.count >= 8192 { break outer }
            }
        }
        guard hit >= 0 else { return false }
        var toFirst = Set<Int>()
        var e = hit
        while e > 0 { toFirst.insert(shared[entries[e].item]); e = entries[e].parent }
        let h1 = newHub(centre: c1, fixed: false), h2 = newHub(centre: c2, fixed: false)
        assign(c1, to: h1, km: 0); assign(c2, to: h2, km: 0)
        for j in only1 { assign(j, to: h1, km: km1[j] ?? 0) }
        for j in only2 { assign(j, to: h2, km: km2[j] ?? 0) }
        for j in shared {
            if toFirst.contains(j) { assign(j, to: h1, km: km1[j] ?? 0) } else { assign(j, to: h2, km: km2[j] ?? 0) }
        }
        centreIndex = nil
        return true
    }

    // MARK: Phases

    func construct(order: [Int]) {
        resetState()
        // Fixed hubs grow first, in the order given.
        for f in 0..<fixedCount { tryOpen(siteCount + f, steal: false, fixed: true) }
        for s in order where hubOf[s] < 0 { tryOpen(s, steal: false) }
        // A fixed hub short of the floor gives its sites back.
        for h in 0..<hubCentre.count where hubFixed[h] && hubAlive[h] && hubMW[h] < floorWithSlack {
            closeHub(h)
        }
    }

    func openPhase(order: [Int]) {
        for _ in 0..<3 {
            var opened = 0
            for s in order where !isCentre(s) {
                // Large inputs: only unassigned seeds with at least half a floor of unassigned
                // capacity around them (a heuristic filter; small inputs try every site).
                if siteCount > MaxPSearch.smallInstance {
                    if hubOf[s] >= 0 || available.upperBound(around: position[s], radiusKm: radiusKm) < floorMW / 2 { continue }
                }
                if tryOpen(s, steal: true) != nil { opened += 1 }
            }
            if opened == 0 { break }
        }
    }

    func isCentre(_ s: Int) -> Bool {
        let h = Int(hubOf[s])
        return h >= 0 && hubCentre[h] == s
    }

    /// (q, q+1)-swaps: close a hub (q = 1) or a hub and its nearest neighbour (q = 2), reopen
    /// as many hubs as possible around them — greedily, trying several first seeds — and keep
    /// the change when it yields more hubs than were closed (Andrade, Resende & Werneck 2012
    /// generalised from independent sets to hubs).
    func swapPhase(candidateLimit: Int, firstSeedTries: Int, maxGroup: Int, rounds: Int) {
        for _ in 0..<rounds {
            var gained = 0
            for groupSize in 1...max(1, maxGroup) {
                var h = 0
                while h < hubCentre.count {
                    defer { h += 1 }
                    guard hubAlive[h], !hubFixed[h] else { continue }
                    var group = [h]
                    if groupSize == 2 {
                        var nearest: (hub: Int, km: Double)? = nil
                        for g in 0..<hubCentre.count where g != h && hubAlive[g] && !hubFixed[g] {
                            let d = Geodesic.distanceKm(position[hubCentre[h]], position[hubCentre[g]])
                            if d <= 2 * radiusKm, nearest == nil || d < nearest!.km { nearest = (g, d) }
                        }
                        guard let partner = nearest else { continue }
                        group.append(partner.hub)
                    }
                    let centres = group.map { hubCentre[$0] }
                    let start = beginTrial()
                    for g in group { closeHub(g) }
                    var seen = Set<Int>()
                    var candidates: [Int] = []
                    for centre in centres {
                        for f in memberIndex.kNearest(candidateLimit * 4, to: position[centre]) where f.distanceKm <= 2 * radiusKm {
                            let s = memberIds[f.index]
                            guard centreOK[s], ballMW[s] >= floorWithSlack, !isCentre(s), seen.insert(s).inserted else { continue }
                            candidates.append(s)
                        }
                    }
                    candidates.sort { ballMW[$0] != ballMW[$1] ? ballMW[$0] < ballMW[$1] : $0 < $1 }
                    if candidates.count > candidateLimit { candidates.removeLast(candidates.count - candidateLimit) }
                    func reopen(first: Int?) -> Int {
                        var opened = 0
                        if let first, tryOpen(first, steal: true) != nil { opened += 1 }
                        for cand in candidates where cand != first && !isCentre(cand) {
                            if tryOpen(cand, steal: true) != nil { opened += 1 }
                        }
                        return opened
                    }
                    var bestOpened = -1
                    var bestFirst: Int? = nil
                    let firsts: [Int?] = firstSeedTries <= 1 ? [nil] : [nil] + candidates.prefix(firstSeedTries - 1).map { Optional($0) }
                    for first in firsts {
                        let mark = journalMark()
                        let opened = reopen(first: first)
                        if opened > bestOpened { bestOpened = opened; bestFirst = first }
                        rollback(to: mark)
                        if bestOpened > group.count + 1 { break }
                    }
                    var bestPair: (Int, Int)? = nil
                    if firstSeedTries > 1 && bestOpened <= group.count {
                        let pool = Array(candidates.prefix(12))
                        pairs: for a in 0..<pool.count {
                            for b in (a + 1)..<max(a + 1, pool.count) {
                                let mark = journalMark()
                                var opened = 0
                                if tryOpenPair(pool[a], pool[b]) {
                                    opened = 2
                                    for cand in candidates where !isCentre(cand) {
                                        if tryOpen(cand, steal: true) != nil { opened += 1 }
                                    }
                                }
                                rollback(to: mark)
                                if opened > bestOpened { bestOpened = opened; bestPair = (pool[a], pool[b]) }
                                if bestOpened > group.count { break pairs }
                            }
                        }
                    }
                    if bestOpened > group.count, let pair = bestPair {
                        tryOpenPair(pair.0, pair.1)
                        for cand in candidates where !isCentre(cand) { tryOpen(cand, steal: true) }
                        commitTrial()
                        gained += bestOpened - group.count
                    } else if bestOpened > group.count {
                        _ = reopen(first: bestFirst)
                        commitTrial()
                        gained += bestOpened - group.count
                    } else {
                        rollbackTrial(hubCountAtStart: start)
                    }
                }
            }
            if gained == 0 { break }
        }
        compactHubs()
    }

    struct JournalMark { var entries: Int; var closed: Int; var hubs: Int }

    func journalMark() -> JournalMark {
        JournalMark(entries: journal?.count ?? 0, closed: journalClosed.count, hubs: hubCentre.count)
    }

    /// Undoes the trial's changes made after `mark`, keeping the trial open.
    func rollback(to mark: JournalMark) {
        guard var entries = journal else { return }
        journal = nil
        for h in journalClosed[mark.closed...] { hubAlive[h] = true }
        journalClosed.removeLast(journalClosed.count - mark.closed)
        for e in entries[mark.entries...].reversed() { assign(Int(e.site), to: Int(e.previousHub), km: e.previousKm) }
        entries.removeLast(entries.count - mark.entries)
        while hubCentre.count > mark.hubs {
            hubCentre.removeLast(); hubMW.removeLast(); hubAlive.removeLast()
            hubMembers.removeLast(); hubFixed.removeLast(); hubDirty.removeLast()
        }
        journal = entries
        centreIndex = nil
    }

    /// Drops dead hubs so hub ids stay dense.
    func compactHubs() {
        var remap = Array(repeating: -1, count: hubCentre.count)
        var next = 0
        for h in 0..<hubCentre.count where hubAlive[h] { remap[h] = next; next += 1 }
        if next == hubCentre.count { return }
        var centres: [Int] = [], mws: [Double] = [], members: [[Int32]] = [], fixed: [Bool] = []
        for h in 0..<hubCentre.count where hubAlive[h] {
            centres.append(hubCentre[h]); mws.append(hubMW[h]); members.append(hubMembers[h]); fixed.append(hubFixed[h])
        }
        for i in 0..<pointCount where hubOf[i] >= 0 { hubOf[i] = Int32(remap[Int(hubOf[i])]) }
        hubCentre = centres; hubMW = mws; hubMembers = members; hubFixed = fixed
        hubAlive = Array(repeating: true, count: centres.count)
        hubDirty = Array(repeating: true, count: centres.count)
        centreIndex = nil
    }

    func ensureCentreIndex() -> PointIndex {
        if let index = centreIndex { return index }
        centreIndexHubs = (0..<hubCentre.count).filter { hubAlive[$0] }
        let index = PointIndex(centreIndexHubs.map { position[hubCentre[$0]] })
        centreIndex = index
        return index
    }

    /// Every unassigned eligible site within reach of a centre joins the nearest one.
    func enclavePhase() {
        let index = ensureCentreIndex()
        for j in 0..<siteCount where hubOf[j] < 0 && memberOK[j] {
            if let near = index.nearest(to: position[j]), near.distanceKm <= radiusKm {
                assign(j, to: centreIndexHubs[near.index], km: near.distanceKm)
            }
        }
    }

    func totalCost() -> Double {
        var cost = 0.0
        for h in 0..<hubCentre.count where hubAlive[h] {
            for j in hubMembers[h] { cost += weight[Int(j)] * distKm[Int(j)] }
        }
        return cost
    }

    /// Moves the centre of each hub to the member that minimises Σ w·d while keeping every
    /// member within reach; sites newly within reach join. Returns the number of relocations.
    func relocationPass() -> Int {
        var change = 0
        let limit = siteCount <= MaxPSearch.smallInstance ? 24 : 8
        for h in 0..<hubCentre.count where hubAlive[h] && !hubFixed[h] && hubDirty[h] {
            hubDirty[h] = false
            let members = hubMembers[h].map(Int.init)
            var candidates = members.filter { centreOK[$0] }
            if candidates.count > limit {
                // The weighted medoid lies near the weighted mean; try the members closest to it.
                var sw = 0.0, sx = 0.0, sy = 0.0
                for j in members { let wj = max(weight[j], 1e-9); sw += wj; sx += wj * position[j].lon; sy += wj * position[j].lat }
                let mean = Position(sx / sw, sy / sw)
                let ranked: [(site: Int, km: Double)] = candidates.map { (site: $0, km: Geodesic.distanceKm(mean, position[$0])) }
                let sorted = ranked.sorted { (a: (site: Int, km: Double), b: (site: Int, km: Double)) -> Bool in
                    a.km != b.km ? a.km < b.km : a.site < b.site
                }
                candidates = sorted.prefix(limit).map { $0.site }
            }
            var current = 0.0
            for j in members { current += weight[j] * distKm[j] }
            // Lexicographic, as the objective: capacity newly within reach first (small
            // instances, where balls are cached), then Σ w·d.
            let coverageAware = siteCount <= MaxPSearch.smallInstance
            var best = hubCentre[h], bestCost = current, bestGain = 0.0
            for c in candidates where c != hubCentre[h] {
                var gain = 0.0
                if coverageAware {
                    for nb in ball(c) where hubOf[Int(nb.site)] < 0 { gain += weight[Int(nb.site)] }
                }
                let gainTolerance = 1e-9 * max(1, gain, bestGain)
                if gain < bestGain - gainTolerance { continue }
                let mustBeatCost = gain <= bestGain + gainTolerance
                var cost = 0.0, feasible = true
                for j in members where j != c {
                    let d = Geodesic.distanceKm(position[c], position[j])
                    if d > radiusKm { feasible = false; break }
                    cost += weight[j] * d
                    if mustBeatCost && cost >= bestCost { break }
                }
                guard feasible else { continue }
                if !mustBeatCost || cost < bestCost - 1e-9 * max(1, bestCost) { best = c; bestCost = cost; bestGain = gain }
            }
            if best == hubCentre[h] { continue }
            hubCentre[h] = best
            for j in members { distKm[j] = j == best ? 0 : Geodesic.distanceKm(position[best], position[j]) }
            change += 1
            for k in memberIndex.within(km: radiusKm, of: position[best]) where hubOf[memberIds[k]] < 0 {
                let j = memberIds[k]
                assign(j, to: h, km: Geodesic.distanceKm(position[best], position[j]))
            }
            centreIndex = nil
        }
        return change
    }

    /// Moves members to nearer centres, or swaps two members when a move alone would break
    /// a floor. Returns the number of moves and swaps.
    func movePass() -> Int {
        let index = ensureCentreIndex()
        // Half the distance from each centre to the nearest other centre: a member closer to
        // its centre than that has no nearer centre (triangle inequality), so it is skipped.
        var halfGap = Array(repeating: Double.infinity, count: hubCentre.count)
        for (k, h) in centreIndexHubs.enumerated() {
            for near in index.kNearest(2, to: position[hubCentre[h]]) where near.index != k {
                halfGap[h] = near.distanceKm / 2
            }
        }
        var change = 0
        for j in 0..<siteCount where hubOf[j] >= 0 && !isCentre(j) {
            let a = Int(hubOf[j])
            let dj = distKm[j]
            if dj == 0 || dj <= halfGap[a] { continue }
            var bestMove: (hub: Int, km: Double)? = nil
            var blocked: [(hub: Int, km: Double)] = []
            for near in index.kNearest(MaxPSearch.moveCentres, to: position[j]) {
                let b = centreIndexHubs[near.index]
                let d = near.distanceKm
                if d >= dj - 1e-9 || d > radiusKm { break }
                guard b != a, hubAlive[b] else { continue }
                if hubMW[a] - weight[j] >= floorWithSlack {
                    if bestMove == nil || d < bestMove!.km || (d == bestMove!.km && b < bestMove!.hub) { bestMove = (b, d) }
                } else {
                    blocked.append((b, d))
                }
            }
            if let move = bestMove {
                change += 1
                assign(j, to: move.hub, km: move.km)
                continue
            }
            // Swap j (a → b) with some l (b → a).
            var bestSwap: (l: Int, hub: Int, dl: Double, dj: Double, gain: Double)? = nil
            // Small inputs try every blocked hub; large ones only the nearest.
            let swapHubs = siteCount <= MaxPSearch.smallInstance ? blocked : Array(blocked.prefix(1))
            for (b, djb) in swapHubs {
                let ca = position[hubCentre[a]]
                for lRaw in hubMembers[b] {
                    let l = Int(lRaw)
                    guard hubCentre[b] != l else { continue }
                    let mwA = hubMW[a] - weight[j] + weight[l], mwB = hubMW[b] + weight[j] - weight[l]
                    guard mwA >= floorWithSlack, mwB >= floorWithSlack else { continue }
                    let dla = Geodesic.distanceKm(ca, position[l])
                    guard dla <= radiusKm else { continue }
                    let gain = weight[j] * (djb - dj) + weight[l] * (dla - distKm[l])
                    if gain < -1e-9, bestSwap == nil || gain < bestSwap!.gain { bestSwap = (l, b, dla, djb, gain) }
                }
            }
            if let swap = bestSwap {
                change += 1
                assign(j, to: swap.hub, km: swap.dj)
                assign(swap.l, to: a, km: swap.dl)
            }
        }
        return change
    }

    /// Runs relocation and move/swap passes until a pass changes nothing (every change
    /// strictly improves (capacity in hubs, −cost) lexicographically, so it cannot cycle),
    /// or `maxPasses` passes.
    func localSearch() {
        var cost = totalCost()
        for _ in 0..<max(1, options.maxPasses) {
            let changes = relocationPass() + movePass()
            if changes == 0 { break }
            // Large inputs also stop when a pass gains less than 0.01 % of the cost.
            let newCost = totalCost()
            if siteCount > MaxPSearch.smallInstance && cost - newCost < 1e-4 * cost { break }
            cost = newCost
        }
    }

    /// Exact capacity of member-eligible sites within reach of `c` (for reasons on large inputs).
    func exactBallMW(_ c: Int) -> Double {
        if siteCount <= MaxPSearch.smallInstance { return ballMW[c] }
        var total = 0.0
        for k in memberIndex.within(km: radiusKm, of: position[c]) { total += weight[memberIds[k]] }
        return total
    }

    func objective() -> HubObjective {
        var p = 0, mw = 0.0, cost = 0.0
        for h in 0..<hubCentre.count where hubAlive[h] {
            p += 1
            for j in hubMembers[h] { mw += weight[Int(j)]; cost += weight[Int(j)] * distKm[Int(j)] }
        }
        return HubObjective(hubCount: p, assignedMW: mw, costMWKm: cost)
    }

    struct Snapshot {
        var hubOf: [Int32]
        var distKm: [Double]
        var hubCentre: [Int]
        var hubFixed: [Bool]
    }

    // MARK: Driver

    func run(progress: ProgressCallback?) -> HubClusteringResult {
        computeBallCapacities()
        let restarts = max(1, options.restarts ?? MaxPSearch.automaticRestarts(siteCount))
        let seedable = (0..<siteCount).filter { centreOK[$0] && ballMW[$0] >= floorWithSlack }
        var rng = SplitMix64(seed: options.seed)
        var best: (objective: HubObjective, snapshot: Snapshot, restart: Int)? = nil
        let small = siteCount <= 2000
        let swapCandidates = small ? 32 : 6
        for r in 0..<restarts {
            // Restart 0: least flexible first; then alternately a jittered version of that
            // order and a uniformly random order, for diversity.
            var keyed = seedable.map { s -> (Int, Double) in
                switch r {
                case 0: return (s, ballMW[s])
                case let k where k % 2 == 1: return (s, ballMW[s] * (0.5 + rng.unit()))
                default: return (s, rng.unit())
                }
            }
            keyed.sort { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            let order = keyed.map(\.0)
            // Every other pair of restarts builds tight hubs (surplus given back), which packs
            // more hubs where capacity is scarce; the others build compact ones.
            trimOnOpen = r % 4 >= 2
            construct(order: order)
            openPhase(order: order)
            swapPhase(candidateLimit: swapCandidates, firstSeedTries: small ? 12 : 1, maxGroup: small ? 2 : 1,
                      rounds: small ? 3 : 1)
            compactHubs()
            enclavePhase()
            localSearch()
            let value = objective()
            if best == nil || value < best!.objective {
                best = (value, Snapshot(hubOf: hubOf, distKm: distKm, hubCentre: hubCentre, hubFixed: hubFixed), r)
            }
            progress?(Double(r + 1) / Double(restarts), "search")
        }
        var snapshot = best?.snapshot ?? Snapshot(hubOf: hubOf, distKm: distKm, hubCentre: [], hubFixed: [])
        restore(snapshot)
        let optimality = exactPhase(mode: options.exact, siteLimit: options.exactSiteLimit,
                                    seconds: options.exactTimeLimitSeconds, progress: progress)
        snapshot = Snapshot(hubOf: hubOf, distKm: distKm, hubCentre: hubCentre, hubFixed: hubFixed)
        var result = makeResult(snapshot, restarts: restarts, bestRestart: best?.restart ?? 0)
        result.optimality = optimality
        return result
    }

    /// Puts a snapshot back into the search state.
    func restore(_ snap: Snapshot) {
        resetState()
        for (h, c) in snap.hubCentre.enumerated() { _ = newHub(centre: c, fixed: snap.hubFixed[h]) }
        for i in 0..<pointCount where snap.hubOf[i] >= 0 { assign(i, to: Int(snap.hubOf[i]), km: snap.distKm[i]) }
        for h in 0..<hubCentre.count where hubMembers[h].isEmpty { hubAlive[h] = false }
    }

    static func automaticRestarts(_ n: Int) -> Int {
        switch n {
        case ..<100: 48
        case ..<1000: 12
        case ..<5000: 2
        default: 1
        }
    }

    func makeResult(_ snap: Snapshot, restarts: Int, bestRestart: Int) -> HubClusteringResult {
        var members = Array(repeating: [Int](), count: snap.hubCentre.count)
        for i in 0..<siteCount where snap.hubOf[i] >= 0 { members[Int(snap.hubOf[i])].append(i) }
        var hubs: [Hub] = []
        var dropped: [Int] = []
        var hubAssigned = Array(repeating: false, count: siteCount)
        for h in 0..<snap.hubCentre.count {
            let c = snap.hubCentre[h]
            let list = members[h].sorted { snap.distKm[$0] != snap.distKm[$1] ? snap.distKm[$0] < snap.distKm[$1] : $0 < $1 }
            // Exact total in a fixed order; a hub that drift let slip under the floor is dissolved.
            let total = list.map { weight[$0] }.sorted().reduce(0, +)
            if total < floorMW {
                if c >= siteCount { dropped.append(c - siteCount) }
                continue
            }
            for j in list { hubAssigned[j] = true }
            let kms = list.map { snap.distKm[$0] }
            var cost = 0.0
            for j in list { cost += weight[j] * snap.distKm[j] }
            hubs.append(Hub(centreSite: c < siteCount ? c : nil, fixedCentre: c >= siteCount ? c - siteCount : nil,
                            centre: position[c], members: list, memberDistanceKm: kms, totalMW: total,
                            costMWKm: cost, maxDistanceKm: kms.max() ?? 0))
        }
        for f in 0..<fixedCount where !snap.hubCentre.contains(siteCount + f) && !dropped.contains(f) { dropped.append(f) }
        hubs.sort { a, b in
            switch (a.fixedCentre, b.fixedCentre) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return (a.centreSite ?? 0) < (b.centreSite ?? 0)
            }
        }
        let finalCentres = PointIndex(hubs.map(\.centre))
        var unassigned: [(site: Int, reason: UnassignedReason)] = []
        for j in 0..<siteCount where !hubAssigned[j] {
            if !memberOK[j] { unassigned.append((j, .metroArea)); continue }
            var reach = centreOK[j] ? exactBallMW(j) : 0
            for k in memberIndex.within(km: radiusKm, of: position[j]) where centreOK[memberIds[k]] && reach < floorMW {
                reach = max(reach, exactBallMW(memberIds[k]))
            }
            if reach < floorMW {
                unassigned.append((j, .shortOfFloor(reachableMW: reach)))
            } else {
                unassigned.append((j, .beyondLatency(nearestHubKm: finalCentres.nearest(to: position[j])?.distanceKm)))
            }
        }
        var mw = 0.0, cost = 0.0
        for hub in hubs { mw += hub.totalMW; cost += hub.costMWKm }
        return HubClusteringResult(hubs: hubs, unassigned: unassigned, droppedFixedCentres: dropped.sorted(),
                                   objective: HubObjective(hubCount: hubs.count, assignedMW: mw, costMWKm: cost),
                                   restartsRun: restarts, bestRestart: bestRestart,
                                   optimality: HubOptimality(hubsUpperBound: hubs.count, hubCountOptimal: false, optimal: false,
                                                             hubCountGap: 0, costBoundMWKm: nil, costGap: nil, exactSites: 0,
                                                             parts: 0, exactParts: 0, method: "heuristic", solverSeconds: 0))
    }
}
