import FoundationXML
import Foundation
import GeoCore
import Testing
@testable import MapRendering

/// Facts a GIS user checks on a rendered map: it parses, every feature is there, the page
/// is offline, huge layers stay small, and styling follows the role.
@Suite struct MapRenderingTests {
    /// A square "island" around Honshu's latitude as the basemap (the real one is large).
    let basemap = Basemap(land: [Feature(geometry: .polygon([[
        Position(135, 34), Position(140, 34), Position(140, 38), Position(135, 38), Position(135, 34),
    ]]))])

    func sampleLayers() -> [MapLayer] {
        var routes: [Feature] = []
        for rank in 1...3 {
            let line: [Position] = (0...20).map { Position(130 + Double($0) * 0.6, 33 + Double(rank) + sin(Double($0)) * 0.2) }
            routes.append(Feature(geometry: .lineString(line),
                                  properties: ["role": "route", "rank": .number(Double(rank)), "name_en": .string("Route & <\(rank)>")]))
        }
        routes.append(Feature(geometry: .point(Position(141.3, 43.2)),
                              properties: ["role": "landing", "name_en": "Ishikari", "name": "石狩"]))
        let hubs = [
            Feature(geometry: .point(Position(141.5, 43.0)), properties: ["role": "hub", "total_mw": 2500, "name_en": "Hokkaido hub"]),
            Feature(geometry: .polygon([[Position(141, 42.8), Position(142, 42.8), Position(142, 43.3), Position(141, 42.8)]]),
                    properties: ["role": "hub-area"]),
        ]
        var gaps: [Feature] = []
        for i in 0..<5 {
            let x = 131 + Double(i)
            let ring = [Position(x, 32), Position(x + 0.5, 32), Position(x + 0.5, 32.5), Position(x, 32)]
            let population = pow(10, Double(i + 1))
            gaps.append(Feature(geometry: .polygon([ring]),
                                properties: ["role": "gap", "population": .number(population)]))
        }
        return [MapLayer(name: "routes.geojson", features: routes),
                MapLayer(name: "hubs.geojson", features: hubs),
                MapLayer(name: "gaps.geojson", features: gaps)]
    }

    @Test func svgIsWellFormedAndHasEveryFeatureByRole() throws {
        let layers = sampleLayers()
        let svg = try MapRenderer(options: MapOptions.testing(title: "Test <map>")).renderSVG(layers: layers, basemap: basemap)
        let counter = RoleCounter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = counter
        #expect(parser.parse(), "SVG does not parse: \(parser.parserError.map(String.init(describing:)) ?? "")")
        var expected: [String: Int] = [:]
        for layer in layers { for f in layer.features { expected[f.role ?? "feature", default: 0] += 1 } }
        #expect(counter.counts == expected)
        #expect(counter.rootName == "svg")
    }

    @Test func routesAreColouredByRankAndGapsByPopulationClass() throws {
        let svg = try MapRenderer(options: .testing()).renderSVG(layers: sampleLayers(), basemap: basemap)
        let counter = RoleCounter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = counter
        #expect(parser.parse())
        // The drawn elements themselves (not the legend) carry the colours: route i has rank
        // i + 1; gap i has population 10^(i+1), one per class of the ramp.
        let routeStrokes = counter.features.filter { $0["data-role"] == "route" }.map { $0["stroke"] }
        #expect(routeStrokes == (MapStyle.standard.routeRankColours.prefix(3).map { $0 }))
        let gapFills = counter.features.filter { $0["data-role"] == "gap" }.map { $0["fill"] }
        #expect(gapFills == (MapStyle.standard.populationRamp.map { $0 }))
        #expect(svg.contains("Cable route, rank 3"), "legend lacks the route ranks")
        #expect(svg.contains(" km</text>"), "no scale bar")
    }

    /// wattbit siting cells draw as a graduated surface: fill by score class (equal 0.2
    /// intervals), grey when a constraint excludes the cell, one legend row per class drawn.
    @Test func sitingCellsAreAGraduatedSurfaceWithALegend() throws {
        var cells: [Feature] = []
        for (i, score) in [0.1, 0.3, 0.5, 0.7, 0.9, 0.95].enumerated() {
            let x = 136 + Double(i) * 0.5
            let ring = [Position(x, 35), Position(x + 0.4, 35), Position(x + 0.4, 35.3), Position(x, 35.3), Position(x, 35)]
            cells.append(Feature(geometry: .polygon([ring]),
                                 properties: ["role": "cell", "score": .number(score), "eligible": .bool(i != 5)]))
        }
        let svg = try MapRenderer(options: .testing()).renderSVG(layers: [MapLayer(name: "siting.geojson", features: cells)], basemap: basemap)
        let counter = RoleCounter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = counter
        #expect(parser.parse())
        let fills = counter.features.filter { $0["data-role"] == "cell" }.map { $0["fill"] }
        #expect(fills == (MapStyle.scoreRamp.map { $0 } + [MapStyle.excludedCellFill]))
        for label in ["Siting score &lt; 0.2", "Siting score 0.4 – 0.6", "Siting score ≥ 0.8", "Excluded (metro or constraint)"] {
            #expect(svg.contains(label), "legend lacks \(label)")
        }
    }

    @Test func hubRadiusGrowsWithSquareRootOfMW() throws {
        let svg = try MapRenderer(options: .testing()).renderSVG(layers: sampleLayers(), basemap: basemap)
        // 2500 MW → 6 px × √2.5 ≈ 9.5 px.
        #expect(svg.contains("data-role=\"hub\"") && svg.contains("r=\"9.5\""), "hub radius not ∝ √MW")
    }

    @Test func htmlIsOfflineAndCarriesTooltips() throws {
        var layers = sampleLayers()
        layers[0].features[0][property: "source"] = "https://example.org/</script>"
        let html = try MapRenderer(options: .testing()).renderHTML(layers: layers, basemap: basemap)
        for pattern in ["src=", "href=", "@import", "url(", "<link", "http://", "https://"] {
            #expect(!html.contains(pattern), "HTML contains \(pattern)")
        }
        #expect(html.components(separatedBy: "</script>").count == 2, "a property value ended the script")
        #expect(html.contains("FEATURE_PROPERTIES"))
        #expect(html.contains("data-group=\"layer-2\""), "no toggle for the third layer")
        // Properties are valid JSON once the page's escapes are read back.
        let start = try #require(html.range(of: "FEATURE_PROPERTIES = "))
        let end = try #require(html.range(of: ";\n", range: start.upperBound..<html.endIndex))
        let json = String(html[start.upperBound..<end.lowerBound])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]]
        #expect(parsed?.map(\.count) == layers.map(\.features.count))
    }

    @Test func hugeMeshLayerIsBinnedIntoABoundedFile() throws {
        // 400k 1 km-ish cells over a 600 × 700 km area.
        var cells: [Feature] = []
        cells.reserveCapacity(400_000)
        for i in 0..<400_000 {
            let x = 135 + Double(i % 800) * 0.0125, y = 33 + Double(i / 800) * 0.0083
            cells.append(Feature(geometry: .polygon([[Position(x, y), Position(x + 0.0125, y), Position(x + 0.0125, y + 0.0083),
                                                      Position(x, y + 0.0083), Position(x, y)]]),
                                 properties: ["role": "gap", "population": .number(Double(i % 1000))]))
        }
        let layers = [MapLayer(name: "mesh", features: cells)]
        let svg = try MapRenderer(options: .testing()).renderSVG(layers: layers, basemap: basemap)
        #expect(svg.utf8.count < 3_000_000, "binned layer should be bounded by the canvas")
        #expect(svg.contains("data-binned=\"400000\""))
        // The page carries no tooltip properties for binned features either.
        let html = try MapRenderer(options: .testing()).renderHTML(layers: layers, basemap: basemap)
        #expect(html.utf8.count < 5_000_000, "HTML of a binned layer should be bounded too")
    }

    @Test func styleFileOverridesAndRejectsTypos() throws {
        let style = try MapStyle.standard.applying(["route": ["stroke": "#000000", "width": 5], "basemap": ["sea": "#ffffff"]])
        #expect(style.roles["route"]?.strokeWidthPx == 5)
        #expect(style.sea == "#ffffff")
        if let error = #expect(throws: (any Error).self, performing: { try MapStyle.standard.applying(["route": ["colour": "#000000"]]) }) {
            #expect("\(error)".contains("route.colour: unknown style member"))
        }
    }

    @Test func simplificationKeepsShapeWithinTolerance() throws {
        let points = (0...1000).map { PixelPoint(x: Double($0), y: sin(Double($0) / 50) * 40) }
        let simplified = simplifyPixels(points, tolerancePx: 0.5, closed: false)
        #expect(simplified.count < 200)
        // Every original point lies within the tolerance of the simplified polyline.
        for p in points {
            var best = Double.infinity
            for (a, b) in zip(simplified, simplified.dropFirst()) {
                let dx = b.x - a.x, dy = b.y - a.y
                let t = max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)))
                let ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y
                best = min(best, (ex * ex + ey * ey).squareRoot())
            }
            #expect(best <= (0.5 + 1e-9))
        }
    }
}

/// Counts elements carrying `data-role` and records the root element.
final class RoleCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    /// Attributes of every drawn feature element, in document order.
    var features: [[String: String]] = []
    var rootName: String?
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if rootName == nil { rootName = elementName }
        if let role = attributes["data-role"], attributes["data-i"] != nil || attributes["data-binned"] != nil {
            counts[role, default: 0] += 1
            if attributes["data-i"] != nil { features.append(attributes) }
        }
    }
}
