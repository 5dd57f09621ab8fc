import Dispatch
import GeoCore

/// Turning scored cells into the planner's outputs: areas, ranked sites with stability and
/// Pareto flags, cell features, the per-prefecture summary. Works the same on cells
/// scored in this process and on cells read back from `--cells-only` tiles, which is what
/// makes a tiled run byte-identical to a whole one.
public struct SitingAnalysis {
    public var level: MeshCode.Level
    public var options: SitingOptions
    public var active: [Criterion]
    public var cells: [ScoredCell]
    /// The full evaluation of a cell (recomputed by the engine, or read back).
    public var evaluate: (ScoredCell) -> Evaluation
    /// The exact total of a provisional cell (`ScoredCell.isExact` false); nil when every
    /// cell is exact. Ranking resolves cells only as far as the sites and the sensitivity
    /// pool reach; `areas` needs every eligible cell with `upper ≥ minScore` exact.
    public var exactTotal: ((ScoredCell) -> Double)?

    public init(level: MeshCode.Level, options: SitingOptions, active: [Criterion], cells: [ScoredCell],
                evaluate: @escaping (ScoredCell) -> Evaluation, exactTotal: ((ScoredCell) -> Double)? = nil) {
        self.level = level; self.options = options; self.active = active; self.cells = cells; self.evaluate = evaluate
        self.exactTotal = exactTotal
    }

    public func code(_ cell: ScoredCell) -> MeshCode { SitingGrid.cell(row: cell.row, column: cell.column, level: level).code }
    public func centre(_ cell: ScoredCell) -> Position { SitingGrid.cell(row: cell.row, column: cell.column, level: level).centre }

    public struct Site {
        public var cell: ScoredCell
        public var evaluation: Evaluation
        public var rank: Int
        public var stability: Double?
        public var pareto: Bool
        public init(cell: ScoredCell, evaluation: Evaluation, rank: Int, stability: Double?, pareto: Bool) {
            self.cell = cell; self.evaluation = evaluation; self.rank = rank; self.stability = stability; self.pareto = pareto
        }
    }

    /// The top sites with stability (when samples > 0) and Pareto flags.
    public func sites() -> [Site] {
        let ranking = CellRanking(cells, exactTotal: exactTotal)
        let chosen = SiteSelection.top(ranking, count: options.top, minSpacingKm: options.minSpacingKm, centre: centre)
        let evaluations = chosen.map(evaluate)
        let vectors = evaluations.map { e in active.map { e.scores[$0.index] } }
        let pareto = SiteSelection.paretoFlags(vectors)
        var stability: [Double?] = Array(repeating: nil, count: chosen.count)
        if options.sensitivitySamples > 0 {
            let freq = stabilityOf(chosen, ranking: ranking)
            stability = freq.map { Optional($0) }
        }
        return chosen.indices.map {
            Site(cell: chosen[$0], evaluation: evaluations[$0], rank: $0 + 1, stability: stability[$0], pareto: pareto[$0])
        }
    }

    /// The sensitivity pool: the best `sensitivityPool` eligible cells plus the sites.
    func stabilityOf(_ sites: [ScoredCell], ranking: CellRanking) -> [Double] {
        var pool: [ScoredCell] = []
        while pool.count < options.sensitivityPool, let c = ranking.cell(at: pool.count) { pool.append(c) }
        for s in sites where !pool.contains(where: { $0.row == s.row && $0.column == s.column }) { pool.append(s) }
        let sensitivity = Sensitivity.make(pool: pool, active: active, options: options, evaluate: evaluate, centre: centre)
        let freq = sensitivity.selectionFrequency(samples: options.sensitivitySamples, top: options.top, seed: options.seed)
        return sites.map { s in
            let k = pool.firstIndex { $0.row == s.row && $0.column == s.column } ?? 0
            return freq[k]
        }
    }

    public struct Area {
        public var cells: [ScoredCell]
        public var geometry: Geometry
        public var areaKm2: Double
        public var meanScore: Double
        public var maxScore: Double
    }

    /// Contiguous (4-neighbour) eligible cells scoring at least `minScore`, dissolved with
    /// GEOS unary union; largest maximum score first. Components by union–find over the
    /// cells in (row, column) order, each cell joined to its left neighbour and, by a merge
    /// walk along the row below, to the cell under it: O(n α(n)) with no hashing. The unions
    /// run on all cores, one GEOS context per area; each area's geometry is the same
    /// whichever worker computes it. O(n) plus the unions.
    public func areas() throws -> [Area] {
        // Provisional cells that might reach minScore are resolved here unless the caller
        // already did (`SitingEngine.scoreAll(refine:)`).
        let minScore = options.minScore
        var good: [ScoredCell] = []
        for var c in cells where c.eligible && c.upper >= minScore {
            if !c.isExact, let exactTotal { c.total = exactTotal(c); c.upper = c.total }
            if c.total >= minScore { good.append(c) }
        }
        guard !good.isEmpty else { return [] }
        var sets = DisjointSets(count: good.count)
        var below = 0, rowStart = 0   // `below` walks the previous row, which starts at `rowStart`
        var previousRowStart = -1
        for i in good.indices {
            let c = good[i]
            if i > 0 && good[i - 1].row != c.row {
                previousRowStart = good[i - 1].row == c.row - 1 ? rowStart : -1
                rowStart = i
                below = previousRowStart
            }
            if i > rowStart && good[i - 1].column == c.column - 1 { sets.union(i - 1, i) }
            if previousRowStart >= 0 {
                while below < rowStart && good[below].column < c.column { below += 1 }
                if below < rowStart && good[below].column == c.column { sets.union(below, i) }
            }
        }
        // Members of each component in index order, i.e. sorted by (row, column);
        // components in order of their first cell.
        var groupOf = [Int](repeating: -1, count: good.count)
        var groups: [[ScoredCell]] = []
        for i in good.indices {
            let root = sets.find(i)
            if groupOf[root] < 0 { groupOf[root] = groups.count; groups.append([]) }
            groups[groupOf[root]].append(good[i])
        }
        let results = AreaSlots(count: groups.count)
        let level = self.level
        let members = groups
        // Largest components first, so that the workers finish together.
        let order = groups.indices.sorted { groups[$0].count != groups[$1].count ? groups[$0].count > groups[$1].count : $0 < $1 }
        DispatchQueue.concurrentPerform(iterations: order.count) { k in
            let g = order[k]
            results.set(g, Result { try Self.area(members[g], level: level) })
        }
        var result: [Area] = []
        result.reserveCapacity(groups.count)
        for g in groups.indices { result.append(try results.get(g)) }
        result.sort { a, b in
            if a.maxScore != b.maxScore { return a.maxScore > b.maxScore }
            return (a.cells[0].row, a.cells[0].column) < (b.cells[0].row, b.cells[0].column)
        }
        return result
    }

    /// One area from its cells (sorted by row, column). Each row's runs of adjacent cells
    /// become one rectangle (with the cells' own corner coordinates) before the union:
    /// about ten times fewer GEOS inputs. Areas are exact for latitude/longitude
    /// quadrangles (JIS X 0410 cells are). GEOS work in a context of its own (thread-safe).
    static func area(_ memberCells: [ScoredCell], level: MeshCode.Level) throws -> Area {
        func code(_ c: ScoredCell) -> MeshCode { SitingGrid.cell(row: c.row, column: c.column, level: level).code }
        var parts: [[[Position]]] = []
        var km2 = 0.0
        var runStart = 0
        for k in memberCells.indices {
            let next = k + 1
            if next < memberCells.count, memberCells[next].row == memberCells[k].row,
               memberCells[next].column == memberCells[k].column + 1 { continue }
            let first = code(memberCells[runStart]), last = code(memberCells[k])
            parts.append([[Position(first.west, first.south), Position(last.east, first.south),
                           Position(last.east, first.north), Position(first.west, first.north),
                           Position(first.west, first.south)]])
            km2 += Ellipsoid.quadrangleAreaKm2(south: first.south, north: first.north, west: first.west, east: last.east)
            runStart = next
        }
        let union = parts.count == 1 ? Geometry.polygon(parts[0]) : try GEOSContext().unaryUnion(.multiPolygon(parts))
        let scores = memberCells.map(\.total)
        return Area(cells: memberCells, geometry: union, areaKm2: km2,
                    meanScore: scores.reduce(0, +) / Double(scores.count), maxScore: scores.max() ?? 0)
    }

    func key(_ r: Int32, _ c: Int32) -> Int64 { Int64(r) << 32 | Int64(UInt32(bitPattern: c)) }

    /// Cells excluded by each constraint (a cell excluded by two counts for both).
    public func exclusionCounts() -> [Constraint: Int] {
        var counts: [Constraint: Int] = [:]
        for c in cells where !c.eligible {
            for k in Constraint.allCases where c.excludedBits & k.bit != 0 { counts[k, default: 0] += 1 }
        }
        return counts
    }
}

extension Sensitivity {
    static func make(pool: [ScoredCell], active: [Criterion], options: SitingOptions,
                     evaluate: (ScoredCell) -> Evaluation, centre: (ScoredCell) -> Position) -> Sensitivity {
        let scores = pool.map { c in let e = evaluate(c); return active.map { e.scores[$0.index] } }
        let weights = active.map { max(options.weights[$0] ?? 0, 0) }
        let centres = pool.map(centre)
        let tree = PointIndex(centres)
        // Closer than the spacing: geodesic ≤ the next double below it, which the index
        // settles mostly from chord bounds (a geodesic only near the radius).
        let below = options.minSpacingKm.nextDown
        let conflicts = centres.indices.map { i in tree.within(km: below, of: centres[i]).filter { $0 != i } }
        return Sensitivity(scores: scores, weights: weights, concentration: options.sensitivityConcentration,
                           conflicts: conflicts)
    }
}

/// The mapping between global cell indices and mesh codes/centres at a level, the same in
/// every process (tiles, whole runs, cells read back).
public enum SitingGrid {
    public static func cell(row: Int32, column: Int32, level: MeshCode.Level) -> (code: MeshCode, centre: Position) {
        let n = level.cellsPerFirstLevel.rows
        let tileRow = Int(row) / n, tileCol = Int(column) / n
        let tile = MeshCode(level: .first, row: tileRow, column: tileCol)
        let centre = tile.grid(level: level).centre(row: Int(row) - tileRow * n, column: Int(column) - tileCol * n)
        return (MeshCode(level: level, row: Int(row), column: Int(column)), centre)
    }
}

/// Areas computed by concurrent workers, each written to its own slot (no two workers share
/// a slot; slots are read after all workers are done).
final class AreaSlots: @unchecked Sendable {
    private var slots: [Result<SitingAnalysis.Area, any Error>?]
    private let lock = DispatchSemaphore(value: 1)
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ r: Result<SitingAnalysis.Area, any Error>) { lock.wait(); slots[k] = r; lock.signal() }
    func get(_ k: Int) throws -> SitingAnalysis.Area {
        lock.wait(); let r = slots[k]; lock.signal()
        guard let r else { throw GEOSError(message: "area \(k) was not computed") }
        return try r.get()
    }
}
