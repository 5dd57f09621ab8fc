import GeoCore

/// One drawing of a map: holds the viewport and accumulates SVG text.
struct MapCanvas {
    let style: MapStyle
    let options: MapOptions
    let layers: [MapLayer]
    let basemap: Basemap
    /// A standalone SVG carries its namespace and `<title>` tooltips; inline SVG in the
    /// HTML page gets tooltips from the page script instead.
    let standalone: Bool
    let viewport: Viewport

    private(set) var svg = ""
    /// `(group id, label)` of the groups the HTML page can toggle.
    private(set) var toggleableGroups: [(id: String, label: String)] = []
    /// Properties per layer and feature index, for the HTML tooltip.
    private(set) var tooltipProperties: [[JSONObject?]] = []
    private var labels: [Placement.Label] = []
    /// What the features cover on the canvas, so that the legend and labels avoid it.
    private var occupancy: OccupancyGrid
    private var rolesDrawn: [String] = []
    private var routeRanksDrawn: Set<Int> = []
    private var gapClassesDrawn: Set<Int> = []
    private var scoreClassesDrawn: Set<Int> = []

    init(style: MapStyle, options: MapOptions, layers: [MapLayer], basemap: Basemap, standalone: Bool) throws {
        // Every style value written into an attribute is whitelisted first (and escaped
        // again where it is written): a shared style file must not inject markup.
        try style.validate()
        self.style = style
        self.options = options
        self.layers = layers
        self.basemap = basemap
        self.standalone = standalone
        let extent = options.bbox ?? MapRenderer.fittedExtent(layers)
        viewport = try Viewport(projection: options.projection, extent: extent, widthPx: options.widthPx)
        occupancy = OccupancyGrid(widthPx: viewport.widthPx, heightPx: viewport.heightPx)
    }

    mutating func draw() throws -> String {
        let w = Int(viewport.widthPx.rounded()), h = Int(viewport.heightPx.rounded())
        svg.reserveCapacity(1 << 20)
        svg += "<svg"
        if standalone { svg += " xmlns=\"http://www.w3.org/2000/svg\"" }
        svg += " id=\"wattbit-map\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" font-family=\"sans-serif\" font-size=\"11\">\n"
        svg += "<title>\(xmlEscaped(options.title))</title>\n"
        svg += "<style>.lbl{paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round;fill:#222222}</style>\n"
        // The sea extends past the canvas so that panning, or a window of another shape
        // than the map, shows sea rather than the page background.
        svg += "<rect id=\"sea\" x=\"-\(w * 2)\" y=\"-\(h * 2)\" width=\"\(w * 5)\" height=\"\(h * 5)\" fill=\"\(xmlEscaped(style.sea))\"/>\n"
        drawBasemap()
        for (index, overlay) in basemap.overlays.enumerated() {
            try drawLayer(overlay, groupID: "overlay-\(index)", layerIndex: nil)
        }
        for (index, layer) in layers.enumerated() {
            try drawLayer(layer, groupID: "layer-\(index)", layerIndex: index)
        }
        occupancy.prepare()
        let scaleBar = scaleBarGeometry()
        var reserved = [titleBox, attributionBox]
        if let scaleBar { reserved.append(scaleBar.box) }
        if !standalone { reserved.append(pagePanelBox) }
        let legend = legendEntries()
        var legendBox: PixelBox?
        if !legend.isEmpty {
            let size = legendSize(legend)
            legendBox = Placement.legend(size: size, canvas: (viewport.widthPx, viewport.heightPx),
                                         occupancy: occupancy, reserved: reserved)
        }
        drawLabels(reserved: reserved + (legendBox.map { [$0] } ?? []))
        drawTitle()
        if let legendBox { drawLegend(legend, at: legendBox) }
        if let scaleBar { drawScaleBar(scaleBar) }
        drawAttribution()
        svg += "</svg>\n"
        return svg
    }

    // MARK: basemap

    private mutating func drawBasemap() {
        svg += "<g id=\"basemap-land\" fill=\"\(xmlEscaped(style.land))\" stroke=\"\(xmlEscaped(style.coast))\" stroke-width=\"0.5\" stroke-linejoin=\"round\"><path fill-rule=\"evenodd\" d=\""
        for feature in basemap.land {
            guard let geometry = feature.geometry else { continue }
            svg += pathData(polygonRings(geometry, tolerancePx: 0.4, minimumSizePx: 0.7), closed: true)
        }
        svg += "\"/></g>\n"
        guard !basemap.prefectures.isEmpty else { return }
        svg += "<g id=\"basemap-prefectures\" fill=\"none\" stroke=\"\(xmlEscaped(style.prefectureBorder))\" stroke-width=\"0.5\"><path d=\""
        for feature in basemap.prefectures {
            guard let geometry = feature.geometry else { continue }
            svg += pathData(polygonRings(geometry, tolerancePx: 0.5, minimumSizePx: 2), closed: true)
        }
        svg += "\"/></g>\n"
        toggleableGroups.append((id: "basemap-prefectures", label: "Prefectures"))
    }

    /// A (multi)polygon's rings in pixels, simplified to the output scale; rings smaller
    /// than `minimumSizePx` across are dropped.
    private func polygonRings(_ geometry: Geometry, tolerancePx: Double, minimumSizePx: Double) -> [[PixelPoint]] {
        var rings: [[PixelPoint]] = []
        func addRings(_ polygon: [[Position]]) {
            for ring in polygon where ring.count >= 4 {
                let pixels = viewport.pixels(ring)
                var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
                for p in pixels { minX = min(minX, p.x); maxX = max(maxX, p.x); minY = min(minY, p.y); maxY = max(maxY, p.y) }
                guard viewport.isVisible(minX: minX, minY: minY, maxX: maxX, maxY: maxY),
                      max(maxX - minX, maxY - minY) >= minimumSizePx else { continue }
                rings.append(simplifyPixels(pixels, tolerancePx: tolerancePx, closed: true))
            }
        }
        switch geometry {
        case .polygon(let polygon): addRings(polygon)
        case .multiPolygon(let polygons): polygons.forEach(addRings)
        case .geometryCollection(let members):
            return members.flatMap { polygonRings($0, tolerancePx: tolerancePx, minimumSizePx: minimumSizePx) }
        default: break
        }
        return rings
    }

    // MARK: layers

    private mutating func drawLayer(_ layer: MapLayer, groupID: String, layerIndex: Int?) throws {
        toggleableGroups.append((id: groupID, label: layer.name))
        svg += "<g id=\"\(groupID)\" data-name=\"\(xmlEscaped(layer.name))\">\n"
        var properties: [JSONObject?] = []
        let polygonOrPointCount = layer.features.reduce(0) { count, feature in
            switch feature.geometry {
            case .polygon, .multiPolygon, .point, .multiPoint: count + 1
            default: count
            }
        }
        let binned = polygonOrPointCount > options.maxVectorFeatures
        if binned { try drawBinned(layer) }
        for (index, feature) in layer.features.enumerated() {
            var isBinned = false
            if binned, let geometry = feature.geometry {
                switch geometry {
                case .polygon, .multiPolygon, .point, .multiPoint: isBinned = true
                default: break
                }
            }
            // Binned features have no element to hover, so the page carries no tooltip
            // properties for them: a 400k-cell layer stays a small, fast page.
            if layerIndex != nil { properties.append(isBinned ? nil : feature.properties) }
            guard let geometry = feature.geometry, !isBinned else { continue }
            viewport.unprojectable = nil
            drawFeature(feature, geometry: geometry, layerIndex: layerIndex, featureIndex: index)
            if let p = viewport.unprojectable {
                throw MapDrawError(layer: layer.name, feature: index, position: p)
            }
        }
        svg += "</g>\n"
        if layerIndex != nil { tooltipProperties.append(properties) }
    }

    private func roleOf(_ feature: Feature, layer: MapLayer) -> String {
        if let role = feature.role { return role }
        if let kind = feature[property: "kind"]?.stringValue {
            if kind == "landing-concentration" { return kind }
            if kind.contains("trench") || kind.contains("trough") || kind.contains("earthquake") { return "hazard" }
        }
        return "feature"
    }

    /// The colour a feature is drawn in, after role-specific rules (route rank, gap class).
    private mutating func colours(for feature: Feature, role: String, base: FeatureStyle) -> (stroke: String?, fill: String?) {
        var stroke = base.stroke, fill = base.fill
        if role == "route", let rank = feature[property: "rank"]?.intValue, rank >= 1 {
            stroke = style.routeRankColours[(rank - 1) % style.routeRankColours.count]
            routeRanksDrawn.insert(rank)
        }
        if role == "gap" {
            let population = feature[property: "population"]?.doubleValue ?? 0
            let k = populationClass(population)
            fill = style.populationRamp[min(k, style.populationRamp.count - 1)]
            gapClassesDrawn.insert(k)
        }
        if role == "cell" {
            let k = scoreClass(feature)
            fill = k < 0 ? MapStyle.excludedCellFill : MapStyle.scoreRamp[k]
            scoreClassesDrawn.insert(k)
        }
        return (stroke, fill)
    }

    private mutating func noteRole(_ role: String) {
        if !rolesDrawn.contains(role) { rolesDrawn.append(role) }
    }

    private mutating func drawFeature(_ feature: Feature, geometry: Geometry, layerIndex: Int?, featureIndex: Int) {
        let role = roleOf(feature, layer: layers.first ?? MapLayer(name: "", features: []))
        noteRole(role)
        let base = style.style(forRole: role)
        let (stroke, fill) = colours(for: feature, role: role, base: base)
        var attributes = "data-role=\"\(xmlEscaped(role))\""
        if let layerIndex { attributes += " data-l=\"\(layerIndex)\" data-i=\"\(featureIndex)\"" }
        let tooltip = standalone ? "<title>\(xmlEscaped(tooltipText(feature, role: role)))</title>" : ""
        func paint(lines: Bool) -> String {
            var s = ""
            if lines {
                s += " fill=\"none\""
            } else {
                s += " fill=\"\(xmlEscaped(fill ?? "none"))\""
                if base.fillOpacity < 1 { s += " fill-opacity=\"\(base.fillOpacity)\"" }
            }
            if let stroke {
                s += " stroke=\"\(xmlEscaped(stroke))\" stroke-width=\"\(base.strokeWidthPx)\""
                if lines { s += " stroke-linecap=\"round\" stroke-linejoin=\"round\"" }
                if let dash = base.dash { s += " stroke-dasharray=\"\(xmlEscaped(dash))\"" }
            }
            return s
        }
        switch geometry {
        case .point(let p):
            let radius = pointRadius(feature, role: role, base: base)
            let q = viewport.pixel(p)
            var element = "<circle \(attributes) cx=\""
            appendPixel(q.x, to: &element); element += "\" cy=\""; appendPixel(q.y, to: &element)
            element += "\" r=\"\(radius)\"\(paint(lines: false))"
            svg += tooltip.isEmpty ? element + "/>\n" : element + ">\(tooltip)</circle>\n"
            occupancy.markBox(minX: q.x - radius, minY: q.y - radius, maxX: q.x + radius, maxY: q.y + radius)
            addLabel(feature, role: role, base: base, at: q, clearancePx: radius)
        case .multiPoint(let points):
            let radius = pointRadius(feature, role: role, base: base)
            svg += "<g \(attributes)\(paint(lines: false))>\(tooltip)"
            for p in points {
                let q = viewport.pixel(p)
                var element = "<circle cx=\""
                appendPixel(q.x, to: &element); element += "\" cy=\""; appendPixel(q.y, to: &element)
                svg += element + "\" r=\"\(radius)\"/>"
                occupancy.markBox(minX: q.x - radius, minY: q.y - radius, maxX: q.x + radius, maxY: q.y + radius)
            }
            svg += "</g>\n"
        case .lineString(let line):
            let parts = [simplifyPixels(viewport.pixels(line), tolerancePx: 0.3, closed: false)]
            svg += "<path \(attributes)\(paint(lines: true)) d=\"\(pathData(parts, closed: false))\">\(tooltip)</path>\n"
            if stroke != nil { occupancy.markPolyline(parts[0], halfWidthPx: base.strokeWidthPx / 2) }
            if let mid = parts[0].dropFirst(parts[0].count / 2).first { addLabel(feature, role: role, base: base, at: mid, clearancePx: 3) }
        case .multiLineString(let lines):
            let parts = lines.map { simplifyPixels(viewport.pixels($0), tolerancePx: 0.3, closed: false) }
            svg += "<path \(attributes)\(paint(lines: true)) d=\"\(pathData(parts, closed: false))\">\(tooltip)</path>\n"
            if stroke != nil { for part in parts { occupancy.markPolyline(part, halfWidthPx: base.strokeWidthPx / 2) } }
        case .polygon, .multiPolygon:
            // Small polygons must stay visible: no minimum size for user layers.
            let rings = polygonRings(geometry, tolerancePx: 0.3, minimumSizePx: 0)
            svg += "<path \(attributes)\(paint(lines: false)) fill-rule=\"evenodd\" d=\"\(pathData(rings, closed: true))\">\(tooltip)</path>\n"
            if fill != nil { occupancy.fillRings(rings) } else { for ring in rings { occupancy.markPolyline(ring, halfWidthPx: base.strokeWidthPx / 2) } }
            if let center = geometry.boundingBox?.center { addLabel(feature, role: role, base: base, at: viewport.pixel(center), clearancePx: 0) }
        case .geometryCollection(let members):
            svg += "<g \(attributes)>\(tooltip)"
            for member in members {
                let single = Feature(geometry: member, properties: feature.properties)
                drawFeature(single, geometry: member, layerIndex: nil, featureIndex: featureIndex)
            }
            svg += "</g>\n"
        }
    }

    private func pointRadius(_ feature: Feature, role: String, base: FeatureStyle) -> Double {
        // Hubs: area proportional to MW, 1 GW ≈ the base radius.
        if role == "hub", let mw = feature[property: "total_mw"]?.doubleValue, mw > 0 {
            return (min(base.radiusPx * (mw / 1000).squareRoot(), 200) * 10).rounded() / 10
        }
        return base.radiusPx
    }

    private mutating func addLabel(_ feature: Feature, role: String, base: FeatureStyle, at point: PixelPoint, clearancePx: Double) {
        guard let key = base.labelProperty else { return }
        // English names render with any font; Japanese needs CJK fonts the viewer may lack.
        let text = feature[property: key]?.stringValue ?? feature[property: "name"]?.stringValue
            ?? feature[property: "hub_id"]?.stringValue
        guard let text, !text.isEmpty else { return }
        // Bigger hubs first, then landings, then the rest: when labels compete for room,
        // the more important name keeps its place.
        var priority = 0.0
        if role == "hub" { priority = 2_000_000 + min(feature[property: "total_mw"]?.doubleValue ?? 0, 1_000_000) }
        else if role == "landing" { priority = 1_000_000 }
        labels.append(Placement.Label(anchor: point, clearancePx: clearancePx, text: text, priority: priority))
    }

    private func tooltipText(_ feature: Feature, role: String) -> String {
        var parts: [String] = [role]
        for key in ["name_en", "name", "hub_id", "rank", "from", "to", "length_km", "total_mw",
                    "population", "cost_per_person_jpy", "reason"] {
            guard let value = feature[property: key] else { continue }
            switch value {
            case .string(let s): parts.append("\(key): \(s)")
            case .number(let n):
                // Int(n) only where it is exact: a property can hold any finite double.
                let text = n.rounded() == n && abs(n) < 1e15 ? String(Int(n)) : abs(n) < 1e15 ? format1(n) : "\(n)"
                parts.append("\(key): \(text)")
            default: continue
            }
        }
        return parts.joined(separator: " · ")
    }

    private func format1(_ value: Double) -> String {
        var s = ""
        appendPixel(value, to: &s)
        return s
    }

    // MARK: binned layers

    /// Draws a huge polygon/point layer as merged pixel runs per colour class: each feature
    /// marks the pixels its projected bounds cover; each row's runs of one class become one
    /// `h`/`v` rectangle. Output size is bounded by the canvas (width × height), not the input.
    private mutating func drawBinned(_ layer: MapLayer) throws {
        let width = Int(viewport.widthPx.rounded()), height = Int(viewport.heightPx.rounded())
        var grid = [UInt8](repeating: 0, count: width * height)   // 0 = empty, else class + 1
        var classColours: [String] = []
        var binnedCount = 0
        var role = "feature"
        for (index, feature) in layer.features.enumerated() {
            guard let geometry = feature.geometry else { continue }
            switch geometry {
            case .polygon, .multiPolygon, .point, .multiPoint: break
            default: continue
            }
            viewport.unprojectable = nil
            defer { viewport.unprojectable = nil }
            role = roleOf(feature, layer: layer)
            let base = style.style(forRole: role)
            let (_, fill) = colours(for: feature, role: role, base: base)
            let colour = fill ?? base.stroke ?? "#999999"
            var classIndex = classColours.firstIndex(of: colour) ?? -1
            if classIndex < 0 {
                guard classColours.count < 250 else { continue }
                classColours.append(colour)
                classIndex = classColours.count - 1
            }
            guard let box = geometry.boundingBox else { continue }
            let a = viewport.pixel(Position(box.minX, box.minY))
            let b = viewport.pixel(Position(box.maxX, box.maxY))
            if let p = viewport.unprojectable {
                throw MapDrawError(layer: layer.name, feature: index, position: p)
            }
            let x0 = max(0, Int(min(a.x, b.x).rounded(.down))), x1 = min(width - 1, Int(max(a.x, b.x).rounded(.down)))
            let y0 = max(0, Int(min(a.y, b.y).rounded(.down))), y1 = min(height - 1, Int(max(a.y, b.y).rounded(.down)))
            guard x0 <= x1, y0 <= y1 else { continue }
            binnedCount += 1
            let mark = UInt8(classIndex + 1)
            for y in y0...y1 {
                let row = y * width
                // Darker (later-ramp) classes win where features share a pixel.
                for x in x0...x1 where grid[row + x] < mark { grid[row + x] = mark }
            }
        }
        noteRole(role)
        for (k, colour) in classColours.enumerated() {
            let mark = UInt8(k + 1)
            var d = ""
            for y in 0..<height {
                let row = y * width
                var x = 0
                while x < width {
                    guard grid[row + x] == mark else { x += 1; continue }
                    let start = x
                    while x < width && grid[row + x] == mark { x += 1 }
                    d += "M\(start) \(y)h\(x - start)v1h-\(x - start)z"
                    occupancy.markBox(minX: Double(start), minY: Double(y), maxX: Double(x), maxY: Double(y + 1))
                }
            }
            if d.isEmpty { continue }
            svg += "<path data-role=\"\(xmlEscaped(role))\" data-binned=\"\(binnedCount)\" fill=\"\(xmlEscaped(colour))\" shape-rendering=\"crispEdges\" d=\"\(d)\"/>\n"
        }
    }

    // MARK: furniture

    private mutating func drawLabels(reserved: [PixelBox]) {
        guard !labels.isEmpty else { return }
        let placed = Placement.labels(labels, occupancy: occupancy, reserved: reserved,
                                      canvas: (viewport.widthPx, viewport.heightPx))
        svg += "<g id=\"labels\">\n"
        for label in placed {
            var element = "<text class=\"lbl\" x=\""
            appendPixel(label.x, to: &element); element += "\" y=\""; appendPixel(label.y, to: &element)
            element += label.anchorEnd ? "\" text-anchor=\"end" : ""
            svg += element + "\">\(xmlEscaped(label.text))</text>\n"
        }
        svg += "</g>\n"
        toggleableGroups.append((id: "labels", label: "Labels"))
    }

    /// Boxes the legend and labels must not cover.
    private var titleBox: PixelBox {
        PixelBox(x: 8, y: 8, width: min(viewport.widthPx - 16, Double(options.title.count) * 9 + 24), height: 30)
    }
    private var attributionBox: PixelBox {
        let width = TextMetrics.widthPx(options.attribution, fontPx: 9)
        return PixelBox(minX: viewport.widthPx - 8 - width, minY: viewport.heightPx - 17, maxX: viewport.widthPx - 8, maxY: viewport.heightPx - 5)
    }
    /// The HTML page's panel of toggles sits over the map's top-right corner.
    private var pagePanelBox: PixelBox {
        let height = 70 + 19 * Double(toggleableGroups.count + 1)
        return PixelBox(minX: viewport.widthPx - 290, minY: 0, maxX: viewport.widthPx, maxY: height)
    }

    private mutating func drawTitle() {
        svg += "<g id=\"title\"><rect x=\"8\" y=\"8\" width=\"\(min(viewport.widthPx - 16, Double(options.title.count) * 9 + 24))\" height=\"30\" rx=\"4\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>"
        svg += "<text x=\"20\" y=\"29\" font-size=\"16\" font-weight=\"bold\" fill=\"#222222\">\(xmlEscaped(options.title))</text></g>\n"
    }

    private func legendEntries() -> [(swatch: String, label: String)] {
        var entries: [(swatch: String, label: String)] = []
        for role in rolesDrawn {
            let base = style.style(forRole: role)
            let label = base.legendLabel ?? role
            if role == "route" && !routeRanksDrawn.isEmpty {
                for rank in routeRanksDrawn.sorted() {
                    let colour = style.routeRankColours[(rank - 1) % style.routeRankColours.count]
                    entries.append(("<line x1=\"0\" y1=\"6\" x2=\"18\" y2=\"6\" stroke=\"\(xmlEscaped(colour))\" stroke-width=\"3\"/>", "Cable route, rank \(rank)"))
                }
                continue
            }
            if role == "gap" && !gapClassesDrawn.isEmpty {
                let names = ["< 100", "100 – 1,000", "1,000 – 10,000", "10,000 – 100,000", "≥ 100,000"]
                for k in gapClassesDrawn.sorted() {
                    let colour = style.populationRamp[min(k, style.populationRamp.count - 1)]
                    entries.append(("<rect width=\"18\" height=\"12\" fill=\"\(xmlEscaped(colour))\" stroke=\"\(xmlEscaped(base.stroke ?? "none"))\" stroke-width=\"0.5\"/>", "Fiber gap, \(names[min(k, names.count - 1)]) people"))
                }
                continue
            }
            if role == "cell" && !scoreClassesDrawn.isEmpty {
                let names = ["< 0.2", "0.2 – 0.4", "0.4 – 0.6", "0.6 – 0.8", "≥ 0.8"]
                for k in scoreClassesDrawn.sorted(by: >) {
                    let colour = k < 0 ? MapStyle.excludedCellFill : MapStyle.scoreRamp[k]
                    let text = k < 0 ? "Excluded (metro or constraint)" : "\(label) \(names[k])"
                    entries.append(("<rect width=\"18\" height=\"12\" fill=\"\(xmlEscaped(colour))\" stroke=\"none\"/>", text))
                }
                continue
            }
            let swatch: String
            if base.fill == nil {
                swatch = "<line x1=\"0\" y1=\"6\" x2=\"18\" y2=\"6\" stroke=\"\(xmlEscaped(base.stroke ?? "#444444"))\" stroke-width=\"\(min(base.strokeWidthPx, 4))\"\(base.dash.map { " stroke-dasharray=\"\(xmlEscaped($0))\"" } ?? "")/>"
            } else if ["landing", "hub", "hub-member", "unassigned", "site"].contains(role) {
                swatch = "<circle cx=\"9\" cy=\"6\" r=\"\(min(base.radiusPx, 6))\" fill=\"\(xmlEscaped(base.fill ?? "none"))\" stroke=\"\(xmlEscaped(base.stroke ?? "none"))\"/>"
            } else {
                swatch = "<rect width=\"18\" height=\"12\" fill=\"\(xmlEscaped(base.fill ?? "none"))\" fill-opacity=\"\(base.fillOpacity)\" stroke=\"\(xmlEscaped(base.stroke ?? "none"))\"/>"
            }
            entries.append((swatch, label))
        }
        return entries
    }

    private static let legendRowHeight = 17.0

    private func legendSize(_ entries: [(swatch: String, label: String)]) -> (width: Double, height: Double) {
        let longest = entries.map { TextMetrics.widthPx($0.label) }.max() ?? 60
        return ((longest + 44).rounded(.up), Double(entries.count) * Self.legendRowHeight + 28)
    }

    /// The legend at `box` (chosen by `Placement.legend`: the emptiest corner).
    private mutating func drawLegend(_ entries: [(swatch: String, label: String)], at box: PixelBox) {
        let rowHeight = Self.legendRowHeight
        svg += "<g id=\"legend\" transform=\"translate(\(Int(box.minX)) \(Int(box.minY)))\"><rect width=\"\(Int(box.width))\" height=\"\(Int(box.height))\" rx=\"4\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#bbbbbb\"/>"
        svg += "<text x=\"10\" y=\"17\" font-weight=\"bold\">Legend</text>"
        for (i, entry) in entries.enumerated() {
            let y = 24 + Double(i) * rowHeight
            svg += "<g transform=\"translate(10 \(Int(y)))\">\(entry.swatch)<text x=\"26\" y=\"10\">\(xmlEscaped(entry.label))</text></g>"
        }
        svg += "</g>\n"
    }

    /// A bar whose length is a round number of kilometres, measured geodesically at the
    /// centre of the map (conformal projections keep scale locally true in every direction).
    private struct ScaleBar {
        var x: Double, y: Double, length: Double, kilometres: Double
        var box: PixelBox { PixelBox(x: x - 6, y: y - 16, width: length + 12, height: 28) }
    }

    private func scaleBarGeometry() -> ScaleBar? {
        let center = viewport.extent.center
        let east = Geodesic.direct(from: center, azimuthDegrees: 90, distanceMeters: 100_000)
        let a = viewport.pixel(center), b = viewport.pixel(east)
        let pxPerKm = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot() / 100
        guard pxPerKm.isFinite, pxPerKm > 0 else { return nil }
        let target = viewport.widthPx * 0.15 / pxPerKm
        let nice = [1.0, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000].last { $0 <= target } ?? 1
        let length = nice * pxPerKm
        return ScaleBar(x: (viewport.widthPx - length - 24).rounded(.down), y: (viewport.heightPx - 40).rounded(.down),
                        length: length, kilometres: nice)
    }

    private mutating func drawScaleBar(_ bar: ScaleBar) {
        let x = bar.x, y = bar.y, length = bar.length, nice = bar.kilometres
        svg += "<g id=\"scale-bar\" transform=\"translate(\(Int(x)) \(Int(y)))\"><rect x=\"-6\" y=\"-16\" width=\"\(Int(length + 12))\" height=\"28\" fill=\"#ffffff\" fill-opacity=\"0.85\" rx=\"3\"/>"
        svg += "<path d=\"M0 0v6h\(String(format1(length)))v-6\" fill=\"none\" stroke=\"#222222\" stroke-width=\"1.5\"/>"
        svg += "<text x=\"\(format1(length / 2))\" y=\"-4\" text-anchor=\"middle\">\(Int(nice)) km</text></g>\n"
    }

    private mutating func drawAttribution() {
        svg += "<text id=\"attribution\" x=\"\(Int(viewport.widthPx - 8))\" y=\"\(Int(viewport.heightPx - 8))\" text-anchor=\"end\" font-size=\"9\" fill=\"#555555\">\(xmlEscaped(options.attribution))</text>\n"
    }
}

/// A feature the map projection cannot draw: a position with no finite image (the south
/// pole in the default Lambert conformal conic, whose cone opens towards it).
public struct MapDrawError: Error, CustomStringConvertible, Sendable {
    public var layer: String
    public var feature: Int
    public var position: Position
    public var description: String {
        "\(layer): features[\(feature)]: position [\(position.lon), \(position.lat)] cannot be drawn in the map projection (it has no finite image; crop the layer to the map area)"
    }
}
