import Foundation
import Testing

/// PROJ without its database: exit 69 (EX_UNAVAILABLE) and one line naming proj.db,
/// PROJ_DATA and the package that provides it. Checked in a child process (wattbit-map
/// projects every layer through PROJ) because PROJ_DATA is process-wide: set inside the
/// test process it would break the map tests running beside it.
@Suite("PROJ database missing")
struct ProjDatabaseTests {
    @Test func missingDatabaseMentionsProjData() throws {
        let layer = Tool.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/data/planned-routes.geojson").path
        let result = try Tool.run("wattbit-map", ["run", "--layer", layer, "--format", "svg"],
                                  environment: ["PROJ_DATA": "/nonexistent/proj", "PROJ_LIB": ""], timeout: 60)
        #expect(result.exitCode == 69, "missing installation data is EX_UNAVAILABLE: \(result.stderr)")
        #expect(result.stdout.isEmpty, "no half-written map")
        #expect(result.stderrLines.count == 1, "one line: \(result.stderr)")
        let line = result.stderrLines.first ?? ""
        #expect(line.contains("cannot find its database proj.db"), "\(line)")
        #expect(line.contains("PROJ_DATA is '/nonexistent/proj'"), "\(line)")
        #expect(line.contains("Debian package proj-data"), "says how to install it: \(line)")
        #expect(!line.contains("internal error"), "\(line)")
    }
}
