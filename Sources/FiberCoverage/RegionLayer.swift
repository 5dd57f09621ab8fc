import GeoCore

/// Named, non-overlapping polygons (prefectures, municipalities, land masses) with a fast
/// point locator.
public struct RegionLayer: Sendable {
    public let names: [String]
    public let locator: PolygonLocator

    /// Polygon and MultiPolygon features; the name comes from the first of `nameProperties`
    /// present, else "#index". Other geometry types are ignored.
    public init(features: [Feature], nameProperties: [String] = ["name", "name_ja", "N03_004", "NAME"]) {
        var names: [String] = []
        var polygons: [[[Position]]] = []
        for (index, feature) in features.enumerated() {
            var rings: [[Position]] = []
            switch feature.geometry {
            case .polygon(let r)?: rings = r
            case .multiPolygon(let parts)?: rings = parts.flatMap { $0 }
            default: continue
            }
            var name = "#\(index)"
            for key in nameProperties {
                if let value = feature[property: key]?.stringValue, !value.isEmpty { name = value; break }
            }
            names.append(name)
            polygons.append(rings)
        }
        self.names = names
        locator = PolygonLocator(polygons: polygons)
    }

    public init(names: [String], polygons: [[[Position]]]) {
        self.names = names
        locator = PolygonLocator(polygons: polygons)
    }

    public func locate(_ p: Position) -> Int? { locator.locate(p) }
}
