public import Foundation

/// A report page: a header and sections of blocks, rendered by ``HTMLReport`` into one self-contained HTML file.
///
/// The model is generic: it knows charts, tables and figures, not any particular metric. Every string is escaped on
/// output, so names that come from data are safe.
public struct ReportPage: Sendable, Hashable {
    /// The page title (also the document `<title>`).
    public var title: String
    /// One line under the title, e.g. the period and the store it was computed from.
    public var subtitle: String?
    /// Shown in the header (UTC) when given; the renderer never reads the clock, so equal pages render to equal bytes.
    public var generatedAt: Date?
    public var sections: [ReportSection]
    /// A line at the bottom of the page, e.g. how the numbers were computed.
    public var footer: String?

    public init(
        title: String, subtitle: String? = nil, generatedAt: Date? = nil, sections: [ReportSection],
        footer: String? = nil
    ) {
        self.title = title
        self.subtitle = subtitle
        self.generatedAt = generatedAt
        self.sections = sections
        self.footer = footer
    }
}

/// A titled part of the page holding blocks (figures, charts, tables, text).
public struct ReportSection: Sendable, Hashable {
    public var title: String
    /// A sentence under the title saying how to read the section.
    public var note: String?
    public var blocks: [ReportBlock]

    public init(title: String, note: String? = nil, blocks: [ReportBlock]) {
        self.title = title
        self.note = note
        self.blocks = blocks
    }
}

/// One piece of content in a section.
public enum ReportBlock: Sendable, Hashable {
    /// A row of headline figures.
    case kpis([KPI])
    /// Decreasing bars with the conversion between steps.
    case funnel(FunnelChart)
    /// Grouped, stacked or small-multiple bars, vertical or horizontal, with an optional target line.
    case bars(BarChart)
    /// Time series, one line per series, with an optional target line.
    case lines(LineChart)
    case table(ReportTable)
    /// Plain text; blank lines start new paragraphs.
    case text(String)
}

/// Whether a figure meets its agreement; shown with a colour *and* a symbol (✓ ! ✗), never colour alone. Table cells
/// add a visible word; headline figures carry the word for screen readers and let their detail say the rest.
public enum ReportStatus: String, Sendable, Hashable, CaseIterable {
    case good, warning, bad, neutral
}

/// A headline figure: "Win rate 31.2%", with an optional detail line and status.
public struct KPI: Sendable, Hashable {
    public var label: String
    /// `nil` shows a dash (no data).
    public var value: Double?
    public var format: ValueFormat
    /// A short line under the value, e.g. "target 95%" or "p90 41 h".
    public var detail: String?
    public var status: ReportStatus?

    public init(
        _ label: String, value: Double?, format: ValueFormat = .integer, detail: String? = nil,
        status: ReportStatus? = nil
    ) {
        self.label = label
        self.value = value
        self.format = format
        self.detail = detail
        self.status = status
    }
}

/// A line across a chart at an agreed value, e.g. the 95% follow-up SLA.
public struct TargetLine: Sendable, Hashable {
    /// Which side of the line meets the target.
    public enum Direction: String, Sendable, Hashable {
        /// Values at or above the line meet it (compliance, lead volume).
        case atLeast
        /// Values at or below the line meet it (follow-up hours).
        case atMost
    }

    public var value: Double
    /// Shown next to the line, e.g. "SLA 95%".
    public var label: String
    public var direction: Direction

    public init(_ value: Double, label: String, direction: Direction = .atLeast) {
        self.value = value
        self.label = label
        self.direction = direction
    }

    /// Whether `value` meets the target.
    public func isMet(by value: Double) -> Bool {
        switch direction {
        case .atLeast: value >= self.value
        case .atMost: value <= self.value
        }
    }
}

/// A funnel: steps with decreasing counts, and the conversion from each step to the next.
public struct FunnelChart: Sendable, Hashable {
    public struct Step: Sendable, Hashable {
        public var label: String
        public var value: Double

        public init(_ label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    public var title: String
    /// A sentence under the chart; also the chart's accessible description.
    public var caption: String?
    public var steps: [Step]
    public var format: ValueFormat
    /// Shown instead of the chart when there are no steps or all are zero.
    public var emptyMessage: String

    public init(
        title: String, caption: String? = nil, steps: [Step], format: ValueFormat = .integer,
        emptyMessage: String = "No records in this period."
    ) {
        self.title = title
        self.caption = caption
        self.steps = steps
        self.format = format
        self.emptyMessage = emptyMessage
    }
}

/// One named series of values, aligned with a bar chart's categories (`nil`: no value).
public struct ChartSeries: Sendable, Hashable {
    public var name: String
    public var values: [Double?]

    public init(_ name: String, values: [Double?]) {
        self.name = name
        self.values = values
    }
}

/// Bars for categories, one bar per series in each category.
public struct BarChart: Sendable, Hashable {
    public enum Orientation: String, Sendable, Hashable {
        /// Bars grow upwards; categories along the bottom.
        case vertical
        /// Bars grow rightwards; categories down the left (best for long names and rankings).
        case horizontal
    }

    public enum Layout: String, Sendable, Hashable {
        /// Series side by side within each category.
        case grouped
        /// Series on top of each other; the bar is the category total.
        case stacked
        /// One small panel per series, all on the same scale (e.g. revenue by campaign under each model).
        case smallMultiples
    }

    public var title: String
    public var caption: String?
    public var categories: [String]
    /// One value per category each; a single series draws plain bars without a legend.
    public var series: [ChartSeries]
    public var orientation: Orientation
    public var layout: Layout
    public var format: ValueFormat
    /// A line at the agreed value; bars that miss it are hatched and say so in their tooltip.
    public var target: TargetLine?
    /// The value axis reaches at least this (e.g. `1` for a 0–100% scale).
    public var scaleMaximum: Double?
    public var emptyMessage: String

    public init(
        title: String, caption: String? = nil, categories: [String], series: [ChartSeries],
        orientation: Orientation = .vertical, layout: Layout = .grouped, format: ValueFormat = .integer,
        target: TargetLine? = nil, scaleMaximum: Double? = nil, emptyMessage: String = "No records in this period."
    ) {
        self.title = title
        self.caption = caption
        self.categories = categories
        self.series = series
        self.orientation = orientation
        self.layout = layout
        self.format = format
        self.target = target
        self.scaleMaximum = scaleMaximum
        self.emptyMessage = emptyMessage
    }
}

/// Time series: one line per series over dates, with axes, ticks and a legend.
public struct LineChart: Sendable, Hashable {
    public struct Point: Sendable, Hashable {
        public var date: Date
        /// `nil` leaves a gap in the line.
        public var value: Double?

        public init(_ date: Date, _ value: Double?) {
            self.date = date
            self.value = value
        }
    }

    public struct Series: Sendable, Hashable {
        public var name: String
        public var points: [Point]

        public init(_ name: String, points: [Point]) {
            self.name = name
            self.points = points
        }
    }

    public var title: String
    public var caption: String?
    public var series: [Series]
    public var format: ValueFormat
    public var target: TargetLine?
    /// The value axis reaches at least this.
    public var scaleMaximum: Double?
    public var emptyMessage: String

    public init(
        title: String, caption: String? = nil, series: [Series], format: ValueFormat = .integer,
        target: TargetLine? = nil, scaleMaximum: Double? = nil, emptyMessage: String = "No records in this period."
    ) {
        self.title = title
        self.caption = caption
        self.series = series
        self.format = format
        self.target = target
        self.scaleMaximum = scaleMaximum
        self.emptyMessage = emptyMessage
    }
}

/// A table of text and formatted numbers.
public struct ReportTable: Sendable, Hashable {
    public struct Column: Sendable, Hashable {
        public enum Alignment: String, Sendable, Hashable {
            /// Numbers to the right, text to the left.
            case automatic
            case leading, trailing
        }

        public var title: String
        public var alignment: Alignment

        public init(_ title: String, alignment: Alignment = .automatic) {
            self.title = title
            self.alignment = alignment
        }
    }

    public enum Cell: Sendable, Hashable, ExpressibleByStringLiteral {
        case text(String)
        /// A number shown in full (`1,234`, `$48,200`, `42.3%`); `nil` shows a dash.
        case value(Double?, ValueFormat)
        /// A word with its status symbol and colour, e.g. `.status(.bad, "missed")`.
        case status(ReportStatus, String)

        public init(stringLiteral value: String) { self = .text(value) }
    }

    public var title: String?
    public var caption: String?
    public var columns: [Column]
    public var rows: [[Cell]]
    public var emptyMessage: String

    public init(
        title: String? = nil, caption: String? = nil, columns: [Column], rows: [[Cell]],
        emptyMessage: String = "No rows."
    ) {
        self.title = title
        self.caption = caption
        self.columns = columns
        self.rows = rows
        self.emptyMessage = emptyMessage
    }
}
