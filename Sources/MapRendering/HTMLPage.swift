import GeoCore

/// The offline HTML wrapper: inline SVG, inline CSS and script; nothing is fetched.
enum HTMLPage {
    static func make(title: String, svg: String, layerNames: [(id: String, label: String)],
                     properties: [[JSONObject?]]) -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<title>\(xmlEscaped(title))</title>\n<style>\n\(css)</style>\n</head>\n<body>\n"
        html += "<div id=\"panel\"><strong>\(xmlEscaped(title))</strong><div id=\"toggles\">\n"
        for group in layerNames {
            html += "<label><input type=\"checkbox\" checked data-group=\"\(xmlEscaped(group.id))\"> \(xmlEscaped(group.label))</label>\n"
        }
        html += "</div><div class=\"hint\">Scroll to zoom, drag to pan, double-click to reset.</div></div>\n"
        html += "<div id=\"map\">\n\(svg)</div>\n<div id=\"tip\" hidden></div>\n"
        html += "<script>\nconst FEATURE_PROPERTIES = "
        html += propertiesJSON(properties)
        html += ";\n\(script)</script>\n</body>\n</html>\n"
        return html
    }

    /// `[[{…}, null, …], …]` per layer and feature. `/` and `<` are escaped so that no text
    /// inside can end the script element or read as a reference.
    private static func propertiesJSON(_ properties: [[JSONObject?]]) -> String {
        var layers: [JSONValue] = []
        for layer in properties {
            layers.append(.array(layer.map { $0.map(JSONValue.object) ?? .null }))
        }
        let text = String(decoding: JSONText.encode(.array(layers)), as: UTF8.self)
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "/": out += "\\/"
            case "<": out += "\\u003c"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private static let css = """
    html,body{margin:0;height:100%;font-family:sans-serif;font-size:13px;background:#f4f4f4}
    #map{position:absolute;inset:0;overflow:hidden;cursor:grab}
    #map svg{width:100%;height:100%;display:block}
    #panel{position:absolute;top:8px;right:8px;z-index:2;background:rgba(255,255,255,.92);padding:8px 10px;border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.25);max-width:260px}
    #panel label{display:block;margin-top:3px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
    .hint{margin-top:6px;color:#666;font-size:11px}
    #tip{position:absolute;z-index:3;pointer-events:none;background:#fff;border:1px solid #999;border-radius:4px;padding:6px 8px;font-size:12px;max-width:360px;box-shadow:0 1px 4px rgba(0,0,0,.3)}
    #tip table{border-collapse:collapse}#tip td{padding:1px 4px;vertical-align:top}#tip td:first-child{color:#555}

    """

    private static let script = """
    (function () {
      const svg = document.getElementById('wattbit-map');
      const box = svg.viewBox.baseVal;
      const home = [box.x, box.y, box.width, box.height];
      svg.removeAttribute('width'); svg.removeAttribute('height');
      function setView(v) { svg.setAttribute('viewBox', v.join(' ')); }
      function toSvg(ev) {
        const r = svg.getBoundingClientRect(); const v = svg.viewBox.baseVal;
        const s = Math.max(v.width / r.width, v.height / r.height);
        const ox = (r.width * s - v.width) / 2, oy = (r.height * s - v.height) / 2;
        return [v.x - ox + (ev.clientX - r.left) * s, v.y - oy + (ev.clientY - r.top) * s, s];
      }
      svg.addEventListener('wheel', function (ev) {
        ev.preventDefault();
        const v = svg.viewBox.baseVal; const p = toSvg(ev);
        const k = ev.deltaY < 0 ? 0.8 : 1.25;
        setView([p[0] - (p[0] - v.x) * k, p[1] - (p[1] - v.y) * k, v.width * k, v.height * k]);
      }, {passive: false});
      let drag = null;
      svg.addEventListener('mousedown', function (ev) { drag = toSvg(ev); });
      window.addEventListener('mouseup', function () { drag = null; });
      window.addEventListener('mousemove', function (ev) {
        if (!drag) return;
        const v = svg.viewBox.baseVal; const p = toSvg(ev);
        setView([v.x - (p[0] - drag[0]), v.y - (p[1] - drag[1]), v.width, v.height]);
      });
      svg.addEventListener('dblclick', function () { setView(home); });
      document.querySelectorAll('#toggles input').forEach(function (input) {
        input.addEventListener('change', function () {
          const g = document.getElementById(input.dataset.group);
          if (g) g.style.display = input.checked ? '' : 'none';
        });
      });
      const tip = document.getElementById('tip');
      function cell(text) { const td = document.createElement('td'); td.textContent = text; return td; }
      svg.addEventListener('mousemove', function (ev) {
        const el = ev.target.closest('[data-i]');
        if (!el || drag) { tip.hidden = true; return; }
        const props = (FEATURE_PROPERTIES[+el.dataset.l] || [])[+el.dataset.i];
        const table = document.createElement('table');
        const rows = props ? Object.entries(props) : [['role', el.dataset.role]];
        rows.slice(0, 30).forEach(function (kv) {
          const tr = document.createElement('tr');
          const v = kv[1];
          tr.appendChild(cell(kv[0]));
          tr.appendChild(cell(typeof v === 'object' ? JSON.stringify(v) : String(v)));
          table.appendChild(tr);
        });
        tip.replaceChildren(table);
        tip.hidden = false;
        tip.style.left = (ev.clientX + 14) + 'px'; tip.style.top = (ev.clientY + 14) + 'px';
      });
      svg.addEventListener('mouseleave', function () { tip.hidden = true; });
    })();

    """
}
