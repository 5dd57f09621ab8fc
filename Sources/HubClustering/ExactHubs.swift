import Foundation
import GeoCore
import MixedInteger

/// When the hub engine solves the integer programme instead of keeping the heuristic's answer.
public enum HubExactMode: String, Sendable, CaseIterable {
    /// Exactly for every independent part of the instance with at most `exactSiteLimit`
    /// sites; the heuristic elsewhere.
    case auto
    /// Exactly for every part, whatever its size, within the time limit.
    case on
    /// Heuristic only (bounds are still computed and reported).
    case off
}

/// How good the answer is: the proven bounds and whether the optimum was proven.
public struct HubOptimality: Sendable, Hashable {
    /// No solution has more hubs than this: per independent part, the tighter of the
    /// capacity bound ⌊coverable MW / floor⌋ and the integer programme's bound (its LP
    /// relaxation when the part was not solved exactly).
    public var hubsUpperBound: Int
    /// The hub count is proven optimal (it meets the upper bound, or CBC proved it).
    public var hubCountOptimal: Bool
    /// The whole lexicographic objective (hubs, capacity, compactness) is proven optimal.
    public var optimal: Bool
    /// (upper bound − hubs) / upper bound; 0 when the hub count is proven optimal.
    public var hubCountGap: Double
    /// Lower bound on Σ MW × km (only when hub count and capacity are proven optimal in
    /// every part, so that the compactness levels are comparable).
    public var costBoundMWKm: Double?
    /// |cost − bound| / max(cost, bound) when `costBoundMWKm` is known.
    public var costGap: Double?
    /// Sites in parts solved exactly, and in all parts.
    public var exactSites: Int
    public var parts: Int
    public var exactParts: Int
    /// "cbc 2.10.8" when CBC solved at least one part, else "heuristic".
    public var method: String
    public var solverSeconds: Double
}

extension MaxPSearch {
    /// Independent parts of the instance: sites interact only through a candidate centre
    /// whose ball holds both, so parts are the connected components of the bipartite graph
    /// candidate centre — member in its ball. Each part holds its member-eligible sites;
    /// sites no candidate reaches are in no part. Up to `smallInstance` sites the balls are
    /// exact; above, cells of a grid ≥ 2 × radius wide are merged with their neighbours
    /// (coarser parts, still independent, O(n)).
    func independentParts(candidates: [Int]) -> [[Int]] {
        var sets = DisjointSets(count: pointCount)
        var inPart = Array(repeating: false, count: pointCount)
        if siteCount <= MaxPSearch.smallInstance {
            for c in candidates {
                for nb in ball(c) { sets.union(c, Int(nb.site)); inPart[Int(nb.site)] = true }
            }
        } else {
            // Grid cells of 2R (in degrees, with the conservative km-per-degree bounds of
            // CapacityGrid): two sites within 2R lie in the same or adjacent cells.
            let latStep = max(1e-6, 2 * radiusKm / 110.5)
            var maxLat = 0.0
            for i in 0..<siteCount where memberOK[i] { maxLat = max(maxLat, abs(position[i].lat)) }
            let lonStep = max(1e-6, min(360, 2 * radiusKm / (111.3 * cos(min(89.9, maxLat) * .pi / 180))))
            var cellOwner: [Int64: Int] = [:]
            func key(_ x: Int, _ y: Int) -> Int64 { Int64(x) << 32 | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: y))) }
            for i in 0..<siteCount where memberOK[i] {
                let cx = Int(floor(position[i].lon / lonStep)), cy = Int(floor(position[i].lat / latStep))
                if let owner = cellOwner[key(cx, cy)] { sets.union(owner, i) } else { cellOwner[key(cx, cy)] = i }
                inPart[i] = true
            }
            for (k, owner) in cellOwner {
                let cx = Int(k >> 32), cy = Int(Int32(truncatingIfNeeded: k))
                for dx in -1...1 { for dy in -1...1 where dx != 0 || dy != 0 {
                    if let other = cellOwner[key(cx + dx, cy + dy)] { sets.union(owner, other) }
                } }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in 0..<siteCount where inPart[i] && memberOK[i] { groups[sets.find(i), default: []].append(i) }
        return groups.keys.sorted().map { groups[$0]! }
    }

    /// The integer programme of one part (after ReVelle & Swain 1970's p-median model, with
    /// the floor of capacitated max-p clustering, Duque, Anselin & Rey 2012):
    ///   y_c ∈ {0,1}  centre c is open (c a candidate: eligible, ball ≥ floor);
    ///   x_cj ∈ {0,1} site j joins the hub of c (j ≠ c within the radius of c);
    ///   single membership  y_j + Σ_c x_cj ≤ 1 for every site j (y_j only if j is a candidate);
    ///   linking            x_cj ≤ y_c (the strong form: tighter LP than aggregated linking);
    ///   floor              w_c y_c + Σ_j w_j x_cj ≥ F y_c.
    /// The radius is in the variables (no x_cj beyond it).
    struct PartModel {
        var model = LinearModel(.maximise)
        var y: [(site: Int, v: LinearModel.Variable)] = []
        var x: [(centre: Int, site: Int, km: Double, v: LinearModel.Variable)] = []
        var hubCount: [(LinearModel.Variable, Double)] = []
        var coverage: [(LinearModel.Variable, Double)] = []
        var cost: [(LinearModel.Variable, Double)] = []
        var yOf: [Int: LinearModel.Variable] = [:]
        var xOf: [Int64: LinearModel.Variable] = [:]
    }

    func partModel(sites part: [Int], candidates: [Int]) -> PartModel {
        var pm = PartModel()
        var membership: [Int: [(LinearModel.Variable, Double)]] = [:]
        for c in candidates {
            let yc = pm.model.addBinary(objective: 1)
            pm.y.append((c, yc))
            pm.yOf[c] = yc
            pm.hubCount.append((yc, 1))
            membership[c, default: []].append((yc, 1))
            pm.coverage.append((yc, weight[c]))
            var floorRow: [(LinearModel.Variable, Double)] = [(yc, weight[c] - floorMW)]
            for nb in ball(c) where Int(nb.site) != c {
                let j = Int(nb.site)
                let xcj = pm.model.addBinary()
                pm.x.append((c, j, nb.km, xcj))
                pm.xOf[Int64(c) << 32 | Int64(j)] = xcj
                membership[j, default: []].append((xcj, 1))
                floorRow.append((xcj, weight[j]))
                pm.coverage.append((xcj, weight[j]))
                pm.cost.append((xcj, weight[j] * nb.km))
                pm.model.addConstraint([(xcj, 1), (yc, -1)], .lessOrEqual, 0)
            }
            pm.model.addConstraint(floorRow, .greaterOrEqual, 0)
        }
        for j in part { if let terms = membership[j], terms.count > 1 { pm.model.addConstraint(terms, .lessOrEqual, 1) } }
        // Chvátal–Gomory cut from the aggregated floors: Σ_c F y_c ≤ Σ_j w_j, so
        // Σ y ≤ ⌊Σ w / F⌋. The LP bound alone misses the rounding on tight packings.
        var coverable = 0.0
        for j in part { coverable += weight[j] }
        pm.model.addConstraint(pm.hubCount, .lessOrEqual, floor(coverable / floorMW + 1e-9))
        return pm
    }

    /// A solver start from the heuristic's state restricted to the part (nil when it does not fit).
    func startValues(_ pm: PartModel, part: [Int]) -> [Double] {
        var values = Array(repeating: 0.0, count: pm.model.variableCount)
        for j in part where hubOf[j] >= 0 {
            let h = Int(hubOf[j])
            let c = hubCentre[h]
            guard hubAlive[h], hubMW[h] >= floorMW else { continue }
            if c == j { if let v = pm.yOf[c] { values[v.index] = 1 } }
            else if let v = pm.xOf[Int64(c) << 32 | Int64(j)] { values[v.index] = 1 }
        }
        return values
    }

    struct PartAnswer {
        var hubs: [(centre: Int, members: [(site: Int, km: Double)])]
        var objective: HubObjective
        var hubBound: Int
        var countAndCapacityProven: Bool
        var optimal: Bool
        var costBound: Double?
        var seconds: Double
    }

    /// Solves one part lexicographically in three stages (max hubs; then max capacity with
    /// the hub count fixed; then min MW·km with both fixed), each stage started from the
    /// previous answer, all within `seconds`. Nil when CBC found nothing in time.
    func solvePart(_ part: [Int], candidates: [Int], seconds: Double) -> PartAnswer? {
        let clock = ContinuousClock()
        let began = clock.now
        func remaining() -> Double {
            let d = began.duration(to: clock.now)
            return seconds - (Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
        var pm = partModel(sites: part, candidates: candidates)
        var start = startValues(pm, part: part)
        var coverable = 0.0
        for j in part { coverable += weight[j] }
        let capacityBound = hubCount(coverable / floorMW, cap: candidates.count)
        // Stage 1: hubs. The count is an integer, so a gap below 1 proves it. Skipped when
        // the heuristic's count already meets the capacity bound.
        let s1: Solution
        if pm.model.violation(start) <= 1e-6 && hubCount(pm.model.objectiveValue(start) + 0.5, cap: candidates.count) >= capacityBound {
            s1 = Solution(status: .optimal, values: start, objective: pm.model.objectiveValue(start),
                          bound: Double(capacityBound), gap: 0, nodes: 0, seconds: 0)
        } else {
            guard let s = try? MixedIntegerSolver.solve(pm.model, limits: SolveLimits(timeSeconds: max(0.05, remaining()), relativeGap: 0, absoluteGap: 0.999), start: start),
                  s.hasSolution else { return nil }
            s1 = s
        }
        let p = hubCount((s1.objective ?? 0) + 0.5, cap: candidates.count)
        let hubBound = hubCount(s1.bound + 1e-6, cap: candidates.count)
        var best = s1
        var countProven = hubBound <= p
        var capacityProven = false
        var optimal = false
        var costBound: Double? = nil
        if countProven && remaining() > 0.05 {
            pm.model.addConstraint(pm.hubCount, .greaterOrEqual, Double(p))
            pm.model.replaceObjective(.maximise, pm.coverage)
            start = best.values
            if let s2 = try? MixedIntegerSolver.solve(pm.model, limits: SolveLimits(timeSeconds: max(0.05, remaining()), relativeGap: 1e-9, absoluteGap: 1e-7), start: start), s2.hasSolution {
                best = s2
                capacityProven = s2.status == .optimal
                if capacityProven && remaining() > 0.05 {
                    let covered = s2.objective ?? 0
                    pm.model.addConstraint(pm.coverage, .greaterOrEqual, covered - 1e-7 * max(1, covered))
                    pm.model.replaceObjective(.minimise, pm.cost)
                    if let s3 = try? MixedIntegerSolver.solve(pm.model, limits: SolveLimits(timeSeconds: max(0.05, remaining()), relativeGap: 1e-7, absoluteGap: 1e-6), start: s2.values), s3.hasSolution {
                        best = s3
                        optimal = s3.status == .optimal
                        costBound = s3.bound
                    }
                }
            }
        }
        // Read the hubs off the best assignment.
        var hubs: [(centre: Int, members: [(site: Int, km: Double)])] = []
        var index: [Int: Int] = [:]
        for (c, v) in pm.y where best.isSet(v) { index[c] = hubs.count; hubs.append((c, [(c, 0)])) }
        for e in pm.x where best.isSet(e.v) { if let h = index[e.centre] { hubs[h].members.append((e.site, e.km)) } }
        // A limited solve (stage 1, or stage 2 cut off) may leave a site out that an open
        // centre reaches. Adding it to the nearest such hub keeps every floor and raises the
        // capacity, and the output promises that an unassigned site is out of every hub's
        // reach, so it always joins.
        var joined = Set<Int>()
        for hub in hubs { for m in hub.members { joined.insert(m.site) } }
        var nearest: [Int: (hub: Int, km: Double)] = [:]
        for (h, hub) in hubs.enumerated() {
            for nb in ball(hub.centre) where !joined.contains(Int(nb.site)) {
                let j = Int(nb.site)
                if let o = nearest[j], o.km < nb.km || (o.km == nb.km && o.hub < h) { continue }
                nearest[j] = (h, nb.km)
            }
        }
        for j in nearest.keys.sorted() { if let o = nearest[j] { hubs[o.hub].members.append((j, o.km)) } }
        var objective = HubObjective(hubCount: 0, assignedMW: 0, costMWKm: 0)
        for hub in hubs {
            objective.hubCount += 1
            for m in hub.members { objective.assignedMW += weight[m.site]; objective.costMWKm += weight[m.site] * m.km }
        }
        if countProven == false { countProven = objective.hubCount >= hubBound }
        return PartAnswer(hubs: hubs, objective: objective, hubBound: hubBound,
                          countAndCapacityProven: countProven && capacityProven, optimal: optimal,
                          costBound: costBound, seconds: seconds - remaining())
    }

    /// Upper bound on the hubs of a part from its LP relaxation (nil when the model is too
    /// large to build quickly: more than `lpColumnLimit` columns).
    func relaxationBound(_ part: [Int], candidates: [Int], seconds: Double) -> Int? {
        // Counted until the limit is passed: on a part of 100,000 sites every ball would be
        // rebuilt (beyond the ball cache) only to learn that the model is too large.
        var columns = candidates.count
        guard columns <= MaxPSearch.lpColumnLimit else { return nil }
        for c in candidates {
            columns += ball(c).count
            if columns > MaxPSearch.lpColumnLimit { return nil }
        }
        let pm = partModel(sites: part, candidates: candidates)
        guard let s = try? MixedIntegerSolver.solve(pm.model.relaxation, limits: SolveLimits(timeSeconds: seconds)),
              s.status == .optimal || s.status == .feasible else { return nil }
        return hubCount(s.bound + 1e-6, cap: candidates.count)
    }

    static let lpColumnLimit = 60_000
    static let solverMWLimit = 1e7

    /// ⌊x⌋ as a hub count in 0…cap (a part has no more hubs than candidate centres), safe for
    /// any double: huge, infinite or NaN capacities from the input never trap.
    func hubCount(_ x: Double, cap: Int) -> Int {
        guard x.isFinite else { return x > 0 ? cap : 0 }
        let f = floor(x + 1e-9)
        if f >= Double(cap) { return cap }
        return f <= 0 ? 0 : Int(f)
    }

    /// Replaces the heuristic's hubs in each part that the mode and budget allow with the
    /// integer programme's answer when that is better, and works out the bounds everywhere.
    /// The independent parts with their candidate centres, and which parts a fixed centre
    /// reaches.
    struct PartLayout {
        var parts: [[Int]]
        var candidatesOf: [[Int]]
        var touchedByFixed: [Bool]
    }

    func partLayout() -> PartLayout {
        let candidates = (0..<siteCount).filter { centreOK[$0] && memberOK[$0] && ballMW[$0] >= floorWithSlack }
        let parts = independentParts(candidates: candidates)
        var partOf = Array(repeating: -1, count: pointCount)
        for (k, part) in parts.enumerated() { for j in part { partOf[j] = k } }
        var candidatesOf = Array(repeating: [Int](), count: parts.count)
        for c in candidates where partOf[c] >= 0 { candidatesOf[partOf[c]].append(c) }
        // Fixed centres are grown first by the heuristic; the programme does not model that
        // priority, so parts a fixed centre reaches keep the heuristic's answer.
        var touchedByFixed = Array(repeating: false, count: parts.count)
        for h in 0..<hubCentre.count where hubAlive[h] && hubCentre[h] >= siteCount {
            for j in hubMembers[h] where partOf[Int(j)] >= 0 { touchedByFixed[partOf[Int(j)]] = true }
        }
        for f in 0..<fixedCount {
            for k in memberIndex.within(km: radiusKm, of: position[siteCount + f]) where partOf[memberIds[k]] >= 0 {
                touchedByFixed[partOf[memberIds[k]]] = true
            }
        }
        return PartLayout(parts: parts, candidatesOf: candidatesOf, touchedByFixed: touchedByFixed)
    }

    /// Whether the exact phase solves part `k` of the layout (else the heuristic's answer,
    /// with its neighbourhood repair, stands).
    func solvesExactly(_ layout: PartLayout, part k: Int, mode: HubExactMode, siteLimit: Int) -> Bool {
        let part = layout.parts[k]
        // CBC's tolerances are absolute (1e-6 to 1e-9): capacities beyond 10 TW a site (input
        // that is surely an error) would make its answers meaningless, so such parts keep
        // the heuristic's answer and the capacity bound.
        let numericallySafe = floorMW <= MaxPSearch.solverMWLimit && part.allSatisfy { weight[$0] <= MaxPSearch.solverMWLimit }
        return numericallySafe && !layout.touchedByFixed[k] && !layout.candidatesOf[k].isEmpty
            && (mode == .on || (mode == .auto && part.count <= siteLimit))
    }

    func exactPhase(mode: HubExactMode, siteLimit: Int, seconds: Double, layout: PartLayout,
                    progress: ProgressCallback?) -> HubOptimality {
        let clock = ContinuousClock()
        let began = clock.now
        func elapsed() -> Double {
            let d = began.duration(to: clock.now)
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let parts = layout.parts
        let candidatesOf = layout.candidatesOf
        let fixedHubs = (0..<hubCentre.count).filter { hubAlive[$0] && hubCentre[$0] >= siteCount && hubMW[$0] >= floorWithSlack }.count

        var totalBound = fixedHubs, exactSites = 0, exactParts = 0, solverSeconds = 0.0
        var allOptimal = fixedCount == 0
        var allCountProven = true
        var costBound: Double? = 0
        var solverUsed = false
        let order = parts.indices.sorted { parts[$0].count != parts[$1].count ? parts[$0].count < parts[$1].count : $0 < $1 }
        for (done, k) in order.enumerated() {
            let part = parts[k]
            var coverable = 0.0
            for j in part { coverable += weight[j] }
            var bound = hubCount(coverable / floorMW, cap: candidatesOf[k].count)
            let current = currentObjective(part)
            let numericallySafe = floorMW <= MaxPSearch.solverMWLimit && part.allSatisfy { weight[$0] <= MaxPSearch.solverMWLimit }
            let wantExact = solvesExactly(layout, part: k, mode: mode, siteLimit: siteLimit)
            let left = seconds - elapsed()
            var partOptimal = false
            var partCostBound: Double? = nil
            if wantExact && left > 0.05 && !candidatesOf[k].isEmpty,
               let answer = solvePart(part, candidates: candidatesOf[k], seconds: left) {
                solverUsed = true
                exactParts += 1
                exactSites += part.count
                solverSeconds += answer.seconds
                bound = min(bound, answer.hubBound)
                if answer.objective < current { install(answer.hubs, part: part) }
                partOptimal = answer.optimal
                if answer.countAndCapacityProven { partCostBound = answer.costBound }
            } else if numericallySafe && !candidatesOf[k].isEmpty && current.hubCount < bound {
                if let lp = relaxationBound(part, candidates: candidatesOf[k], seconds: max(1, min(10, seconds - elapsed()))) {
                    solverUsed = true
                    bound = min(bound, lp)
                }
            }
            if candidatesOf[k].isEmpty { bound = 0; partOptimal = true; partCostBound = 0 }
            let found = currentObjective(part)
            totalBound += max(bound, found.hubCount)
            if found.hubCount < bound { allCountProven = false }
            if !partOptimal { allOptimal = false }
            if let b = partCostBound, let c = costBound { costBound = c + b } else { costBound = nil }
            progress?(Double(done + 1) / Double(max(1, parts.count)), "exact")
        }
        if fixedCount > 0 { costBound = nil }
        let hubs = (0..<hubCentre.count).filter { hubAlive[$0] && hubMW[$0] >= floorWithSlack }.count
        let totalCost = totalCost()
        let costGap = costBound.map { b in totalCost > 0 ? max(0, totalCost - b) / max(totalCost, b) : 0 }
        return HubOptimality(hubsUpperBound: max(totalBound, hubs), hubCountOptimal: allCountProven,
                             optimal: allOptimal && allCountProven,
                             hubCountGap: totalBound > 0 ? Double(max(0, totalBound - hubs)) / Double(totalBound) : 0,
                             costBoundMWKm: allOptimal ? totalCost : costBound.map { min($0, totalCost) },
                             costGap: allOptimal ? 0 : costGap,
                             exactSites: exactSites, parts: parts.count, exactParts: exactParts,
                             method: solverUsed ? "cbc \(MixedIntegerSolver.version)" : "heuristic",
                             solverSeconds: solverSeconds)
    }

    /// The heuristic's objective restricted to one part's sites.
    func currentObjective(_ part: [Int]) -> HubObjective {
        var objective = HubObjective(hubCount: 0, assignedMW: 0, costMWKm: 0)
        for j in part where hubOf[j] >= 0 {
            let h = Int(hubOf[j])
            guard hubAlive[h], hubCentre[h] < siteCount else { continue }
            if hubCentre[h] == j { objective.hubCount += 1 }
            objective.assignedMW += weight[j]
            objective.costMWKm += weight[j] * distKm[j]
        }
        return objective
    }

    /// Puts a part's hubs in place of whatever the heuristic had there.
    func install(_ hubs: [(centre: Int, members: [(site: Int, km: Double)])], part: [Int]) {
        var closing = Set<Int>()
        for j in part where hubOf[j] >= 0 { closing.insert(Int(hubOf[j])) }
        for h in closing.sorted() { closeHub(h) }
        for hub in hubs {
            let h = newHub(centre: hub.centre, fixed: false)
            for m in hub.members { assign(m.site, to: h, km: m.km) }
        }
    }
}
