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
        /// ``lifecycleStage`` and ``leadStatus`` normalized (``StageRule/normalize(_:)``), as rules compare them.
        public var lifecycleKey: String?
        public var leadStatusKey: String?

        public init(
            connector: String, externalID: String, personID: String, kind: String = "contact", owner: String? = nil,
            lifecycleStage: String? = nil, leadStatus: String? = nil, createdAt: Int64? = nil, updatedAt: Int64? = nil,
            dates: [String: Int64] = [:]
        ) {
            self.connector = connector
            self.externalID = externalID
            self.personID = personID
            self.kind = kind
            self.owner = owner
            self.lifecycleStage = lifecycleStage
            self.leadStatus = leadStatus
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.dates = dates
            lifecycleKey = lifecycleStage.map(StageRule.normalize)
            leadStatusKey = leadStatus.map(StageRule.normalize)
        }

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
        public var connector: String
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
        var normalized = NormalizedValues()
        for activity in activities where !settings.ignoredActivityStatuses.contains(normalized(activity.status)) {
            see(activity.time)
        }
        return latest
    }

    /// Loads the snapshot. `dateFields` are the raw payload fields to read per connector (stage rules' `enteredAt`);
    /// without `touches`, touches (the largest table, which stages never read) are left out.
    public static func load(
        from store: StoreDatabase, dateFields: [String: [String]] = [:], touches: Bool = true
    ) throws -> AlignmentSnapshot {
        var (snapshot, personOf, personByEmail) = try store.writer.read { db in
            // Contact records to persons.
            var personOf: [String: [String: String]] = [:]
            let links = try Row.fetchCursor(
                db,
                sql: """
                    SELECT connector, external_id, person_id FROM person_link WHERE object_type = 'contact'
                    """)
            while let row = try links.next() {
                personOf[row[0] as String, default: [:]][row[1] as String] = row[2]
            }

            var contacts: [ContactRecord] = []
            var personByEmail: [String: [String: String]] = [:]
            let contactRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT connector, external_id, kind, owner, lifecycle_stage, lead_status, created_at, source_updated_at,
                           email
                    FROM contact WHERE is_deleted = 0 AND merged_into IS NULL
                    ORDER BY connector, external_id
                    """)
            while let row = try contactRows.next() {
                let connector: String = row[0]
                let id: String = row[1]
                guard let person = personOf[connector]?[id] else { continue }
                contacts.append(
                    ContactRecord(
                        connector: connector, externalID: id, personID: person, kind: row[2] ?? "contact",
                        owner: nonEmpty(row[3]), lifecycleStage: nonEmpty(row[4]), leadStatus: nonEmpty(row[5]),
                        createdAt: (row[6] as String?).flatMap(milliseconds),
                        updatedAt: (row[7] as String?).flatMap(milliseconds)))
                if let email = (row[8] as String?).map(normalizedEmail), !email.isEmpty {
                    personByEmail[connector, default: [:]][email] = person
                }
            }

            // Dates from raw payloads, for stage rules' enteredAt fields.
            if !dateFields.isEmpty {
                var index: [String: Int] = [:]
                for (offset, contact) in contacts.enumerated() {
                    index[contact.connector + "\u{1}" + contact.externalID] = offset
                }
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
                            if let text, let ms = milliseconds(text) { contacts[offset].dates[field] = ms }
                        }
                    }
                }
            }

            // Deals and the persons linked to them.
            var dealLinks: [String: (persons: Set<String>, primary: String?)] = [:]
            let linkRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT connector, deal_id, contact_id, is_primary FROM deal_contact WHERE is_deleted = 0
                    ORDER BY connector, deal_id, is_primary DESC, contact_id
                    """)
            while let row = try linkRows.next() {
                let connector: String = row[0]
                guard let person = personOf[connector]?[row[2] as String] else { continue }
                let key = connector + "\u{1}" + (row[1] as String)
                var entry = dealLinks[key] ?? ([], nil)
                entry.persons.insert(person)
                if entry.primary == nil { entry.primary = person }
                dealLinks[key] = entry
            }
            var deals: [DealRecord] = []
            let dealRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT connector, external_id, stage, amount, currency, close_date, created_at, outcome, loss_reason,
                           owner, source_updated_at
                    FROM deal WHERE is_deleted = 0 ORDER BY connector, external_id
                    """)
            while let row = try dealRows.next() {
                let connector: String = row[0]
                let id: String = row[1]
                let links = dealLinks[connector + "\u{1}" + id]
                deals.append(
                    DealRecord(
                        connector: connector, externalID: id, stage: nonEmpty(row[2]), amount: row[3],
                        currency: nonEmpty(row[4]).map { $0.uppercased() },
                        createdAt: (row[6] as String?).flatMap(milliseconds),
                        closeDate: (row[5] as String?).flatMap(milliseconds),
                        outcome: DealOutcome(rawValue: row[7] ?? "") ?? .open, lossReason: nonEmpty(row[8]),
                        owner: nonEmpty(row[9]), updatedAt: (row[10] as String?).flatMap(milliseconds),
                        persons: links.map { $0.persons.sorted() } ?? [], primaryPerson: links?.primary))
            }

            var campaigns: [String: CampaignInfo] = [:]
            let campaignRows = try Row.fetchCursor(
                db, sql: "SELECT connector, external_id, name, channel FROM campaign")
            while let row = try campaignRows.next() {
                campaigns[(row[0] as String) + ":" + (row[1] as String)] = CampaignInfo(
                    name: nonEmpty(row[2]), channel: nonEmpty(row[3]))
            }

            var ledger: [String: [StageLedgerEntry]] = [:]
            let ledgerRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, person_id, stage, entered_at, connector, evidence, observed FROM stage_ledger
                    ORDER BY person_id, entered_at, id
                    """)
            while let row = try ledgerRows.next() {
                let entry = StageLedgerEntry(
                    id: row[0], personID: row[1], stage: row[2], enteredAt: row[3], connector: row[4], evidence: row[5],
                    isObserved: row[6])
                ledger[entry.personID, default: []].append(entry)
            }
            return (
                AlignmentSnapshot(contacts: contacts, deals: deals, campaigns: campaigns, ledger: ledger), personOf,
                personByEmail
            )
        }
        func person(connector: String, contactID: String?, email: String?) -> String? {
            if let contactID, let person = personOf[connector]?[contactID] { return person }
            if let email, !email.isEmpty { return personByEmail[connector]?[normalizedEmail(email)] }
            return nil
        }
        // Touches and activities are the largest tables: the store reads them through the C API.
        for touch in touches ? try store.alignmentTouches() : [] {
            guard let time = touch.occurredAt.flatMap(milliseconds),
                let person = person(connector: touch.connector, contactID: touch.contactID, email: touch.email)
            else { continue }
            snapshot.touches.append(
                TouchRecord(
                    reference: touch.connector + ":" + touch.externalID, personID: person,
                    campaign: nonEmpty(touch.campaignID).map { touch.connector + ":" + $0 }, type: touch.type ?? "",
                    time: time))
        }
        snapshot.touches = sortedByTime(snapshot.touches.map { ($0.time, $0.reference) }).map { snapshot.touches[$0] }
        for activity in try store.alignmentActivities() {
            guard let time = activity.occurredAt.flatMap(milliseconds),
                let person = person(connector: activity.connector, contactID: activity.contactID, email: activity.email)
            else { continue }
            snapshot.activities.append(
                ActivityRecord(
                    connector: activity.connector, reference: activity.connector + ":" + activity.externalID,
                    personID: person, type: nonEmpty(activity.type),
                    status: nonEmpty(activity.status), owner: nonEmpty(activity.owner), time: time))
        }
        snapshot.activities = sortedByTime(snapshot.activities.map { ($0.time, $0.reference) }).map {
            snapshot.activities[$0]
        }
        return snapshot
    }

    /// A stage rule's field name as a JSON path: `Became a Lead Date` is `$."Became a Lead Date"`, and a dotted
    /// name such as `properties.hs_lifecyclestage_lead_date` reads nested members.
    static func jsonPath(_ field: String) -> String {
        "$"
            + field.split(separator: ".", omittingEmptySubsequences: false).map { member in
                ".\"" + String(member.filter { $0 != "\"" }) + "\""
            }.joined()
    }
}

/// The order of `keys` by time, then reference: indexes, so the records themselves are not moved around.
func sortedByTime(_ keys: [(time: Int64, reference: String)]) -> [Int] {
    let times = keys.map(\.time)
    let references = keys.map(\.reference)
    var order = Array(keys.indices)
    times.withUnsafeBufferPointer { times in
        order.sort { a, b in
            let (x, y) = (times[a], times[b])
            return x != y ? x < y : references[a] < references[b]
        }
    }
    return order
}

/// Normalizes values that recur across many records (touch types, activity statuses) once each.
struct NormalizedValues {
    private var cache: [String: String] = [:]

    mutating func callAsFunction(_ value: String?) -> String {
        guard let value else { return "" }
        if let known = cache[value] { return known }
        let key = StageRule.normalize(value)
        cache[value] = key
        return key
    }
}

func nonEmpty(_ text: String?) -> String? {
    guard let text, !text.isEmpty else { return nil }
    guard let first = text.utf8.first, first == 32 || first == 9 else { return text }
    return text.trimmingCharacters(in: " \t").isEmpty ? nil : text
}

/// Milliseconds since 1970 of a stored timestamp: the store's own `YYYY-MM-DDTHH:MM:SS[.mmm]Z` read directly,
/// anything else through ``Timestamps``.
func milliseconds(_ text: String) -> Int64? {
    var text = text
    let fast: Int64? = text.withUTF8 { bytes -> Int64? in
        let count = bytes.count
        guard count == 20 || count == 24 || count == 10, bytes[4] == 45, bytes[7] == 45 else { return nil }
        func digits(_ start: Int, _ length: Int) -> Int64? {
            var value: Int64 = 0
            for index in start..<(start + length) {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2), (1...12).contains(month),
            (1...31).contains(day)
        else { return nil }
        var ms = Timestamps.days(fromCivil: year, month, day) * 86_400_000
        if count == 10 { return ms }
        guard bytes[10] == 84, bytes[13] == 58, bytes[16] == 58, bytes[count - 1] == 90,
            let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2)
        else { return nil }
        ms += hour * 3_600_000 + minute * 60_000 + second * 1000
        if count == 24 {
            guard bytes[19] == 46, let fraction = digits(20, 3) else { return nil }
            ms += fraction
        }
        return ms
    }
    return fast ?? Timestamps.milliseconds(text)
}

/// Trimmed and lower-cased, for matching a touch or activity that names only an email to a contact record.
func normalizedEmail(_ email: String) -> String { email.trimmingCharacters(in: " \t\r\n").lowercased() }

/// ISO-8601 UTC of a time, with milliseconds only when it has some.
func isoTime(_ ms: Int64) -> String { Timestamps.format(millisecondsSinceEpoch: ms, withMilliseconds: ms % 1000 != 0) }

/// `YYYY-MM-DD` of a time.
func isoDate(_ ms: Int64) -> String { String(Timestamps.format(millisecondsSinceEpoch: ms).prefix(10)) }
