import Foundation
import Testing

/// Man pages and shell completions are generated from the planners' manifests by the same
/// tools/gen-docs as the parameter tables, and checked for staleness the same way: a page or
/// script edited by hand (or left behind by a manifest change) is named by `--check` (exit 1,
/// nothing written), and regenerating gives back the committed file byte for byte.
/// (That the committed files are current is DocsTests.testPlannerDocsAreCurrent.)
@Suite("generated man pages and completions")
struct GeneratedFilesTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var path: String
        /// The committed text → the stale text; nil deletes the file.
        var mutate: @Sendable (String) -> String?
        var problem: String
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "a hand-edited man page", path: "docs/man/wattbit-map.1",
             mutate: { $0.replacingOccurrences(of: ".SH OPTIONS", with: ".SH OPTIONS\n.TP\n.B \\-\\-old\\-flag") },
             problem: "out of date"),
        Case(label: "the host's man page without a planner", path: "docs/man/wattbit.1",
             mutate: { $0.replacingOccurrences(of: ".BR wattbit\\-latency (1),\n", with: "") },
             problem: "out of date"),
        Case(label: "a bash completion missing a flag", path: "completions/wattbit.bash",
             mutate: { $0.replacingOccurrences(of: "'--min-separation-km value' \\\n", with: "") },
             problem: "out of date"),
        Case(label: "a deleted zsh completion", path: "completions/_wattbit", mutate: { _ in nil },
             problem: "file missing"),
        Case(label: "a fish completion with a stale enum", path: "completions/wattbit.fish",
             mutate: { $0.replacingOccurrences(of: "'--format enum auto html svg", with: "'--format enum html svg") },
             problem: "out of date"),
    ]

    @Test("a stale man page or completion is named by --check and regenerated exactly", arguments: cases)
    func staleFileIsNamedAndRegenerated(_ testCase: Case) throws {
        let bin = try Tool.binDirectory().path
        let root = try Tool.temporaryDirectory("wattbit-gen-files")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        // gen-docs works on its own checkout: the pages it writes and the Python plugin it asks.
        for directory in ["docs/planners", "docs/man", "completions", "tools", "Plugins/landing-diversity"] {
            try fm.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
        }
        let source = Tool.packageRoot.path
        var files = ["tools/gen-docs", "Plugins/README.md", "Plugins/landing-diversity/wattbit-landing-diversity"]
        for directory in ["docs/planners", "docs/man", "completions"] {
            files += try fm.contentsOfDirectory(atPath: "\(source)/\(directory)").map { "\(directory)/\($0)" }
        }
        for file in files { try fm.copyItem(atPath: "\(source)/\(file)", toPath: "\(root)/\(file)") }

        let committed = try String(contentsOfFile: "\(root)/\(testCase.path)", encoding: .utf8)
        let stale = testCase.mutate(committed)
        #expect(stale != committed, "the fixture did not change \(testCase.path)")
        if let stale {
            try stale.write(toFile: "\(root)/\(testCase.path)", atomically: true, encoding: .utf8)
        } else {
            try fm.removeItem(atPath: "\(root)/\(testCase.path)")
        }

        let genDocs = "\(root)/tools/gen-docs"
        let check = try Tool.runExecutable(at: genDocs, ["--check", "--bin-dir", bin], timeout: 300)
        #expect(check.exitCode == 1, "--check must fail: \(check.stdoutText) \(check.stderr)")
        #expect(check.stdoutText.contains("stale: \(testCase.path): \(testCase.problem)"),
                "--check must name \(testCase.path): \(check.stdoutText)")
        #expect(check.stdoutText.split(separator: "\n").count == 1, "only that file is stale: \(check.stdoutText)")
        #expect((try? String(contentsOfFile: "\(root)/\(testCase.path)", encoding: .utf8)) == stale,
                "--check must not write")

        let write = try Tool.runExecutable(at: genDocs, ["--bin-dir", bin], timeout: 300)
        #expect(write.exitCode == 0, "\(write.stderr)")
        #expect(try String(contentsOfFile: "\(root)/\(testCase.path)", encoding: .utf8) == committed,
                "regenerating must give back the committed \(testCase.path) exactly")
        let recheck = try Tool.runExecutable(at: genDocs, ["--check", "--bin-dir", bin], timeout: 300)
        #expect(recheck.exitCode == 0, "after regeneration: \(recheck.stdoutText)")
    }
}
