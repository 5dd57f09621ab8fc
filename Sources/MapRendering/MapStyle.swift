import GeoCore

/// How one kind of feature is drawn. Colours are CSS colours (`#rrggbb`).
public struct FeatureStyle: Sendable, Equatable {
    public var stroke: String?
    public var fill: String?
    public var strokeWidthPx: Double
    public var fillOpacity: Double
    public var dash: String?
    /// Point radius; for hubs it grows with `total_mw` (area ∝ MW).
    public var radiusPx: Double
    /// Property whose value labels the feature (e.g. `name_en`), if any.
    public var labelProperty: String?
    public var legendLabel: String?

    public init(stroke: String? = nil, fill: String? = nil, strokeWidthPx: Double = 1,
                fillOpacity: Double = 1, dash: String? = nil, radiusPx: Double = 3,
                labelProperty: String? = nil, legendLabel: String? = nil) {
        self.stroke = stroke
        self.fill = fill
        self.strokeWidthPx = strokeWidthPx
        self.fillOpacity = fillOpacity
        self.dash = dash
        self.radiusPx = radiusPx
        self.labelProperty = labelProperty
        self.legendLabel = legendLabel
    }
}

/// Styles keyed by the `role` property every WattBit output carries, plus the basemap.
/// A user style file (JSON, see docs/planners/map.md) overrides any member of any role:
/// `{"route": {"stroke": "#000000", "width": 3}, "gap": {"fill": "#ff00ff"}}`.
public struct MapStyle: Sendable {
    public var roles: [String: FeatureStyle]
    /// Colours for routes by `rank` (1 first); ranks beyond the list cycle.
    public var routeRankColours: [String]
    /// Light-to-dark ramp for gaps by population class.
    public var populationRamp: [String]
    public var sea: String
    public var land: String
    public var coast: String
    public var prefectureBorder: String
    public var fallback: FeatureStyle

    public static let standard = MapStyle(
        roles: [
            "route": FeatureStyle(stroke: "#d62728", strokeWidthPx: 3, legendLabel: "Cable route (colour = rank)"),
            "landing": FeatureStyle(stroke: "#ffffff", fill: "#111111", strokeWidthPx: 1, radiusPx: 4,
                                    labelProperty: "name_en", legendLabel: "Landing"),
            "hub": FeatureStyle(stroke: "#ffffff", fill: "#6a3d9a", strokeWidthPx: 1.5, fillOpacity: 0.9,
                                radiusPx: 6, labelProperty: "name_en", legendLabel: "DC hub (area ∝ MW)"),
            "hub-area": FeatureStyle(stroke: "#6a3d9a", fill: "#cab2d6", strokeWidthPx: 1, fillOpacity: 0.35,
                                     legendLabel: "Hub area"),
            "hub-member": FeatureStyle(stroke: "#6a3d9a", fill: "#ffffff", strokeWidthPx: 1, radiusPx: 2.5,
                                       legendLabel: "Hub member site"),
            "unassigned": FeatureStyle(stroke: "#7f7f7f", fill: "#ffffff", strokeWidthPx: 1, radiusPx: 2,
                                       legendLabel: "Site in no hub"),
            "gap": FeatureStyle(stroke: "#8c2d04", fill: "#fd8d3c", strokeWidthPx: 0.4, fillOpacity: 0.85,
                                legendLabel: "Fiber gap (shade = population)"),
            "extension": FeatureStyle(stroke: "#08519c", strokeWidthPx: 1.5, dash: "4 3",
                                      legendLabel: "Planned fiber extension"),
            "network": FeatureStyle(stroke: "#238b45", strokeWidthPx: 0.8, radiusPx: 1.5,
                                    legendLabel: "Fiber network"),
            "landing-concentration": FeatureStyle(stroke: "#e31a1c", fill: "#fb9a99", strokeWidthPx: 1,
                                                  fillOpacity: 0.3, dash: "3 2",
                                                  legendLabel: "Boso/Shima landing concentration"),
            "hazard": FeatureStyle(stroke: "#b15928", fill: "#ffff99", strokeWidthPx: 1, fillOpacity: 0.25,
                                   dash: "6 3", legendLabel: "Hazard (trench axis / source region)"),
            // wattbit siting: cells as a graduated surface (fill by score class), candidate
            // areas outlined, sites as labelled points.
            "cell": FeatureStyle(stroke: nil, fill: "#31a354", strokeWidthPx: 0, fillOpacity: 0.8,
                                 legendLabel: "Siting score"),
            "area": FeatureStyle(stroke: "#00441b", fill: nil, strokeWidthPx: 1.2,
                                 legendLabel: "Candidate area (score ≥ threshold)"),
            "site": FeatureStyle(stroke: "#ffffff", fill: "#00441b", strokeWidthPx: 1.5, radiusPx: 5,
                                 labelProperty: "name", legendLabel: "Proposed DC site (by rank)"),
        ],
        routeRankColours: ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"],
        populationRamp: ["#fee6ce", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"],
        sea: "#dceaf5", land: "#efeadf", coast: "#9c9584", prefectureBorder: "#c9c1ad",
        fallback: FeatureStyle(stroke: "#444444", fill: "#999999", strokeWidthPx: 1, fillOpacity: 0.5,
                               radiusPx: 3, legendLabel: nil))

    /// Siting cells by score class (light to dark green, a ColorBrewer sequential ramp);
    /// cells excluded by a hard constraint are grey.
    public static let scoreRamp = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"]
    public static let excludedCellFill = "#bdbdbd"

    public func style(forRole role: String?) -> FeatureStyle {
        guard let role, let style = roles[role] else { return fallback }
        return style
    }

    /// Applies a user style document (parsed JSON object) over this style.
    /// Unknown members are an error so that a typo does not silently do nothing.
    public func applying(_ overrides: JSONObject) throws -> MapStyle {
        var result = self
        for member in overrides {
            guard case .object(let fields) = member.value else {
                throw MapStyleError("style member \"\(member.key)\" must be an object")
            }
            if member.key == "basemap" {
                for field in fields {
                    let path = "basemap.\(field.key)"
                    guard let colour = try colour(field.value, path) else {
                        throw MapStyleError("\(path) must be a CSS colour such as \"#d62728\"")
                    }
                    switch field.key {
                    case "sea": result.sea = colour
                    case "land": result.land = colour
                    case "coast": result.coast = colour
                    case "prefecture_border": result.prefectureBorder = colour
                    default: throw MapStyleError("\(path): unknown (sea, land, coast, prefecture_border)")
                    }
                }
                continue
            }
            var style = result.roles[member.key] ?? result.fallback
            for field in fields {
                let path = "\(member.key).\(field.key)"
                switch field.key {
                case "stroke": style.stroke = try colour(field.value, path)
                case "fill": style.fill = try colour(field.value, path)
                case "width": style.strokeWidthPx = try number(field.value, path, in: Self.strokeWidthRange, unit: " px")
                case "fill_opacity": style.fillOpacity = try number(field.value, path, in: Self.opacityRange, unit: "")
                case "radius": style.radiusPx = try number(field.value, path, in: Self.radiusRange, unit: " px")
                case "dash":
                    if field.value.isNull { style.dash = nil; break }
                    guard let dash = field.value.stringValue, StyleValues.isDashArray(dash) else {
                        throw MapStyleError("\(path) must be an SVG dash array of up to 16 numbers such as \"4 3\"")
                    }
                    style.dash = dash
                case "label": style.labelProperty = try text(field.value, path)
                case "legend": style.legendLabel = try text(field.value, path)
                case "rank_colours" where member.key == "route":
                    guard let values = field.value.arrayValue, !values.isEmpty, values.count <= 64 else {
                        throw MapStyleError("\(path) must be a non-empty array of up to 64 colours")
                    }
                    var colours: [String] = []
                    for (i, value) in values.enumerated() {
                        guard let colour = try colour(value, "\(path)[\(i)]") else {
                            throw MapStyleError("\(path)[\(i)] must be a CSS colour such as \"#d62728\"")
                        }
                        colours.append(colour)
                    }
                    result.routeRankColours = colours
                default:
                    throw MapStyleError("\(path): unknown style member (stroke, fill, width, fill_opacity, radius, dash, label, legend)")
                }
            }
            result.roles[member.key] = style
        }
        try result.validate()
        return result
    }

    static let strokeWidthRange = 0.0...50.0
    static let opacityRange = 0.0...1.0
    static let radiusRange = 0.0...100.0

    /// Checks every value the canvas writes into an attribute against its whitelist: colours
    /// (CSS hex, named, rgb()/hsl()), numbers (finite, in range) and dash arrays. The
    /// renderer calls this before drawing, so a style built in code is held to the same
    /// rules as a style file.
    public func validate() throws {
        func checkColour(_ value: String?, _ path: String) throws {
            guard let value else { return }
            guard StyleValues.isColour(value) else {
                throw MapStyleError("\(path) must be a CSS colour such as \"#d62728\"")
            }
        }
        func checkNumber(_ value: Double, _ path: String, _ range: ClosedRange<Double>) throws {
            guard value.isFinite, range.contains(value) else {
                throw MapStyleError("\(path) must be a number from \(format(range.lowerBound)) to \(format(range.upperBound))")
            }
        }
        var all = roles.map { ($0.key, $0.value) }
        all.append(("fallback", fallback))
        for (role, style) in all {
            try checkColour(style.stroke, "\(role).stroke")
            try checkColour(style.fill, "\(role).fill")
            try checkNumber(style.strokeWidthPx, "\(role).width", Self.strokeWidthRange)
            try checkNumber(style.fillOpacity, "\(role).fill_opacity", Self.opacityRange)
            try checkNumber(style.radiusPx, "\(role).radius", Self.radiusRange)
            if let dash = style.dash, !StyleValues.isDashArray(dash) {
                throw MapStyleError("\(role).dash must be an SVG dash array of up to 16 numbers such as \"4 3\"")
            }
        }
        guard !routeRankColours.isEmpty else { throw MapStyleError("route.rank_colours must not be empty") }
        guard !populationRamp.isEmpty else { throw MapStyleError("population ramp must not be empty") }
        for (i, colour) in routeRankColours.enumerated() { try checkColour(colour, "route.rank_colours[\(i)]") }
        for (i, colour) in populationRamp.enumerated() { try checkColour(colour, "population_ramp[\(i)]") }
        try checkColour(sea, "basemap.sea")
        try checkColour(land, "basemap.land")
        try checkColour(coast, "basemap.coast")
        try checkColour(prefectureBorder, "basemap.prefecture_border")
    }

    private func colour(_ value: JSONValue, _ path: String) throws -> String? {
        if value.isNull { return nil }
        guard let text = value.stringValue, StyleValues.isColour(text) else {
            throw MapStyleError("\(path) must be a CSS colour such as \"#d62728\"")
        }
        return text
    }
    private func number(_ value: JSONValue, _ path: String, in range: ClosedRange<Double>, unit: String) throws -> Double {
        guard let number = value.doubleValue, number.isFinite, range.contains(number) else {
            throw MapStyleError("\(path) must be a number from \(format(range.lowerBound)) to \(format(range.upperBound))\(unit)")
        }
        return number
    }
    private func text(_ value: JSONValue, _ path: String) throws -> String? {
        if value.isNull { return nil }
        guard let text = value.stringValue else { throw MapStyleError("\(path) must be a string or null") }
        return text
    }
    private func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }
}

public struct MapStyleError: CategorizedError {
    public var category: ErrorCategory { .badData }
    public var description: String
    public init(_ description: String) { self.description = description }
}
