import Foundation
import GeoCore
import Testing

/// Every `wattbit cable` example in `wattbit cable --help` (the manifest's examples) and in
/// README.md runs exactly as printed, with the defaults shown, and returns what it asks for:
/// `--routes K` gives K routes, `--via`/`--ring` one route with a leg per hop, `--pairs` a
/// route per pair, `--matrix` a route per candidate pair — and no "found fewer" warning.
@Suite("wattbit cable examples")
struct CableExamplesTests {
    /// The fixture a `--pairs pairs.csv` example reads from its working directory.
    static let pairsCSV = "from,to\nIshikari,Akita\n\"139.05,37.85\",Naoetsu\nTsuruga,Matsue\n"

    static func manifestExamples() throws -> [String] {
        let result = try Tool.run("wattbit-cable", ["describe"], timeout: 60)
        let json = try result.json() as? [String: Any]
        return (json?["examples"] as? [String]) ?? []
    }

    /// Shell commands in README's ```sh blocks that run `wattbit cable` (continuations joined),
    /// each with the earlier commands of its paragraph that are not cable runs: a pipeline that
    /// writes `sites.geojson` before the cable command reads it runs as printed.
    static func readmeExamples() throws -> [(setup: [String], command: String)] {
        let text = try String(contentsOf: Tool.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var commands: [(setup: [String], command: String)] = []
        var earlier: [String] = []
        var inShell = false
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.hasPrefix("```") { inShell = line.hasPrefix("```sh") && !inShell; pending = ""; earlier = []; continue }
            guard inShell else { continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            // A blank or comment line starts a new example paragraph.
            if pending.isEmpty && (trimmed.isEmpty || trimmed.hasPrefix("#")) { earlier = []; continue }
            if trimmed.hasSuffix("\\") { pending += String(trimmed.dropLast()) + " "; continue }
            let command = pending + trimmed
            pending = ""
            if command.contains("wattbit cable") { commands.append((earlier, command)) } else { earlier.append(command) }
        }
        return commands
    }

    /// What an example asks for, read from its own flags.
    static func expectation(_ command: String) -> (routes: Int, legs: Int) {
        let words = command.split(separator: " ").map(String.init)
        func value(_ flag: String) -> String? {
            guard let k = words.firstIndex(of: flag), k + 1 < words.count else { return nil }
            return words[k + 1]
        }
        if words.contains("--matrix") {
            let from = value("--from")?.split(separator: ",").count ?? 1
            let to = value("--to")?.split(separator: ",").count ?? 1
            return (from * to, 0)
        }
        if words.contains("--pairs") { return (3, 0) }
        if let via = value("--via") {
            let stops = via.split(separator: ",").count
            return (1, words.contains("--ring") ? stops : stops - 1)
        }
        return (Int(value("--routes") ?? "1") ?? 1, 0)
    }

    @Test("every --help and README cable example returns what it asks for")
    func examplesReturnWhatTheyAskFor() throws {
        let examples = try Self.manifestExamples().map { (setup: [String](), command: $0) } + Self.readmeExamples()
        #expect(examples.count >= 6, "examples not found: \(examples)")
        let bin = try Tool.binDirectory().path
        for (setup, example) in examples {
            let dir = try Tool.temporaryDirectory("wattbit-cable-example")
            try FileManager.default.createSymbolicLink(atPath: dir + "/geodata",
                                                       withDestinationPath: Tool.packageRoot.appendingPathComponent("geodata").path)
            try Tool.writeFile(dir, "pairs.csv", Self.pairsCSV)
            // The example as printed, on a shell whose PATH finds the built wattbit first; a
            // redirect or -o target is read back, else stdout.
            let script = "set -e -o pipefail; " + (setup + [example]).joined(separator: "; ")
            let result = try Tool.runExecutable(at: "/bin/bash", ["-c", script], environment: [
                "PATH": "\(bin):/usr/bin:/bin", "WATTBIT_PLUGIN_PATH": "", "WATTBIT_GEODATA": dir + "/geodata",
            ], timeout: 600, workingDirectory: dir)
            #expect(result.exitCode == 0, "\(example): exit \(result.exitCode): \(result.stderr)")
            guard result.exitCode == 0 else { continue }
            let words = example.split(separator: " ").map(String.init)
            var bytes = result.stdout
            if let k = words.firstIndex(where: { $0 == ">" || $0 == "-o" }), k + 1 < words.count {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + words[k + 1])))
            }
            let features = try GeoJSONReader.read(bytes: bytes, source: example).features
            let asked = Self.expectation(example)
            let routes = features.filter { $0.role == "route" }
            #expect(routes.count == asked.routes, "\(example): \(routes.count) routes, asked for \(asked.routes); \(result.stderr)")
            #expect(features.filter { $0.role == "leg" }.count == asked.legs, "\(example): legs")
            #expect(!features.contains { $0.role == "unrouted" }, "\(example): unrouted pairs")
            #expect(!result.stderr.contains("warning: found"), "\(example): \(result.stderr)")
        }
    }
}
