/// A position in RFC 7946 order: longitude, latitude (WGS84 / JGD2011 degrees), optional
/// altitude. In projected work `x`/`y` are metres in the CRS at hand.
public struct Position: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var z: Double?

    public init(_ x: Double, _ y: Double, _ z: Double? = nil) {
        self.x = x
        self.y = y
        self.z = z
    }
    public init(lon: Double, lat: Double) { self.init(lon, lat) }

    public var lon: Double { x }
    public var lat: Double { y }
}

/// A GeoJSON geometry (RFC 7946 §3.1). Polygons are arrays of linear rings, exterior
/// first; rings are closed (first position == last).
public indirect enum Geometry: Hashable, Sendable {
    case point(Position)
    case multiPoint([Position])
    case lineString([Position])
    case multiLineString([[Position]])
    case polygon([[Position]])
    case multiPolygon([[[Position]]])
    case geometryCollection([Geometry])

    /// The RFC 7946 `type` member.
    public var typeName: String {
        switch self {
        case .point: "Point"
        case .multiPoint: "MultiPoint"
        case .lineString: "LineString"
        case .multiLineString: "MultiLineString"
        case .polygon: "Polygon"
        case .multiPolygon: "MultiPolygon"
        case .geometryCollection: "GeometryCollection"
        }
    }

    /// Every position, depth first, in document order.
    public func forEachPosition(_ body: (Position) throws -> Void) rethrows {
        switch self {
        case .point(let p): try body(p)
        case .multiPoint(let ps), .lineString(let ps): for p in ps { try body(p) }
        case .multiLineString(let lines), .polygon(let lines):
            for line in lines { for p in line { try body(p) } }
        case .multiPolygon(let polygons):
            for polygon in polygons { for ring in polygon { for p in ring { try body(p) } } }
        case .geometryCollection(let members): for g in members { try g.forEachPosition(body) }
        }
    }

    /// [minLon, minLat, maxLon, maxLat], or nil for an empty geometry.
    public var boundingBox: BoundingBox? {
        var box: BoundingBox?
        forEachPosition { p in
            if box == nil { box = BoundingBox(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y) }
            else { box?.include(p) }
        }
        return box
    }
}

/// An axis-aligned box in the coordinates of the geometry it bounds.
public struct BoundingBox: Hashable, Sendable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    public mutating func include(_ p: Position) {
        minX = min(minX, p.x); minY = min(minY, p.y)
        maxX = max(maxX, p.x); maxY = max(maxY, p.y)
    }
    public mutating func include(_ other: BoundingBox) {
        minX = min(minX, other.minX); minY = min(minY, other.minY)
        maxX = max(maxX, other.maxX); maxY = max(maxY, other.maxY)
    }
    public func contains(_ p: Position) -> Bool {
        p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY
    }
    public func intersects(_ other: BoundingBox) -> Bool {
        minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY
    }
    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    public var center: Position { Position((minX + maxX) / 2, (minY + maxY) / 2) }
}

/// How engines report progress without depending on the planner protocol:
/// `fraction` in 0…1 of the named `stage` (e.g. "sea surface", "search").
public typealias ProgressCallback = @Sendable (_ fraction: Double, _ stage: String) -> Void
