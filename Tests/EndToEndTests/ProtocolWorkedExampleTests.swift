import Foundation
import Testing

// The worked example of docs/plugin-protocol.md §10 is real: the Python planner printed in
// the spec is extracted, installed on WATTBIT_PLUGIN_PATH and run through `wattbit`, and the
// console session shown there (outputs and exit statuses) is what happens.

@Suite("docs/plugin-protocol.md worked example")
struct ProtocolWorkedExampleTests {
    static func examplePlugin() throws -> String {
        let spec = try String(contentsOf: Tool.packageRoot.appendingPathComponent("docs/plugin-protocol.md"), encoding: .utf8)
        let start = try #require(spec.range(of: "```python\n"), "the spec lost its Python example")
        let end = try #require(spec.range(of: "```", range: start.upperBound..<spec.endIndex))
        return String(spec[start.upperBound..<end.lowerBound])
    }

    @Test("the example planner works through wattbit exactly as the spec shows")
    func workedExample() throws {
        let directory = try Tool.temporaryDirectory("wattbit-extent")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Tool.writeFile(directory, "wattbit-extent", try Self.examplePlugin(), executable: true)
        let environment = ["WATTBIT_PLUGIN_PATH": directory, "PATH": "/usr/bin:/bin"]
        let stations = Tool.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/data/stations.geojson").path

        let list = try Tool.run("wattbit", ["list"], environment: environment)
        #expect(list.stdoutText.contains("extent") && list.stdoutText.contains("Bounding box of the input features"))

        let box = directory + "/box.geojson"
        let run = try Tool.run("wattbit", ["extent", "--features", stations, "--margin-km", "10", "-o", box],
                               environment: environment)
        #expect(run.exitCode == 0, "\(run.stderr)")
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: box))) as? [String: Any]
        let feature = (written?["features"] as? [[String: Any]])?.first
        let properties = feature?["properties"] as? [String: Any]
        #expect(properties?["role"] as? String == "extent")
        #expect(properties?["features"] as? Int == 4)
        // The stations span 130.4–140.0°E, 33.6–35.1°N, plus 10 km on every side.
        let ring = ((feature?["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first ?? []
        #expect(ring.count == 5)
        if let west = ring.first?[0], let south = ring.first?[1] {
            #expect(abs(west - (130.4 - 10 / 111.32 / cos(34.35 * .pi / 180))) < 0.01)
            #expect(abs(south - (33.6 - 10 / 111.32)) < 0.001)
        }

        let fifo = directory + "/never"
        #expect(mkfifo(fifo, 0o600) == 0)
        let rows: [(arguments: [String], code: Int32, line: String)] = [
            (["extent", "--feature", stations], 64, "wattbit-extent: error: unknown parameter --feature; did you mean --features?"),
            (["extent", "--features", directory + "/nope.geojson"], 66, "wattbit-extent: error: --features \(directory)/nope.geojson: no such file"),
            (["extent", "--features", stations, "--margin-km", "900"], 64,
             "wattbit-extent: error: --margin-km 900 is out of range: must be between 0 and 500 km (inclusive)"),
            (["--timeout", "2", "extent", "--features", fifo], 75,
             "wattbit: planner extent 1.0.0 (\(directory)/wattbit-extent) timed out after 2 s and was stopped; no output written"),
        ]
        for row in rows {
            let result = try Tool.run("wattbit", row.arguments, environment: environment, timeout: 30)
            #expect(result.exitCode == row.code, "\(row.arguments): \(result.stderr)")
            #expect(result.stderr == row.line + "\n")
            #expect(result.stdout.isEmpty)
        }
    }
}
