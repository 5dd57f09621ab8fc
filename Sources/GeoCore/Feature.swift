/// A GeoJSON Feature id: RFC 7946 §3.2 allows a string or a number.
public enum FeatureID: Hashable, Sendable {
    case string(String)
    case number(Double)
}

/// A GeoJSON Feature (RFC 7946 §3.2). `properties == nil` is written as
/// `"properties": null`; members this type does not model are kept in `foreignMembers`.
public struct Feature: Hashable, Sendable {
    public var id: FeatureID?
    public var geometry: Geometry?
    public var properties: JSONObject?
    public var bbox: [Double]?
    public var foreignMembers: JSONObject

    public init(id: FeatureID? = nil, geometry: Geometry?, properties: JSONObject? = JSONObject(),
                bbox: [Double]? = nil, foreignMembers: JSONObject = JSONObject()) {
        self.id = id
        self.geometry = geometry
        self.properties = properties
        self.bbox = bbox
        self.foreignMembers = foreignMembers
    }

    /// A property by name, or nil when absent (a JSON null is `.null`).
    public subscript(property key: String) -> JSONValue? {
        get { properties?[key] }
        set {
            var props = properties ?? JSONObject()
            props[key] = newValue
            properties = props
        }
    }

    /// The `role` property that downstream tools filter on (`route`, `hub`, `gap`, …).
    public var role: String? { properties?["role"]?.stringValue }
}

/// A GeoJSON FeatureCollection (RFC 7946 §3.3).
public struct FeatureCollection: Hashable, Sendable {
    public var features: [Feature]
    public var bbox: [Double]?
    public var foreignMembers: JSONObject

    public init(_ features: [Feature] = [], bbox: [Double]? = nil,
                foreignMembers: JSONObject = JSONObject()) {
        self.features = features
        self.bbox = bbox
        self.foreignMembers = foreignMembers
    }
}
