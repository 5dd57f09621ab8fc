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
        ],
        routeRankColours: ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"],
        populationRamp: ["#fee6ce", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"],
        sea: "#dceaf5", land: "#efeadf", coast: "#9c9584", prefectureBorder: "#c9c1ad",
        fallback: FeatureStyle(stroke: "#444444", fill: "#999999", strokeWidthPx: 1, fillOpacity: 0.5,
                               radiusPx: 3, legendLabel: nil))

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
                    guard let colour = field.value.stringValue else {
                        throw MapStyleError("basemap.\(field.key) must be a colour string")
                    }
                    switch field.key {
                    case "sea": result.sea = colour
                    case "land": result.land = colour
                    case "coast": result.coast = colour
                    case "prefecture_border": result.prefectureBorder = colour
                    default: throw MapStyleError("basemap.\(field.key): unknown (sea, land, coast, prefecture_border)")
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
                case "width": style.strokeWidthPx = try number(field.value, path)
                case "fill_opacity": style.fillOpacity = try number(field.value, path)
                case "radius": style.radiusPx = try number(field.value, path)
                case "dash": style.dash = field.value.stringValue
                case "label": style.labelProperty = field.value.stringValue
                case "legend": style.legendLabel = field.value.stringValue
                case "rank_colours" where member.key == "route":
                    guard let colours = field.value.arrayValue?.compactMap(\.stringValue), !colours.isEmpty else {
                        throw MapStyleError("\(path) must be a non-empty array of colours")
                    }
                    result.routeRankColours = colours
                default:
                    throw MapStyleError("\(path): unknown style member (stroke, fill, width, fill_opacity, radius, dash, label, legend)")
                }
            }
            result.roles[member.key] = style
        }
        return result
    }

    private func colour(_ value: JSONValue, _ path: String) throws -> String? {
        if value.isNull { return nil }
        guard let text = value.stringValue, text.allSatisfy({ $0.isLetter || $0.isNumber || "#(),. %".contains($0) }) else {
            throw MapStyleError("\(path) must be a CSS colour such as \"#d62728\"")
        }
        return text
    }
    private func number(_ value: JSONValue, _ path: String) throws -> Double {
        guard let number = value.doubleValue, number >= 0 else {
            throw MapStyleError("\(path) must be a non-negative number")
        }
        return number
    }
}

public struct MapStyleError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
