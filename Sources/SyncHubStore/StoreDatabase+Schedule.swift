public import Foundation
import GRDB
public import SyncHubCore

/// What the scheduler knows about one connector's schedule; kept in the store so `status` shows it and a restarted
/// scheduler continues where it stopped (its next run, its backoff).
public struct ScheduleState: Sendable, Hashable {
    public var connector: String
    /// The schedule as configured (`every 15m`, `cron */15 * * * * UTC`): a changed schedule starts afresh.
    public var spec: String
    /// When the next run is due (jitter and backoff included).
    public var nextRunAt: Date?
    public var lastStartedAt: Date?
    public var lastFinishedAt: Date?
    /// How the last run ended (`succeeded`, `failed`, `partial`, `paused`, `interrupted`, `skipped`).
    public var lastOutcome: String?
    public var lastSuccessAt: Date?
    public var lastFailureAt: Date?
    /// What went wrong the last time a run failed; never field values.
    public var lastError: String?
    public var consecutiveFailures: Int
    /// No run before this time: failures in a row push it further out.
    public var backoffUntil: Date?

    public init(
        connector: String, spec: String, nextRunAt: Date? = nil, lastStartedAt: Date? = nil, lastFinishedAt: Date? = nil,
        lastOutcome: String? = nil, lastSuccessAt: Date? = nil, lastFailureAt: Date? = nil, lastError: String? = nil,
        consecutiveFailures: Int = 0, backoffUntil: Date? = nil
    ) {
        self.connector = connector
        self.spec = spec
        self.nextRunAt = nextRunAt
        self.lastStartedAt = lastStartedAt
        self.lastFinishedAt = lastFinishedAt
        self.lastOutcome = lastOutcome
        self.lastSuccessAt = lastSuccessAt
        self.lastFailureAt = lastFailureAt
        self.lastError = lastError
        self.consecutiveFailures = consecutiveFailures
        self.backoffUntil = backoffUntil
    }
}

extension ScheduleState: Codable {
    enum CodingKeys: String, CodingKey {
        case connector, spec, nextRunAt, lastStartedAt, lastFinishedAt, lastOutcome, lastSuccessAt, lastFailureAt,
            lastError, consecutiveFailures, backoffUntil
    }

    /// Dates as ISO-8601 UTC text, like every timestamp synchub shows.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(connector, forKey: .connector)
        try container.encode(spec, forKey: .spec)
        try container.encode(nextRunAt.map(StoreTime.text), forKey: .nextRunAt)
        try container.encode(lastStartedAt.map(StoreTime.text), forKey: .lastStartedAt)
        try container.encode(lastFinishedAt.map(StoreTime.text), forKey: .lastFinishedAt)
        try container.encode(lastOutcome, forKey: .lastOutcome)
        try container.encode(lastSuccessAt.map(StoreTime.text), forKey: .lastSuccessAt)
        try container.encode(lastFailureAt.map(StoreTime.text), forKey: .lastFailureAt)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(consecutiveFailures, forKey: .consecutiveFailures)
        try container.encode(backoffUntil.map(StoreTime.text), forKey: .backoffUntil)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func date(_ key: CodingKeys) throws -> Date? { try container.decodeIfPresent(String.self, forKey: key).flatMap(StoreTime.date) }
        self.init(
            connector: try container.decode(String.self, forKey: .connector),
            spec: try container.decode(String.self, forKey: .spec), nextRunAt: try date(.nextRunAt),
            lastStartedAt: try date(.lastStartedAt), lastFinishedAt: try date(.lastFinishedAt),
            lastOutcome: try container.decodeIfPresent(String.self, forKey: .lastOutcome),
            lastSuccessAt: try date(.lastSuccessAt), lastFailureAt: try date(.lastFailureAt),
            lastError: try container.decodeIfPresent(String.self, forKey: .lastError),
            consecutiveFailures: try container.decode(Int.self, forKey: .consecutiveFailures),
            backoffUntil: try date(.backoffUntil))
    }
}

/// The store's spelling of times: ISO-8601 UTC with milliseconds.
public enum StoreTime {
    public static func text(_ date: Date) -> String {
        Timestamps.format(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded()), withMilliseconds: true)
    }

    public static func date(_ text: String) -> Date? {
        Timestamps.milliseconds(text).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    /// `YYYY-MM-DD` in UTC.
    public static func day(_ date: Date) -> String { String(text(date).prefix(10)) }
}

/// API requests of one connector on one UTC day.
public struct APIUsageRecord: Sendable, Hashable, Codable {
    public var connector: String
    /// `YYYY-MM-DD`, UTC.
    public var day: String
    public var requests: Int
    /// The system's daily allowance left, as it last reported it.
    public var dailyRemaining: Int?
    /// The system's daily allowance, as it last reported it.
    public var dailyLimit: Int?
    public var updatedAt: String
}

/// When a connector's streams last all succeeded, and when one last failed, from the run log.
public struct ConnectorRunSummary: Sendable, Hashable, Codable {
    public var connector: String
    /// When the last run whose streams of this connector all succeeded (or paused) ended.
    public var lastSuccessAt: String?
    /// When the last run with a failed stream of this connector ended.
    public var lastFailureAt: String?
    /// Its failed streams and why (`crm/deals: not found: ...`).
    public var lastFailure: String?
}

extension StoreDatabase {
    // MARK: Schedule state

    public func scheduleStates() throws -> [ScheduleState] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM schedule_state ORDER BY connector").map(Self.scheduleState)
        }
    }

    public func scheduleState(connector: String) throws -> ScheduleState? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM schedule_state WHERE connector = ?", arguments: [connector])
                .map(Self.scheduleState)
        }
    }

    public func saveScheduleState(_ state: ScheduleState) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO schedule_state (connector, spec, next_run_at, last_started_at, last_finished_at,
                        last_outcome, last_success_at, last_failure_at, last_error, consecutive_failures, backoff_until,
                        updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    state.connector, state.spec, state.nextRunAt.map(StoreTime.text),
                    state.lastStartedAt.map(StoreTime.text), state.lastFinishedAt.map(StoreTime.text), state.lastOutcome,
                    state.lastSuccessAt.map(StoreTime.text), state.lastFailureAt.map(StoreTime.text), state.lastError,
                    state.consecutiveFailures, state.backoffUntil.map(StoreTime.text), storeTimestamp(),
                ])
        }
    }

    private static func scheduleState(_ row: Row) -> ScheduleState {
        func date(_ column: String) -> Date? { (row[column] as String?).flatMap(StoreTime.date) }
        return ScheduleState(
            connector: row["connector"], spec: row["spec"], nextRunAt: date("next_run_at"),
            lastStartedAt: date("last_started_at"), lastFinishedAt: date("last_finished_at"), lastOutcome: row["last_outcome"],
            lastSuccessAt: date("last_success_at"), lastFailureAt: date("last_failure_at"), lastError: row["last_error"],
            consecutiveFailures: row["consecutive_failures"], backoffUntil: date("backoff_until"))
    }

    // MARK: API usage

    /// Adds a run's API requests to each connector's count for the UTC day of `date`.
    public func recordAPIUsage(_ usage: [APIUsageMeter.Usage], at date: Date = Date()) throws {
        guard !usage.isEmpty else { return }
        let day = StoreTime.day(date)
        try writer.write { db in
            for entry in usage {
                try db.execute(
                    sql: """
                        INSERT INTO api_usage (connector, day, requests, daily_remaining, daily_limit, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (connector, day) DO UPDATE SET
                            requests = requests + excluded.requests,
                            daily_remaining = coalesce(excluded.daily_remaining, daily_remaining),
                            daily_limit = coalesce(excluded.daily_limit, daily_limit),
                            updated_at = excluded.updated_at
                        """,
                    arguments: [entry.connector, day, entry.requests, entry.dailyRemaining, entry.dailyLimit, StoreTime.text(date)])
            }
        }
    }

    /// Each connector's API requests on the UTC day of `date`.
    public func apiUsage(on date: Date = Date()) throws -> [APIUsageRecord] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT connector, day, requests, daily_remaining, daily_limit, updated_at FROM api_usage
                    WHERE day = ? ORDER BY connector
                    """,
                arguments: [StoreTime.day(date)]
            ).map {
                APIUsageRecord(
                    connector: $0[0], day: $0[1], requests: $0[2], dailyRemaining: $0[3], dailyLimit: $0[4], updatedAt: $0[5])
            }
        }
    }

    // MARK: Per-connector summaries

    /// Quarantined records per connector.
    public func quarantineCounts() throws -> [String: Int] {
        try writer.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT connector, count(*) FROM quarantine GROUP BY connector") {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }

    /// Dead-lettered feedback records per target.
    public func deadLetterCounts() throws -> [String: Int] {
        try writer.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT target, count(*) FROM feedback_dead_letter GROUP BY target") {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }

    /// Each connector's last success and last failure in the run log (its latest 1,000 runs).
    public func connectorRunSummaries() throws -> [String: ConnectorRunSummary] {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT rs.connector, coalesce(r.ended_at, r.started_at), max(rs.status = 'failed'),
                        group_concat(CASE WHEN rs.status <> 'failed' THEN NULL
                            WHEN rs.error LIKE rs.connector || '/' || rs.stream || ':%' THEN rs.error
                            ELSE rs.stream || ': ' || coalesce(rs.error, 'failed') END, '; '),
                        max(rs.status = 'running')
                    FROM run_stream rs JOIN run r ON r.id = rs.run_id
                    WHERE r.id > (SELECT coalesce(max(id), 0) - 1000 FROM run)
                    GROUP BY rs.connector, r.id
                    ORDER BY r.id
                    """)
            var summaries: [String: ConnectorRunSummary] = [:]
            for row in rows {
                let connector: String = row[0]
                var summary = summaries[connector] ?? ConnectorRunSummary(connector: connector)
                let at: String = row[1]
                if (row[2] as Int? ?? 0) != 0 {
                    summary.lastFailureAt = at
                    summary.lastFailure = row[3]
                } else if (row[4] as Int? ?? 0) == 0 {
                    summary.lastSuccessAt = at
                }
                summaries[connector] = summary
            }
            return summaries
        }
    }
}
