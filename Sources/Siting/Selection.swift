import GeoCore

/// Choosing and qualifying sites from scored cells.
public enum SiteSelection {
    /// The best `count` eligible cells at least `minSpacingKm` apart (geodesic): greedy in
    /// order of score (ties by row, then column), the standard spatially-dispersed top-N
    /// rule (as in Church & Meadows' maximal dispersion heuristics). `cells` must be exact.
    /// O(n + v log n + v·count) for v cells visited.
    public static func top(_ cells: [ScoredCell], count: Int, minSpacingKm: Double,
                           centre: (ScoredCell) -> Position) -> [ScoredCell] {
        top(CellRanking(cells, exactTotal: nil), count: count, minSpacingKm: minSpacingKm, centre: centre)
    }

    /// `top` over a ranking, which resolves provisional cells only as far as it is read.
    public static func top(_ ranking: CellRanking, count: Int, minSpacingKm: Double,
                           centre: (ScoredCell) -> Position) -> [ScoredCell] {
        guard count > 0 else { return [] }
        var chosen: [ScoredCell] = []
        var chosenCentres: [Position] = []
        var k = 0
        while let cell = ranking.cell(at: k) {
            k += 1
            let p = centre(cell)
            if chosenCentres.contains(where: { Geodesic.distanceKm($0, p) < minSpacingKm }) { continue }
            chosen.append(cell)
            chosenCentres.append(p)
            if chosen.count == count { break }
        }
        return chosen
    }

    /// Pareto flag: `true` for each vector that no other vector dominates (at least as
    /// good on every criterion and better on one; higher is better). Sort by score sum
    /// descending: a dominator has a strictly larger sum, so only earlier vectors need
    /// checking, and only those already found non-dominated (dominance is transitive).
    /// O(n·m·d) for m non-dominated among n vectors of d criteria (Kung, Luccio &
    /// Preparata 1975 for the idea of a maxima scan).
    public static func paretoFlags(_ vectors: [[Double]]) -> [Bool] {
        let sums = vectors.map { $0.reduce(0, +) }
        let order = vectors.indices.sorted { sums[$0] != sums[$1] ? sums[$0] > sums[$1] : $0 < $1 }
        var front: [Int] = []
        var flags = [Bool](repeating: false, count: vectors.count)
        for i in order {
            let dominated = front.contains { j in dominates(vectors[j], vectors[i]) }
            if !dominated { front.append(i); flags[i] = true }
        }
        return flags
    }

    static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        var better = false
        for k in a.indices {
            if a[k] < b[k] { return false }
            if a[k] > b[k] { better = true }
        }
        return better
    }
}

/// The eligible cells in descending order of exact total (ties by row, then column),
/// produced lazily: a binary heap keyed by each cell's upper bound, where a provisional
/// cell that reaches the top is resolved (`exactTotal`) and sifted down again, and an
/// exact cell at the top is the next in order, since every other cell's exact total is at
/// most its key (best-first search with bounds, as in branch and bound; Lawler & Wood,
/// Operations Research 14, 1966). Ties put provisional cells first, so an exact cell is
/// only released once no provisional cell could equal it.
/// The heap first holds only the cells whose upper bound reaches a threshold t chosen so
/// that about `firstStage` cells do; the others join it (all at once) only when the
/// top's key falls below t — until then each of them is strictly below every key that is
/// released, so the order is the same. Readers of the first few hundred cells then never
/// touch the rest. Building is O(n) (a histogram of the bounds); the k-th cell costs
/// O(log n) per cell released or resolved up to it.
public final class CellRanking {
    private var cells: [ScoredCell]
    /// Heap of indices into `cells`, best on top.
    private var heap: [Int32]
    private var produced: [ScoredCell] = []
    /// Cells already resolved (so that even a NaN total, which equals no bound, is released).
    private var settled: [Bool]
    private let resolve: ((ScoredCell) -> Double)?
    /// All the cells (the caller's array, shared, not copied): the eligible ones below
    /// `threshold` (`restCount` of them) are not yet in the heap.
    private let source: [ScoredCell]
    private var restCount = 0
    private var threshold: Double
    /// Provisional cells resolved so far.
    public private(set) var resolvedCount = 0

    /// Cells held in the heap at first (when there are more eligible cells than this).
    static let firstStage = 8192

    /// `exactTotal` resolves provisional cells; nil when every cell is exact.
    public init(_ all: [ScoredCell], exactTotal: ((ScoredCell) -> Double)?) {
        resolve = exactTotal
        threshold = -.infinity
        // A histogram of the eligible cells' upper bounds over their range gives the
        // threshold; any NaN bound, or too few cells, and the heap takes them all.
        var low = Double.infinity, high = -Double.infinity, eligible = 0, unordered = false
        for c in all where c.eligible {
            eligible += 1
            if c.upper.isNaN { unordered = true; break }
            low = min(low, c.upper); high = max(high, c.upper)
        }
        if !unordered && eligible > 2 * Self.firstStage && low.isFinite && high.isFinite && low < high {
            let bins = 4096
            let scale = Double(bins) / (high - low)
            var counts = [Int](repeating: 0, count: bins)
            for c in all where c.eligible { counts[min(bins - 1, Int((c.upper - low) * scale))] += 1 }
            var bin = bins - 1, above = 0
            while bin > 0 && above + counts[bin] < Self.firstStage { above += counts[bin]; bin -= 1 }
            // Cells of bins ≥ `bin` have upper ≥ t, with t the bin's lower edge (or below it
            // by rounding; whichever side a cell falls, the test below decides it, not the bin).
            threshold = low + Double(bin) / scale
        }
        cells = []
        source = all
        if threshold == -.infinity {
            cells = all.filter(\.eligible)
        } else {
            for c in all where c.eligible && c.upper >= threshold { cells.append(c) }
            restCount = eligible - cells.count
            if restCount == 0 { threshold = -.infinity }
        }
        settled = cells.map(\.isExact)
        heap = (0..<Int32(cells.count)).map { $0 }
        var i = heap.count / 2 - 1
        while i >= 0 { siftDown(i); i -= 1 }
    }

    /// The rest joins the heap (second stage), copied once from the caller's array (at
    /// 250 m ≈ 5 M cells, 170 MB: no second copy held beside it).
    private func admitRest() {
        let start = cells.count
        cells.reserveCapacity(start + restCount)
        settled.reserveCapacity(start + restCount)
        for c in source where c.eligible && !(c.upper >= threshold) { cells.append(c); settled.append(c.isExact) }
        restCount = 0
        threshold = -.infinity
        heap += (Int32(start)..<Int32(cells.count)).map { $0 }
        var i = heap.count / 2 - 1
        while i >= 0 { siftDown(i); i -= 1 }
    }

    /// The k-th best eligible cell (0-based), exact; nil past the last.
    public func cell(at k: Int) -> ScoredCell? {
        while produced.count <= k {
            if restCount > 0, heap.first.map({ !(cells[Int($0)].upper >= threshold) }) ?? true { admitRest() }
            guard let top = heap.first else { return nil }
            let i = Int(top)
            if !settled[i] {
                let t = resolve?(cells[i]) ?? cells[i].total
                cells[i].total = t; cells[i].upper = t
                settled[i] = true
                resolvedCount += 1
                siftDown(0)
                continue
            }
            produced.append(cells[i])
            let last = heap.removeLast()
            if !heap.isEmpty { heap[0] = last; siftDown(0) }
        }
        return produced[k]
    }

    /// Whether `a` comes before `b` in the heap order.
    @inline(__always)
    private func before(_ a: Int32, _ b: Int32) -> Bool {
        let x = cells[Int(a)], y = cells[Int(b)]
        if x.upper != y.upper { return x.upper > y.upper }
        let xe = settled[Int(a)], ye = settled[Int(b)]
        if xe != ye { return !xe }
        return (x.row, x.column) < (y.row, y.column)
    }

    private func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < n, before(heap[l], heap[best]) { best = l }
            if r < n, before(heap[r], heap[best]) { best = r }
            if best == i { return }
            heap.swapAt(i, best); i = best
        }
    }
}

/// Rank stability under weight uncertainty: the weights are drawn from a Dirichlet
/// distribution centred on the given weights (concentration α: Dir(α·ŵ), mean ŵ), the
/// pool's scores recomputed, and the top-N-with-spacing rule applied per sample; a site's
/// stability is the fraction of samples in which it is selected again. This is the
/// stochastic multicriteria acceptability analysis of Lahdelma, Hokkanen & Salminen (SMAA,
/// EJOR 106, 1998) with weights sampled around a preference rather than uniformly (as in
/// Tervonen & Lahdelma 2007). Gamma variates by Marsaglia & Tsang (ACM TOMS 26, 2000) from
/// GeoCore's SplitMix64, so a seed gives the same answer on every machine.
public struct Sensitivity: Sendable {
    /// Per-criterion scores of the pool cells (pool × d, row-major), weights (d).
    public var scores: [[Double]]
    public var weights: [Double]
    public var concentration: Double
    /// For each pool cell, the pool cells closer than the spacing (precomputed once).
    public var conflicts: [[Int]]

    public init(scores: [[Double]], weights: [Double], concentration: Double, conflicts: [[Int]]) {
        self.scores = scores; self.weights = weights; self.concentration = concentration; self.conflicts = conflicts
    }

    /// How often each pool cell is among the `top` selected, over `samples` weight draws.
    /// O(samples · (P·d + P log P)).
    public func selectionFrequency(samples: Int, top: Int, seed: UInt64) -> [Double] {
        let p = scores.count, d = weights.count
        guard p > 0, samples > 0 else { return [Double](repeating: 0, count: p) }
        let total = weights.reduce(0, +)
        var rng = SplitMix64(seed: seed)
        var counts = [Int](repeating: 0, count: p)
        var totals = [Double](repeating: 0, count: p)
        var order = Array(0..<p)
        var blocked = [Bool](repeating: false, count: p)
        var w = [Double](repeating: 0, count: d)
        for _ in 0..<samples {
            var sum = 0.0
            for k in 0..<d {
                w[k] = weights[k] > 0 ? Self.gamma(shape: concentration * weights[k] / total, &rng) : 0
                sum += w[k]
            }
            if sum <= 0 { continue }
            for i in 0..<p {
                var s = 0.0
                let row = scores[i]
                for k in 0..<d where w[k] > 0 { s += w[k] * row[k] }
                totals[i] = s / sum
            }
            for i in 0..<p { order[i] = i; blocked[i] = false }
            order.sort { totals[$0] != totals[$1] ? totals[$0] > totals[$1] : $0 < $1 }
            var chosen = 0
            for i in order where !blocked[i] {
                counts[i] += 1
                chosen += 1
                if chosen == top { break }
                for j in conflicts[i] { blocked[j] = true }
            }
        }
        return counts.map { Double($0) / Double(samples) }
    }

    /// Gamma(shape, 1) variate (Marsaglia & Tsang 2000; shape < 1 by the boost
    /// Gamma(a) = Gamma(a + 1) · U^(1/a)).
    static func gamma(shape: Double, _ rng: inout SplitMix64) -> Double {
        if shape < 1 {
            let u = max(rng.unit(), 1e-300)
            return gamma(shape: shape + 1, &rng) * libmPow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat {
                x = normal(&rng)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = rng.unit()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if libmLog(max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + libmLog(v)) { return d * v }
        }
    }

    static func normal(_ rng: inout SplitMix64) -> Double {
        // Box–Muller (one of the pair).
        let u1 = max(rng.unit(), 1e-300), u2 = rng.unit()
        return (-2 * libmLog(u1)).squareRoot() * libmCos(2 * Double.pi * u2)
    }
}
