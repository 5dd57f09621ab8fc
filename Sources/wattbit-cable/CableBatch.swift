import CableRouting
import Foundation
import GeoCore
import PlannerKit

/// `--pairs FILE` and `--matrix`: many routes over one sea surface. Reading the pairs file,
/// and writing one feature (and one CSV row) per pair; the routing is
/// `CableRouter.planBatch`.
enum CableBatch {
    /// One pair as written in the file, before resolution.
    struct PairText {
        var from: String
        var to: String
        /// Where it came from, for error messages ("pairs.csv:3").
        var location: String
    }

    /// Reads a pairs file: CSV (header with `from`,`to` columns holding anything `--from`
    /// accepts, or `from_lon`,`from_lat`,`to_lon`,`to_lat`), or GeoJSON (each feature a
    /// LineString or MultiPoint from its first to its last position, named by its `from` and
    /// `to` properties when present). Errors name file, line or feature, and column.
    static func readPairs(path: String, bytes: [UInt8]) throws -> [PairText] {
        let shown = path == "-" ? "--pairs -" : "--pairs \(path)"
        let firstByte = bytes.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        if firstByte == UInt8(ascii: "{") || firstByte == 0x1E {
            return try readGeoJSONPairs(shown: shown, bytes: bytes, source: path == "-" ? "<stdin>" : path)
        }
        return try readCSVPairs(shown: shown, bytes: bytes)
    }

    static func readGeoJSONPairs(shown: String, bytes: [UInt8], source: String) throws -> [PairText] {
        let collection: FeatureCollection
        do { collection = try GeoJSONReader.read(bytes: bytes, source: source) } catch let error as GeoJSONError {
            throw PlannerError.data("\(error.description) (input --pairs)")
        }
        var pairs: [PairText] = []
        for (index, feature) in collection.features.enumerated() {
            let points: [Position]
            switch feature.geometry {
            case .lineString(let p)?: points = p
            case .multiPoint(let p)?: points = p
            default:
                let type = feature.geometry?.typeName ?? "null"
                throw PlannerError.data("\(shown): features[\(index)]: geometry is \(type); a pair is a LineString or MultiPoint from its first to its last position")
            }
            guard let a = points.first, let b = points.last, points.count >= 2 else {
                throw PlannerError.data("\(shown): features[\(index)]: a pair needs at least two positions")
            }
            func text(_ p: Position) -> String { "\(p.lon),\(p.lat)" }
            // Names travel as labels only: the geometry says where.
            pairs.append(PairText(from: text(a), to: text(b), location: "\(shown): features[\(index)]"))
        }
        guard !pairs.isEmpty else { throw PlannerError.data("\(shown): no pairs (no features)") }
        return pairs
    }

    static func readCSVPairs(shown: String, bytes: [UInt8]) throws -> [PairText] {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard !text.contains("\u{FFFD}") else { throw PlannerError.data("\(shown): not UTF-8 text") }
        let rows = try parseCSV(text, shown: shown)
        guard let header = rows.first(where: { !$0.fields.allSatisfy(\.isEmpty) }) else {
            throw PlannerError.data("\(shown): empty file; expected a header with from,to or from_lon,from_lat,to_lon,to_lat")
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String) -> Int? { names.firstIndex(of: name) }
        let layout: (Int, Int)?
        let coordinates: (Int, Int, Int, Int)?
        if let f = column("from"), let t = column("to") {
            layout = (f, t)
            coordinates = nil
        } else if let a = column("from_lon"), let b = column("from_lat"), let c = column("to_lon"), let d = column("to_lat") {
            layout = nil
            coordinates = (a, b, c, d)
        } else {
            throw PlannerError.data("\(shown):\(header.line): header has neither from,to nor from_lon,from_lat,to_lon,to_lat columns (found: \(names.joined(separator: ",")))")
        }
        var pairs: [PairText] = []
        for row in rows where row.line > header.line {
            if row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.fields.count == names.count else {
                throw PlannerError.data("\(shown):\(row.line): \(row.fields.count) fields, the header has \(names.count)")
            }
            func field(_ k: Int) -> String { row.fields[k].trimmingCharacters(in: .whitespaces) }
            let location = "\(shown):\(row.line)"
            if let (f, t) = layout {
                for (k, name) in [(f, "from"), (t, "to")] where field(k).isEmpty {
                    throw PlannerError.data("\(location): column \(name) is empty")
                }
                pairs.append(PairText(from: field(f), to: field(t), location: location))
            } else if let (a, b, c, d) = coordinates {
                var values: [Double] = []
                for (k, name, limit) in [(a, "from_lon", 180.0), (b, "from_lat", 90.0), (c, "to_lon", 180.0), (d, "to_lat", 90.0)] {
                    guard let v = Double(field(k)), v.isFinite, abs(v) <= limit else {
                        throw PlannerError.data("\(location): column \(name): '\(field(k))' is not a number within ±\(Int(limit))")
                    }
                    values.append(v)
                }
                pairs.append(PairText(from: "\(values[0]),\(values[1])", to: "\(values[2]),\(values[3])", location: location))
            }
        }
        guard !pairs.isEmpty else { throw PlannerError.data("\(shown): no pairs (only a header)") }
        return pairs
    }

    /// RFC 4180 fields (quoted fields may hold commas, doubled quotes and newlines), with
    /// the line each record starts on.
    static func parseCSV(_ text: String, shown: String) throws -> [(line: Int, fields: [String])] {
        var rows: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1, recordLine = 1
        var quoteLine = 1
        var chars = Array(text.unicodeScalars)[...]
        var fieldStarted = false
        while let c = chars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where !fieldStarted || field.trimmingCharacters(in: .whitespaces).isEmpty:
                inQuotes = true
                quoteLine = line
                field = ""
                fieldStarted = true
            case ",":
                fields.append(field)
                field = ""
                fieldStarted = false
            case "\r":
                continue
            case "\n":
                fields.append(field)
                rows.append((recordLine, fields))
                fields = []
                field = ""
                fieldStarted = false
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(c)
                fieldStarted = true
            }
        }
        if inQuotes { throw PlannerError.data("\(shown):\(quoteLine): unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            rows.append((recordLine, fields))
        }
        return rows
    }

    // MARK: Output

    static func statusName(_ error: CableRoutingError) -> String {
        switch error {
        case .unreachable, .landingEnclosed, .endEnclosed: "unreachable"
        case .landingRefused, .landingBeyondSnap, .landingInConcentrationZone, .noCandidateLands: "landing-refused"
        case .outsideRegion: "outside-region"
        case .invalidRequest, .noRoutesRequested, .tooFewStops: "invalid"
        case .internalInconsistency: "internal-error"
        }
    }

    /// One feature per pair, in input order: the route (`role: route`, with `pair`) or,
    /// when the pair has none, `role: unrouted` with a null geometry and the reason.
    static func features(_ outcomes: [PairOutcome], fromIndex: [Int]?, toIndex: [Int]?) -> [Feature] {
        outcomes.map { outcome in
            switch outcome.result {
            case .success(let plan):
                guard let route = plan.routes.first else { return unrouted(outcome, status: "unreachable", message: "no route",
                                                                           fromIndex: fromIndex, toIndex: toIndex) }
                var feature = CableOutput.routeFeature(route)
                feature.properties?["pair"] = .number(Double(outcome.index + 1))
                if let fromIndex, let toIndex {
                    feature.properties?["from_index"] = .number(Double(fromIndex[outcome.index] + 1))
                    feature.properties?["to_index"] = .number(Double(toIndex[outcome.index] + 1))
                }
                feature.properties?["status"] = "ok"
                return feature
            case .failure(let error):
                return unrouted(outcome, status: statusName(error), message: error.cliMessage, fromIndex: fromIndex, toIndex: toIndex)
            }
        }
    }

    static func unrouted(_ outcome: PairOutcome, status: String, message: String, fromIndex: [Int]?, toIndex: [Int]?) -> Feature {
        var properties = JSONObject()
        properties["role"] = "unrouted"
        properties["pair"] = .number(Double(outcome.index + 1))
        properties["from"] = .string(outcome.pair.from.label)
        properties["to"] = .string(outcome.pair.to.label)
        if let fromIndex, let toIndex {
            properties["from_index"] = .number(Double(fromIndex[outcome.index] + 1))
            properties["to_index"] = .number(Double(toIndex[outcome.index] + 1))
        }
        properties["status"] = .string(status)
        properties["error"] = .string(message)
        return Feature(geometry: nil, properties: properties)
    }

    /// The per-pair table: pair, from, to, length_km, cost, one_way_latency_ms, est_cost_usd,
    /// status, error (RFC 4180; empty numbers for pairs without a route).
    static func csv(_ outcomes: [PairOutcome]) -> [UInt8] {
        func quoted(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var text = "pair,from,to,length_km,cost,one_way_latency_ms,est_cost_usd,status,error\n"
        for outcome in outcomes {
            var row = ["\(outcome.index + 1)", quoted(outcome.pair.from.label), quoted(outcome.pair.to.label)]
            switch outcome.result {
            case .success(let plan) where !plan.routes.isEmpty:
                let r = plan.routes[0]
                row += [String(format: "%.2f", r.lengthKm), String(format: "%.2f", r.cost),
                        String(format: "%.3f", r.oneWayLatencyMs), String(format: "%.0f", r.estimatedCostUSD), "ok", ""]
            case .success:
                row += ["", "", "", "", "unreachable", "no route"]
            case .failure(let error):
                row += ["", "", "", "", statusName(error), quoted(error.cliMessage)]
            }
            text += row.joined(separator: ",") + "\n"
        }
        return Array(text.utf8)
    }
}
