import GRDB
public import SyncHubCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension StoreDatabase {
    /// The status of a run whose process ended without finishing it (killed with SIGKILL, out of memory, a power
    /// cut): found by the next command that takes the store's lock. Stored in `run.status`; not a ``RunStatus``.
    public static let interruptedRunStatus = "interrupted"

    /// Starts a run in the run log, with this process's pid and host (so a run its process never finished can be
    /// told from one under way).
    public func beginRun(command: String) throws -> RunID {
        try writer.write { db in
            try db.execute(
                sql: "INSERT INTO run (command, started_at, status, pid, host) VALUES (?, ?, ?, ?, ?)",
                arguments: [command, storeTimestamp(), RunStatus.running.rawValue, getpid(), Self.hostName])
            return db.lastInsertedRowID
        }
    }

    /// Records what a pull run was asked to read: its connectors, and its streams (empty: every stream). If the run
    /// is cut off, its unfinished streams are found among these.
    public func recordRunSelection(_ runID: RunID, connectors: [String], streams: [String]) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE run SET connectors = ?, streams = ? WHERE id = ?",
                arguments: [connectors.joined(separator: "\n"), streams.isEmpty ? nil : streams.joined(separator: "\n"), runID])
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

    /// Streams of `connectors` whose latest pull stopped early and has not been finished since: paused (a signal, a
    /// spent API budget), or cut off when its process ended without finishing the run (see ``markInterruptedRuns()``).
    public func unfinishedStreams(connectors: [String]) throws -> [(connector: String, stream: String, runID: Int64)] {
        let wanted = Set(connectors)
        return try writer.write { db in
            try Self.markInterruptedRuns(db)
            return try Row.fetchAll(db, sql: """
                SELECT s.connector, s.stream, s.status, s.run_id FROM run_stream s
                WHERE s.run_id = (SELECT max(t.run_id) FROM run_stream t WHERE t.connector = s.connector AND t.stream = s.stream)
                ORDER BY s.connector, s.stream
                """)
            .filter { ($0[2] as String?) == RunStatus.paused.rawValue && wanted.contains($0[0] as String? ?? "") }
            .map { (connector: $0[0] as String? ?? "", stream: $0[1] as String? ?? "", runID: $0[3] as Int64? ?? 0) }
        }
    }

    /// Marks as `interrupted` the runs still `running` whose process ended without finishing them, and returns their
    /// ids. Taking the store's lock does this (``acquireLock(_:command:lease:)``); call it while holding the lock.
    ///
    /// A run is cut off when it is not this process's and its process is gone (this host, no such pid), or it
    /// started before the lock's current holder, another process, took the lock (runs only write under the lock:
    /// that run's process lost it, dead or not). The streams it left half-read get a `paused` row in the run, so
    /// identity and stages wait for the next complete pull of their connector: a stream it was reading (its
    /// checkpoint moved during the run) and the streams of that connector it had not reached (those of the
    /// connector's previous pull, within the run's `--stream` selection). A connector it never reached is
    /// untouched and stays complete.
    @discardableResult
    public func markInterruptedRuns() throws -> [RunID] {
        try writer.write { db in try Self.markInterruptedRuns(db) }
    }

    @discardableResult
    static func markInterruptedRuns(_ db: Database) throws -> [RunID] {
        let running = try Row.fetchAll(
            db, sql: "SELECT id, started_at, pid, host, connectors, streams FROM run WHERE status = ? ORDER BY id",
            arguments: [RunStatus.running.rawValue])
        guard !running.isEmpty else { return [] }
        let lock = try Row.fetchOne(db, sql: "SELECT pid, host, acquired_at FROM sync_lock WHERE name = 'sync'")
        let (ownPID, ownHost) = (getpid(), hostName)
        var marked: [RunID] = []
        for run in running {
            let id: Int64 = run[0], startedAt: String = run[1], pid: Int32? = run[2], host: String? = run[3]
            guard isCutOff(pid: pid, host: host, startedAt: startedAt, lock: lock, own: (ownPID, ownHost)) else { continue }
            let who = pid.map { "pid \($0) on \(host ?? "?")" } ?? "an earlier synchub"
            try db.execute(
                sql: "UPDATE run SET status = ?, error = ? WHERE id = ?",
                arguments: [
                    interruptedRunStatus,
                    "interrupted: its process (\(who)) ended before the run finished (killed?); "
                        + "its streams resume from their checkpoints next run", id,
                ])
            try markUnfinishedStreams(db, runID: id, startedAt: startedAt,
                                      connectors: (run[4] as String?).map(lines), streams: (run[5] as String?).map(lines))
            marked.append(id)
        }
        return marked
    }

    /// Whether a `running` run was cut off (see ``markInterruptedRuns()``).
    static func isCutOff(pid: Int32?, host: String?, startedAt: String, lock: Row?, own: (pid: Int32, host: String)) -> Bool {
        if let pid, let host, pid == own.pid, host == own.host { return false }
        if let pid, host == own.host, !processExists(pid) { return true }
        guard let lock else { return false }
        let holderPID: Int32? = lock[0], holderHost: String? = lock[1], acquiredAt: String? = lock[2]
        if let pid, pid == holderPID, host == holderHost { return false }
        guard let acquiredAt else { return false }
        return startedAt <= acquiredAt
    }

    private static func lines(_ text: String) -> Set<String> {
        Set(text.split(separator: "\n").map(String.init))
    }

    /// Gives the streams a cut-off run left half-read a `paused` row in that run.
    private static func markUnfinishedStreams(
        _ db: Database, runID: Int64, startedAt: String, connectors: Set<String>?, streams: Set<String>?
    ) throws {
        let error = "interrupted: the process ended mid-pull; resumes from its checkpoint next run"
        // The streams the engine had logged as running (it logs every stream it selected so before reading any).
        try db.execute(
            sql: "UPDATE run_stream SET status = ?, error = ? WHERE run_id = ? AND status = ?",
            arguments: [RunStatus.paused.rawValue, error, runID, RunStatus.running.rawValue])
        // Runs logged without them: the streams their checkpoints show they were reading, and those not reached.
        // The run's own window: until the next run started (runs take the lock in turn).
        let nextStart = try String.fetchOne(db, sql: "SELECT min(started_at) FROM run WHERE id > ?", arguments: [runID])
        var recorded = Set<String>()
        var touched: [String: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT connector, stream FROM run_stream WHERE run_id = ? AND stream <> '*'", arguments: [runID]) {
            recorded.insert("\(row[0] as String)\n\(row[1] as String)")
            touched[row[0], default: []].insert(row[1])
        }
        // Streams whose checkpoint moved during the run: it committed batches of them.
        for row in try Row.fetchAll(
            db, sql: "SELECT connector, stream FROM checkpoint WHERE updated_at >= ? AND (? IS NULL OR updated_at < ?)",
            arguments: [startedAt, nextStart, nextStart])
        {
            touched[row[0], default: []].insert(row[1])
        }
        for (connector, moved) in touched.sorted(by: { $0.key < $1.key }) {
            if let connectors, !connectors.contains(connector) { continue }
            // The streams of the connector's previous pull it had not reached yet.
            let previous = try String.fetchAll(db, sql: """
                SELECT stream FROM run_stream
                WHERE connector = ? AND stream <> '*'
                  AND run_id = (SELECT max(run_id) FROM run_stream WHERE connector = ? AND run_id < ? AND stream <> '*')
                """, arguments: [connector, connector, runID])
            for stream in moved.union(previous).sorted() where !recorded.contains("\(connector)\n\(stream)") {
                if let streams, !streams.contains(stream) { continue }
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO run_stream (run_id, connector, stream, status, received, inserted, updated,
                            unchanged, deleted, quarantined, batches, seconds, error)
                        VALUES (?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0, ?)
                        """,
                    arguments: [runID, connector, stream, RunStatus.paused.rawValue, error])
            }
        }
    }
}
