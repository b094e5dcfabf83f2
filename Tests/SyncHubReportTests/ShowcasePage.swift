import Foundation
import SyncHubReport

/// A realistic alignment report of a made-up company, using every block type: the page behind
/// `docs/images/report.png` and the Chromium tests.
enum ShowcasePage {
    static func date(_ year: Int, _ month: Int, _ day: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    static let page = ReportPage(
        title: "Marketing & sales alignment",
        subtitle: "Northwind Analytics · 1 Jan – 30 Sep 2026 · definitions from connectors.yml",
        generatedAt: date(2026, 10, 1).addingTimeInterval(7 * 3600 + 30 * 60),
        sections: [headline, funnel, velocity, sla, attribution, winLoss, owners],
        footer: "Stages, SLAs and attribution rules are the ones agreed in connectors.yml. Figures are computed "
            + "locally from the synchub store; revenue is closed-won amount in USD.")

    static let headline = ReportSection(
        title: "At a glance",
        blocks: [
            .kpis([
                KPI("MQLs", value: 1_284, detail: "target 1,200", status: .good),
                KPI("Followed up within SLA", value: 0.914, format: .percent, detail: "target 95%", status: .bad),
                KPI("Median follow-up", value: 3.4, format: .hours, detail: "p90 26.5 h; SLA 24 h", status: .warning),
                KPI("Win rate", value: 0.312, format: .percent, detail: "118 won of 378 closed"),
                KPI("Average deal", value: 48_250, format: .dollars, detail: "closed-won"),
                KPI("Pipeline velocity", value: 38_400, format: .dollars, detail: "a day; plan $25,000", status: .good),
            ])
        ])

    static let funnel = ReportSection(
        title: "Funnel",
        note: "People who reached each shared stage in the period, and the share that moved on to the next.",
        blocks: [
            .funnel(
                FunnelChart(
                    title: "Lead to customer",
                    caption: "Stages from the shared definitions; recycled and disqualified people leave the funnel.",
                    steps: [
                        .init("Lead", value: 6_420), .init("MQL", value: 1_284), .init("SAL", value: 1_031),
                        .init("SQL", value: 642), .init("Opportunity", value: 431), .init("Customer", value: 118),
                    ])),
            .bars(
                BarChart(
                    title: "Stage conversion by source",
                    categories: ["MQL → SAL", "SAL → SQL", "SQL → Opp.", "Opp. → Won"],
                    series: [
                        ChartSeries("Inbound", values: [0.86, 0.66, 0.70, 0.31]),
                        ChartSeries("Outbound", values: [0.71, 0.55, 0.64, 0.24]),
                        ChartSeries("Partner", values: [0.82, 0.61, 0.71, 0.38]),
                    ],
                    format: .percent, scaleMaximum: 1)),
        ])

    static let months = (1...9).map { date(2026, $0, 1) }

    static let velocity = ReportSection(
        title: "Pipeline velocity",
        note: "Open opportunities × win rate × average deal size ÷ sales cycle, in dollars per day, by month.",
        blocks: [
            .lines(
                LineChart(
                    title: "Velocity over time",
                    series: [
                        .init(
                            "Inbound",
                            points: zip(
                                months, [18_200, 19_900, 21_400, 20_100, 23_800, 25_600, 24_900, 27_300, 29_100]
                            ).map { .init($0, $1) }),
                        .init(
                            "Outbound",
                            points: zip(months, [9_800, 9_100, 10_400, 11_200, 10_300, 9_600, 11_800, 12_500, 12_100])
                                .map { .init($0, $1) }),
                        .init(
                            "Partner",
                            points: zip(months, [2_100, 2_600, nil, 3_900, 4_400, 4_100, 5_200, 5_800, 6_300]).map {
                                .init($0, $1)
                            }),
                    ],
                    format: .dollars, target: TargetLine(25_000, label: "Plan $25k/day"))),
            .lines(
                LineChart(
                    title: "Median follow-up time",
                    caption: "Hours from assignment to the first sales activity; the SLA is 24 hours.",
                    series: [
                        .init(
                            "Median",
                            points: zip(months, [6.1, 5.4, 4.8, 5.2, 4.1, 3.6, 3.9, 3.2, 3.4]).map { .init($0, $1) })
                    ],
                    format: .hours, target: TargetLine(24, label: "SLA 24 h", direction: .atMost))),
        ])

    static let sla = ReportSection(
        title: "SLA compliance",
        note: "Share of MQLs with a sales activity within 24 hours of assignment (agreed: 95%), and lead volume "
            + "against the monthly target.",
        blocks: [
            .bars(
                BarChart(
                    title: "Followed up within 24 h, by owner",
                    categories: [
                        "Avery Chen", "Jordan Patel", "Sam Okafor", "Riley Novak", "Morgan Silva", "Unassigned",
                    ],
                    series: [ChartSeries("Within SLA", values: [0.98, 0.96, 0.93, 0.91, 0.88, 0.42])],
                    orientation: .horizontal, format: .percent,
                    target: TargetLine(0.95, label: "SLA 95%"), scaleMaximum: 1)),
            .bars(
                BarChart(
                    title: "MQLs per month",
                    categories: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep"],
                    series: [
                        ChartSeries("Inbound", values: [71, 78, 90, 84, 95, 102, 88, 97, 109]),
                        ChartSeries("Outbound", values: [38, 35, 41, 44, 39, 36, 42, 40, 45]),
                        ChartSeries("Partner", values: [9, 11, 12, 10, 14, 13, 15, 12, 16]),
                    ],
                    layout: .stacked, target: TargetLine(133, label: "Target 133"))),
        ])

    static let campaigns = [
        "Data Mesh Webinar", "Q2 Analytics Summit", "Pricing page retargeting", "CFO Guide e-book",
        "Partner co-marketing", "Product Hunt launch", "Nurture: onboarding tips",
    ]

    static let attribution = ReportSection(
        title: "Revenue by campaign",
        note: "Closed-won revenue credited to campaigns under each attribution model ($5.69M won in the period).",
        blocks: [
            .bars(
                BarChart(
                    title: "Attributed revenue under each model",
                    caption: "Same scale in every panel: compare a campaign across models.",
                    categories: campaigns,
                    series: [
                        ChartSeries(
                            "First touch", values: [1_420_000, 980_000, 310_000, 1_150_000, 720_000, 640_000, 470_000]),
                        ChartSeries(
                            "Last touch", values: [610_000, 1_240_000, 1_380_000, 520_000, 690_000, 180_000, 1_060_000]),
                        ChartSeries(
                            "Linear", values: [930_000, 1_020_000, 860_000, 790_000, 720_000, 430_000, 940_000]),
                        ChartSeries(
                            "U-shaped", values: [1_080_000, 1_060_000, 820_000, 880_000, 710_000, 460_000, 680_000]),
                        ChartSeries(
                            "W-shaped", values: [990_000, 1_130_000, 900_000, 810_000, 740_000, 420_000, 700_000]),
                    ],
                    orientation: .horizontal, layout: .smallMultiples, format: .dollars))
        ])

    static let winLoss = ReportSection(
        title: "Win and loss reasons",
        note: "Reasons recorded on closed opportunities in the CRM.",
        blocks: [
            .bars(
                BarChart(
                    title: "Why we win",
                    categories: ["Time to value", "Integrations", "Support quality", "Price", "Security review"],
                    series: [ChartSeries("Won deals", values: [41, 33, 19, 14, 11])],
                    orientation: .horizontal)),
            .bars(
                BarChart(
                    title: "Why we lose",
                    categories: ["Price", "Chose competitor", "No decision", "Missing feature", "Timing", "Unknown"],
                    series: [ChartSeries("Lost deals", values: [74, 61, 48, 37, 22, 18])],
                    orientation: .horizontal)),
        ])

    static let owners = ReportSection(
        title: "By owner",
        blocks: [
            .table(
                ReportTable(
                    title: "Follow-up and outcomes per sales owner",
                    caption: "Median and 90th-percentile hours from assignment to first activity.",
                    columns: [
                        .init("Owner"), .init("MQLs"), .init("Median"), .init("p90"), .init("Within SLA"),
                        .init("SLA"), .init("Win rate"), .init("Won revenue"),
                    ],
                    rows: [
                        [
                            "Avery Chen", .value(262, .integer), .value(1.8, .hours), .value(9.5, .hours),
                            .value(0.98, .percent), .status(.good, "met"), .value(0.36, .percent),
                            .value(1_612_000, .dollars),
                        ],
                        [
                            "Jordan Patel", .value(241, .integer), .value(2.6, .hours), .value(14.2, .hours),
                            .value(0.96, .percent), .status(.good, "met"), .value(0.33, .percent),
                            .value(1_284_500, .dollars),
                        ],
                        [
                            "Sam Okafor", .value(236, .integer), .value(3.9, .hours), .value(27.0, .hours),
                            .value(0.93, .percent), .status(.warning, "close"), .value(0.30, .percent),
                            .value(1_101_250, .dollars),
                        ],
                        [
                            "Riley Novak", .value(228, .integer), .value(4.4, .hours), .value(31.8, .hours),
                            .value(0.91, .percent), .status(.bad, "missed"), .value(0.29, .percent),
                            .value(968_000, .dollars),
                        ],
                        [
                            "Morgan Silva", .value(219, .integer), .value(5.2, .hours), .value(40.1, .hours),
                            .value(0.88, .percent), .status(.bad, "missed"), .value(0.27, .percent),
                            .value(727_750, .dollars),
                        ],
                        [
                            "Unassigned", .value(98, .integer), .value(nil, .hours), .value(nil, .hours),
                            .value(0.42, .percent), .status(.bad, "missed"), .value(nil, .percent), .value(0, .dollars),
                        ],
                    ])),
            .text(
                "Unassigned MQLs wait for routing; 57 of them are past the SLA. Run synchub check to list them "
                    + "with their source records."),
        ])
}
