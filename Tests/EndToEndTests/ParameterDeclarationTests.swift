import Foundation
import Testing

/// One declaration per parameter (docs/plugin-protocol.md §11): planners derive their
/// manifests from typed `Parameter` declarations and read values through them, and engines
/// word nothing with a command-line flag (the planner does, from its declarations).
@Suite("parameter declarations and flag wording")
struct ParameterDeclarationTests {
    static let planners = ["Sources/wattbit-cable", "Sources/wattbit-hubs", "Sources/wattbit-gaps",
                           "Sources/wattbit-map", "Sources/wattbit-siting", "Plugins/latency"]
    static let engines = ["Sources/CableRouting", "Sources/HubClustering", "Sources/FiberCoverage",
                          "Sources/MapRendering", "Sources/Siting"]

    /// Lines of code (line comments dropped) of every Swift file under `directory`.
    static func codeLines(_ directory: String) throws -> [(place: String, line: String)] {
        let root = EnginePurityTests.packageRoot().appendingPathComponent(directory)
        let files = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".swift") }.sorted()
        #expect(!files.isEmpty, "no sources in \(directory)")
        var lines: [(String, String)] = []
        for file in files {
            let text = try String(contentsOfFile: root.appendingPathComponent(file).path, encoding: .utf8)
            for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = raw.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                lines.append(("\(directory)/\(file):\(number + 1)", code))
            }
        }
        return lines
    }

    @Test("planners declare parameters once and never read them by string key", arguments: planners)
    func plannerReadsTypedKeys(_ directory: String) throws {
        let forbidden = try NSRegularExpression(
            pattern: #"ParameterSpec\s*\(|parameters\.(double|int|bool|string|optionalDouble|isSet)\s*\(\s*""#)
        for (place, line) in try Self.codeLines(directory) {
            let range = NSRange(line.startIndex..., in: line)
            #expect(forbidden.firstMatch(in: line, range: range) == nil, "\(place): \(line)")
        }
    }

    @Test("engine messages name request fields, not command-line flags", arguments: engines)
    func enginesNameNoFlags(_ directory: String) throws {
        // A string literal holding `--word`: a flag spelled inside the engine.
        let flag = try NSRegularExpression(pattern: #""[^"]*--[a-z][^"]*""#)
        for (place, line) in try Self.codeLines(directory) {
            let range = NSRange(line.startIndex..., in: line)
            #expect(flag.firstMatch(in: line, range: range) == nil, "\(place): \(line)")
        }
    }
}
