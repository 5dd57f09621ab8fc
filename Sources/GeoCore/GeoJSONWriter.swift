/// Writes GeoJSON (RFC 7946) or GeoJSON text sequences (RFC 8142), deterministically.
///
/// Same value in, same bytes out:
/// - members in a fixed order: Feature `type, id, bbox, geometry, properties`, then its
///   foreign members in stored order; FeatureCollection `type, bbox, features`, then foreign
///   members; geometries `type, coordinates` (or `geometries`);
/// - coordinates with `precision` decimals (default 7, about 1 cm), trailing zeros trimmed;
/// - property numbers in the shortest form that reads back to the same Double, integral
///   numbers without ".0"; UTF-8 text as is (only `"`, `\` and control characters escaped);
/// - a FeatureCollection puts one feature per line, so files diff and grep well;
/// - every result ends with a newline; a `.sequence` record is RS + JSON + LF.
///
/// Non-finite numbers, which JSON cannot express, are written as `null`.
/// The collection's `bbox` and foreign members are not written in `.sequence` form
/// (RFC 8142 has no place for them). Complexity O(output size).
public struct GeoJSONWriter: Sendable {
    public var format: GeoJSONFormat
    public var precision: Int

    public init(format: GeoJSONFormat = .featureCollection, precision: Int = 7) {
        self.format = format
        self.precision = precision
    }

    public func encode(_ collection: FeatureCollection) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + collection.features.count * 256)
        switch format {
        case .sequence:
            for feature in collection.features {
                out.append(ASCII.recordSeparator)
                appendFeature(feature, to: &out)
                out.append(ASCII.newline)
            }
        case .featureCollection:
            JSONOutput.append("{\"type\":\"FeatureCollection\"", to: &out)
            if let bbox = collection.bbox {
                JSONOutput.append(",\"bbox\":", to: &out)
                appendNumbers(bbox, to: &out)
            }
            JSONOutput.append(",\"features\":[", to: &out)
            for (i, feature) in collection.features.enumerated() {
                if i > 0 { out.append(ASCII.comma) }
                out.append(ASCII.newline)
                appendFeature(feature, to: &out)
            }
            if !collection.features.isEmpty { out.append(ASCII.newline) }
            out.append(ASCII.closeBracket)
            appendForeignMembers(collection.foreignMembers, to: &out)
            out.append(ASCII.closeBrace)
            out.append(ASCII.newline)
        }
        return out
    }

    /// One feature: a complete Feature document (JSON + LF), or one sequence record
    /// (RS + JSON + LF) for `.sequence`.
    public func encode(feature: Feature) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        if format == .sequence { out.append(ASCII.recordSeparator) }
        appendFeature(feature, to: &out)
        out.append(ASCII.newline)
        return out
    }

    /// One geometry object (JSON + LF; RS first for `.sequence`).
    public func encode(geometry: Geometry) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        if format == .sequence { out.append(ASCII.recordSeparator) }
        appendGeometry(geometry, to: &out)
        out.append(ASCII.newline)
        return out
    }

    // MARK: pieces

    func appendFeature(_ feature: Feature, to out: inout [UInt8]) {
        JSONOutput.append("{\"type\":\"Feature\"", to: &out)
        if let id = feature.id {
            JSONOutput.append(",\"id\":", to: &out)
            switch id {
            case .string(let text): JSONOutput.appendString(text, to: &out)
            case .number(let number): JSONOutput.appendNumber(number, to: &out)
            }
        }
        if let bbox = feature.bbox {
            JSONOutput.append(",\"bbox\":", to: &out)
            appendNumbers(bbox, to: &out)
        }
        JSONOutput.append(",\"geometry\":", to: &out)
        if let geometry = feature.geometry {
            appendGeometry(geometry, to: &out)
        } else {
            JSONOutput.append("null", to: &out)
        }
        JSONOutput.append(",\"properties\":", to: &out)
        if let properties = feature.properties {
            JSONOutput.appendObject(properties, to: &out)
        } else {
            JSONOutput.append("null", to: &out)
        }
        appendForeignMembers(feature.foreignMembers, to: &out)
        out.append(ASCII.closeBrace)
    }

    /// Foreign members, skipping names the writer already wrote (they would be duplicates).
    private func appendForeignMembers(_ members: JSONObject, to out: inout [UInt8]) {
        for member in members {
            switch member.key {
            case "type", "id", "bbox", "geometry", "properties", "features": continue
            default: break
            }
            out.append(ASCII.comma)
            JSONOutput.appendString(member.key, to: &out)
            out.append(ASCII.colon)
            JSONOutput.appendValue(member.value, to: &out, pretty: false, indent: 0)
        }
    }

    private func appendNumbers(_ values: [Double], to out: inout [UInt8]) {
        out.append(ASCII.openBracket)
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(ASCII.comma) }
            JSONOutput.appendFixed(value, precision: precision, to: &out)
        }
        out.append(ASCII.closeBracket)
    }

    func appendGeometry(_ geometry: Geometry, to out: inout [UInt8]) {
        JSONOutput.append("{\"type\":\"", to: &out)
        out.append(contentsOf: geometry.typeName.utf8)
        switch geometry {
        case .point(let p):
            JSONOutput.append("\",\"coordinates\":", to: &out)
            appendPosition(p, to: &out)
        case .multiPoint(let ps), .lineString(let ps):
            JSONOutput.append("\",\"coordinates\":", to: &out)
            appendPositions(ps, to: &out)
        case .multiLineString(let lines), .polygon(let lines):
            JSONOutput.append("\",\"coordinates\":", to: &out)
            appendLines(lines, to: &out)
        case .multiPolygon(let polygons):
            JSONOutput.append("\",\"coordinates\":[", to: &out)
            for (i, polygon) in polygons.enumerated() {
                if i > 0 { out.append(ASCII.comma) }
                appendLines(polygon, to: &out)
            }
            out.append(ASCII.closeBracket)
        case .geometryCollection(let members):
            JSONOutput.append("\",\"geometries\":[", to: &out)
            for (i, member) in members.enumerated() {
                if i > 0 { out.append(ASCII.comma) }
                appendGeometry(member, to: &out)
            }
            out.append(ASCII.closeBracket)
        }
        out.append(ASCII.closeBrace)
    }

    @inline(__always)
    private func appendPosition(_ p: Position, to out: inout [UInt8]) {
        out.append(ASCII.openBracket)
        JSONOutput.appendFixed(p.x, precision: precision, to: &out)
        out.append(ASCII.comma)
        JSONOutput.appendFixed(p.y, precision: precision, to: &out)
        if let z = p.z {
            out.append(ASCII.comma)
            JSONOutput.appendFixed(z, precision: precision, to: &out)
        }
        out.append(ASCII.closeBracket)
    }

    private func appendPositions(_ ps: [Position], to out: inout [UInt8]) {
        out.append(ASCII.openBracket)
        for (i, p) in ps.enumerated() {
            if i > 0 { out.append(ASCII.comma) }
            appendPosition(p, to: &out)
        }
        out.append(ASCII.closeBracket)
    }

    private func appendLines(_ lines: [[Position]], to out: inout [UInt8]) {
        out.append(ASCII.openBracket)
        for (i, line) in lines.enumerated() {
            if i > 0 { out.append(ASCII.comma) }
            appendPositions(line, to: &out)
        }
        out.append(ASCII.closeBracket)
    }
}

/// `.featureCollection`: one GeoJSON document. `.sequence`: RFC 8142 GeoJSON text sequence
/// (`application/geo+json-seq`), one RS-prefixed Feature per line.
public enum GeoJSONFormat: String, Sendable {
    case featureCollection
    case sequence
}
