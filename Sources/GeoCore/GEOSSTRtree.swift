import CGEOS

/// GEOS's Sort-Tile-Recursive R-tree (Leutenegger, Lopez & Edgington 1997) over a fixed
/// list of geometries, answering box queries and nearest-neighbour queries by index into
/// that list. Built once (all geometries inserted up front, GEOS packs the tree on the
/// first query). Box query O(log n + k); nearest neighbour by GEOS's branch-and-bound
/// search with exact geometry distances.
///
/// Not Sendable and tied to its context's thread. Empty geometries are never returned.
public final class GEOSSTRtree {
    private let context: GEOSContext
    /// Items owned here for the tree's lifetime (the tree only stores pointers to them).
    private let members: [GEOSGeometryHandle?]
    private let memberPointers: [OpaquePointer?]
    /// x/y of members that are points (NaN otherwise): their distances need no GEOS call.
    private let pointXY: [Double]
    private let indexedCount: Int
    private let tree: OpaquePointer

    /// Number of geometries the tree was built from (including empty ones).
    public var count: Int { members.count }

    public init(_ geometries: [Geometry], context: GEOSContext) throws {
        var members: [GEOSGeometryHandle?] = []
        members.reserveCapacity(geometries.count)
        for g in geometries {
            let member = try context.geos(g)
            members.append(member.isEmpty ? nil : member)
        }
        // 10 entries per node: GEOS's default, a good balance of depth and node scan cost.
        guard let tree = GEOSSTRtree_create_r(context.handle, 10) else {
            throw context.failure("STRtree create")
        }
        var indexed = 0
        for (index, member) in members.enumerated() {
            guard let member else { continue }
            // Items are 1-based indices stored in the pointer itself (never NULL).
            GEOSSTRtree_insert_r(context.handle, tree, member.pointer, UnsafeMutableRawPointer(bitPattern: index + 1))
            indexed += 1
        }
        self.context = context
        self.members = members
        self.memberPointers = members.map { $0?.pointer }
        var pointXY = [Double](repeating: .nan, count: 2 * geometries.count)
        for (index, g) in geometries.enumerated() {
            if case .point(let p) = g { pointXY[2 * index] = p.x; pointXY[2 * index + 1] = p.y }
        }
        self.pointXY = pointXY
        self.indexedCount = indexed
        self.tree = tree
    }

    deinit {
        // Runs before `members` are released: the tree goes first, then its items.
        GEOSSTRtree_destroy_r(context.handle, tree)
    }

    /// Indices (ascending) of the geometries whose bounding boxes intersect `box`: candidates,
    /// to be refined with an exact predicate. An inverted or NaN box matches nothing.
    public func query(_ box: BoundingBox) -> [Int] {
        guard indexedCount > 0, box.minX <= box.maxX, box.minY <= box.maxY else { return [] }
        let handle = context.handle
        guard let rectangle = GEOSGeom_createRectangle_r(handle, box.minX, box.minY, box.maxX, box.maxY) else {
            return []
        }
        defer { GEOSGeom_destroy_r(handle, rectangle) }
        var hits: [Int] = []
        withUnsafeMutablePointer(to: &hits) { out in
            // A C callback cannot capture: the result array travels in `userdata`.
            GEOSSTRtree_query_r(handle, tree, rectangle, { item, userdata in
                guard let userdata else { return }
                userdata.assumingMemoryBound(to: [Int].self).pointee.append(Int(bitPattern: item) - 1)
            }, out)
        }
        hits.sort()
        return hits
    }

    /// Index of the geometry nearest to `g` (exact planar distance), or nil when the tree
    /// holds no non-empty geometry. Among equally near geometries GEOS's search order
    /// decides, which is deterministic for the same input list.
    public func nearest(to g: Geometry) throws -> Int? {
        guard indexedCount > 0 else { return nil }
        let query = try context.geos(g)
        guard !query.isEmpty else { throw GEOSError(message: "STRtree nearest: the query geometry is empty") }
        var queryXY = (Double.nan, Double.nan)
        if case .point(let p) = g { queryXY = (p.x, p.y) }
        let handle = context.handle
        // The callback sees plain buffers (no arrays, so no reference counting per call).
        let found = withExtendedLifetime(query) {
            memberPointers.withUnsafeBufferPointer { members in
                pointXY.withUnsafeBufferPointer { pointXY in
                    var state = NearestSearch(handle: handle, members: members, pointXY: pointXY,
                                              query: query.pointer, queryXY: queryXY)
                    return withUnsafeMutablePointer(to: &state) { statePointer in
                        GEOSSTRtree_nearest_generic_r(
                            handle, tree, NearestSearch.queryItem, query.pointer,
                            { a, b, distance, userdata in
                                // No captures: everything comes through `userdata`. GEOS treats
                                // a zero return as failure ("Failed to compute distance").
                                guard let userdata, let distance else { return 0 }
                                let search = userdata.assumingMemoryBound(to: NearestSearch.self)
                                // Point to point (the common case) in Swift, not through a GEOS call (docs/geos-bridge.md).
                                if let p = search.pointee.point(for: a), let q = search.pointee.point(for: b) {
                                    distance.pointee = ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot()
                                    return 1
                                }
                                guard let first = search.pointee.geometry(for: a),
                                      let second = search.pointee.geometry(for: b) else { return 0 }
                                return GEOSDistance_r(search.pointee.handle, first, second, distance)
                            }, statePointer)
                    }
                }
            }
        }
        guard let found else { throw context.failure("STRtree nearest") }
        return Int(bitPattern: found) - 1
    }

    /// Index of the geometry nearest to a point.
    public func nearest(to p: Position) throws -> Int? {
        try nearest(to: .point(p))
    }
}

/// State for the nearest-neighbour distance callback.
private struct NearestSearch {
    /// Marks the query item; tree items are 1…n.
    static var queryItem: UnsafeRawPointer? { UnsafeRawPointer(bitPattern: -1) }
    let handle: OpaquePointer
    let members: UnsafeBufferPointer<OpaquePointer?>
    let pointXY: UnsafeBufferPointer<Double>
    let query: OpaquePointer
    let queryXY: (Double, Double)

    func geometry(for item: UnsafeRawPointer?) -> OpaquePointer? {
        guard let item else { return nil }
        if item == NearestSearch.queryItem { return query }
        let index = Int(bitPattern: item) - 1
        guard index >= 0, index < members.count else { return nil }
        return members[index]
    }

    /// Coordinates when the item is a point, else nil.
    func point(for item: UnsafeRawPointer?) -> (x: Double, y: Double)? {
        guard let item else { return nil }
        let xy: (Double, Double)
        if item == NearestSearch.queryItem {
            xy = queryXY
        } else {
            let index = Int(bitPattern: item) - 1
            guard index >= 0, 2 * index + 1 < pointXY.count else { return nil }
            xy = (pointXY[2 * index], pointXY[2 * index + 1])
        }
        return xy.0.isNaN ? nil : (xy.0, xy.1)
    }
}

@available(*, unavailable, message: "an STRtree is used on its context's thread only")
extension GEOSSTRtree: Sendable {}
