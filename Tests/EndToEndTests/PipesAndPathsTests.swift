import Foundation
import GeoCore
import Testing

/// Inputs from process substitution, named pipes and stdin; `-o` through symlinks and onto
/// `/dev/stdout`. A shell user's ways of passing data must give the same answer as a file.
@Suite("pipes and paths")
struct PipesAndPathsTests {
    static let data = Tool.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/data").path
    static let bad = Tool.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/bad-input").path
    static let geodata = Tool.packageRoot.appendingPathComponent("geodata").path

    /// How an input file reaches the planner.
    enum Passing: String, CaseIterable, Sendable {
        case processSubstitution = "<(cat FILE)"
        case namedPipe = "named pipe"
        case stdin = "- < FILE"
    }

    struct InputCase: Sendable, CustomTestStringConvertible {
        var planner: String
        /// The flag whose file is passed in the ways under test.
        var flag: String
        var file: String
        var otherArguments: [String]
        /// Outputs that name the input file (map layer names) are compared by size only.
        var sameBytes = true
        var testDescription: String { "\(planner) \(flag)" }
    }

    static let inputCases: [InputCase] = [
        InputCase(planner: "gaps", flag: "--demand", file: "\(bad)/demand.csv",
                  otherArguments: ["--network", "\(bad)/network.geojson", "--island-routing", "straight-line"]),
        InputCase(planner: "gaps", flag: "--demand", file: "\(geodata)/demo-population.csv",
                  otherArguments: ["--network", "\(geodata)/demo-network.geojson", "--island-routing", "straight-line"]),
        InputCase(planner: "gaps", flag: "--network", file: "\(bad)/network.geojson",
                  otherArguments: ["--demand", "\(bad)/demand.csv", "--island-routing", "straight-line"]),
        InputCase(planner: "latency", flag: "--sites", file: "\(data)/sites.geojson",
                  otherArguments: ["--centres", "\(data)/centres.geojson"]),
        InputCase(planner: "map", flag: "--layer", file: "\(data)/planned-routes.geojson",
                  otherArguments: ["--format", "svg"], sameBytes: false),
        InputCase(planner: "map", flag: "--style", file: "\(data)/style.json",
                  otherArguments: ["--layer", "\(data)/planned-routes.geojson", "--format", "svg"]),
        InputCase(planner: "cable", flag: "--bathymetry", file: "\(data)/bathymetry-kyushu.asc",
                  otherArguments: ["--from", "Fukuoka", "--to", "Nagasaki"]),
        InputCase(planner: "cable", flag: "--avoid", file: "\(data)/avoid-goto.geojson",
                  otherArguments: ["--from", "Fukuoka", "--to", "Nagasaki"]),
    ]

    static let matrix: [(InputCase, Passing)] = inputCases.flatMap { c in Passing.allCases.map { (c, $0) } }

    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    @Test(arguments: matrix)
    func inputFromAPipeIsReadLikeAFile(_ c: InputCase, _ passing: Passing) throws {
        let work = try Tool.temporaryDirectory("wattbit-pipes")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let bin = try Tool.binDirectory().path
        let reference = try Tool.run("wattbit", [c.planner, c.flag, c.file] + c.otherArguments, timeout: 300)
        #expect(reference.exitCode == 0, "\(reference.stderr)")
        let others = c.otherArguments.map(Self.quoted).joined(separator: " ")
        let command = "\(Self.quoted(bin + "/wattbit")) \(c.planner)"
        let script: String
        switch passing {
        case .processSubstitution:
            script = "\(command) \(c.flag) <(cat \(Self.quoted(c.file))) \(others)"
        case .namedPipe:
            let fifo = work + "/input.fifo"
            script = "mkfifo \(Self.quoted(fifo)) && { cat \(Self.quoted(c.file)) > \(Self.quoted(fifo)) & } && \(command) \(c.flag) \(Self.quoted(fifo)) \(others)"
        case .stdin:
            script = "\(command) \(c.flag) - \(others) < \(Self.quoted(c.file))"
        }
        let result = try Tool.runExecutable(at: "/bin/bash", ["-c", script], timeout: 300)
        #expect(result.exitCode == 0, "\(passing.rawValue): \(result.stderr)")
        if c.sameBytes {
            #expect(result.stdout == reference.stdout, "\(passing.rawValue): output differs from the file's")
        } else {
            #expect(abs(result.stdout.count - reference.stdout.count) < 200, "\(passing.rawValue): output differs from the file's")
        }
    }

    // MARK: -o

    static let latencyArguments = ["--sites", "\(data)/sites.geojson", "--centres", "\(data)/centres.geojson"]

    enum Runner: String, CaseIterable, Sendable { case direct, host }

    static func run(_ runner: Runner, _ arguments: [String]) throws -> ToolResult {
        switch runner {
        case .direct: try Tool.run("wattbit-latency", ["run"] + arguments, timeout: 60)
        case .host: try Tool.run("wattbit", ["latency"] + arguments, timeout: 60)
        }
    }

    @Test("-o onto a symlink writes through to its target, atomically, and keeps the link", arguments: Runner.allCases)
    func outputThroughSymlink(_ runner: Runner) throws {
        let work = try Tool.temporaryDirectory("wattbit-symlink")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let expected = try Self.run(runner, Self.latencyArguments).stdout
        let fm = FileManager.default
        try fm.createDirectory(atPath: work + "/data", withIntermediateDirectories: true)
        try Data("old".utf8).write(to: URL(fileURLWithPath: work + "/data/latency.geojson"))
        try fm.setAttributes([.posixPermissions: 0o640], ofItemAtPath: work + "/data/latency.geojson")
        // An absolute link, a relative link, a link to a link, and a dangling link.
        try fm.createSymbolicLink(atPath: work + "/absolute.geojson", withDestinationPath: work + "/data/latency.geojson")
        try fm.createSymbolicLink(atPath: work + "/relative.geojson", withDestinationPath: "data/latency.geojson")
        try fm.createSymbolicLink(atPath: work + "/chain.geojson", withDestinationPath: "relative.geojson")
        try fm.createSymbolicLink(atPath: work + "/dangling.geojson", withDestinationPath: "data/new.geojson")
        for (link, target) in [("absolute", "latency"), ("relative", "latency"), ("chain", "latency"), ("dangling", "new")] {
            let path = "\(work)/\(link).geojson"
            try Data("old".utf8).write(to: URL(fileURLWithPath: work + "/data/latency.geojson"))
            let result = try Self.run(runner, Self.latencyArguments + ["-o", path])
            #expect(result.exitCode == 0, "\(link): \(result.stderr)")
            let type = try fm.attributesOfItem(atPath: path)[.type] as? FileAttributeType
            #expect(type == .typeSymbolicLink, "\(link): the link was replaced")
            let written = try Data(contentsOf: URL(fileURLWithPath: "\(work)/data/\(target).geojson"))
            #expect([UInt8](written) == expected, "\(link): target does not hold the output")
        }
        let mode = try fm.attributesOfItem(atPath: work + "/data/latency.geojson")[.posixPermissions] as? Int
        #expect(mode == 0o640, "the target's permissions changed")
        // Nothing but the targets and links: no temporary file left behind.
        #expect(Tool.listDirectory(work + "/data") == ["latency.geojson", "new.geojson"])
    }

    @Test("-o /dev/stdout > file, | cat, and /dev/fd/1 write the output once, as a normal user", arguments: Runner.allCases)
    func outputToDevStdout(_ runner: Runner) throws {
        let work = try Tool.temporaryDirectory("wattbit-devstdout")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: work)
        let expected = try Self.run(runner, Self.latencyArguments).stdout
        let bin = try Tool.binDirectory().path
        let command = runner == .direct ? "\(Self.quoted(bin + "/wattbit-latency")) run" : "\(Self.quoted(bin + "/wattbit")) latency"
        let arguments = Self.latencyArguments.map(Self.quoted).joined(separator: " ")
        // As root, drop to nobody: the bug was a permission error an ordinary user sees.
        let prefix = getuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : ""
        let cases = [
            ("/dev/stdout > file", "\(command) \(arguments) -o /dev/stdout > \(work)/file.geojson"),
            ("/dev/fd/1 > file", "\(command) \(arguments) -o /dev/fd/1 > \(work)/file.geojson"),
            ("/proc/self/fd/1 > file", "\(command) \(arguments) -o /proc/self/fd/1 > \(work)/file.geojson"),
            ("/dev/stdout | cat > file", "\(command) \(arguments) -o /dev/stdout | cat > \(work)/file.geojson"),
        ]
        for (label, script) in cases {
            try? FileManager.default.removeItem(atPath: work + "/file.geojson")
            let result = try Tool.runExecutable(at: "/bin/bash", ["-c", prefix + "bash -c " + Self.quoted(script)], timeout: 60)
            #expect(result.exitCode == 0, "\(label): \(result.stderr)")
            let written = try Data(contentsOf: URL(fileURLWithPath: work + "/file.geojson"))
            #expect([UInt8](written) == expected, "\(label): the file does not hold the output exactly once")
        }
        // /dev/stdout is still the device link, not a file written over it.
        let type = try FileManager.default.attributesOfItem(atPath: "/dev/stdout")[.type] as? FileAttributeType
        #expect(type == .typeSymbolicLink)
    }
}
