import ArgumentParser
import Foundation
import SyncHubAlignment

extension SyncHub {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Report the shared numbers: lead volume against the SLA, follow-up, funnel, velocity, win/loss, attribution.",
            subcommands: [Summary.self, Attribution.self], defaultSubcommand: Summary.self)

        struct Summary: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "summary",
                abstract:
                    "Every number for a period, as tables (default), JSON (--json) or an HTML page (--html FILE).",
                discussion: """
                    The period defaults to the twelve months up to the data's latest day. Definitions: docs/alignment.md.
                    """)
            @OptionGroup var global: GlobalOptions
            @Option(help: "First day of the period (YYYY-MM-DD); default: twelve months before --to.")
            var from: String?
            @Option(help: "Last day of the period (YYYY-MM-DD); default: the data's latest day.")
            var to: String?
            @Option(help: "Write a self-contained HTML page with charts to this file (mode 0600).")
            var html: String?
            @Option(help: "Rows per table for campaigns and attribution.")
            var top = 10

            func validate() throws {
                guard top > 0 else { throw ValidationError("--top must be at least 1") }
            }

            func run() async throws {
                try SyncHubApp(global).report(from: from, to: to, html: html, top: top)
            }
        }

        struct Attribution: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "attribution",
                abstract: "Won revenue by campaign under each attribution model, or one deal's credit explained.")
            @OptionGroup var global: GlobalOptions
            @Option(help: "Explain this won deal's credit, as connector:id (for example crm:0065g0000004C9bAAE).")
            var deal: String?
            @Option(help: "First day of the period (YYYY-MM-DD).")
            var from: String?
            @Option(help: "Last day of the period (YYYY-MM-DD).")
            var to: String?

            func run() async throws {
                try SyncHubApp(global).attributionReport(deal: deal, from: from, to: to)
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check alignment health: counts and example ids of what marketing and sales disagree on.",
            discussion: """
                Checks: MQLs with no owner, leads past the follow-up SLA, stage drift between systems, open \
                opportunities with no marketing touch, people unsubscribed in marketing but active in sales. Limits \
                per check come from `sla.limits` in the configuration (0 when unlisted). Exit codes: 0 when every \
                check is within its limit, or without --strict; 4 with --strict when any check is over its limit.
                """)
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Exit with code 4 when any check is over its limit.")
        var strict = false
        @Option(
            help:
                "Judge overdue follow-ups and activity as of this day (YYYY-MM-DD); default: the data's latest moment.")
        var asOf: String?
        @Option(help: "Example ids per check.")
        var examples = 5

        func validate() throws {
            guard examples >= 0 else { throw ValidationError("--examples must not be negative") }
        }

        func run() async throws {
            try SyncHubApp(global).check(strict: strict, asOf: asOf, examples: examples)
        }
    }
}

/// The report as text tables for a terminal.
enum ReportText {
    static func money(_ value: Double?) -> String {
        guard let value else { return "-" }
        return Format.count(Int(value.rounded()))
    }

    static func percent(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: "%.1f%%", value * 100)
    }

    static func number(_ value: Double?, _ digits: Int = 1) -> String {
        guard let value else { return "-" }
        return String(format: "%.\(digits)f", value)
    }

    static func render(_ report: AlignmentReport, settings: AlignmentConfiguration, top: Int) -> String {
        var out: [String] = []
        let period = report.period
        out.append(
            "Alignment report \(period.from) to \(period.to) (data as of \(period.asOf)), amounts in \(report.currency)"
        )
        if report.dealsWithoutRate > 0 {
            out.append(
                "  \(report.dealsWithoutRate) deal(s) in other currencies without an exchange rate are left out of amounts: add `report.exchangeRates`."
            )
        }
        if !report.stagesConfigured {
            out.append(
                "  No shared stages: add `stages:` to the configuration for the funnel, lead volume and follow-up (docs/alignment.md)."
            )
        } else {
            let stages = Stage.allCases.compactMap { stage in
                report.currentStages[stage.rawValue].map { "\(stage.label) \(Format.count($0))" }
            }
            out.append("Stages now: " + stages.joined(separator: ", "))
        }

        let volume = report.leadVolume
        let stageLabel = Stage(rawValue: volume.stage)?.label ?? volume.stage
        out.append("")
        var headline =
            "Lead volume: \(Format.count(volume.total)) \(stageLabel)s in \(volume.months.count) months, \(number(volume.averagePerMonth)) a month"
        if let target = volume.targetPerMonth, let met = volume.monthsMet {
            headline += "; SLA \(Format.count(target)) a month, met in \(met) of \(volume.months.count) months"
        }
        out.append(headline)
        out.append(
            Format.table(
                header: ["month", stageLabel + "s", "target", "met"],
                rows: volume.months.map {
                    [
                        $0.month, Format.count($0.leads), $0.target.map(Format.count) ?? "-",
                        $0.met.map { $0 ? "yes" : "NO" } ?? "-",
                    ]
                }))

        let follow = report.followUp
        out.append("")
        out.append(
            "Follow-up from assignment to first sales activity (SLA: \(number(follow.withinHours, 0)) h for \(percent(follow.targetShare))):"
        )
        out.append(
            "  \(Format.count(follow.assigned)) assigned: \(Format.count(follow.withinSLA)) within the SLA, \(Format.count(follow.late)) late, "
                + "\(Format.count(follow.overdue)) never followed up (overdue), \(Format.count(follow.pending)) pending"
        )
        out.append(
            "  within the SLA: \(percent(follow.share))\(follow.met.map { $0 ? " (met)" : " (NOT MET)" } ?? ""); "
                + "median \(number(follow.medianHours)) h, 90th percentile \(number(follow.p90Hours)) h")

        out.append("")
        out.append(
            "Funnel: people entering each stage in the period, and how many got further by \(String(period.asOf.prefix(10))):"
        )
        out.append(
            Format.table(
                header: ["stage", "entered", "got further", "conversion", "median days"],
                rows: report.funnel.map {
                    [
                        Stage(rawValue: $0.stage)?.label ?? $0.stage, Format.count($0.entered),
                        Format.count($0.reachedNext), percent($0.conversion), number($0.medianDaysToNext),
                    ]
                }))

        if let people = report.cohort.first?.reached, people > 0 {
            let steps = report.cohort.dropFirst().map {
                "\(Stage(rawValue: $0.stage)?.label ?? $0.stage) \(Format.count($0.reached)) (\(percent($0.share)))"
            }
            out.append(
                "  Of the \(Format.count(people)) people who came in during the period, by now: "
                    + steps.joined(separator: ", "))
        }

        let deals = report.deals
        out.append("")
        out.append("Deals:")
        out.append(
            "  created in the period \(Format.count(deals.created)), of which won \(Format.count(deals.createdAndWon)): closure rate \(percent(deals.closureRate))"
        )
        out.append(
            "  closed in the period: \(Format.count(deals.won)) won, \(Format.count(deals.lost)) lost: win rate \(percent(deals.winRate)); "
                + "won \(money(deals.wonAmount)); average deal \(money(deals.averageDeal)); sales cycle \(number(deals.salesCycleDays, 0)) days"
        )
        out.append(
            "  open now: \(Format.count(deals.openOpportunities)) (\(money(deals.openAmount))); pipeline velocity \(money(deals.velocityPerDay)) a day"
        )
        out.append(
            Format.table(
                header: ["month", "open", "win rate", "avg deal", "cycle d", "velocity/day"],
                rows: report.velocity.map {
                    [
                        $0.month, Format.count($0.openOpportunities), percent($0.winRate), money($0.averageDeal),
                        number($0.salesCycleDays, 0), money($0.velocityPerDay),
                    ]
                }))
        out.append(
            "  (each month: deals open at its end; win rate, deal size and cycle of deals closed in the 90 days before)"
        )

        let winLoss = report.winLoss
        out.append("")
        out.append(
            "Win/loss: \(Format.count(winLoss.won)) won (\(money(winLoss.wonAmount))), \(Format.count(winLoss.lost)) lost (\(money(winLoss.lostAmount))); loss reasons:"
        )
        out.append(
            Format.table(
                header: ["reason", "deals", "amount"],
                rows: winLoss.reasons.map { [$0.reason, Format.count($0.deals), money($0.amount)] }))

        for (title, rows) in [("source", report.bySource), ("owner", report.byOwner), ("campaign", report.byCampaign)] {
            out.append("")
            let shown = title == "campaign" ? Array(rows.prefix(top)) : rows
            out.append(
                "By \(title)"
                    + (shown.count < rows.count ? " (top \(shown.count) of \(rows.count) by won amount):" : ":"))
            out.append(segmentTable(title, shown, stageLabel: stageLabel))
        }

        out.append("")
        out.append(attribution(report, top: top))
        return out.joined(separator: "\n")
    }

    static func segmentTable(_ title: String, _ rows: [AlignmentReport.SegmentRow], stageLabel: String) -> String {
        Format.table(
            header: [
                title, stageLabel + "s", "assigned", "in SLA", "median h", "opps", "won", "lost", "win rate",
                "won amount", "avg deal", "cycle d",
            ],
            rows: rows.map {
                [
                    String($0.label.prefix(48)), Format.count($0.leads), Format.count($0.assigned),
                    percent($0.followUpShare),
                    number($0.medianFollowUpHours), Format.count($0.opportunities), Format.count($0.won),
                    Format.count($0.lost),
                    percent($0.winRate), money($0.wonAmount), money($0.averageDeal), number($0.salesCycleDays, 0),
                ]
            })
    }

    static func attribution(_ report: AlignmentReport, top: Int) -> String {
        let summary = report.attribution
        var out: [String] = []
        out.append(
            "Attribution of won revenue: \(Format.count(summary.deals)) deals won in the period, \(money(summary.wonRevenue)) \(report.currency); "
                + "\(Format.count(summary.unattributedDeals)) with no touch before the close (\(money(summary.unattributedRevenue)))"
        )
        let models = AttributionModel.allCases
        let shown = Array(summary.campaigns.prefix(top))
        out.append(
            Format.table(
                header: ["campaign"] + models.map(\.title),
                rows: shown.map { campaign in
                    [String(campaign.name.prefix(48))] + models.map { money(campaign.credit[$0.rawValue]) }
                }))
        if shown.count < summary.campaigns.count {
            out.append(
                "  ... \(summary.campaigns.count - shown.count) more campaigns (`synchub report attribution` lists all)"
            )
        }
        return out.joined(separator: "\n")
    }

    static func render(_ deal: DealAttribution) -> String {
        var out: [String] = []
        out.append(
            "Deal \(deal.deal): won \(money(deal.amount)) \(deal.currency), created \(deal.createdAt ?? "-"), closed \(deal.closeDate ?? "-")"
        )
        out.append("People: \(deal.persons.joined(separator: ", ")); lead created \(deal.leadCreatedAt ?? "-")")
        guard !deal.touches.isEmpty else {
            out.append("No marketing touch before the close: the revenue is unattributed.")
            return out.joined(separator: "\n")
        }
        out.append("Touches before the close, and each one's share under every model:")
        let models = AttributionModel.allCases
        out.append(
            Format.table(
                header: ["when", "campaign", "type", "milestones"] + models.map(\.title),
                rows: deal.touches.map { touch in
                    [
                        touch.occurredAt, String((touch.campaignName ?? touch.campaign ?? "-").prefix(36)), touch.type,
                        touch.roles.joined(separator: ", "),
                    ]
                        + models.map { model in
                            "\(percent(touch.shares[model.rawValue])) \(money(touch.credit[model.rawValue]))"
                        }
                }))
        out.append(
            """
            First touch: all to the first touch. Last touch: all to the last before the close. Linear: equal shares.
            U-shaped: 40% first touch, 40% lead-creation touch, 20% shared by the rest. W-shaped: 30% each to the first,
            lead-creation and opportunity-creation touches, 10% shared by the rest. A milestone's touch is the latest one at
            or before it; a touch standing for several milestones gets each share.
            """)
        return out.joined(separator: "\n")
    }

    static func checks(_ results: [CheckResult], asOf: String, strict: Bool) -> String {
        var out: [String] = ["Alignment checks as of \(asOf):"]
        out.append(
            Format.table(
                header: ["check", "count", "limit", "status"],
                rows: results.map {
                    [
                        $0.title, Format.count($0.count), Format.count($0.limit),
                        $0.passed ? "ok" : (strict ? "FAIL" : "over"),
                    ]
                }))
        for result in results where !result.examples.isEmpty {
            out.append("  \(result.title), for example: \(result.examples.joined(separator: "; "))")
        }
        let failed = results.filter { !$0.passed }.count
        out.append(
            failed == 0
                ? "Every check is within its limit."
                : "\(failed) check(s) over their limit (limits: `sla.limits` in the configuration)\(strict ? "" : "; --strict makes this exit 4")."
        )
        return out.joined(separator: "\n")
    }
}
