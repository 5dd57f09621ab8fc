import GeoCore

/// One layer to draw: the features of one input file, drawn in order, styled by `role`.
public struct MapLayer: Sendable {
    public var name: String
    public var features: [Feature]
    public init(name: String, features: [Feature]) {
        self.name = name
        self.features = features
    }
}

/// The embedded basemap: land (GSHHG), prefecture outlines and optional overlays
/// (the Boso/Shima zones, the hazard layer), drawn under the user's layers.
public struct Basemap: Sendable {
    public var land: [Feature]
    public var prefectures: [Feature]
    public var overlays: [MapLayer]
    public init(land: [Feature], prefectures: [Feature] = [], overlays: [MapLayer] = []) {
        self.land = land
        self.prefectures = prefectures
        self.overlays = overlays
    }
}

public struct MapOptions: Sendable {
    public var title: String
    public var widthPx: Int
    /// Map extent in lon/lat; nil = fitted to the layers (with a margin).
    public var bbox: BoundingBox?
    public var attribution: String
    /// A polygon or point layer with more features than this is binned to the output's
    /// pixel grid (merged runs of same-class pixels) instead of drawn one element each.
    public var maxVectorFeatures: Int
    /// PROJ definition of the map projection. Default: Lambert conformal conic with
    /// standard parallels 30° and 40° N centred on Japan (shape-true at map scale).
    public var projection: String

    public static let japanLambert =
        "+proj=lcc +lat_1=30 +lat_2=40 +lat_0=35 +lon_0=137 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs"

    /// `title`, `widthPx` and `maxVectorFeatures` are the user's (`wattbit map` declares
    /// their defaults); the engine has none of its own for them.
    public init(title: String, widthPx: Int, bbox: BoundingBox? = nil,
                attribution: String = MapOptions.defaultAttribution, maxVectorFeatures: Int,
                projection: String = MapOptions.japanLambert) {
        self.title = title
        self.widthPx = widthPx
        self.bbox = bbox
        self.attribution = attribution
        self.maxVectorFeatures = maxVectorFeatures
        self.projection = projection
    }

    public static let defaultAttribution =
        "Land: GSHHG (Wessel & Smith, LGPL). Prefectures, stations, sites: WattBit geodata (see geodata/README.md). Projection: Lambert conformal conic."
}
