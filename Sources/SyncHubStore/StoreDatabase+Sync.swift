import Foundation
import GRDB
public import SyncHubCore

extension StoreDatabase {
    public func checkpoint(connector: String, stream: String) throws -> Checkpoint? {
        try writer.read { db in
            try Data.fetchOne(
                db, sql: "SELECT payload FROM checkpoint WHERE connector = ? AND stream = ?",
                arguments: [connector, stream]
            ).map(Checkpoint.init(payload:))
        }
    }

    public func resetCheckpoint(connector: String, stream: String) throws {
        try writer.write { db in
            try db.execute(
                sql: "DELETE FROM checkpoint WHERE connector = ? AND stream = ?", arguments: [connector, stream])
        }
    }

    /// Lands a batch in one transaction: raw and normalized upserts, quarantine, snapshot deletions, checkpoint.
    ///
    /// A record whose payload and normalized form are unchanged writes nothing. A bare delete (no normalized form)
    /// marks the stored rows deleted and keeps their last known values; nothing is ever removed.
    public func commit(
        _ batch: RecordBatch, connector: String, stream: StreamDescriptor, deletingAllExcept seen: Set<String>?,
        runID: RunID?
    ) throws -> CommitCounts {
        try writer.write { db in
            var writer = try BatchWriter(db: db, connector: connector, stream: stream.name, now: storeTimestamp())
            var counts = CommitCounts(received: batch.records.count)
            for record in batch.records {
                try writer.land(record, counts: &counts)
            }
            for rejected in batch.rejected {
                try writer.quarantine(rejected)
            }
            counts.quarantined = batch.rejected.count
            if let seen {
                counts.deleted += try writer.deleteMissing(
                    objectType: stream.objectType, seen: seen,
                    batchIDs: Set(batch.records.lazy.filter { !$0.isDeleted }.map(\.externalID)))
            }
            if let checkpoint = batch.checkpoint {
                try writer.save(checkpoint)
            }
            return counts
        }
    }
}

/// Writes one batch inside its transaction, with cached statements bound through the C API.
struct BatchWriter {
    let db: Database
    let connector: String
    let stream: String
    let now: String
    private var upsertStatements: [ObjectType: Statement] = [:]
    private var markStatements: [ObjectType: Statement] = [:]
    private let rawUpsert: Statement
    private let rawMark: Statement

    init(db: Database, connector: String, stream: String, now: String) throws {
        self.db = db
        self.connector = connector
        self.stream = stream
        self.now = now
        rawUpsert = try db.cachedStatement(sql: Self.rawUpsertSQL)
        rawMark = try db.cachedStatement(sql: Self.rawMarkSQL)
    }

    static let rawUpsertSQL = """
        INSERT INTO raw_record (connector, object_type, external_id, stream, payload, source_updated_at, content_hash,
                                is_deleted, merged_into, version)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
        ON CONFLICT (connector, object_type, external_id) DO UPDATE SET
            stream = excluded.stream, payload = excluded.payload, source_updated_at = excluded.source_updated_at,
            content_hash = excluded.content_hash, is_deleted = excluded.is_deleted, merged_into = excluded.merged_into,
            version = raw_record.version + 1
        WHERE raw_record.content_hash <> excluded.content_hash OR raw_record.is_deleted <> excluded.is_deleted
            OR raw_record.merged_into IS NOT excluded.merged_into OR raw_record.stream <> excluded.stream
        RETURNING version
        """

    /// A bare delete or merge: marks an existing row, keeping its payload; inserts the tombstone otherwise.
    static let rawMarkSQL = """
        INSERT INTO raw_record (connector, object_type, external_id, stream, payload, source_updated_at, content_hash,
                                is_deleted, merged_into, version)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
        ON CONFLICT (connector, object_type, external_id) DO UPDATE SET
            is_deleted = max(raw_record.is_deleted, excluded.is_deleted),
            merged_into = coalesce(excluded.merged_into, raw_record.merged_into),
            source_updated_at = coalesce(excluded.source_updated_at, raw_record.source_updated_at),
            version = raw_record.version + 1
        WHERE (excluded.is_deleted = 1 AND raw_record.is_deleted = 0)
            OR (excluded.merged_into IS NOT NULL AND raw_record.merged_into IS NOT excluded.merged_into)
        RETURNING version
        """

    static func upsertSQL(table: String, columns: [String]) -> String {
        let all = ["connector", "external_id"] + columns + ["is_deleted", "source_updated_at"]
        let updates = all.dropFirst(2).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        return """
            INSERT INTO \(table) (\(all.joined(separator: ", "))) VALUES (\(all.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT (connector, external_id) DO UPDATE SET \(updates)
            """
    }

    static func markSQL(table: String) -> String {
        let merged = table == "contact" ? ", merged_into = coalesce(?, merged_into)" : ""
        return """
            UPDATE \(table) SET is_deleted = max(is_deleted, ?), source_updated_at = coalesce(?, source_updated_at)\(merged)
            WHERE connector = ? AND external_id = ?
            """
    }

    static let upsertSQLByType: [ObjectType: String] = Dictionary(
        uniqueKeysWithValues: StoreSchema.normalizedColumns.map {
            (ObjectType(rawValue: $0.table)!, upsertSQL(table: $0.table, columns: $0.columns))
        })

    private mutating func upsertStatement(_ type: ObjectType) throws -> Statement {
        if let statement = upsertStatements[type] { return statement }
        let statement = try db.cachedStatement(sql: Self.upsertSQLByType[type]!)
        upsertStatements[type] = statement
        return statement
    }

    private mutating func markStatement(_ type: ObjectType) throws -> Statement {
        if let statement = markStatements[type] { return statement }
        let statement = try db.cachedStatement(sql: Self.markSQL(table: type.rawValue))
        markStatements[type] = statement
        return statement
    }

    /// Upserts one record's raw and normalized rows and counts what happened.
    mutating func land(_ record: SourceRecord, counts: inout CommitCounts) throws {
        let isBareMark = record.normalized == nil && (record.isDeleted || record.mergedInto != nil)
        var fingerprint = Fingerprint()
        fingerprint.add(record.payload)
        if let normalized = record.normalized {
            writeColumns(of: normalized, mergedInto: record.mergedInto, to: &fingerprint)
        }
        var raw = SQLiteStep(isBareMark ? rawMark : rawUpsert, in: db)
        raw.bind(connector)
        raw.bind(record.objectType.rawValue)
        raw.bind(record.externalID)
        raw.bind(stream)
        raw.bindText(record.payload)
        raw.bind(record.sourceUpdatedAt)
        raw.bind(fingerprint.int64)
        raw.bind(record.isDeleted)
        raw.bind(record.mergedInto)
        guard let version = try raw.runReturningInt64() else {
            counts.unchanged += 1
            return
        }
        if record.isDeleted {
            counts.deleted += 1
        } else if version == 1 {
            counts.inserted += 1
        } else {
            counts.updated += 1
        }
        if let normalized = record.normalized {
            var row = SQLiteStep(try upsertStatement(normalized.objectType), in: db)
            row.bind(connector)
            row.bind(record.externalID)
            writeColumns(of: normalized, mergedInto: record.mergedInto, to: &row)
            row.bind(record.isDeleted)
            row.bind(record.sourceUpdatedAt)
            try row.run()
        } else if isBareMark {
            try mark(record.objectType, externalID: record.externalID, isDeleted: record.isDeleted,
                     sourceUpdatedAt: record.sourceUpdatedAt, mergedInto: record.mergedInto)
        }
    }

    private mutating func mark(
        _ type: ObjectType, externalID: String, isDeleted: Bool, sourceUpdatedAt: String?, mergedInto: String?
    ) throws {
        var row = SQLiteStep(try markStatement(type), in: db)
        row.bind(isDeleted)
        row.bind(sourceUpdatedAt)
        if type == .contact { row.bind(mergedInto) }
        row.bind(connector)
        row.bind(externalID)
        try row.run()
    }

    /// Marks deleted the live records of this stream that a complete snapshot pass did not deliver.
    mutating func deleteMissing(objectType: ObjectType, seen: Set<String>, batchIDs: Set<String>) throws -> Int {
        var missing: [String] = []
        try db.forEachRow(
            sql: """
                SELECT external_id FROM raw_record
                WHERE connector = ? AND object_type = ? AND stream = ? AND is_deleted = 0
                """,
            bind: {
                $0.bind(connector)
                $0.bind(objectType.rawValue)
                $0.bind(stream)
            }
        ) { row in
            let id = row.string(0) ?? ""
            if !seen.contains(id) && !batchIDs.contains(id) { missing.append(id) }
        }
        let statement = try db.cachedStatement(sql: """
            UPDATE raw_record SET is_deleted = 1, version = version + 1
            WHERE connector = ? AND object_type = ? AND external_id = ?
            """)
        for id in missing {
            var raw = SQLiteStep(statement, in: db)
            raw.bind(connector)
            raw.bind(objectType.rawValue)
            raw.bind(id)
            try raw.run()
            try mark(objectType, externalID: id, isDeleted: true, sourceUpdatedAt: nil, mergedInto: nil)
        }
        return missing.count
    }

    mutating func quarantine(_ rejected: RejectedRecord) throws {
        var fingerprint = Fingerprint()
        fingerprint.add(rejected.payload)
        var row = SQLiteStep(try db.cachedStatement(sql: """
            INSERT INTO quarantine (connector, stream, location, payload_hash, reason, payload, seen_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (connector, stream, location, payload_hash) DO UPDATE SET reason = excluded.reason
            WHERE quarantine.reason <> excluded.reason
            """), in: db)
        row.bind(connector)
        row.bind(stream)
        row.bind(rejected.location)
        row.bind(fingerprint.int64)
        row.bind(rejected.reason)
        row.bindBlob(rejected.payload)
        row.bind(now)
        try row.run()
    }

    mutating func save(_ checkpoint: Checkpoint) throws {
        var row = SQLiteStep(try db.cachedStatement(sql: """
            INSERT INTO checkpoint (connector, stream, payload, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (connector, stream) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at
            WHERE checkpoint.payload <> excluded.payload
            """), in: db)
        row.bind(connector)
        row.bind(stream)
        row.bindBlob([UInt8](checkpoint.payload))
        row.bind(now)
        try row.run()
    }
}
