import Foundation
import Testing

/// The map as a person sees it: `wattbit map` output rendered by a real headless browser
/// (Debian's chromium) must show land and the route colours. Skipped, and said so, when no
/// chromium is installed (`tools/setup` installs it).
@Suite struct MapBrowserTests {
    static let landColour = "#efeadf"
    static let seaColour = "#dceaf5"
    static let rankOneColour = "#d62728"

    /// The first chromium on PATH, or nil.
    static func chromium() -> String? {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
                let path = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    @Test(.enabled(if: chromium() != nil,
                   "SKIPPED: no chromium on PATH; the browser screenshot check did not run (tools/setup installs it)"))
    func headlessBrowserShowsLandAndRoutes() throws {
        let browser = try #require(Self.chromium())
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
        #expect(map.exitCode == 0, "\(map.stderr)")

        let shot = "\(dir)/shot.png"
        let capture = try Tool.runExecutable(at: browser, [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--window-size=1200,900", "--screenshot=\(shot)", "file://\(html)",
        ], timeout: 120)
        #expect(FileManager.default.fileExists(atPath: shot), "chromium wrote no screenshot: \(capture.stderr.suffix(400))")

        let script = Tool.packageRoot.appendingPathComponent("tools/png-colours.py").path
        let check = try Tool.runExecutable(at: "/usr/bin/env", ["python3", script, shot,
                                                                Self.landColour, Self.seaColour, Self.rankOneColour],
                                           timeout: 120)
        #expect(check.exitCode == 0, "\(check.stderr)")
        let report = try #require(try check.json() as? [String: Any])
        let counts = try #require(report["counts"] as? [String: Int])
        let distinct = try #require(report["distinct"] as? Int)
        #expect(distinct > 20, "the screenshot is blank")
        #expect((counts[Self.landColour] ?? 0) > 10_000, "land colour not on screen: \(report)")
        #expect((counts[Self.seaColour] ?? 0) > 10_000, "sea colour not on screen: \(report)")
        #expect((counts[Self.rankOneColour] ?? 0) > 100, "route colour not on screen: \(report)")
    }
}
