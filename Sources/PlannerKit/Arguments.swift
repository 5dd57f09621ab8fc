import GeoCore

/// A `run` command line parsed and validated against a manifest.
///
/// Both sides use this: `PlannerMain` in the planner, and the `wattbit` host before it
/// spawns a plugin (so a plugin in any language gets the same messages for bad flags).
public struct PlannerInvocation: Sendable {
    public var parameters: PlannerParameters
    public var inputs: PlannerInputs
    /// `--format geojson|geojsonseq` (default FeatureCollection).
    public var format: GeoJSONFormat
    /// Whether `--format` was given (the host passes it on only then).
    public var formatGiven: Bool
    /// `-o FILE` / `--output FILE`; nil = stdout.
    public var outputPath: String?
    /// `--progress auto|json|none|bar`.
    public var progressMode: ProgressReporter.Mode
    public var progressGiven: Bool
    /// `-h` / `--help` anywhere on the line: show help, validate nothing.
    public var helpRequested: Bool

    /// Names of the options every planner has; a manifest may not declare them
    /// (except `format`, see `Manifest.ownsFormatFlag`).
    public static let reservedNames: Set<String> = ["format", "output", "o", "progress", "help", "h"]

    /// The canonical command line the host passes to a plugin: `run`, then each given
    /// parameter as `--NAME VALUE` (`--NAME` / `--no-NAME` for booleans) with NAME spelled
    /// exactly as in the manifest, each input as `--NAME PATH`, then `--format` and
    /// `--progress` when given. `-o` is not passed: the host writes the file itself.
    public func canonicalArguments(manifest: Manifest) -> [String] {
        var arguments = ["run"]
        for spec in manifest.parameters where parameters.isSet(spec.name) {
            guard let value = parameters.values[spec.name] else { continue }
            switch value {
            case .bool(let flag): arguments.append(flag ? "--\(spec.name)" : "--no-\(spec.name)")
            case .number(let number):
                arguments += ["--\(spec.name)", spec.kind == .integer ? String(Int(number)) : formatNumber(number)]
            case .string(let string): arguments += ["--\(spec.name)", string]
            default: continue
            }
        }
        for spec in manifest.inputs {
            for path in inputs.paths[spec.name] ?? [] { arguments += ["--\(spec.name)", path] }
        }
        if formatGiven { arguments += ["--format", format == .sequence ? "geojsonseq" : "geojson"] }
        if progressGiven { arguments += ["--progress", progressMode.rawValue] }
        return arguments
    }
}

/// Flag spelling: `--max-rtt-ms` and `--max_rtt_ms` both name parameter `max_rtt_ms`.
public func flagKey(_ name: String) -> String {
    String(name.lowercased().map { $0 == "-" ? "_" : $0 })
}

/// How a flag is shown to people: `max_rtt_ms` → `--max-rtt-ms`.
public func flagDisplayName(_ name: String) -> String {
    "--" + String(name.map { $0 == "_" ? "-" : $0 })
}

/// Numbers as people write them: 1.5, 100, 0.0049 (no trailing ".0").
public func formatNumber(_ value: Double) -> String {
    if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
    return String(value)
}

extension PlannerInvocation {
    /// Parses `run` arguments (without the leading `run`). Throws a usage error (64) naming
    /// the flag, with a "did you mean" suggestion for unknown flags, or a no-input error
    /// (66) for an input file that does not exist.
    public static func parse(_ arguments: [String], manifest: Manifest,
                             checkInputFiles: Bool = true) throws -> PlannerInvocation {
        var parametersByKey: [String: ParameterSpec] = [:]
        for spec in manifest.parameters { parametersByKey[flagKey(spec.name)] = spec }
        var inputsByKey: [String: InputSpec] = [:]
        for spec in manifest.inputs { inputsByKey[flagKey(spec.name)] = spec }

        var values: [String: JSONValue] = [:]
        var explicitlySet: Set<String> = []
        var paths: [String: [String]] = [:]
        var invocation = PlannerInvocation(
            parameters: PlannerParameters(values: [:]), inputs: PlannerInputs(paths: [:], specs: manifest.inputs),
            format: .featureCollection, formatGiven: false, outputPath: nil, progressMode: .auto,
            progressGiven: false, helpRequested: false)

        if arguments.contains(where: { $0 == "-h" || $0 == "--help" }) {
            invocation.helpRequested = true
            return invocation
        }

        var index = 0
        func takeValue(_ flag: String, _ inline: String?) throws -> String {
            if let inline { return inline }
            guard index + 1 < arguments.count else {
                throw PlannerError.usage("\(flag) needs a value")
            }
            let next = arguments[index + 1]
            if next.hasPrefix("--") && next.count > 2 {
                throw PlannerError.usage("\(flag) needs a value (found \(next) instead)")
            }
            index += 1
            return next
        }

        while index < arguments.count {
            let argument = arguments[index]
            defer { index += 1 }
            if argument == "-o" {
                invocation.outputPath = try takeValue("-o", nil)
                continue
            }
            guard argument.hasPrefix("--"), argument.count > 2 else {
                if argument.hasPrefix("-") && argument != "-" {
                    throw PlannerError.usage("unknown option \(argument)" + suggestion(for: argument, manifest: manifest))
                }
                throw PlannerError.usage("unexpected argument '\(argument)': inputs and parameters are given as --NAME VALUE")
            }
            let body = argument.dropFirst(2)
            let flagName: String
            let inline: String?
            if let equals = body.firstIndex(of: "=") {
                flagName = String(body[..<equals])
                inline = String(body[body.index(after: equals)...])
            } else {
                flagName = String(body)
                inline = nil
            }
            let key = flagKey(flagName)
            let shown = "--" + flagName

            switch key {
            case "format" where !manifest.ownsFormatFlag:
                let value = try takeValue(shown, inline)
                switch value {
                case "geojson": invocation.format = .featureCollection
                case "geojsonseq": invocation.format = .sequence
                default:
                    throw PlannerError.usage("--format \(value): expected geojson (a FeatureCollection) or geojsonseq (RFC 8142 sequence)")
                }
                invocation.formatGiven = true
                continue
            case "output":
                invocation.outputPath = try takeValue(shown, inline)
                continue
            case "progress":
                let value = try takeValue(shown, inline)
                guard let mode = ProgressReporter.Mode(rawValue: value) else {
                    throw PlannerError.usage("--progress \(value): expected auto, json, none or bar")
                }
                invocation.progressMode = mode
                invocation.progressGiven = true
                continue
            default: break
            }

            if let spec = parametersByKey[key] {
                let raw: String
                if spec.kind == .boolean {
                    guard let inline else {
                        values[spec.name] = .bool(true)
                        explicitlySet.insert(spec.name)
                        continue
                    }
                    raw = inline
                } else {
                    raw = try takeValue(flagDisplayName(spec.name), inline)
                }
                values[spec.name] = try parseValue(raw, spec: spec)
                explicitlySet.insert(spec.name)
            } else if key.hasPrefix("no_"), let spec = parametersByKey[String(key.dropFirst(3))],
                      spec.kind == .boolean {
                if inline != nil { throw PlannerError.usage("\(shown) takes no value") }
                values[spec.name] = .bool(false)
                explicitlySet.insert(spec.name)
            } else if let spec = inputsByKey[key] {
                let path = try takeValue(flagDisplayName(spec.name), inline)
                guard !path.isEmpty else { throw PlannerError.usage("\(flagDisplayName(spec.name)) needs a file name or - for stdin") }
                if !spec.multiple, !(paths[spec.name] ?? []).isEmpty {
                    throw PlannerError.usage("\(flagDisplayName(spec.name)) given twice; it takes one file")
                }
                paths[spec.name, default: []].append(path)
            } else {
                throw PlannerError.usage("unknown parameter \(shown)" + suggestion(for: shown, manifest: manifest))
            }
        }

        // Required and defaulted parameters.
        for spec in manifest.parameters where values[spec.name] == nil {
            if let defaultValue = spec.defaultValue {
                values[spec.name] = defaultValue
            } else if spec.required {
                throw PlannerError.usage("missing required parameter \(flagDisplayName(spec.name)) \(valuePlaceholder(spec))")
            }
        }
        // Required inputs, and at most one reader of stdin.
        var stdinReaders: [String] = []
        for spec in manifest.inputs {
            let given = paths[spec.name] ?? []
            if given.isEmpty && spec.required {
                throw PlannerError.usage("missing required input \(flagDisplayName(spec.name)) FILE (\(inputSummary(spec)))")
            }
            stdinReaders += given.filter { $0 == "-" }.map { _ in flagDisplayName(spec.name) }
        }
        if stdinReaders.count > 1 {
            throw PlannerError.usage("only one input can read stdin, but \(stdinReaders.joined(separator: " and ")) all say -")
        }
        if checkInputFiles {
            for spec in manifest.inputs {
                for path in paths[spec.name] ?? [] where path != "-" {
                    try checkReadable(path, flag: flagDisplayName(spec.name))
                }
            }
            // Fail before the work, not after it, when -o cannot be written.
            if let output = invocation.outputPath, output != "-" {
                let directory = AtomicFileSet.directoryName(of: output)
                if case .missing = FileStatus(path: directory) {
                    throw PlannerError(.cannotCreate, "cannot write \(output): directory \(directory) does not exist")
                }
                if case .directory = FileStatus(path: output) {
                    throw PlannerError(.cannotCreate, "cannot write \(output): is a directory")
                }
            }
        }
        invocation.parameters = PlannerParameters(values: values, explicitlySet: explicitlySet)
        invocation.inputs = PlannerInputs(paths: paths, specs: manifest.inputs)
        // An output declared `geojsonseq` (e.g. cells for concatenation) is a sequence unless
        // --format says otherwise; host and planner both decide it here, from the manifest.
        let selected = manifest.outputs(selectedBy: invocation.parameters)
        if !invocation.formatGiven, !selected.isEmpty, selected.allSatisfy({ $0.format == .geojsonseq }) {
            invocation.format = .sequence
        }
        return invocation
    }

    static func parseValue(_ raw: String, spec: ParameterSpec) throws -> JSONValue {
        let flag = flagDisplayName(spec.name)
        switch spec.kind {
        case .boolean:
            switch raw.lowercased() {
            case "true", "yes", "1", "on": return .bool(true)
            case "false", "no", "0", "off": return .bool(false)
            default: throw PlannerError.usage("\(flag)=\(raw): expected true or false (or use \(flag) / --no-\(flagDisplayName(spec.name).dropFirst(2)))")
            }
        case .integer:
            guard let value = Int(raw.trimmingSpaces) else {
                throw PlannerError.usage("\(flag) \(raw): expected an integer\(unitSuffix(spec))")
            }
            try checkBounds(Double(value), raw: raw, spec: spec)
            return .number(Double(value))
        case .number:
            let text = raw.trimmingSpaces
            guard let value = Double(text), value.isFinite, !text.lowercased().hasPrefix("0x") else {
                throw PlannerError.usage("\(flag) \(raw): expected a number\(unitSuffix(spec))")
            }
            try checkBounds(value, raw: raw, spec: spec)
            return .number(value)
        case .string:
            return .string(raw)
        case .enum:
            guard spec.choices.contains(raw) else {
                let near = closest(raw, among: spec.choices).map { "; did you mean '\($0)'?" } ?? ""
                throw PlannerError.usage("\(flag) '\(raw)' is not one of: \(spec.choices.joined(separator: ", "))\(near)")
            }
            return .string(raw)
        }
    }

    static func checkBounds(_ value: Double, raw: String, spec: ParameterSpec) throws {
        let below = spec.minimum.map { value < $0 } ?? false
        let above = spec.maximum.map { value > $0 } ?? false
        guard below || above else { return }
        throw PlannerError.usage("\(flagDisplayName(spec.name)) \(raw) is out of range: \(boundsText(spec))")
    }

    static func checkReadable(_ path: String, flag: String) throws {
        switch FileStatus(path: path) {
        case .missing: throw PlannerError.noInput("\(flag) \(path): no such file")
        case .directory: throw PlannerError.noInput("\(flag) \(path): is a directory, not a file")
        case .unreadable: throw PlannerError.noInput("\(flag) \(path): permission denied")
        case .readable: return
        }
    }

    static func suggestion(for flag: String, manifest: Manifest) -> String {
        var candidates = manifest.parameters.map { flagDisplayName($0.name) }
        candidates += manifest.parameters.filter { $0.kind == .boolean }.map { "--no-" + flagDisplayName($0.name).dropFirst(2) }
        candidates += manifest.inputs.map { flagDisplayName($0.name) }
        candidates += ["--format", "--output", "--progress", "--help"]
        let normalized = "--" + String(flag.drop(while: { $0 == "-" }).map { $0 == "_" ? "-" : $0 }).lowercased()
        guard let best = closest(normalized, among: candidates) else { return "" }
        return "; did you mean \(best)?"
    }
}

/// "between 1 and 100 ms (inclusive)", "at least 0 km", "at most 5".
public func boundsText(_ spec: ParameterSpec) -> String {
    let unit = spec.unit.map { " \($0)" } ?? ""
    switch (spec.minimum, spec.maximum) {
    case let (minimum?, maximum?): return "must be between \(formatNumber(minimum)) and \(formatNumber(maximum))\(unit) (inclusive)"
    case let (minimum?, nil): return "must be at least \(formatNumber(minimum))\(unit)"
    case let (nil, maximum?): return "must be at most \(formatNumber(maximum))\(unit)"
    default: return "no bounds"
    }
}

func unitSuffix(_ spec: ParameterSpec) -> String { spec.unit.map { " in \($0)" } ?? "" }

/// NUMBER, INTEGER, a|b|c, STRING — what goes after the flag in help and messages.
public func valuePlaceholder(_ spec: ParameterSpec) -> String {
    switch spec.kind {
    case .integer: return "INTEGER"
    case .number: return "NUMBER"
    case .boolean: return ""
    case .string: return "STRING"
    case .enum: return spec.choices.joined(separator: "|")
    }
}

/// "Point features with properties name, capacity_mw" — for help and missing-input errors.
public func inputSummary(_ spec: InputSpec) -> String {
    var text: String
    if spec.formats == [.csv] {
        text = "CSV"
    } else if spec.formats == [.text] {
        text = "text"
    } else if spec.geometryTypes.isEmpty {
        text = "GeoJSON features"
    } else {
        text = spec.geometryTypes.joined(separator: "/") + " features"
    }
    if !spec.requiredProperties.isEmpty {
        text += " with " + (spec.requiredProperties.count == 1 ? "property " : "properties ")
            + spec.requiredProperties.joined(separator: ", ")
    }
    return text
}

/// The candidate nearest to `word` by edit distance, if it is plausibly a typo of it.
public func closest(_ word: String, among candidates: [String]) -> String? {
    let lowered = word.lowercased()
    var best: (String, Int)?
    for candidate in candidates {
        let distance = editDistance(lowered, candidate.lowercased())
        if let current = best, distance >= current.1 { continue }
        best = (candidate, distance)
    }
    guard let (candidate, distance) = best else { return nil }
    let prefixMatches = candidates.filter { $0.lowercased().hasPrefix(lowered) }
    if prefixMatches.count == 1 && lowered.count >= 4 { return prefixMatches[0] }
    return distance <= max(2, lowered.count / 3) ? candidate : nil
}

/// Levenshtein distance (Wagner–Fischer, two rows).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

extension StringProtocol {
    package var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}

extension Manifest {
    /// A planner whose output is a document rather than GeoJSON (e.g. `wattbit-map`: SVG
    /// or HTML) may declare its own `format` parameter; `--format` is then its parameter,
    /// since the GeoJSON framing option means nothing for it.
    public var ownsFormatFlag: Bool {
        !outputs.isEmpty && !outputs.contains { $0.format.isGeoJSON }
            && parameters.contains { flagKey($0.name) == "format" }
    }
}
