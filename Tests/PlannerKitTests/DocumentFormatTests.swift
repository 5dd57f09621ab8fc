import GeoCore
import Foundation
import Testing
@testable import PlannerKit

/// A renderer (SVG/HTML output) owns `--format`; a GeoJSON planner never does.
@Suite struct DocumentFormatTests {
    let renderer = Manifest(name: "map", version: "1", summary: "draws",
                            parameters: [ParameterSpec(name: "format", kind: .enum, description: "svg or html",
                                                       defaultValue: "auto", choices: ["auto", "svg", "html"])],
                            outputs: [OutputSpec(format: .html), OutputSpec(format: .svg)])

    @Test func rendererReceivesFormatAsItsOwnParameter() throws {
        #expect(renderer.ownsFormatFlag)
        #expect(PlannerMain.checkManifest(renderer) == nil)
        let invocation = try PlannerInvocation.parse(["--format", "svg"], manifest: renderer)
        #expect(invocation.parameters.values["format"] == .string("svg"))
        #expect(!invocation.formatGiven)
        #expect(invocation.canonicalArguments(manifest: renderer) == ["run", "--format", "svg"])
        if let error = #expect(throws: (any Error).self, performing: { try PlannerInvocation.parse(["--format", "pdf"], manifest: renderer) }) {
            #expect((error as? PlannerError)?.code == .usage)
        }
    }

    @Test func geoJSONPlannerMayNotDeclareFormat() throws {
        var geojson = renderer
        geojson.outputs = [OutputSpec(format: .geojson)]
        #expect(!geojson.ownsFormatFlag)
        #expect(PlannerMain.checkManifest(geojson)?.code == .software)
    }
}
