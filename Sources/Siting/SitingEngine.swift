import Dispatch
import GeoCore

/// A cell's score in compact form (32 bytes), so a national 250 m run (≈ 6 M cells) fits
/// in memory; the full `Evaluation` is recomputed for the few cells that are reported.
///
/// A cell is either exact (`total` is its weighted sum, `upper == total`) or provisional:
/// scored by `SitingEngine.scoreAll(tiles:exact: false)` from distance bounds alone, with
/// `total ≤ exact total ≤ upper`; `SitingEngine.exactTotal(of:)` resolves it.
public struct ScoredCell: Sendable, Equatable {
    /// Global JIS X 0410 row (south to north) and column (west to east) at the run's level.
    public var row: Int32
    public var column: Int32
    /// The weighted sum of scores, or a lower bound on it while the cell is provisional.
    public var total: Double
    /// An upper bound on the weighted sum (equal to `total` once exact).
    public var upper: Double
    /// `Constraint` bits that exclude the cell (0 = eligible); always exact.
    public var excludedBits: UInt8
    /// Index into `SitingLayers.prefectures`.
    public var prefecture: UInt8
    /// The polygon layers covering the cell (`SitingEngine` metro, hazard and exclusion
    /// bits), kept so that resolving the cell needs no polygon scan.
    public var polygonBits: UInt8
    public var eligible: Bool { excludedBits == 0 }
    /// The total is the exact weighted sum (bounds that meet are exact: the sum lies between them).
    public var isExact: Bool { total == upper }
    public init(row: Int32, column: Int32, total: Double, excludedBits: UInt8, prefecture: UInt8) {
        self.init(row: row, column: column, total: total, upper: total, excludedBits: excludedBits,
                  prefecture: prefecture, polygonBits: 0)
    }
    public init(row: Int32, column: Int32, total: Double, upper: Double, excludedBits: UInt8, prefecture: UInt8,
                polygonBits: UInt8) {
        self.row = row; self.column = column; self.total = total; self.upper = upper
        self.excludedBits = excludedBits; self.prefecture = prefecture; self.polygonBits = polygonBits
    }
}

/// The weighted-overlay suitability engine (issue 12).
///
/// Problem: score every place in Japan (every JIS X 0410 cell on land at a mesh level, or
/// user candidates) for new GW-class data-centre capacity by the policy's criteria.
/// Method: multi-criteria decision analysis by weighted linear combination of value
/// functions with binary constraints (Malczewski, *GIS and Multicriteria Decision
/// Analysis*, 1999, ch. 6; Eastman et al., "Raster procedures for multi-criteria/multi-
/// objective decisions", PE&RS 61(5), 1995) — the method of ArcGIS Weighted Overlay and
/// WhiteboxTools `WeightedOverlay` — but with exact geodesic distances instead of
/// hand-made distance rasters: nearest-facility distances from GeoCore's `PointIndex`
/// (k-d tree over Earth-centred coordinates, answers confirmed with Karney's geodesic),
/// polygon criteria by scanline fill of the mesh grid (`ScanlineFill`), round trips from
/// the shared fiber model (`FiberLatency`).
/// Scoring every cell is filter and refine: `scoreAll(exact: false)` bounds each cell's
/// total from chord bounds on its distances with no geodesic inverse (`scoreBounds`), and
/// callers make exact only the cells their answer depends on (`resolve`, `CellRanking`).
/// Complexity: O(C·(log F + k)) per cell for C criteria and F facilities (k points within
/// the decarbonised radius), plus O(E + cells) per first-level tile for the polygon
/// layers with E polygon edges; an exact cell costs about C geodesic inverses more. Tiles
/// run in parallel on all cores.
public struct SitingEngine: Sendable {
    public let layers: SitingLayers
    public let options: SitingOptions
    /// Criteria that take part in this run (grid, population and factor only with their layer).
    public let active: [Criterion]
    let plantIndex: PointIndex
    let decarbonisedIndex: PointIndex
    let decarbonisedMW: [Double]
    let substationIndex: PointIndex
    let landingIndex: PointIndex
    let ixIndex: PointIndex
    let hazardIndex: PointIndex
    let gridPointIndex: PointIndex
    let factorPointIndex: PointIndex
    let populationIndex: PointIndex?
    let populationValues: [Double]
    let prefectureBoxes: [BoundingBox?]
    let weightSum: Double
    let tokyoIndex: PointIndex
    let osakaIndex: PointIndex
    /// Distances (km) beyond which a criterion's score no longer changes (`saturation`):
    /// scoring many cells then needs no geodesic for a place farther than that.
    let saturationKm: [Double]
    /// The active criteria's indices, weights and value functions, in `active` order (the
    /// order of the weighted sum), looked up once rather than per cell.
    let activeIndices: [Int]
    let activeCriteria: [Criterion]
    let activeWeights: [Double]
    let activeFunctions: [ValueFunction]

    /// Spacing of the points that stand for hazard lines and region boundaries.
    public static let hazardSpacingKm = 1.0

    public init(layers: SitingLayers, options: SitingOptions) throws {
        self.layers = layers
        self.options = options
        var active = Criterion.allCases
        if !layers.hasGrid { active.removeAll { $0 == .gridMW } }
        if layers.population == nil { active.removeAll { $0 == .population } }
        if !layers.hasFactor { active.removeAll { $0 == .factor } }
        self.active = active
        let sum = active.reduce(0.0) { $0 + max(options.weights[$1] ?? 0, 0) }
        guard sum > 0, sum.isFinite else {
            throw SitingOptionError(.weightsSumToZero(active: active))
        }
        weightSum = sum
        if options.minAvailableMW != nil && !layers.hasGrid {
            throw SitingOptionError(.minAvailableWithoutGrid)
        }
        plantIndex = PointIndex(layers.plants.map(\.position))
        let clean = layers.plants.filter(\.decarbonised)
        decarbonisedIndex = PointIndex(clean.map(\.position))
        decarbonisedMW = clean.map(\.capacityMW)
        substationIndex = PointIndex(layers.substations)
        landingIndex = PointIndex(layers.landings)
        ixIndex = PointIndex(layers.ixs)
        var hazardPoints: [Position] = []
        for line in layers.hazardLines { hazardPoints += Geodesic.densify(line, maxSegmentKm: Self.hazardSpacingKm) }
        for region in layers.hazardRegions {
            for ring in region.rings { hazardPoints += Geodesic.densify(ring, maxSegmentKm: Self.hazardSpacingKm) }
        }
        hazardIndex = PointIndex(hazardPoints)
        gridPointIndex = PointIndex(layers.gridPoints.map(\.position))
        factorPointIndex = PointIndex(layers.factorPoints.map(\.position))
        if let population = layers.population {
            // People aggregated to second-level (≈ 10 km) mesh centres: the radius query
            // then touches hundreds of points, not tens of thousands (error ≤ half a cell
            // diagonal, ≈ 7 km, in where a person is counted).
            var sums: [String: (Position, Double)] = [:]
            for p in population where p.value > 0 && MeshCode.covers(p.position) {
                let code = MeshCode(containing: p.position, level: .second)
                sums[code.code, default: (code.center, 0)].1 += p.value
            }
            let keys = sums.keys.sorted()
            populationIndex = PointIndex(keys.compactMap { sums[$0]?.0 })
            populationValues = keys.compactMap { sums[$0]?.1 }
        } else {
            populationIndex = nil
            populationValues = []
        }
        prefectureBoxes = layers.prefectures.map { Self.box($0.rings) }
        tokyoIndex = PointIndex([SitingOptions.tokyo])
        osakaIndex = PointIndex([SitingOptions.osaka])
        var saturation = [Double](repeating: .infinity, count: Criterion.allCases.count)
        for c in [Criterion.plantKm, .substationKm, .landingKm, .ixKm, .hazardKm] {
            saturation[c.index] = Self.saturation(options.functions[c] ?? SitingDefaults.functions[c])
        }
        for c in [Criterion.rttTokyoMs, .rttOsakaMs] {
            // The RTT also decides --max-rtt-ms, so both must be settled beyond the cutoff.
            var ms = Self.saturation(options.functions[c] ?? SitingDefaults.functions[c])
            if let limit = options.maxRTTMs { ms = max(ms, limit) }
            // A hair wider than the exact inverse of the RTT formula, so rounding in
            // rttMs(distanceKm:) can never put a cell beyond the cutoff below the threshold.
            saturation[c.index] = FiberLatency.radiusKm(rttMs: ms, routeFactor: options.routeFactor) * (1 + 1e-9)
        }
        saturationKm = saturation
        activeIndices = active.map(\.index)
        activeCriteria = active
        activeWeights = active.map { options.weights[$0] ?? 0 }
        activeFunctions = active.map { options.functions[$0] ?? SitingDefaults.functions[$0] ?? .step(threshold: 1) }
    }

    /// The raw value beyond which a value function is constant (0 or 1): for a linear
    /// function the larger threshold, for a step its threshold; +inf when unknown.
    static func saturation(_ f: ValueFunction?) -> Double {
        switch f {
        case .linear(let best, let worst)?: return max(best, worst)
        case .step(let threshold)?: return threshold
        case nil: return .infinity
        }
    }

    static func box(_ rings: [[Position]]) -> BoundingBox? {
        var box: BoundingBox?
        for ring in rings {
            for p in ring {
                if box == nil { box = BoundingBox(minX: p.lon, minY: p.lat, maxX: p.lon, maxY: p.lat) }
                else { box?.include(p) }
            }
        }
        return box
    }

    // MARK: - Tiles

    /// First-level meshes (≈ 80 × 80 km) that hold Japanese land, sorted by code.
    public func tiles() -> [MeshCode] {
        // Keep only tiles with at least one land cell centre at the 1 km grid.
        candidateTiles().filter { tile in
            let labels = prefectureLabels(tile.grid(level: .third), tile: tile)
            return labels.contains { $0 != 0 }
        }
    }

    /// Per-cell prefecture (index + 1; 0 = not Japanese land) of a tile's grid.
    func prefectureLabels(_ grid: RegularGrid, tile: MeshCode) -> [UInt8] {
        var labels = [UInt8](repeating: 0, count: grid.rows * grid.columns)
        let b = tile.bounds
        for (k, pref) in layers.prefectures.enumerated() {
            guard let box = prefectureBoxes[k], box.intersects(b) else { continue }
            ScanlineFill.fill(rings: pref.rings, grid: grid) { row, c0, c1 in
                let base = row * grid.columns
                for c in c0..<c1 where labels[base + c] == 0 { labels[base + c] = UInt8(k + 1) }
            }
        }
        return labels
    }

    /// Per-cell polygon attributes of a grid: a bit mask (metro, hazard region, exclusion)
    /// and the largest grid/factor polygon value covering each cell (NaN = none).
    struct PolygonAttributes {
        var bits: [UInt8]
        var grid: [Double]
        var factor: [Double]
    }
    static let metroBit: UInt8 = 1, hazardBit: UInt8 = 2, excludeBit: UInt8 = 4

    func polygonAttributes(_ grid: RegularGrid) -> PolygonAttributes {
        let n = grid.rows * grid.columns
        var bits = [UInt8](repeating: 0, count: n)
        func burn(_ polygons: [ValuedPolygon], _ bit: UInt8) {
            for p in polygons {
                ScanlineFill.fill(rings: p.rings, grid: grid) { row, c0, c1 in
                    for c in c0..<c1 { bits[row * grid.columns + c] |= bit }
                }
            }
        }
        burn(layers.metro, Self.metroBit)
        burn(layers.hazardRegions, Self.hazardBit)
        burn(layers.exclusions, Self.excludeBit)
        func values(_ polygons: [ValuedPolygon]) -> [Double] {
            guard !polygons.isEmpty else { return [] }
            var v = [Double](repeating: .nan, count: n)
            for p in polygons {
                ScanlineFill.fill(rings: p.rings, grid: grid) { row, c0, c1 in
                    for c in c0..<c1 {
                        let i = row * grid.columns + c
                        if v[i].isNaN || p.value > v[i] { v[i] = p.value }
                    }
                }
            }
            return v
        }
        return PolygonAttributes(bits: bits, grid: values(layers.gridPolygons), factor: values(layers.factorPolygons))
    }

    /// The land cells of one first-level tile at the run's level, scored; row-major from
    /// the south-west. With `exact` false, cells whose total the distance bounds do not
    /// settle stay provisional (`ScoredCell.isExact` false; see `scoreBounds`).
    /// O(cells · C log F).
    public func scoreTile(_ tile: MeshCode, exact: Bool = true) -> [ScoredCell] {
        scoreTile(tile, refine: exact ? .all : .none, labels: nil)
    }

    /// `scoreTile` making exact the cells `refine` wants, with the tile's prefecture labels
    /// at the run's level when already known.
    func scoreTile(_ tile: MeshCode, refine: Refinement, labels known: [UInt8]?) -> [ScoredCell] {
        let grid = tile.grid(level: options.level)
        let labels = known ?? prefectureLabels(grid, tile: tile)
        guard labels.contains(where: { $0 != 0 }) else { return [] }
        let attributes = polygonAttributes(grid)
        let rowBase = Int32(tile.row * grid.rows)
        let colBase = Int32(tile.column * grid.columns)
        var out: [ScoredCell] = []
        out.reserveCapacity(labels.reduce(0) { $0 + ($1 != 0 ? 1 : 0) })
        // Blocks of about 10 × 10 km: the facility indexes are searched once per block for the
        // points its cells can touch (`searchers(for:)`), and each cell scans those.
        let block = max(1, grid.columns / 8)
        let blockColumns = (grid.columns + block - 1) / block
        var locations = [PointIndex.Location?](repeating: nil, count: block * grid.columns)
        // Nearest-point hints for the queries that go to a tree: the previous cell's answer.
        var hints = Hints()
        for band in stride(from: 0, to: grid.rows, by: block) {
            let bandEnd = min(grid.rows, band + block)
            var regions = [PointIndex.Region](repeating: PointIndex.Region(), count: blockColumns)
            for r in band..<bandEnd {
                for c in 0..<grid.columns {
                    let k = (r - band) * grid.columns + c
                    locations[k] = nil
                    guard labels[r * grid.columns + c] != 0, let l = PointIndex.Location(grid.centre(row: r, column: c)) else { continue }
                    locations[k] = l
                    regions[c / block].include(l)
                }
            }
            let searchers = regions.map { $0.isEmpty ? nil : self.searchers(for: $0) }
            for r in band..<bandEnd {
                for c in 0..<grid.columns {
                    let i = r * grid.columns + c
                    let label = labels[i]
                    if label == 0 { continue }
                    let bits = attributes.bits[i]
                    let gridMW = attributes.grid.isEmpty ? Double.nan : attributes.grid[i]
                    let factor = attributes.factor.isEmpty ? Double.nan : attributes.factor[i]
                    var cell = ScoredCell(row: rowBase + Int32(r), column: colBase + Int32(c), total: 0, upper: 0,
                                          excludedBits: 0, prefecture: label - 1, polygonBits: bits)
                    if let location = locations[(r - band) * grid.columns + c], let near = searchers[c / block],
                       let b = scoreBounds(location, bits: bits, gridPolygonMW: gridMW, factorPolygon: factor,
                                           searchers: near, hints: &hints, refine: refine),
                       !(b.refined && b.lower != b.upper) {
                        cell.total = b.lower; cell.upper = b.upper; cell.excludedBits = b.excluded
                    } else {
                        let e = evaluate(grid.centre(row: r, column: c), prefecture: Int(label) - 1, bits: bits,
                                         gridPolygonMW: gridMW, factorPolygon: factor, saturating: true)
                        cell.total = e.total; cell.upper = e.total
                        cell.excludedBits = e.excluded.reduce(0) { $0 | $1.bit }
                    }
                    out.append(cell)
                }
            }
        }
        return out
    }

    /// Calls `body` for every land cell of a tile with its full evaluation (cells output);
    /// with `saturating`, raw distances beyond their criterion's saturation are +inf (the
    /// scores, total and exclusions are the same to the bit; see `evaluate`).
    public func forEachLandCell(_ tile: MeshCode, saturating: Bool = false,
                                _ body: (_ row: Int32, _ column: Int32, _ centre: Position, Evaluation, _ prefecture: UInt8) -> Void) {
        let grid = tile.grid(level: options.level)
        let labels = prefectureLabels(grid, tile: tile)
        guard labels.contains(where: { $0 != 0 }) else { return }
        let attributes = polygonAttributes(grid)
        let rowBase = tile.row * grid.rows
        let colBase = tile.column * grid.columns
        for r in 0..<grid.rows {
            for c in 0..<grid.columns {
                let i = r * grid.columns + c
                let label = labels[i]
                if label == 0 { continue }
                let centre = grid.centre(row: r, column: c)
                let e = evaluate(centre, prefecture: Int(label) - 1, bits: attributes.bits[i],
                                 gridPolygonMW: attributes.grid.isEmpty ? .nan : attributes.grid[i],
                                 factorPolygon: attributes.factor.isEmpty ? .nan : attributes.factor[i],
                                 saturating: saturating)
                body(Int32(rowBase + r), Int32(colBase + c), centre, e, label - 1)
            }
        }
    }

    /// Scores every land cell of all tiles (or the given ones) in parallel; cells sorted
    /// by (row, column). `progress` gets the fraction of tiles done. With `exact` false the
    /// cells may be provisional (bounds on the total; see `scoreBounds`), for callers that
    /// resolve only the cells their answer depends on (`exactTotal(of:)`, `resolve`,
    /// `CellRanking`).
    public func scoreAll(tiles: [MeshCode]? = nil, exact: Bool = true,
                         progress: (@Sendable (Double) -> Void)? = nil) -> [ScoredCell] {
        scoreAll(tiles: tiles, refine: exact ? .all : .none, progress: progress)
    }

    /// `scoreAll` making exact, in the same pass, the cells `refine` wants (the others
    /// provisional): cheaper than `resolve` afterwards, which searches the k-d trees again.
    public func scoreAll(tiles: [MeshCode]? = nil, refine: Refinement,
                         progress: (@Sendable (Double) -> Void)? = nil) -> [ScoredCell] {
        // Without a tile list, the candidate tiles are filtered as `tiles()` does (land at a
        // 1 km cell centre) inside the parallel loop, and at 1 km those labels are reused.
        let list = tiles ?? candidateTiles()
        let filter = tiles == nil
        let results = TileResults(count: list.count)
        let engine = self
        DispatchQueue.concurrentPerform(iterations: list.count) { k in
            var labels: [UInt8]? = nil
            if filter {
                let land = engine.prefectureLabels(list[k].grid(level: .third), tile: list[k])
                if land.contains(where: { $0 != 0 }) {
                    if engine.options.level == .third { labels = land }
                    results.set(k, engine.scoreTile(list[k], refine: refine, labels: labels))
                } else {
                    results.set(k, [])
                }
            } else {
                results.set(k, engine.scoreTile(list[k], refine: refine, labels: nil))
            }
            progress?(results.finishedFraction())
        }
        return Self.merged(results.take(), tiles: list)
    }

    /// Tiles' cells (each row-major from the south-west) in global (row, column) order,
    /// without a sort: the tiles of one band of first-level rows are walked row by row in
    /// column order. Tiles repeated in the list count once. O(cells + tiles log tiles).
    static func merged(_ perTile: [[ScoredCell]], tiles: [MeshCode]) -> [ScoredCell] {
        var seen = Set<MeshCode>()
        let order = tiles.indices.filter { seen.insert(tiles[$0]).inserted && !perTile[$0].isEmpty }
            .sorted { (tiles[$0].row, tiles[$0].column) < (tiles[$1].row, tiles[$1].column) }
        var out: [ScoredCell] = []
        out.reserveCapacity(order.reduce(0) { $0 + perTile[$1].count })
        var start = 0
        while start < order.count {
            var end = start
            while end < order.count && tiles[order[end]].row == tiles[order[start]].row { end += 1 }
            let band = Array(order[start..<end])
            var cursor = [Int](repeating: 0, count: band.count)
            while true {
                // The smallest global row still pending in this band.
                var row = Int32.max
                for (j, t) in band.enumerated() where cursor[j] < perTile[t].count { row = min(row, perTile[t][cursor[j]].row) }
                if row == Int32.max { break }
                for (j, t) in band.enumerated() {
                    let cells = perTile[t]
                    while cursor[j] < cells.count && cells[cursor[j]].row == row { out.append(cells[cursor[j]]); cursor[j] += 1 }
                }
            }
            start = end
        }
        return out
    }

    /// First-level meshes whose bounding boxes meet a prefecture's, sorted by code.
    func candidateTiles() -> [MeshCode] {
        var codes = Set<MeshCode>()
        for box in prefectureBoxes.compactMap({ $0 }) {
            let sw = MeshCode(containing: Position(box.minX, box.minY), level: .first)
            let ne = MeshCode(containing: Position(box.maxX, box.maxY), level: .first)
            for r in sw.row...max(sw.row, ne.row) {
                for c in sw.column...max(sw.column, ne.column) { codes.insert(MeshCode(level: .first, row: r, column: c)) }
            }
        }
        return codes.sorted()
    }

    /// The exact total of a cell (its own total when already exact), bit for bit the total
    /// of `evaluation(of:)`. O(C log F), about C geodesic inverses.
    public func exactTotal(of cell: ScoredCell) -> Double {
        if cell.isExact { return cell.total }
        if !layers.gridPolygons.isEmpty || !layers.factorPolygons.isEmpty { return evaluation(of: cell).total }
        let centre = self.cell(row: cell.row, column: cell.column).centre
        var hints = Hints()
        if let l = PointIndex.Location(centre),
           let b = scoreBounds(l, bits: cell.polygonBits, gridPolygonMW: .nan, factorPolygon: .nan, searchers: wholeSearchers,
                               hints: &hints, refine: .all),
           b.lower == b.upper {
            return b.lower
        }
        return evaluate(centre, prefecture: Int(cell.prefecture), bits: cell.polygonBits, gridPolygonMW: .nan,
                        factorPolygon: .nan, saturating: true).total
    }

    /// Makes every cell that satisfies `predicate` exact, in parallel.
    public func resolve(_ cells: inout [ScoredCell], where predicate: (ScoredCell) -> Bool) {
        let pending = cells.indices.filter { !cells[$0].isExact && predicate(cells[$0]) }
        guard !pending.isEmpty else { return }
        let totals = ResolvedTotals(count: pending.count)
        do {   // the snapshot ends here, so writing back below does not copy the array
            let engine = self, snapshot = cells
            let chunk = 1024
            DispatchQueue.concurrentPerform(iterations: (pending.count + chunk - 1) / chunk) { k in
                for j in k * chunk..<min(pending.count, (k + 1) * chunk) {
                    totals.set(j, engine.exactTotal(of: snapshot[pending[j]]))
                }
            }
        }
        for (j, i) in pending.enumerated() {
            let t = totals.get(j)
            cells[i].total = t; cells[i].upper = t
        }
    }

    /// Bounds on a cell's total with no geodesic inverse for the nearest-facility
    /// distances and round trips (the filter step of filter and refine: PointIndex's chord
    /// bounds, about 0.34 % wide), the other criteria exact. Value functions, the weighted
    /// sum and the division are monotone in floating point, so the exact total of
    /// `evaluate` lies between the two bounds, bit for bit; where a distance is beyond a
    /// threshold both bounds give the same score, so many cells come out exact. nil when
    /// the bounds leave --max-rtt-ms undecided (the caller evaluates exactly).
    /// Nearest-point hints of the bounded queries, one per facility index.
    struct Hints { var plant = -1, substation = -1, landing = -1, ix = -1, hazard = -1 }

    /// The facility indexes as queries from one block of cells see them: each a short list
    /// of the points those cells can touch (`PointIndex.Neighbourhood`, capped at the
    /// criterion's saturation distance), or the whole tree.
    final class Searchers: Sendable {
        let plant, substation, landing, ix, hazard, decarbonised, tokyo, osaka: PointIndex.Neighbourhood
        init(plant: PointIndex.Neighbourhood, substation: PointIndex.Neighbourhood, landing: PointIndex.Neighbourhood,
             ix: PointIndex.Neighbourhood, hazard: PointIndex.Neighbourhood, decarbonised: PointIndex.Neighbourhood,
             tokyo: PointIndex.Neighbourhood, osaka: PointIndex.Neighbourhood) {
            self.plant = plant; self.substation = substation; self.landing = landing; self.ix = ix
            self.hazard = hazard; self.decarbonised = decarbonised; self.tokyo = tokyo; self.osaka = osaka
        }
    }

    /// Every query to the trees (a single cell).
    var wholeSearchers: Searchers {
        Searchers(plant: .init(plantIndex), substation: .init(substationIndex), landing: .init(landingIndex),
                  ix: .init(ixIndex), hazard: .init(hazardIndex), decarbonised: .init(decarbonisedIndex),
                  tokyo: .init(tokyoIndex), osaka: .init(osakaIndex))
    }

    /// Searchers for the cells whose locations `region` holds.
    func searchers(for region: PointIndex.Region) -> Searchers {
        func nearest(_ index: PointIndex, _ c: Criterion) -> PointIndex.Neighbourhood {
            index.nearestNeighbourhood(of: region, capKm: saturationKm[c.index])
        }
        return Searchers(plant: nearest(plantIndex, .plantKm), substation: nearest(substationIndex, .substationKm),
                         landing: nearest(landingIndex, .landingKm), ix: nearest(ixIndex, .ixKm),
                         hazard: nearest(hazardIndex, .hazardKm),
                         decarbonised: decarbonisedIndex.radiusNeighbourhood(of: region, km: options.decarbonisedRadiusKm),
                         // One point each, uncapped: the bounds are the tree's for every cell
                         // (they also decide --max-rtt-ms).
                         tokyo: tokyoIndex.nearestNeighbourhood(of: region), osaka: osakaIndex.nearestNeighbourhood(of: region))
    }

    ///
    /// When `refine` wants the cell, each criterion whose bounds give two different scores gets its exact
    /// raw value (the saturating geodesic query of `evaluate`), so the bounds meet at the
    /// exact total, bit for bit the total of `evaluate`: the same scores summed in the
    /// same order, a settled criterion's score being the same constant at both bounds and
    /// at the exact value. Only the geodesics the total needs are computed.
    func scoreBounds(_ l: PointIndex.Location, bits: UInt8, gridPolygonMW: Double,
                     factorPolygon: Double, searchers: Searchers, hints: inout Hints, refine: Refinement = .none)
        -> (lower: Double, upper: Double, excluded: UInt8, refined: Bool)? {
        let n = Criterion.allCases.count
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n) { buffer in
            guard let lo = buffer.baseAddress else { return nil }
            let hi = lo + n
            for i in 0..<2 * n { lo[i] = .nan }
            func set(_ c: Criterion, _ b: (lowerKm: Double, upperKm: Double)) { lo[c.index] = b.lowerKm; hi[c.index] = b.upperKm }
            func exact(_ c: Criterion, _ v: Double) { lo[c.index] = v; hi[c.index] = v }
            set(.plantKm, searchers.plant.nearestDistanceBounds(to: l, hint: &hints.plant))
            var mw = 0.0
            searchers.decarbonised.forEachWithin(km: options.decarbonisedRadiusKm, of: l) { mw += decarbonisedMW[$0] }
            exact(.decarbonisedMW, mw)
            set(.substationKm, searchers.substation.nearestDistanceBounds(to: l, hint: &hints.substation))
            if layers.hasGrid { exact(.gridMW, gridAvailable(l, polygonMW: gridPolygonMW)) }
            set(.landingKm, searchers.landing.nearestDistanceBounds(to: l, hint: &hints.landing))
            set(.ixKm, searchers.ix.nearestDistanceBounds(to: l, hint: &hints.ix))
            var tokyoHint = -1, osakaHint = -1
            let tokyo = searchers.tokyo.nearestDistanceBounds(to: l, hint: &tokyoHint)
            let osaka = searchers.osaka.nearestDistanceBounds(to: l, hint: &osakaHint)
            let rf = options.routeFactor
            let rtt = (tokyoLow: FiberLatency.rttMs(distanceKm: tokyo.lowerKm, routeFactor: rf),
                       tokyoHigh: FiberLatency.rttMs(distanceKm: tokyo.upperKm, routeFactor: rf),
                       osakaLow: FiberLatency.rttMs(distanceKm: osaka.lowerKm, routeFactor: rf),
                       osakaHigh: FiberLatency.rttMs(distanceKm: osaka.upperKm, routeFactor: rf))
            lo[Criterion.rttTokyoMs.index] = rtt.tokyoLow; hi[Criterion.rttTokyoMs.index] = rtt.tokyoHigh
            lo[Criterion.rttOsakaMs.index] = rtt.osakaLow; hi[Criterion.rttOsakaMs.index] = rtt.osakaHigh
            if let populationIndex { exact(.population, people(l, populationIndex)) }
            if bits & Self.hazardBit != 0 { exact(.hazardKm, 0) } else { set(.hazardKm, searchers.hazard.nearestDistanceBounds(to: l, hint: &hints.hazard)) }
            exact(.outsideMetro, bits & Self.metroBit != 0 ? 0 : 1)
            if layers.hasFactor { exact(.factor, factorValue(l, polygon: factorPolygon)) }
            var excluded: UInt8 = 0
            if options.excludeMetro && bits & Self.metroBit != 0 { excluded |= Constraint.metro.bit }
            if bits & Self.excludeBit != 0 { excluded |= Constraint.exclude.bit }
            if let min = options.minAvailableMW, lo[Criterion.gridMW.index] < min { excluded |= Constraint.minAvailableMW.bit }
            if let max = options.maxRTTMs {
                if Swift.min(rtt.tokyoLow, rtt.osakaLow) > max { excluded |= Constraint.maxRTTMs.bit }
                else if !(Swift.min(rtt.tokyoHigh, rtt.osakaHigh) <= max) { return nil }
            }
            var lower = 0.0, upper = 0.0
            for k in activeIndices.indices {
                let i = activeIndices[k], f = activeFunctions[k], w = activeWeights[k]
                let a = f.score(lo[i]), b = f.score(hi[i])
                lower += w * Swift.min(a, b)
                upper += w * Swift.max(a, b)
            }
            // Bounds that meet are the exact total (see `ScoredCell.isExact`): nothing to refine.
            guard lower / weightSum != upper / weightSum, refine.wants(upper: upper / weightSum, excluded: excluded) else {
                return (lower / weightSum, upper / weightSum, excluded, false)
            }
            // Refine: the criteria whose bounds score differently get their exact raw value,
            // the search continuing from the chord-nearest point the filter step found
            // (`hints`); the sum is then taken again in the same order, each settled
            // criterion's score being the same constant at both bounds and at the exact value.
            lower = 0; upper = 0
            for k in activeIndices.indices {
                let i = activeIndices[k], f = activeFunctions[k], w = activeWeights[k]
                var a = f.score(lo[i]), b = f.score(hi[i])
                if a != b {
                    let s = f.score(exactRaw(activeCriteria[k], l, searchers: searchers, hints: hints))
                    a = s; b = s
                }
                lower += w * Swift.min(a, b)
                upper += w * Swift.max(a, b)
            }
            return (lower / weightSum, upper / weightSum, excluded, true)
        }
    }

    /// Which cells `scoreAll` makes exact in its own pass, while the filter step's
    /// chord-nearest points are at hand (the refine step of filter and refine); the others
    /// stay provisional for callers that resolve only what they read (`CellRanking`).
    public enum Refinement: Sendable {
        /// Every cell exact (`exact: true`).
        case all
        /// Bounds only (`exact: false`).
        case none
        /// Eligible cells whose upper bound reaches `minUpper` (what `--min-score` areas
        /// read; `-infinity` for every eligible cell, what the per-prefecture summary reads).
        case eligible(minUpper: Double)

        @inline(__always)
        func wants(upper: Double, excluded: UInt8) -> Bool {
            switch self {
            case .all: return true
            case .none: return false
            case .eligible(let minUpper): return excluded == 0 && upper >= minUpper
            }
        }
    }

    /// The raw value of a distance or round-trip criterion as `evaluate(saturating: true)`
    /// computes it (the only criteria whose bounds can differ).
    /// `searchers` and `hints` are those of the filter step for `l` (the answer is the
    /// same with any hints; these save the second search). A neighbourhood's cap is the
    /// criterion's saturation distance, the distance this query is limited to.
    func exactRaw(_ c: Criterion, _ l: PointIndex.Location, searchers: Searchers, hints: Hints) -> Double {
        func km(_ index: PointIndex.Neighbourhood, _ hint: Int) -> Double {
            index.nearest(to: l, maxKm: saturationKm[c.index], hint: hint)?.distanceKm ?? .infinity
        }
        func km(_ index: PointIndex, _ hint: Int) -> Double {
            index.nearest(to: l, maxKm: saturationKm[c.index], hint: hint)?.distanceKm ?? .infinity
        }
        switch c {
        case .plantKm: return km(searchers.plant, hints.plant)
        case .substationKm: return km(searchers.substation, hints.substation)
        case .landingKm: return km(searchers.landing, hints.landing)
        case .ixKm: return km(searchers.ix, hints.ix)
        case .hazardKm: return km(searchers.hazard, hints.hazard)
        case .rttTokyoMs: return FiberLatency.rttMs(distanceKm: km(tokyoIndex, 0), routeFactor: options.routeFactor)
        case .rttOsakaMs: return FiberLatency.rttMs(distanceKm: km(osakaIndex, 0), routeFactor: options.routeFactor)
        default: return .nan   // exact already: never asked
        }
    }

    func gridAvailable(_ l: PointIndex.Location, polygonMW: Double) -> Double {
        var available = polygonMW.isNaN ? 0 : polygonMW
        if let near = gridPointIndex.nearest(to: l), near.distanceKm <= options.gridRadiusKm {
            available = max(available, layers.gridPoints[near.index].value)
        }
        return available
    }

    func people(_ l: PointIndex.Location, _ index: PointIndex) -> Double {
        let radius = FiberLatency.radiusKm(rttMs: options.populationRTTMs, routeFactor: options.routeFactor)
        var people = 0.0
        for k in index.within(km: radius, of: l) { people += populationValues[k] }
        return people
    }

    func factorValue(_ l: PointIndex.Location, polygon: Double) -> Double {
        var v = polygon
        if v.isNaN, let near = factorPointIndex.nearest(to: l) { v = layers.factorPoints[near.index].value }
        return v.isNaN ? 0 : v
    }

    // MARK: - One place

    /// Evaluates one place given its polygon attributes. The raw values are the facts a
    /// user would check (km, MW, ms, people); scores follow the value functions.
    ///
    /// With `saturating` (scoring every cell), a nearest-facility distance or an RTT whose
    /// score is surely saturated — the chord lower bound already exceeds the criterion's
    /// `saturationKm` — is not computed but set to +inf, which the value function maps to
    /// the same constant; the exact GRS80 geodesic is computed only for places where the
    /// value matters. Scores, total and exclusions are bit-identical to the exact path.
    func evaluate(_ p: Position, prefecture: Int, bits: UInt8, gridPolygonMW: Double, factorPolygon: Double,
                  saturating: Bool = false) -> Evaluation {
        let n = Criterion.allCases.count
        var raw = [Double](repeating: .nan, count: n)
        var scores = [Double](repeating: .nan, count: n)
        let l = PointIndex.Location(p)
        func nearestKm(_ index: PointIndex, _ c: Criterion) -> Double {
            guard let l else { return .infinity }
            return index.nearest(to: l, maxKm: saturating ? saturationKm[c.index] : .infinity)?.distanceKm ?? .infinity
        }
        raw[Criterion.plantKm.index] = nearestKm(plantIndex, .plantKm)
        var mw = 0.0
        if let l { for k in decarbonisedIndex.within(km: options.decarbonisedRadiusKm, of: l) { mw += decarbonisedMW[k] } }
        raw[Criterion.decarbonisedMW.index] = mw
        raw[Criterion.substationKm.index] = nearestKm(substationIndex, .substationKm)
        if layers.hasGrid {
            raw[Criterion.gridMW.index] = l.map { gridAvailable($0, polygonMW: gridPolygonMW) } ?? (gridPolygonMW.isNaN ? 0 : gridPolygonMW)
        }
        raw[Criterion.landingKm.index] = nearestKm(landingIndex, .landingKm)
        raw[Criterion.ixKm.index] = nearestKm(ixIndex, .ixKm)
        let rttTokyo = FiberLatency.rttMs(distanceKm: nearestKm(tokyoIndex, .rttTokyoMs), routeFactor: options.routeFactor)
        let rttOsaka = FiberLatency.rttMs(distanceKm: nearestKm(osakaIndex, .rttOsakaMs), routeFactor: options.routeFactor)
        raw[Criterion.rttTokyoMs.index] = rttTokyo
        raw[Criterion.rttOsakaMs.index] = rttOsaka
        if let populationIndex {
            raw[Criterion.population.index] = l.map { people($0, populationIndex) } ?? 0
        }
        raw[Criterion.hazardKm.index] = bits & Self.hazardBit != 0 ? 0 : nearestKm(hazardIndex, .hazardKm)
        raw[Criterion.outsideMetro.index] = bits & Self.metroBit != 0 ? 0 : 1
        if layers.hasFactor {
            raw[Criterion.factor.index] = l.map { factorValue($0, polygon: factorPolygon) } ?? (factorPolygon.isNaN ? 0 : factorPolygon)
        }
        var total = 0.0
        for k in activeIndices.indices {
            let i = activeIndices[k]
            let s = activeFunctions[k].score(raw[i])
            scores[i] = s
            total += activeWeights[k] * s
        }
        total /= weightSum
        var excluded: [Constraint] = []
        if options.excludeMetro && bits & Self.metroBit != 0 { excluded.append(.metro) }
        if bits & Self.excludeBit != 0 { excluded.append(.exclude) }
        if let min = options.minAvailableMW, raw[Criterion.gridMW.index] < min { excluded.append(.minAvailableMW) }
        if let max = options.maxRTTMs, Swift.min(rttTokyo, rttOsaka) > max { excluded.append(.maxRTTMs) }
        let code = layers.prefectures.indices.contains(prefecture) ? layers.prefectures[prefecture].name : ""
        return Evaluation(raw: raw, scores: scores, total: total, excluded: excluded, prefecture: code)
    }

    /// Evaluates any place: nil when it is not on Japanese land (no prefecture contains it).
    /// Polygon layers are tested at exactly `p` with the same scanline rule as the tiles.
    public func evaluate(_ p: Position) -> Evaluation? {
        let eps = 1e-9
        let grid = RegularGrid(west: p.lon - eps / 2, south: p.lat - eps / 2, stepLon: eps, stepLat: eps, columns: 1, rows: 1)
        var prefecture = -1
        for (k, pref) in layers.prefectures.enumerated() {
            guard let box = prefectureBoxes[k], box.contains(p) else { continue }
            var inside = false
            ScanlineFill.fill(rings: pref.rings, grid: grid) { _, _, _ in inside = true }
            if inside { prefecture = k; break }
        }
        guard prefecture >= 0 else { return nil }
        let a = polygonAttributes(grid)
        return evaluate(p, prefecture: prefecture, bits: a.bits[0], gridPolygonMW: a.grid.first ?? .nan,
                        factorPolygon: a.factor.first ?? .nan)
    }

    /// The cell of the run's level at a global (row, column), and its centre as the tiles compute it.
    public func cell(row: Int32, column: Int32) -> (code: MeshCode, centre: Position) {
        SitingGrid.cell(row: row, column: column, level: options.level)
    }

    /// Re-evaluates a scored cell in full (for the cells that are reported).
    public func evaluation(of cell: ScoredCell) -> Evaluation {
        let centre = self.cell(row: cell.row, column: cell.column).centre
        let tile = MeshCode(containing: centre, level: .first)
        let grid = tile.grid(level: options.level)
        let r = Int(cell.row) - tile.row * grid.rows, c = Int(cell.column) - tile.column * grid.columns
        let a = polygonAttributes(grid, row: r, column: c)
        return evaluate(centre, prefecture: Int(cell.prefecture), bits: a.bits, gridPolygonMW: a.grid, factorPolygon: a.factor)
    }

    /// The polygon attributes of one cell of a tile grid, decided by the same scanline
    /// arithmetic as `polygonAttributes(grid)` (same origin and steps, the grid cut after
    /// the cell's row and column), so a re-evaluated cell scores exactly as in its tile.
    /// O(E + row + crossings) for E polygon edges.
    func polygonAttributes(_ grid: RegularGrid, row r: Int, column c: Int) -> (bits: UInt8, grid: Double, factor: Double) {
        let window = RegularGrid(west: grid.west, south: grid.south, stepLon: grid.stepLon, stepLat: grid.stepLat,
                                 columns: c + 1, rows: r + 1)
        func covers(_ p: ValuedPolygon) -> Bool {
            var inside = false
            ScanlineFill.fill(rings: p.rings, grid: window) { row, c0, c1 in
                if row == r && c0 <= c && c < c1 { inside = true }
            }
            return inside
        }
        var bits: UInt8 = 0
        if layers.metro.contains(where: covers) { bits |= Self.metroBit }
        if layers.hazardRegions.contains(where: covers) { bits |= Self.hazardBit }
        if layers.exclusions.contains(where: covers) { bits |= Self.excludeBit }
        func value(_ polygons: [ValuedPolygon]) -> Double {
            var v = Double.nan
            for p in polygons where covers(p) { if v.isNaN || p.value > v { v = p.value } }
            return v
        }
        return (bits, value(layers.gridPolygons), value(layers.factorPolygons))
    }
}

func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

/// Per-tile results written by concurrent workers, each to its own slot.
final class TileResults: @unchecked Sendable {
    private var slots: [[ScoredCell]]
    private var done = 0
    private let lock = DispatchSemaphore(value: 1)
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ k: Int, _ cells: [ScoredCell]) {
        lock.wait(); slots[k] = cells; done += 1; lock.signal()
    }
    func finishedFraction() -> Double {
        lock.wait(); defer { lock.signal() }
        return slots.isEmpty ? 1 : Double(done) / Double(slots.count)
    }
    func take() -> [[ScoredCell]] { lock.wait(); defer { lock.signal() }; return slots }
}

/// Exact totals written by concurrent workers, each to its own slot (no two workers share
/// a slot, and the slots are read only after all workers are done).
final class ResolvedTotals: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Double>
    init(count: Int) { slots = .allocate(capacity: count); slots.initialize(repeating: 0) }
    deinit { slots.deallocate() }
    func set(_ k: Int, _ value: Double) { slots[k] = value }
    func get(_ k: Int) -> Double { slots[k] }
}
