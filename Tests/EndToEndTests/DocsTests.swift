import Foundation
import Testing

/// The docs a user reads agree with the planners they run: the parameter tables in
/// docs/planners/*.md and Plugins/README.md are generated from each planner's manifest by
/// tools/gen-docs (and must be current), `wattbit list` shows every built-in planner, and
/// each planner's `--help` names every parameter its manifest declares.
@Suite struct DocsTests {
    /// The planners that ship with WattBit. A new built-in planner is one more row.
    static let builtInPlanners = ["cable", "hubs", "gaps", "map", "siting", "latency"]
    /// The Python plugin in the tree, run by path (it is not built by SwiftPM).
    static let pythonPlugin = (name: "landing-diversity",
                               path: "Plugins/landing-diversity/wattbit-landing-diversity")

    var genDocs: String { Tool.packageRoot.appendingPathComponent("tools/gen-docs").path }

    // MARK: generated docs

    @Test func plannerDocsAreCurrent() throws {
        let bin = try Tool.binDirectory().path
        let result = try Tool.runExecutable(at: genDocs, ["--check", "--bin-dir", bin], timeout: 300)
        #expect(result.exitCode == 0, """
            planner docs are stale or could not be checked; run tools/gen-docs (with the planners \
            built, e.g. `swift build -c release`) and commit the regenerated tables.
            \(result.stdoutText)\(result.stderr)
            """)
    }

    /// A page whose table was edited by hand (or whose manifest changed) is reported by
    /// --check with its path and exit 1, and regenerating restores the committed page without
    /// touching a byte outside the markers. A page without markers gets them, under
    /// "## Parameters".
    @Test func checkNamesAStalePageAndRegenerationRestoresIt() throws {
        let bin = try Tool.binDirectory().path
        let root = try Tool.temporaryDirectory("wattbit-gen-docs")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        for directory in ["tools", "docs/planners"] {
            try fm.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
        }
        try fm.copyItem(atPath: genDocs, toPath: "\(root)/tools/gen-docs")
        let committed = try String(contentsOf: Tool.packageRoot.appendingPathComponent("docs/planners/map.md"),
                                   encoding: .utf8)
        let page = "\(root)/docs/planners/map.md"

        let cases: [(label: String, page: String)] = [
            ("a hand-edited table", committed.replacingOccurrences(
                of: #"(?s)<!-- parameters -->.*<!-- /parameters -->"#,
                with: "<!-- parameters -->\n| `--old-flag` | number |\n<!-- /parameters -->",
                options: .regularExpression)),
            ("a page without markers", committed.replacingOccurrences(
                of: #"(?s)\n<!-- parameters -->.*<!-- /parameters -->\n"#, with: "",
                options: .regularExpression)),
        ]
        for testCase in cases {
            #expect(testCase.page != committed, "\(testCase.label): the fixture did not change the page")
            try testCase.page.write(toFile: page, atomically: true, encoding: .utf8)

            let check = try Tool.runExecutable(at: "\(root)/tools/gen-docs", ["--check", "--bin-dir", bin, "map"])
            #expect(check.exitCode == 1, "\(testCase.label): --check must fail: \(check.stderr)")
            #expect(check.stdoutText.contains("docs/planners/map.md"), "\(testCase.label): --check must name the stale page: \(check.stdoutText)")
            #expect(try String(contentsOfFile: page, encoding: .utf8) == testCase.page, "\(testCase.label): --check must not write")

            let write = try Tool.runExecutable(at: "\(root)/tools/gen-docs", ["--bin-dir", bin, "map"])
            #expect(write.exitCode == 0, "\(testCase.label): \(write.stderr)")
            #expect(try String(contentsOfFile: page, encoding: .utf8) == committed, "\(testCase.label): regenerating must give back the committed page exactly")
            let recheck = try Tool.runExecutable(at: "\(root)/tools/gen-docs", ["--check", "--bin-dir", bin, "map"])
            #expect(recheck.exitCode == 0, "\(testCase.label): after regeneration: \(recheck.stdoutText)")
        }
    }

    // MARK: list and describe

    @Test func listShowsEveryBuiltInPlannerWithAVersion() throws {
        let result = try Tool.run("wattbit", ["list", "--json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let entries = try #require(try result.json() as? [[String: Any]], "wattbit list --json: not an array")
        for name in Self.builtInPlanners {
            let entry = entries.first { $0["name"] as? String == name && $0["status"] as? String == "ok" }
            #expect(entry != nil, "wattbit list does not show a working \(name): \(result.stdoutText)")
            let version = entry?["version"] as? String ?? ""
            #expect(version.range(of: #"^\d+\.\d+"#, options: .regularExpression) != nil, "\(name): version \"\(version)\" is not a version number")

            let describe = try Tool.run("wattbit", ["describe", name, "--json"])
            #expect(describe.exitCode == 0, "wattbit describe \(name) --json: \(describe.stderr)")
            let manifest = try #require(try describe.json() as? [String: Any], "wattbit describe \(name) --json: not a JSON object")
            #expect((manifest["name"] as? String) == name)
            #expect((manifest["protocol"] as? String) == "wattbit-planner/1", "\(name)")
            #expect((manifest["version"] as? String) == version, "\(name): list and describe disagree on the version")
        }
        // The human table names them too.
        let table = try Tool.run("wattbit", ["list"])
        #expect(table.exitCode == 0, "\(table.stderr)")
        let namesShown = Set(table.stdoutText.split(separator: "\n").compactMap {
            $0.split(separator: " ", omittingEmptySubsequences: true).first.map(String.init)
        })
        for name in Self.builtInPlanners {
            #expect(namesShown.contains(name), "wattbit list does not show \(name):\n\(table.stdoutText)")
        }
    }

    // MARK: help is rendered from the manifest

    /// Every input and parameter flag of each manifest appears in `--help`, both from the
    /// planner itself and through `wattbit NAME --help`.
    @Test func helpMentionsEveryManifestParameter() throws {
        let pluginPath = Tool.packageRoot.appendingPathComponent(Self.pythonPlugin.path).path
        let environment = ["WATTBIT_PLUGIN_PATH": (pluginPath as NSString).deletingLastPathComponent]
        var planners: [(name: String, executable: String)] = try Self.builtInPlanners.map {
            ($0, try Tool.path("wattbit-\($0)"))
        }
        planners.append((Self.pythonPlugin.name, pluginPath))

        for planner in planners {
            let describe = try Tool.runExecutable(at: planner.executable, ["describe"])
            #expect(describe.exitCode == 0, "\(planner.name) describe: \(describe.stderr)")
            let manifest = try #require(try describe.json() as? [String: Any], "\(planner.name): manifest")
            let parameters = manifest["parameters"] as? [[String: Any]] ?? []
            let inputs = manifest["inputs"] as? [[String: Any]] ?? []
            #expect(!(parameters.isEmpty && inputs.isEmpty), "\(planner.name): manifest declares nothing")

            let helps = [
                ("wattbit-\(planner.name) --help", try Tool.runExecutable(at: planner.executable, ["--help"])),
                ("wattbit \(planner.name) --help",
                 try Tool.run("wattbit", [planner.name, "--help"], environment: environment)),
            ]
            for (command, help) in helps {
                #expect(help.exitCode == 0, "\(command): \(help.stderr)")
                let text = help.stdoutText + help.stderr
                for input in inputs {
                    let flag = Self.flag(input["name"] as? String ?? "")
                    #expect(text.contains(flag), "\(command) does not mention input \(flag)")
                }
                for parameter in parameters {
                    let name = parameter["name"] as? String ?? ""
                    let flag = Self.flag(name)
                    let spelled = parameter["type"] as? String == "boolean"
                        ? [flag, "--[no-]" + flag.dropFirst(2)] : [flag]
                    #expect(spelled.contains { Self.mentions(text, $0) }, "\(command) does not mention parameter \(flag)")
                }
            }
        }
    }

    /// The command-line spelling of a manifest name: max_rtt_ms -> --max-rtt-ms.
    static func flag(_ name: String) -> String { "--" + name.replacingOccurrences(of: "_", with: "-") }

    /// Whether `flag` appears as a whole flag (so --zones does not match --zones-file).
    static func mentions(_ text: String, _ flag: String) -> Bool {
        var searchStart = text.startIndex
        while let found = text.range(of: flag, range: searchStart..<text.endIndex) {
            let next = found.upperBound < text.endIndex ? text[found.upperBound] : " "
            if !(next.isLetter || next.isNumber || next == "-" || next == "_") { return true }
            searchStart = found.upperBound
        }
        return false
    }
}
