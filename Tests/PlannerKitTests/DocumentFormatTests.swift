import GeoCore
import XCTest
@testable import PlannerKit

/// A renderer (SVG/HTML output) owns `--format`; a GeoJSON planner never does.
final class DocumentFormatTests: XCTestCase {
    let renderer = Manifest(name: "map", version: "1", summary: "draws",
                            parameters: [ParameterSpec(name: "format", kind: .enum, description: "svg or html",
                                                       defaultValue: "auto", choices: ["auto", "svg", "html"])],
                            outputs: [OutputSpec(format: .html), OutputSpec(format: .svg)])

    func testRendererReceivesFormatAsItsOwnParameter() throws {
        XCTAssertTrue(renderer.ownsFormatFlag)
        XCTAssertNil(PlannerMain.checkManifest(renderer))
        let invocation = try PlannerInvocation.parse(["--format", "svg"], manifest: renderer)
        XCTAssertEqual(invocation.parameters.string("format"), "svg")
        XCTAssertFalse(invocation.formatGiven)
        XCTAssertEqual(invocation.canonicalArguments(manifest: renderer), ["run", "--format", "svg"])
        XCTAssertThrowsError(try PlannerInvocation.parse(["--format", "pdf"], manifest: renderer)) { error in
            XCTAssertEqual((error as? PlannerError)?.code, .usage)
        }
    }

    func testGeoJSONPlannerMayNotDeclareFormat() {
        var geojson = renderer
        geojson.outputs = [OutputSpec(format: .geojson)]
        XCTAssertFalse(geojson.ownsFormatFlag)
        XCTAssertEqual(PlannerMain.checkManifest(geojson)?.code, .software)
    }
}
