import Foundation
import XCTest

/// The map as a person sees it: `wattbit map` output rendered by a real headless browser
/// (Debian's chromium) must show land and the route colours. Skipped, and said so, when no
/// chromium is installed (`tools/setup` installs it).
final class MapBrowserTests: XCTestCase {
    static let landColour = "#efeadf"
    static let seaColour = "#dceaf5"
    static let rankOneColour = "#d62728"

    func chromium() throws -> String {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
                let path = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        throw XCTSkip("SKIPPED: no chromium on PATH; the browser screenshot check did not run (tools/setup installs it)")
    }

    func testHeadlessBrowserShowsLandAndRoutes() throws {
        let browser = try chromium()
        let dir = try Tool.temporaryDirectory("wattbit-map-browser")
        // A thick rank-1 route across the Japan Sea, wide enough for exact-colour pixels.
        let route = """
        {"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString",\
        "coordinates":[[131.0,36.0],[134.0,38.5],[137.5,40.0],[139.5,42.5]]},\
        "properties":{"role":"route","rank":1,"name_en":"Test route"}}]}
        """
        let routePath = try Tool.writeFile(dir, "route.geojson", route)
        let style = try Tool.writeFile(dir, "style.json", #"{"route": {"width": 6}}"#)
        let html = "\(dir)/map.html"
        let map = try Tool.run("wattbit", ["map", "--layer", routePath, "--style", style,
                                           "--bbox", "128,30,146,46", "-o", html], timeout: 120)
        XCTAssertEqual(map.exitCode, 0, map.stderr)

        let shot = "\(dir)/shot.png"
        let capture = try Tool.runExecutable(at: browser, [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--window-size=1200,900", "--screenshot=\(shot)", "file://\(html)",
        ], timeout: 120)
        XCTAssertTrue(FileManager.default.fileExists(atPath: shot), "chromium wrote no screenshot: \(capture.stderr.suffix(400))")

        let script = Tool.packageRoot.appendingPathComponent("tools/png-colours.py").path
        let check = try Tool.runExecutable(at: "/usr/bin/env", ["python3", script, shot,
                                                                Self.landColour, Self.seaColour, Self.rankOneColour],
                                           timeout: 120)
        XCTAssertEqual(check.exitCode, 0, check.stderr)
        let report = try XCTUnwrap(try check.json() as? [String: Any])
        let counts = try XCTUnwrap(report["counts"] as? [String: Int])
        let distinct = try XCTUnwrap(report["distinct"] as? Int)
        XCTAssertGreaterThan(distinct, 20, "the screenshot is blank")
        XCTAssertGreaterThan(counts[Self.landColour] ?? 0, 10_000, "land colour not on screen: \(report)")
        XCTAssertGreaterThan(counts[Self.seaColour] ?? 0, 10_000, "sea colour not on screen: \(report)")
        XCTAssertGreaterThan(counts[Self.rankOneColour] ?? 0, 100, "route colour not on screen: \(report)")
    }
}
