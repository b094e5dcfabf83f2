import GRDB

extension StoreSchema {
    /// The alignment tables, after v1 and v2-activity. Register each change as a new named migration here.
    static func registerAlignmentMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("alignment-v1-stage-ledger") { db in
            try db.execute(
                sql: """
                    -- Each entry of a person into a shared stage: dated facts from the records (a HubSpot "Became a ...
                    -- Date", a deal's creation or close) and every change of the current stage seen after a pull.
                    -- Appended only; the same entry is never recorded twice.
                    CREATE TABLE stage_ledger (
                        id INTEGER PRIMARY KEY,
                        person_id TEXT NOT NULL,
                        stage TEXT NOT NULL,
                        entered_at TEXT NOT NULL,
                        connector TEXT NOT NULL,
                        evidence TEXT NOT NULL,
                        observed INTEGER NOT NULL,
                        created_run INTEGER,
                        UNIQUE (person_id, stage, entered_at)
                    );
                    CREATE INDEX stage_ledger_by_person ON stage_ledger (person_id, entered_at);

                    -- Every person's current shared stage, since when, and each system's stage for them (JSON).
                    CREATE TABLE person_stage (
                        person_id TEXT PRIMARY KEY NOT NULL,
                        stage TEXT NOT NULL,
                        since TEXT,
                        systems TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
    }
}
