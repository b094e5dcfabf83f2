import GRDB
public import SyncHubCore

/// One entry of a person into a shared stage.
public struct StageLedgerEntry: Sendable, Hashable, Codable {
    /// The order in which entries were recorded; `nil` before recording.
    public var id: Int64?
    public var personID: String
    /// A shared stage name (`mql`).
    public var stage: String
    /// ISO-8601 UTC.
    public var enteredAt: String
    /// The connector instance whose record is the evidence.
    public var connector: String
    /// Which record and field say so (`crm:006… deal created`); record ids and field names, never personal values.
    public var evidence: String
    /// `true`: a change of the person's current stage seen after a pull; `false`: a dated fact from the records.
    public var isObserved: Bool

    public init(
        id: Int64? = nil, personID: String, stage: String, enteredAt: String, connector: String, evidence: String,
        isObserved: Bool
    ) {
        self.id = id
        self.personID = personID
        self.stage = stage
        self.enteredAt = enteredAt
        self.connector = connector
        self.evidence = evidence
        self.isObserved = isObserved
    }
}

/// A person's current shared stage.
public struct PersonStageRow: Sendable, Hashable, Codable {
    public var personID: String
    public var stage: String
    /// When the person entered it, ISO-8601 UTC, when known.
    public var since: String?
    /// Each system's stage for the person, by connector instance.
    public var systems: [String: String]

    public init(personID: String, stage: String, since: String?, systems: [String: String]) {
        self.personID = personID
        self.stage = stage
        self.since = since
        self.systems = systems
    }
}

extension StoreDatabase {
    /// Every ledger entry, by person, then entry time, then recording order.
    public func stageLedger() throws -> [StageLedgerEntry] {
        try writer.read { db in
            var entries: [StageLedgerEntry] = []
            try db.forEachRow(
                sql: """
                    SELECT id, person_id, stage, entered_at, connector, evidence, observed FROM stage_ledger
                    ORDER BY person_id, entered_at, id
                    """
            ) { row in
                entries.append(
                    StageLedgerEntry(
                        id: row.int64(0), personID: row.string(1) ?? "", stage: row.string(2) ?? "",
                        enteredAt: row.string(3) ?? "", connector: row.string(4) ?? "", evidence: row.string(5) ?? "",
                        isObserved: row.bool(6)))
            }
            return entries
        }
    }

    /// Every person's current stage, by person id.
    public func personStages() throws -> [PersonStageRow] {
        try writer.read { db in
            var rows: [PersonStageRow] = []
            try db.forEachRow(sql: "SELECT person_id, stage, since, systems FROM person_stage ORDER BY person_id") {
                row in
                var systems: [String: String] = [:]
                if let text = row.string(3), case .object(let members)? = try? JSONValue.parse(text) {
                    for (key, value) in members { systems[key] = value.text }
                }
                rows.append(
                    PersonStageRow(
                        personID: row.string(0) ?? "", stage: row.string(1) ?? "", since: row.string(2),
                        systems: systems))
            }
            return rows
        }
    }

    /// Moves ledger entries of persons merged into others to their survivors; an entry the survivor already has
    /// (same stage and time) is dropped. Returns how many entries moved.
    @discardableResult
    public func moveStageLedgerOffAliases() throws -> Int {
        try writer.write { db in
            let aliased =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM stage_ledger WHERE person_id IN (SELECT alias FROM person_alias)
                        """) ?? 0
            guard aliased > 0 else { return 0 }
            try db.execute(
                sql: """
                    UPDATE OR IGNORE stage_ledger
                    SET person_id = (SELECT a.person_id FROM person_alias a WHERE a.alias = stage_ledger.person_id)
                    WHERE person_id IN (SELECT alias FROM person_alias);
                    DELETE FROM stage_ledger WHERE person_id IN (SELECT alias FROM person_alias);
                    DELETE FROM person_stage WHERE person_id IN (SELECT alias FROM person_alias);
                    """)
            return aliased
        }
    }

    /// Appends ledger entries and replaces current stages, in one transaction.
    ///
    /// An entry whose person, stage and time are already recorded is skipped, so recording the same entries twice
    /// changes nothing. `stages` replaces the current stages of the persons it names; persons it does not name keep
    /// theirs unless `complete` (then they are removed).
    /// - Returns: how many entries were new.
    @discardableResult
    public func recordStages(_ entries: [StageLedgerEntry], stages: [PersonStageRow], complete: Bool, runID: RunID?)
        throws -> Int
    {
        try writer.write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO stage_ledger (person_id, stage, entered_at, connector, evidence, observed, created_run)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (person_id, stage, entered_at) DO NOTHING
                    """)
            var inserted = 0
            for entry in entries {
                var step = SQLiteStep(insert, in: db)
                step.bind(entry.personID)
                step.bind(entry.stage)
                step.bind(entry.enteredAt)
                step.bind(entry.connector)
                step.bind(entry.evidence)
                step.bind(entry.isObserved)
                step.bind(runID)
                try step.run()
                inserted += db.changesCount
            }
            if complete {
                try db.execute(
                    sql:
                        "CREATE TEMP TABLE IF NOT EXISTS current_person_stage (person_id TEXT PRIMARY KEY) WITHOUT ROWID"
                )
                try db.execute(sql: "DELETE FROM current_person_stage")
                let keep = try db.cachedStatement(
                    sql: "INSERT OR IGNORE INTO current_person_stage (person_id) VALUES (?)")
                for row in stages {
                    var step = SQLiteStep(keep, in: db)
                    step.bind(row.personID)
                    try step.run()
                }
                try db.execute(
                    sql: """
                        DELETE FROM person_stage WHERE person_id NOT IN (SELECT person_id FROM current_person_stage);
                        DROP TABLE current_person_stage;
                        """)
            }
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO person_stage (person_id, stage, since, systems) VALUES (?, ?, ?, ?)
                    ON CONFLICT (person_id) DO UPDATE SET stage = excluded.stage, since = excluded.since,
                        systems = excluded.systems
                    WHERE person_stage.stage <> excluded.stage OR person_stage.since IS NOT excluded.since
                        OR person_stage.systems <> excluded.systems
                    """)
            for row in stages {
                var step = SQLiteStep(upsert, in: db)
                step.bind(row.personID)
                step.bind(row.stage)
                step.bind(row.since)
                let systems = row.systems.sorted { $0.key < $1.key }.map { ($0.key, Optional($0.value)) }
                step.bind(String(decoding: JSONWriter.object(systems), as: UTF8.self))
                try step.run()
            }
            return inserted
        }
    }
}

/// A live touch as alignment reads it.
public struct AlignmentTouchRow: Sendable {
    public var connector: String
    public var externalID: String
    public var contactID: String?
    public var email: String?
    public var campaignID: String?
    public var type: String?
    public var occurredAt: String?
}

/// A live sales activity as alignment reads it.
public struct AlignmentActivityRow: Sendable {
    public var connector: String
    public var externalID: String
    public var contactID: String?
    public var email: String?
    public var type: String?
    public var owner: String?
    public var occurredAt: String?
    public var status: String?
}

extension StoreDatabase {
    /// Every live touch, read row by row through the C API (touches are the store's largest table).
    public func alignmentTouches() throws -> [AlignmentTouchRow] {
        try writer.read { db in
            var rows: [AlignmentTouchRow] = []
            try db.forEachRow(
                sql: """
                    SELECT connector, external_id, contact_id, email, campaign_id, type, occurred_at FROM touch
                    WHERE is_deleted = 0
                    """
            ) { row in
                rows.append(
                    AlignmentTouchRow(
                        connector: row.string(0) ?? "", externalID: row.string(1) ?? "", contactID: row.string(2),
                        email: row.string(3), campaignID: row.string(4), type: row.string(5), occurredAt: row.string(6))
                )
            }
            return rows
        }
    }

    /// Every live sales activity, read row by row through the C API.
    public func alignmentActivities() throws -> [AlignmentActivityRow] {
        try writer.read { db in
            var rows: [AlignmentActivityRow] = []
            try db.forEachRow(
                sql: """
                    SELECT connector, external_id, contact_id, email, type, owner, occurred_at, status FROM activity
                    WHERE is_deleted = 0
                    """
            ) { row in
                rows.append(
                    AlignmentActivityRow(
                        connector: row.string(0) ?? "", externalID: row.string(1) ?? "", contactID: row.string(2),
                        email: row.string(3), type: row.string(4), owner: row.string(5), occurredAt: row.string(6),
                        status: row.string(7)))
            }
            return rows
        }
    }
}
