import Foundation
import PlannerKit
import Testing
@testable import WattBitHost

/// The grammar of `wattbit [run] [HOST OPTIONS] NAME [PLANNER ARGUMENTS]`, as a table: a new
/// bug is a new row.
@Suite("host command line")
struct HostCommandLineTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var name: String?
        var rest: [String] = []
        var timeout: Double?
        var check = true
        var stream = false
        var help = false
        var error: String?
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let leadingRows: [Row] = [
        Row(arguments: ["cable", "--from", "a"], name: "cable", rest: ["--from", "a"]),
        Row(arguments: ["--timeout", "5", "cable"], name: "cable", timeout: 5),
        Row(arguments: ["--timeout=2.5", "--no-check", "hubs", "-o", "x"], name: "hubs", rest: ["-o", "x"], timeout: 2.5, check: false),
        Row(arguments: ["--stream", "gaps"], name: "gaps", stream: true),
        Row(arguments: ["--no-check", "--check", "map"], name: "map"),
        Row(arguments: ["--help"], help: true),
        Row(arguments: ["-h", "cable"], help: true),
        Row(arguments: [], name: nil),
        Row(arguments: ["--timeout"], error: "--timeout needs a value in seconds"),
        Row(arguments: ["--timeout", "0", "cable"], error: "--timeout 0: expected a positive number of seconds"),
        Row(arguments: ["--timeout", "nan", "cable"], error: "--timeout nan: expected a positive number of seconds"),
        Row(arguments: ["--bogus", "cable"], error: "unknown option --bogus before the planner name"),
    ]

    @Test("host options before NAME", arguments: leadingRows)
    func leading(_ row: Row) {
        do {
            let leading = try HostCommandLine.leading(row.arguments)
            #expect(row.error == nil, "expected an error")
            #expect(leading.helpRequested == row.help)
            guard !row.help else { return }
            #expect(leading.name == row.name)
            #expect(leading.rest == row.rest)
            #expect(leading.options.timeoutSeconds == row.timeout)
            #expect(leading.options.check == row.check)
            #expect(leading.options.stream == row.stream)
        } catch {
            #expect(error.code == .usage)
            #expect(row.error.map { error.message.contains($0) } == true, "\(error.message)")
        }
    }

    static let manifest = Manifest(name: "demo", version: "1", summary: "s",
                                   parameters: [ParameterSpec(name: "timeout", kind: .number, description: "own")])

    @Test("after NAME, host options the planner does not declare are taken out")
    func afterName() throws {
        var options = PlannerHost.RunOptions()
        let rest = try HostCommandLine.plannerArguments(["--stream", "--x", "1", "--no-check", "--timeout", "3"],
                                                        manifest: Self.manifest, options: &options)
        // --timeout is the planner's own parameter here, so it passes through.
        #expect(rest == ["--x", "1", "--timeout", "3"])
        #expect(options.stream && !options.check && options.timeoutSeconds == nil)
        var plain = PlannerHost.RunOptions()
        let other = Manifest(name: "other", version: "1", summary: "s")
        #expect(try HostCommandLine.plannerArguments(["--timeout=4", "-o", "f"], manifest: other, options: &plain) == ["-o", "f"])
        #expect(plain.timeoutSeconds == 4)
    }

    @Test("the list table: usable, shadowed under the winner, broken with the reason")
    func listTable() {
        let rows = [
            ListRow(name: "cable", version: "0.1.0", summary: "Routes", path: "/a/wattbit-cable", status: "ok", reason: ""),
            ListRow(name: "cable", version: "0.0.9", summary: "Old", path: "/b/wattbit-cable", status: "shadowed", reason: ""),
            ListRow(name: "draft", version: "", summary: "", path: "/a/wattbit-draft", status: "broken", reason: "not executable"),
        ]
        let lines = ListRow.table(rows, searched: ["/a", "/b"]).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasPrefix("NAME"))
        #expect(lines[1].hasPrefix("cable") && lines[1].hasSuffix("/a/wattbit-cable"))
        #expect(lines[2] == "  shadowed: /b/wattbit-cable (also wattbit-cable; hidden by the one above)")
        #expect(lines.contains("Broken (found, but cannot be used):"))
        #expect(lines.contains { $0.hasSuffix("/a/wattbit-draft: not executable") })
        #expect(ListRow.table([], searched: ["/a", "/b"]) == "No planners found. Searched: /a:/b\n")
    }

    @Test("an unknown planner name is 69 with the nearest name suggested")
    func unknownPlanner() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("wattbit-resolve-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        try "#!/bin/sh\n".write(toFile: base + "/wattbit-cable", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: base + "/wattbit-cable")
        let discovery = PluginDiscovery.fromEnvironment(binaryDirectory: nil, pluginPath: base, path: nil)
        #expect {
            try Resolve.planner("cabel", discovery: discovery)
        } throws: { error in
            guard let error = error as? PlannerError else { return false }
            return error.code == .unavailable && error.message.contains("did you mean 'cable'?")
                && error.message.contains("(available: cable)")
        }
    }
}
