import GeoCore
import Testing
@testable import PlannerKit

// Parsing `run` command lines against a manifest: what a user types, what the planner
// gets, and the exact one-line message and status when it is wrong.

enum SampleManifest {
    static let manifest = Manifest(
        name: "sample", version: "1.0.0", summary: "test planner",
        inputs: [
            InputSpec(name: "sites", description: "", geometryTypes: ["Point"], requiredProperties: ["capacity_mw"]),
            InputSpec(name: "avoid", description: "", geometryTypes: ["Polygon", "MultiPolygon"], required: false),
            InputSpec(name: "layer", description: "", required: false, multiple: true),
        ],
        parameters: [
            ParameterSpec(name: "max_rtt_ms", kind: .number, description: "budget", unit: "ms",
                          defaultValue: 1.0, minimum: 0.001, maximum: 1000),
            ParameterSpec(name: "routes", kind: .integer, description: "", defaultValue: 3, minimum: 1, maximum: 20),
            ParameterSpec(name: "distinct_landings", kind: .boolean, description: "", defaultValue: true),
            ParameterSpec(name: "mode", kind: .enum, description: "", defaultValue: "fast", choices: ["fast", "exact"]),
            ParameterSpec(name: "label", kind: .string, description: ""),
            ParameterSpec(name: "budget_jpy", kind: .number, description: "", unit: "JPY", minimum: 0, required: true),
        ])
}

struct ParseCase: Sendable, CustomTestStringConvertible {
    var label: String
    var arguments: [String]
    /// Expected values of parameters (by manifest name) when parsing succeeds.
    var values: [String: JSONValue] = [:]
    var code: PlannerExitCode? = nil
    var message: String? = nil
    var testDescription: String { label }
}

@Suite("run command lines")
struct ArgumentsTests {
    static let required = ["--sites", "s.geojson", "--budget-jpy", "5e9"]

    static let cases: [ParseCase] = [
        ParseCase(label: "defaults fill in", arguments: required,
                  values: ["max_rtt_ms": 1.0, "routes": 3, "distinct_landings": true, "mode": "fast", "budget_jpy": 5e9]),
        ParseCase(label: "hyphens and underscores are the same flag", arguments: required + ["--max_rtt_ms", "2.5"],
                  values: ["max_rtt_ms": 2.5]),
        ParseCase(label: "--NAME=VALUE", arguments: required + ["--max-rtt-ms=0.5", "--mode=exact"],
                  values: ["max_rtt_ms": 0.5, "mode": "exact"]),
        ParseCase(label: "--no-BOOL", arguments: required + ["--no-distinct-landings"], values: ["distinct_landings": false]),
        ParseCase(label: "--BOOL=false", arguments: required + ["--distinct-landings=false"], values: ["distinct_landings": false]),
        ParseCase(label: "last one wins", arguments: required + ["--routes", "2", "--routes", "5"], values: ["routes": 5]),
        ParseCase(label: "inclusive bounds", arguments: required + ["--routes", "20", "--max-rtt-ms", "0.001"],
                  values: ["routes": 20, "max_rtt_ms": 0.001]),
        ParseCase(label: "negative number is a value, not a flag", arguments: ["--sites", "s", "--budget-jpy", "-1"],
                  code: .usage, message: "--budget-jpy -1 is out of range: must be at least 0 JPY"),
        ParseCase(label: "unknown parameter with suggestion", arguments: required + ["--max-rtt", "2"],
                  code: .usage, message: "unknown parameter --max-rtt; did you mean --max-rtt-ms?"),
        ParseCase(label: "unknown parameter, nothing close", arguments: required + ["--colour", "red"],
                  code: .usage, message: "unknown parameter --colour"),
        ParseCase(label: "above maximum names bounds and unit", arguments: required + ["--max-rtt-ms", "1500"],
                  code: .usage, message: "--max-rtt-ms 1500 is out of range: must be between 0.001 and 1000 ms (inclusive)"),
        ParseCase(label: "integer parameter given a fraction", arguments: required + ["--routes", "2.5"],
                  code: .usage, message: "--routes 2.5: expected an integer"),
        ParseCase(label: "not a number", arguments: required + ["--max-rtt-ms", "fast"],
                  code: .usage, message: "--max-rtt-ms fast: expected a number in ms"),
        ParseCase(label: "nan is not a number", arguments: required + ["--max-rtt-ms", "nan"],
                  code: .usage, message: "--max-rtt-ms nan: expected a number in ms"),
        ParseCase(label: "enum with suggestion", arguments: required + ["--mode", "exakt"],
                  code: .usage, message: "--mode 'exakt' is not one of: fast, exact; did you mean 'exact'?"),
        ParseCase(label: "missing value at the end", arguments: required + ["--routes"],
                  code: .usage, message: "--routes needs a value"),
        ParseCase(label: "missing value before the next flag", arguments: ["--routes", "--sites", "s", "--budget-jpy", "1"],
                  code: .usage, message: "--routes needs a value (found --sites instead)"),
        ParseCase(label: "missing required parameter", arguments: ["--sites", "s.geojson"],
                  code: .usage, message: "missing required parameter --budget-jpy NUMBER"),
        ParseCase(label: "missing required input", arguments: ["--budget-jpy", "1"],
                  code: .usage, message: "missing required input --sites FILE (Point features with property capacity_mw)"),
        ParseCase(label: "input given twice", arguments: required + ["--sites", "t.geojson"],
                  code: .usage, message: "--sites given twice; it takes one file"),
        ParseCase(label: "two inputs on stdin", arguments: ["--sites", "-", "--avoid", "-", "--budget-jpy", "1"],
                  code: .usage, message: "only one input can read stdin, but --sites and --avoid all say -"),
        ParseCase(label: "positional argument", arguments: required + ["extra"],
                  code: .usage, message: "unexpected argument 'extra': inputs and parameters are given as --NAME VALUE"),
        ParseCase(label: "short option", arguments: required + ["-x"], code: .usage, message: "unknown option -x"),
        ParseCase(label: "bad --format", arguments: required + ["--format", "kml"],
                  code: .usage, message: "--format kml: expected geojson (a FeatureCollection) or geojsonseq (RFC 8142 sequence)"),
        ParseCase(label: "bad --progress", arguments: required + ["--progress", "loud"],
                  code: .usage, message: "--progress loud: expected auto, json, none or bar"),
        ParseCase(label: "--no- on a non-boolean", arguments: required + ["--no-routes"],
                  code: .usage, message: "unknown parameter --no-routes; did you mean --routes?"),
    ]

    @Test(arguments: cases)
    func parse(_ testCase: ParseCase) throws {
        do {
            let invocation = try PlannerInvocation.parse(testCase.arguments, manifest: SampleManifest.manifest,
                                                         checkInputFiles: false)
            #expect(testCase.code == nil, "parsed, but expected: \(testCase.message ?? "")")
            for (name, value) in testCase.values {
                #expect(invocation.parameters.values[name] == value, "\(name)")
            }
        } catch let error as PlannerError {
            #expect(error.code == testCase.code, "\(error.message)")
            if let message = testCase.message {
                #expect(error.message == message)
            }
        }
    }

    @Test("options every planner has")
    func commonOptions() throws {
        let invocation = try PlannerInvocation.parse(
            Self.required + ["--format", "geojsonseq", "-o", "out.geojsonseq", "--progress", "json", "--layer", "a", "--layer", "b"],
            manifest: SampleManifest.manifest, checkInputFiles: false)
        #expect(invocation.format == .sequence)
        #expect(invocation.outputPath == "out.geojsonseq")
        #expect(invocation.progressMode == .json)
        #expect(invocation.inputs.paths["layer"] == ["a", "b"])
        #expect(invocation.parameters.isSet("budget_jpy"))
        #expect(!invocation.parameters.isSet("routes"))
    }

    @Test("--help wins over everything else on the line")
    func helpWins() throws {
        let invocation = try PlannerInvocation.parse(["--bogus", "--help"], manifest: SampleManifest.manifest)
        #expect(invocation.helpRequested)
    }

    @Test("the host passes canonical flags spelled as in the manifest, without -o")
    func canonicalArguments() throws {
        let invocation = try PlannerInvocation.parse(
            ["--sites", "s.geojson", "--budget-jpy=5", "--max-rtt-ms", "2", "--no-distinct-landings", "-o", "x", "--format", "geojsonseq"],
            manifest: SampleManifest.manifest, checkInputFiles: false)
        #expect(invocation.canonicalArguments(manifest: SampleManifest.manifest) ==
                ["run", "--max_rtt_ms", "2", "--no-distinct_landings",
                 "--budget_jpy", "5", "--sites", "s.geojson", "--format", "geojsonseq"])
    }

    @Test("missing and unreadable input files are 66, checked before the run")
    func inputFiles() throws {
        #expect(throws: PlannerError.self) {
            try PlannerInvocation.parse(["--sites", "/nonexistent/s.geojson", "--budget-jpy", "1"], manifest: SampleManifest.manifest)
        }
        do {
            _ = try PlannerInvocation.parse(["--sites", "/tmp", "--budget-jpy", "1"], manifest: SampleManifest.manifest)
        } catch let error as PlannerError {
            #expect(error.code == .noInput)
            #expect(error.message == "--sites /tmp: is a directory, not a file")
        }
    }

    @Test("edit distance")
    func editDistances() {
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("", "abc") == 3)
        #expect(closest("--max-rtt", among: ["--max-rtt-ms", "--routes"]) == "--max-rtt-ms")
        #expect(closest("--zzzzzz", among: ["--max-rtt-ms", "--routes"]) == nil)
    }
}
