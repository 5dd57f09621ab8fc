import GeoCore

/// GeoJSON features of the siting outputs, and reading cells back (`--from-cells`).
public enum SitingFeatures {
    /// Raw values and scores as properties: `<criterion>` (raw, null when inactive) and
    /// `score_<criterion>`, in the fixed criterion order.
    static func criterionProperties(_ e: Evaluation, into p: inout JSONObject) {
        for c in Criterion.allCases {
            let raw = e.raw[c.index]
            p[c.rawValue] = raw.isFinite ? .number(raw) : .null
        }
        for c in Criterion.allCases {
            let s = e.scores[c.index]
            p["score_" + c.rawValue] = s.isFinite ? .number(s) : .null
        }
    }

    public static func cell(code: MeshCode, evaluation e: Evaluation) -> Feature {
        var p = JSONObject()
        p["role"] = "cell"
        p["mesh_code"] = .string(code.code)
        p["prefecture_code"] = .string(e.prefecture)
        p["score"] = .number(e.total)
        p["eligible"] = .bool(e.eligible)
        p["excluded_by"] = .array(e.excluded.map { .string($0.rawValue) })
        criterionProperties(e, into: &p)
        return Feature(geometry: code.polygon, properties: p)
    }

    public static func site(_ s: SitingAnalysis.Site, code: MeshCode, centre: Position,
                            exclusions: [Constraint: Int], samples: Int) -> Feature {
        var p = JSONObject()
        p["role"] = "site"
        p["rank"] = .number(Double(s.rank))
        p["name"] = .string("site-\(s.rank)")
        p["mesh_code"] = .string(code.code)
        p["prefecture_code"] = .string(s.evaluation.prefecture)
        p["score"] = .number(s.evaluation.total)
        p["pareto"] = .bool(s.pareto)
        if let stability = s.stability {
            p["stability"] = .number(stability)
            p["sensitivity_samples"] = .number(Double(samples))
            p["robust"] = .bool(stability >= 0.5)
        } else {
            p["stability"] = .null
        }
        criterionProperties(s.evaluation, into: &p)
        for c in Constraint.allCases { p["excluded_cells_" + c.rawValue.replacingDashes()] = .number(Double(exclusions[c] ?? 0)) }
        return Feature(geometry: .point(centre), properties: p)
    }

    public static func area(_ a: SitingAnalysis.Area, id: Int) -> Feature {
        var p = JSONObject()
        p["role"] = "area"
        p["id"] = .number(Double(id))
        p["cells"] = .number(Double(a.cells.count))
        p["area_km2"] = .number(a.areaKm2)
        p["mean_score"] = .number(a.meanScore)
        p["max_score"] = .number(a.maxScore)
        return Feature(geometry: a.geometry, properties: p)
    }

    /// Reads a cell feature written by `cell(code:evaluation:)`; throws a message naming the property.
    public static func parseCell(_ f: Feature) throws -> (code: MeshCode, evaluation: Evaluation) {
        guard let codeText = f[property: "mesh_code"]?.stringValue else { throw SitingOptionError("no mesh_code") }
        let code: MeshCode
        do { code = try MeshCode(codeText) } catch { throw SitingOptionError("mesh_code: \(error)") }
        let n = Criterion.allCases.count
        var raw = [Double](repeating: .nan, count: n), scores = [Double](repeating: .nan, count: n)
        for c in Criterion.allCases {
            raw[c.index] = try number(f, c.rawValue)
            scores[c.index] = try number(f, "score_" + c.rawValue)
        }
        guard let total = f[property: "score"]?.doubleValue, total.isFinite else { throw SitingOptionError("score is not a number") }
        var excluded: [Constraint] = []
        for v in f[property: "excluded_by"]?.arrayValue ?? [] {
            guard let s = v.stringValue, let k = Constraint(rawValue: s) else { throw SitingOptionError("excluded_by: unknown constraint \(v)") }
            excluded.append(k)
        }
        let pref = f[property: "prefecture_code"]?.stringValue ?? ""
        return (code, Evaluation(raw: raw, scores: scores, total: total, excluded: excluded, prefecture: pref))
    }

    static func number(_ f: Feature, _ key: String) throws -> Double {
        switch f[property: key] {
        case nil, .null?: return .nan
        case .number(let v)?: return v
        case let other?: throw SitingOptionError("\(key): \(other) is not a number")
        }
    }

    /// Per-prefecture CSV: cells, eligible cells, exclusions by constraint, mean and best
    /// score of eligible cells, cells at or above the area threshold, sites.
    /// `prefectureOf` must depend only on the cell's `prefecture` index (it is asked once
    /// per index). O(cells + prefectures log prefectures).
    public static func summaryCSV(_ analysis: SitingAnalysis, prefectureOf: (ScoredCell) -> String,
                                  names: [String: String], sites: [SitingAnalysis.Site]) -> [UInt8] {
        struct Row { var cells = 0, eligible = 0, above = 0, sites = 0; var excluded: [Int] = Array(repeating: 0, count: Constraint.allCases.count); var sum = 0.0; var best = -1.0 }
        var rows: [String: Row] = [:]
        // Rows in an array, found through each prefecture index's code once (a code that two
        // indices share gets one row, summed in cell order all the same).
        var slots: [Row] = [], slotCodes: [String] = []
        var slotOfCode: [String: Int] = [:]
        var slotOfIndex = [Int](repeating: -1, count: 256)
        for c in analysis.cells {
            var slot = slotOfIndex[Int(c.prefecture)]
            if slot < 0 {
                let code = prefectureOf(c)
                if let known = slotOfCode[code] { slot = known } else {
                    slot = slots.count; slotOfCode[code] = slot; slots.append(Row()); slotCodes.append(code)
                }
                slotOfIndex[Int(c.prefecture)] = slot
            }
            slots[slot].cells += 1
            if c.eligible {
                slots[slot].eligible += 1; slots[slot].sum += c.total; slots[slot].best = max(slots[slot].best, c.total)
                if c.total >= analysis.options.minScore { slots[slot].above += 1 }
            }
            if c.excludedBits != 0 {
                for (k, constraint) in Constraint.allCases.enumerated() where c.excludedBits & constraint.bit != 0 { slots[slot].excluded[k] += 1 }
            }
        }
        for (k, code) in slotCodes.enumerated() { rows[code] = slots[k] }
        for s in sites { rows[s.evaluation.prefecture, default: Row()].sites += 1 }
        var text = "prefecture_code,prefecture,cells,eligible_cells,"
            + Constraint.allCases.map { "excluded_" + $0.rawValue.replacingDashes() }.joined(separator: ",")
            + ",mean_score,max_score,cells_above_min_score,sites\n"
        for code in rows.keys.sorted() {
            guard let r = rows[code] else { continue }
            let mean = r.eligible > 0 ? String(r.sum / Double(r.eligible)) : ""
            let best = r.eligible > 0 ? String(r.best) : ""
            text += "\(code),\(names[code] ?? ""),\(r.cells),\(r.eligible),\(r.excluded.map(String.init).joined(separator: ",")),\(mean),\(best),\(r.above),\(r.sites)\n"
        }
        return Array(text.utf8)
    }

    /// A person-readable account of one place's score (for --explain).
    public static func explanation(_ e: Evaluation, at p: Position, code: MeshCode, options: SitingOptions,
                                   active: [Criterion]) -> String {
        var lines = ["\(p.lon),\(p.lat): mesh \(code.code), prefecture \(e.prefecture), score \(rounded(e.total, 4))"
                     + (e.eligible ? "" : " — EXCLUDED by " + e.excluded.map(\.rawValue).joined(separator: ", "))]
        let weightSum = active.reduce(0.0) { $0 + (options.weights[$1] ?? 0) }
        for c in Criterion.allCases {
            guard active.contains(c) else { lines.append("  \(c.rawValue): inactive (no layer)"); continue }
            let w = options.weights[c] ?? 0
            let f = options.functions[c] ?? SitingDefaults.functions[c] ?? .step(threshold: 1)
            let s = e.scores[c.index]
            lines.append("  \(c.rawValue) = \(rounded(e.raw[c.index], 3)) → score \(rounded(s, 3)) (\(f.text)) × weight \(fmt(w)) = \(rounded(w * s / weightSum, 4))")
        }
        return lines.joined(separator: "\n")
    }

    public static func rounded(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "\(x)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return String((x * scale).rounded() / scale)
    }
}

extension String {
    func replacingDashes() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}
