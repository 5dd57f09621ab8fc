import GeoCore

/// Renders a manifest's inputs and parameters as the Markdown tables in docs/planners/,
/// so the documentation is generated from the same manifest `--help` uses and cannot drift.
/// `tools/gen-docs` writes them between `<!-- parameters -->` and `<!-- /parameters -->`;
/// a test fails when a page is stale.
public enum ManifestMarkdown {
    public static func render(_ manifest: Manifest) -> String {
        var out = "### Inputs\n\n| flag | formats | geometry | required properties | required |\n|---|---|---|---|---|\n"
        for input in manifest.inputs {
            let formats = input.formats.map(\.rawValue).joined(separator: ", ")
            let geometry = input.geometryTypes.isEmpty ? "any" : input.geometryTypes.joined(separator: ", ")
            let properties = input.requiredProperties.isEmpty ? "–" : input.requiredProperties.map { "`\($0)`" }.joined(separator: ", ")
            let required = input.required ? "yes" : "no"
            let repeatable = input.multiple ? " (repeatable)" : ""
            out += "| `--\(flag(input.name)) FILE`\(repeatable) | \(formats) | \(geometry) | \(properties) | \(required) |\n"
        }
        out += "\n### Parameters\n\n| flag | type | unit | default | range / choices | description |\n|---|---|---|---|---|---|\n"
        for parameter in manifest.parameters {
            let unit = parameter.unit ?? "–"
            let defaultText = parameter.defaultValue.map(render) ?? (parameter.required ? "required" : "–")
            var range = "–"
            if !parameter.choices.isEmpty {
                range = parameter.choices.map { "`\($0)`" }.joined(separator: ", ")
            } else if parameter.minimum != nil || parameter.maximum != nil {
                range = "\(parameter.minimum.map(number) ?? "−∞") … \(parameter.maximum.map(number) ?? "∞")"
            }
            let description = parameter.description.replacingPipes()
            out += "| `--\(flag(parameter.name))` | \(parameter.kind.rawValue) | \(unit) | \(defaultText) | \(range) | \(description) |\n"
        }
        return out
    }

    /// Command-line spelling of a manifest name (`min_hub_mw` → `min-hub-mw`).
    public static func flag(_ name: String) -> String {
        String(name.map { $0 == "_" ? "-" : $0 })
    }

    private static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private static func render(_ value: JSONValue) -> String {
        switch value {
        case .null: return "–"
        case .bool(let b): return b ? "`true`" : "`false`"
        case .number(let n): return "`\(number(n))`"
        case .string(let s): return s.isEmpty ? "–" : "`\(s)`"
        default: return "`\(String(decoding: JSONText.encode(value), as: UTF8.self))`"
        }
    }
}

private extension String {
    func replacingPipes() -> String {
        String(map { $0 == "|" ? "/" : $0 }).replacingNewlines()
    }
    func replacingNewlines() -> String { String(map { $0 == "\n" ? " " : $0 }) }
}
