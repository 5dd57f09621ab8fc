import CGEOS

// Conversion between GeoCore `Geometry` values and GEOS geometries, once per operation at
// the boundary. Coordinates move in bulk through GEOSCoordSeq_copyFromBuffer_r /
// copyToBuffer_r (GEOS >= 3.10), not one point at a time.
//
// Ownership (GEOS C API): createLinearRing/createLineString/createPoint take the coordinate
// sequence; createPolygon takes its rings; createCollection takes its members (also when it
// fails). So only the outermost geometry is ever destroyed by us.
//
// Empty geometries: `.lineString([])`, `.polygon([])`, `.multi…([])` and
// `.geometryCollection([])` map to the GEOS empties of the same type. GEOS's `POINT EMPTY`
// (GeoCore has no empty point) comes back as `.multiPoint([])`; empty members of multi
// geometries carry no information and are dropped.
//
// Polygons coming back from GEOS follow RFC 7946's right-hand rule (exterior rings counter-
// clockwise, holes clockwise); input rings are passed to GEOS as they are.
//
// Z: a coordinate sequence is 3D when any of its positions has `z`; missing values are NaN
// in GEOS and NaN comes back as `z == nil`.

extension GEOSContext {
    /// A new GEOS geometry owned by the returned handle.
    func geos(_ geometry: Geometry) throws -> GEOSGeometryHandle {
        sink.reset()
        return GEOSGeometryHandle(try rawGeometry(geometry), context: self)
    }

    /// Reads a GEOS geometry (not consumed) back into a GeoCore value.
    func geometry(_ handle: GEOSGeometryHandle) throws -> Geometry {
        try withExtendedLifetime(handle) { try geometry(borrowing: handle.pointer) }
    }

    // MARK: GeoCore -> GEOS (each returns a pointer the caller owns)

    private func rawGeometry(_ geometry: Geometry) throws -> OpaquePointer {
        switch geometry {
        case .point(let p):
            return try rawCreate("create point", GEOSGeom_createPoint_r(handle, try rawSequence([p])))
        case .lineString(let ps):
            return try rawLineString(ps)
        case .polygon(let rings):
            return try rawPolygon(rings)
        case .multiPoint(let ps):
            return try rawCollection(GEOS_MULTIPOINT, ps.map { p in
                { try self.rawCreate("create point", GEOSGeom_createPoint_r(self.handle, try self.rawSequence([p]))) }
            })
        case .multiLineString(let lines):
            return try rawCollection(GEOS_MULTILINESTRING, lines.map { line in { try self.rawLineString(line) } })
        case .multiPolygon(let polygons):
            return try rawCollection(GEOS_MULTIPOLYGON, polygons.map { rings in { try self.rawPolygon(rings) } })
        case .geometryCollection(let members):
            return try rawCollection(GEOS_GEOMETRYCOLLECTION, members.map { member in { try self.rawGeometry(member) } })
        }
    }

    private func rawCreate(_ operation: String, _ pointer: OpaquePointer?) throws -> OpaquePointer {
        guard let pointer else { throw failure(operation) }
        return pointer
    }

    private func rawSequence(_ positions: [Position]) throws -> OpaquePointer {
        guard let count = UInt32(exactly: positions.count) else {
            throw GEOSError(message: "too many coordinates (\(positions.count)) for one GEOS sequence")
        }
        let hasZ = positions.contains { $0.z != nil }
        let stride = hasZ ? 3 : 2
        let buffer = [Double](unsafeUninitializedCapacity: positions.count * stride) { out, initialized in
            var j = 0
            for p in positions {
                out.initializeElement(at: j, to: p.x)
                out.initializeElement(at: j + 1, to: p.y)
                if hasZ { out.initializeElement(at: j + 2, to: p.z ?? .nan) }
                j += stride
            }
            initialized = j
        }
        let sequence = buffer.withUnsafeBufferPointer {
            GEOSCoordSeq_copyFromBuffer_r(handle, $0.baseAddress, count, hasZ ? 1 : 0, 0)
        }
        return try rawCreate("create coordinate sequence", sequence)
    }

    private func rawLineString(_ positions: [Position]) throws -> OpaquePointer {
        if positions.isEmpty {
            return try rawCreate("create empty line string", GEOSGeom_createEmptyLineString_r(handle))
        }
        // Takes the sequence, also when it rejects a single-position line.
        return try rawCreate("building a line string", GEOSGeom_createLineString_r(handle, try rawSequence(positions)))
    }

    private func rawRing(_ positions: [Position]) throws -> OpaquePointer {
        // Takes the sequence, also when it rejects an unclosed or too short ring.
        try rawCreate("building a polygon ring", GEOSGeom_createLinearRing_r(handle, try rawSequence(positions)))
    }

    private func rawPolygon(_ rings: [[Position]]) throws -> OpaquePointer {
        guard let shellPositions = rings.first else {
            return try rawCreate("create empty polygon", GEOSGeom_createEmptyPolygon_r(handle))
        }
        let shell = try rawRing(shellPositions)
        var holes: [OpaquePointer?] = []
        holes.reserveCapacity(rings.count - 1)
        do {
            for ring in rings.dropFirst() { holes.append(try rawRing(ring)) }
        } catch {
            GEOSGeom_destroy_r(handle, shell)
            for hole in holes { if let hole { GEOSGeom_destroy_r(handle, hole) } }
            throw error
        }
        // Takes shell and holes (they are valid linear rings, so it does not refuse them).
        let polygon = holes.withUnsafeMutableBufferPointer {
            GEOSGeom_createPolygon_r(handle, shell, $0.baseAddress, UInt32($0.count))
        }
        return try rawCreate("building a polygon", polygon)
    }

    private func rawCollection(_ type: GEOSGeomTypes, _ makers: [() throws -> OpaquePointer]) throws -> OpaquePointer {
        if makers.isEmpty {
            return try rawCreate("create empty collection", GEOSGeom_createEmptyCollection_r(handle, Int32(type.rawValue)))
        }
        var members: [OpaquePointer?] = []
        members.reserveCapacity(makers.count)
        do {
            for make in makers { members.append(try make()) }
        } catch {
            for member in members { if let member { GEOSGeom_destroy_r(handle, member) } }
            throw error
        }
        guard let count = UInt32(exactly: members.count) else {
            for member in members { if let member { GEOSGeom_destroy_r(handle, member) } }
            throw GEOSError(message: "too many members (\(members.count)) for one GEOS collection")
        }
        // Takes the members, whether it succeeds or not.
        let collection = members.withUnsafeMutableBufferPointer {
            GEOSGeom_createCollection_r(handle, Int32(type.rawValue), $0.baseAddress, count)
        }
        return try rawCreate("building a collection", collection)
    }

    // MARK: GEOS -> GeoCore

    func geometry(borrowing pointer: OpaquePointer) throws -> Geometry {
        let typeID = GEOSGeomTypeId_r(handle, pointer)
        guard typeID >= 0 else { throw failure("geometry type") }
        let type = GEOSGeomTypes(rawValue: UInt32(typeID))
        let empty = GEOSisEmpty_r(handle, pointer) == 1
        switch type {
        case GEOS_POINT:
            if empty { return .multiPoint([]) }
            guard let p = try positions(of: pointer).first else { return .multiPoint([]) }
            return .point(p)
        case GEOS_LINESTRING, GEOS_LINEARRING:
            return .lineString(empty ? [] : try positions(of: pointer))
        case GEOS_POLYGON:
            return .polygon(try rings(of: pointer))
        case GEOS_MULTIPOINT:
            return .multiPoint(try members(of: pointer).compactMap { member in
                try positions(of: member).first
            })
        case GEOS_MULTILINESTRING:
            return .multiLineString(try members(of: pointer).map { try positions(of: $0) })
        case GEOS_MULTIPOLYGON:
            return .multiPolygon(try members(of: pointer).map { try rings(of: $0) })
        case GEOS_GEOMETRYCOLLECTION:
            return .geometryCollection(try allMembers(of: pointer).map { try geometry(borrowing: $0) })
        default:
            throw GEOSError(message: "unsupported GEOS geometry type \(typeID)")
        }
    }

    /// Members of a collection (borrowed pointers), all of them.
    private func allMembers(of pointer: OpaquePointer) throws -> [OpaquePointer] {
        let count = GEOSGetNumGeometries_r(handle, pointer)
        guard count >= 0 else { throw failure("number of geometries") }
        return try (0..<count).map { i in
            guard let member = GEOSGetGeometryN_r(handle, pointer, i) else { throw failure("geometry \(i)") }
            return member
        }
    }

    /// Non-empty members of a multi geometry.
    private func members(of pointer: OpaquePointer) throws -> [OpaquePointer] {
        try allMembers(of: pointer).filter { GEOSisEmpty_r(handle, $0) != 1 }
    }

    private func rings(of polygon: OpaquePointer) throws -> [[Position]] {
        if GEOSisEmpty_r(handle, polygon) == 1 { return [] }
        guard let shell = GEOSGetExteriorRing_r(handle, polygon) else { throw failure("exterior ring") }
        let holeCount = GEOSGetNumInteriorRings_r(handle, polygon)
        guard holeCount >= 0 else { throw failure("number of interior rings") }
        var rings = [oriented(try positions(of: shell), counterClockwise: true)]
        rings.reserveCapacity(Int(holeCount) + 1)
        for i in 0..<holeCount {
            guard let hole = GEOSGetInteriorRingN_r(handle, polygon, i) else { throw failure("interior ring \(i)") }
            rings.append(oriented(try positions(of: hole), counterClockwise: false))
        }
        return rings
    }

    /// RFC 7946 §3.1.6 right-hand rule: exterior rings counter-clockwise, holes clockwise.
    /// GEOS's overlay writes shells clockwise and GEOSOrientPolygons only arrived in 3.12,
    /// so polygons are oriented here, on the way out.
    private func oriented(_ ring: [Position], counterClockwise: Bool) -> [Position] {
        guard ring.count >= 4, let origin = ring.first else { return ring }
        // Shoelace sum relative to the first vertex, which keeps lon/lat-sized values exact.
        var twiceArea = 0.0
        for i in 1..<(ring.count - 1) {
            let a = ring[i], b = ring[i + 1]
            twiceArea += (a.x - origin.x) * (b.y - origin.y) - (b.x - origin.x) * (a.y - origin.y)
        }
        if twiceArea == 0 || (twiceArea > 0) == counterClockwise { return ring }
        return ring.reversed()
    }

    /// Positions of a point, line string or linear ring.
    func positions(of pointer: OpaquePointer) throws -> [Position] {
        guard let sequence = GEOSGeom_getCoordSeq_r(handle, pointer) else { throw failure("coordinate sequence") }
        return try positions(ofSequence: sequence)
    }

    func positions(ofSequence sequence: OpaquePointer) throws -> [Position] {
        var size: UInt32 = 0
        var dimensions: UInt32 = 0
        guard GEOSCoordSeq_getSize_r(handle, sequence, &size) != 0,
              GEOSCoordSeq_getDimensions_r(handle, sequence, &dimensions) != 0 else {
            throw failure("coordinate sequence size")
        }
        let count = Int(size)
        if count == 0 { return [] }
        let hasZ = dimensions >= 3
        let stride = hasZ ? 3 : 2
        var buffer = [Double](repeating: 0, count: count * stride)
        let copied = buffer.withUnsafeMutableBufferPointer {
            GEOSCoordSeq_copyToBuffer_r(handle, sequence, $0.baseAddress, hasZ ? 1 : 0, 0)
        }
        guard copied != 0 else { throw failure("copy coordinates") }
        return buffer.withUnsafeBufferPointer { values in
            [Position](unsafeUninitializedCapacity: count) { out, initialized in
                for i in 0..<count {
                    let base = i * stride
                    let z = hasZ && !values[base + 2].isNaN ? values[base + 2] : nil
                    out.initializeElement(at: i, to: Position(values[base], values[base + 1], z))
                }
                initialized = count
            }
        }
    }
}
