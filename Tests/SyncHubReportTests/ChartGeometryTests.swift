import Foundation
import SyncHubReport
import Testing

/// The SVG marks are where the numbers say: read back from the rendered page.
@Suite struct ChartGeometryTests {
    static func render(_ blocks: [ReportBlock]) -> String {
        HTMLReport.render(ReportPage(title: "T", sections: [ReportSection(title: "S", blocks: blocks)]))
    }

    static func bars(in html: String) -> [RenderedElement] { RenderedElement.all("rect", withClass: "bar", in: html) }

    /// Rendered coordinates carry two decimals.
    static func close(_ a: Double, _ b: Double, tolerance: Double = 0.02) -> Bool { abs(a - b) <= tolerance }

    @Test func verticalBarHeightsAreProportionalToValues() throws {
        let values: [Double] = [10, 20, 35, 5, 0]
        let html = Self.render([
            .bars(
                BarChart(title: "B", categories: ["a", "b", "c", "d", "e"], series: [ChartSeries("s", values: values)]))
        ])
        let bars = Self.bars(in: html)
        #expect(bars.count == 5)
        let unit = try #require(bars[0].number("height")) / 10
        #expect(unit > 1)
        for (bar, value) in zip(bars, values) {
            #expect(Self.close(try #require(bar.number("height")), value * unit), "\(bar.attributes)")
            #expect(bar.number("data-value") == value)
        }
        // All bars stand on the same baseline, and the zero bar is flat on it.
        let bottoms = bars.map { ($0.number("y") ?? 0) + ($0.number("height") ?? 0) }
        #expect(bottoms.allSatisfy { Self.close($0, bottoms[0]) })
        #expect(bars[4].number("height") == 0)
    }

    @Test func horizontalBarLengthsAreProportionalAndStartAtZero() throws {
        let values: [Double] = [74, 61, 48, 37]
        let html = Self.render([
            .bars(
                BarChart(
                    title: "Loss reasons", categories: ["Price", "Competitor", "No decision", "Missing feature"],
                    series: [ChartSeries("Lost", values: values)], orientation: .horizontal))
        ])
        let bars = Self.bars(in: html)
        let unit = try #require(bars[0].number("width")) / 74
        for (bar, value) in zip(bars, values) {
            #expect(Self.close(try #require(bar.number("width")), value * unit))
            #expect(bar.number("x") == bars[0].number("x"))
        }
        let tops = bars.map { $0.number("y") ?? 0 }
        #expect(tops == tops.sorted(), "categories run top to bottom in order")
    }

    @Test func groupedBarsSitSideBySideInSeriesOrder() throws {
        let html = Self.render([
            .bars(
                BarChart(
                    title: "G", categories: ["x", "y"],
                    series: [ChartSeries("one", values: [3, 4]), ChartSeries("two", values: [5, 6])]))
        ])
        let bars = Self.bars(in: html)
        #expect(bars.map { $0.number("data-value") } == [3, 5, 4, 6])
        let first = bars[0]
        let second = bars[1]
        let firstRight = try #require(first.number("x")) + (first.number("width") ?? 0)
        #expect(firstRight <= (second.number("x") ?? 0) + 0.01, "no overlap")
        #expect(first.attributes["fill"] != second.attributes["fill"])
        #expect(html.contains("<ul class=\"legend\""))
    }

    @Test func stackedSegmentsTouchAndReachTheTotal() throws {
        let html = Self.render([
            .bars(
                BarChart(
                    title: "S", categories: ["Jan"],
                    series: [
                        ChartSeries("a", values: [30]), ChartSeries("b", values: [50]), ChartSeries("c", values: [20]),
                    ],
                    layout: .stacked))
        ])
        let segments = Self.bars(in: html)
        #expect(segments.count == 3)
        for (lower, upper) in zip(segments, segments.dropFirst()) {
            // The next segment's bottom is this one's top.
            let upperBottom = try #require(upper.number("y")) + (upper.number("height") ?? 0)
            #expect(Self.close(upperBottom, lower.number("y") ?? -1))
        }
        let heights = segments.compactMap { $0.number("height") }
        #expect(Self.close(heights[1] / heights[0], 50.0 / 30, tolerance: 0.01))
        #expect(html.contains(">100</text>"), "the total is labelled")
    }

    @Test func theTargetLineSitsAtItsValueAndMissingBarsAreHatched() throws {
        let html = Self.render([
            .bars(
                BarChart(
                    title: "SLA", categories: ["met", "missed"],
                    series: [ChartSeries("Within SLA", values: [1.0, 0.5])],
                    format: .percent, target: TargetLine(0.95, label: "SLA 95%"), scaleMaximum: 1))
        ])
        let bars = Self.bars(in: html)
        // The last: the legend's swatch comes first.
        let target = try #require(RenderedElement.all("line", withClass: "target", in: html).last)
        let baseline = try #require(bars[0].number("y")) + (bars[0].number("height") ?? 0)
        let fullHeight = try #require(bars[0].number("height"))
        #expect(Self.close(try #require(target.number("y1")), baseline - 0.95 * fullHeight))
        let hatches = RenderedElement.all("rect", withClass: "hatch", in: html)
        #expect(hatches.count == 1)
        #expect(hatches.first?.number("x") == bars[1].number("x"))
        #expect(html.contains("missed: 50.0% (below target)"))
        #expect(html.contains(">100%</text>") && html.contains(">0%</text>"), "percent ticks")
    }

    @Test func smallMultiplesShareOneScale() throws {
        let html = Self.render([
            .bars(
                BarChart(
                    title: "Attribution", categories: ["Webinar", "Summit"],
                    series: [
                        ChartSeries("First touch", values: [100, 50]), ChartSeries("Last touch", values: [20, 200]),
                    ],
                    orientation: .horizontal, layout: .smallMultiples, format: .dollars))
        ])
        #expect(html.occurrences(of: "<svg class=\"plot\"") == 2)
        let bars = Self.bars(in: html)
        let widths = bars.compactMap { $0.number("width") }
        let unit = widths[0] / 100
        #expect(zip(widths, [100.0, 50, 20, 200]).allSatisfy { Self.close($0, $1 * unit) }, "\(widths)")
        #expect(bars[0].attributes["fill"] != bars[2].attributes["fill"], "each panel its own colour")
    }

    @Test func funnelBarsAreCentredAndProportional() throws {
        let steps: [Double] = [1_000, 400, 250, 100]
        let html = Self.render([
            .funnel(
                FunnelChart(
                    title: "F",
                    steps: zip(["Lead", "MQL", "SQL", "Customer"], steps).map { FunnelChart.Step($0, value: $1) }))
        ])
        let bars = Self.bars(in: html)
        #expect(bars.count == 4)
        let unit = try #require(bars[0].number("width")) / 1_000
        let centre = try #require(bars[0].number("x")) + unit * 500
        for (bar, value) in zip(bars, steps) {
            let width = try #require(bar.number("width"))
            #expect(Self.close(width, value * unit))
            #expect(Self.close((bar.number("x") ?? 0) + width / 2, centre))
        }
        #expect(html.contains("↓ 40%") && html.contains("↓ 62.5%") && html.contains("↓ 40%"))
        #expect(html.contains("Lead → Customer: 10% overall"))
    }

    @Test func linePointsFollowDatesAndValues() throws {
        let dates = (1...4).map { ShowcasePage.date(2026, $0, 1) }
        let values: [Double?] = [10, 30, nil, 20]
        let html = Self.render([
            .lines(
                LineChart(
                    title: "Velocity",
                    series: [
                        .init("Inbound", points: zip(dates, values).map { .init($0, $1) }),
                        .init("Outbound", points: zip(dates, [5, 5, 5, 5]).map { .init($0, $1) }),
                    ],
                    format: .dollars))
        ])
        let markers = RenderedElement.all("circle", withClass: "marker", in: html)
        #expect(markers.count == 3, "no marker for the missing value")
        let xs = markers.compactMap { $0.number("cx") }
        let ys = markers.compactMap { $0.number("cy") }
        #expect(xs == xs.sorted())
        let baseline = try #require(RenderedElement.all("line", withClass: "axis", in: html).first?.number("y1"))
        let unit = (baseline - ys[0]) / 10
        #expect(Self.close(baseline - ys[1], 30 * unit) && Self.close(baseline - ys[2], 20 * unit))
        // The gap splits the line in two: two "M" moves in the path.
        let path = try #require(RenderedElement.all("path", withClass: "line", in: html).first?.attributes["d"])
        #expect(path.occurrences(of: "M") == 2)
        #expect(html.contains(">Jan 2026</text>") && html.contains(">Apr</text>"))
        #expect(RenderedElement.all("rect", withClass: "marker", in: html).count == 4, "second series: squares")
    }
}
