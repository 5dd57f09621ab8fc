import Foundation
import Testing

// The host's side of the protocol, against real misbehaving plugins
// (Fixtures/plugins/README.md): whatever a plugin does, `wattbit` exits with the documented
// status, prints one line naming the plugin, and releases no output — not to stdout, not to
// -o, not even a temporary file.

/// A temporary plugin directory holding copies of the fixture plugins, plus an empty
/// working directory for `-o` files.
struct PluginSandbox {
    let pluginDirectory: String
    let workDirectory: String

    static let fixtures = Tool.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures")
    static let landingDiversityDirectory = Tool.packageRoot.appendingPathComponent("Plugins/landing-diversity").path

    init() throws {
        pluginDirectory = try Tool.temporaryDirectory("wattbit-plugins")
        workDirectory = try Tool.temporaryDirectory("wattbit-work")
        let source = Self.fixtures.appendingPathComponent("plugins")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name.hasPrefix("wattbit-") {
            let target = pluginDirectory + "/" + name
            try FileManager.default.copyItem(atPath: source.appendingPathComponent(name).path, toPath: target)
            // Modes are set here, not trusted from the checkout.
            try FileManager.default.setAttributes([.posixPermissions: name == "wattbit-noexec" ? 0o644 : 0o755],
                                                  ofItemAtPath: target)
        }
    }

    /// Fixture plugins, the Python plugin and the shadowing impostor on the plugin path;
    /// a minimal PATH so planners installed on the machine do not interfere.
    var environment: [String: String] {
        ["WATTBIT_PLUGIN_PATH": [pluginDirectory, Self.landingDiversityDirectory,
                                 Self.fixtures.appendingPathComponent("shadow").path].joined(separator: ":"),
         "PATH": "/usr/bin:/bin"]
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: pluginDirectory)
        try? FileManager.default.removeItem(atPath: workDirectory)
    }
}

struct BadPluginCase: Sendable, CustomTestStringConvertible {
    var plugin: String
    var hostOptions: [String] = []
    var exitCode: Int32
    /// Fragments the single stderr line must contain.
    var message: [String]
    var testDescription: String { "\(plugin) → \(exitCode)" }
}

@Suite("wattbit host with misbehaving plugins")
struct ProtocolHostTests {
    static let cases: [BadPluginCase] = [
        BadPluginCase(plugin: "crash", exitCode: 70,
                      message: ["planner crash 0.0.1", "wattbit-crash)", "SIGSEGV", "no output written"]),
        BadPluginCase(plugin: "hang", hostOptions: ["--timeout", "1"], exitCode: 75,
                      message: ["planner hang 0.0.1", "timed out after 1 s", "no output written"]),
        BadPluginCase(plugin: "badjson", exitCode: 70, message: ["planner badjson 0.0.1", "invalid output"]),
        BadPluginCase(plugin: "wronggeom", exitCode: 70,
                      message: ["invalid output", "features[1]", "LineString", "declares Point"]),
        BadPluginCase(plugin: "undeclared", exitCode: 70, message: ["invalid output", "role \"hub\""]),
        BadPluginCase(plugin: "future", exitCode: 69, message: ["wattbit-planner/2", "wattbit-planner/1"]),
        BadPluginCase(plugin: "refuses", exitCode: 69, message: ["planner refuses", "no common protocol version"]),
        BadPluginCase(plugin: "badexit", exitCode: 70, message: ["planner badexit 0.0.1", "undocumented exit status 3"]),
        BadPluginCase(plugin: "badmanifest", exitCode: 70, message: ["planner badmanifest", "invalid JSON"]),
        BadPluginCase(plugin: "noexec", exitCode: 69, message: ["wattbit-noexec", "not executable"]),
        BadPluginCase(plugin: "nointerpreter", exitCode: 69, message: ["wattbit-nointerpreter", "interpreter is missing"]),
        BadPluginCase(plugin: "exit65", exitCode: 65, message: ["wattbit-exit65: error:", "features[2]"]),
        BadPluginCase(plugin: "nosuchplanner", exitCode: 69, message: ["no planner named 'nosuchplanner'"]),
    ]

    @Test(arguments: cases)
    func badPluginGivesDocumentedStatusAndNoOutput(_ testCase: BadPluginCase) throws {
        let sandbox = try PluginSandbox()
        defer { sandbox.remove() }
        let outputPath = sandbox.workDirectory + "/out.geojson"
        // Once to stdout, once to -o: neither may receive anything.
        for extra in [[], ["-o", outputPath]] {
            let result = try Tool.run("wattbit", testCase.hostOptions + [testCase.plugin] + extra,
                                      environment: sandbox.environment, timeout: 30)
            #expect(result.exitCode == testCase.exitCode, "stderr: \(result.stderr)")
            #expect(result.stdout.isEmpty, "partial output reached stdout: \(result.stdoutText.prefix(200))")
            #expect(result.stderrLines.count == 1, "expected one line, got: \(result.stderr)")
            for fragment in testCase.message {
                #expect(result.stderr.contains(fragment), "missing \"\(fragment)\" in: \(result.stderr)")
            }
            #expect(Tool.listDirectory(sandbox.workDirectory).isEmpty, "left behind: \(Tool.listDirectory(sandbox.workDirectory))")
        }
    }

    @Test("a timeout kills the plugin's whole process group")
    func timeoutKillsChildren() throws {
        let sandbox = try PluginSandbox()
        defer { sandbox.remove() }
        let pidFile = sandbox.workDirectory + "/child.pid"
        var environment = sandbox.environment
        environment["WATTBIT_TEST_PIDFILE"] = pidFile
        let started = Date()
        let result = try Tool.run("wattbit", ["--timeout", "1", "hang"], environment: environment, timeout: 30)
        #expect(result.exitCode == 75)
        #expect(Date().timeIntervalSince(started) < 10, "SIGTERM, 2 s grace, SIGKILL: well under 10 s")
        let childPid = try #require(Int32((try String(contentsOfFile: pidFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!processIsAlive(childPid), "the plugin's child \(childPid) (sleep 120) survived the timeout")
    }

    @Test("Ctrl-C stops the plugin, exits 130, writes nothing")
    func interruptStopsPlugin() throws {
        let sandbox = try PluginSandbox()
        defer { sandbox.remove() }
        let pidFile = sandbox.workDirectory + "/child.pid"
        var environment = sandbox.environment
        environment["WATTBIT_TEST_PIDFILE"] = pidFile
        let result = try Tool.run("wattbit", ["hang", "-o", sandbox.workDirectory + "/out.geojson"],
                                  environment: environment, timeout: 30, interruptAfter: 1.5)
        #expect(result.exitCode == 130, "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("interrupted"))
        #expect(Tool.listDirectory(sandbox.workDirectory) == ["child.pid"])
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
           let childPid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            #expect(!processIsAlive(childPid))
        }
    }

    @Test("megabytes of plugin stderr do not deadlock the host, and output is intact")
    func hugeStderr() throws {
        let sandbox = try PluginSandbox()
        defer { sandbox.remove() }
        let result = try Tool.run("wattbit", ["noisy"], environment: sandbox.environment, timeout: 60)
        #expect(result.exitCode == 0)
        #expect(result.stderr.utf8.count > 4_000_000)
        let json = try #require(try result.json() as? [String: Any])
        #expect((json["features"] as? [Any])?.count == 1)
    }

    @Test("--no-check releases what a plugin wrote, unchecked")
    func noCheckPassesThrough() throws {
        let sandbox = try PluginSandbox()
        defer { sandbox.remove() }
        let result = try Tool.run("wattbit", ["wronggeom", "--no-check"], environment: sandbox.environment)
        #expect(result.exitCode == 0)
        #expect(result.stdoutText.contains("LineString"))
    }

    @Test("wattbit list: winners, shadowed and broken plugins, each with its reason")
    func listShowsEverything() throws {
        let sandbox = try PluginSandbox()
        defer { sandbox.remove() }
        let result = try Tool.run("wattbit", ["list", "--json"], environment: sandbox.environment)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let listed = try #require(try result.json() as? [[String: Any]])
        func rows(named name: String) -> [[String: Any]] { listed.filter { $0["name"] as? String == name } }
        func status(_ name: String) -> [String] { rows(named: name).compactMap { $0["status"] as? String } }

        // The built-in wins over the impostor of the same name, which is shown as shadowed.
        #expect(status("latency") == ["ok", "shadowed"])
        let latency = rows(named: "latency")
        #expect((latency.first?["path"] as? String).map { $0.hasSuffix("/wattbit-latency") && !$0.contains("Fixtures") } == true)
        #expect((latency.last?["path"] as? String)?.contains("Fixtures/shadow") == true)
        #expect(latency.first?["version"] as? String == "1.0.0")

        // A plugin in another language is found on WATTBIT_PLUGIN_PATH.
        #expect(status("landing-diversity") == ["ok"])

        let expectedBroken: [String: String] = [
            "noexec": "not executable", "badmanifest": "invalid JSON",
            "future": "wattbit-planner/2", "refuses": "describe refused", "nointerpreter": "cannot be started",
        ]
        for (name, reason) in expectedBroken {
            #expect(status(name) == ["broken"], "\(name)")
            #expect((rows(named: name).first?["reason"] as? String)?.contains(reason) == true, "\(name): \(rows(named: name))")
        }
        for name in ["crash", "hang", "badjson", "wronggeom", "noisy"] {
            #expect(status(name) == ["ok"], "\(name) describes itself correctly; it only fails when run")
        }

        let human = try Tool.run("wattbit", ["list"], environment: sandbox.environment)
        #expect(human.stdoutText.contains("shadowed: " + PluginSandbox.fixtures.appendingPathComponent("shadow/wattbit-latency").path))
        #expect(human.stdoutText.contains("Broken"))
    }

    @Test("discovery never looks in the current directory, relative or empty PATH entries")
    func discoverySkipsCurrentDirectory() throws {
        let sandbox = try PluginSandbox()
        defer { sandbox.remove() }
        try Tool.writeFile(sandbox.workDirectory, "wattbit-planted", "#!/bin/sh\necho planted\n", executable: true)
        let hostile = ["PATH": "::.:relative/bin:/usr/bin:/bin", "WATTBIT_PLUGIN_PATH": ":.:"]
        let list = try Tool.run("wattbit", ["list", "--json"], environment: hostile, workingDirectory: sandbox.workDirectory)
        #expect(list.exitCode == 0)
        #expect(!list.stdoutText.contains("planted"))
        let run = try Tool.run("wattbit", ["planted"], environment: hostile, workingDirectory: sandbox.workDirectory)
        #expect(run.exitCode == 69)
        #expect(run.stdout.isEmpty)
    }

    @Test("a world-writable plugin directory is warned about")
    func worldWritableWarning() throws {
        let sandbox = try PluginSandbox()
        defer { sandbox.remove() }
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: sandbox.pluginDirectory)
        let result = try Tool.run("wattbit", ["list"], environment: sandbox.environment)
        #expect(result.exitCode == 0)
        #expect(result.stderr.contains("\(sandbox.pluginDirectory) (WATTBIT_PLUGIN_PATH) is world-writable"))
    }

    @Test("wattbit with no arguments explains the toolkit, lists planners, shows a pipeline")
    func overview() throws {
        let sandbox = try PluginSandbox()
        defer { sandbox.remove() }
        let result = try Tool.run("wattbit", [], environment: sandbox.environment)
        #expect(result.exitCode == 0)
        let text = result.stdoutText
        #expect(text.contains("submarine cables"))
        #expect(text.contains("latency"))
        #expect(text.contains("landing-diversity"))
        #expect(text.contains(" | wattbit "), "an example pipeline")
    }
}

/// Alive and not a zombie (a killed orphan may linger as a zombie until init reaps it).
func processIsAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
    return state != "Z" && state != "X"
}
