import GeoCore

// Restarts, the best snapshot, the exact phase and the result.

extension MaxPSearch {
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
        // Parts the integer programme will not solve get the exact neighbourhood repair.
        let layout = partLayout()
        let repairParts = layout.parts.indices.filter {
            !solvesExactly(layout, part: $0, mode: options.exact, siteLimit: options.exactSiteLimit)
        }.map { layout.parts[$0] }
        let repair = repairPhase(parts: repairParts, seconds: options.repairTimeLimitSeconds, progress: progress)
        let optimality = exactPhase(mode: options.exact, siteLimit: options.exactSiteLimit,
                                    seconds: options.exactTimeLimitSeconds, layout: layout, progress: progress)
        snapshot = Snapshot(hubOf: hubOf, distKm: distKm, hubCentre: hubCentre, hubFixed: hubFixed)
        var result = makeResult(snapshot, restarts: restarts, bestRestart: best?.restart ?? 0)
        result.optimality = optimality
        result.repair = repair
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
                                                             parts: 0, exactParts: 0, method: "heuristic", solverSeconds: 0),
                                   repair: HubRepairStats())
    }
}
