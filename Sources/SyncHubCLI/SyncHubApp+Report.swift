import Foundation
import SyncHubAlignment
import SyncHubConfiguration
import SyncHubCore
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

    /// The store, which must exist: reports and checks never create one.
    func openExistingStore() throws -> StoreDatabase {
        guard FileManager.default.fileExists(atPath: storePath) else {
            throw CommandFailure("no store at \(storePath) yet: run `synchub pull` first.")
        }
        return try openStore()
    }

    // MARK: Stage ledger (after each pull)

    /// Updates the stage ledger and every person's current stage; `nil` without `stages:` definitions.
    func recordStages(store: StoreDatabase, runID: RunID?, alignment: AlignmentConfiguration) throws -> StageSummary? {
        guard !alignment.stages.isEmpty else { return nil }
        let started = ContinuousClock.now
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        let update = try StageLedger.update(store: store, definitions: alignment.stages, now: now, runID: runID)
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
        let stages = Stage.allCases.compactMap { stage in update.byStage[stage.rawValue].map { "\(stage.label) \(Format.count($0))" } }
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
            try ReportPage.write(report, analysis: analysis, to: html)
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
            console.printJSON(Output(period: period, summary: analysis.report(period: period).attribution, deals: deals))
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
