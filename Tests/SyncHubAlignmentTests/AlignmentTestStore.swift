import Foundation
import GRDB
import SyncHubAlignment
import SyncHubCore
import SyncHubStore

/// A real SQLite store in a temporary folder, filled through ``StoreDatabase/commit`` like a pull, with persons
/// linked directly (these tests are about alignment, not identity resolution).
final class AlignmentTestStore {
    let folder: URL
    let store: StoreDatabase

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("synchub-alignment-\(UUID().uuidString)")
        store = try StoreDatabase(path: folder.appendingPathComponent("store.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Lands records as one batch of `stream`.
    func commit(_ connector: String, _ stream: String, _ records: [SourceRecord]) throws {
        guard let type = records.first?.objectType else { return }
        _ = try store.commit(
            RecordBatch(records: records, checkpoint: nil), connector: connector,
            stream: StreamDescriptor(name: stream, objectType: type), deletingAllExcept: nil, runID: nil)
    }

    /// Makes `person` the person of each `connector:id` contact record.
    func link(_ person: String, _ references: String...) throws {
        try store.writer.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO person (id, founded_by) VALUES (?, ?)", arguments: [person, references[0]])
            for reference in references {
                let parts = reference.split(separator: ":", maxSplits: 1).map(String.init)
                try db.execute(
                    sql: """
                        INSERT INTO person_link (connector, object_type, external_id, person_id, rule, evidence)
                        VALUES (?, 'contact', ?, ?, 'test', 'test')
                        ON CONFLICT (connector, object_type, external_id) DO UPDATE SET person_id = excluded.person_id
                        """,
                    arguments: [parts[0], parts[1], person])
            }
        }
    }

    func ledger(_ person: String) throws -> [StageLedgerEntry] {
        try store.stageLedger().filter { $0.personID == person }
    }

    func analysis(_ configuration: AlignmentConfiguration) throws -> AlignmentAnalysis {
        try AlignmentAnalysis.load(store: store, configuration: configuration)
    }

    // MARK: Records

    static func payload(_ fields: [(String, String?)]) -> [UInt8] { JSONWriter.object(fields) }

    static func contact(
        _ id: String, kind: String = "contact", lifecycle: String? = nil, leadStatus: String? = nil,
        owner: String? = nil,
        created: String? = nil, updated: String? = nil, raw: [(String, String?)] = []
    ) -> SourceRecord {
        var contact = Contact()
        contact.kind = kind
        contact.lifecycleStage = lifecycle
        contact.leadStatus = leadStatus
        contact.owner = owner
        contact.createdAt = created
        return SourceRecord(
            objectType: .contact, externalID: id,
            payload: payload(
                [("id", id), ("lifecycle", lifecycle), ("status", leadStatus), ("updated", updated)] + raw),
            sourceUpdatedAt: updated, normalized: .contact(contact))
    }

    static func deal(
        _ id: String, outcome: DealOutcome, amount: Double?, created: String, close: String? = nil,
        currency: String = "USD",
        lossReason: String? = nil, owner: String? = nil, updated: String? = nil
    ) -> SourceRecord {
        var deal = Deal()
        deal.outcome = outcome
        deal.amount = amount
        deal.createdAt = created
        deal.closeDate = close
        deal.currency = currency
        deal.lossReason = lossReason
        deal.owner = owner
        deal.stage = outcome == .won ? "Closed Won" : outcome == .lost ? "Closed Lost" : "Proposal"
        return SourceRecord(
            objectType: .deal, externalID: id,
            payload: payload([("id", id), ("outcome", outcome.rawValue), ("updated", updated)]),
            sourceUpdatedAt: updated ?? created, normalized: .deal(deal))
    }

    static func dealContact(_ deal: String, _ contact: String, primary: Bool = true) -> SourceRecord {
        let link = DealContactLink(dealID: deal, contactID: contact, isPrimary: primary)
        return SourceRecord(
            objectType: .dealContact, externalID: link.externalID,
            payload: payload([("deal", deal), ("contact", contact)]),
            normalized: .dealContact(link))
    }

    static func touch(_ id: String, contact: String, campaign: String?, type: String, at time: String) -> SourceRecord {
        var touch = Touch()
        touch.contactID = contact
        touch.campaignID = campaign
        touch.type = type
        touch.occurredAt = time
        return SourceRecord(
            objectType: .touch, externalID: id, payload: payload([("id", id), ("type", type), ("at", time)]),
            sourceUpdatedAt: time, normalized: .touch(touch))
    }

    static func campaign(_ id: String, name: String, channel: String) -> SourceRecord {
        var campaign = Campaign()
        campaign.name = name
        campaign.channel = channel
        return SourceRecord(
            objectType: .campaign, externalID: id, payload: payload([("id", id), ("name", name)]),
            normalized: .campaign(campaign))
    }

    static func activity(
        _ id: String, contact: String, type: String = "call", at time: String, status: String = "Completed"
    ) -> SourceRecord {
        var activity = Activity()
        activity.contactID = contact
        activity.type = type
        activity.occurredAt = time
        activity.status = status
        return SourceRecord(
            objectType: .activity, externalID: id,
            payload: payload([("id", id), ("type", type), ("at", time), ("status", status)]),
            sourceUpdatedAt: time, normalized: .activity(activity))
    }
}

/// Milliseconds of an ISO-8601 time, for expectations.
func ms(_ text: String) -> Int64 { Timestamps.milliseconds(text)! }

// MARK: Configuration built in code

/// A configuration node at a made-up line of `connectors.yml`, so errors can name it.
func node(_ value: String, line: Int = 1) -> SettingNode {
    SettingNode(.scalar(value), location: SourceLocation(file: "connectors.yml", line: line, column: 5))
}

func node(_ values: [String], line: Int = 1) -> SettingNode {
    SettingNode(
        .list(values.map { node($0, line: line) }),
        location: SourceLocation(file: "connectors.yml", line: line, column: 5))
}

func node(_ entries: KeyValuePairs<String, SettingNode>, line: Int = 1) -> SettingNode {
    SettingNode(
        .map(entries.map { (key: $0.key, keyLocation: $0.value.location, value: $0.value) }),
        location: SourceLocation(file: "connectors.yml", line: line, column: 3))
}

func section(_ name: String, _ node: SettingNode) -> Settings { Settings(node: node, path: name) }

let marketingAndCRM = [
    AlignmentConfiguration.ConnectorInfo(name: "marketing", isSales: false, isFeedbackTarget: true),
    AlignmentConfiguration.ConnectorInfo(name: "crm", isSales: true, isFeedbackTarget: false),
]

/// The shared stages the tests use: marketing's lifecycle and dates, the CRM's lead status, kinds, activities and
/// deals.
func testStages() -> SettingNode {
    node([
        "lead": node([
            "marketing": node([
                "lifecycleStage": node(["subscriber", "lead"]), "enteredAt": node(["Became a Lead Date", "createdAt"]),
            ]),
            "crm": node(["kind": node("lead"), "enteredAt": node("createdAt")]),
        ]),
        "mql": node([
            "marketing": node([
                "lifecycleStage": node("marketingqualifiedlead"),
                "enteredAt": node("Became a Marketing Qualified Lead Date"),
            ])
        ]),
        "sal": node(["crm": node(["lifecycleStage": node("Working - Contacted"), "activityType": node("any")])]),
        "sql": node(["crm": node(["kind": node("contact"), "enteredAt": node("createdAt")])]),
        "opportunity": node([
            "marketing": node(["lifecycleStage": node("opportunity")]),
            "crm": node(["dealOutcome": node("open")]),
        ]),
        "customer": node([
            "marketing": node(["lifecycleStage": node("customer")]),
            "crm": node(["dealOutcome": node("won")]),
        ]),
        "recycled": node(["crm": node(["lifecycleStage": node("Recycled")])]),
        "disqualified": node(["crm": node(["lifecycleStage": node("Closed - Not Converted")])]),
    ])
}

func testConfiguration(sla: SettingNode? = nil, report: SettingNode? = nil, push: SettingNode? = nil) throws
    -> AlignmentConfiguration
{
    try AlignmentConfiguration(
        stages: section("stages", testStages()), sla: sla.map { section("sla", $0) },
        report: report.map { section("report", $0) }, push: push.map { section("push", $0) },
        connectors: marketingAndCRM)
}
