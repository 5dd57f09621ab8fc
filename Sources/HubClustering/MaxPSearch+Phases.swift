import GeoCore

// Construction and the hub-count moves: open, (q, q+1)-swap, compaction of hub ids.

extension MaxPSearch {
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
}
