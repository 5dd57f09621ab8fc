import GeoCore

/// The JSON manifest a planner prints for `describe` (protocol `wattbit-planner/1`).
/// Unknown fields are ignored by both sides, so adding fields is not a breaking change.
public struct Manifest: Sendable, Equatable {
    public static let protocolVersion = "wattbit-planner/1"

    public var protocolVersion: String
    public var name: String
    public var version: String
    public var summary: String
    /// Longer help text: what the planner answers, how it works, what it cites.
    public var description: String
    public var inputs: [InputSpec]
    public var parameters: [ParameterSpec]
    public var outputs: [OutputSpec]
    /// Example command lines shown by `--help` and in the docs.
    public var examples: [String]

    public init(name: String, version: String, summary: String, description: String = "",
                inputs: [InputSpec] = [], parameters: [ParameterSpec] = [],
                outputs: [OutputSpec] = [], examples: [String] = [],
                protocolVersion: String = Manifest.protocolVersion) {
        self.protocolVersion = protocolVersion
        self.name = name
        self.version = version
        self.summary = summary
        self.description = description
        self.inputs = inputs
        self.parameters = parameters
        self.outputs = outputs
        self.examples = examples
    }
}

/// A file input: `--NAME FILE` (or `-` for stdin).
public struct InputSpec: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable {
        case geojson   // FeatureCollection, Feature, geometry or RFC 8142 sequence
        case csv       // e.g. e-Stat mesh tables
        case text      // any other text format the planner parses itself (e.g. AAIGrid)
    }
    public var name: String
    public var description: String
    public var formats: [Format]
    /// RFC 7946 geometry type names accepted ("Point", "LineString", …); empty = any.
    public var geometryTypes: [String]
    public var requiredProperties: [String]
    public var required: Bool
    /// Whether the flag may be repeated (e.g. map layers).
    public var multiple: Bool

    public init(name: String, description: String, formats: [Format] = [.geojson],
                geometryTypes: [String] = [], requiredProperties: [String] = [],
                required: Bool = true, multiple: Bool = false) {
        self.name = name
        self.description = description
        self.formats = formats
        self.geometryTypes = geometryTypes
        self.requiredProperties = requiredProperties
        self.required = required
        self.multiple = multiple
    }
}

/// A parameter: `--NAME VALUE` (booleans: `--NAME` / `--no-NAME`).
public struct ParameterSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case integer, number, boolean, string
        case `enum`
    }
    public var name: String
    public var kind: Kind
    public var description: String
    /// Unit of a number, e.g. "km", "ms", "MW", "JPY" (also in the name: `_km`).
    public var unit: String?
    public var defaultValue: JSONValue?
    /// Inclusive bounds for integer and number parameters.
    public var minimum: Double?
    public var maximum: Double?
    /// Allowed values of an enum parameter (strings, never indices).
    public var choices: [String]
    public var required: Bool

    public init(name: String, kind: Kind, description: String, unit: String? = nil,
                defaultValue: JSONValue? = nil, minimum: Double? = nil, maximum: Double? = nil,
                choices: [String] = [], required: Bool = false) {
        self.name = name
        self.kind = kind
        self.description = description
        self.unit = unit
        self.defaultValue = defaultValue
        self.minimum = minimum
        self.maximum = maximum
        self.choices = choices
        self.required = required
    }
}

/// What a planner writes to stdout.
public struct OutputSpec: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable {
        case geojson
        /// GeoJSON written as an RFC 8142 sequence unless `--format geojson` is given
        /// (e.g. cells meant to be concatenated from parallel runs).
        case geojsonseq
        case svg, html, csv
        /// UTF-8 lines of text (e.g. a list for GNU parallel or xargs).
        case text

        /// GeoJSON in either framing.
        public var isGeoJSON: Bool { self == .geojson || self == .geojsonseq }
    }
    public var format: Format
    /// Feature roles it emits (`route`, `landing`, …) and their geometry types.
    public var roles: [String: [String]]
    public var description: String
    /// The boolean parameter that selects this output instead of the planner's others
    /// (`list_tiles`: a text list rather than GeoJSON); nil = the output of an ordinary run.
    public var when: String?

    public init(format: Format = .geojson, roles: [String: [String]] = [:], description: String = "",
                when: String? = nil) {
        self.format = format
        self.roles = roles
        self.description = description
        self.when = when
    }
}

extension Manifest {
    /// The outputs a run with these parameters writes: those whose `when` parameter is set
    /// (the first such in manifest order, with any others naming the same parameter), else
    /// those without `when`.
    public func outputs(selectedBy parameters: PlannerParameters) -> [OutputSpec] {
        if let chosen = outputs.first(where: { $0.when.map { parameters.bool($0) } ?? false })?.when {
            return outputs.filter { $0.when == chosen }
        }
        return outputs.filter { $0.when == nil }
    }
}
