import GRDB
public import SyncHubCore
public import SyncHubStore

/// What the alignment computations read from the store, loaded in one read transaction: live contact records with
/// their person, deals with the persons linked to them, touches, sales activities, campaigns and the stage ledger.
///
/// Times are milliseconds since 1970 (UTC). Deleted and merged-away records are left out.
public struct AlignmentSnapshot: Sendable {
    public struct ContactRecord: Sendable, Hashable {
        public var connector: String
        public var externalID: String
        public var personID: String
        public var kind: String
        public var owner: String?
        /// As the system spells it.
        public var lifecycleStage: String?
        public var leadStatus: String?
        public var createdAt: Int64?
        public var updatedAt: Int64?
        /// Dates read from the record's raw payload, by the field names stage rules give in `enteredAt`.
        public var dates: [String: Int64] = [:]

        public var reference: String { connector + ":" + externalID }
    }

    public struct DealRecord: Sendable, Hashable {
        public var connector: String
        public var externalID: String
        public var stage: String?
        public var amount: Double?
        public var currency: String?
        public var createdAt: Int64?
        /// Midnight UTC of the close date.
        public var closeDate: Int64?
        public var outcome: DealOutcome
        public var lossReason: String?
        public var owner: String?
        public var updatedAt: Int64?
        /// Persons linked through deal–contact links, sorted.
        public var persons: [String] = []
        /// The person of the primary link, else the first linked.
        public var primaryPerson: String?

        public var reference: String { connector + ":" + externalID }

        /// When the deal closed, never before it was created.
        public var closedAt: Int64? {
            guard outcome != .open, let closeDate else { return nil }
            return max(closeDate, createdAt ?? closeDate)
        }
    }

    public struct TouchRecord: Sendable, Hashable {
        /// `connector:externalID`.
        public var reference: String
        public var personID: String
        /// `connector:campaignID`, when the touch names a campaign.
        public var campaign: String?
        /// As the system spells it.
        public var type: String
        public var time: Int64
    }

    public struct ActivityRecord: Sendable, Hashable {
        public var reference: String
        public var personID: String
        public var type: String?
        public var status: String?
        public var owner: String?
        public var time: Int64
    }

    public struct CampaignInfo: Sendable, Hashable {
        public var name: String?
        public var channel: String?
    }

    public var contacts: [ContactRecord]
    public var deals: [DealRecord]
    /// By time, then reference.
    public var touches: [TouchRecord]
    /// By time, then reference.
    public var activities: [ActivityRecord]
    /// By `connector:externalID`.
    public var campaigns: [String: CampaignInfo]
    /// By person; each person's entries by entry time, then recording order.
    public var ledger: [String: [StageLedgerEntry]]

    public init(
        contacts: [ContactRecord] = [], deals: [DealRecord] = [], touches: [TouchRecord] = [],
        activities: [ActivityRecord] = [], campaigns: [String: CampaignInfo] = [:],
        ledger: [String: [StageLedgerEntry]] = [:]
    ) {
        self.contacts = contacts
        self.deals = deals
        self.touches = touches
        self.activities = activities
        self.campaigns = campaigns
        self.ledger = ledger
    }

    /// Persons with at least one live contact record, sorted.
    public var persons: [String] { Array(Set(contacts.map(\.personID))).sorted() }

    /// The latest moment the data shows: the last record change, touch or completed activity.
    public func asOf(ignoring settings: ReportSettings = ReportSettings()) -> Int64? {
        var latest: Int64?
        func see(_ time: Int64?) {
            guard let time else { return }
            latest = max(latest ?? time, time)
        }
        for contact in contacts { see(contact.updatedAt ?? contact.createdAt) }
        for deal in deals {
            see(deal.updatedAt ?? deal.createdAt)
            see(deal.closedAt)
        }
        see(touches.last?.time)
        for activity in activities where !settings.ignoredActivityStatuses.contains(StageRule.normalize(activity.status ?? "")) {
            see(activity.time)
        }
        return latest
    }

    /// Loads the snapshot. `dateFields` are the raw payload fields to read per connector (stage rules' `enteredAt`).
    public static func load(from store: StoreDatabase, dateFields: [String: [String]] = [:]) throws -> AlignmentSnapshot {
        try store.writer.read { db in
            // Contact records to persons.
            var personOf: [String: String] = [:]
            let links = try Row.fetchCursor(db, sql: """
                SELECT connector, external_id, person_id FROM person_link WHERE object_type = 'contact'
                """)
            while let row = try links.next() {
                personOf[(row[0] as String) + "\u{1}" + (row[1] as String)] = row[2]
            }

            var contacts: [ContactRecord] = []
            var personByEmail: [String: String] = [:]
            let contactRows = try Row.fetchCursor(db, sql: """
                SELECT connector, external_id, kind, owner, lifecycle_stage, lead_status, created_at, source_updated_at,
                       email
                FROM contact WHERE is_deleted = 0 AND merged_into IS NULL
                ORDER BY connector, external_id
                """)
            while let row = try contactRows.next() {
                let connector: String = row[0]
                let id: String = row[1]
                guard let person = personOf[connector + "\u{1}" + id] else { continue }
                contacts.append(ContactRecord(
                    connector: connector, externalID: id, personID: person, kind: row[2] ?? "contact",
                    owner: nonEmpty(row[3]), lifecycleStage: nonEmpty(row[4]), leadStatus: nonEmpty(row[5]),
                    createdAt: (row[6] as String?).flatMap(Timestamps.milliseconds),
                    updatedAt: (row[7] as String?).flatMap(Timestamps.milliseconds)))
                if let email = (row[8] as String?).map(normalizedEmail), !email.isEmpty {
                    personByEmail[connector + "\u{1}" + email] = person
                }
            }

            // Dates from raw payloads, for stage rules' enteredAt fields.
            if !dateFields.isEmpty {
                var index: [String: Int] = [:]
                for (offset, contact) in contacts.enumerated() { index[contact.connector + "\u{1}" + contact.externalID] = offset }
                for (connector, fields) in dateFields.sorted(by: { $0.key < $1.key }) where !fields.isEmpty {
                    let columns = fields.map { _ in "CASE WHEN json_valid(payload) THEN json_extract(payload, ?) END" }
                    let rows = try Row.fetchCursor(
                        db,
                        sql: """
                            SELECT external_id, \(columns.joined(separator: ", ")) FROM raw_record
                            WHERE connector = ? AND object_type = 'contact' AND is_deleted = 0
                            """,
                        arguments: StatementArguments(fields.map(jsonPath) + [connector]))
                    while let row = try rows.next() {
                        guard let offset = index[connector + "\u{1}" + (row[0] as String)] else { continue }
                        for (column, field) in fields.enumerated() {
                            let value = row[column + 1] as DatabaseValue
                            let text: String?
                            switch value.storage {
                            case .string(let string): text = string
                            case .int64(let number): text = String(number)
                            case .double(let number): text = String(Int64(number))
                            default: text = nil
                            }
                            if let text, let ms = Timestamps.milliseconds(text) { contacts[offset].dates[field] = ms }
                        }
                    }
                }
            }

            func person(connector: String, contactID: String?, email: String?) -> String? {
                if let contactID, let person = personOf[connector + "\u{1}" + contactID] { return person }
                if let email = email.map(normalizedEmail), !email.isEmpty { return personByEmail[connector + "\u{1}" + email] }
                return nil
            }

            // Deals and the persons linked to them.
            var dealLinks: [String: (persons: Set<String>, primary: String?)] = [:]
            let linkRows = try Row.fetchCursor(db, sql: """
                SELECT connector, deal_id, contact_id, is_primary FROM deal_contact WHERE is_deleted = 0
                ORDER BY connector, deal_id, is_primary DESC, contact_id
                """)
            while let row = try linkRows.next() {
                let connector: String = row[0]
                guard let person = personOf[connector + "\u{1}" + (row[2] as String)] else { continue }
                let key = connector + "\u{1}" + (row[1] as String)
                var entry = dealLinks[key] ?? ([], nil)
                entry.persons.insert(person)
                if entry.primary == nil { entry.primary = person }
                dealLinks[key] = entry
            }
            var deals: [DealRecord] = []
            let dealRows = try Row.fetchCursor(db, sql: """
                SELECT connector, external_id, stage, amount, currency, close_date, created_at, outcome, loss_reason,
                       owner, source_updated_at
                FROM deal WHERE is_deleted = 0 ORDER BY connector, external_id
                """)
            while let row = try dealRows.next() {
                let connector: String = row[0]
                let id: String = row[1]
                let links = dealLinks[connector + "\u{1}" + id]
                deals.append(DealRecord(
                    connector: connector, externalID: id, stage: nonEmpty(row[2]), amount: row[3],
                    currency: nonEmpty(row[4]).map { $0.uppercased() },
                    createdAt: (row[6] as String?).flatMap(Timestamps.milliseconds),
                    closeDate: (row[5] as String?).flatMap(Timestamps.milliseconds),
                    outcome: DealOutcome(rawValue: row[7] ?? "") ?? .open, lossReason: nonEmpty(row[8]),
                    owner: nonEmpty(row[9]), updatedAt: (row[10] as String?).flatMap(Timestamps.milliseconds),
                    persons: links.map { $0.persons.sorted() } ?? [], primaryPerson: links?.primary))
            }

            var touches: [TouchRecord] = []
            let touchRows = try Row.fetchCursor(db, sql: """
                SELECT connector, external_id, contact_id, email, campaign_id, type, occurred_at FROM touch
                WHERE is_deleted = 0
                """)
            while let row = try touchRows.next() {
                let connector: String = row[0]
                guard let time = (row[6] as String?).flatMap(Timestamps.milliseconds),
                    let person = person(connector: connector, contactID: row[2], email: row[3])
                else { continue }
                touches.append(TouchRecord(
                    reference: connector + ":" + (row[1] as String), personID: person,
                    campaign: nonEmpty(row[4]).map { connector + ":" + $0 }, type: row[5] ?? "", time: time))
            }
            touches.sort { ($0.time, $0.reference) < ($1.time, $1.reference) }

            var activities: [ActivityRecord] = []
            let activityRows = try Row.fetchCursor(db, sql: """
                SELECT connector, external_id, contact_id, email, type, owner, occurred_at, status FROM activity
                WHERE is_deleted = 0
                """)
            while let row = try activityRows.next() {
                let connector: String = row[0]
                guard let time = (row[6] as String?).flatMap(Timestamps.milliseconds),
                    let person = person(connector: connector, contactID: row[2], email: row[3])
                else { continue }
                activities.append(ActivityRecord(
                    reference: connector + ":" + (row[1] as String), personID: person, type: nonEmpty(row[4]),
                    status: nonEmpty(row[7]), owner: nonEmpty(row[5]), time: time))
            }
            activities.sort { ($0.time, $0.reference) < ($1.time, $1.reference) }

            var campaigns: [String: CampaignInfo] = [:]
            let campaignRows = try Row.fetchCursor(db, sql: "SELECT connector, external_id, name, channel FROM campaign")
            while let row = try campaignRows.next() {
                campaigns[(row[0] as String) + ":" + (row[1] as String)] = CampaignInfo(name: nonEmpty(row[2]), channel: nonEmpty(row[3]))
            }

            var ledger: [String: [StageLedgerEntry]] = [:]
            let ledgerRows = try Row.fetchCursor(db, sql: """
                SELECT id, person_id, stage, entered_at, connector, evidence, observed FROM stage_ledger
                ORDER BY person_id, entered_at, id
                """)
            while let row = try ledgerRows.next() {
                let entry = StageLedgerEntry(
                    id: row[0], personID: row[1], stage: row[2], enteredAt: row[3], connector: row[4], evidence: row[5],
                    isObserved: row[6])
                ledger[entry.personID, default: []].append(entry)
            }
            return AlignmentSnapshot(
                contacts: contacts, deals: deals, touches: touches, activities: activities, campaigns: campaigns,
                ledger: ledger)
        }
    }

    /// A stage rule's field name as a JSON path: `Became a Lead Date` is `$."Became a Lead Date"`, and a dotted
    /// name such as `properties.hs_lifecyclestage_lead_date` reads nested members.
    static func jsonPath(_ field: String) -> String {
        "$" + field.split(separator: ".", omittingEmptySubsequences: false).map { member in
            ".\"" + String(member.filter { $0 != "\"" }) + "\""
        }.joined()
    }
}

func nonEmpty(_ text: String?) -> String? {
    guard let text, !text.trimmingCharacters(in: " \t").isEmpty else { return nil }
    return text
}

/// Trimmed and lower-cased, for matching a touch or activity that names only an email to a contact record.
func normalizedEmail(_ email: String) -> String { email.trimmingCharacters(in: " \t\r\n").lowercased() }

/// ISO-8601 UTC of a time, with milliseconds only when it has some.
func isoTime(_ ms: Int64) -> String { Timestamps.format(millisecondsSinceEpoch: ms, withMilliseconds: ms % 1000 != 0) }

/// `YYYY-MM-DD` of a time.
func isoDate(_ ms: Int64) -> String { String(Timestamps.format(millisecondsSinceEpoch: ms).prefix(10)) }
