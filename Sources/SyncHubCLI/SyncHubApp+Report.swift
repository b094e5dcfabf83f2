import Foundation
import SyncHubAlignment
import SyncHubConfiguration
import SyncHubCore
import SyncHubReport
import SyncHubStore

extension SyncHubApp {
    // MARK: Configuration

    /// The alignment sections of the configuration (`stages`, `sla`, `report`, `push`), checked; problems exit 78.
    func alignmentConfiguration() throws -> AlignmentConfiguration {
        let connectors = instances.map { item in
            AlignmentConfiguration.ConnectorInfo(
                name: item.entry.name, isSales: (try? item.entry.settings.string("system")) == "sales",
                isFeedbackTarget: item.instance.feedback != nil)
        }
        do {
            return try AlignmentConfiguration(
                stages: configuration.section("stages"), sla: configuration.section("sla"),
                report: configuration.section("report"), push: configuration.section("push"), connectors: connectors)
        } catch let error as AlignmentConfigurationError {
            throw ConfigurationProblem(error.description)
        } catch {
            throw ConfigurationProblem(String(describing: error))
        }
    }

    // MARK: Stage ledger (after each pull)

    /// Updates the stage ledger and every person's current stage; `nil` without `stages:` definitions.
    func recordStages(store: StoreDatabase, runID: RunID?, alignment: AlignmentConfiguration) throws -> StageSummary? {
        guard !alignment.stages.isEmpty else { return nil }
        let started = ContinuousClock.now
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        let update = try StageLedger.update(store: store, configuration: alignment, now: now, runID: runID)
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        return StageSummary(update: update, seconds: Double(seconds) + Double(attoseconds) / 1e18)
    }

    struct StageSummary {
        var update: StageLedgerUpdate
        var seconds: Double
    }

    func printStageSummary(_ summary: StageSummary?) {
        guard let summary else { return }
        let update = summary.update
        let stages = Stage.allCases.compactMap { stage in
            update.byStage[stage.rawValue].map { "\(stage.label) \(Format.count($0))" }
        }
        console.line(
            "Stages: \(Format.count(update.persons)) persons (\(stages.joined(separator: ", "))); "
                + "\(Format.count(update.newEntries)) new ledger entries, \(Format.count(update.changedStages)) changed stage "
                + "in \(String(format: "%.2f", summary.seconds)) s")
    }

    /// Per feedback target with a `push:` stage mapping: the stage each person's items carry.
    func stagePolicies(store: StoreDatabase) throws -> [String: StagePushPolicy] {
        let alignment = try alignmentConfiguration()
        guard !alignment.push.isEmpty, !alignment.stages.isEmpty else { return [:] }
        let analysis = try AlignmentAnalysis.load(store: store, configuration: alignment)
        return alignment.push.mapValues { StagePushPolicy(mapping: $0, analysis: analysis) }
    }

    // MARK: Report

    /// `synchub report`: the shared numbers for a period, as tables, JSON, or a self-contained HTML page.
    func report(from: String?, to: String?, html: String?, top: Int) throws {
        let alignment = try alignmentConfiguration()
        let store = try openExistingStore()
        let analysis = try AlignmentAnalysis.load(store: store, configuration: alignment)
        let period = try reportPeriod(from: from, to: to, analysis: analysis)
        let report = analysis.report(period: period)
        if let html {
            try AlignmentPage.write(report, analysis: analysis, to: html)
            if !global.json { print("Wrote \(html) (readable by you only).") }
        }
        if global.json {
            console.printJSON(report)
        } else if html == nil {
            print(ReportText.render(report, settings: alignment, top: top))
        }
    }

    /// `synchub report attribution`: credit per campaign under each model, or one deal's credit explained.
    func attributionReport(deal: String?, from: String?, to: String?) throws {
        let alignment = try alignmentConfiguration()
        let store = try openExistingStore()
        let analysis = try AlignmentAnalysis.load(store: store, configuration: alignment)
        if let deal {
            guard let explained = analysis.attribution(deal: deal) else {
                let known = analysis.snapshot.deals.filter { $0.outcome == .won }.prefix(3).map(\.reference)
                throw CommandFailure(
                    "no won deal \(deal) in the store; give a won deal as connector:id"
                        + (known.isEmpty ? "." : ", such as \(known.joined(separator: ", ")).")
                        + " `synchub report attribution --json` lists them.")
            }
            if global.json { console.printJSON(explained) } else { print(ReportText.render(explained)) }
            return
        }
        let period = try reportPeriod(from: from, to: to, analysis: analysis)
        let deals = analysis.attributions(period: period)
        if global.json {
            struct Output: Encodable {
                var period: ReportPeriod
                var summary: AlignmentReport.AttributionSummary
                var deals: [DealAttribution]
            }
            console.printJSON(
                Output(period: period, summary: analysis.report(period: period).attribution, deals: deals))
        } else {
            let report = analysis.report(period: period)
            print(ReportText.attribution(report, top: Int.max))
            if let example = deals.first(where: { !$0.touches.isEmpty }) {
                print("\nOne deal's credit explained: synchub report attribution --deal \(example.deal)")
            }
        }
    }

    func reportPeriod(from: String?, to: String?, analysis: AlignmentAnalysis) throws -> ReportPeriod {
        guard analysis.asOf > 0 || to != nil else {
            throw CommandFailure("the store at \(storePath) holds no records yet: run `synchub pull` first.")
        }
        do {
            return try ReportPeriod.make(from: from, to: to, asOf: analysis.asOf)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

/// The report as one self-contained HTML page (SyncHubReport): the SLA, the funnel, velocity over time, revenue by
/// campaign under each attribution model, win/loss reasons, owners and sources, and the alignment checks.
enum AlignmentPage {
    /// Writes the page for `report` to `path`, mode 0600.
    static func write(_ report: AlignmentReport, analysis: AlignmentAnalysis, to path: String) throws {
        let page = make(report, checks: analysis.checks(asOf: report.period.asOfTime, examples: 3))
        do {
            try HTMLReport.write(page, to: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure("cannot write \(path): \(error). Check the folder exists and is writable.")
        }
    }

    static func money(_ currency: String) -> ValueFormat {
        switch currency {
        case "USD": .dollars
        case "EUR": .currency(symbol: "€")
        case "GBP": .currency(symbol: "£")
        default: .currency(symbol: currency + " ")
        }
    }

    static func date(_ month: String) -> Date {
        Date(timeIntervalSince1970: Double(Timestamps.milliseconds(month + "-01") ?? 0) / 1000)
    }

    static func make(_ report: AlignmentReport, checks: [CheckResult]) -> SyncHubReport.ReportPage {
        let cash = money(report.currency)
        let stageLabel = Stage(rawValue: report.leadVolume.stage)?.label ?? report.leadVolume.stage
        var sections: [ReportSection] = []

        // The agreement.
        let volume = report.leadVolume
        let follow = report.followUp
        let ownersFollowedUp = report.byOwner.filter { $0.assigned > 0 }.sorted {
            ($0.followUpShare ?? 0, $1.label) > ($1.followUpShare ?? 0, $0.label)
        }
        let perMonthStatus: ReportStatus? = volume.targetPerMonth.map {
            volume.averagePerMonth >= Double($0) ? .good : .bad
        }
        sections.append(
            ReportSection(
                title: "Service level agreement",
                note: "What marketing and sales agreed in connectors.yml (sla:), and how both teams did.",
                blocks: [
                    .kpis([
                        KPI(
                            "\(stageLabel)s a month", value: volume.averagePerMonth,
                            format: .decimal(fractionDigits: 1),
                            detail: volume.targetPerMonth.map {
                                "target \($0); met \(volume.monthsMet ?? 0) of \(volume.months.count) months"
                            },
                            status: perMonthStatus),
                        KPI(
                            "Followed up within \(Int(follow.withinHours)) h", value: follow.share, format: .percent,
                            detail: "target \(Int((follow.targetShare * 100).rounded()))%",
                            status: follow.met.map { $0 ? .good : .bad }),
                        KPI(
                            "Median follow-up", value: follow.medianHours, format: .hours,
                            detail: follow.p90Hours.map { "90th percentile \(String(format: "%.0f", $0)) h" }),
                        KPI(
                            "Never followed up", value: Double(follow.overdue), format: .integer,
                            detail: "of \(follow.assigned) assigned", status: follow.overdue == 0 ? .good : .warning),
                    ]),
                    .bars(
                        BarChart(
                            title: "\(stageLabel)s per month",
                            caption: "Entries into \(stageLabel) per calendar month against the agreed volume.",
                            categories: volume.months.map(\.month),
                            series: [ChartSeries("\(stageLabel)s", values: volume.months.map { Double($0.leads) })],
                            target: volume.targetPerMonth.map { TargetLine(Double($0), label: "SLA \($0)") })),
                    .lines(
                        LineChart(
                            title: "Follow-up SLA compliance",
                            caption:
                                "Share of people assigned each month whose first sales activity came within \(Int(follow.withinHours)) h.",
                            series: [
                                LineChart.Series(
                                    "within SLA", points: follow.months.map { .init(date($0.month), $0.share) })
                            ],
                            format: .percent,
                            target: TargetLine(
                                follow.targetShare, label: "SLA \(Int((follow.targetShare * 100).rounded()))%"),
                            scaleMaximum: 1)),
                    .bars(
                        BarChart(
                            title: "Followed up within \(Int(follow.withinHours)) h, by owner",
                            caption:
                                "Share of each owner's assigned people followed up within the SLA (never followed up counts as missed).",
                            categories: ownersFollowedUp.map(\.label),
                            series: [ChartSeries("within SLA", values: ownersFollowedUp.map(\.followUpShare))],
                            orientation: .horizontal, format: .percent,
                            target: TargetLine(
                                follow.targetShare, label: "SLA \(Int((follow.targetShare * 100).rounded()))%"),
                            scaleMaximum: 1)),
                ]))

        // Funnel.
        sections.append(
            ReportSection(
                title: "Funnel",
                note:
                    "From the stage ledger: how far the people who came in during the period got, and each stage's conversion.",
                blocks: [
                    .funnel(
                        FunnelChart(
                            title: "People who came in during the period, by the furthest stage reached",
                            caption:
                                "A stage skipped on the way (a lead converted straight to a contact) counts as reached.",
                            steps: report.cohort.map {
                                .init(Stage(rawValue: $0.stage)?.label ?? $0.stage, value: Double($0.reached))
                            },
                            emptyMessage: report.stagesConfigured
                                ? "No stage entries in this period."
                                : "No shared stages: add `stages:` to connectors.yml.")),
                    .table(
                        ReportTable(
                            title: "Entered each stage in the period",
                            columns: [
                                .init("stage"), .init("entered"), .init("got further"), .init("conversion"),
                                .init("median days"),
                            ],
                            rows: report.funnel.map {
                                [
                                    .text(Stage(rawValue: $0.stage)?.label ?? $0.stage),
                                    .value(Double($0.entered), .integer), .value(Double($0.reachedNext), .integer),
                                    .value($0.conversion, .percent), .value($0.medianDaysToNext, .days),
                                ]
                            })),
                ]))

        // Pipeline.
        let deals = report.deals
        sections.append(
            ReportSection(
                title: "Pipeline velocity",
                note:
                    "(open opportunities × win rate × average deal) ÷ sales cycle: money per day. Each month: deals open at its end, rates from deals closed in the 90 days before.",
                blocks: [
                    .kpis([
                        KPI("Velocity a day", value: deals.velocityPerDay, format: cash),
                        KPI(
                            "Open opportunities", value: Double(deals.openOpportunities),
                            detail: "worth " + ReportText.money(deals.openAmount) + " " + report.currency),
                        KPI(
                            "Win rate", value: deals.winRate, format: .percent,
                            detail: "\(deals.won) won, \(deals.lost) lost"),
                        KPI(
                            "Closure rate", value: deals.closureRate, format: .percent,
                            detail: "of \(deals.created) created"),
                        KPI("Average deal", value: deals.averageDeal, format: cash),
                        KPI("Sales cycle", value: deals.salesCycleDays, format: .days),
                    ]),
                    .lines(
                        LineChart(
                            title: "Pipeline velocity",
                            series: [
                                LineChart.Series(
                                    "per day", points: report.velocity.map { .init(date($0.month), $0.velocityPerDay) })
                            ],
                            format: cash)),
                    .lines(
                        LineChart(
                            title: "Win rate",
                            series: [
                                LineChart.Series(
                                    "win rate", points: report.velocity.map { .init(date($0.month), $0.winRate) })
                            ],
                            format: .percent, scaleMaximum: 1)),
                ]))

        // Attribution.
        let top = Array(report.attribution.campaigns.prefix(10))
        let models = AttributionModel.allCases
        sections.append(
            ReportSection(
                title: "Revenue by campaign",
                note:
                    "Won revenue of the period shared among each deal's touches before its close, under each attribution model. \(report.attribution.unattributedDeals) deal(s) had no touch.",
                blocks: [
                    .bars(
                        BarChart(
                            title: "Top campaigns by W-shaped credit", categories: top.map(\.name),
                            series: models.map { model in
                                ChartSeries(model.title, values: top.map { $0.credit[model.rawValue] ?? 0 })
                            },
                            orientation: .horizontal, layout: .smallMultiples, format: cash)),
                    .table(
                        ReportTable(
                            columns: [.init("campaign"), .init("channel")] + models.map { .init($0.title) },
                            rows: top.map { campaign in
                                [.text(campaign.name), .text(campaign.channel ?? "-")]
                                    + models.map { .value(campaign.credit[$0.rawValue] ?? 0, cash) }
                            })),
                ]))

        // Win/loss.
        let winLoss = report.winLoss
        sections.append(
            ReportSection(
                title: "Win and loss",
                note: "Deals closed in the period; losses by the reason sales gave.",
                blocks: [
                    .kpis([
                        KPI(
                            "Won", value: winLoss.wonAmount, format: cash, detail: "\(winLoss.won) deals", status: .good
                        ),
                        KPI(
                            "Lost", value: winLoss.lostAmount, format: cash, detail: "\(winLoss.lost) deals",
                            status: .neutral),
                    ]),
                    .bars(
                        BarChart(
                            title: "Loss reasons", categories: winLoss.reasons.map(\.reason),
                            series: [ChartSeries("deals", values: winLoss.reasons.map { Double($0.deals) })],
                            orientation: .horizontal)),
                ]))

        // Segments.
        func segmentTable(_ title: String, _ rows: [AlignmentReport.SegmentRow]) -> ReportBlock {
            .table(
                ReportTable(
                    title: "By \(title)",
                    columns: [
                        .init(title), .init("\(stageLabel)s"), .init("in SLA"), .init("median h"),
                        .init("opportunities"), .init("won"),
                        .init("win rate"), .init("won amount"), .init("avg deal"), .init("cycle"),
                    ],
                    rows: rows.prefix(15).map {
                        [
                            .text($0.label), .value(Double($0.leads), .integer), .value($0.followUpShare, .percent),
                            .value($0.medianFollowUpHours, .hours),
                            .value(Double($0.opportunities), .integer), .value(Double($0.won), .integer),
                            .value($0.winRate, .percent),
                            .value($0.wonAmount, cash), .value($0.averageDeal, cash), .value($0.salesCycleDays, .days),
                        ]
                    }))
        }
        sections.append(
            ReportSection(
                title: "Sources and owners",
                note:
                    "A person's source and campaign are those of their first touch; a deal's, those of its primary person.",
                blocks: [
                    .bars(
                        BarChart(
                            title: "Won revenue by source", categories: report.bySource.map(\.label),
                            series: [ChartSeries("won", values: report.bySource.map(\.wonAmount))], format: cash)),
                    segmentTable("source", report.bySource), segmentTable("owner", report.byOwner),
                ]))

        sections.append(
            ReportSection(
                title: "Alignment checks",
                note: "Counts against the limits in connectors.yml (sla.limits); synchub check lists example ids.",
                blocks: [
                    .table(
                        ReportTable(
                            columns: [.init("check"), .init("count"), .init("limit"), .init("status")],
                            rows: checks.map {
                                [
                                    .text($0.title), .value(Double($0.count), .integer),
                                    .value(Double($0.limit), .integer),
                                    $0.passed ? .status(.good, "within limit") : .status(.bad, "over limit"),
                                ]
                            }))
                ]))

        return SyncHubReport.ReportPage(
            title: "Marketing and sales alignment",
            subtitle:
                "\(report.period.from) to \(report.period.to), data as of \(report.period.asOf), amounts in \(report.currency)",
            sections: sections,
            footer:
                "Computed by synchub from the shared definitions in connectors.yml; definitions in docs/alignment.md.")
    }
}
