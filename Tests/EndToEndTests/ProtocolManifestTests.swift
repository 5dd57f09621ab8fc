import Foundation
import GeoCore
import Testing

// Every planner shipped with WattBit describes itself with a manifest that validates
// against docs/manifest.schema.json, and every built-in is listed by `wattbit list`.
// The validator below implements the JSON Schema keywords the schema uses (type, required,
// properties, additionalProperties, items, enum, pattern, minLength, minItems, not, $ref);
// the test of the validator itself makes sure it rejects what it should.

@Suite("planner manifests")
struct ProtocolManifestTests {
    static let builtIns = ["cable", "hubs", "gaps", "map", "latency"]
    static let schemaPath = Tool.packageRoot.appendingPathComponent("docs/manifest.schema.json").path

    static func schema() throws -> JSONValue {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: schemaPath)))
        return try JSONText.parse(bytes, source: schemaPath)
    }

    /// Built planners in the bin directory plus the shipped Python plugin.
    static func shippedPlanners() throws -> [(name: String, path: String)] {
        let directory = try Tool.binDirectory()
        var planners: [(String, String)] = []
        for name in builtIns {
            let path = directory.appendingPathComponent("wattbit-\(name)").path
            if FileManager.default.isExecutableFile(atPath: path) { planners.append((name, path)) }
        }
        planners.append(("landing-diversity", PlannerFixtures.landingDiversity))
        return planners
    }

    @Test("every shipped planner's manifest validates against docs/manifest.schema.json")
    func manifestsValidate() throws {
        let schema = try Self.schema()
        let validator = SchemaValidator(root: schema)
        for planner in try Self.shippedPlanners() {
            let result = try Tool.runExecutable(at: planner.path, ["describe"], environment: ["WATTBIT_PROTOCOL_VERSIONS": "1"])
            #expect(result.exitCode == 0, "\(planner.name): \(result.stderr)")
            guard let manifest = try? JSONText.parse(result.stdout, source: planner.path) else {
                Issue.record("wattbit-\(planner.name) describe: not JSON: \(result.stdoutText.prefix(80))")
                continue
            }
            let problems = validator.validate(manifest)
            #expect(problems.isEmpty, "\(planner.name): \(problems.joined(separator: "; "))")
            #expect(manifest.objectValue?["name"]?.stringValue == planner.name)
            // describe is deterministic (the host may cache it by path and mtime).
            let again = try Tool.runExecutable(at: planner.path, ["describe"])
            #expect(again.stdout == result.stdout, "\(planner.name): describe differs between runs")
        }
    }

    @Test("every built-in planner is built and listed by wattbit list")
    func builtInsAreListed() throws {
        let result = try Tool.run("wattbit", ["list", "--json"], environment: ["WATTBIT_PLUGIN_PATH": "", "PATH": "/usr/bin:/bin"])
        #expect(result.exitCode == 0)
        let rows = try JSONText.parse(result.stdout, source: "wattbit list").arrayValue ?? []
        for name in Self.builtIns {
            let row = rows.first { $0.objectValue?["name"]?.stringValue == name }?.objectValue
            #expect(row?["status"]?.stringValue == "ok", "wattbit-\(name): \(row.map { "\($0)" } ?? "not found")")
        }
    }

    struct SchemaCase: Sendable, CustomTestStringConvertible {
        var label: String
        var manifest: String
        var problem: String?
        var testDescription: String { label }
    }

    static let base = #"{"protocol":"wattbit-planner/1","name":"x","version":"1","summary":"s","inputs":[],"parameters":[],"outputs":[]}"#

    static let schemaCases: [SchemaCase] = [
        SchemaCase(label: "minimal manifest", manifest: base, problem: nil),
        SchemaCase(label: "unknown members are allowed", manifest: base.replacingOccurrences(of: "}", with: #","future":{"x":1}}"#), problem: nil),
        SchemaCase(label: "missing summary", manifest: base.replacingOccurrences(of: #""summary":"s","#, with: ""), problem: "summary"),
        SchemaCase(label: "bad protocol string", manifest: base.replacingOccurrences(of: "wattbit-planner/1", with: "wattbit/1"), problem: "protocol"),
        SchemaCase(label: "reserved parameter name",
                   manifest: base.replacingOccurrences(of: #""parameters":[]"#, with: #""parameters":[{"name":"progress","type":"string"}]"#),
                   problem: "parameters[0].name"),
        SchemaCase(label: "unknown parameter type",
                   manifest: base.replacingOccurrences(of: #""parameters":[]"#, with: #""parameters":[{"name":"k","type":"float"}]"#),
                   problem: "parameters[0].type"),
        SchemaCase(label: "geometry type misspelt",
                   manifest: base.replacingOccurrences(of: #""inputs":[]"#, with: #""inputs":[{"name":"a","geometry_types":["point"]}]"#),
                   problem: "inputs[0].geometry_types[0]"),
        SchemaCase(label: "roles must list geometry types",
                   manifest: base.replacingOccurrences(of: #""outputs":[]"#, with: #""outputs":[{"format":"geojson","roles":{"hub":"Point"}}]"#),
                   problem: "outputs[0].roles.hub"),
    ]

    @Test(arguments: schemaCases)
    func validatorAgreesWithSchema(_ testCase: SchemaCase) throws {
        let validator = SchemaValidator(root: try Self.schema())
        let problems = validator.validate(try JSONText.parse(Array(testCase.manifest.utf8), source: testCase.label))
        if let expected = testCase.problem {
            #expect(problems.contains { $0.contains(expected) }, "\(problems)")
        } else {
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}

/// A JSON Schema validator for the keywords docs/manifest.schema.json uses.
struct SchemaValidator {
    let root: JSONValue

    func validate(_ value: JSONValue) -> [String] { validate(value, against: root, at: "$") }

    func validate(_ value: JSONValue, against schema: JSONValue, at path: String) -> [String] {
        guard let rules = schema.objectValue else { return [] }
        if let reference = rules["$ref"]?.stringValue {
            guard let target = resolve(reference) else { return ["\(path): unresolvable $ref \(reference)"] }
            return validate(value, against: target, at: path)
        }
        var problems: [String] = []
        if let type = rules["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue ?? ""]
            if !allowed.contains(where: { matches(value, type: $0) }) {
                return ["\(path): expected \(allowed.joined(separator: " or "))"]
            }
        }
        if let choices = rules["enum"]?.arrayValue, !choices.contains(value) {
            problems.append("\(path): not one of the allowed values")
        }
        if let negated = rules["not"], validate(value, against: negated, at: path).isEmpty {
            problems.append("\(path): matches a forbidden schema")
        }
        if case .string(let string) = value {
            if let minimum = rules["minLength"]?.intValue, string.count < minimum {
                problems.append("\(path): shorter than \(minimum)")
            }
            if let pattern = rules["pattern"]?.stringValue,
               string.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): does not match \(pattern)")
            }
        }
        if case .array(let items) = value {
            if let minimum = rules["minItems"]?.intValue, items.count < minimum {
                problems.append("\(path): fewer than \(minimum) items")
            }
            if let itemSchema = rules["items"] {
                for (index, item) in items.enumerated() {
                    problems += validate(item, against: itemSchema, at: "\(path)[\(index)]")
                }
            }
        }
        if case .object(let object) = value {
            for key in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[key] == nil {
                problems.append("\(path).\(key): required member missing")
            }
            let properties = rules["properties"]?.objectValue ?? JSONObject()
            for member in object {
                let name = path == "$" ? member.key : "\(path).\(member.key)"
                if let propertySchema = properties[member.key] {
                    problems += validate(member.value, against: propertySchema, at: name)
                } else if let additional = rules["additionalProperties"] {
                    if additional == .bool(false) {
                        problems.append("\(name): not allowed")
                    } else {
                        problems += validate(member.value, against: additional, at: name)
                    }
                }
            }
        }
        return problems.map { $0.hasPrefix("$.") ? String($0.dropFirst(2)) : $0 }
    }

    func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("number", .number):
            return true
        case ("integer", .number(let number)):
            return number.rounded() == number
        default:
            return false
        }
    }

    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node = root
        for component in reference.dropFirst(2).split(separator: "/") {
            guard let next = node.objectValue?[String(component)] else { return nil }
            node = next
        }
        return node
    }
}
