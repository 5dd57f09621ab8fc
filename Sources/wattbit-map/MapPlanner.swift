import Foundation
import GeoCore
import MapRendering
import PlannerKit

/// `wattbit-map`: draws GeoJSON layers over the embedded basemap as SVG or offline HTML.
struct MapPlanner: Planner {
    static let manifest = Manifest(
        name: "map",
        version: WattBitVersion.current,
        summary: "Draw GeoJSON layers over a map of Japan as standalone SVG or offline HTML",
        description: """
        Reads any number of GeoJSON layers (files or -, FeatureCollection or RFC 8142 \
        sequence) and draws them over the embedded basemap (GSHHG land, prefecture outlines, \
        optionally the Boso/Shima landing-concentration zones and the hazard layer) in a \
        Lambert conformal conic projection fitted to the layers. Features are styled by their \
        `role` property (routes by rank, hubs sized by total_mw, gaps shaded by population, \
        extensions dashed); a JSON style file overrides any of it. The HTML page has pan/zoom, \
        layer toggles and a tooltip with every feature's properties, and makes no network \
        requests. Polygon or point layers larger than --max-vector-features are binned to the \
        output's pixel grid so that a 400k-cell mesh layer stays a small, fast file.
        """,
        inputs: [
            InputSpec(name: "layer", description: "A GeoJSON layer to draw (repeatable; drawn in order)",
                      required: true, multiple: true),
        ],
        parameters: MapParameter.all,
        outputs: [OutputSpec(format: .html, description: "Offline HTML page: the SVG plus pan/zoom, layer toggles, tooltips"),
                  OutputSpec(format: .svg, description: "Standalone SVG (--format svg, or -o FILE.svg)")],
        examples: [
            "wattbit map --layer routes.geojson --layer hubs.geojson -o plan.html",
            "wattbit cable --from Ishikari --to Kitakyushu --routes 3 | wattbit map --layer - --format svg > routes.svg",
        ])

    func run(_ inputs: PlannerInputs, _ parameters: PlannerParameters, context: PlannerContext,
             progress: ProgressReporter) async throws -> PlannerOutput {
        var options = MapOptions(title: parameters[MapParameter.title],
                                 widthPx: parameters[MapParameter.widthPx],
                                 maxVectorFeatures: parameters[MapParameter.maxVectorFeatures])
        if let text = parameters[MapParameter.bbox] { options.bbox = try Self.parseBBox(text) }

        var style = MapStyle.standard
        if let path = parameters[MapParameter.style] {
            // Read once, so that a named pipe or <(…) works; 66 when missing or unreadable.
            let data = try PlannerInputs.readBytes(path: path, label: "--style")
            let document: JSONValue
            do { document = try JSONText.parse(data, source: path == "-" ? "<stdin>" : path) } catch {
                throw PlannerError.data("--style \(error)")
            }
            guard case .object(let overrides) = document else {
                throw PlannerError.data("--style \(path): a style file is a JSON object keyed by role")
            }
            do { style = try style.applying(overrides) } catch {
                throw PlannerError.data("--style \(path): \(error)")
            }
        }

        progress.update(0.05, stage: "read layers")
        var layers: [MapLayer] = []
        for path in inputs.paths["layer"] ?? [] {
            let collection = try PlannerInputs.loadFeatures(path: path, label: "--layer")
            let name = path == "-" ? "stdin" : URL(fileURLWithPath: path).lastPathComponent
            layers.append(MapLayer(name: name, features: collection.features))
        }

        progress.update(0.3, stage: "read basemap")
        let basemap = try Self.loadBasemap(prefectures: parameters[MapParameter.prefectures],
                                           zones: parameters[MapParameter.zones],
                                           hazards: parameters[MapParameter.hazards])
        progress.update(0.5, stage: "draw")
        let renderer = MapRenderer(style: style, options: options)
        let format = Self.resolvedFormat(parameters[MapParameter.format], outputPath: context.outputPath)
        let text: String
        do {
            text = format == "svg" ? try renderer.renderSVG(layers: layers, basemap: basemap)
                                   : try renderer.renderHTML(layers: layers, basemap: basemap)
        } catch let error as MapDrawError {
            throw PlannerError.data("--layer \(error)")
        } catch let error as MapStyleError {
            throw PlannerError.data("--style \(error)")
        } catch let error as ProjectionError where error.category == .unavailable {
            // PROJ's database or context is missing from the installation: 69, not a bug.
            throw PlannerError(error)
        } catch {
            throw PlannerError(.software, "map: \(error)")
        }
        progress.update(1, stage: "draw")
        let count = layers.reduce(0) { $0 + $1.features.count }
        return PlannerOutput(document: Array(text.utf8),
                             summary: "map: \(count) features in \(layers.count) layers, \(format.uppercased()) \(text.utf8.count / 1024) KiB")
    }

    /// `auto` follows the output file's extension (`-o x.svg`, `--output=x.svg`, or the
    /// path the host will write) → svg, else HTML.
    static func resolvedFormat(_ requested: MapFormat, outputPath: String?) -> String {
        guard requested == .auto else { return requested.rawValue }
        return outputPath?.lowercased().hasSuffix(".svg") == true ? "svg" : "html"
    }

    static func parseBBox(_ text: String) throws -> BoundingBox {
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == 4, let minX = values[0], let minY = values[1], let maxX = values[2], let maxY = values[3],
              minX < maxX, minY < maxY, minX >= -180, maxX <= 180, minY >= -85, maxY <= 85 else {
            throw PlannerError.usage("--bbox \(text): expected minlon,minlat,maxlon,maxlat with min < max (e.g. 128,30,146,46)")
        }
        return BoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
    }

    static func loadBasemap(prefectures: Bool, zones: Bool, hazards: Bool) throws -> Basemap {
        func embedded(_ name: String) throws -> [Feature] {
            try EmbeddedGeodata.features(name).features
        }
        var basemap = Basemap(land: try embedded("japan-land.geojson"))
        if prefectures { basemap.prefectures = try embedded("prefectures.geojson") }
        if zones {
            let concentration = try embedded("zones.geojson").filter {
                $0[property: "kind"]?.stringValue == "landing-concentration"
            }
            basemap.overlays.append(MapLayer(name: "Boso/Shima zones", features: concentration))
        }
        if hazards {
            basemap.overlays.append(MapLayer(name: "Hazards", features: try embedded("hazards.geojson")))
        }
        return basemap
    }
}
