import Foundation
import GeoCore
import Testing
import PlannerKit
@testable import WattBitHost

@Suite("host: output checks and discovery")
struct HostTests {
    static let manifest = Manifest(
        name: "t", version: "1", summary: "s",
        outputs: [OutputSpec(format: .geojson, roles: ["hub": ["Point"], "hub-member": ["Point", "MultiPoint"], "note": []])])

    struct OutputCase: Sendable, CustomTestStringConvertible {
        var label: String
        var output: String
        var format: GeoJSONFormat = .featureCollection
        /// A fragment of the problem, or nil when the output is valid.
        var problem: String?
        var testDescription: String { label }
    }

    static func feature(_ role: String?, _ geometry: String) -> String {
        let properties = role.map { #"{"role":"\#($0)"}"# } ?? "{}"
        return #"{"type":"Feature","geometry":\#(geometry),"properties":\#(properties)}"#
    }
    static let point = #"{"type":"Point","coordinates":[139.7,35.7]}"#
    static let line = #"{"type":"LineString","coordinates":[[139.7,35.7],[140,36]]}"#
    static func collection(_ features: String...) -> String {
        #"{"type":"FeatureCollection","features":[\#(features.joined(separator: ","))]}"#
    }

    static let outputCases: [OutputCase] = [
        OutputCase(label: "valid", output: collection(feature("hub", point), feature("note", "null")), problem: nil),
        OutputCase(label: "empty collection", output: collection(), problem: nil),
        OutputCase(label: "nothing at all", output: "", problem: "empty output"),
        OutputCase(label: "truncated", output: #"{"type":"FeatureCollection","features":[{"type":"Feat"#, problem: "<output>:1:"),
        OutputCase(label: "not GeoJSON", output: #"{"hello":1}"#, problem: "<output>"),
        OutputCase(label: "wrong geometry for role", output: collection(feature("hub", point), feature("hub", line)),
                   problem: "features[1] (role hub) is a LineString; the manifest declares Point"),
        OutputCase(label: "null geometry for a typed role", output: collection(feature("hub", "null")),
                   problem: "features[0] (role hub) is a null"),
        OutputCase(label: "undeclared role", output: collection(feature("gap", point)),
                   problem: #"features[0] has role "gap", which the manifest does not declare"#),
        OutputCase(label: "no role", output: collection(feature(nil, point)), problem: #"features[0] has no "role" property"#),
        OutputCase(label: "sequence where a collection was asked for", output: "\u{1E}" + feature("hub", point) + "\n",
                   problem: "RFC 8142 sequence"),
        OutputCase(label: "valid sequence", output: "\u{1E}" + feature("hub", point) + "\n\u{1E}" + feature("hub-member", point) + "\n",
                   format: .sequence, problem: nil),
        OutputCase(label: "empty sequence", output: "", format: .sequence, problem: nil),
        OutputCase(label: "a collection where a sequence was asked for", output: collection(feature("hub", point)),
                   format: .sequence, problem: "not an RFC 8142 sequence"),
        OutputCase(label: "sequence with a cut record", output: "\u{1E}" + feature("hub", point) + "\n\u{1E}{\"type\":\"Fea",
                   format: .sequence, problem: "<output>"),
    ]

    @Test(arguments: outputCases)
    func checkOutput(_ testCase: OutputCase) {
        let problem = PlannerHost.checkOutput(Array(testCase.output.utf8), manifest: Self.manifest, format: testCase.format)
        if let expected = testCase.problem {
            #expect(problem?.contains(expected) == true, "got: \(problem ?? "valid")")
        } else {
            #expect(problem == nil, "\(problem ?? "")")
        }
    }

    @Test("document planners: an SVG must look like SVG")
    func documents() {
        let svg = Manifest(name: "map", version: "1", summary: "s", outputs: [OutputSpec(format: .svg), OutputSpec(format: .html)])
        #expect(PlannerHost.checkOutput(Array("<?xml version=\"1.0\"?><svg></svg>".utf8), manifest: svg, format: .featureCollection) == nil)
        #expect(PlannerHost.checkOutput(Array("<!DOCTYPE html><html></html>".utf8), manifest: svg, format: .featureCollection) == nil)
        #expect(PlannerHost.checkOutput([], manifest: svg, format: .featureCollection) == "empty output")
        let htmlOnly = Manifest(name: "map", version: "1", summary: "s", outputs: [OutputSpec(format: .html)])
        #expect(PlannerHost.checkOutput(Array("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8), manifest: htmlOnly,
                                        format: .featureCollection) == nil, "a renderer may choose SVG")
        #expect(PlannerHost.checkOutput(Array("{}".utf8), manifest: svg, format: .featureCollection) != nil)
    }

    /// A planner with a text list behind --list-tiles and a sequence of cells behind
    /// --cells-only (as `wattbit siting`): the flag selects the output the host checks and
    /// the framing both sides default to.
    static let selecting = Manifest(
        name: "tiles", version: "1", summary: "s",
        parameters: [ParameterSpec(name: "list_tiles", kind: .boolean, description: "l", defaultValue: false),
                     ParameterSpec(name: "cells_only", kind: .boolean, description: "c", defaultValue: false)],
        outputs: [OutputSpec(format: .geojson, roles: ["site": ["Point"]]),
                  OutputSpec(format: .text, when: "list_tiles"),
                  OutputSpec(format: .geojsonseq, roles: ["cell": ["Point"]], when: "cells_only")])

    @Test("an output's `when` flag selects what the host checks and the default framing")
    func selectedOutputs() throws {
        func invocation(_ arguments: [String]) throws -> PlannerInvocation {
            try PlannerInvocation.parse(arguments, manifest: Self.selecting, checkInputFiles: false)
        }
        func check(_ text: String, _ arguments: [String]) throws -> String? {
            let i = try invocation(arguments)
            return PlannerHost.checkOutput(Array(text.utf8), manifest: Self.selecting, format: i.format, parameters: i.parameters)
        }
        let site = Self.collection(Self.feature("site", Self.point))
        let cellRecord = "\u{1E}" + Self.feature("cell", Self.point) + "\n"
        // Plain run: a FeatureCollection of sites; lines of text are not GeoJSON.
        #expect(try invocation([]).format == .featureCollection)
        #expect(try check(site, []) == nil)
        #expect(try check("5339\n5340\n", []) != nil)
        // --list-tiles: lines of text pass (an empty list too); NUL bytes and bad UTF-8 do not.
        #expect(try check("5339\n5340\n", ["--list-tiles"]) == nil)
        #expect(try check("", ["--list-tiles"]) == nil)
        #expect(try check("53\u{0}39\n", ["--list-tiles"])?.contains("NUL") == true)
        let i = try invocation(["--list-tiles"])
        #expect(PlannerHost.checkOutput([0x35, 0xFF, 0x0A], manifest: Self.selecting, format: i.format, parameters: i.parameters)?
            .contains("UTF-8") == true)
        // --cells-only: a sequence by default, of role cell only; --format geojson still wins.
        #expect(try invocation(["--cells-only"]).format == .sequence)
        #expect(try invocation(["--cells-only", "--format", "geojson"]).format == .featureCollection)
        #expect(try check(cellRecord + cellRecord, ["--cells-only"]) == nil)
        #expect(try check(Self.collection(Self.feature("cell", Self.point)), ["--cells-only"])?.contains("RFC 8142") == true)
        #expect(try check("\u{1E}" + Self.feature("site", Self.point) + "\n", ["--cells-only"])?.contains("does not declare") == true)
        #expect(try check(Self.collection(Self.feature("cell", Self.point)), ["--cells-only", "--format", "geojson"]) == nil)
        // Without parameters (an old caller) every output's roles are allowed, as before.
        #expect(PlannerHost.checkOutput(Array(site.utf8), manifest: Self.selecting, format: .featureCollection) == nil)
    }

    @Test("a manifest whose output `when` names no boolean parameter is refused")
    func whenMustNameBoolean() throws {
        var json = Self.selecting.jsonValue
        guard case .object(var object) = json, case .array(var outputs)? = object["outputs"],
              case .object(var text) = outputs[1] else { Issue.record("manifest shape"); return }
        text["when"] = "no_such_flag"
        outputs[1] = .object(text)
        object["outputs"] = .array(outputs)
        json = .object(object)
        #expect(throws: (any Error).self) { try Manifest(json: json) }
        #expect(try Manifest(json: Self.selecting.jsonValue) == Self.selecting)
    }

    @Test("discovery skips empty, '.', relative and duplicate entries; first executable wins")
    func discovery() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("wattbit-discovery-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        for directory in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: base + "/" + directory, withIntermediateDirectories: true)
        }
        try FileManager.default.createSymbolicLink(atPath: base + "/a-link", withDestinationPath: base + "/a")
        func write(_ path: String, mode: Int) throws {
            try "#!/bin/sh\n".write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        }
        try write(base + "/a/wattbit-cable", mode: 0o755)
        try write(base + "/b/wattbit-cable", mode: 0o755)
        try write(base + "/a/wattbit-draft", mode: 0o644)
        try write(base + "/b/wattbit-draft", mode: 0o755)
        try write(base + "/a/wattbit-Bad.Name", mode: 0o755)

        let discovery = PluginDiscovery.fromEnvironment(binaryDirectory: nil,
                                                        pluginPath: "\(base)/a::.:relative:\(base)/a-link",
                                                        path: "\(base)/b:")
        #expect(discovery.directories.map(\.path) == ["\(base)/a", "\(base)/b"], "a-link is a, listed once")
        #expect(discovery.skippedEntries.count == 4)
        let cable = try #require(discovery.resolve("cable"))
        #expect(cable.winner?.path == "\(base)/a/wattbit-cable")
        #expect(cable.shadowed.map(\.path) == ["\(base)/b/wattbit-cable"])
        // A non-executable file does not shadow a working one further on; it is reported.
        let draft = try #require(discovery.resolve("draft"))
        #expect(draft.winner?.path == "\(base)/b/wattbit-draft")
        #expect(draft.notExecutable.map(\.path) == ["\(base)/a/wattbit-draft"])
        #expect(discovery.resolve("Bad.Name") == nil)
        #expect(PluginDiscovery.plannerName(fileName: "wattbit-cable.swiftmodule") == nil)
        #expect(PluginDiscovery.plannerName(fileName: "wattbit-landing-diversity") == "landing-diversity")
    }

    /// Where the shipped plugins are found with no setting: `PREFIX/libexec/wattbit` beside an
    /// installed `PREFIX/bin/wattbit`, and `ROOT/Plugins/*/` beside a build tree's
    /// `ROOT/.build/…/release/wattbit` (only when ROOT holds Package.swift).
    @Test("discovery: the installed planner directory and a build tree's Plugins/ are searched by default")
    func defaultPlannerDirectories() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("wattbit-default-dirs-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let fm = FileManager.default
        func executable(_ path: String) throws {
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "#!/bin/sh\n".write(toFile: path, atomically: true, encoding: .utf8)
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        // Installed: PREFIX/bin/wattbit-cable, PREFIX/libexec/wattbit/wattbit-python-plugin.
        try executable("\(base)/prefix/bin/wattbit-cable")
        try executable("\(base)/prefix/libexec/wattbit/wattbit-python-plugin")
        #expect(PluginDiscovery.plannerDirectory(binaryDirectory: "/usr/local/bin") == "/usr/local/libexec/wattbit")
        let installed = PluginDiscovery.fromEnvironment(binaryDirectory: "\(base)/prefix/bin", pluginPath: nil, path: nil)
        #expect(installed.directories.map(\.origin) == [.binaryDirectory, .plannerDirectory])
        #expect(installed.resolve("python-plugin")?.winner?.path == "\(base)/prefix/libexec/wattbit/wattbit-python-plugin")

        // Build tree: ROOT/Package.swift, ROOT/Plugins/{a,b}/, binary in ROOT/.build/x86_64/release.
        let root = "\(base)/checkout"
        try fm.createDirectory(atPath: "\(root)/.build/x86_64-unknown-linux-gnu/release", withIntermediateDirectories: true)
        try "// swift-tools-version:6.0\n".write(toFile: "\(root)/Package.swift", atomically: true, encoding: .utf8)
        try executable("\(root)/Plugins/b-plugin/wattbit-b")
        try executable("\(root)/Plugins/a-plugin/wattbit-a")
        try fm.createDirectory(atPath: "\(root)/Plugins/.hidden", withIntermediateDirectories: true)
        let release = "\(root)/.build/x86_64-unknown-linux-gnu/release"
        #expect(PluginDiscovery.buildTreePluginDirectories(binaryDirectory: release)
                == ["\(root)/Plugins/a-plugin", "\(root)/Plugins/b-plugin"])
        let tree = PluginDiscovery.fromEnvironment(binaryDirectory: release, pluginPath: nil, path: nil)
        #expect(tree.resolveAll().map(\.name) == ["a", "b"])
        #expect(tree.resolve("b")?.winner?.directory.origin == .buildTree)

        // Not a build tree: no Package.swift beside .build, or no .build at all.
        try fm.removeItem(atPath: "\(root)/Package.swift")
        #expect(PluginDiscovery.buildTreePluginDirectories(binaryDirectory: release).isEmpty)
        #expect(PluginDiscovery.buildTreePluginDirectories(binaryDirectory: "\(base)/prefix/bin").isEmpty)
    }

    @Test("atomic files: all staged files appear together, an abandoned set leaves nothing")
    func atomicFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wattbit-atomic-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = AtomicFileSet()
        try files.stage(path: directory + "/a.geojson", contents: Array("a".utf8))
        try files.stage(path: directory + "/b.csv", contents: Array("b".utf8))
        #expect(!FileManager.default.fileExists(atPath: directory + "/a.geojson"), "nothing visible before commit")
        try files.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["a.geojson", "b.csv"])

        let abandoned = AtomicFileSet()
        try abandoned.stage(path: directory + "/c.geojson", contents: Array("c".utf8))
        abandoned.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["a.geojson", "b.csv"])

        #expect(throws: PlannerError.self) {
            try AtomicFileSet().stage(path: directory + "/missing/x.geojson", contents: [])
        }
    }
}
