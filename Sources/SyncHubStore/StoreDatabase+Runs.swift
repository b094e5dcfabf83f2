import GRDB
public import SyncHubCore

extension StoreDatabase {
    public func beginRun(command: String) throws -> RunID {
        try writer.write { db in
            try db.execute(
                sql: "INSERT INTO run (command, started_at, status) VALUES (?, ?, ?)",
                arguments: [command, storeTimestamp(), RunStatus.running.rawValue])
            return db.lastInsertedRowID
        }
    }

    public func recordStream(_ result: StreamResult, runID: RunID) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO run_stream (run_id, connector, stream, status, received, inserted, updated,
                        unchanged, deleted, quarantined, batches, seconds, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    runID, result.connector, result.stream, result.status.rawValue, result.counts.received,
                    result.counts.inserted, result.counts.updated, result.counts.unchanged, result.counts.deleted,
                    result.counts.quarantined, result.batches, result.seconds, result.error,
                ])
        }
    }

    public func finishRun(_ runID: RunID, status: RunStatus, error: String?) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE run SET ended_at = ?, status = ?, error = ? WHERE id = ?",
                arguments: [storeTimestamp(), status.rawValue, error, runID])
        }
    }
}
