import GRDB
public import SyncHubCore

/// The feedback derived for one person, with where to send it.
public struct PersonFeedbackRow: Sendable, Hashable {
    public var personID: String
    /// The person's best email: a live contact's, the most recently updated first.
    public var email: String?
    public var feedback: PersonFeedback
    /// Every contact record linked to the person, in key order.
    public var contacts: [RecordReference]

    public init(personID: String, email: String?, feedback: PersonFeedback, contacts: [RecordReference]) {
        self.personID = personID
        self.email = email
        self.feedback = feedback
        self.contacts = contacts
    }
}

/// What was last pushed to a target for one record key.
public struct PushedState: Sendable, Hashable {
    public var recordKey: String
    public var personID: String
    /// ``PushedState/hash(of:)`` of ``payload``: equal hashes mean nothing to push.
    public var payloadHash: Int64
    /// The pushed item as JSON (``PushedState/payload(for:)``).
    public var payload: String

    public init(recordKey: String, personID: String, payloadHash: Int64, payload: String) {
        self.recordKey = recordKey
        self.personID = personID
        self.payloadHash = payloadHash
        self.payload = payload
    }

    /// The stored form of an item: its feedback fields and email as a JSON object, in a stable order.
    public static func payload(for item: FeedbackItem) -> String {
        String(decoding: JSONWriter.object(item.feedback.fields + [("email", item.email)]), as: UTF8.self)
    }

    /// The fingerprint of a payload; compare it with ``payloadHash`` to tell whether an item changed.
    public static func hash(of payload: String) -> Int64 { ContentHash.of(payload) }
}

extension StoreDatabase {
    /// Per person with at least one linked, live deal: the latest deal's outcome and terms, deal count, won revenue,
    /// best email and linked contact records, ordered by person id.
    ///
    /// A deal reaches a person through a live `deal_contact` row of the same connector whose contact is linked to
    /// the person. The latest deal has the greatest `coalesce(close_date, created_at)`, then connector, then id.
    public func personFeedback() throws -> [PersonFeedbackRow] {
        try writer.read { db in
            struct DealFacts {
                var reference: String
                var outcome: DealOutcome
                var amount: Double?
                var currency: String?
                var closeDate: String?
                var lossReason: String?
                var sortKey: (String, String, String)
            }
            var deals: [String: [String: DealFacts]] = [:]
            try db.forEachRow(sql: """
                SELECT DISTINCT l.person_id, d.connector, d.external_id, d.outcome, d.amount, d.currency, d.close_date,
                       d.created_at, d.loss_reason
                FROM person_link l
                JOIN deal_contact dc ON dc.connector = l.connector AND dc.contact_id = l.external_id AND dc.is_deleted = 0
                JOIN deal d ON d.connector = dc.connector AND d.external_id = dc.deal_id AND d.is_deleted = 0
                WHERE l.object_type = 'contact'
                """
            ) { row in
                let person = row.string(0) ?? ""
                let connector = row.string(1) ?? ""
                let id = row.string(2) ?? ""
                let closeDate = row.string(6)
                let facts = DealFacts(
                    reference: connector + ":" + id,
                    outcome: DealOutcome(rawValue: row.string(3) ?? "") ?? .open,
                    amount: row.double(4), currency: row.string(5), closeDate: closeDate, lossReason: row.string(8),
                    sortKey: (closeDate ?? row.string(7) ?? "", connector, id))
                deals[person, default: [:]][facts.reference] = facts
            }
            guard !deals.isEmpty else { return [] }

            struct ContactFacts {
                var reference: RecordReference
                var email: String?
                var isDeleted: Bool
                var updatedAt: String
            }
            var contacts: [String: [ContactFacts]] = [:]
            try db.forEachRow(sql: """
                SELECT l.person_id, l.connector, l.external_id, c.email, c.additional_emails, c.is_deleted,
                       c.source_updated_at
                FROM person_link l
                LEFT JOIN contact c ON c.connector = l.connector AND c.external_id = l.external_id
                WHERE l.object_type = 'contact'
                """
            ) { row in
                let person = row.string(0) ?? ""
                guard deals[person] != nil else { return }
                var email = row.string(3)
                if email?.isEmpty ?? true {
                    email = row.string(4)?.split(separator: ";").first.map(String.init)
                }
                contacts[person, default: []].append(ContactFacts(
                    reference: RecordReference(connector: row.string(1) ?? "", externalID: row.string(2) ?? ""),
                    email: email, isDeleted: row.isNull(5) || row.bool(5), updatedAt: row.string(6) ?? ""))
            }

            return deals.keys.sorted().map { person in
                let linked = deals[person]!.values
                let latest = linked.max { $0.sortKey < $1.sortKey }!
                let won = linked.reduce(0.0) { $0 + ($1.outcome == .won ? $1.amount ?? 0 : 0) }
                let personContacts = contacts[person] ?? []
                let best = personContacts.filter { $0.email != nil }.max { a, b in
                    // Live before deleted, then the most recently updated, then a stable key order.
                    (!a.isDeleted ? 1 : 0, a.updatedAt, b.reference.connector, b.reference.externalID)
                        < (!b.isDeleted ? 1 : 0, b.updatedAt, a.reference.connector, a.reference.externalID)
                }
                return PersonFeedbackRow(
                    personID: person, email: best?.email,
                    feedback: PersonFeedback(
                        outcome: latest.outcome, amount: latest.amount, currency: latest.currency,
                        closeDate: latest.closeDate, lossReason: latest.lossReason, dealReference: latest.reference,
                        dealCount: linked.count, wonRevenue: won),
                    contacts: personContacts.map(\.reference).sorted {
                        ($0.connector, $0.externalID) < ($1.connector, $1.externalID)
                    })
            }
        }
    }

    /// What was last pushed to `target` (a connector instance name), by record key.
    public func pushedState(target: String) throws -> [String: PushedState] {
        try writer.read { db in
            var states: [String: PushedState] = [:]
            try db.forEachRow(
                sql: "SELECT record_key, person_id, payload_hash, payload FROM feedback_state WHERE target = ?",
                bind: { $0.bind(target) }
            ) { row in
                let key = row.string(0) ?? ""
                states[key] = PushedState(
                    recordKey: key, personID: row.string(1) ?? "", payloadHash: row.int64(2), payload: row.string(3) ?? "")
            }
            return states
        }
    }

    /// Records a push's receipts in one transaction.
    ///
    /// An applied (or already applied) item becomes the target's pushed state and clears its dead letter; a failed
    /// one is kept as a dead letter whose attempts count up. Receipts match items by idempotency key, else record key.
    public func recordPush(target: String, items: [FeedbackItem], receipts: [PushReceipt], runID: RunID?) throws {
        var byIdempotencyKey: [String: FeedbackItem] = [:]
        var byRecordKey: [String: FeedbackItem] = [:]
        for item in items {
            byIdempotencyKey[item.idempotencyKey] = item
            byRecordKey[item.recordKey] = item
        }
        try writer.write { db in
            let upsertState = try db.cachedStatement(sql: """
                INSERT INTO feedback_state (target, record_key, person_id, payload_hash, payload, pushed_run)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (target, record_key) DO UPDATE SET person_id = excluded.person_id,
                    payload_hash = excluded.payload_hash, payload = excluded.payload, pushed_run = excluded.pushed_run
                """)
            let clearDeadLetter = try db.cachedStatement(sql: """
                DELETE FROM feedback_dead_letter WHERE target = ? AND record_key = ?
                """)
            let upsertDeadLetter = try db.cachedStatement(sql: """
                INSERT INTO feedback_dead_letter (target, record_key, idempotency_key, message, attempts, last_run)
                VALUES (?, ?, ?, ?, 1, ?)
                ON CONFLICT (target, record_key) DO UPDATE SET idempotency_key = excluded.idempotency_key,
                    message = excluded.message, attempts = feedback_dead_letter.attempts + 1, last_run = excluded.last_run
                """)
            for receipt in receipts {
                switch receipt.status {
                case .applied, .alreadyApplied:
                    guard let item = byIdempotencyKey[receipt.idempotencyKey] ?? byRecordKey[receipt.recordKey] else {
                        throw StoreError(message: "push receipt for record key \(receipt.recordKey) matches no pushed item")
                    }
                    let payload = PushedState.payload(for: item)
                    var state = SQLiteStep(upsertState, in: db)
                    state.bind(target)
                    state.bind(receipt.recordKey)
                    state.bind(item.personID)
                    state.bind(PushedState.hash(of: payload))
                    state.bind(payload)
                    state.bind(runID)
                    try state.run()
                    var clear = SQLiteStep(clearDeadLetter, in: db)
                    clear.bind(target)
                    clear.bind(receipt.recordKey)
                    try clear.run()
                case .failed:
                    var letter = SQLiteStep(upsertDeadLetter, in: db)
                    letter.bind(target)
                    letter.bind(receipt.recordKey)
                    letter.bind(receipt.idempotencyKey)
                    letter.bind(receipt.message)
                    letter.bind(runID)
                    try letter.run()
                }
            }
        }
    }
}
