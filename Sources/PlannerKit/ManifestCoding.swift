import GeoCore

// The manifest's JSON form (docs/plugin-protocol.md, docs/manifest.schema.json).
// Keys are snake_case; both sides ignore members they do not know, so adding a member is
// not a breaking change. Decoding is strict about the members it knows: a manifest that
// lies about its own shape is a broken plugin, and `wattbit list` says why.

/// Why a manifest could not be decoded: one line naming the member.
public struct ManifestError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Manifest {
    /// The protocol family every version of this protocol shares ("wattbit-planner/N").
    public static let protocolFamily = "wattbit-planner"
    /// Protocol majors this PlannerKit speaks, highest last.
    public static let supportedProtocolMajors: [Int] = [1]

    /// The major version of a protocol string such as "wattbit-planner/1" (or "…/1.2").
    public static func protocolMajor(_ protocolString: String) -> Int? {
        let prefix = protocolFamily + "/"
        guard protocolString.hasPrefix(prefix) else { return nil }
        let version = protocolString.dropFirst(prefix.count)
        let major = version.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
        guard let value = Int(major), value >= 0 else { return nil }
        return value
    }

    /// The JSON object printed by `describe`, members in a fixed order (deterministic).
    public var jsonValue: JSONValue {
        var object = JSONObject()
        object["protocol"] = .string(protocolVersion)
        object["name"] = .string(name)
        object["version"] = .string(version)
        object["summary"] = .string(summary)
        if !description.isEmpty { object["description"] = .string(description) }
        object["inputs"] = .array(inputs.map(\.jsonValue))
        object["parameters"] = .array(parameters.map(\.jsonValue))
        object["outputs"] = .array(outputs.map(\.jsonValue))
        if !examples.isEmpty { object["examples"] = .array(examples.map { .string($0) }) }
        return .object(object)
    }

    /// Decodes a manifest. Unknown members are ignored; known members must have the right
    /// shape. The protocol version is not checked here (see `protocolMajor`).
    public init(json: JSONValue) throws {
        guard let object = json.objectValue else { throw ManifestError("manifest is not a JSON object") }
        let reader = MemberReader(object: object, path: "")
        let protocolVersion = try reader.string("protocol")
        let name = try reader.string("name")
        guard !name.isEmpty else { throw ManifestError("manifest member \"name\" is empty") }
        self.init(
            name: name,
            version: try reader.string("version"),
            summary: try reader.string("summary"),
            description: try reader.optionalString("description") ?? "",
            inputs: try reader.objects("inputs").map { try InputSpec(reader: $0) },
            parameters: try reader.objects("parameters").map { try ParameterSpec(reader: $0) },
            outputs: try reader.objects("outputs").map { try OutputSpec(reader: $0) },
            examples: try reader.optionalStrings("examples") ?? [],
            protocolVersion: protocolVersion)
        if let problem = outputSelectionProblem { throw ManifestError(problem) }
    }

    /// An output's `when` must name one of the manifest's boolean parameters.
    public var outputSelectionProblem: String? {
        for (index, output) in outputs.enumerated() {
            guard let when = output.when else { continue }
            guard parameters.contains(where: { $0.name == when && $0.kind == .boolean }) else {
                return "outputs[\(index)].when: \"\(when)\" is not a boolean parameter of the manifest"
            }
        }
        return nil
    }
}

extension InputSpec {
    public var jsonValue: JSONValue {
        var object = JSONObject()
        object["name"] = .string(name)
        object["description"] = .string(description)
        object["formats"] = .array(formats.map { .string($0.rawValue) })
        object["geometry_types"] = .array(geometryTypes.map { .string($0) })
        object["required_properties"] = .array(requiredProperties.map { .string($0) })
        object["required"] = .bool(required)
        object["multiple"] = .bool(multiple)
        return .object(object)
    }

    init(reader: MemberReader) throws {
        let formatNames = try reader.optionalStrings("formats") ?? ["geojson"]
        // Unknown formats from a newer plugin are kept out rather than rejected.
        let formats = formatNames.compactMap(Format.init(rawValue:))
        self.init(name: try reader.string("name"),
                  description: try reader.optionalString("description") ?? "",
                  formats: formats.isEmpty ? [.geojson] : formats,
                  geometryTypes: try reader.optionalStrings("geometry_types") ?? [],
                  requiredProperties: try reader.optionalStrings("required_properties") ?? [],
                  required: try reader.optionalBool("required") ?? true,
                  multiple: try reader.optionalBool("multiple") ?? false)
        let validTypes: Set<String> = ["Point", "MultiPoint", "LineString", "MultiLineString",
                                       "Polygon", "MultiPolygon", "GeometryCollection"]
        for type in geometryTypes where !validTypes.contains(type) {
            throw ManifestError("\(reader.path)geometry_types: \"\(type)\" is not an RFC 7946 geometry type")
        }
    }
}

extension ParameterSpec {
    public var jsonValue: JSONValue {
        var object = JSONObject()
        object["name"] = .string(name)
        object["type"] = .string(kind.rawValue)
        object["description"] = .string(description)
        if let unit { object["unit"] = .string(unit) }
        if let defaultValue { object["default"] = defaultValue }
        if let minimum { object["minimum"] = .number(minimum) }
        if let maximum { object["maximum"] = .number(maximum) }
        if !choices.isEmpty { object["choices"] = .array(choices.map { .string($0) }) }
        object["required"] = .bool(required)
        return .object(object)
    }

    init(reader: MemberReader) throws {
        let typeName = try reader.string("type")
        guard let kind = Kind(rawValue: typeName) else {
            throw ManifestError("\(reader.path)type: unknown parameter type \"\(typeName)\" "
                                + "(expected integer, number, boolean, string or enum)")
        }
        self.init(name: try reader.string("name"), kind: kind,
                  description: try reader.optionalString("description") ?? "",
                  unit: try reader.optionalString("unit"),
                  defaultValue: reader.object["default"].flatMap { $0.isNull ? nil : $0 },
                  minimum: try reader.optionalNumber("minimum"),
                  maximum: try reader.optionalNumber("maximum"),
                  choices: try reader.optionalStrings("choices") ?? [],
                  required: try reader.optionalBool("required") ?? false)
        if kind == .enum && choices.isEmpty {
            throw ManifestError("\(reader.path)choices: an enum parameter needs at least one choice")
        }
        if let minimum, let maximum, minimum > maximum {
            throw ManifestError("\(reader.path)minimum \(minimum) is greater than maximum \(maximum)")
        }
    }
}

extension OutputSpec {
    public var jsonValue: JSONValue {
        var object = JSONObject()
        object["format"] = .string(format.rawValue)
        var roleObject = JSONObject()
        // Sorted so `describe` is byte-identical from run to run (dictionaries are not).
        for role in roles.keys.sorted() {
            roleObject[role] = .array((roles[role] ?? []).map { .string($0) })
        }
        object["roles"] = .object(roleObject)
        object["description"] = .string(description)
        if let when { object["when"] = .string(when) }
        return .object(object)
    }

    init(reader: MemberReader) throws {
        let formatName = try reader.optionalString("format") ?? "geojson"
        guard let format = Format(rawValue: formatName) else {
            throw ManifestError("\(reader.path)format: unknown output format \"\(formatName)\" "
                                + "(expected geojson, geojsonseq, svg, html, csv or text)")
        }
        var roles: [String: [String]] = [:]
        if let value = reader.object["roles"], !value.isNull {
            guard let roleObject = value.objectValue else {
                throw ManifestError("\(reader.path)roles: expected an object of role → geometry types")
            }
            for member in roleObject {
                guard let types = member.value.arrayValue?.compactMap(\.stringValue),
                      types.count == member.value.arrayValue?.count else {
                    throw ManifestError("\(reader.path)roles.\(member.key): expected an array of geometry type names")
                }
                roles[member.key] = types
            }
        }
        self.init(format: format, roles: roles,
                  description: try reader.optionalString("description") ?? "",
                  when: try reader.optionalString("when"))
    }
}

/// Reads typed members of a JSON object, naming the member path in errors.
struct MemberReader {
    let object: JSONObject
    let path: String

    func string(_ key: String) throws -> String {
        guard let value = object[key] else { throw ManifestError("manifest member \"\(path)\(key)\" is missing") }
        guard let string = value.stringValue else { throw ManifestError("manifest member \"\(path)\(key)\" must be a string") }
        return string
    }
    func optionalString(_ key: String) throws -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let string = value.stringValue else { throw ManifestError("manifest member \"\(path)\(key)\" must be a string") }
        return string
    }
    func optionalBool(_ key: String) throws -> Bool? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let bool = value.boolValue else { throw ManifestError("manifest member \"\(path)\(key)\" must be true or false") }
        return bool
    }
    func optionalNumber(_ key: String) throws -> Double? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let number = value.doubleValue else { throw ManifestError("manifest member \"\(path)\(key)\" must be a number") }
        return number
    }
    func optionalStrings(_ key: String) throws -> [String]? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let array = value.arrayValue else { throw ManifestError("manifest member \"\(path)\(key)\" must be an array of strings") }
        return try array.map {
            guard let string = $0.stringValue else { throw ManifestError("manifest member \"\(path)\(key)\" must be an array of strings") }
            return string
        }
    }
    func objects(_ key: String) throws -> [MemberReader] {
        guard let value = object[key], !value.isNull else { return [] }
        guard let array = value.arrayValue else { throw ManifestError("manifest member \"\(path)\(key)\" must be an array of objects") }
        return try array.enumerated().map { index, element in
            guard let object = element.objectValue else {
                throw ManifestError("manifest member \"\(path)\(key)[\(index)]\" must be an object")
            }
            let name = object["name"]?.stringValue.map { "(\($0))" } ?? ""
            return MemberReader(object: object, path: "\(path)\(key)[\(index)]\(name).")
        }
    }
}
