public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Renders a ``ReportPage`` as one self-contained HTML page: inline CSS and inline SVG, no script, no fonts or
/// images from the network. The same page always renders to the same bytes.
///
/// ```swift
/// let page = ReportPage(title: "Alignment", sections: [
///     ReportSection(title: "Funnel", blocks: [.funnel(FunnelChart(title: "Leads to customers", steps: steps))]),
/// ])
/// try HTMLReport.write(page, to: URL(fileURLWithPath: "report.html"))
/// ```
public enum HTMLReport {
    /// The width of a chart's drawing in SVG units when it spans the page, and when it shares a row with another.
    static let wideWidth = 1040.0
    static let halfWidth = 500.0

    /// The page as an HTML document.
    public static func render(_ page: ReportPage) -> String {
        var numbering = ChartNumbering()
        let sectionIDs = anchors(for: page.sections.map(\.title))
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="synchub">
            <title>\(escapeHTML(page.title))</title>
            <style>
            \(ReportStyle.css)</style>
            </head>
            <body>
            <header class="page-header"><div class="wrap">
            <p class="eyebrow">synchub report</p>
            <h1>\(escapeHTML(page.title))</h1>

            """
        if let subtitle = page.subtitle, !subtitle.isEmpty {
            html += "<p class=\"subtitle\">\(escapeHTML(subtitle))</p>\n"
        }
        if let generatedAt = page.generatedAt {
            html +=
                "<p class=\"meta\">Generated <time datetime=\"\(isoTimestamp(generatedAt))\">"
                + "\(displayTimestamp(generatedAt))</time></p>\n"
        }
        html += "</div></header>\n"
        if page.sections.count > 1 {
            html += "<nav class=\"toc\" aria-label=\"Sections\"><div class=\"wrap\">"
            for (section, anchor) in zip(page.sections, sectionIDs) {
                html += "<a href=\"#\(anchor)\">\(escapeHTML(section.title))</a>"
            }
            html += "</div></nav>\n"
        }
        html += "<main class=\"wrap\">\n"
        if page.sections.isEmpty {
            html += "<p class=\"note page-empty\">This report has no sections.</p>\n"
        }
        for (section, anchor) in zip(page.sections, sectionIDs) {
            html += "<section id=\"\(anchor)\" aria-labelledby=\"\(anchor)-h\">\n"
            html += "<h2 id=\"\(anchor)-h\">\(escapeHTML(section.title))</h2>\n"
            if let note = section.note, !note.isEmpty { html += "<p class=\"note\">\(escapeHTML(note))</p>\n" }
            html += "<div class=\"blocks\">\n"
            for (block, isWide) in zip(section.blocks, spans(of: section.blocks)) {
                html += render(block, isWide: isWide, numbering: &numbering)
            }
            html += "</div>\n</section>\n"
        }
        html += "</main>\n"
        if let footer = page.footer, !footer.isEmpty {
            html += "<footer class=\"wrap\"><p>\(escapeHTML(footer))</p></footer>\n"
        }
        html += "</body>\n</html>\n"
        return html
    }

    /// Writes the rendered page to `url`, created with mode 0600 (reports name people and owners), replacing any
    /// file there atomically.
    /// - Throws: ``ReportWriteError`` naming the path when the directory is missing or not writable.
    public static func write(_ page: ReportPage, to url: URL) throws {
        let bytes = Data(render(page).utf8)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ReportWriteError(path: url.path, code: errno) }
        var failure: Int32 = 0
        do {
            try FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).write(contentsOf: bytes)
        } catch {
            failure = EIO
        }
        if failure == 0, fchmod(descriptor, 0o600) != 0 { failure = errno }
        if close(descriptor) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, url.path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw ReportWriteError(path: url.path, code: failure)
        }
    }

    /// One block's HTML; charts are drawn `wideWidth` or `halfWidth` units across.
    static func render(_ block: ReportBlock, isWide: Bool, numbering: inout ChartNumbering) -> String {
        let width = isWide ? wideWidth : halfWidth
        var html: String
        switch block {
        case .kpis(let kpis):
            html = kpiRow(kpis)
        case .funnel(let chart):
            html = chart.html(id: numbering.id(), width: width)
        case .bars(let chart):
            html = chart.html(id: numbering.id(), width: width)
        case .lines(let chart):
            html = chart.html(id: numbering.id(), width: width)
        case .table(let table):
            html = table.html()
        case .text(let text):
            let paragraphs = text.components(separatedBy: "\n\n").map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            .filter { !$0.isEmpty }
            html = "<div class=\"text\">" + paragraphs.map { "<p>\(escapeHTML($0))</p>" }.joined() + "</div>\n"
        }
        if isWide, let close = html.firstIndex(of: ">"), let classRange = html[..<close].range(of: "class=\"") {
            html.insert(contentsOf: "wide ", at: classRange.upperBound)
        }
        return html
    }

    /// Which blocks span the page: figures, tables, text and time series do; two funnels or bar charts in a row
    /// share it, and one left over takes the whole row rather than leaving a hole.
    static func spans(of blocks: [ReportBlock]) -> [Bool] {
        var wide = blocks.map { block -> Bool in
            switch block {
            case .kpis, .lines, .table, .text: true
            case .funnel: false
            case .bars(let chart): chart.isWide
            }
        }
        var runStart = 0
        for index in 0...wide.count {
            if index == wide.count || wide[index] {
                if (index - runStart) % 2 == 1 { wide[index - 1] = true }
                runStart = index + 1
            }
        }
        return wide
    }

    /// Unique fragment ids from section titles: `win-loss-reasons`, `section-2` when a title has no letters.
    static func anchors(for titles: [String]) -> [String] {
        var used: Set<String> = []
        return titles.enumerated().map { index, title in
            var slug = ""
            for scalar in title.lowercased().unicodeScalars {
                if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                    slug.unicodeScalars.append(scalar)
                } else if !slug.isEmpty, !slug.hasSuffix("-") {
                    slug += "-"
                }
            }
            while slug.hasSuffix("-") { slug.removeLast() }
            if slug.isEmpty || slug.first?.isNumber == true { slug = "section-\(index + 1)" }
            var candidate = slug
            var counter = 2
            while used.contains(candidate) {
                candidate = "\(slug)-\(counter)"
                counter += 1
            }
            used.insert(candidate)
            return candidate
        }
    }

    static func kpiRow(_ kpis: [KPI]) -> String {
        var html = "<div class=\"kpis\" role=\"list\">\n"
        for kpi in kpis {
            let value = kpi.value.flatMap(plottable)
            html += "<div class=\"card kpi\(kpi.status.map { " " + $0.rawValue } ?? "")\" role=\"listitem\">"
            html += "<p class=\"kpi-label\">\(escapeHTML(kpi.label))</p>"
            html +=
                "<p class=\"kpi-value\"\(value.map { " title=\"\(escapeHTML(kpi.format.string(for: $0, style: .full)))\"" } ?? "")>"
            html += escapeHTML(value.map { kpi.format.fittingString(for: $0) } ?? "—") + "</p>"
            if kpi.detail != nil || (kpi.status != nil && kpi.status != .neutral) {
                html += "<p class=\"kpi-detail\">"
                if let status = kpi.status, status != .neutral {
                    html += statusMark(status) + (kpi.detail == nil ? "" : " ")
                }
                if let detail = kpi.detail { html += "<span class=\"kpi-note\">\(escapeHTML(detail))</span>" }
                html += "</p>"
            }
            html += "</div>\n"
        }
        html += "</div>\n"
        return html
    }

    /// The symbol of a status, and the word screen readers say for it.
    static func symbol(of status: ReportStatus) -> (symbol: String, word: String) {
        switch status {
        case .good: ("✓", "on track")
        case .warning: ("!", "at risk")
        case .bad: ("✗", "off track")
        case .neutral: ("•", "")
        }
    }

    /// A status as symbol and word, coloured: `✓ met`.
    static func statusBadge(_ status: ReportStatus, word: String?) -> String {
        let (symbol, defaultWord) = symbol(of: status)
        return "<span class=\"status \(status.rawValue)\"><span aria-hidden=\"true\">\(symbol)</span> "
            + "\(escapeHTML(word ?? defaultWord))</span>"
    }

    /// A headline figure's status: a coloured symbol (its word for screen readers); the detail says the rest.
    static func statusMark(_ status: ReportStatus) -> String {
        let (symbol, word) = symbol(of: status)
        return "<span class=\"status \(status.rawValue)\"><span aria-hidden=\"true\">\(symbol)</span>"
            + "<span class=\"sr-only\">\(word)</span></span>"
    }

    static func isoTimestamp(_ date: Date) -> String {
        let parts = TimeScale.calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(parts.year ?? 1970)-\(two(parts.month))-\(two(parts.day))T\(two(parts.hour)):\(two(parts.minute)):"
            + "\(two(parts.second))Z"
    }

    static func displayTimestamp(_ date: Date) -> String {
        let iso = isoTimestamp(date)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC"
    }
}

extension ReportTable {
    func html() -> String {
        var html = "<div class=\"card table-card\">"
        if let title, !title.isEmpty { html += "<h3>\(escapeHTML(title))</h3>" }
        html += "\n"
        guard !rows.isEmpty, !columns.isEmpty else {
            html += "<p class=\"note table-empty\" role=\"note\">\(escapeHTML(emptyMessage))</p>\n"
            if let caption, !caption.isEmpty { html += "<p class=\"caption\">\(escapeHTML(caption))</p>\n" }
            return html + "</div>\n"
        }
        let trailing = columns.indices.map { index -> Bool in
            switch columns[index].alignment {
            case .leading: return false
            case .trailing: return true
            case .automatic:
                let first = rows.lazy.compactMap { index < $0.count ? $0[index] : nil }.first
                if case .value = first { return true }
                return false
            }
        }
        html += "<div class=\"table-scroll\"><table>\n<thead><tr>"
        for (index, column) in columns.enumerated() {
            html += "<th scope=\"col\"\(trailing[index] ? " class=\"num\"" : "")>\(escapeHTML(column.title))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>"
            for index in columns.indices {
                let cell = index < row.count ? row[index] : .text("")
                html += "<td\(trailing[index] ? " class=\"num\"" : "")>"
                switch cell {
                case .text(let text): html += escapeHTML(text)
                case .value(let value, let format):
                    html += escapeHTML(plottable(value).map { format.string(for: $0, style: .full) } ?? "—")
                case .status(let status, let word): html += HTMLReport.statusBadge(status, word: word)
                }
                html += "</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody></table></div>\n"
        if let caption, !caption.isEmpty { html += "<p class=\"caption\">\(escapeHTML(caption))</p>\n" }
        return html + "</div>\n"
    }
}

/// Writing a report file failed.
public struct ReportWriteError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var code: Int32

    public var description: String {
        "cannot write the report to \(path): \(String(cString: strerror(code))); check that its folder exists and is writable."
    }
}
