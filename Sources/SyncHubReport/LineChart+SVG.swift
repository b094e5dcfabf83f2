import Foundation

extension LineChart {
    /// Points with finite values, by series.
    var plottedPoints: [[(date: Date, value: Double)]] {
        series.map { series in series.points.compactMap { point in plottable(point.value).map { (point.date, $0) } } }
    }

    var hasData: Bool { plottedPoints.contains { !$0.isEmpty } }

    func html(id: String, width: Double) -> String {
        guard hasData else { return ChartFigure.empty(kind: "lines", id: id, title: title, message: emptyMessage) }
        let plotted = plottedPoints
        let values = plotted.flatMap { $0.map(\.value) }
        let scale = NiceScale(
            minimum: values.min() ?? 0,
            maximum: max(values.max() ?? 0, target?.value ?? 0, plottable(scaleMaximum) ?? 0),
            isIntegral: format.isIntegral)
        let time = TimeScale(covering: series.flatMap { $0.points.map(\.date) }, maximumTicks: width > 700 ? 10 : 6)
        let tickLabels = scale.ticks.map { format.string(for: $0) }
        let top = 16.0
        let bottom = 30.0
        let plotHeight = 240.0
        let right = 18.0
        let left = (tickLabels.map { TextMetrics.width($0, fontSize: 11) }.max() ?? 0) + 14
        let height = top + plotHeight + bottom
        func x(_ date: Date) -> Double { time.position(date, from: left + 6, to: width - right - 6) }
        func y(_ value: Double) -> Double { scale.position(value, from: top + plotHeight, to: top) }

        var svg = ""
        for tick in scale.ticks.indices {
            let value = scale.ticks[tick]
            svg +=
                "<line class=\"\(value == 0 ? "axis" : "grid")\" x1=\"\(svgNumber(left))\" x2=\"\(svgNumber(width - right))\" "
                + "y1=\"\(svgNumber(y(value)))\" y2=\"\(svgNumber(y(value)))\"/>\n"
            svg += svgText(tickLabels[tick], x: left - 7, y: y(value) + 4, anchor: "end", cssClass: "tick")
        }
        if scale.lower < 0 || scale.ticks.first != 0 {
            svg +=
                "<line class=\"axis\" x1=\"\(svgNumber(left))\" x2=\"\(svgNumber(width - right))\" "
                + "y1=\"\(svgNumber(top + plotHeight))\" y2=\"\(svgNumber(top + plotHeight))\"/>\n"
        }
        for tick in time.ticks {
            let tickX = x(tick.date)
            svg +=
                "<line class=\"axis\" x1=\"\(svgNumber(tickX))\" x2=\"\(svgNumber(tickX))\" "
                + "y1=\"\(svgNumber(top + plotHeight))\" y2=\"\(svgNumber(top + plotHeight + 5))\"/>\n"
            let anchor = edgeAwareAnchor(tick.label, x: tickX, width: width, fontSize: 11)
            svg += svgText(tick.label, x: tickX, y: top + plotHeight + 19, anchor: anchor, cssClass: "tick")
        }
        if let target {
            let targetY = y(target.value)
            svg +=
                "<line class=\"target\" x1=\"\(svgNumber(left))\" x2=\"\(svgNumber(width - right))\" "
                + "y1=\"\(svgNumber(targetY))\" y2=\"\(svgNumber(targetY))\"/>\n"
            svg += svgText(target.label, x: width - right, y: targetY - 5, anchor: "end", cssClass: "target-label")
        }
        let showsMarkers = plotted.map(\.count).max() ?? 0 <= 60
        for (index, points) in plotted.enumerated() where !points.isEmpty {
            let color = Palette.color(index)
            // A gap (a point without value) ends a segment; sorting keeps lines going forward in time.
            var segments: [[(Date, Double)]] = [[]]
            for point in series[index].points.sorted(by: { $0.date < $1.date }) {
                if let value = plottable(point.value) {
                    segments[segments.count - 1].append((point.date, value))
                } else if !(segments.last?.isEmpty ?? true) {
                    segments.append([])
                }
            }
            segments.removeAll { $0.isEmpty }
            if plotted.count == 1 {
                for segment in segments where segment.count > 1 {
                    let baseline = y(max(scale.lower, 0))
                    svg +=
                        "<path class=\"area\" fill=\"\(color)\" d=\"M\(svgNumber(x(segment[0].0))) \(svgNumber(baseline))"
                        + segment.map { "L\(svgNumber(x($0.0))) \(svgNumber(y($0.1)))" }.joined()
                        + "L\(svgNumber(x(segment[segment.count - 1].0))) \(svgNumber(baseline))Z\"/>\n"
                }
            }
            let path = segments.map { segment in
                "M" + segment.map { "\(svgNumber(x($0.0))) \(svgNumber(y($0.1)))" }.joined(separator: "L")
            }.joined()
            svg +=
                "<path class=\"mark line\" stroke=\"\(color)\" d=\"\(path)\" data-series=\"\(escapeHTML(series[index].name))\">"
                + "<title>\(escapeHTML(series[index].name))</title></path>\n"
            if showsMarkers {
                for segment in segments {
                    for (date, value) in segment {
                        let tooltip =
                            "\(series[index].name) · \(dayLabel(date)): \(format.string(for: value, style: .full))"
                        svg +=
                            "<g class=\"point\"><title>\(escapeHTML(tooltip))</title>"
                            + Marker.shape(
                                index, x: x(date), y: y(value), size: 3.5, color: color, extra: " class=\"mark marker\""
                            )
                            + "</g>\n"
                    }
                }
            }
        }

        var description =
            "Lines over time for \(series.count) series, \(dayLabel(time.start)) to \(dayLabel(time.end))."
        for (index, points) in plotted.enumerated() {
            if let last = points.max(by: { $0.date < $1.date }) {
                description += " \(series[index].name) latest \(format.string(for: last.value, style: .full))."
            }
        }
        if let target { description += " Target: \(target.label)." }
        if let caption, !caption.isEmpty { description = caption + " " + description }
        let svgDocument =
            svgOpen(id: id, width: width, height: height, title: title, description: description)
            + svg + "</svg>\n"

        var legend = series.indices.map {
            LegendItem(swatch: .line(color: Palette.color($0), marker: $0), label: series[$0].name)
        }
        if series.count == 1 { legend.removeAll() }
        if let target { legend.append(LegendItem(swatch: .target, label: target.label)) }
        let dates = Array(Set(series.flatMap { $0.points.map(\.date) })).sorted()
        let rows = dates.map { date -> [String] in
            [dayLabel(date)]
                + series.map { series in
                    series.points.first { $0.date == date }.flatMap { plottable($0.value) }
                        .map { format.string(for: $0, style: .full) } ?? "—"
                }
        }
        return ChartFigure(
            kind: "lines", id: id, title: title, caption: caption, legend: legend,
            body: "<div class=\"plot-box\">\(svgDocument)</div>\n",
            data: DataTable(headers: ["Date"] + series.map(\.name), rows: rows)
        ).html()
    }
}
