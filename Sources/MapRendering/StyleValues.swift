/// Whitelists for the values a style puts into SVG attributes. A style file is shared
/// between colleagues, so every value it can set is checked against the grammar of what
/// it means (a colour, a number in range, a dash array) before it reaches the document,
/// and the canvas escapes it again when it writes (defence in depth).
///
/// Grammars follow CSS Color Module Level 4 (§4 named colours, §5 hex, §4.1 rgb()/hsl())
/// and SVG 1.1 §11.4 (`stroke-dasharray`), restricted to what a map style needs.
enum StyleValues {
    /// `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, a CSS named colour, `none`, `transparent`,
    /// or `rgb()/rgba()/hsl()/hsla()` with numeric arguments.
    static func isColour(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        if bytes[0] == UInt8(ascii: "#") {
            return [4, 5, 7, 9].contains(bytes.count) && bytes.dropFirst().allSatisfy(isHexDigit)
        }
        let lower = text.lowercased()
        if namedColours.contains(lower) { return true }
        for function in ["rgb(", "rgba(", "hsl(", "hsla("] where lower.hasPrefix(function) {
            guard lower.hasSuffix(")") else { return false }
            let arguments = lower.dropFirst(function.count).dropLast()
            // Numbers, separators, percentages and the `deg` unit only: no quotes, no
            // angle brackets, no `url(`, nothing that could end the attribute.
            return !arguments.isEmpty && arguments.allSatisfy { "0123456789., %/+-deg".contains($0) }
        }
        return false
    }

    /// An SVG dash array: `none`, or 1–16 finite non-negative numbers (px) separated by
    /// spaces or commas, not all zero.
    static func isDashArray(_ text: String) -> Bool {
        if text == "none" { return true }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "," })
        guard !parts.isEmpty, parts.count <= 16 else { return false }
        var total = 0.0
        for part in parts {
            guard part.allSatisfy({ "0123456789.".contains($0) }), let value = Double(part),
                  value.isFinite, value <= 1000 else { return false }
            total += value
        }
        return total > 0
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    /// CSS Color Module Level 4, §6.1 (the 148 named colours) plus `transparent` and `none`.
    static let namedColours: Set<String> = [
        "none", "transparent", "currentcolor",
        "aliceblue", "antiquewhite", "aqua", "aquamarine", "azure", "beige", "bisque", "black",
        "blanchedalmond", "blue", "blueviolet", "brown", "burlywood", "cadetblue", "chartreuse",
        "chocolate", "coral", "cornflowerblue", "cornsilk", "crimson", "cyan", "darkblue", "darkcyan",
        "darkgoldenrod", "darkgray", "darkgreen", "darkgrey", "darkkhaki", "darkmagenta",
        "darkolivegreen", "darkorange", "darkorchid", "darkred", "darksalmon", "darkseagreen",
        "darkslateblue", "darkslategray", "darkslategrey", "darkturquoise", "darkviolet", "deeppink",
        "deepskyblue", "dimgray", "dimgrey", "dodgerblue", "firebrick", "floralwhite", "forestgreen",
        "fuchsia", "gainsboro", "ghostwhite", "gold", "goldenrod", "gray", "green", "greenyellow", "grey",
        "honeydew", "hotpink", "indianred", "indigo", "ivory", "khaki", "lavender", "lavenderblush",
        "lawngreen", "lemonchiffon", "lightblue", "lightcoral", "lightcyan", "lightgoldenrodyellow",
        "lightgray", "lightgreen", "lightgrey", "lightpink", "lightsalmon", "lightseagreen",
        "lightskyblue", "lightslategray", "lightslategrey", "lightsteelblue", "lightyellow", "lime",
        "limegreen", "linen", "magenta", "maroon", "mediumaquamarine", "mediumblue", "mediumorchid",
        "mediumpurple", "mediumseagreen", "mediumslateblue", "mediumspringgreen", "mediumturquoise",
        "mediumvioletred", "midnightblue", "mintcream", "mistyrose", "moccasin", "navajowhite", "navy",
        "oldlace", "olive", "olivedrab", "orange", "orangered", "orchid", "palegoldenrod", "palegreen",
        "paleturquoise", "palevioletred", "papayawhip", "peachpuff", "peru", "pink", "plum",
        "powderblue", "purple", "rebeccapurple", "red", "rosybrown", "royalblue", "saddlebrown",
        "salmon", "sandybrown", "seagreen", "seashell", "sienna", "silver", "skyblue", "slateblue",
        "slategray", "slategrey", "snow", "springgreen", "steelblue", "tan", "teal", "thistle", "tomato",
        "turquoise", "violet", "wheat", "white", "whitesmoke", "yellow", "yellowgreen",
    ]
}
