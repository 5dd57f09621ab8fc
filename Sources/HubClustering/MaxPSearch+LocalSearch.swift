import GeoCore

// Enclave assignment and compactness local search (relocation, moves, swaps); the objective.

extension MaxPSearch {
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
}
