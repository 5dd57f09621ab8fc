import FiberCoverage
import GeoCore
import PlannerKit
import Siting

// wattbit-siting: where new GW-class data-centre capacity should go. A thin shell over the
// Siting engine: it loads the embedded geodata and the user's layers, hands values to the
// engine and returns features. The population CSV is read with FiberCoverage's e-Stat
// mesh reader (the one `wattbit gaps` uses).

struct SitingPlanner: Planner {
    static let criteriaList = Criterion.allCases.map(\.rawValue).joined(separator: ", ")

    static let manifest = Manifest(
        name: "siting",
        version: "1.0.0",
        summary: "Where new GW-class data-centre capacity should go: a weighted overlay of power, communications, resilience and dispersal criteria over every land mesh cell",
        description: """
            Scores every JIS X 0410 cell on Japanese land at --mesh-level (or --candidates) by \
            a weighted linear combination of value functions (MCDA, Malczewski 1999): distance \
            to power stations and decarbonised MW within --decarbonised-radius-km \
            (power-plants.geojson), distance to 500/275 kV substations (substations.geojson), \
            grid headroom (--grid-capacity), distance to landing stations outside Boso/Shima, \
            distance to IXs (ix.geojson), fiber RTT to Tokyo and Osaka (shared fiber model, \
            4.9 us/km x --route-factor), people within --population-rtt-ms (--population), \
            distance from earthquake source regions and trench axes (hazards.geojson), \
            outside the Tokyo/Osaka metro areas, and a --factor layer. Distances are geodesic \
            (GRS80). Hard constraints (metro areas by default, --exclude, --min-available-mw, \
            --max-rtt-ms) exclude cells and are named per cell. Outputs the --top sites at \
            least --min-spacing-km apart (role site) with every raw value and score, a Pareto \
            flag and, with --sensitivity N, the fraction of N Dirichlet weight samples in which \
            each site stays in the top (SMAA, Lahdelma et al. 1998); contiguous areas scoring at \
            least --min-score (role area); every cell with --with-cells (role cell). Criteria: \
            \(criteriaList).
            """,
        inputs: [
            InputSpec(name: "candidates",
                      description: "Candidate places (Points or Polygons; optional id/name) instead of every land mesh cell.",
                      geometryTypes: ["Point", "Polygon", "MultiPolygon"], required: false),
            InputSpec(name: "population",
                      description: "e-Stat style mesh CSV (KEY_CODE, population) giving demand for the population criterion.",
                      formats: [.csv], required: false),
            InputSpec(name: "grid_capacity",
                      description: "Grid headroom: Polygons or Points with available_mw (e.g. a utility's welcome-zone map).",
                      geometryTypes: ["Point", "Polygon", "MultiPolygon"], requiredProperties: ["available_mw"], required: false),
            InputSpec(name: "exclude",
                      description: "Polygons no site may occupy (parks, flood zones, …): cells inside are excluded.",
                      geometryTypes: ["Polygon", "MultiPolygon"], required: false),
            InputSpec(name: "from_cells",
                      description: "Cells written by --cells-only runs (RFC 8142 or FeatureCollection): compute areas, sites and sensitivity from them.",
                      geometryTypes: ["Polygon"], required: false),
        ],
        parameters: SitingParameter.all,
        outputs: [
            OutputSpec(format: .geojson,
                       roles: ["site": ["Point"], "area": ["Polygon", "MultiPolygon"], "cell": ["Polygon", "Point", "MultiPolygon"],
                               "explain": ["Point"]],
                       description: "site (by rank): rank, name, mesh_code, prefecture_code, score, pareto, stability, robust, every criterion's raw value and score_<criterion>, excluded_cells_<constraint>; area: id, cells, area_km2, mean_score, max_score; cell (--with-cells): mesh_code, prefecture_code, score, eligible, excluded_by, raw values and scores"),
            OutputSpec(format: .text, description: "The first-level meshes holding Japanese land, one 4-digit code per line (input for GNU parallel)",
                       when: SitingParameter.listTiles),
            OutputSpec(format: .geojsonseq, roles: ["cell": ["Polygon"]],
                       description: "Only the scored cells (properties as role cell above); sequences from several tiles concatenate into one --from-cells input",
                       when: SitingParameter.cellsOnly),
        ],
        examples: [
            "wattbit siting --top 10 --sensitivity 200 > sites.geojson",
            "wattbit siting --explain 141.35,43.17",
            "wattbit siting --weights decarbonised_mw=4,ix_km=0.5 --max-rtt-ms 12 --summary by-prefecture.csv",
            "wattbit siting --list-tiles | parallel wattbit siting --tile {} --cells-only | wattbit siting --from-cells - > sites.geojson",
        ])

    func run(_ inputs: PlannerInputs, _ parameters: PlannerParameters,
             progress: ProgressReporter) async throws -> PlannerOutput {
        var options = try Self.options(parameters)
        if parameters[SitingParameter.listTiles] || parameters[SitingParameter.cellsOnly] {
            let mode = parameters[SitingParameter.listTiles] ? "--list-tiles" : "--cells-only"
            for (flag, given) in [("--from-cells", inputs.isProvided("from_cells")), ("--candidates", inputs.isProvided("candidates")),
                                  ("--explain", parameters[SitingParameter.explain] != nil)] where given {
                throw PlannerError.usage("\(mode) cannot be combined with \(flag)")
            }
            if parameters[SitingParameter.listTiles] && parameters[SitingParameter.cellsOnly] {
                throw PlannerError.usage("--list-tiles cannot be combined with --cells-only")
            }
        }
        if inputs.isProvided("from_cells") {
            return try fromCells(inputs, parameters, options: options, progress: progress)
        }
        progress.update(0, stage: "layers")
        let layers = try SitingLayerLoader.load(inputs, parameters, options: &options, progress: progress)
        let engine: SitingEngine
        do { engine = try SitingEngine(layers: layers, options: options) } catch let e as SitingOptionError {
            throw PlannerError.usage(e.message(naming: SitingParameter.flag))
        }
        if parameters[SitingParameter.listTiles] {
            let text = engine.tiles().map(\.code).joined(separator: "\n") + "\n"
            return PlannerOutput(document: Array(text.utf8))
        }
        if let explain = parameters[SitingParameter.explain] {
            return try self.explain(explain, engine: engine, progress: progress)
        }
        if inputs.isProvided("candidates") {
            return try candidates(inputs, engine: engine, parameters: parameters, progress: progress)
        }
        var tiles: [MeshCode]? = nil
        if let list = parameters[SitingParameter.tile] {
            var codes: [MeshCode] = []
            for tile in list.split(separator: ",").map(String.init) {
                guard tile.count == 4, let code = try? MeshCode(tile) else {
                    throw PlannerError.usage("--tile '\(tile)': expected a JIS X 0410 first-level mesh code of 4 digits (see --list-tiles)")
                }
                if !codes.contains(code) { codes.append(code) }
            }
            tiles = codes
        }
        progress.update(0, stage: "score")
        if parameters[SitingParameter.cellsOnly] {
            // Tile by tile (sorted by code), each tile's cells row-major with their exact
            // evaluation from the tile's own pass: no per-cell re-evaluation. --from-cells
            // sorts cells itself, so the order never changes its result.
            let list = (tiles ?? engine.tiles()).sorted()
            var features: [Feature] = []
            for (k, tile) in list.enumerated() {
                engine.forEachLandCell(tile) { row, column, _, evaluation, _ in
                    features.append(SitingFeatures.cell(code: engine.cell(row: row, column: column).code, evaluation: evaluation))
                }
                progress.update(Double(k + 1) / Double(max(list.count, 1)), stage: "score")
            }
            return PlannerOutput(FeatureCollection(features), summary: "\(features.count) cells")
        }
        let callback = progress.callback
        // Filter and refine: cells are first scored from distance bounds (no geodesic
        // inverse), and made exact only where the output depends on them, in the same pass
        // (the chord-nearest points still at hand): every eligible cell for --summary, the
        // eligible cells that may reach --min-score for the areas; for the sites, the
        // ranking resolves the rest only as far down as the greedy choice and the
        // sensitivity pool read. Outputs are identical to scoring every cell exactly.
        let sitesOnly = parameters[SitingParameter.sitesOnly]
        let refine: SitingEngine.Refinement
        if !layers.gridPolygons.isEmpty || !layers.factorPolygons.isEmpty {
            // A cell's exact total then needs a polygon scan of its own, so every cell is
            // scored exactly in its tile's pass instead.
            refine = .all
        } else if !(parameters[SitingParameter.summary] ?? "").isEmpty {
            refine = .eligible(minUpper: -.infinity)
        } else if !sitesOnly {
            refine = .eligible(minUpper: options.minScore)
        } else {
            refine = .none
        }
        let cells = engine.scoreAll(tiles: tiles, refine: refine) { callback($0, "score") }
        let analysis = SitingAnalysis(level: options.level, options: options, active: engine.active, cells: cells,
                                      evaluate: engine.evaluation(of:), exactTotal: engine.exactTotal(of:))
        let names = Dictionary(uniqueKeysWithValues: layers.prefectures.map { ($0.name, SitingLayerLoader.prefectureName($0.name)) })
        return try report(analysis, parameters: parameters, progress: progress, names: names,
                          prefectureOf: { layers.prefectures[Int($0.prefecture)].name },
                          cellFeature: { c in SitingFeatures.cell(code: engine.cell(row: c.row, column: c.column).code, evaluation: engine.evaluation(of: c)) })
    }

    static func options(_ parameters: PlannerParameters) throws -> SitingOptions {
        var o = SitingOptions(
            level: parameters[SitingParameter.meshLevel].level,
            decarbonisedRadiusKm: parameters[SitingParameter.decarbonisedRadiusKm],
            routeFactor: parameters[SitingParameter.routeFactor],
            populationRTTMs: parameters[SitingParameter.populationRTTMs],
            gridRadiusKm: parameters[SitingParameter.gridRadiusKm],
            excludeMetro: parameters[SitingParameter.excludeMetro],
            minAvailableMW: parameters[SitingParameter.minAvailableMW],
            maxRTTMs: parameters[SitingParameter.maxRTTMs],
            top: parameters[SitingParameter.top],
            minSpacingKm: parameters[SitingParameter.minSpacingKm],
            minScore: parameters[SitingParameter.minScore],
            sensitivitySamples: parameters[SitingParameter.sensitivity],
            sensitivityPool: parameters[SitingParameter.sensitivityPool],
            sensitivityConcentration: parameters[SitingParameter.concentration],
            seed: UInt64(parameters[SitingParameter.seed]))
        do {
            if let w = parameters[SitingParameter.weights] { o.weights.merge(try CriterionSpec.weights(w)) { $1 } }
            if let t = parameters[SitingParameter.thresholds] { o.functions.merge(try CriterionSpec.thresholds(t)) { $1 } }
        } catch let e as SitingOptionError {
            throw PlannerError.usage(e.message(naming: SitingParameter.flag))
        }
        return o
    }

    func report(_ analysis: SitingAnalysis, parameters: PlannerParameters, progress: ProgressReporter,
                names: [String: String], prefectureOf: (ScoredCell) -> String,
                cellFeature: (ScoredCell) -> Feature) throws -> PlannerOutput {
        let sitesOnly = parameters[SitingParameter.sitesOnly]
        var areas: [SitingAnalysis.Area] = []
        if !sitesOnly {   // --sites-only writes no areas: skip the unions
            progress.update(0, stage: "areas")
            areas = try analysis.areas()
        }
        progress.update(0, stage: "sites")
        let sites = analysis.sites()
        let exclusions = analysis.exclusionCounts()
        var features: [Feature] = []
        for s in sites {
            let cell = SitingGrid.cell(row: s.cell.row, column: s.cell.column, level: analysis.level)
            features.append(SitingFeatures.site(s, code: cell.code, centre: cell.centre, exclusions: exclusions,
                                                samples: analysis.options.sensitivitySamples))
        }
        if !sitesOnly { for (k, a) in areas.enumerated() { features.append(SitingFeatures.area(a, id: k + 1)) } }
        if parameters[SitingParameter.withCells] && !sitesOnly { for c in analysis.cells { features.append(cellFeature(c)) } }
        var side: [PlannerOutput.SideFile] = []
        if let path = parameters[SitingParameter.summary], !path.isEmpty {
            side.append(.init(path: path, contents: SitingFeatures.summaryCSV(analysis, prefectureOf: prefectureOf, names: names, sites: sites)))
        }
        let eligible = analysis.cells.reduce(0) { $0 + ($1.eligible ? 1 : 0) }
        var text = "\(analysis.cells.count) cells, \(eligible) eligible; \(sites.count) sites"
            + (sitesOnly ? "" : ", \(areas.count) areas ≥ \(analysis.options.minScore)")
        if let best = sites.first { text += "; best \(best.evaluation.prefecture) score \(SitingFeatures.rounded(best.evaluation.total, 3))" }
        return PlannerOutput(FeatureCollection(features), sideFiles: side, summary: text)
    }

    func explain(_ text: String, engine: SitingEngine, progress: ProgressReporter) throws -> PlannerOutput {
        let parts = text.split(separator: ",").map { Double(String($0).trimmedSpaces()) }
        guard parts.count == 2, let lon = parts[0], let lat = parts[1], lon.isFinite, lat.isFinite else {
            throw PlannerError.usage("--explain '\(text)': expected LON,LAT in degrees, e.g. 141.35,43.17")
        }
        let p = Position(lon, lat)
        guard MeshCode.covers(p), let e = engine.evaluate(p) else {
            throw PlannerError.data("--explain \(text): not on Japanese land (no prefecture of geodata/prefectures.geojson contains it)")
        }
        let code = MeshCode(containing: p, level: engine.options.level)
        progress.summary(SitingFeatures.explanation(e, at: p, code: code, options: engine.options, active: engine.active))
        var f = SitingFeatures.cell(code: code, evaluation: e)
        f.geometry = Geometry.point(p)
        f[property: "role"] = "explain"
        return PlannerOutput(FeatureCollection([f]))
    }

    func candidates(_ inputs: PlannerInputs, engine: SitingEngine, parameters: PlannerParameters,
                    progress: ProgressReporter) throws -> PlannerOutput {
        let label = SitingLayerLoader.label(inputs, "candidates")
        let features = try inputs.features("candidates")?.features ?? []
        var out: [(Feature, Evaluation, Position)] = []
        for (i, f) in features.enumerated() {
            guard let g = f.geometry, let p = SitingLayerLoader.representativePoint(g) else {
                throw PlannerError.data("\(label): features[\(i)] has no Point or Polygon geometry")
            }
            guard MeshCode.covers(p), let e = engine.evaluate(p) else {
                throw PlannerError.data("\(label): features[\(i)] at \(p.lon),\(p.lat) is not on Japanese land")
            }
            out.append((f, e, p))
        }
        // Rank eligible candidates by score (ties by input order), spacing applies.
        let order = out.indices.filter { out[$0].1.eligible }.sorted { out[$0].1.total != out[$1].1.total ? out[$0].1.total > out[$1].1.total : $0 < $1 }
        var chosen: [Int] = []
        for i in order where chosen.count < engine.options.top {
            if chosen.contains(where: { Geodesic.distanceKm(out[$0].2, out[i].2) < engine.options.minSpacingKm }) { continue }
            chosen.append(i)
        }
        let vectors = chosen.map { i in engine.active.map { out[i].1.scores[$0.index] } }
        let pareto = SiteSelection.paretoFlags(vectors)
        var result: [Feature] = []
        for (k, i) in chosen.enumerated() {
            let code = MeshCode(containing: out[i].2, level: engine.options.level)
            let site = SitingAnalysis.Site(cell: ScoredCell(row: 0, column: 0, total: out[i].1.total, excludedBits: 0, prefecture: 0),
                                           evaluation: out[i].1, rank: k + 1, stability: nil, pareto: pareto[k])
            var f = SitingFeatures.site(site, code: code, centre: out[i].2, exclusions: [:], samples: 0)
            if let name = out[i].0[property: "name"] ?? out[i].0[property: "id"] { f[property: "name"] = name }
            result.append(f)
        }
        for (f, e, _) in out {
            var cell = f
            var props = SitingFeatures.cell(code: MeshCode(containing: out[0].2, level: engine.options.level), evaluation: e).properties ?? JSONObject()
            props["mesh_code"] = nil
            if let name = f[property: "name"] ?? f[property: "id"] { props["name"] = name }
            cell.properties = props
            result.append(cell)
        }
        return PlannerOutput(FeatureCollection(result), summary: "\(out.count) candidates, \(order.count) eligible, \(chosen.count) sites")
    }

    func fromCells(_ inputs: PlannerInputs, _ parameters: PlannerParameters, options: SitingOptions,
                   progress: ProgressReporter) throws -> PlannerOutput {
        let label = SitingLayerLoader.label(inputs, "from_cells")
        var cells: [ScoredCell] = []
        var evaluations: [Int64: Evaluation] = [:]
        var level: MeshCode.Level?
        var prefectureIndex: [String: UInt8] = [:]
        var prefectureCodes: [String] = []
        var active = Set<Criterion>()
        try inputs.forEachFeature("from_cells") { i, f in
            guard f.role == "cell" else { return }
            let parsed: (code: MeshCode, evaluation: Evaluation)
            do { parsed = try SitingFeatures.parseCell(f) } catch {
                throw PlannerError.data("\(label): features[\(i)]: \(error)")
            }
            if level == nil { level = parsed.code.level }
            guard parsed.code.level == level else {
                throw PlannerError.data("\(label): features[\(i)]: mesh_code \(parsed.code.code) is not at the level of the first cell")
            }
            for c in Criterion.allCases where parsed.evaluation.scores[c.index].isFinite { active.insert(c) }
            let pref = parsed.evaluation.prefecture
            if prefectureIndex[pref] == nil {
                prefectureIndex[pref] = UInt8(truncatingIfNeeded: prefectureCodes.count); prefectureCodes.append(pref)
            }
            let (row, col) = (parsed.code.row, parsed.code.column)
            let total = Self.total(parsed.evaluation, active: Criterion.allCases.filter { parsed.evaluation.scores[$0.index].isFinite }, options: options)
            var e = parsed.evaluation
            e.total = total
            let bits = e.excluded.reduce(UInt8(0)) { $0 | Self.bit($1) }
            let cell = ScoredCell(row: Int32(row), column: Int32(col), total: total, excludedBits: bits, prefecture: prefectureIndex[pref] ?? 0)
            let key = Int64(row) << 32 | Int64(col)
            if evaluations[key] != nil { throw PlannerError.data("\(label): features[\(i)]: mesh_code \(parsed.code.code) repeats") }
            evaluations[key] = e
            cells.append(cell)
        }
        guard let level else { throw PlannerError.data("\(label): no role cell features (write them with --cells-only)") }
        cells.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        var o = options
        o.level = level
        let activeList = Criterion.allCases.filter { active.contains($0) }
        let sum = activeList.reduce(0.0) { $0 + max(o.weights[$1] ?? 0, 0) }
        guard sum > 0 else { throw PlannerError.usage("--weights: the weights of the active criteria sum to 0") }
        let lookup = evaluations
        let analysis = SitingAnalysis(level: level, options: o, active: activeList, cells: cells) { c in
            lookup[Int64(c.row) << 32 | Int64(c.column)] ?? Evaluation(raw: [], scores: [], total: 0, excluded: [], prefecture: "")
        }
        let names = Dictionary(uniqueKeysWithValues: prefectureCodes.map { ($0, SitingLayerLoader.prefectureName($0)) })
        return try report(analysis, parameters: parameters, progress: progress, names: names,
                          prefectureOf: { prefectureCodes[Int($0.prefecture)] },
                          cellFeature: { c in
                              SitingFeatures.cell(code: SitingGrid.cell(row: c.row, column: c.column, level: level).code,
                                                  evaluation: analysis.evaluate(c))
                          })
    }

    /// The weighted sum as the engine computes it (same order, same division), so cells
    /// read back rank exactly as in a whole run.
    static func total(_ e: Evaluation, active: [Criterion], options: SitingOptions) -> Double {
        let sum = active.reduce(0.0) { $0 + max(options.weights[$1] ?? 0, 0) }
        var t = 0.0
        for c in active { t += (options.weights[c] ?? 0) * e.scores[c.index] }
        return sum > 0 ? t / sum : 0
    }

    static func bit(_ c: Constraint) -> UInt8 { UInt8(1) << UInt8(Constraint.allCases.firstIndex(of: c) ?? 0) }
}

extension String {
    func trimmedSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " { s.removeFirst() }
        while let l = s.last, l == " " { s.removeLast() }
        return String(s)
    }
}
