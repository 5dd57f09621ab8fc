import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GeoCore
import Testing
@testable import MapRendering

/// No input can put an element or attribute into a map. The oracle: the same layers drawn
/// with benign strings give the document's structure (the sequence of element names with
/// their attribute names); drawing them with hostile strings in every place a file can put
/// text must give exactly the same structure, for the SVG and for the HTML page.
@Suite struct MapInjectionTests {
    static let hostile: [String] = [
        "4\"/><script>alert(1)</script>",
        "'><svg onload=alert(1)>",
        "</title><script>alert(1)</script>",
        "</script><script>alert(1)</script>",
        "#fff\" onmouseover=\"alert(1)",
        "red' onload='alert(1)",
        "<![CDATA[<x/>]]>",
        "<!-- x --><image href=x onerror=alert(1)>",
        "&lt;script&gt; &amp; &#60;",
        "url(javascript:alert(1))",
        "javascript:alert(1)",
        "\u{0}\u{1}\u{1F}\u{FFFE}\u{FFFF}\u{2028}\u{2029}",
        "<style>*{}</style>",
        "\"><foreignObject><body onload=alert(1)></foreignObject>",
    ]

    let basemap = Basemap(land: [Feature(geometry: .polygon([[
        Position(135, 34), Position(140, 34), Position(140, 38), Position(135, 38), Position(135, 34),
    ]]))], overlays: [MapLayer(name: "zones", features: [])])

    /// One feature of each drawn kind, with `text` in every string a GeoJSON file can hold.
    func layers(_ text: String, role: String? = nil) -> [MapLayer] {
        func props(_ base: String) -> JSONObject {
            ["role": .string(role ?? base), "name_en": .string(text), "name": .string(text), "hub_id": .string(text),
             "from": .string(text), "reason": .string(text), text: .string(text),
             "nested": .object([text: .array([.string(text)])])]
        }
        var hub = props("hub"); hub["total_mw"] = 1500
        var route = props("route"); route["rank"] = 2
        var gap = props("gap"); gap["population"] = 5000
        return [MapLayer(name: text, features: [
            Feature(geometry: .point(Position(136, 35)), properties: hub),
            Feature(geometry: .point(Position(137, 36)), properties: props("landing")),
            Feature(geometry: .lineString([Position(135, 35), Position(138, 36), Position(139, 37)]), properties: route),
            Feature(geometry: .polygon([[Position(136, 36), Position(137, 36), Position(137, 37), Position(136, 36)]]),
                    properties: gap),
            Feature(geometry: .multiPoint([Position(136.5, 35.5)]), properties: props("hub-member")),
            Feature(geometry: .multiLineString([[Position(135, 36), Position(136, 37)]]), properties: props("extension")),
            Feature(geometry: .geometryCollection([.point(Position(138, 35))]), properties: props("unassigned")),
        ])]
    }

    func options(_ text: String) -> MapOptions {
        MapOptions.testing(title: text, attribution: text)
    }

    @Test("feature properties, roles, layer names and titles never add markup", arguments: hostile)
    func featureText(_ text: String) throws {
        let benign = try structures(layers: layers("Benign name"), options: options("Benign title"), style: .standard)
        let attacked = try structures(layers: layers(text), options: options(text), style: .standard)
        #expect(attacked.svg == benign.svg)
        #expect(attacked.html == benign.html)
        // A hostile role is drawn as an unknown role, with the same elements as any other.
        let roleBenign = try structures(layers: layers("x", role: "some-role"), options: options("t"), style: .standard)
        let roleAttacked = try structures(layers: layers("x", role: text), options: options("t"), style: .standard)
        #expect(roleAttacked.svg == roleBenign.svg)
        #expect(roleAttacked.html == roleBenign.html)
    }

    /// Members that carry free text (`legend`, `label`) are escaped; every other member is a
    /// colour, number or dash array and a hostile value is refused with a named error.
    @Test("style files cannot add markup", arguments: hostile)
    func styleValues(_ text: String) throws {
        let benign = try MapStyle.standard.applying(["route": ["legend": "Routes", "label": "name_en"],
                                                     "hub": ["legend": "Hubs"]])
        let free = try MapStyle.standard.applying(["route": ["legend": .string(text), "label": .string(text)],
                                                   "hub": ["legend": .string(text)]])
        let a = try structures(layers: layers("n"), options: options("t"), style: benign)
        let b = try structures(layers: layers("n"), options: options("t"), style: free)
        #expect(a.svg == b.svg)
        #expect(a.html == b.html)

        let refused: [(JSONObject, String)] = [
            (["route": ["stroke": .string(text)]], "route.stroke must be a CSS colour"),
            (["gap": ["fill": .string(text)]], "gap.fill must be a CSS colour"),
            (["route": ["dash": .string(text)]], "route.dash must be an SVG dash array"),
            (["route": ["rank_colours": .array(["#000000", .string(text)])]], "route.rank_colours[1] must be a CSS colour"),
            (["basemap": ["sea": .string(text)]], "basemap.sea must be a CSS colour"),
            (["basemap": ["coast": .string(text)]], "basemap.coast must be a CSS colour"),
        ]
        for (document, message) in refused {
            #expect {
                try MapStyle.standard.applying(document)
            } throws: { error in
                "\(error)".contains(message)
            }
        }
    }

    /// A style built in code is held to the same whitelist: the renderer refuses it.
    @Test func programmaticStyleIsValidatedByTheRenderer() throws {
        var style = MapStyle.standard
        style.roles["route"]?.dash = "4\"/><script>alert(1)</script>"
        #expect(throws: MapStyleError.self) {
            try MapRenderer(style: style, options: .testing()).renderSVG(layers: layers("n"), basemap: basemap)
        }
        style = MapStyle.standard
        style.roles["gap"]?.fillOpacity = .nan
        #expect(throws: MapStyleError.self) {
            try MapRenderer(style: style, options: .testing()).renderHTML(layers: layers("n"), basemap: basemap)
        }
    }

    @Test("colour whitelist", arguments: [
        ("#d62728", true), ("#FFF", true), ("#ffff", true), ("#00000080", true), ("steelblue", true),
        ("none", true), ("rgb(10, 20, 30)", true), ("rgba(10,20,30,0.5)", true), ("hsl(120deg 50% 50%)", true),
        ("#ggg", false), ("#12345", false), ("", false), ("red;", false), ("rgb(1,2,3", false),
        ("url(#x)", false), ("rgb(\"1\")", false), ("notacolour", false), ("expression(alert(1))", false),
    ])
    func colours(_ text: String, _ valid: Bool) {
        #expect(StyleValues.isColour(text) == valid)
    }

    @Test("dash-array whitelist", arguments: [
        ("4 3", true), ("4,3", true), ("0.5 1 2", true), ("none", true),
        ("", false), ("0 0", false), ("-1 2", false), ("4px 3px", false), ("1e3", false), ("4 3;", false),
        ("nan", false), ("inf", false),
    ])
    func dashes(_ text: String, _ valid: Bool) {
        #expect(StyleValues.isDashArray(text) == valid)
    }

    // MARK: structure of a document

    struct Structures: Equatable {
        var svg: [String]
        var html: [String]
    }

    func structures(layers: [MapLayer], options: MapOptions, style: MapStyle) throws -> Structures {
        let renderer = MapRenderer(style: style, options: options)
        let svg = try renderer.renderSVG(layers: layers, basemap: basemap)
        let html = try renderer.renderHTML(layers: layers, basemap: basemap)
        return Structures(svg: try xmlStructure(svg), html: try htmlStructure(html))
    }

    /// `name[attr attr …]` per element, in document order, from an XML parser.
    func xmlStructure(_ text: String) throws -> [String] {
        let recorder = StructureRecorder()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = recorder
        guard parser.parse() else {
            throw MapStyleError("not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        }
        return recorder.elements
    }

    /// The HTML page's tags outside its one script (name and attribute names), plus the
    /// script's own invariants: one script element, whose JSON cannot close it.
    func htmlStructure(_ html: String) throws -> [String] {
        let opens = html.components(separatedBy: "<script").count - 1
        let closes = html.components(separatedBy: "</script").count - 1
        guard opens == 1, closes == 1,
              let start = html.range(of: "<script>"), let end = html.range(of: "</script>") else {
            throw MapStyleError("page has \(opens) script openings and \(closes) closings")
        }
        let script = html[start.upperBound..<end.lowerBound]
        guard let json = script.range(of: "FEATURE_PROPERTIES = "),
              let jsonEnd = script.range(of: ";\n", range: json.upperBound..<script.endIndex) else {
            throw MapStyleError("no FEATURE_PROPERTIES in the script")
        }
        // The data cannot end the script or open markup: no '<' at all in it.
        guard !script[json.upperBound..<jsonEnd.lowerBound].contains("<") else {
            throw MapStyleError("the script's data contains '<'")
        }
        let outside = String(html[..<start.lowerBound]) + "<script>" + String(html[end.lowerBound...])
        return tags(outside)
    }

    /// A minimal tag tokenizer: in escaped text every `<` starts a tag, and attribute
    /// values are double-quoted.
    func tags(_ text: String) -> [String] {
        var result: [String] = []
        let bytes = Array(text.utf8)
        var i = 0
        func isNameByte(_ b: UInt8) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x3A || b == 0x21 || b == 0x2F
        }
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "<") else { i += 1; continue }
            i += 1
            var name = ""
            while i < bytes.count, isNameByte(bytes[i]) { name.append(Character(Unicode.Scalar(bytes[i]))); i += 1 }
            var attributes: [String] = []
            while i < bytes.count, bytes[i] != UInt8(ascii: ">") {
                if bytes[i] == UInt8(ascii: "\"") {
                    i += 1
                    while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += 1 }
                    i += 1
                    continue
                }
                if isNameByte(bytes[i]), bytes[i] != UInt8(ascii: "/") {
                    var attribute = ""
                    while i < bytes.count, isNameByte(bytes[i]) { attribute.append(Character(Unicode.Scalar(bytes[i]))); i += 1 }
                    attributes.append(attribute)
                    continue
                }
                i += 1
            }
            result.append("\(name)[\(attributes.joined(separator: " "))]")
        }
        return result
    }
}

final class StructureRecorder: NSObject, XMLParserDelegate {
    var elements: [String] = []
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append("\(elementName)[\(attributes.keys.sorted().joined(separator: " "))]")
    }
    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        elements.append("CDATA")
    }
    func parser(_ parser: XMLParser, foundComment comment: String) {
        elements.append("comment")
    }
    func parser(_ parser: XMLParser, foundProcessingInstructionWithTarget target: String, data: String?) {
        elements.append("pi")
    }
}
