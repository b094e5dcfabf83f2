import GRDB

extension StoreSchema {
    /// The schedule tables, after v1 and v2-activity. Register each change as a new named migration here.
    static func registerScheduleMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-schedule") { db in try createSchedule(db) }
    }

    /// Scheduler state per connector (so `status` shows it and a restart continues), API usage per connector and
    /// day, and a heartbeat on the sync lock (a lock whose holder stopped renewing it for a lease is stale).
    private static func createSchedule(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE schedule_state (
                connector TEXT PRIMARY KEY NOT NULL,
                spec TEXT NOT NULL,
                next_run_at TEXT,
                last_started_at TEXT,
                last_finished_at TEXT,
                last_outcome TEXT,
                last_success_at TEXT,
                last_failure_at TEXT,
                last_error TEXT,
                consecutive_failures INTEGER NOT NULL DEFAULT 0,
                backoff_until TEXT,
                updated_at TEXT NOT NULL
            ) WITHOUT ROWID;

            -- API requests per connector and UTC day, and the daily allowance the system last reported.
            CREATE TABLE api_usage (
                connector TEXT NOT NULL,
                day TEXT NOT NULL,
                requests INTEGER NOT NULL,
                daily_remaining INTEGER,
                daily_limit INTEGER,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (connector, day)
            ) WITHOUT ROWID;

            ALTER TABLE sync_lock ADD COLUMN heartbeat_at TEXT;
            """)
    }
}
