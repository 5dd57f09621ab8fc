import GeoCore

/// Draws GeoJSON layers over the embedded basemap as a standalone SVG, or as an offline
/// HTML page with pan/zoom, layer toggles and property tooltips.
///
/// Cost: O(V) in the number of input vertices (each is projected once through PROJ and
/// simplified in pixel space). Layers beyond `maxVectorFeatures` are binned to the pixel
/// grid, so output size is bounded by the canvas, not by the input (see docs/planners/map.md).
public struct MapRenderer: Sendable {
    public var style: MapStyle
    public var options: MapOptions

    public init(style: MapStyle = .standard, options: MapOptions) {
        self.style = style
        self.options = options
    }

    /// A standalone SVG document.
    public func renderSVG(layers: [MapLayer], basemap: Basemap) throws -> String {
        var canvas = try MapCanvas(style: style, options: options, layers: layers, basemap: basemap,
                                   standalone: true)
        return try canvas.draw()
    }

    /// A standalone offline HTML page: the same SVG plus pan/zoom, layer toggles and a
    /// tooltip with each feature's properties. No network requests, scripts or fonts.
    public func renderHTML(layers: [MapLayer], basemap: Basemap) throws -> String {
        var canvas = try MapCanvas(style: style, options: options, layers: layers, basemap: basemap,
                                   standalone: false)
        let svg = try canvas.draw()
        return HTMLPage.make(title: options.title, svg: svg, layerNames: canvas.toggleableGroups,
                             properties: canvas.tooltipProperties)
    }

    /// The extent the map shows when no `bbox` is given: the layers' bounds with a 12 %
    /// margin and at least 3° across, or all of Japan when the layers are empty.
    public static func fittedExtent(_ layers: [MapLayer]) -> BoundingBox {
        var box: BoundingBox?
        for layer in layers {
            for feature in layer.features {
                guard let b = feature.geometry?.boundingBox else { continue }
                if box == nil { box = b } else { box?.include(b) }
            }
        }
        guard var extent = box else { return BoundingBox(minX: 122, minY: 24, maxX: 150, maxY: 46) }
        let padX = max(extent.width * 0.12, (3 - extent.width) / 2, 0.2)
        let padY = max(extent.height * 0.12, (3 - extent.height) / 2, 0.2)
        extent = BoundingBox(minX: extent.minX - padX, minY: extent.minY - padY,
                             maxX: extent.maxX + padX, maxY: extent.maxY + padY)
        extent.minY = max(extent.minY, -85)
        extent.maxY = min(extent.maxY, 85)
        return extent
    }
}

/// Score classes for siting cells (equal intervals of the 0…1 score), fixed so maps compare.
let scoreClassBounds: [Double] = [0.2, 0.4, 0.6, 0.8]

/// The score class of a siting cell: 0…4, or -1 when a constraint excludes it.
func scoreClass(_ feature: Feature) -> Int {
    if feature[property: "eligible"]?.boolValue == false { return -1 }
    let score = feature[property: "score"]?.doubleValue ?? 0
    var k = 0
    while k < scoreClassBounds.count && score >= scoreClassBounds[k] { k += 1 }
    return k
}

/// Population classes for gap shading (people per gap), fixed so maps compare.
let populationClassBounds: [Double] = [100, 1_000, 10_000, 100_000]

func populationClass(_ population: Double) -> Int {
    var k = 0
    while k < populationClassBounds.count && population >= populationClassBounds[k] { k += 1 }
    return k
}
