import Foundation
import SyncHubAlignment
import SyncHubCore
import SyncHubStore
import Testing

@testable import SyncHubCLI

/// `synchub report` as a process on generated sample companies.
@Suite(.serialized) struct ReportCommandTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(.timeLimit(.minutes(10))) func reportJSONHasEveryNumberAndTheStagesGoBackToMarketing() throws {
        let workspace = try SampleWorkspace(people: 600)
        defer { workspace.remove() }
        let sync = try SyncHubProcess.run(["sync"], in: workspace.path)
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stdout.contains("Stages: "))
        #expect(sync.stdout.contains("crm/activities"))

        let result = try SyncHubProcess.run(["report", "--json"], in: workspace.path)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        let period = try #require(report["period"] as? [String: Any])
        #expect(period["from"] as? String == "2025-11-01" && period["to"] as? String == "2026-10-31")
        #expect(report["currency"] as? String == "USD")
        let volume = try #require(report["leadVolume"] as? [String: Any])
        #expect((volume["months"] as? [Any])?.count == 12)
        #expect((volume["total"] as? Int ?? 0) > 0)
        let followUp = try #require(report["followUp"] as? [String: Any])
        #expect((followUp["assigned"] as? Int ?? 0) > 0)
        #expect((followUp["medianHours"] as? Double ?? 0) > 0)
        let funnel = try #require(report["funnel"] as? [[String: Any]])
        #expect(funnel.map { $0["stage"] as? String } == ["lead", "mql", "sal", "sql", "opportunity", "customer"])
        let deals = try #require(report["deals"] as? [String: Any])
        #expect((deals["won"] as? Int ?? 0) > 0 && (deals["velocityPerDay"] as? Double ?? 0) > 0)
        #expect(((report["winLoss"] as? [String: Any])?["reasons"] as? [Any])?.isEmpty == false)
        #expect((report["byOwner"] as? [Any])?.isEmpty == false)
        let attribution = try #require(report["attribution"] as? [String: Any])
        #expect(attribution["models"] as? [String] == ["first-touch", "last-touch", "linear", "u-shaped", "w-shaped"])
        let campaigns = try #require(attribution["campaigns"] as? [[String: Any]])
        #expect(!campaigns.isEmpty)
        // Every model shares out the same attributed revenue.
        let totals = AttributionModel.allCases.map { model in
            campaigns.reduce(0.0) { $0 + (($1["credit"] as? [String: Double])?[model.rawValue] ?? 0) }
        }
        #expect(totals.allSatisfy { abs($0 - totals[0]) < 1 })

        // One self-contained page with the charts, for its owner only.
        let page = try SyncHubProcess.run(["report", "--html", "out/alignment.html"], in: workspace.path)
        #expect(page.status == 0, "\(page.stderr)")
        #expect(try workspace.permissions(of: "out/alignment.html") == 0o600)
        let html = try String(contentsOfFile: workspace.path + "/out/alignment.html", encoding: .utf8)
        for title in [
            "Service level agreement", "Funnel", "Pipeline velocity", "Revenue by campaign", "Win and loss",
            "Sources and owners", "Alignment checks", "W-shaped",
        ] {
            #expect(html.contains(title), "\(title)")
        }
        #expect(html.components(separatedBy: "<svg").count - 1 >= 8, "the charts are drawn as inline SVG")
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
        #expect(
            html.range(of: #"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\."#, options: .regularExpression) == nil,
            "no email addresses")

        // The shared stage rides along with the win/loss feedback.
        let feedback = try String(contentsOfFile: workspace.path + "/out/feedback.jsonl", encoding: .utf8)
        #expect(feedback.contains("\"lifecycle_stage\":\"customer\""))
        #expect(feedback.contains("\"lifecycle_stage\":\"opportunity\""))

        // A second pull adds nothing to the ledger.
        let store = try StoreDatabase(path: workspace.path + "/synchub.sqlite")
        let before = try store.stageLedger().count
        #expect(before > 0)
        let again = try SyncHubProcess.run(["pull"], in: workspace.path)
        #expect(again.stdout.contains(" 0 new ledger entries"), "\(again.stdout)")
        #expect(try store.stageLedger().count == before)
    }

    @Test(.timeLimit(.minutes(10))) func tablesAndOneDealsCreditExplained() throws {
        let workspace = try SampleWorkspace(people: 400)
        defer { workspace.remove() }
        #expect(try SyncHubProcess.run(["pull"], in: workspace.path).status == 0)

        let text = try SyncHubProcess.run(["report", "--from", "2026-01-01", "--to", "2026-06-30"], in: workspace.path)
        #expect(text.status == 0, "\(text.stderr)")
        for heading in [
            "Alignment report 2026-01-01 to 2026-06-30", "Lead volume", "Follow-up", "Funnel", "Deals:",
            "Win/loss", "By source", "By owner", "By campaign", "Attribution of won revenue",
        ] {
            #expect(text.stdout.contains(heading), "\(heading)")
        }
        #expect(!text.stdout.contains("@"), "no email addresses in the report")

        let list = try SyncHubProcess.run(["report", "attribution", "--json"], in: workspace.path)
        #expect(list.status == 0, "\(list.stderr)")
        let deals = try #require(try json(list.stdout)["deals"] as? [[String: Any]])
        let touched = try #require(deals.first { ($0["touches"] as? [Any])?.isEmpty == false })
        let reference = try #require(touched["deal"] as? String)

        let explained = try SyncHubProcess.run(["report", "attribution", "--deal", reference], in: workspace.path)
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.contains("Deal \(reference): won"))
        #expect(explained.stdout.contains("first touch"))
        #expect(explained.stdout.contains("W-shaped"))

        let missing = try SyncHubProcess.run(["report", "attribution", "--deal", "crm:nope"], in: workspace.path)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no won deal crm:nope"))

        let badDate = try SyncHubProcess.run(["report", "--from", "yesterday"], in: workspace.path)
        #expect(badDate.status == 1 && badDate.stderr.contains("YYYY-MM-DD"))
    }

    @Test(.timeLimit(.minutes(10))) func aTypoInTheStagesNamesTheLine() throws {
        let workspace = try SampleWorkspace(people: 20)
        defer { workspace.remove() }
        let config = try String(contentsOfFile: workspace.path + "/connectors.yml", encoding: .utf8)
            .replacingOccurrences(of: "\n  mql:\n", with: "\n  mqll:\n")
        try config.write(toFile: workspace.path + "/connectors.yml", atomically: true, encoding: .utf8)
        let line = try #require(config.components(separatedBy: "\n").firstIndex(of: "  mqll:")) + 1
        for command in [["validate"], ["report"], ["pull"]] {
            let result = try SyncHubProcess.run(command, in: workspace.path)
            #expect(result.status == 78, "\(command)")
            #expect(result.stderr.contains("connectors.yml:\(line):"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("did you mean 'mql'"), "\(command)")
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/synchub.sqlite"), "nothing ran")
    }

    @Test func theFeedbackPlanNeverMovesAStageBackwards() throws {
        let mapping = StagePushMapping(
            target: "marketing", values: [.opportunity: "opportunity", .customer: "customer"])
        let policy = StagePushPolicy(mapping: mapping, stages: ["P1": .opportunity, "P2": .customer])
        let rows = ["P1", "P2"].map { person in
            PersonFeedbackRow(personID: person, email: nil, feedback: PersonFeedback(outcome: .open), contacts: [])
        }
        // P1 was pushed as a customer; P2 as an opportunity.
        func state(_ person: String, _ stage: String) -> PushedState {
            var item = FeedbackItem(
                recordKey: person, personID: person, email: nil, feedback: PersonFeedback(outcome: .open),
                idempotencyKey: "")
            item.feedback.lifecycleStage = stage
            let payload = PushedState.payload(for: item)
            return PushedState(
                recordKey: person, personID: person, payloadHash: PushedState.hash(of: payload), payload: payload)
        }
        let plan = FeedbackPlan.make(
            target: "marketing", addressing: .persons, rows: rows,
            pushed: ["P1": state("P1", "customer"), "P2": state("P2", "opportunity")], stages: policy)
        #expect(plan.unchanged == 1)  // P1 stays a customer
        #expect(plan.updates.map(\.item.personID) == ["P2"])
        #expect(plan.updates.first?.item.feedback.lifecycleStage == "customer")
        #expect(
            FeedbackPlan.diff(from: plan.updates[0].previous, to: plan.updates[0].payload).map(\.field) == [
                "lifecycle_stage"
            ])
    }
}
