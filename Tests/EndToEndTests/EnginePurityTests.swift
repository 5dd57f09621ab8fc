import Foundation
import Testing

/// Engines are pure (docs: DESIGN, CONTRIBUTING): values in, values out; no printing,
/// exiting, files, environment or processes. This reads every engine source file and fails
/// on any call that would touch the outside world, naming file, line and call.
@Suite("engine purity")
struct EnginePurityTests {
    static let engines = ["CableRouting", "HubClustering", "FiberCoverage", "MapRendering"]

    /// Each forbidden use with what it would touch. Matched as whole words outside comments.
    static let forbidden: [(pattern: String, touches: String)] = [
        (#"\bFileManager\b"#, "the file system"), (#"\bFileHandle\b"#, "files"),
        (#"\b(fopen|fwrite|fputs|fprintf|opendir|unlink|rename|mkdir)\s*\("#, "the file system"),
        (#"\bopen\s*\(\s*[^)]*O_(RDONLY|WRONLY|RDWR|CREAT)"#, "the file system"),
        (#"String\s*\(\s*contentsOfFile"#, "files"), (#"Data\s*\(\s*contentsOf"#, "files"),
        (#"\.write\s*\(\s*(to|toFile)\s*:"#, "files"),
        (#"\bProcessInfo\b"#, "the environment"), (#"\b(getenv|setenv|unsetenv)\s*\("#, "the environment"),
        (#"\bCommandLine\b"#, "the command line"), (#"\bBundle\.main\b"#, "the installation"),
        (#"\b(print|debugPrint|dump)\s*\("#, "stdout"), (#"\b(exit|_exit|abort)\s*\("#, "the process"),
        (#"\bProcess\s*\("#, "processes"), (#"\b(posix_spawn|fork|execv|system|popen|kill|signal)\s*\("#, "processes"),
    ]

    static func packageRoot() -> URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }

    @Test("no engine source touches files, environment, stdout or processes", arguments: engines)
    func pure(_ engine: String) throws {
        let directory = Self.packageRoot().appendingPathComponent("Sources/\(engine)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".swift") }.sorted()
        #expect(!files.isEmpty, "no sources found for \(engine)")
        let patterns = try Self.forbidden.map { (try NSRegularExpression(pattern: $0.pattern), $0.touches) }
        for file in files {
            let text = try String(contentsOfFile: directory.appendingPathComponent(file).path, encoding: .utf8)
            for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                // Code only: drop line comments (doc comments cite papers, not calls).
                var line = String(rawLine)
                if let comment = line.range(of: "//") { line = String(line[..<comment.lowerBound]) }
                let range = NSRange(line.startIndex..., in: line)
                for (regex, touches) in patterns {
                    if let match = regex.firstMatch(in: line, range: range), let found = Range(match.range, in: line) {
                        Issue.record("\(engine)/\(file):\(number + 1): '\(line[found])' touches \(touches); engines are pure")
                    }
                }
            }
        }
    }

    @Test("the check catches an impure line")
    func catchesImpurity() throws {
        let patterns = try Self.forbidden.map { try NSRegularExpression(pattern: $0.pattern) }
        for line in ["print(x)", "let e = ProcessInfo.processInfo.environment", "FileManager.default.fileExists(atPath: p)",
                     "exit(1)", "let s = try String(contentsOfFile: p)", "getenv(\"HOME\")"] {
            let range = NSRange(line.startIndex..., in: line)
            #expect(patterns.contains { $0.firstMatch(in: line, range: range) != nil }, "\(line)")
        }
        for line in ["vertices.append(contentsOf: legs)", "let printed = 3", "blueprint(x)"] {
            let range = NSRange(line.startIndex..., in: line)
            #expect(!patterns.contains { $0.firstMatch(in: line, range: range) != nil }, "\(line)")
        }
    }
}

/// The toolkit has one version (PlannerKit's WattBitVersion): `wattbit --version` and every
/// built-in planner's manifest say the same.
@Suite("one version")
struct VersionTests {
    @Test("wattbit --version and the built-in manifests agree")
    func agree() throws {
        let host = try Tool.run("wattbit", ["--version"])
        #expect(host.exitCode == 0, "\(host.stderr)")
        let words = host.stdoutText.split(separator: " ")
        #expect(words.first == "wattbit")
        let version = try #require(words.dropFirst().first.map(String.init))
        for planner in ["cable", "hubs", "gaps", "map", "latency"] {
            let described = try Tool.run("wattbit-\(planner)", ["describe"])
            let manifest = try #require(try described.json() as? [String: Any])
            #expect(manifest["version"] as? String == version, "wattbit-\(planner)")
        }
    }
}
