import Foundation

/// Escapes text for HTML and SVG content and attribute values.
func escapeHTML(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&#39;"
        default:
            // Control characters other than tab and newlines are not allowed in HTML text; drop them.
            if character.value < 0x20, character != "\t", character != "\n", character != "\r" { continue }
            result.unicodeScalars.append(character)
        }
    }
    return result
}

/// A coordinate with at most two decimals and no trailing zeros: `12.5`, `100`.
func svgNumber(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let rounded = (value * 100).rounded() / 100
    return NumberText.trimmed(NumberText.grouped(rounded, fractionDigits: 2).replacingOccurrences(of: ",", with: ""))
}

/// The colour-blind-safe series palette (Okabe and Ito), strongest contrast first.
enum Palette {
    static let series = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C8C8C", "#F0E442"]
    static func color(_ index: Int) -> String { series[index % series.count] }
}

/// Rough text widths for layout before a browser measures anything (a sans-serif averages 0.56 em per character).
enum TextMetrics {
    static func width(_ text: String, fontSize: Double) -> Double {
        var em = 0.0
        for character in text {
            switch character {
            case "i", "l", "j", "t", "f", "I", ".", ",", ":", ";", "'", "|", "!", " ": em += 0.32
            case "m", "w", "M", "W", "%", "@": em += 0.85
            case "A"..."Z", "$", "0"..."9": em += 0.64
            default: em += 0.55
            }
        }
        return em * fontSize
    }

    /// `text`, cut with an ellipsis to fit `maxWidth`.
    static func truncated(_ text: String, toWidth maxWidth: Double, fontSize: Double) -> String {
        guard width(text, fontSize: fontSize) > maxWidth else { return text }
        var cut = text
        while !cut.isEmpty, width(cut + "…", fontSize: fontSize) > maxWidth { cut.removeLast() }
        return cut.trimmingCharacters(in: .whitespaces) + "…"
    }
}

/// A value from data usable on a chart: finite, or nothing.
func plottable(_ value: Double?) -> Double? {
    guard let value, value.isFinite else { return nil }
    return value
}

/// Numbers each chart on a page so its SVG ids are unique and the same on every render.
struct ChartNumbering {
    private var next = 1
    mutating func id() -> String {
        defer { next += 1 }
        return "c\(next)"
    }
}

/// The HTML around a chart: heading, legend, plot(s), caption and a data table for screen readers and the curious.
struct ChartFigure {
    var kind: String
    var id: String
    var title: String
    var caption: String?
    var legend: [LegendItem] = []
    var body: String
    var data: DataTable?

    func html() -> String {
        var html = "<figure class=\"card chart\" data-chart=\"\(kind)\" id=\"\(id)\">\n"
        html += "<h3>\(escapeHTML(title))</h3>\n"
        if !legend.isEmpty {
            html += "<ul class=\"legend\" aria-label=\"Legend\">"
            for item in legend { html += item.html() }
            html += "</ul>\n"
        }
        html += body
        if let caption, !caption.isEmpty { html += "<figcaption>\(escapeHTML(caption))</figcaption>\n" }
        if let data { html += data.html() }
        html += "</figure>\n"
        return html
    }

    /// The figure for a chart without data: its title and a sentence saying why there is nothing to draw.
    static func empty(kind: String, id: String, title: String, message: String) -> String {
        """
        <figure class="card chart is-empty" data-chart="\(kind)" data-empty="true" id="\(id)">
        <h3>\(escapeHTML(title))</h3>
        <div class="empty-state" role="note"><svg class="empty-icon" viewBox="0 0 48 32" aria-hidden="true">\
        <rect x="4" y="18" width="8" height="10" rx="1"/><rect x="16" y="10" width="8" height="18" rx="1"/>\
        <rect x="28" y="14" width="8" height="14" rx="1"/><line x1="2" y1="29" x2="46" y2="29"/></svg>\
        <p>\(escapeHTML(message))</p></div>
        </figure>

        """
    }
}

/// One legend entry: a swatch (bar, line with marker, target line or hatching) and a name.
struct LegendItem {
    enum Swatch {
        case bar(color: String)
        case line(color: String, marker: Int)
        case target
        case hatch
    }

    var swatch: Swatch
    var label: String

    func html() -> String {
        let icon: String
        switch swatch {
        case .bar(let color):
            icon = "<rect x=\"3\" y=\"2\" width=\"14\" height=\"10\" rx=\"2\" fill=\"\(color)\"/>"
        case .line(let color, let marker):
            icon =
                "<line x1=\"0\" y1=\"7\" x2=\"20\" y2=\"7\" stroke=\"\(color)\" stroke-width=\"2.5\"/>"
                + Marker.shape(marker, x: 10, y: 7, size: 4, color: color, extra: "")
        case .target:
            icon = "<line class=\"target\" x1=\"0\" y1=\"7\" x2=\"20\" y2=\"7\"/>"
        case .hatch:
            icon =
                "<rect x=\"3\" y=\"2\" width=\"14\" height=\"10\" rx=\"2\" fill=\"#8C8C8C\"/>"
                + "<path d=\"M3 9l7-7M7 12l10-10M13 12l4-4\" stroke=\"#fff\" stroke-width=\"2\"/>"
        }
        return "<li><svg class=\"swatch\" viewBox=\"0 0 20 14\" width=\"20\" height=\"14\" aria-hidden=\"true\">"
            + icon + "</svg>\(escapeHTML(label))</li>"
    }
}

/// Point markers that differ in shape as well as colour, so series stay apart without colour vision.
enum Marker {
    static func shape(_ index: Int, x: Double, y: Double, size: Double, color: String, extra: String) -> String {
        let (cx, cy, r) = (svgNumber(x), svgNumber(y), size)
        switch index % 4 {
        case 0:
            return "<circle\(extra) cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(svgNumber(r))\" fill=\"\(color)\"/>"
        case 1:
            return "<rect\(extra) x=\"\(svgNumber(x - r * 0.9))\" y=\"\(svgNumber(y - r * 0.9))\" "
                + "width=\"\(svgNumber(r * 1.8))\" height=\"\(svgNumber(r * 1.8))\" fill=\"\(color)\"/>"
        case 2:
            let points = [(x, y - r * 1.15), (x + r * 1.1, y + r * 0.85), (x - r * 1.1, y + r * 0.85)]
            return
                "<path\(extra) d=\"M\(points.map { "\(svgNumber($0.0)) \(svgNumber($0.1))" }.joined(separator: "L"))Z\" "
                + "fill=\"\(color)\"/>"
        default:
            let points = [(x, y - r * 1.25), (x + r * 1.1, y), (x, y + r * 1.25), (x - r * 1.1, y)]
            return
                "<path\(extra) d=\"M\(points.map { "\(svgNumber($0.0)) \(svgNumber($0.1))" }.joined(separator: "L"))Z\" "
                + "fill=\"\(color)\"/>"
        }
    }
}

/// The numbers behind a chart as a small table, folded away under the chart.
struct DataTable {
    var headers: [String]
    var rows: [[String]]

    func html() -> String {
        var html = "<details class=\"data\"><summary>Data table</summary><table>\n<thead><tr>"
        for (index, header) in headers.enumerated() {
            html += index == 0 ? "<th scope=\"col\">" : "<th scope=\"col\" class=\"num\">"
            html += escapeHTML(header) + "</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                html +=
                    index == 0
                    ? "<th scope=\"row\">\(escapeHTML(cell))</th>" : "<td class=\"num\">\(escapeHTML(cell))</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody></table></details>\n"
        return html
    }
}

/// The opening tag of a chart's SVG with its accessible name and description.
func svgOpen(id: String, width: Double, height: Double, title: String, description: String, extraClass: String = "")
    -> String
{
    """
    <svg class="plot\(extraClass.isEmpty ? "" : " " + extraClass)" viewBox="0 0 \(svgNumber(width)) \(svgNumber(height))" \
    style="min-width:\(svgNumber((width * 0.55).rounded()))px" role="img" aria-labelledby="\(id)-t \(id)-d">\
    <title id="\(id)-t">\(escapeHTML(title))</title><desc id="\(id)-d">\(escapeHTML(description))</desc>

    """
}

/// A `<text>` element; `cssClass` picks size and colour from the page style.
func svgText(
    _ text: String, x: Double, y: Double, anchor: String = "start", cssClass: String, extra: String = ""
) -> String {
    "<text class=\"\(cssClass)\" x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\""
        + (anchor == "start" ? "" : " text-anchor=\"\(anchor)\"") + extra + ">\(escapeHTML(text))</text>\n"
}

/// `middle`, or `start`/`end` when a label centred at `x` would stick out of a chart `width` wide.
func edgeAwareAnchor(_ text: String, x: Double, width: Double, fontSize: Double) -> String {
    let half = TextMetrics.width(text, fontSize: fontSize) / 2
    return x - half < 0 ? "start" : x + half > width ? "end" : "middle"
}

/// The date as `3 Mar 2026` (UTC).
func dayLabel(_ date: Date) -> String {
    let parts = TimeScale.calendar.dateComponents([.year, .month, .day], from: date)
    return "\(parts.day ?? 1) \(TimeScale.monthNames[(parts.month ?? 1) - 1]) \(parts.year ?? 1970)"
}
