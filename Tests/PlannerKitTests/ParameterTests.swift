import GeoCore
import Testing
@testable import PlannerKit

/// A declaration list with one parameter of every shape a planner can declare.
private enum Mode: String, ParameterChoice {
    case fast, exact
    case straightLine = "straight-line"
}

private enum Sample {
    static let snapKm = Parameter<Double>("snap_km", unit: "km", default: 10, in: 0...200, help: "Snap distance")
    static let routes = Parameter<Int>("routes", default: 1, in: 1...10, help: "Number of routes")
    static let ring = Parameter<Bool>("ring", default: false, help: "Close the chain")
    static let title = Parameter<String>("title", default: "WattBit plan", help: "Title")
    static let via = Parameter<String?>("via", help: "Stops")
    static let budgetJPY = Parameter<Double?>("budget_jpy", unit: "JPY", in: 0...1e16, help: "Budget")
    static let mode = Parameter<Mode>("mode", default: .exact, help: "How")
    static let listTiles = Parameter<Bool>("list_tiles", default: false, help: "List and stop")

    static let all: [any ParameterDeclaration] = [snapKm, routes, ring, title, via, budgetJPY, mode, listTiles]

    static let manifest = Manifest(name: "sample", version: "1", summary: "s", parameters: all,
                                   outputs: [OutputSpec(), OutputSpec(format: .text, when: listTiles)])
}

@Suite("typed parameter declarations")
struct ParameterTests {
    /// What the manifest must say for each declaration: written out by hand, not derived.
    struct Expected: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: ParameterSpec.Kind
        var unit: String?
        var defaultValue: JSONValue?
        var minimum: Double?
        var maximum: Double?
        var choices: [String] = []
        var testDescription: String { name }
    }

    static let expected: [Expected] = [
        Expected(name: "snap_km", kind: .number, unit: "km", defaultValue: .number(10), minimum: 0, maximum: 200),
        Expected(name: "routes", kind: .integer, defaultValue: .number(1), minimum: 1, maximum: 10),
        Expected(name: "ring", kind: .boolean, defaultValue: .bool(false)),
        Expected(name: "title", kind: .string, defaultValue: .string("WattBit plan")),
        Expected(name: "via", kind: .string),
        Expected(name: "budget_jpy", kind: .number, unit: "JPY", minimum: 0, maximum: 1e16),
        Expected(name: "mode", kind: .enum, defaultValue: .string("exact"), choices: ["fast", "exact", "straight-line"]),
        Expected(name: "list_tiles", kind: .boolean, defaultValue: .bool(false)),
    ]

    @Test("every declaration becomes its manifest entry, in order, and survives the JSON round trip")
    func manifestEntries() throws {
        let bytes = JSONText.encode(Sample.manifest.jsonValue, pretty: true)
        let decoded = try Manifest(json: try JSONText.parse(bytes, source: "manifest"))
        #expect(decoded == Sample.manifest)
        #expect(decoded.parameters.map(\.name) == Self.expected.map(\.name))
        for (spec, want) in zip(decoded.parameters, Self.expected) {
            #expect(spec.kind == want.kind, "\(want.name)")
            #expect(spec.unit == want.unit, "\(want.name)")
            #expect(spec.defaultValue == want.defaultValue, "\(want.name)")
            #expect(spec.minimum == want.minimum && spec.maximum == want.maximum, "\(want.name)")
            #expect(spec.choices == want.choices, "\(want.name)")
            #expect(!spec.required, "\(want.name)")
        }
        #expect(Sample.manifest.outputs[1].when == "list_tiles")
        #expect(Sample.manifest.outputSelectionProblem == nil)
    }

    @Test("typed access returns the defaults when nothing is given")
    func defaults() throws {
        let parameters = try PlannerInvocation.parse([], manifest: Sample.manifest).parameters
        #expect(parameters[Sample.snapKm] == 10)
        #expect(parameters[Sample.routes] == 1)
        #expect(parameters[Sample.ring] == false)
        #expect(parameters[Sample.title] == "WattBit plan")
        #expect(parameters[Sample.via] == nil)
        #expect(parameters[Sample.budgetJPY] == nil)
        #expect(parameters[Sample.mode] == .exact)
        #expect(!parameters.isSet(Sample.snapKm) && !parameters.isSet(Sample.mode))
        #expect(Sample.manifest.outputs(selectedBy: parameters).map(\.format) == [.geojson])
    }

    @Test("typed access returns what the command line gave")
    func givenValues() throws {
        let arguments = ["--snap-km", "2.5", "--routes", "3", "--ring", "--title", "Kyushu", "--via", "Akita,Tsuruga",
                         "--budget-jpy", "5e9", "--mode", "straight-line", "--list-tiles"]
        let parameters = try PlannerInvocation.parse(arguments, manifest: Sample.manifest).parameters
        #expect(parameters[Sample.snapKm] == 2.5)
        #expect(parameters[Sample.routes] == 3)
        #expect(parameters[Sample.ring] == true)
        #expect(parameters[Sample.title] == "Kyushu")
        #expect(parameters[Sample.via] == "Akita,Tsuruga")
        #expect(parameters[Sample.budgetJPY] == 5e9)
        #expect(parameters[Sample.mode] == .straightLine)
        #expect(parameters.isSet(Sample.snapKm) && parameters.isSet(Sample.mode) && parameters.isSet(Sample.ring))
        #expect(Sample.manifest.outputs(selectedBy: parameters).map(\.format) == [.text])
    }

    @Test("bounds and choices of a declaration are enforced by the parser")
    func validation() {
        for arguments in [["--snap-km", "201"], ["--routes", "0"], ["--routes", "1.5"], ["--mode", "slow"]] {
            #expect(throws: PlannerError.self, "\(arguments)") {
                try PlannerInvocation.parse(arguments, manifest: Sample.manifest)
            }
        }
    }

    @Test("a declaration knows its flag")
    func flags() {
        #expect(Sample.snapKm.flag == "--snap-km")
        #expect(Sample.budgetJPY.flag == "--budget-jpy")
        #expect(Sample.mode.name == "mode")
    }
}
