import GeoCore

// Assigning sites to hubs, opening and closing hubs, and trials that can be rolled back.

extension MaxPSearch {
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
}
