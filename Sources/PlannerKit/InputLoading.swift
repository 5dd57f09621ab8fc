#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GeoCore

extension PlannerInputs {
    /// The manifest's spec for an input; asking for an undeclared input is a planner bug.
    public func spec(_ name: String) -> InputSpec {
        guard let spec = specs.first(where: { $0.name == name }) else {
            preconditionFailure("input \(name) is not declared in the manifest")
        }
        return spec
    }

    /// Loads every file given for an input (in command-line order, concatenated) and checks
    /// each feature against its spec: geometry type and required properties.
    /// Returns nil when the input was not given. Errors name file, feature index and
    /// property: 66 when a file is missing or unreadable, 65 when its content is wrong.
    public func features(_ name: String) throws -> FeatureCollection? {
        let spec = spec(name)
        let given = paths[name] ?? []
        guard !given.isEmpty else { return nil }
        var combined: FeatureCollection?
        for path in given {
            let collection = try Self.read(path: path, label: flagDisplayName(name))
            for (index, feature) in collection.features.enumerated() {
                try Self.check(feature, index: index, spec: spec, source: Self.sourceName(path))
            }
            if combined == nil {
                combined = collection
            } else {
                combined?.features += collection.features
            }
        }
        return combined
    }

    /// Streams the features of an input one by one (bounded memory for RFC 8142 sequences),
    /// checking each against the spec before `body` sees it. The index counts features
    /// across all files given for the input, from 0. Does nothing when the input was not given.
    public func forEachFeature(_ name: String, _ body: (Int, Feature) throws -> Void) throws {
        let spec = spec(name)
        var running = 0
        for path in paths[name] ?? [] {
            let source = Self.sourceName(path)
            try Self.checkStdin(path, label: flagDisplayName(name))
            do {
                try GeoJSONReader.forEachFeature(path: path) { index, feature in
                    try Self.check(feature, index: index, spec: spec, source: source)
                    try body(running, feature)
                    running += 1
                }
            } catch let error as GeoJSONError {
                throw Self.plannerError(error, label: flagDisplayName(name))
            }
        }
    }

    /// The raw bytes of an input (CSV tables, grids); nil when not given. With several
    /// files, the first. `-` reads stdin.
    public func bytes(_ name: String) throws -> [UInt8]? {
        _ = spec(name)
        guard let path = path(name) else { return nil }
        return try Self.readBytes(path: path, label: flagDisplayName(name))
    }

    /// Loads a GeoJSON file named by a string parameter (`--from hubs.geojson`, `-` = stdin),
    /// turning reader errors into PlannerErrors labelled with the flag.
    public static func loadFeatures(path: String, label: String) throws -> FeatureCollection {
        if path != "-" { try PlannerInvocation.checkReadable(path, flag: label) }
        return try read(path: path, label: label)
    }

    /// Raw bytes of a file or stdin, with 66 for a missing/unreadable file.
    public static func readBytes(path: String, label: String) throws -> [UInt8] {
        try checkStdin(path, label: label)
        if path == "-" {
            let (bytes, code) = SystemIO.readAll(fd: 0)
            if let code { throw PlannerError.noInput("\(label) -: cannot read stdin: \(SystemIO.errorText(code))") }
            return bytes
        }
        try PlannerInvocation.checkReadable(path, flag: label)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PlannerError.noInput("\(label) \(path): \(SystemIO.errorText(errno))") }
        defer { close(fd) }
        let (bytes, code) = SystemIO.readAll(fd: fd)
        if let code { throw PlannerError.noInput("\(label) \(path): \(SystemIO.errorText(code))") }
        return bytes
    }

    static func read(path: String, label: String) throws -> FeatureCollection {
        try checkStdin(path, label: label)
        do {
            return try GeoJSONReader.read(path: path)
        } catch let error as GeoJSONError {
            throw plannerError(error, label: label)
        }
    }

    /// Reading GeoJSON from an interactive terminal is almost always a forgotten pipe.
    static func checkStdin(_ path: String, label: String) throws {
        if path == "-" && SystemIO.isTerminal(0) {
            throw PlannerError.noInput("\(label) -: stdin is a terminal; pipe GeoJSON in or give a file name")
        }
    }

    static func sourceName(_ path: String) -> String { path == "-" ? "<stdin>" : path }

    /// 66 for files that are missing or unreadable, 65 for anything wrong with their content.
    static func plannerError(_ error: GeoJSONError, label: String) -> PlannerError {
        switch error.kind {
        case .fileNotFound, .unreadable: return PlannerError.noInput("\(label) \(error.description)")
        case .empty: return PlannerError.data("\(error.description) (input \(label))")
        default: return PlannerError.data("\(error.description) (input \(label))")
        }
    }

    static func check(_ feature: Feature, index: Int, spec: InputSpec, source: String) throws {
        let flag = flagDisplayName(spec.name)
        if !spec.geometryTypes.isEmpty {
            guard let geometry = feature.geometry else {
                throw PlannerError.data("\(source): features[\(index)]: geometry is null; "
                                        + "\(flag) expects \(spec.geometryTypes.joined(separator: " or "))")
            }
            guard spec.geometryTypes.contains(geometry.typeName) else {
                throw PlannerError.data("\(source): features[\(index)]: geometry is \(geometry.typeName); "
                                        + "\(flag) expects \(spec.geometryTypes.joined(separator: " or "))")
            }
        }
        for property in spec.requiredProperties {
            let value = feature.properties?[property]
            if value == nil || value == .null {
                throw PlannerError.data("\(source): features[\(index)]: missing required property \"\(property)\" (input \(flag))")
            }
        }
    }
}
