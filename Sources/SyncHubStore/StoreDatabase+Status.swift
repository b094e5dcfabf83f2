import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import SyncHubCore

/// What the store holds and what recent runs did; the CLI prints it as text or JSON.
public struct StoreStatus: Sendable, Hashable, Codable {
    public struct Run: Sendable, Hashable, Codable {
        public var id: Int64
        public var command: String
        public var startedAt: String
        public var endedAt: String?
        public var status: RunStatus
        public var error: String?
        public var streams: [RunStream]
        /// Its process ended without finishing it (killed): marked by the next command that took the lock, or still
        /// `running` in the log while its process no longer exists on this host. `status` is then `failed`.
        public var interrupted: Bool = false
    }

    public struct RunStream: Sendable, Hashable, Codable {
        public var connector: String
        public var stream: String
        public var status: RunStatus
        public var counts: CommitCounts
        public var batches: Int
        public var seconds: Double
        public var error: String?
    }

    public struct StreamCheckpoint: Sendable, Hashable, Codable {
        public var connector: String
        public var stream: String
        /// When the checkpoint last moved.
        public var updatedAt: String
    }

    public struct RecordCount: Sendable, Hashable, Codable {
        public var connector: String
        public var objectType: String
        public var live: Int
        public var deleted: Int
    }

    public struct QuarantineCount: Sendable, Hashable, Codable {
        public var connector: String
        public var stream: String
        public var count: Int
    }

    public struct TargetCount: Sendable, Hashable, Codable {
        public var target: String
        public var count: Int
    }

    /// The last 10 runs, newest first.
    public var runs: [Run]
    public var checkpoints: [StreamCheckpoint]
    /// Stored records per connector and object type.
    public var recordCounts: [RecordCount]
    public var quarantine: [QuarantineCount]
    public var persons: Int
    /// Record keys whose feedback a target holds.
    public var pushed: [TargetCount]
    /// Record keys a target refused, waiting for a retry.
    public var deadLetters: [TargetCount]
}

/// One quarantined input record, without its payload.
public struct QuarantineEntry: Sendable, Hashable, Codable {
    public var connector: String
    public var stream: String
    public var location: String
    public var reason: String
    public var seenAt: String
}

extension StoreDatabase {
    public func status() throws -> StoreStatus {
        try writer.read { db in
            let own = (pid: getpid(), host: Self.hostName)
            var runs: [StoreStatus.Run] = try Row.fetchAll(
                db, sql: "SELECT id, command, started_at, ended_at, status, error, pid, host FROM run ORDER BY id DESC LIMIT 10"
            ).map { row in
                let stored: String = row[4]
                let cutOff = stored == RunStatus.running.rawValue
                    && Self.isCutOff(pid: row[6], host: row[7], startedAt: row[2], lock: nil, own: own)
                let interrupted = stored == Self.interruptedRunStatus || cutOff
                return StoreStatus.Run(
                    id: row[0], command: row[1], startedAt: row[2], endedAt: row[3],
                    status: interrupted ? .failed : RunStatus(rawValue: stored) ?? .failed,
                    error: cutOff ? "interrupted: its process ended before the run finished (killed?)" : row[5], streams: [],
                    interrupted: interrupted)
            }
            for index in runs.indices {
                runs[index].streams = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT connector, stream, status, received, inserted, updated, unchanged, deleted, quarantined,
                               batches, seconds, error
                        FROM run_stream WHERE run_id = ? ORDER BY connector, stream
                        """,
                    arguments: [runs[index].id]
                ).map { row in
                    StoreStatus.RunStream(
                        connector: row[0], stream: row[1], status: RunStatus(rawValue: row[2]) ?? .failed,
                        counts: CommitCounts(
                            received: row[3], inserted: row[4], updated: row[5], unchanged: row[6], deleted: row[7],
                            quarantined: row[8]),
                        batches: row[9], seconds: row[10], error: row[11])
                }
            }
            let checkpoints = try Row.fetchAll(
                db, sql: "SELECT connector, stream, updated_at FROM checkpoint ORDER BY connector, stream"
            ).map { StoreStatus.StreamCheckpoint(connector: $0[0], stream: $0[1], updatedAt: $0[2]) }
            let countsSQL = StoreSchema.normalizedColumns.map {
                "SELECT connector, '\($0.table)' AS object_type, is_deleted FROM \($0.table)"
            }.joined(separator: " UNION ALL ")
            let recordCounts = try Row.fetchAll(
                db,
                sql: """
                    SELECT connector, object_type, sum(is_deleted = 0), sum(is_deleted <> 0)
                    FROM (\(countsSQL)) GROUP BY connector, object_type ORDER BY connector, object_type
                    """
            ).map { StoreStatus.RecordCount(connector: $0[0], objectType: $0[1], live: $0[2], deleted: $0[3]) }
            let quarantine = try Row.fetchAll(
                db,
                sql: "SELECT connector, stream, count(*) FROM quarantine GROUP BY connector, stream ORDER BY connector, stream"
            ).map { StoreStatus.QuarantineCount(connector: $0[0], stream: $0[1], count: $0[2]) }
            let persons = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM person WHERE id NOT IN (SELECT alias FROM person_alias)") ?? 0
            let pushed = try Row.fetchAll(
                db, sql: "SELECT target, count(*) FROM feedback_state GROUP BY target ORDER BY target"
            ).map { StoreStatus.TargetCount(target: $0[0], count: $0[1]) }
            let deadLetters = try Row.fetchAll(
                db, sql: "SELECT target, count(*) FROM feedback_dead_letter GROUP BY target ORDER BY target"
            ).map { StoreStatus.TargetCount(target: $0[0], count: $0[1]) }
            return StoreStatus(
                runs: runs, checkpoints: checkpoints, recordCounts: recordCounts, quarantine: quarantine,
                persons: persons, pushed: pushed, deadLetters: deadLetters)
        }
    }

    /// Quarantined records, the most recently seen first.
    public func quarantined(limit: Int) throws -> [QuarantineEntry] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT connector, stream, location, reason, seen_at FROM quarantine
                    ORDER BY seen_at DESC, connector, stream, location LIMIT ?
                    """,
                arguments: [limit]
            ).map {
                QuarantineEntry(connector: $0[0], stream: $0[1], location: $0[2], reason: $0[3], seenAt: $0[4])
            }
        }
    }

    /// Every data table's rows as sorted text lines, by table, without the run log, the lock, the scheduler's state,
    /// API usage and wall-clock or run-id columns: two stores fed the same records compare equal.
    public func contentsForComparison() throws -> [String: [String]] {
        let skippedTables: Set<String> = [
            "run", "run_stream", "sync_lock", "grdb_migrations", "schedule_state", "api_usage",
        ]
        let skippedColumns: Set<String> = ["updated_at", "seen_at", "acquired_at", "created_run", "pushed_run", "last_run"]
        return try writer.read { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            var contents: [String: [String]] = [:]
            for table in tables where !skippedTables.contains(table) {
                let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.quotedDatabaseIdentifier))")
                    .map { $0["name"] as String }
                    .filter { !skippedColumns.contains($0) }
                let select = columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
                let lines = try Row.fetchAll(db, sql: "SELECT \(select) FROM \(table.quotedDatabaseIdentifier)").map { row in
                    zip(columns, row.databaseValues).map { "\($0)=\(Self.render($1))" }.joined(separator: " ")
                }
                contents[table] = lines.sorted()
            }
            return contents
        }
    }

    private static func render(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): text.debugDescription
        case .blob(let data): "x'" + data.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() + "'"
        }
    }
}
