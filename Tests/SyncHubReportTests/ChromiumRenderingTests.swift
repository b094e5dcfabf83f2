import Foundation
import SyncHubReport
import Testing

/// The page in a real browser: every chart is laid out with visible marks, no label spills out of its chart, and a
/// screenshot is a picture rather than a blank page. Needs `chromium` (apt-get install -y chromium); fails without it.
@Suite(.serialized) struct ChromiumRenderingTests {
    /// The showcase plus a section of empty charts: every block type and both chart states.
    static var page: ReportPage {
        var page = ShowcasePage.page
        page.sections.append(
            ReportSection(
                title: "Empty states",
                blocks: [
                    .funnel(FunnelChart(title: "No funnel", steps: [])),
                    .bars(BarChart(title: "No bars", categories: [], series: [])),
                    .lines(LineChart(title: "No lines", series: [])),
                ]))
        return page
    }

    /// Measures every chart in the browser and writes the numbers into the DOM; only the test copy of the page
    /// carries it (the report itself has no script).
    static let measuringScript = """
        <script>
        (function () {
          var charts = [];
          document.querySelectorAll('figure.chart').forEach(function (figure) {
            var chart = { id: figure.id, kind: figure.dataset.chart, empty: figure.dataset.empty === 'true', plots: [] };
            figure.querySelectorAll('svg.plot').forEach(function (svg) {
              var box = svg.getBoundingClientRect(), view = svg.viewBox.baseVal;
              var plot = { width: box.width, height: box.height, marks: [], texts: 0, textsOutside: [] };
              svg.querySelectorAll('.mark').forEach(function (mark) {
                var b = mark.getBBox();
                plot.marks.push([b.width, b.height]);
              });
              svg.querySelectorAll('text').forEach(function (text) {
                var b = text.getBBox();
                plot.texts += 1;
                if (b.x < view.x - 1 || b.y < view.y - 1 || b.x + b.width > view.x + view.width + 1
                    || b.y + b.height > view.y + view.height + 1) {
                  plot.textsOutside.push([Math.round(b.x), Math.round(b.y), Math.round(b.width), text.textContent.length]);
                }
              });
              chart.plots.push(plot);
            });
            charts.push(chart);
          });
          var out = document.createElement('pre');
          out.id = 'measurements';
          out.textContent = JSON.stringify(charts);
          document.body.appendChild(out);
        })();
        </script>
        """

    struct Chart: Decodable {
        struct Plot: Decodable {
            var width: Double
            var height: Double
            var marks: [[Double]]
            var texts: Int
            var textsOutside: [[Int]]
        }

        var id: String
        var kind: String
        var empty: Bool
        var plots: [Plot]
    }

    @Test func everyChartIsDrawnWithVisibleMarks() throws {
        let chromium = try Chromium()
        defer { chromium.remove() }
        let html = HTMLReport.render(Self.page)
        let testPage = html.replacingOccurrences(of: "</body>", with: Self.measuringScript + "\n</body>")
        let dom = try chromium.dumpDOM(of: try chromium.page(named: "measure.html", html: testPage))

        let start = try #require(dom.range(of: "<pre id=\"measurements\">"), "the measuring script ran")
        let end = try #require(dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex))
        let json = dom[start.upperBound..<end.lowerBound]
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        let charts = try JSONDecoder().decode([Chart].self, from: Data(json.utf8))

        #expect(charts.count == html.occurrences(of: "<figure class=\""))
        #expect(Set(charts.map(\.kind)) == ["funnel", "bars", "lines"])
        #expect(charts.filter(\.empty).count == 3)
        for chart in charts where chart.empty {
            #expect(chart.plots.isEmpty, "\(chart.id) shows its empty state, not axes")
        }
        let drawn = charts.filter { !$0.empty }
        #expect(drawn.count == 9)
        for chart in drawn {
            #expect(!chart.plots.isEmpty, "\(chart.id) has a plot")
            for plot in chart.plots {
                #expect(plot.width > 150 && plot.height > 80, "\(chart.id) is laid out: \(plot.width)×\(plot.height)")
                #expect(!plot.marks.isEmpty, "\(chart.id) has marks")
                #expect(plot.marks.allSatisfy { $0[0] > 0 && $0[1] > 0 }, "\(chart.id) marks have area: \(plot.marks)")
                #expect(plot.texts > 0)
                #expect(
                    plot.textsOutside.isEmpty, "\(chart.id): labels cut off at the chart's edge: \(plot.textsOutside)")
            }
        }
        let smallMultiples = try #require(drawn.first { $0.plots.count > 1 })
        #expect(smallMultiples.plots.count == 5)
    }

    @Test func aScreenshotShowsThePage() throws {
        let chromium = try Chromium()
        defer { chromium.remove() }
        let html = HTMLReport.render(Self.page)
        let report = try chromium.screenshot(
            of: try chromium.page(named: "report.html", html: html), width: 1280, height: 2000)
        let blank = try chromium.screenshot(
            of: try chromium.page(named: "blank.html", html: HTMLReport.render(ReportPage(title: "", sections: []))),
            width: 1280, height: 2000)
        let withoutCharts = try chromium.screenshot(
            of: try chromium.page(
                named: "hidden.html",
                html: html.replacingOccurrences(
                    of: "</head>", with: "<style>svg.plot{visibility:hidden}</style></head>")),
            width: 1280, height: 2000)

        let header = try #require(PNGHeader(report), "a PNG file")
        #expect(header.width == 1280 && header.height == 2000)
        #expect(PNGHeader(blank)?.width == 1280)
        // Drawn pixels compress worse than background: the page is far from an empty one, and the charts alone add a
        // good share of it (measured with Chromium 156: 4.4× and 1.56×).
        #expect(report.count > 3 * blank.count, "report \(report.count) bytes vs empty page \(blank.count) bytes")
        #expect(
            Double(report.count) > 1.25 * Double(withoutCharts.count),
            "report \(report.count) bytes vs the same page with its charts hidden \(withoutCharts.count) bytes")

        if let keep = ProcessInfo.processInfo.environment["SYNCHUB_REPORT_SHOWCASE"] {
            // For docs/images/report.png: the showcase page kept for a full-height screenshot.
            try HTMLReport.write(ShowcasePage.page, to: URL(fileURLWithPath: keep))
        }
    }
}
