import Foundation

extension BarChart {
    /// `values[series][category]`, finite or `nil`, padded to the number of categories.
    var matrix: [[Double?]] {
        series.map { series in
            categories.indices.map { index in index < series.values.count ? plottable(series.values[index]) : nil }
        }
    }

    var hasData: Bool { !categories.isEmpty && matrix.contains { $0.contains { $0 != nil } } }

    /// Whether the chart needs the full width of the page.
    var isWide: Bool {
        switch layout {
        case .smallMultiples: series.count > 1
        case .grouped: orientation == .vertical && categories.count * max(1, series.count) > 16
        case .stacked: orientation == .vertical && categories.count > 16
        }
    }

    /// The value scale: stacked bars reach their totals; the target and `scaleMaximum` are always in view.
    func scale(for matrix: [[Double?]]) -> NiceScale {
        var values = matrix.flatMap { $0.compactMap { $0 } }
        if layout == .stacked {
            values = categories.indices.map { index in matrix.reduce(0) { $0 + max(0, $1[index] ?? 0) } }
        }
        let maximum = max(values.max() ?? 0, target?.value ?? 0, plottable(scaleMaximum) ?? 0)
        return NiceScale(minimum: values.min() ?? 0, maximum: maximum, isIntegral: format.isIntegral)
    }

    func html(id: String, width: Double) -> String {
        guard hasData else { return ChartFigure.empty(kind: "bars", id: id, title: title, message: emptyMessage) }
        let matrix = matrix
        let scale = scale(for: matrix)
        var legend: [LegendItem] = []
        var body = ""
        var misses = false
        if layout == .smallMultiples, series.count > 1 {
            body += "<div class=\"multiples \(orientation.rawValue)\">\n"
            for index in series.indices {
                let panel = plot(
                    id: "\(id)-\(index + 1)", width: orientation == .horizontal ? 200 : 340, matrix: [matrix[index]],
                    seriesNames: [series[index].name],
                    colorOffset: index, scale: scale, panelTitle: series[index].name)
                misses = misses || panel.misses
                body += "<div class=\"panel\"><h4>\(escapeHTML(series[index].name))</h4>\(panel.svg)</div>\n"
            }
            body += "</div>\n"
        } else {
            if series.count > 1 {
                legend = series.indices.map {
                    LegendItem(swatch: .bar(color: Palette.color($0)), label: series[$0].name)
                }
            }
            let single = plot(
                id: id, width: width, matrix: matrix, seriesNames: series.map(\.name), colorOffset: 0, scale: scale,
                panelTitle: nil)
            misses = single.misses
            body += "<div class=\"plot-box\">\(single.svg)</div>\n"
        }
        if let target {
            legend.append(LegendItem(swatch: .target, label: target.label))
            if misses {
                legend.append(
                    LegendItem(swatch: .hatch, label: target.direction == .atLeast ? "below target" : "above target"))
            }
        }
        let headers = [""] + (layout == .stacked ? series.map(\.name) + ["Total"] : series.map(\.name))
        let rows = categories.indices.map { category -> [String] in
            var row = [categories[category]]
            row += matrix.map { $0[category].map { format.string(for: $0, style: .full) } ?? "—" }
            if layout == .stacked {
                row.append(format.string(for: matrix.reduce(0) { $0 + ($1[category] ?? 0) }, style: .full))
            }
            return row
        }
        return ChartFigure(
            kind: "bars", id: id, title: title, caption: caption, legend: legend, body: body,
            data: DataTable(headers: headers, rows: rows)
        ).html()
    }

    /// One bar plot: `matrix[series][category]` on `scale`.
    private func plot(
        id: String, width: Double, matrix: [[Double?]], seriesNames: [String], colorOffset: Int, scale: NiceScale,
        panelTitle: String?
    ) -> (svg: String, misses: Bool) {
        let stacked = layout == .stacked
        let columns = stacked ? 1 : matrix.count
        let tickLabels = scale.ticks.map { format.string(for: $0) }
        let allValues = matrix.flatMap { $0.compactMap { $0 } }
        let totals = categories.indices.map { index in matrix.reduce(0) { $0 + max(0, $1[index] ?? 0) } }
        let largestLabel =
            ((stacked ? totals : allValues) + [scale.upper]).map {
                TextMetrics.width(format.string(for: $0), fontSize: 11)
            }.max() ?? 0
        var misses = false
        var svg = ""
        var marks = ""
        var labels = ""

        func missesTarget(_ value: Double) -> Bool {
            guard let target, !target.isMet(by: value) else { return false }
            misses = true
            return true
        }
        func bar(
            x: Double, y: Double, width: Double, height: Double, value: Double, color: String, tooltip: String,
            hatched: Bool
        ) -> String {
            var rect =
                "<rect class=\"mark bar\" x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" width=\"\(svgNumber(width))\" "
                + "height=\"\(svgNumber(height))\" fill=\"\(color)\" data-value=\"\(svgNumber(value))\">"
                + "<title>\(escapeHTML(tooltip))</title></rect>\n"
            if hatched {
                rect +=
                    "<rect class=\"hatch\" x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" width=\"\(svgNumber(width))\" "
                    + "height=\"\(svgNumber(height))\" fill=\"url(#\(id)-hatch)\"/>\n"
            }
            return rect
        }
        func tooltip(category: Int, series: Int, value: Double) -> String {
            var text = categories[category]
            if seriesNames.count > 1 || stacked { text += " · " + seriesNames[series] }
            text += ": " + format.string(for: value, style: .full)
            if let target, !target.isMet(by: value) {
                text += target.direction == .atLeast ? " (below target)" : " (above target)"
            }
            return text
        }

        let height: Double
        switch orientation {
        case .vertical:
            let top = 22.0
            let bottom = 30.0
            let plotHeight = panelTitle == nil ? 240.0 : 180.0
            let left = (tickLabels.map { TextMetrics.width($0, fontSize: 11) }.max() ?? 0) + 14
            let right = 12.0
            height = top + plotHeight + bottom
            let band = (width - left - right) / Double(categories.count)
            let group = band * (columns > 1 ? 0.8 : 0.62)
            let gap = columns > 1 ? min(3, group * 0.05) : 0
            let barWidth = (group - gap * Double(columns - 1)) / Double(columns)
            func y(_ value: Double) -> Double { scale.position(value, from: top + plotHeight, to: top) }
            for tick in scale.ticks.indices {
                let value = scale.ticks[tick]
                svg +=
                    "<line class=\"\(value == 0 ? "axis" : "grid")\" x1=\"\(svgNumber(left))\" x2=\"\(svgNumber(width - right))\" "
                    + "y1=\"\(svgNumber(y(value)))\" y2=\"\(svgNumber(y(value)))\"/>\n"
                svg += svgText(tickLabels[tick], x: left - 7, y: y(value) + 4, anchor: "end", cssClass: "tick")
            }
            for category in categories.indices {
                let groupLeft = left + band * Double(category) + (band - group) / 2
                var stackBase = 0.0
                for (seriesIndex, values) in matrix.enumerated() {
                    guard let value = values[category] else { continue }
                    let color = Palette.color(colorOffset + seriesIndex)
                    if stacked {
                        let segment = max(0, value)
                        marks += bar(
                            x: groupLeft, y: y(stackBase + segment), width: barWidth,
                            height: y(stackBase) - y(stackBase + segment), value: segment, color: color,
                            tooltip: tooltip(category: category, series: seriesIndex, value: segment), hatched: false)
                        stackBase += segment
                    } else {
                        let x = groupLeft + Double(seriesIndex) * (barWidth + gap)
                        let label = format.string(for: value)
                        marks += bar(
                            x: x, y: min(y(value), y(0)), width: barWidth, height: abs(y(0) - y(value)), value: value,
                            color: color, tooltip: tooltip(category: category, series: seriesIndex, value: value),
                            hatched: missesTarget(value))
                        if barWidth >= TextMetrics.width(label, fontSize: 11) + 2 {
                            labels += svgText(
                                label, x: x + barWidth / 2, y: value >= 0 ? y(value) - 5 : y(value) + 13,
                                anchor: "middle",
                                cssClass: "value")
                        }
                    }
                }
                if stacked {
                    let total = totals[category]
                    if missesTarget(total) {
                        marks +=
                            "<rect class=\"hatch\" x=\"\(svgNumber(groupLeft))\" y=\"\(svgNumber(y(total)))\" "
                            + "width=\"\(svgNumber(barWidth))\" height=\"\(svgNumber(y(0) - y(total)))\" fill=\"url(#\(id)-hatch)\"/>\n"
                    }
                    let label = format.string(for: total)
                    if barWidth >= TextMetrics.width(label, fontSize: 11) + 2 {
                        labels += svgText(
                            label, x: groupLeft + barWidth / 2, y: y(total) - 5, anchor: "middle", cssClass: "value")
                    }
                }
                svg += svgText(
                    TextMetrics.truncated(categories[category], toWidth: band - 4, fontSize: 12),
                    x: left + band * (Double(category) + 0.5), y: top + plotHeight + 18, anchor: "middle",
                    cssClass: "label")
            }
            svg += marks
            if let target {
                let targetY = y(target.value)
                svg +=
                    "<line class=\"target\" x1=\"\(svgNumber(left))\" x2=\"\(svgNumber(width - right))\" "
                    + "y1=\"\(svgNumber(targetY))\" y2=\"\(svgNumber(targetY))\"/>\n"
                svg += svgText(target.label, x: width - right, y: targetY - 5, anchor: "end", cssClass: "target-label")
            }
            svg += labels
        case .horizontal:
            // Names that would be cut in a column to the left of the bars go above them instead.
            let longestLabel = categories.map { TextMetrics.width($0, fontSize: 12) }.max() ?? 0
            let labelsAbove = longestLabel > width * 0.34
            let labelWidth = labelsAbove ? 0 : longestLabel + 12
            let left = labelsAbove ? 1 : labelWidth
            let right = max(34, largestLabel + 10)
            let top = target == nil ? 6.0 : 20.0
            let bottom = 24.0
            let barHeight = columns > 1 ? 13.0 : (labelsAbove ? 16.0 : 20.0)
            let gap = columns > 1 ? 2.0 : 0
            let groupHeight = barHeight * Double(columns) + gap * Double(columns - 1)
            let padding = labelsAbove ? 9.0 : (columns > 1 ? 12 : 10)
            let labelHeight = labelsAbove ? 16.0 : 0
            let band = groupHeight + padding + labelHeight
            let plotHeight = band * Double(categories.count)
            height = top + plotHeight + bottom
            func x(_ value: Double) -> Double { scale.position(value, from: left, to: width - right) }
            for tick in scale.ticks.indices {
                let value = scale.ticks[tick]
                svg +=
                    "<line class=\"\(value == 0 ? "axis" : "grid")\" x1=\"\(svgNumber(x(value)))\" x2=\"\(svgNumber(x(value)))\" "
                    + "y1=\"\(svgNumber(top))\" y2=\"\(svgNumber(top + plotHeight))\"/>\n"
                let anchor = edgeAwareAnchor(tickLabels[tick], x: x(value), width: width, fontSize: 11)
                svg += svgText(
                    tickLabels[tick], x: anchor == "start" ? max(0, x(value) - 2) : x(value), y: top + plotHeight + 16,
                    anchor: anchor, cssClass: "tick")
            }
            for category in categories.indices {
                let bandTop = top + band * Double(category)
                let groupTop = bandTop + padding / 2 + labelHeight
                var stackBase = 0.0
                for (seriesIndex, values) in matrix.enumerated() {
                    guard let value = values[category] else { continue }
                    let color = Palette.color(colorOffset + seriesIndex)
                    if stacked {
                        let segment = max(0, value)
                        marks += bar(
                            x: x(stackBase), y: groupTop, width: x(stackBase + segment) - x(stackBase),
                            height: barHeight,
                            value: segment, color: color,
                            tooltip: tooltip(category: category, series: seriesIndex, value: segment), hatched: false)
                        stackBase += segment
                    } else {
                        let y = groupTop + Double(seriesIndex) * (barHeight + gap)
                        marks += bar(
                            x: min(x(value), x(0)), y: y, width: abs(x(value) - x(0)), height: barHeight, value: value,
                            color: color, tooltip: tooltip(category: category, series: seriesIndex, value: value),
                            hatched: missesTarget(value))
                        labels += svgText(
                            format.string(for: value), x: max(x(value), x(0)) + 5, y: y + barHeight / 2 + 4,
                            cssClass: "value")
                    }
                }
                if stacked {
                    let total = totals[category]
                    if missesTarget(total) {
                        marks +=
                            "<rect class=\"hatch\" x=\"\(svgNumber(x(0)))\" y=\"\(svgNumber(groupTop))\" "
                            + "width=\"\(svgNumber(x(total) - x(0)))\" height=\"\(svgNumber(barHeight))\" fill=\"url(#\(id)-hatch)\"/>\n"
                    }
                    labels += svgText(
                        format.string(for: total), x: x(total) + 5, y: groupTop + barHeight / 2 + 4, cssClass: "value")
                }
                if labelsAbove {
                    svg += svgText(
                        TextMetrics.truncated(categories[category], toWidth: width - left - 2, fontSize: 12), x: left,
                        y: bandTop + padding / 2 + 11, cssClass: "label")
                } else {
                    svg += svgText(
                        categories[category], x: labelWidth - 8, y: groupTop + groupHeight / 2 + 4, anchor: "end",
                        cssClass: "label")
                }
            }
            svg += marks
            if let target {
                let targetX = x(target.value)
                svg +=
                    "<line class=\"target\" x1=\"\(svgNumber(targetX))\" x2=\"\(svgNumber(targetX))\" "
                    + "y1=\"\(svgNumber(top - 4))\" y2=\"\(svgNumber(top + plotHeight))\"/>\n"
                let anchor = edgeAwareAnchor(target.label, x: targetX, width: width, fontSize: 11)
                svg += svgText(
                    target.label, x: anchor == "end" ? width - 2 : anchor == "start" ? 2 : targetX, y: top - 7,
                    anchor: anchor, cssClass: "target-label")
            }
            svg += labels
        }

        var description =
            "\(panelTitle.map { "\($0): " } ?? "")\(orientation == .vertical ? "Vertical" : "Horizontal") "
            + "\(stacked ? "stacked " : "")bars for \(categories.count) \(categories.count == 1 ? "category" : "categories")"
            + (matrix.count > 1 ? " and \(matrix.count) series" : "") + "."
        let candidates: [(category: Int, value: Double)] =
            stacked
            ? categories.indices.map { ($0, totals[$0]) }
            : matrix.flatMap { values in categories.indices.compactMap { index in values[index].map { (index, $0) } } }
        if let largest = candidates.max(by: { $0.value < $1.value }) {
            description +=
                " Largest: \(categories[largest.category]), \(format.string(for: largest.value, style: .full))."
        }
        if let target { description += " Target: \(target.label)." }
        if let caption, !caption.isEmpty, panelTitle == nil { description = caption + " " + description }
        var result = svgOpen(
            id: id, width: width, height: height, title: panelTitle.map { "\(title): \($0)" } ?? title,
            description: description)
        if target != nil {
            result +=
                "<defs><pattern id=\"\(id)-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                + "patternTransform=\"rotate(45)\"><rect width=\"2.5\" height=\"6\" fill=\"#fff\" fill-opacity=\".75\"/>"
                + "</pattern></defs>\n"
        }
        result += svg + "</svg>\n"
        return (result, misses)
    }
}
