import Foundation
import GeoCore
import Testing

// Golden outputs (Fixtures/golden/): every planner run on small fixtures, its output kept as
// a data file and compared structurally within a numeric tolerance, in the style of GEOS's
// xmltester and PROJ's gie files. The case files and their grammar are described in
// Fixtures/golden/README.md; `tools/golden --regenerate` rewrites the expectations.

/// One block of a `.cases` file.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// Where the block starts, for messages: "hubs.cases:12".
    var origin: String
    /// Executable (`wattbit` or a built `wattbit-NAME`) and its arguments, run in the golden
    /// directory so that relative input paths (and any path the output repeats) are stable.
    var command: [String]
    /// Path of the expected output, relative to the golden directory.
    var expect: String
    /// Numbers agree when |actual − expected| ≤ tolerance × max(1, |expected|).
    var tolerance: Double
    var testDescription: String { name }
}

/// The first difference between an output and its expectation, as a short message.
struct GoldenDifference: Error, CustomStringConvertible {
    var path: String
    var detail: String
    var description: String { "\(path): \(detail)" }
}

enum Golden {
    static let directory = Tool.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/golden").path
    /// `tools/golden --regenerate` sets this: run every case twice, check the two outputs are
    /// the same bytes, and write them as the new expectations.
    static var regenerating: Bool { ProcessInfo.processInfo.environment["WATTBIT_GOLDEN_REGENERATE"] == "1" }

    /// Problems found while reading the case files (reported by `caseFilesAreWellFormed`).
    static let parsed: (cases: [GoldenCase], problems: [String]) = {
        let files = Tool.listDirectory(directory).filter { $0.hasSuffix(".cases") }
        var cases: [GoldenCase] = [], problems: [String] = []
        for file in files {
            guard let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8) else {
                problems.append("\(file): cannot be read as UTF-8 text"); continue
            }
            let (found, wrong) = parse(text, file: file)
            cases += found
            problems += wrong
        }
        return (cases, problems)
    }()
    /// All cases, or those named in $WATTBIT_GOLDEN_CASES (comma-separated; `tools/golden --case`).
    static var cases: [GoldenCase] {
        guard let names = ProcessInfo.processInfo.environment["WATTBIT_GOLDEN_CASES"], !names.isEmpty else {
            return parsed.cases
        }
        let wanted = Set(names.split(separator: ",").map(String.init))
        return parsed.cases.filter { wanted.contains($0.name) }
    }

    /// Reads blocks of the form
    ///
    ///     case NAME
    ///       run        wattbit-hubs run --sites in/hubs-sites.geojson
    ///       expect     expected/NAME.geojson
    ///       tolerance  1e-9
    ///
    /// (`#` starts a comment line; `about` lines are free text for the reader).
    static func parse(_ text: String, file: String) -> ([GoldenCase], [String]) {
        var cases: [GoldenCase] = [], problems: [String] = []
        var current: (name: String, line: Int, fields: [String: String])?
        func finish() {
            guard let block = current else { return }
            let origin = "\(file):\(block.line)"
            guard let run = block.fields["run"], !run.isEmpty else { problems.append("\(origin): case \(block.name) has no run line"); return }
            guard let expect = block.fields["expect"], !expect.isEmpty else { problems.append("\(origin): case \(block.name) has no expect line"); return }
            guard let toleranceText = block.fields["tolerance"], let tolerance = Double(toleranceText),
                  tolerance.isFinite, tolerance >= 0 else {
                problems.append("\(origin): case \(block.name) needs a tolerance (a number ≥ 0)"); return
            }
            cases.append(GoldenCase(name: block.name, origin: origin,
                                    command: run.split(separator: " ").map(String.init),
                                    expect: expect, tolerance: tolerance))
        }
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let key = parts[0], value = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            if key == "case" {
                finish()
                current = (value, index + 1, [:])
            } else if current == nil {
                problems.append("\(file):\(index + 1): \(key) outside a case block")
            } else if ["run", "expect", "tolerance", "about"].contains(key) {
                if key == "about" { continue }
                if current?.fields[key] != nil { problems.append("\(file):\(index + 1): second \(key) line") }
                current?.fields[key] = value
            } else {
                problems.append("\(file):\(index + 1): unknown key \(key)")
            }
        }
        finish()
        return (cases, problems)
    }

    /// Runs a case's command in the golden directory with its own cache directory.
    static func run(_ c: GoldenCase, cacheDirectory: String) throws -> ToolResult {
        guard let executable = c.command.first, executable == "wattbit" || executable.hasPrefix("wattbit-") else {
            throw GoldenDifference(path: c.origin, detail: "run must start with wattbit or wattbit-NAME")
        }
        return try Tool.run(executable, Array(c.command.dropFirst()),
                            environment: ["WATTBIT_CACHE_DIR": cacheDirectory], timeout: 120,
                            workingDirectory: directory)
    }

    // MARK: Comparison

    /// Compares two outputs by the expectation's kind (its extension): GeoJSON structurally,
    /// anything else as text whose numbers may differ within the tolerance.
    static func compare(actual: [UInt8], expected: [UInt8], kind: String, tolerance: Double) throws {
        if kind == "geojson" || kind == "json" {
            let a = try JSONText.parse(actual, source: "output")
            let e = try JSONText.parse(expected, source: "expectation")
            try compare(a, e, path: "", tolerance: tolerance)
        } else {
            try compareText(String(decoding: actual, as: UTF8.self), String(decoding: expected, as: UTF8.self),
                            tolerance: tolerance)
        }
    }

    static func close(_ a: Double, _ e: Double, _ tolerance: Double) -> Bool {
        a == e || abs(a - e) <= tolerance * max(1, abs(e))
    }

    static func short(_ value: JSONValue) -> String {
        let text = String(decoding: JSONText.encode(value), as: UTF8.self)
        return text.count > 60 ? String(text.prefix(57)) + "…" : text
    }

    /// Same members in the same order, same array lengths, equal strings, booleans and nulls,
    /// numbers within the tolerance. Features are named by index and role in the path.
    static func compare(_ a: JSONValue, _ e: JSONValue, path: String, tolerance: Double) throws {
        switch (a, e) {
        case (.number(let x), .number(let y)):
            if !close(x, y, tolerance) {
                throw GoldenDifference(path: path, detail: "\(x) instead of \(y) (tolerance \(tolerance))")
            }
        case (.object(let x), .object(let y)):
            if x.keys != y.keys {
                let missing = y.keys.filter { !x.keys.contains($0) }, extra = x.keys.filter { !y.keys.contains($0) }
                let detail = !missing.isEmpty ? "missing \(missing.prefix(3).joined(separator: ", "))"
                    : !extra.isEmpty ? "unexpected \(extra.prefix(3).joined(separator: ", "))"
                    : "keys in another order: \(x.keys.prefix(6).joined(separator: ",")) instead of \(y.keys.prefix(6).joined(separator: ","))"
                throw GoldenDifference(path: path.isEmpty ? "(top)" : path, detail: detail)
            }
            for member in y.members {
                guard let value = x[member.key] else { continue }
                try compare(value, member.value, path: path + (path.isEmpty ? "" : ".") + member.key, tolerance: tolerance)
            }
        case (.array(let x), .array(let y)):
            if x.count != y.count {
                throw GoldenDifference(path: path, detail: "\(x.count) elements instead of \(y.count)")
            }
            for (index, (value, expected)) in zip(x, y).enumerated() {
                var label = "\(path)[\(index)]"
                if path == "features", case .object(let feature) = expected,
                   case .object(let properties)? = feature["properties"], let role = properties["role"]?.stringValue {
                    label += "(\(role))"
                }
                try compare(value, expected, path: label, tolerance: tolerance)
            }
        default:
            if a != e {
                throw GoldenDifference(path: path, detail: "\(short(a)) instead of \(short(e))")
            }
        }
    }

    /// Text with numbers: everything but the numbers must be equal; numbers within tolerance.
    static func compareText(_ a: String, _ e: String, tolerance: Double) throws {
        let ta = tokens(a), te = tokens(e)
        for (index, (x, y)) in zip(ta, te).enumerated() {
            switch (x, y) {
            case (.number(let p, _), .number(let q, _)) where close(p, q, tolerance):
                continue
            case (.text(let p), .text(let q)) where p == q:
                continue
            default:
                let line = te.prefix(index).reduce(1) { $0 + $1.text.filter { $0 == "\n" }.count }
                throw GoldenDifference(path: "line \(line)",
                                       detail: "\(excerpt(x.text)) instead of \(excerpt(y.text))")
            }
        }
        if ta.count != te.count {
            throw GoldenDifference(path: "end", detail: "\(ta.count) tokens instead of \(te.count)")
        }
    }

    enum Token {
        case text(String)
        case number(Double, String)
        var text: String {
            switch self {
            case .text(let t), .number(_, let t): return t
            }
        }
    }

    static func excerpt(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: "⏎")
        return "\"" + (flat.count > 60 ? String(flat.prefix(57)) + "…" : flat) + "\""
    }

    /// Splits text into runs of non-number text and decimal numbers (with sign, fraction and
    /// exponent). Runs of text are cut at line ends so a difference names its line.
    static func tokens(_ text: String) -> [Token] {
        let bytes = Array(text.utf8)
        var result: [Token] = []
        var i = 0, textStart = 0
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func flushText(_ end: Int) {
            if end > textStart { result.append(.text(String(decoding: bytes[textStart..<end], as: UTF8.self))) }
        }
        while i < bytes.count {
            let b = bytes[i]
            // A number starts at a digit, or at a minus sign before one; letters may precede it
            // (SVG path commands: M1.5L3 4).
            let startsNumber = isDigit(b) || (b == UInt8(ascii: "-") && i + 1 < bytes.count && isDigit(bytes[i + 1]))
            if startsNumber {
                flushText(i)
                var j = i + 1
                while j < bytes.count && isDigit(bytes[j]) { j += 1 }
                if j + 1 < bytes.count && bytes[j] == UInt8(ascii: ".") && isDigit(bytes[j + 1]) {
                    j += 1
                    while j < bytes.count && isDigit(bytes[j]) { j += 1 }
                }
                if j + 1 < bytes.count && (bytes[j] == UInt8(ascii: "e") || bytes[j] == UInt8(ascii: "E")) {
                    var k = j + 1
                    if k < bytes.count && (bytes[k] == UInt8(ascii: "+") || bytes[k] == UInt8(ascii: "-")) { k += 1 }
                    if k < bytes.count && isDigit(bytes[k]) {
                        while k < bytes.count && isDigit(bytes[k]) { k += 1 }
                        j = k
                    }
                }
                let literal = String(decoding: bytes[i..<j], as: UTF8.self)
                result.append(.number(Double(literal) ?? .nan, literal))
                i = j
                textStart = j
            } else {
                i += 1
                if b == UInt8(ascii: "\n") {
                    flushText(i)
                    textStart = i
                }
            }
        }
        flushText(bytes.count)
        return result
    }

    /// An expectation with nothing to compare fails: no bytes, or GeoJSON without features.
    static func emptiness(_ expected: [UInt8], kind: String) -> String? {
        if expected.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return "is empty" }
        if kind == "geojson", let value = try? JSONText.parse(expected, source: "expectation"),
           case .object(let top) = value, case .array(let features)? = top["features"], features.isEmpty {
            return "has no features"
        }
        return nil
    }
}

@Suite("golden outputs")
struct GoldenTests {
    @Test func caseFilesAreWellFormed() {
        #expect(Golden.parsed.problems.isEmpty, "\(Golden.parsed.problems.prefix(5).joined(separator: "; "))")
        let names = Golden.parsed.cases.map(\.name)
        #expect(Set(names).count == names.count, "two cases share a name")
        // Every planner (and the Python plugin) has at least one pinned output.
        for planner in ["cable", "hubs", "gaps", "map", "siting", "latency", "landing-diversity"] {
            #expect(Golden.parsed.cases.contains { $0.command.first == "wattbit-\(planner)"
                        || ($0.command.first == "wattbit" && $0.command.dropFirst().first == planner) },
                    "no golden case runs \(planner)")
        }
        // A name given to `tools/golden --case` must exist, or nothing would be checked.
        if let selected = ProcessInfo.processInfo.environment["WATTBIT_GOLDEN_CASES"], !selected.isEmpty {
            for name in selected.split(separator: ",") where !names.contains(String(name)) {
                Issue.record("no golden case named \(name)")
            }
        }
        // Expectation files nobody refers to are leftovers of renamed cases.
        let referenced = Set(Golden.parsed.cases.map { ($0.expect as NSString).lastPathComponent })
        for file in Tool.listDirectory(Golden.directory + "/expected") where !referenced.contains(file) {
            Issue.record("expected/\(file) belongs to no case")
        }
    }

    @Test("the comparison finds what it should, and only that")
    func comparisonRules() throws {
        func differs(_ a: String, _ e: String, _ kind: String = "geojson", tolerance: Double = 1e-6) -> String? {
            do {
                try Golden.compare(actual: Array(a.utf8), expected: Array(e.utf8), kind: kind, tolerance: tolerance)
                return nil
            } catch { return "\(error)" }
        }
        let fc = #"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[139.5,35.25]},"properties":{"role":"hub","mw":1200}}]}"#
        #expect(differs(fc, fc) == nil)
        #expect(differs(fc.replacingOccurrences(of: "1200", with: "1200.0000001"), fc) == nil)
        #expect(differs(fc.replacingOccurrences(of: "1200", with: "1201"), fc) == "features[0](hub).properties.mw: 1201.0 instead of 1200.0 (tolerance 1e-06)")
        #expect(differs(fc.replacingOccurrences(of: "35.25", with: "35.26"), fc) == "features[0](hub).geometry.coordinates[1]: 35.26 instead of 35.25 (tolerance 1e-06)")
        #expect(differs(fc.replacingOccurrences(of: "\"hub\"", with: "\"site\""), fc) == "features[0](hub).properties.role: \"site\" instead of \"hub\"")
        #expect(differs(fc.replacingOccurrences(of: "\"mw\"", with: "\"capacity_mw\""), fc) == "features[0](hub).properties: missing mw")
        #expect(differs(#"{"type":"FeatureCollection","features":[]}"#, fc) == "features: 0 elements instead of 1")
        // Text: numbers within tolerance, the rest exact; colours and names are text.
        let svg = "<svg width=\"1200\">\n<path d=\"M1.5 -2.25L3 4\" stroke=\"#d62728\"/>\n</svg>\n"
        #expect(differs(svg, svg, "svg") == nil)
        #expect(differs(svg.replacingOccurrences(of: "-2.25", with: "-2.2500001"), svg, "svg") == nil)
        #expect(differs(svg.replacingOccurrences(of: "-2.25", with: "-2.5"), svg, "svg") == "line 2: \"-2.5\" instead of \"-2.25\"")
        #expect(differs(svg.replacingOccurrences(of: "#d62728", with: "#d62729"), svg, "svg") != nil)
        #expect(Golden.emptiness(Array(#"{"type":"FeatureCollection","features":[]}"#.utf8), kind: "geojson") == "has no features")
        #expect(Golden.emptiness(Array("\n".utf8), kind: "svg") == "is empty")
    }

    @Test(arguments: Golden.cases)
    func golden(_ c: GoldenCase) throws {
        let cache = try Tool.temporaryDirectory("wattbit-golden-cache")
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let expectPath = Golden.directory + "/" + c.expect
        let kind = (c.expect as NSString).pathExtension
        let result = try Golden.run(c, cacheDirectory: cache)
        try #require(result.exitCode == 0, "\(c.origin) \(c.name): exit \(result.exitCode): \(result.stderrLines.last ?? "")")
        if Golden.regenerating {
            let again = try Golden.run(c, cacheDirectory: cache)
            try #require(again.stdout == result.stdout, "\(c.name): two runs gave different bytes; not pinned")
            if let empty = Golden.emptiness(result.stdout, kind: kind) {
                Issue.record("\(c.name): the output \(empty); not pinned"); return
            }
            try FileManager.default.createDirectory(atPath: (expectPath as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data(result.stdout).write(to: URL(fileURLWithPath: expectPath))
            return
        }
        guard let expected = FileManager.default.contents(atPath: expectPath).map(Array.init) else {
            Issue.record("\(c.origin) \(c.name): no \(c.expect); run tools/golden --regenerate"); return
        }
        if let empty = Golden.emptiness(expected, kind: kind) {
            Issue.record("\(c.origin) \(c.name): \(c.expect) \(empty)"); return
        }
        do {
            try Golden.compare(actual: result.stdout, expected: expected, kind: kind, tolerance: c.tolerance)
        } catch let difference as GoldenDifference {
            Issue.record("\(c.name) differs from \(c.expect) at \(difference) (if intended: tools/golden --regenerate, then review the diff)")
        }
    }
}
