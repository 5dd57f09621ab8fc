// GeoJSON (RFC 7946) objects decoded straight from bytes by `JSONScanner`.
//
// Coordinates are read into typed arrays as they are scanned (no intermediate JSONValue
// tree) and checked on the way: position shape, longitude/latitude range, linear rings
// closed with at least 4 positions (§3.1.6), LineStrings with at least 2 positions (§3.1.4).
// When a geometry's "type" comes after its "coordinates" (legal but rare), the coordinates
// are scanned again once the type is known.

enum GeoJSONType {
    case point, multiPoint, lineString, multiLineString, polygon, multiPolygon
    case geometryCollection, feature, featureCollection

    init?(_ name: String) {
        switch name {
        case "Point": self = .point
        case "MultiPoint": self = .multiPoint
        case "LineString": self = .lineString
        case "MultiLineString": self = .multiLineString
        case "Polygon": self = .polygon
        case "MultiPolygon": self = .multiPolygon
        case "GeometryCollection": self = .geometryCollection
        case "Feature": self = .feature
        case "FeatureCollection": self = .featureCollection
        default: return nil
        }
    }

    var hasCoordinates: Bool {
        switch self {
        case .point, .multiPoint, .lineString, .multiLineString, .polygon, .multiPolygon: true
        case .geometryCollection, .feature, .featureCollection: false
        }
    }

    static let allNames = ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                           "MultiPolygon", "GeometryCollection", "Feature", "FeatureCollection"]
}

/// A member name, recognised from its bytes without building a String for GeoJSON's own.
enum GeoJSONKey: Equatable {
    case type, coordinates, geometries, geometry, properties, id, bbox, crs, features
    case other(String)

    var bit: UInt16 {
        switch self {
        case .type: 1
        case .coordinates: 2
        case .geometries: 4
        case .geometry: 8
        case .properties: 16
        case .id: 32
        case .bbox: 64
        case .crs: 128
        case .features: 256
        case .other: 0
        }
    }

    var name: String {
        switch self {
        case .type: "type"
        case .coordinates: "coordinates"
        case .geometries: "geometries"
        case .geometry: "geometry"
        case .properties: "properties"
        case .id: "id"
        case .bbox: "bbox"
        case .crs: "crs"
        case .features: "features"
        case .other(let name): name
        }
    }
}

/// The members of one GeoJSON object, collected in whatever order they appear.
struct GeoJSONMembers {
    var objectOffset: Int
    /// GeoJSONKey bits of the members seen so far (foreign names are checked in `foreign`).
    var seen: UInt16 = 0
    var type: String?
    var typeOffset = 0
    var id: FeatureID?
    var bbox: [Double]?
    var hasGeometry = false
    var geometry: Geometry?
    var hasProperties = false
    var properties: JSONObject?
    /// Typed coordinates, when "type" came first.
    var coordinates: Geometry?
    /// Where untyped coordinates start (re-scanned once the type is known) and their value.
    var coordinatesOffset: Int?
    var coordinatesValue: JSONValue?
    var geometries: [Geometry]?
    var foreign: [JSONObject.Member] = []

    init(objectOffset: Int) { self.objectOffset = objectOffset }

    /// Names of foreign members once there are many (hostile input must not go quadratic).
    var foreignNames: Set<String> = []

    func has(_ key: GeoJSONKey) -> Bool {
        if case .other(let name) = key {
            if !foreignNames.isEmpty { return foreignNames.contains(name) }
            return foreign.contains { $0.key == name }
        }
        return seen & key.bit != 0
    }

    mutating func mark(_ key: GeoJSONKey) {
        seen |= key.bit
        if case .other(let name) = key {
            if foreignNames.isEmpty && foreign.count >= 15 { foreignNames = Set(foreign.map(\.key)) }
            if !foreignNames.isEmpty { foreignNames.insert(name) }
        }
    }

    /// Members that RFC 7946 §7.1 forbids on a FeatureCollection, if any.
    var forbiddenOnCollection: String? {
        if hasGeometry { return "geometry" }
        if hasProperties { return "properties" }
        if coordinates != nil || coordinatesOffset != nil { return "coordinates" }
        if geometries != nil { return "geometries" }
        return nil
    }
}

extension FeatureID {
    var jsonValue: JSONValue {
        switch self {
        case .string(let text): .string(text)
        case .number(let number): .number(number)
        }
    }
}

/// Legacy (2008 GeoJSON) `crs` names that denote longitude/latitude on WGS84 or JGD2011,
/// which RFC 7946 coordinates already are; anything else would need reprojection.
private let acceptedCRSNames: Set<String> = [
    "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "ogc:crs84", "crs84",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84",
    "epsg:4326", "urn:ogc:def:crs:epsg::4326", "urn:ogc:def:crs:epsg:4326",
    "http://www.opengis.net/def/crs/epsg/0/4326",
    "epsg:6668", "urn:ogc:def:crs:epsg::6668", "urn:ogc:def:crs:epsg:6668",
    "http://www.opengis.net/def/crs/epsg/0/6668",
]

/// Shortest decimal text of a number, for messages.
func formatNumberForMessage(_ value: Double) -> String {
    var out: [UInt8] = []
    JSONOutput.appendNumber(value, to: &out)
    return String(decoding: out, as: UTF8.self)
}

extension JSONScanner {
    // MARK: objects

    /// Reads one member value of a GeoJSON object into `members` (the name is already read).
    mutating func readGeoJSONMember(_ key: GeoJSONKey, keyOffset: Int, into members: inout GeoJSONMembers) throws(JSONFailure) {
        if members.has(key) {
            throw failure(.structure, "duplicate member \"\(key.name)\"", at: keyOffset)
        }
        members.mark(key)
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("(expected a value)") }
        switch key {
        case .type:
            guard bytes[pos] == ASCII.quote else {
                throw failure(.structure, "\"type\" must be a string but is \(describeCurrent())")
            }
            members.typeOffset = pos
            members.type = try parseString()
        case .coordinates:
            if let name = members.type, let type = GeoJSONType(name), type.hasCoordinates {
                members.coordinates = try parseCoordinates(type)
            } else {
                members.coordinatesOffset = pos
                members.coordinatesValue = try parseValue()
            }
        case .geometries:
            members.geometries = try parseGeometryList()
        case .geometry:
            members.hasGeometry = true
            if bytes[pos] == ASCII.openBrace {
                members.geometry = try parseGeometry()
            } else if hasPrefix("null", at: pos) {
                pos += 4
            } else {
                throw failure(.structure, "\"geometry\" must be an object or null but is \(describeCurrent())")
            }
        case .properties:
            members.hasProperties = true
            if bytes[pos] == ASCII.openBrace {
                members.properties = try parseObject()
            } else if hasPrefix("null", at: pos) {
                pos += 4
            } else {
                throw failure(.structure, "\"properties\" must be an object or null but is \(describeCurrent())")
            }
        case .id:
            let offset = pos
            switch try parseValue() {
            case .string(let text): members.id = .string(text)
            case .number(let number): members.id = .number(number)
            default:
                throw failure(.structure, "\"id\" must be a string or a number (RFC 7946 §3.2)", at: offset)
            }
        case .bbox:
            members.bbox = try parseBoundingBox()
        case .crs:
            let offset = pos
            let value = try parseValue()
            try checkLegacyCRS(value, at: offset)
            members.foreign.append(JSONObject.Member(key: "crs", value: value))
        case .features:
            members.foreign.append(JSONObject.Member(key: "features", value: try parseValue()))
        case .other(let name):
            members.foreign.append(JSONObject.Member(key: name, value: try parseValue()))
        }
    }

    /// Reads the members of an object starting at `{`.
    mutating func parseGeoJSONMembers() throws(JSONFailure) -> GeoJSONMembers {
        var members = GeoJSONMembers(objectOffset: pos)
        try enter()
        pos += 1
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in an object") }
        if bytes[pos] == ASCII.closeBrace {
            pos += 1
            depth -= 1
            return members
        }
        while true {
            skipWhitespace()
            let keyOffset = pos
            let key = try parseGeoJSONMemberName()
            do {
                try readGeoJSONMember(key, keyOffset: keyOffset, into: &members)
            } catch {
                var failure = error
                failure.within(.key(key.name))
                throw failure
            }
            if try endOfElement(closing: ASCII.closeBrace, what: "object") { break }
        }
        depth -= 1
        return members
    }

    /// A member name and its `:`, matching GeoJSON's own names on the raw bytes.
    @inline(__always)
    mutating func parseGeoJSONMemberName() throws(JSONFailure) -> GeoJSONKey {
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == ASCII.quote {
            var end = pos + 1
            while end < bytes.count && end - pos <= 12 {
                let byte = bytes[end]
                if byte == ASCII.quote || byte == ASCII.backslash { break }
                end += 1
            }
            if end < bytes.count && bytes[end] == ASCII.quote {
                let start = pos + 1
                let key: GeoJSONKey?
                switch end - start {
                case 2 where hasPrefix("id", at: start): key = .id
                case 3 where hasPrefix("crs", at: start): key = .crs
                case 4 where hasPrefix("type", at: start): key = .type
                case 4 where hasPrefix("bbox", at: start): key = .bbox
                case 8 where hasPrefix("geometry", at: start): key = .geometry
                case 8 where hasPrefix("features", at: start): key = .features
                case 10 where hasPrefix("properties", at: start): key = .properties
                case 10 where hasPrefix("geometries", at: start): key = .geometries
                case 11 where hasPrefix("coordinates", at: start): key = .coordinates
                default: key = nil
                }
                if let key {
                    pos = end + 1
                    skipWhitespace()
                    guard pos < bytes.count else { throw truncated("in an object") }
                    guard bytes[pos] == ASCII.colon else {
                        throw failure(.syntax, "expected ':' after member name \"\(key.name)\" but found \(describeCurrent())")
                    }
                    pos += 1
                    return key
                }
            }
        }
        return .other(try parseMemberName())
    }

    func requireType(_ members: GeoJSONMembers, expecting: String) throws(JSONFailure) -> GeoJSONType {
        guard let name = members.type else {
            throw failure(.structure, "missing \"type\" member (expected \(expecting))", at: members.objectOffset)
        }
        guard let type = GeoJSONType(name) else {
            var message = "unknown GeoJSON type \"\(name)\""
            if let match = GeoJSONType.allNames.first(where: { $0.lowercased() == name.lowercased() }) {
                message += " (did you mean \"\(match)\"? type names are case-sensitive)"
            } else {
                message += " (expected \(expecting))"
            }
            var failure = failure(.structure, message, at: members.typeOffset)
            failure.within(.key("type"))
            throw failure
        }
        return type
    }

    mutating func finishGeometry(_ members: GeoJSONMembers) throws(JSONFailure) -> Geometry {
        let type = try requireType(members, expecting: "a geometry type such as \"Polygon\"")
        switch type {
        case .feature, .featureCollection:
            var failure = failure(.structure, "expected a geometry but found a \(members.type ?? "")", at: members.typeOffset)
            failure.within(.key("type"))
            throw failure
        case .geometryCollection:
            guard let geometries = members.geometries else {
                throw failure(.structure, "GeometryCollection has no \"geometries\" array", at: members.objectOffset)
            }
            return .geometryCollection(geometries)
        default:
            if let coordinates = members.coordinates { return coordinates }
            guard let offset = members.coordinatesOffset else {
                throw failure(.structure, "\(members.type ?? "") has no \"coordinates\" member", at: members.objectOffset)
            }
            var rescan = self
            rescan.pos = offset
            do {
                return try rescan.parseCoordinates(type)
            } catch {
                var failure = error
                failure.within(.key("coordinates"))
                throw failure
            }
        }
    }

    mutating func finishFeature(_ members: GeoJSONMembers) throws(JSONFailure) -> Feature {
        let type = try requireType(members, expecting: "\"Feature\"")
        guard type == .feature else {
            var failure = failure(.structure, "expected a Feature but found a \(members.type ?? "")", at: members.typeOffset)
            failure.within(.key("type"))
            throw failure
        }
        guard members.hasGeometry else {
            throw failure(.structure, "Feature has no \"geometry\" member (RFC 7946 §3.2; use \"geometry\": null for none)", at: members.objectOffset)
        }
        var foreign = members.foreign
        if let value = members.coordinatesValue { foreign.append(JSONObject.Member(key: "coordinates", value: value)) }
        if let geometries = members.geometries {
            foreign.append(JSONObject.Member(key: "geometries", value: .array(geometries.map(\.jsonValue))))
        }
        // RFC 7946 §3.2 requires "properties"; a missing member is read as null (documented).
        return Feature(id: members.id, geometry: members.geometry, properties: members.properties,
                       bbox: members.bbox, foreignMembers: JSONObject(foreign))
    }

    /// A Feature object (the position is at its first byte, whitespace skipped or not).
    mutating func parseFeature() throws(JSONFailure) -> Feature {
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("(expected a Feature)") }
        guard bytes[pos] == ASCII.openBrace else {
            throw failure(.structure, "expected a Feature object but found \(describeCurrent())")
        }
        let members = try parseGeoJSONMembers()
        return try finishFeature(members)
    }

    /// A geometry object.
    mutating func parseGeometry() throws(JSONFailure) -> Geometry {
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("(expected a geometry)") }
        guard bytes[pos] == ASCII.openBrace else {
            throw failure(.structure, "expected a geometry object but found \(describeCurrent())")
        }
        let members = try parseGeoJSONMembers()
        return try finishGeometry(members)
    }

    mutating func parseGeometryList() throws(JSONFailure) -> [Geometry] {
        guard bytes[pos] == ASCII.openBracket else {
            throw failure(.structure, "\"geometries\" must be an array but is \(describeCurrent())")
        }
        try enter()
        pos += 1
        var geometries: [Geometry] = []
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in an array") }
        if bytes[pos] == ASCII.closeBracket {
            pos += 1
            depth -= 1
            return geometries
        }
        while true {
            do {
                geometries.append(try parseGeometry())
            } catch {
                var failure = error
                failure.within(.index(geometries.count))
                throw failure
            }
            if try endOfElement(closing: ASCII.closeBracket, what: "array") { break }
        }
        depth -= 1
        return geometries
    }

    mutating func parseBoundingBox() throws(JSONFailure) -> [Double] {
        let start = pos
        guard bytes[pos] == ASCII.openBracket else {
            throw failure(.structure, "\"bbox\" must be an array of numbers but is \(describeCurrent())")
        }
        pos += 1
        var values: [Double] = []
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in an array") }
        if bytes[pos] == ASCII.closeBracket {
            pos += 1
        } else {
            while true {
                values.append(try parseCoordinateNumber())
                if try endOfElement(closing: ASCII.closeBracket, what: "array") { break }
            }
        }
        guard values.count == 4 || values.count == 6 else {
            throw failure(.structure, "\"bbox\" must have 4 or 6 numbers (RFC 7946 §5) but has \(values.count)", at: start)
        }
        return values
    }

    func checkLegacyCRS(_ value: JSONValue, at offset: Int) throws(JSONFailure) {
        if value.isNull { return }
        guard let object = value.objectValue, let kind = object["type"]?.stringValue else {
            throw failure(.structure, "\"crs\" must be {\"type\": \"name\", \"properties\": {\"name\": …}}", at: offset)
        }
        guard kind == "name", let name = object["properties"]?.objectValue?["name"]?.stringValue else {
            throw failure(.value, "unsupported \"crs\" of type \"\(kind)\"; RFC 7946 GeoJSON is always WGS84 longitude/latitude", at: offset)
        }
        if !acceptedCRSNames.contains(name.lowercased()) {
            throw failure(.value, "crs \"\(name)\" is not WGS84/JGD2011 longitude/latitude; RFC 7946 GeoJSON must be WGS84 lon,lat: reproject first (e.g. ogr2ogr -t_srs OGC:CRS84 out.geojson in.geojson)", at: offset)
        }
    }

    // MARK: coordinates

    mutating func parseCoordinates(_ type: GeoJSONType) throws(JSONFailure) -> Geometry {
        do throws(JSONFailure) {
            switch type {
            case .point:
                return .point(try parsePosition())
            case .multiPoint:
                return .multiPoint(try parsePositionList(rule: .none))
            case .lineString:
                return .lineString(try parsePositionList(rule: .lineString))
            case .multiLineString:
                return .multiLineString(try parseLineList(rule: .lineString))
            case .polygon:
                return .polygon(try parseLineList(rule: .ring))
            case .multiPolygon:
                return .multiPolygon(try parsePolygonList())
            case .geometryCollection, .feature, .featureCollection:
                throw failure(.structure, "\"coordinates\" is not a member of a \(type)")
            }
        } catch {
            var failure = error
            if failure.message.hasSuffix("nested too deeply") || failure.message.hasSuffix("nested too shallowly") {
                failure.message += " for \(typeName(type))"
            }
            throw failure
        }
    }

    private func typeName(_ type: GeoJSONType) -> String {
        switch type {
        case .point: "a Point"
        case .multiPoint: "a MultiPoint"
        case .lineString: "a LineString"
        case .multiLineString: "a MultiLineString"
        case .polygon: "a Polygon"
        case .multiPolygon: "a MultiPolygon"
        case .geometryCollection: "a GeometryCollection"
        case .feature: "a Feature"
        case .featureCollection: "a FeatureCollection"
        }
    }

    enum LineRule { case none, lineString, ring }

    /// Opens an array of coordinate arrays; returns true when it is empty (and consumed).
    @inline(__always)
    mutating func openCoordinateArray() throws(JSONFailure) -> Bool {
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in coordinates") }
        guard bytes[pos] == ASCII.openBracket else {
            if bytes[pos] == ASCII.minus || (bytes[pos] >= ASCII.zero && bytes[pos] <= ASCII.nine) {
                throw failure(.structure, "expected an array but found a number: coordinates nested too shallowly")
            }
            throw failure(.structure, "expected an array of coordinates but found \(describeCurrent())")
        }
        pos += 1
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in coordinates") }
        if bytes[pos] == ASCII.closeBracket {
            pos += 1
            return true
        }
        return false
    }

    @inline(__always)
    mutating func parseCoordinateNumber() throws(JSONFailure) -> Double {
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in coordinates") }
        let byte = bytes[pos]
        if byte == ASCII.minus || (byte >= ASCII.zero && byte <= ASCII.nine) {
            if byte == ASCII.minus && pos + 1 < bytes.count
                && (bytes[pos + 1] == UInt8(ascii: "I") || bytes[pos + 1] == UInt8(ascii: "N")
                    || bytes[pos + 1] == UInt8(ascii: "i") || bytes[pos + 1] == UInt8(ascii: "n")) {
                throw unexpected(expected: "a number")
            }
            return try parseNumber()
        }
        switch byte {
        case ASCII.openBracket:
            throw failure(.structure, "expected a number but found an array: coordinates nested too deeply")
        case ASCII.quote, ASCII.openBrace:
            throw failure(.structure, "expected a number but found \(describeCurrent())")
        case UInt8(ascii: "n") where hasPrefix("null", at: pos),
             UInt8(ascii: "t") where hasPrefix("true", at: pos),
             UInt8(ascii: "f") where hasPrefix("false", at: pos):
            throw failure(.structure, "expected a number but found \(describeCurrent())")
        default:
            throw unexpected(expected: "a number")
        }
    }

    /// `[lon, lat]` or `[lon, lat, altitude]`, range-checked.
    @inline(__always)
    mutating func parsePosition() throws(JSONFailure) -> Position {
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in coordinates") }
        let start = pos
        guard bytes[pos] == ASCII.openBracket else {
            if bytes[pos] == ASCII.minus || (bytes[pos] >= ASCII.zero && bytes[pos] <= ASCII.nine) {
                throw failure(.structure, "expected a position [lon, lat] but found a number: coordinates nested too shallowly")
            }
            throw failure(.structure, "expected a position [lon, lat] but found \(describeCurrent())")
        }
        pos += 1
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == ASCII.closeBracket {
            throw failure(.structure, "empty position; a position is [lon, lat] or [lon, lat, altitude]", at: start)
        }
        let x = try parseCoordinateNumber()
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in coordinates") }
        if bytes[pos] != ASCII.comma {
            if bytes[pos] == ASCII.closeBracket {
                throw failure(.structure, "position has 1 number; a position is [lon, lat] or [lon, lat, altitude]", at: start)
            }
            throw failure(.syntax, "expected ',' in a position but found \(describeCurrent())")
        }
        pos += 1
        let y = try parseCoordinateNumber()
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in coordinates") }
        var z: Double? = nil
        if bytes[pos] == ASCII.comma {
            pos += 1
            z = try parseCoordinateNumber()
            skipWhitespace()
            guard pos < bytes.count else { throw truncated("in coordinates") }
            if bytes[pos] == ASCII.comma {
                throw failure(.structure, "position has more than 3 numbers; a position is [lon, lat] or [lon, lat, altitude] (RFC 7946 §3.1.1)", at: start)
            }
        }
        guard bytes[pos] == ASCII.closeBracket else {
            throw failure(.syntax, "expected ',' or ']' in a position but found \(describeCurrent())")
        }
        pos += 1
        if !(x >= -180 && x <= 180) || !(y >= -90 && y <= 90) {
            throw rangeFailure(x, y, at: start)
        }
        return Position(x, y, z)
    }

    func rangeFailure(_ x: Double, _ y: Double, at offset: Int) -> JSONFailure {
        var message: String
        if !(x >= -180 && x <= 180) {
            message = "longitude \(formatNumberForMessage(x)) out of range"
        } else {
            message = "latitude \(formatNumberForMessage(y)) out of range"
        }
        if x.magnitude > 1000 || y.magnitude > 1000 {
            message += " (looks like projected metres; GeoJSON is WGS84 lon,lat degrees: reproject first)"
        } else if x.magnitude <= 90 && y.magnitude <= 180 {
            message += " (looks like lat,lon; GeoJSON is lon,lat)"
        }
        return failure(.value, message, at: offset)
    }

    mutating func parsePositionList(rule: LineRule) throws(JSONFailure) -> [Position] {
        skipWhitespace()
        let start = pos
        if try openCoordinateArray() {
            if rule == .ring {
                throw failure(.structure, "linear ring has 0 positions; RFC 7946 §3.1.6 needs at least 4", at: start)
            }
            return []
        }
        // Positions are gathered in a reused scratch buffer and copied once into an array of
        // exactly the right size: one allocation per ring instead of one per doubling.
        positionScratch.removeAll(keepingCapacity: true)
        while true {
            do {
                positionScratch.append(try parsePosition())
            } catch {
                var failure = error
                failure.within(.index(positionScratch.count))
                throw failure
            }
            if try endOfElement(closing: ASCII.closeBracket, what: "array") { break }
        }
        let count = positionScratch.count
        switch rule {
        case .none:
            break
        case .lineString:
            if count < 2 {
                throw failure(.structure, "LineString has 1 position; RFC 7946 §3.1.4 needs at least 2", at: start)
            }
        case .ring:
            if count < 4 {
                throw failure(.structure, "linear ring has \(count) positions; RFC 7946 §3.1.6 needs at least 4", at: start)
            }
            let first = positionScratch[0]
            let last = positionScratch[count - 1]
            if first != last {
                throw failure(.structure, "linear ring is not closed: last position \(describe(last)) differs from first \(describe(first)) (RFC 7946 §3.1.6)", at: start)
            }
        }
        return Array(positionScratch)
    }

    private func describe(_ p: Position) -> String {
        var text = "[\(formatNumberForMessage(p.x)), \(formatNumberForMessage(p.y))"
        if let z = p.z { text += ", \(formatNumberForMessage(z))" }
        return text + "]"
    }

    mutating func parseLineList(rule: LineRule) throws(JSONFailure) -> [[Position]] {
        var lines: [[Position]] = []
        if try openCoordinateArray() { return lines }
        while true {
            do {
                lines.append(try parsePositionList(rule: rule))
            } catch {
                var failure = error
                failure.within(.index(lines.count))
                throw failure
            }
            if try endOfElement(closing: ASCII.closeBracket, what: "array") { break }
        }
        return lines
    }

    mutating func parsePolygonList() throws(JSONFailure) -> [[[Position]]] {
        var polygons: [[[Position]]] = []
        if try openCoordinateArray() { return polygons }
        while true {
            do {
                polygons.append(try parseLineList(rule: .ring))
            } catch {
                var failure = error
                failure.within(.index(polygons.count))
                throw failure
            }
            if try endOfElement(closing: ASCII.closeBracket, what: "array") { break }
        }
        return polygons
    }
}

extension Geometry {
    /// The geometry as a plain JSON value (for foreign members and debugging).
    var jsonValue: JSONValue {
        func position(_ p: Position) -> JSONValue {
            var values: [JSONValue] = [.number(p.x), .number(p.y)]
            if let z = p.z { values.append(.number(z)) }
            return .array(values)
        }
        func line(_ ps: [Position]) -> JSONValue { .array(ps.map(position)) }
        let coordinates: JSONValue
        switch self {
        case .point(let p): coordinates = position(p)
        case .multiPoint(let ps), .lineString(let ps): coordinates = line(ps)
        case .multiLineString(let lines), .polygon(let lines): coordinates = .array(lines.map(line))
        case .multiPolygon(let polygons): coordinates = .array(polygons.map { .array($0.map(line)) })
        case .geometryCollection(let members):
            return .object(["type": "GeometryCollection", "geometries": .array(members.map(\.jsonValue))])
        }
        return .object(["type": .string(typeName), "coordinates": coordinates])
    }
}
