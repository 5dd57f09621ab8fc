import GeoCore

/// Pixel coordinates on the canvas (y down).
struct PixelPoint: Equatable {
    var x: Double
    var y: Double
}

/// Projects lon/lat to canvas pixels: PROJ forward transform into the map projection,
/// then a uniform scale fitted to the extent.
final class Viewport {
    let transform: CoordinateTransform
    let widthPx: Double
    let heightPx: Double
    private let originX: Double
    private let originY: Double
    /// Pixels per projected metre.
    let scale: Double
    let extent: BoundingBox

    /// Fits `extent` (lon/lat) into `widthPx`, choosing the height from its shape.
    init(projection: String, extent: BoundingBox, widthPx: Int) throws {
        transform = try CoordinateTransform(from: "OGC:CRS84", to: projection)
        self.extent = extent
        // The projected outline of a lon/lat box is curved: sample its edges.
        var samples: [Position] = []
        for i in 0...24 {
            let t = Double(i) / 24
            let lon = extent.minX + t * extent.width
            let lat = extent.minY + t * extent.height
            samples += [Position(lon, extent.minY), Position(lon, extent.maxY),
                        Position(extent.minX, lat), Position(extent.maxX, lat)]
        }
        let projected = transform.forward(samples)
        var box = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        for p in projected where p.x.isFinite && p.y.isFinite { box.include(p) }
        guard box.width > 0, box.height > 0 else {
            throw MapStyleError("the map extent \(extent) cannot be projected")
        }
        let width = Double(max(200, widthPx))
        scale = width / box.width
        self.widthPx = width
        heightPx = min(max(box.height * scale, 300), width * 1.6)
        originX = box.minX
        // Centre vertically when the height was clamped.
        originY = box.maxY + (heightPx / scale - box.height) / 2
    }

    /// Pixels of `positions`. A position the projection cannot map (a conic's far pole,
    /// lat −90 in the default Lambert projection) has no finite image: it is dropped when
    /// undefined (NaN) and clamped to `pixelLimit` when it lies at infinity, so a polygon
    /// covering the whole world is drawn as a very large one rather than breaking the page.
    func pixels(_ positions: [Position]) -> [PixelPoint] {
        var result: [PixelPoint] = []
        result.reserveCapacity(positions.count)
        for (i, q) in transform.forward(positions).enumerated() {
            if !q.x.isFinite || !q.y.isFinite { noteUnprojectable(positions[i]) }
            if let p = canvasPoint(q) { result.append(p) }
        }
        return result
    }
    func pixel(_ p: Position) -> PixelPoint {
        let q = transform.forward(p)
        if !q.x.isFinite || !q.y.isFinite { noteUnprojectable(p) }
        return canvasPoint(q) ?? PixelPoint(x: -pixelLimit, y: -pixelLimit)
    }

    /// The first position since the last reset that has no finite image in the projection
    /// (the canvas reports the feature it belongs to as bad input).
    var unprojectable: Position?
    private func noteUnprojectable(_ p: Position) {
        if unprojectable == nil { unprojectable = p }
    }

    /// Pixel coordinates are clamped to ±`pixelLimit`: far off any canvas, and small enough
    /// that every later integer conversion is exact.
    let pixelLimit = 1_000_000.0

    private func canvasPoint(_ q: Position) -> PixelPoint? {
        let x = (q.x - originX) * scale, y = (originY - q.y) * scale
        guard !x.isNaN, !y.isNaN else { return nil }
        return PixelPoint(x: min(max(x, -pixelLimit), pixelLimit), y: min(max(y, -pixelLimit), pixelLimit))
    }

    /// Whether a pixel-space box overlaps the canvas (with a margin for strokes).
    func isVisible(minX: Double, minY: Double, maxX: Double, maxY: Double) -> Bool {
        // A canvas-sized margin keeps context visible when the page is wider than the map.
        maxX >= -widthPx && minX <= 2 * widthPx && maxY >= -heightPx && minY <= 2 * heightPx
    }
}

/// Douglas–Peucker simplification in pixel space (Douglas & Peucker 1973): drops vertices
/// closer than `tolerancePx` to the simplified line, so detail finer than the output
/// resolution costs nothing. Iterative, O(n log n) typical.
func simplifyPixels(_ points: [PixelPoint], tolerancePx: Double, closed: Bool) -> [PixelPoint] {
    guard points.count > 4 else { return points }
    var keep = [Bool](repeating: false, count: points.count)
    keep[0] = true
    keep[points.count - 1] = true
    var stack: [(Int, Int)] = [(0, points.count - 1)]
    if closed {
        // A closed ring's first and last vertex coincide: split at the farthest vertex.
        var farthest = 1
        var best = -1.0
        for i in 1..<(points.count - 1) {
            let dx = points[i].x - points[0].x, dy = points[i].y - points[0].y
            let d = dx * dx + dy * dy
            if d > best { best = d; farthest = i }
        }
        keep[farthest] = true
        stack = [(0, farthest), (farthest, points.count - 1)]
    }
    let tolerance2 = tolerancePx * tolerancePx
    while let (first, last) = stack.popLast() {
        guard last > first + 1 else { continue }
        let a = points[first], b = points[last]
        let dx = b.x - a.x, dy = b.y - a.y
        let length2 = dx * dx + dy * dy
        var maxDistance2 = -1.0
        var index = first
        for i in (first + 1)..<last {
            let p = points[i]
            var distance2: Double
            if length2 == 0 {
                distance2 = (p.x - a.x) * (p.x - a.x) + (p.y - a.y) * (p.y - a.y)
            } else {
                let cross = (p.x - a.x) * dy - (p.y - a.y) * dx
                distance2 = cross * cross / length2
            }
            if distance2 > maxDistance2 { maxDistance2 = distance2; index = i }
        }
        if maxDistance2 > tolerance2 {
            keep[index] = true
            stack.append((first, index))
            stack.append((index, last))
        }
    }
    var result: [PixelPoint] = []
    result.reserveCapacity(points.count / 4)
    for i in points.indices where keep[i] { result.append(points[i]) }
    return result
}

/// Appends `value` rounded to one decimal (0.1 px is below what a screen shows).
@inline(__always)
func appendPixel(_ value: Double, to out: inout String) {
    // Callers pass clamped pixel values; the guard keeps a stray infinity from trapping.
    let tenths = value.isFinite ? Int((min(max(value, -1e12), 1e12) * 10).rounded()) : 0
    if tenths < 0 { out += "-" }
    let magnitude = abs(tenths)
    out += String(magnitude / 10)
    let fraction = magnitude % 10
    if fraction != 0 {
        out += "."
        out += String(fraction)
    }
}

/// SVG path data for polylines or rings in pixel space.
func pathData(_ parts: [[PixelPoint]], closed: Bool) -> String {
    var d = ""
    for part in parts where part.count >= 2 {
        d += "M"
        appendPixel(part[0].x, to: &d); d += " "; appendPixel(part[0].y, to: &d)
        let end = closed ? part.count - 1 : part.count
        if end > 1 {
            d += "L"
            for i in 1..<end {
                if i > 1 { d += " " }
                appendPixel(part[i].x, to: &d); d += " "; appendPixel(part[i].y, to: &d)
            }
        }
        if closed { d += "Z" }
    }
    return d
}

/// Escapes text for XML character data and attribute values.
func xmlEscaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default:
            // XML 1.0 forbids most control characters even when escaped.
            // XML 1.0 §2.2 also excludes U+FFFE and U+FFFF.
            if (c.value < 0x20 && c != "\n" && c != "\t") || c.value == 0xFFFE || c.value == 0xFFFF {
                out += " "
            } else {
                out.unicodeScalars.append(c)
            }
        }
    }
    return out
}
