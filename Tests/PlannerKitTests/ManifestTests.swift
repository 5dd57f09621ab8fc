import GeoCore
import Testing
@testable import PlannerKit

@Suite("manifest JSON and protocol versions")
struct ManifestTests {
    @Test("a manifest survives JSON and back, byte-identically")
    func roundTrip() throws {
        let manifest = SampleManifest.manifest
        let bytes = JSONText.encode(manifest.jsonValue, pretty: true)
        let decoded = try Manifest(json: try JSONText.parse(bytes, source: "manifest"))
        #expect(decoded == manifest)
        #expect(JSONText.encode(decoded.jsonValue, pretty: true) == bytes)
    }

    @Test("members a newer planner adds are ignored")
    func unknownMembersIgnored() throws {
        let text = #"{"protocol":"wattbit-planner/1","name":"x","version":"1","summary":"s","colour":"red","#
            + #""inputs":[{"name":"a","formats":["geojson","parquet"],"later":1}],"parameters":[],"outputs":[]}"#
        let manifest = try Manifest(json: try JSONText.parse(Array(text.utf8), source: "m"))
        #expect(manifest.inputs.first?.formats == [.geojson])
    }

    struct BadManifest: Sendable, CustomTestStringConvertible {
        var label: String
        var text: String
        var message: String
        var testDescription: String { label }
    }

    static let bad: [BadManifest] = [
        BadManifest(label: "not an object", text: "[]", message: "manifest is not a JSON object"),
        BadManifest(label: "missing name", text: #"{"protocol":"wattbit-planner/1","version":"1","summary":"s"}"#,
                    message: #"manifest member "name" is missing"#),
        BadManifest(label: "unknown parameter type",
                    text: #"{"protocol":"wattbit-planner/1","name":"x","version":"1","summary":"s","parameters":[{"name":"k","type":"float"}]}"#,
                    message: #"parameters[0](k).type: unknown parameter type "float" (expected integer, number, boolean, string or enum)"#),
        BadManifest(label: "enum without choices",
                    text: #"{"protocol":"wattbit-planner/1","name":"x","version":"1","summary":"s","parameters":[{"name":"k","type":"enum"}]}"#,
                    message: "parameters[0](k).choices: an enum parameter needs at least one choice"),
        BadManifest(label: "bad geometry type",
                    text: #"{"protocol":"wattbit-planner/1","name":"x","version":"1","summary":"s","inputs":[{"name":"a","geometry_types":["Line"]}]}"#,
                    message: #"inputs[0](a).geometry_types: "Line" is not an RFC 7946 geometry type"#),
    ]

    @Test(arguments: bad)
    func rejects(_ testCase: BadManifest) throws {
        let json = try JSONText.parse(Array(testCase.text.utf8), source: "m")
        #expect(throws: ManifestError.self) { try Manifest(json: json) }
        do { _ = try Manifest(json: json) } catch { #expect("\(error)" == testCase.message) }
    }

    @Test("protocol majors")
    func majors() {
        #expect(Manifest.protocolMajor("wattbit-planner/1") == 1)
        #expect(Manifest.protocolMajor("wattbit-planner/2.3") == 2)
        #expect(Manifest.protocolMajor("wattbit/1") == nil)
        #expect(Manifest.protocolMajor("wattbit-planner/x") == nil)
    }

    @Test("version negotiation: a host offering no common major gets 69 naming both")
    func negotiation() {
        let manifest = SampleManifest.manifest
        #expect(PlannerMain.negotiate(nil, manifest: manifest) == nil)
        #expect(PlannerMain.negotiate("1", manifest: manifest) == nil)
        #expect(PlannerMain.negotiate("1,2", manifest: manifest) == nil)
        let refusal = PlannerMain.negotiate("2,3", manifest: manifest)
        #expect(refusal?.code == .unavailable)
        #expect(refusal?.message == "no common protocol version: the host speaks wattbit-planner/2, wattbit-planner/3, this planner speaks wattbit-planner/1")
    }

    @Test("reserved and duplicate flag names are caught at the planner author's first run")
    func reservedNames() {
        var manifest = SampleManifest.manifest
        manifest.parameters.append(ParameterSpec(name: "format", kind: .string, description: ""))
        #expect(PlannerMain.checkManifest(manifest)?.code == .software)
        manifest = SampleManifest.manifest
        manifest.inputs.append(InputSpec(name: "max-rtt-ms", description: ""))
        #expect(PlannerMain.checkManifest(manifest)?.message == "manifest declares --max-rtt-ms twice")
        #expect(PlannerMain.checkManifest(SampleManifest.manifest) == nil)
    }

    @Test("help shows every flag with unit, bounds and default")
    func help() {
        let text = HelpText.render(SampleManifest.manifest, command: "wattbit sample")
        #expect(text.hasPrefix("wattbit sample 1.0.0 — test planner"))
        #expect(text.contains("wattbit sample --sites FILE --budget-jpy NUMBER [options]"))
        #expect(text.contains("--max-rtt-ms NUMBER"))
        // Wrapped at 88 columns, so fragments.
        #expect(text.contains("Unit: ms. Must be between 0.001 and 1000 ms"))
        #expect(text.contains("(inclusive). Default: 1."))
        #expect(text.contains("--[no-]distinct-landings"))
        #expect(text.contains("--mode fast|exact"))
        #expect(text.contains("Point features with property capacity_mw (required)."))
        #expect(text.contains("--layer FILE"))
        #expect(text.contains("repeatable"))
    }
}
