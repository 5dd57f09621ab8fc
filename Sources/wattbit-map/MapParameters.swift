import PlannerKit

/// `--format`: the document written.
enum MapFormat: String, ParameterChoice {
    case auto, html, svg
}

/// Every parameter of `wattbit map`, declared once: the manifest lists `all`, the planner
/// reads values through these keys.
enum MapParameter {
    static let format = Parameter<MapFormat>(
        "format", default: .auto, help: "Output format; auto = html, or svg when -o ends in .svg")
    static let title = Parameter<String>("title", default: "WattBit plan", help: "Map title")
    static let bbox = Parameter<String?>(
        "bbox", help: "Map extent as minlon,minlat,maxlon,maxlat (default: fitted to the layers)")
    static let widthPx = Parameter<Int>("width_px", unit: "px", default: 1200, in: 300...8000, help: "Canvas width")
    static let style = Parameter<String?>(
        "style", help: "JSON style file overriding colours and widths by role (see docs/planners/map.md)")
    static let prefectures = Parameter<Bool>("prefectures", default: true, help: "Draw prefecture outlines")
    static let zones = Parameter<Bool>("zones", default: true, help: "Draw the Boso and Shima landing-concentration zones")
    static let hazards = Parameter<Bool>("hazards", default: false, help: "Draw trench axes and earthquake source regions")
    static let maxVectorFeatures = Parameter<Int>(
        "max_vector_features", default: 20_000, in: 1...10_000_000,
        help: "Polygon/point layers with more features are binned to pixels")

    /// In manifest (and `--help`) order.
    static let all: [any ParameterDeclaration] = [
        format, title, bbox, widthPx, style, prefectures, zones, hazards, maxVectorFeatures,
    ]
}
