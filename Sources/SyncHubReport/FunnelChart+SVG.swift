import Foundation

extension FunnelChart {
    /// Steps with finite, non-negative values.
    var plottableSteps: [Step] {
        steps.compactMap { step in plottable(step.value).map { Step(step.label, value: max(0, $0)) } }
    }

    /// The share of each step that reached the next one (`nil` when a step is zero).
    var conversions: [Double?] {
        let steps = plottableSteps
        return zip(steps, steps.dropFirst()).map { from, to in from.value > 0 ? to.value / from.value : nil }
    }

    /// The figure: centred bars as wide as their counts, joined by bands labelled with the conversion.
    func html(id: String, width: Double) -> String {
        let steps = plottableSteps
        guard let largest = steps.map(\.value).max(), largest > 0 else {
            return ChartFigure.empty(kind: "funnel", id: id, title: title, message: emptyMessage)
        }
        let conversions = conversions
        let labelWidth = min(steps.map { TextMetrics.width($0.label, fontSize: 13) }.max() ?? 0, width * 0.3) + 14
        let plotLeft = labelWidth
        let plotRight = width - 8
        let plotWidth = plotRight - plotLeft
        let center = (plotLeft + plotRight) / 2
        let rowHeight = 30.0
        let gap = 26.0
        let top = 6.0
        let overall = steps.count > 1 && steps[0].value > 0 ? steps[steps.count - 1].value / steps[0].value : nil
        let height = top + Double(steps.count) * rowHeight + Double(steps.count - 1) * gap + (overall == nil ? 8 : 34)

        var description = steps.enumerated().map { index, step in
            "\(step.label) \(format.string(for: step.value, style: .full))"
                + (index > 0
                    ? conversions[index - 1].map { " (\(ValueFormat.percent.string(for: $0)) of previous)" } ?? "" : "")
        }.joined(separator: ", ")
        if let caption, !caption.isEmpty { description = caption + " " + description }

        var svg = svgOpen(id: id, width: width, height: height, title: title, description: description)
        var geometry: [(x: Double, y: Double, width: Double)] = []
        for (index, step) in steps.enumerated() {
            let barWidth = step.value > 0 ? max(2, step.value / largest * plotWidth) : 0
            geometry.append((center - barWidth / 2, top + Double(index) * (rowHeight + gap), barWidth))
        }
        for index in steps.indices.dropLast() {
            let upper = geometry[index]
            let lower = geometry[index + 1]
            let y0 = upper.y + rowHeight
            let y1 = lower.y
            svg +=
                "<path class=\"funnel-band\" d=\"M\(svgNumber(upper.x)) \(svgNumber(y0))"
                + "L\(svgNumber(upper.x + upper.width)) \(svgNumber(y0))L\(svgNumber(lower.x + lower.width)) \(svgNumber(y1))"
                + "L\(svgNumber(lower.x)) \(svgNumber(y1))Z\"/>\n"
            if let conversion = conversions[index] {
                svg += svgText(
                    "↓ " + ValueFormat.percent.string(for: conversion), x: center, y: (y0 + y1) / 2 + 4,
                    anchor: "middle",
                    cssClass: "conversion")
            }
        }
        for (index, step) in steps.enumerated() {
            let bar = geometry[index]
            let valueText = format.fittingString(for: step.value)
            svg +=
                "<rect class=\"mark bar\" x=\"\(svgNumber(bar.x))\" y=\"\(svgNumber(bar.y))\" "
                + "width=\"\(svgNumber(bar.width))\" height=\"\(svgNumber(rowHeight))\" rx=\"3\" fill=\"\(Palette.color(0))\" "
                + "data-value=\"\(svgNumber(step.value))\"><title>\(escapeHTML(step.label)): "
                + "\(escapeHTML(format.string(for: step.value, style: .full)))</title></rect>\n"
            svg += svgText(
                TextMetrics.truncated(step.label, toWidth: labelWidth - 14, fontSize: 13), x: labelWidth - 10,
                y: bar.y + rowHeight / 2 + 4.5, anchor: "end", cssClass: "label")
            if bar.width >= TextMetrics.width(valueText, fontSize: 12) + 14 {
                svg += svgText(
                    valueText, x: center, y: bar.y + rowHeight / 2 + 4.5, anchor: "middle", cssClass: "value-in")
            } else {
                svg += svgText(
                    valueText, x: bar.x + bar.width + 6, y: bar.y + rowHeight / 2 + 4.5, cssClass: "value")
            }
        }
        if let overall, let first = steps.first, let last = steps.last {
            svg += svgText(
                "\(first.label) → \(last.label): \(ValueFormat.percent.string(for: overall)) overall", x: center,
                y: height - 10, anchor: "middle", cssClass: "chart-note")
        }
        svg += "</svg>\n"

        var rows: [[String]] = []
        for (index, step) in steps.enumerated() {
            let conversion =
                index == 0
                ? "" : conversions[index - 1].map { ValueFormat.percent.string(for: $0, style: .full) } ?? "—"
            rows.append([step.label, format.string(for: step.value, style: .full), conversion])
        }
        return ChartFigure(
            kind: "funnel", id: id, title: title, caption: caption, body: "<div class=\"plot-box\">\(svg)</div>\n",
            data: DataTable(headers: ["Step", "Count", "From previous"], rows: rows)
        ).html()
    }
}
