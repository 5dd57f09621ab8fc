import GeoCore

/// Help text rendered from a manifest: the same page for `wattbit-NAME --help`,
/// `wattbit NAME --help` and `wattbit describe NAME`, so help cannot drift from behaviour.
public enum HelpText {
    /// - Parameter command: how the user invokes the planner ("wattbit cable").
    public static func render(_ manifest: Manifest, command: String) -> String {
        var lines: [String] = []
        lines.append("\(command) \(manifest.version) — \(manifest.summary)")
        lines.append("")
        var usage = "  \(command)"
        for input in manifest.inputs where input.required { usage += " \(flagDisplayName(input.name)) FILE" }
        for parameter in manifest.parameters where parameter.required && parameter.defaultValue == nil {
            usage += " \(flagDisplayName(parameter.name)) \(valuePlaceholder(parameter))"
        }
        usage += " [options]"
        lines.append("Usage:")
        lines.append(usage)
        if !manifest.description.isEmpty {
            lines.append("")
            lines += wrap(manifest.description, width: 88, indent: "")
        }

        if !manifest.inputs.isEmpty {
            lines.append("")
            lines.append("Inputs (FILE, or - for stdin; GeoJSON FeatureCollection or RFC 8142 sequence):")
            for input in manifest.inputs {
                var detail = inputSummary(input)
                var flags: [String] = []
                flags.append(input.required ? "required" : "optional")
                if input.multiple { flags.append("repeatable") }
                detail += " (\(flags.joined(separator: ", ")))."
                if !input.description.isEmpty { detail += " " + input.description }
                lines += entry("\(flagDisplayName(input.name)) FILE", detail)
            }
        }

        if !manifest.parameters.isEmpty {
            lines.append("")
            lines.append("Parameters:")
            for parameter in manifest.parameters {
                let flag: String
                if parameter.kind == .boolean {
                    flag = "--[no-]" + flagDisplayName(parameter.name).dropFirst(2)
                } else {
                    flag = "\(flagDisplayName(parameter.name)) \(valuePlaceholder(parameter))"
                }
                lines += entry(flag, parameterDetail(parameter))
            }
        }

        if !manifest.outputs.isEmpty {
            lines.append("")
            lines.append("Output:")
            for output in manifest.outputs {
                var text = output.when.map { "With \(flagDisplayName($0)): " } ?? ""
                switch output.format {
                case .geojson: text += "GeoJSON"
                case .geojsonseq: text += "GeoJSON text sequence (RFC 8142; --format geojson for a FeatureCollection)"
                case .text: text += "lines of text"
                default: text += output.format.rawValue.uppercased()
                }
                if !output.roles.isEmpty {
                    let roles = output.roles.keys.sorted().map { "\($0) (\((output.roles[$0] ?? []).joined(separator: "/")))" }
                    text += "; features by role: " + roles.joined(separator: ", ")
                }
                if !output.description.isEmpty { text += ". " + output.description }
                lines += wrap(text, width: 86, indent: "  ")
            }
        }

        lines.append("")
        lines.append("Options of every planner:")
        let producesGeoJSON = manifest.outputs.isEmpty || manifest.outputs.contains { $0.format.isGeoJSON }
        if producesGeoJSON {
            lines += entry("--format geojson|geojsonseq", "FeatureCollection (default) or RFC 8142 GeoJSON text sequence.")
        }
        lines += entry("-o, --output FILE", "Write to FILE instead of stdout; written atomically (temporary file, then rename).")
        lines += entry("--progress auto|bar|json|none", "Progress on stderr: a bar on a terminal (auto), a bar always (bar), JSON lines, or none.")
        lines += entry("-h, --help", "Show this help.")

        if !manifest.examples.isEmpty {
            lines.append("")
            lines.append("Examples:")
            for example in manifest.examples { lines.append("  " + example) }
        }
        lines.append("")
        lines.append("Exit status: 0 ok, 64 usage, 65 bad input data, 66 input missing, 69 unavailable,")
        lines.append("70 internal error, 73 cannot write output, 75 timed out, 130 interrupted.")
        return lines.joined(separator: "\n") + "\n"
    }

    static func parameterDetail(_ parameter: ParameterSpec) -> String {
        var parts: [String] = []
        if !parameter.description.isEmpty { parts.append(parameter.description.hasSuffix(".") ? parameter.description : parameter.description + ".") }
        if let unit = parameter.unit { parts.append("Unit: \(unit).") }
        if parameter.minimum != nil || parameter.maximum != nil {
            let bounds = boundsText(parameter)
            parts.append(bounds.prefix(1).uppercased() + bounds.dropFirst() + ".")
        }
        if let value = parameter.defaultValue {
            parts.append("Default: \(display(value, kind: parameter.kind)).")
        } else if parameter.required {
            parts.append("Required.")
        }
        return parts.joined(separator: " ")
    }

    static func display(_ value: JSONValue, kind: ParameterSpec.Kind) -> String {
        switch value {
        case .number(let number): return formatNumber(number)
        case .bool(let flag): return flag ? "on" : "off"
        case .string(let string): return string
        case .null: return "none"
        default: return String(decoding: JSONText.encode(value), as: UTF8.self)
        }
    }

    /// "  --flag VALUE        text" with the text wrapped and aligned at column 32.
    static func entry(_ flag: String, _ text: String) -> [String] {
        let column = 32
        let head = "  " + flag
        var wrapped = wrap(text, width: 88 - column, indent: "")
        guard !wrapped.isEmpty else { return [head] }
        var result: [String] = []
        if head.count < column - 1 {
            result.append(head + String(repeating: " ", count: column - head.count) + wrapped.removeFirst())
        } else {
            result.append(head)
        }
        result += wrapped.map { String(repeating: " ", count: column) + $0 }
        return result
    }

    static func wrap(_ text: String, width: Int, indent: String) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                if !line.isEmpty && line.count + 1 + word.count > width {
                    lines.append(indent + line)
                    line = String(word)
                } else {
                    line += line.isEmpty ? String(word) : " " + word
                }
            }
            lines.append(indent + line)
        }
        return lines
    }
}
