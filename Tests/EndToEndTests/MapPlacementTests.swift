import Foundation
import Testing

/// The legend and labels as a browser lays them out: a real headless chromium measures the
/// rendered text boxes (getBoundingClientRect) and asks each drawn feature whether a point
/// of the legend box lies in its fill or stroke (isPointInFill / isPointInStroke), so the
/// oracle is the browser's geometry with real fonts, not the renderer's own estimates.
/// Skipped, and said so, when no chromium is installed (`tools/setup` installs it).
@Suite("map legend and labels")
struct MapPlacementTests {
    static func chromium() -> String? {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
                let path = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    /// A route through the bottom-left corner (where the legend used to sit, as the
    /// Southeast Asia route in the demo), one through the bottom-right, and a cluster of
    /// hubs and landings with long names close together.
    static let layers = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"role":"route","rank":1},"geometry":{"type":"LineString","coordinates":[[128.1,30.1],[130.5,32.5],[133,34],[139.7,35.6]]}},
        {"type":"Feature","properties":{"role":"route","rank":2},"geometry":{"type":"LineString","coordinates":[[145.9,30.1],[142,33],[139.8,35.5]]}},
        {"type":"Feature","properties":{"role":"hub","total_mw":3000,"name_en":"Inzai Greater Tokyo data centre campus"},"geometry":{"type":"Point","coordinates":[140.15,35.83]}},
        {"type":"Feature","properties":{"role":"hub","total_mw":1500,"name_en":"Sagamihara hyperscale cluster"},"geometry":{"type":"Point","coordinates":[139.37,35.57]}},
        {"type":"Feature","properties":{"role":"hub","total_mw":800,"name_en":"Otemachi interconnect hub"},"geometry":{"type":"Point","coordinates":[139.77,35.69]}},
        {"type":"Feature","properties":{"role":"hub","total_mw":600,"name_en":"Yokohama Minato Mirai site"},"geometry":{"type":"Point","coordinates":[139.63,35.45]}},
        {"type":"Feature","properties":{"role":"landing","name_en":"Chikura landing station"},"geometry":{"type":"Point","coordinates":[139.95,34.95]}},
        {"type":"Feature","properties":{"role":"landing","name_en":"Maruyama landing station"},"geometry":{"type":"Point","coordinates":[139.85,35.05]}},
        {"type":"Feature","properties":{"role":"landing","name_en":"Minamiboso landing station"},"geometry":{"type":"Point","coordinates":[139.9,34.99]}},
        {"type":"Feature","properties":{"role":"hub","total_mw":2000,"name_en":"Kitakyushu Hibiki hub"},"geometry":{"type":"Point","coordinates":[130.83,33.88]}},
        {"type":"Feature","properties":{"role":"hub","total_mw":500,"name_en":"Koga DC candidate"},"geometry":{"type":"Point","coordinates":[130.72,33.73]}}
        ]}
        """

    /// Runs in the page: the measurements the test asserts on.
    static let measure = """
        <script>
        (function () {
          const svg = document.querySelector('svg');
          const result = {legend: null, hits: [], labels: [], overlaps: [], labelOnLegend: []};
          const legend = document.getElementById('legend');
          if (legend) {
            const r = legend.getBoundingClientRect();
            result.legend = [r.left, r.top, r.right, r.bottom];
            const features = Array.from(svg.querySelectorAll('[data-i]'));
            const shapes = [];
            features.forEach(function (el) {
              if (el.tagName === 'g') { el.querySelectorAll('circle,path').forEach(function (c) { shapes.push([el, c]); }); }
              else shapes.push([el, el]);
            });
            for (let y = r.top; y <= r.bottom; y += 2) {
              for (let x = r.left; x <= r.right; x += 2) {
                const p = new DOMPoint(x, y);
                shapes.forEach(function (pair) {
                  const el = pair[1];
                  const fill = el.getAttribute('fill') !== 'none' && el.isPointInFill(p);
                  if (fill || el.isPointInStroke(p)) result.hits.push([pair[0].dataset.role, x, y]);
                });
              }
            }
          }
          const texts = Array.from(document.querySelectorAll('#labels text'));
          const boxes = texts.map(function (t) { const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; });
          texts.forEach(function (t, i) { result.labels.push([t.textContent].concat(boxes[i])); });
          for (let i = 0; i < boxes.length; i++) {
            for (let j = i + 1; j < boxes.length; j++) {
              const a = boxes[i], b = boxes[j];
              if (a[0] < b[2] - 0.5 && b[0] < a[2] - 0.5 && a[1] < b[3] - 0.5 && b[1] < a[3] - 0.5) {
                result.overlaps.push([texts[i].textContent, texts[j].textContent]);
              }
            }
            const l = result.legend;
            const a = boxes[i];
            if (l && a[0] < l[2] && l[0] < a[2] && a[1] < l[3] && l[1] < a[3]) result.labelOnLegend.push(texts[i].textContent);
          }
          const pre = document.createElement('pre');
          pre.id = 'result';
          pre.textContent = JSON.stringify(result);
          document.body.appendChild(pre);
        })();
        </script>
        """

    @Test("the legend covers no drawn feature; labels do not overlap each other or the legend")
    func legendAndLabels() throws {
        guard let browser = Self.chromium() else {
            print("SKIPPED: no chromium on PATH; the legend/label layout check did not run (tools/setup installs it)")
            return
        }
        let dir = try Tool.temporaryDirectory("wattbit-map-placement")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layer = try Tool.writeFile(dir, "layers.geojson", Self.layers)
        let svgPath = dir + "/map.svg"
        let map = try Tool.run("wattbit", ["map", "--layer", layer, "--bbox", "128,30,146,46", "-o", svgPath], timeout: 120)
        #expect(map.exitCode == 0, "\(map.stderr)")
        var svg = try String(contentsOfFile: svgPath, encoding: .utf8)
        if let start = svg.range(of: "<svg") { svg = String(svg[start.lowerBound...]) }
        let page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body{margin:0}</style></head><body>\n"
            + svg + Self.measure + "</body></html>\n"
        let html = try Tool.writeFile(dir, "page.html", page)
        let dump = try Tool.runExecutable(at: browser, [
            "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,1400",
            "--user-data-dir=\(dir)/profile", "--dump-dom", "file://\(html)",
        ], timeout: 120)
        let text = dump.stdoutText
        guard let start = text.range(of: "<pre id=\"result\">"),
              let end = text.range(of: "</pre>", range: start.upperBound..<text.endIndex) else {
            Issue.record("no measurements from chromium: \(dump.stderr.suffix(400))")
            return
        }
        let json = String(text[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(result["legend"] is [Double], "no legend drawn")
        let hits = result["hits"] as? [[Any]] ?? []
        #expect(hits.isEmpty, "the legend covers drawn features: \(hits.prefix(5))")
        let labels = result["labels"] as? [[Any]] ?? []
        #expect(labels.count >= 8, "labels were dropped: \(labels.map { $0.first ?? "" })")
        let overlaps = result["overlaps"] as? [[String]] ?? []
        #expect(overlaps.isEmpty, "labels overlap: \(overlaps)")
        let onLegend = result["labelOnLegend"] as? [String] ?? []
        #expect(onLegend.isEmpty, "labels under the legend: \(onLegend)")
    }
}
