/// Where the map's furniture goes: the legend in the emptiest corner, labels where they
/// neither overlap each other nor, when it can be helped, the drawn features.
///
/// Method: the drawn features are rasterised into an occupancy grid of `cellPx` pixels
/// (lines by their stroke, points by their disc, polygons filled by even–odd scanlines),
/// and a summed-area table (Crow 1984) answers "how much is drawn inside this box" in O(1).
/// The legend tries each corner and then positions sliding along the left and right
/// edges, and takes the emptiest (ties go to the earlier, more conventional position).
/// Labels are placed greedily in priority order, each at the first of eight candidate
/// positions around its anchor (then one or two lines higher or lower beside it) that collides with no placed label or reserved box and
/// covers the fewest drawn cells — the candidate model of point-feature label placement
/// (Imhof 1975; Christensen, Marks & Shieber 1995, who show greedy placement on such
/// candidates is close to optimal for sparse maps). A label that fits nowhere is left out
/// (its feature keeps its tooltip).
///
/// Cost: marking is O(pixels covered); each query O(1); labels O(n²) box tests for n labels.
struct OccupancyGrid {
    let cellPx: Double
    let columns: Int
    let rows: Int
    private(set) var cells: [UInt8]
    private var table: [Int32] = []

    init(widthPx: Double, heightPx: Double, cellPx: Double = 2) {
        self.cellPx = cellPx
        columns = max(1, Int((widthPx / cellPx).rounded(.up)))
        rows = max(1, Int((heightPx / cellPx).rounded(.up)))
        cells = [UInt8](repeating: 0, count: columns * rows)
    }

    private func column(_ x: Double) -> Int { Int(min(max(x / cellPx, -1), Double(columns))) }
    private func row(_ y: Double) -> Int { Int(min(max(y / cellPx, -1), Double(rows))) }

    mutating func markBox(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        let c0 = max(0, column(minX)), c1 = min(columns - 1, column(maxX))
        let r0 = max(0, row(minY)), r1 = min(rows - 1, row(maxY))
        guard c0 <= c1, r0 <= r1 else { return }
        for r in r0...r1 {
            let base = r * columns
            for c in c0...c1 { cells[base + c] = 1 }
        }
    }

    /// A stroke of half-width `halfWidthPx` from `a` to `b`, as boxes along the segment.
    mutating func markSegment(_ a: PixelPoint, _ b: PixelPoint, halfWidthPx: Double) {
        let dx = b.x - a.x, dy = b.y - a.y
        let length = (dx * dx + dy * dy).squareRoot()
        // Skip strokes entirely off the canvas (a clamped far-away vertex).
        let w = Double(columns) * cellPx, h = Double(rows) * cellPx
        if max(a.x, b.x) < -halfWidthPx || min(a.x, b.x) > w + halfWidthPx
            || max(a.y, b.y) < -halfWidthPx || min(a.y, b.y) > h + halfWidthPx { return }
        let steps = max(1, Int(min(length / (cellPx * 0.5), 1_000_000)))
        let r = max(halfWidthPx, cellPx * 0.5)
        for k in 0...steps {
            let t = Double(k) / Double(steps)
            let x = a.x + dx * t, y = a.y + dy * t
            if x < -r || y < -r || x > w + r || y > h + r { continue }
            markBox(minX: x - r, minY: y - r, maxX: x + r, maxY: y + r)
        }
    }

    mutating func markPolyline(_ points: [PixelPoint], halfWidthPx: Double) {
        guard let first = points.first else { return }
        if points.count == 1 { markSegment(first, first, halfWidthPx: halfWidthPx); return }
        for (a, b) in zip(points, points.dropFirst()) { markSegment(a, b, halfWidthPx: halfWidthPx) }
    }

    /// Fills rings by the even–odd rule, sampling each grid row at its centre.
    mutating func fillRings(_ rings: [[PixelPoint]]) {
        var minY = Double.infinity, maxY = -Double.infinity
        for ring in rings { for p in ring { minY = min(minY, p.y); maxY = max(maxY, p.y) } }
        guard minY.isFinite, maxY.isFinite else { return }
        let r0 = max(0, row(minY)), r1 = min(rows - 1, row(maxY))
        guard r0 <= r1 else { return }
        var crossings: [Double] = []
        for r in r0...r1 {
            let y = (Double(r) + 0.5) * cellPx
            crossings.removeAll(keepingCapacity: true)
            for ring in rings where ring.count >= 3 {
                var j = ring.count - 1
                for i in 0..<ring.count {
                    let a = ring[j], b = ring[i]
                    if (a.y > y) != (b.y > y) {
                        crossings.append(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x))
                    }
                    j = i
                }
            }
            crossings.sort()
            var k = 0
            while k + 1 < crossings.count {
                let c0 = max(0, column(crossings[k])), c1 = min(columns - 1, column(crossings[k + 1]))
                if c0 <= c1 {
                    let base = r * columns
                    for c in c0...c1 { cells[base + c] = 1 }
                }
                k += 2
            }
        }
        for ring in rings { markPolyline(ring, halfWidthPx: 0.5) }
    }

    /// Freezes the grid for queries (summed-area table).
    mutating func prepare() {
        table = [Int32](repeating: 0, count: (columns + 1) * (rows + 1))
        for r in 0..<rows {
            var running: Int32 = 0
            for c in 0..<columns {
                running += Int32(cells[r * columns + c])
                table[(r + 1) * (columns + 1) + c + 1] = table[r * (columns + 1) + c + 1] + running
            }
        }
    }

    /// Number of occupied cells inside a pixel box (clipped to the canvas). O(1) after `prepare`.
    func occupied(_ box: PixelBox) -> Int {
        guard !table.isEmpty else { return 0 }
        let c0 = max(0, column(box.minX)), c1 = min(columns - 1, column(box.maxX))
        let r0 = max(0, row(box.minY)), r1 = min(rows - 1, row(box.maxY))
        guard c0 <= c1, r0 <= r1 else { return 0 }
        let w = columns + 1
        let sum = table[(r1 + 1) * w + c1 + 1] - table[r0 * w + c1 + 1] - table[(r1 + 1) * w + c0] + table[r0 * w + c0]
        return Int(sum)
    }
}

/// An axis-aligned box in canvas pixels.
struct PixelBox: Equatable {
    var minX: Double
    var minY: Double
    var maxX: Double
    var maxY: Double

    init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }
    init(x: Double, y: Double, width: Double, height: Double) {
        self.init(minX: x, minY: y, maxX: x + width, maxY: y + height)
    }

    var width: Double { maxX - minX }
    var height: Double { maxY - minY }

    func intersects(_ other: PixelBox) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }
    func inside(widthPx: Double, heightPx: Double) -> Bool {
        minX >= 0 && minY >= 0 && maxX <= widthPx && maxY <= heightPx
    }
    func expanded(by d: Double) -> PixelBox {
        PixelBox(minX: minX - d, minY: minY - d, maxX: maxX + d, maxY: maxY + d)
    }
}

/// Text metrics for the label font (11 px sans-serif): an average advance of 0.56 em
/// covers DejaVu Sans and Liberation Sans for Latin names; CJK characters are a full em.
enum TextMetrics {
    static func widthPx(_ text: String, fontPx: Double = 11) -> Double {
        var width = 0.0
        for scalar in text.unicodeScalars {
            width += scalar.value >= 0x2E80 ? fontPx : (scalar.value < 0x80 && "ilIj.,:;'|!".unicodeScalars.contains(scalar) ? 0.3 * fontPx : 0.6 * fontPx)
        }
        return width
    }
}

enum Placement {
    /// The legend's position: the candidate box (top-left corners, in preference order)
    /// covering the fewest drawn cells and no reserved box. O(candidates).
    static func legend(size: (width: Double, height: Double), canvas: (width: Double, height: Double),
                       occupancy: OccupancyGrid, reserved: [PixelBox], margin: Double = 10) -> PixelBox {
        let (w, h) = size
        var candidates: [PixelBox] = []
        let left = margin, right = canvas.width - w - margin
        let top = margin, bottom = canvas.height - h - margin
        for (x, y) in [(left, bottom), (right, bottom), (left, top), (right, top)] {
            candidates.append(PixelBox(x: x, y: y, width: w, height: h))
        }
        // Then slide along the left and right edges, and along the bottom and top.
        var y = bottom - 20
        while y > top {
            candidates.append(PixelBox(x: left, y: y, width: w, height: h))
            candidates.append(PixelBox(x: right, y: y, width: w, height: h))
            y -= 20
        }
        var x = left + 20
        while x < right {
            candidates.append(PixelBox(x: x, y: bottom, width: w, height: h))
            candidates.append(PixelBox(x: x, y: top, width: w, height: h))
            x += 20
        }
        var best = candidates[0]
        var bestScore = Int.max
        for box in candidates {
            // Reserved furniture (title, scale bar, attribution, the page's panel) must stay
            // visible: a box over them is pushed past every drawn cell.
            let blocked = reserved.contains { $0.intersects(box) } || !box.inside(widthPx: canvas.width, heightPx: canvas.height)
            let score = (blocked ? 1_000_000_000 : 0) + occupancy.occupied(box.expanded(by: 3))
            if score < bestScore {
                bestScore = score
                best = box
                if score == 0 { break }
            }
        }
        return best
    }

    struct Label {
        var anchor: PixelPoint
        /// Gap between the anchor and the text (the marker's radius).
        var clearancePx: Double
        var text: String
        var priority: Double
    }

    struct PlacedLabel: Equatable {
        /// Text baseline origin and anchor (`start` or `end`).
        var x: Double
        var y: Double
        var anchorEnd: Bool
        var box: PixelBox
        var text: String
        var anchor: PixelPoint
    }

    /// Places labels greedily by priority (highest first); returns them in input order of
    /// placement. Each label's box avoids every placed label, `reserved` and the canvas
    /// edge; among the free candidates the one covering the fewest drawn cells wins, and
    /// the earlier (conventional) candidate on ties.
    static func labels(_ labels: [Label], occupancy: OccupancyGrid, reserved: [PixelBox],
                       canvas: (width: Double, height: Double), fontPx: Double = 11) -> [PlacedLabel] {
        let order = labels.indices.sorted { labels[$0].priority > labels[$1].priority || (labels[$0].priority == labels[$1].priority && $0 < $1) }
        var placed: [PlacedLabel] = []
        let ascent = fontPx * 0.8, descent = fontPx * 0.25
        for index in order {
            let label = labels[index]
            // The same name at (nearly) the same place is one label: a hub that is also a
            // landing, a landing repeated in several route files.
            if placed.contains(where: { $0.text == label.text
                && abs($0.anchor.x - label.anchor.x) < 40 && abs($0.anchor.y - label.anchor.y) < 40 }) { continue }
            let width = TextMetrics.widthPx(label.text, fontPx: fontPx)
            let gap = label.clearancePx + 2
            let p = label.anchor
            // Baseline positions: right, left, above-right, below-right, above-left,
            // below-left, above, below (Imhof's order of preference).
            var options: [(x: Double, y: Double, end: Bool, minX: Double)] = [
                (p.x + gap, p.y + ascent / 2 - 0.5, false, p.x + gap),
                (p.x - gap, p.y + ascent / 2 - 0.5, true, p.x - gap - width),
                (p.x + gap * 0.7, p.y - gap * 0.7 - descent, false, p.x + gap * 0.7),
                (p.x + gap * 0.7, p.y + gap * 0.7 + ascent, false, p.x + gap * 0.7),
                (p.x - gap * 0.7, p.y - gap * 0.7 - descent, true, p.x - gap * 0.7 - width),
                (p.x - gap * 0.7, p.y + gap * 0.7 + ascent, true, p.x - gap * 0.7 - width),
                (p.x - width / 2, p.y - gap - descent, false, p.x - width / 2),
                (p.x - width / 2, p.y + gap + ascent, false, p.x - width / 2),
            ]
            // In a crowd, a line higher or lower beside the point before giving up.
            for step in [1.0, -1.0, 2.0, -2.0] {
                let dy = step * (fontPx + 2)
                options.append((p.x + gap, p.y + ascent / 2 - 0.5 + dy, false, p.x + gap))
                options.append((p.x - gap, p.y + ascent / 2 - 0.5 + dy, true, p.x - gap - width))
            }
            var best: PlacedLabel?
            var bestScore = Int.max
            for option in options {
                let box = PixelBox(minX: option.minX - 1, minY: option.y - ascent - 1,
                                   maxX: option.minX + width + 1, maxY: option.y + descent + 1)
                guard box.inside(widthPx: canvas.width, heightPx: canvas.height),
                      !reserved.contains(where: { $0.intersects(box) }),
                      !placed.contains(where: { $0.box.intersects(box) }) else { continue }
                let score = occupancy.occupied(box)
                if score < bestScore {
                    bestScore = score
                    best = PlacedLabel(x: option.x, y: option.y, anchorEnd: option.end, box: box, text: label.text, anchor: p)
                    if score == 0 { break }
                }
            }
            if let best { placed.append(best) }
        }
        return placed
    }
}
