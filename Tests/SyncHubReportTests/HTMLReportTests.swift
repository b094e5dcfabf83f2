import Foundation
import Testing

@testable import SyncHubReport

@Suite struct HTMLReportTests {
    static let attack = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&"

    /// A page with data-borne text in every place text can go.
    static var hostilePage: ReportPage {
        let a = attack
        let day = ShowcasePage.date(2026, 1, 1)
        return ReportPage(
            title: a, subtitle: a,
            sections: [
                ReportSection(
                    title: a, note: a,
                    blocks: [
                        .kpis([KPI(a, value: 1, detail: a, status: .bad)]),
                        .funnel(FunnelChart(title: a, caption: a, steps: [.init(a, value: 10), .init(a, value: 5)])),
                        .bars(
                            BarChart(
                                title: a, caption: a, categories: [a, a],
                                series: [ChartSeries(a, values: [1, 2]), ChartSeries(a, values: [2, 1])],
                                format: .currency(symbol: a), target: TargetLine(1.5, label: a))),
                        .bars(
                            BarChart(
                                title: a, categories: [a],
                                series: [ChartSeries(a, values: [1]), ChartSeries(a, values: [2])],
                                orientation: .horizontal, layout: .smallMultiples)),
                        .lines(
                            LineChart(
                                title: a,
                                series: [.init(a, points: [.init(day, 1), .init(day.addingTimeInterval(86_400), 2)])])),
                        .table(
                            ReportTable(
                                title: a, caption: a, columns: [.init(a), .init(a)],
                                rows: [[.text(a), .status(.good, a)]])),
                        .text(a),
                    ]),
                ReportSection(
                    title: a, blocks: [.bars(BarChart(title: a, categories: [], series: [], emptyMessage: a))]),
            ],
            footer: a)
    }

    @Test func everyTextFromDataIsEscaped() {
        let html = HTMLReport.render(Self.hostilePage)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img"))
        #expect(
            html.contains(
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;"))
        // Every element gets it: title, headings, labels, tooltips, legend, tables, text, footer.
        #expect(html.occurrences(of: "&lt;script&gt;") >= 30)
    }

    @Test func thePageIsSelfContainedAndScriptFree() {
        let html = HTMLReport.render(ShowcasePage.page)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://"), "nothing fetched at view time")
        #expect(!html.contains("@import") && !html.contains("@font-face") && !html.contains("<link"))
        #expect(html.contains("@media print"))
        #expect(html.contains("<meta name=\"viewport\""))
    }

    @Test func chartsAreAccessibleImages() {
        let html = HTMLReport.render(ShowcasePage.page)
        let svgs = html.occurrences(of: "<svg class=\"plot")
        #expect(svgs >= 9)
        #expect(html.occurrences(of: "role=\"img\" aria-labelledby=") == svgs)
        #expect(html.occurrences(of: "<desc id=") == svgs)
        #expect(html.contains("<title id=\"c1-t\">Lead to customer</title>"))
        #expect(html.occurrences(of: "<details class=\"data\">") == html.occurrences(of: " data-chart="))
        // Status is never colour alone.
        #expect(html.contains("<span aria-hidden=\"true\">✗</span><span class=\"sr-only\">off track</span>"))
        #expect(html.contains("<span aria-hidden=\"true\">✗</span> missed"))
    }

    @Test func renderingIsDeterministic() {
        let first = HTMLReport.render(ShowcasePage.page)
        #expect(HTMLReport.render(ShowcasePage.page) == first)
        var undated = ShowcasePage.page
        undated.generatedAt = nil
        let html = HTMLReport.render(undated)
        #expect(!html.contains("Generated") && !html.contains("<time"))
        #expect(first.contains("Generated <time datetime=\"2026-10-01T07:30:00Z\">2026-10-01 07:30 UTC</time>"))
    }

    @Test func emptyChartsExplainThemselves() {
        let html = HTMLReport.render(
            ReportPage(
                title: "Empty",
                sections: [
                    ReportSection(
                        title: "Nothing yet",
                        blocks: [
                            .funnel(FunnelChart(title: "No steps", steps: [])),
                            .funnel(
                                FunnelChart(title: "Zeros", steps: [.init("Lead", value: 0), .init("MQL", value: 0)])),
                            .bars(
                                BarChart(title: "No categories", categories: [], series: [ChartSeries("s", values: [])])
                            ),
                            .bars(BarChart(title: "No series", categories: ["a"], series: [])),
                            .bars(
                                BarChart(
                                    title: "Not numbers", categories: ["a", "b"],
                                    series: [
                                        ChartSeries("s", values: [nil, .nan]), ChartSeries("t", values: [.infinity]),
                                    ],
                                    layout: .stacked, emptyMessage: "No deals closed in Q3.")),
                            .lines(LineChart(title: "No points", series: [.init("s", points: [])])),
                            .lines(LineChart(title: "No series", series: [])),
                            .table(
                                ReportTable(
                                    title: "No rows", columns: [.init("Owner")], rows: [], emptyMessage: "No owners.")),
                        ])
                ]))
        #expect(html.occurrences(of: "data-empty=\"true\"") == 7)
        #expect(html.occurrences(of: "No records in this period.") == 6)
        #expect(html.contains("No deals closed in Q3.") && html.contains("No owners."))
        #expect(!html.contains("class=\"mark"))
        #expect(HTMLReport.render(ReportPage(title: "Bare", sections: [])).contains("This report has no sections."))
    }

    @Test func oddValuesDoNotBreakTheDrawing() {
        let html = HTMLReport.render(
            ReportPage(
                title: "Odd",
                sections: [
                    ReportSection(
                        title: "S",
                        blocks: [
                            .bars(
                                BarChart(
                                    title: "Negative", categories: ["a", "b"],
                                    series: [ChartSeries("s", values: [-5, 10])])),
                            .bars(
                                BarChart(
                                    title: "Short series", categories: ["a", "b", "c"],
                                    series: [ChartSeries("s", values: [1])])),
                            .funnel(
                                FunnelChart(title: "Growing", steps: [.init("a", value: 0), .init("b", value: 5)])),
                            .lines(
                                LineChart(
                                    title: "One point",
                                    series: [.init("s", points: [.init(ShowcasePage.date(2026, 1, 1), 3)])])),
                        ])
                ]))
        #expect(
            !html.lowercased().contains("nan\"") && !html.lowercased().contains("inf\""),
            "no NaN or infinite coordinates")
        let bars = RenderedElement.all("rect", withClass: "bar", in: html)
        #expect(bars.allSatisfy { ($0.number("width") ?? -1) >= 0 && ($0.number("height") ?? -1) >= 0 })
        #expect(RenderedElement.all("circle", withClass: "marker", in: html).count == 1)
    }

    @Test func chartsPairUpAndALoneChartTakesTheRow() {
        let funnel = ReportBlock.funnel(FunnelChart(title: "F", steps: []))
        #expect(HTMLReport.spans(of: [funnel, funnel]) == [false, false])
        #expect(HTMLReport.spans(of: [funnel]) == [true])
        #expect(
            HTMLReport.spans(of: [.text("t"), funnel, funnel, funnel, .kpis([])]) == [true, false, false, true, true])
    }

    @Test func sectionAnchorsAreUniqueSlugs() {
        #expect(
            HTMLReport.anchors(for: ["Win & loss reasons", "Win & loss reasons", "2026", "€"])
                == ["win-loss-reasons", "win-loss-reasons-2", "section-3", "section-4"])
    }

    @Test func writtenReportsAreOwnerOnly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "synchub-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("report.html")
        try Data("old".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)

        try HTMLReport.write(ShowcasePage.page, to: url)
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try String(contentsOf: url, encoding: .utf8) == HTMLReport.render(ShowcasePage.page))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report.html"], "no temp file left")

        let missing = directory.appendingPathComponent("no-such-folder/report.html")
        let error = try #require(throws: ReportWriteError.self) { try HTMLReport.write(ShowcasePage.page, to: missing) }
        #expect(error.description.contains("no-such-folder/report.html") && error.description.contains("folder exists"))
    }
}
