import GRDB

/// The store's migrations. Each is named and never edited once shipped: a change is a new migration.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try createV1(db) }
        migrator.registerMigration("v2-activity") { db in try createActivity(db) }
        // Later migrations, in this order; each lives in its own file (StoreSchema+<Concern>.swift).
        registerIdentityMigrations(&migrator)
        registerAlignmentMigrations(&migrator)
        registerScheduleMigrations(&migrator)
        registerRunMigrations(&migrator)
        return migrator
    }

    /// The normalized tables and their columns after `(connector, external_id)` and before
    /// `(is_deleted, source_updated_at)`; the order is the order in which the store binds them.
    static let normalizedColumns: [(table: String, columns: [String])] = [
        ("contact", [
            "kind", "email", "additional_emails", "first_name", "last_name", "company", "title", "phone", "website",
            "street", "city", "state", "postal_code", "country", "birth_date", "owner", "lifecycle_stage",
            "lead_status", "account_id", "created_at", "same_as", "merged_into", "personal_id",
        ]),
        ("account", ["name", "domain", "website", "industry", "country", "owner", "employees", "created_at"]),
        ("campaign", ["name", "channel", "status", "started_at", "ended_at", "cost"]),
        ("touch", ["contact_id", "email", "campaign_id", "type", "occurred_at"]),
        ("deal", [
            "name", "account_id", "stage", "pipeline", "amount", "currency", "close_date", "created_at", "outcome",
            "loss_reason", "owner",
        ]),
        ("deal_contact", ["deal_id", "contact_id", "role", "is_primary"]),
        ("activity", ["type", "contact_id", "email", "account_id", "deal_id", "owner", "occurred_at", "status", "direction"]),
    ]

    /// Sales activities (calls, meetings, emails, tasks): the first one after a lead's assignment ends its
    /// follow-up time.
    private static func createActivity(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE activity (
                connector TEXT NOT NULL,
                external_id TEXT NOT NULL,
                type TEXT,
                contact_id TEXT,
                email TEXT,
                account_id TEXT,
                deal_id TEXT,
                owner TEXT,
                occurred_at TEXT,
                status TEXT,
                direction TEXT,
                is_deleted INTEGER NOT NULL DEFAULT 0,
                source_updated_at TEXT,
                PRIMARY KEY (connector, external_id)
            ) WITHOUT ROWID;
            CREATE INDEX activity_by_contact ON activity (connector, contact_id);
            """)
    }

    private static func createV1(_ db: Database) throws {
        try db.execute(sql: """
            -- Every record as a source delivered it, for audit and replay. An unchanged record is never rewritten:
            -- version counts the writes that changed it.
            CREATE TABLE raw_record (
                connector TEXT NOT NULL,
                object_type TEXT NOT NULL,
                external_id TEXT NOT NULL,
                stream TEXT NOT NULL,
                payload TEXT NOT NULL,
                source_updated_at TEXT,
                content_hash INTEGER NOT NULL,
                is_deleted INTEGER NOT NULL DEFAULT 0,
                merged_into TEXT,
                version INTEGER NOT NULL,
                PRIMARY KEY (connector, object_type, external_id)
            ) WITHOUT ROWID;

            CREATE TABLE contact (
                connector TEXT NOT NULL,
                external_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                email TEXT,
                additional_emails TEXT,
                first_name TEXT,
                last_name TEXT,
                company TEXT,
                title TEXT,
                phone TEXT,
                website TEXT,
                street TEXT,
                city TEXT,
                state TEXT,
                postal_code TEXT,
                country TEXT,
                birth_date TEXT,
                owner TEXT,
                lifecycle_stage TEXT,
                lead_status TEXT,
                account_id TEXT,
                created_at TEXT,
                same_as TEXT,
                merged_into TEXT,
                is_deleted INTEGER NOT NULL DEFAULT 0,
                source_updated_at TEXT,
                PRIMARY KEY (connector, external_id)
            ) WITHOUT ROWID;

            CREATE TABLE account (
                connector TEXT NOT NULL,
                external_id TEXT NOT NULL,
                name TEXT,
                domain TEXT,
                website TEXT,
                industry TEXT,
                country TEXT,
                owner TEXT,
                employees INTEGER,
                created_at TEXT,
                is_deleted INTEGER NOT NULL DEFAULT 0,
                source_updated_at TEXT,
                PRIMARY KEY (connector, external_id)
            ) WITHOUT ROWID;

            CREATE TABLE campaign (
                connector TEXT NOT NULL,
                external_id TEXT NOT NULL,
                name TEXT,
                channel TEXT,
                status TEXT,
                started_at TEXT,
                ended_at TEXT,
                cost REAL,
                is_deleted INTEGER NOT NULL DEFAULT 0,
                source_updated_at TEXT,
                PRIMARY KEY (connector, external_id)
            ) WITHOUT ROWID;

            CREATE TABLE touch (
                connector TEXT NOT NULL,
                external_id TEXT NOT NULL,
                contact_id TEXT,
                email TEXT,
                campaign_id TEXT,
                type TEXT,
                occurred_at TEXT,
                is_deleted INTEGER NOT NULL DEFAULT 0,
                source_updated_at TEXT,
                PRIMARY KEY (connector, external_id)
            ) WITHOUT ROWID;
            CREATE INDEX touch_by_contact ON touch (connector, contact_id);

            CREATE TABLE deal (
                connector TEXT NOT NULL,
                external_id TEXT NOT NULL,
                name TEXT,
                account_id TEXT,
                stage TEXT,
                pipeline TEXT,
                amount REAL,
                currency TEXT,
                close_date TEXT,
                created_at TEXT,
                outcome TEXT NOT NULL,
                loss_reason TEXT,
                owner TEXT,
                is_deleted INTEGER NOT NULL DEFAULT 0,
                source_updated_at TEXT,
                PRIMARY KEY (connector, external_id)
            ) WITHOUT ROWID;

            CREATE TABLE deal_contact (
                connector TEXT NOT NULL,
                external_id TEXT NOT NULL,
                deal_id TEXT NOT NULL,
                contact_id TEXT NOT NULL,
                role TEXT,
                is_primary INTEGER NOT NULL DEFAULT 0,
                is_deleted INTEGER NOT NULL DEFAULT 0,
                source_updated_at TEXT,
                PRIMARY KEY (connector, external_id)
            ) WITHOUT ROWID;
            CREATE INDEX deal_contact_by_contact ON deal_contact (connector, contact_id);

            -- Where each stream's reading got to; written in the same transaction as the batch it follows.
            CREATE TABLE checkpoint (
                connector TEXT NOT NULL,
                stream TEXT NOT NULL,
                payload BLOB NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (connector, stream)
            ) WITHOUT ROWID;

            -- Rejected input, kept for replay; the same bad row pulled twice is one entry.
            CREATE TABLE quarantine (
                connector TEXT NOT NULL,
                stream TEXT NOT NULL,
                location TEXT NOT NULL,
                payload_hash INTEGER NOT NULL,
                reason TEXT NOT NULL,
                payload BLOB NOT NULL,
                seen_at TEXT NOT NULL,
                PRIMARY KEY (connector, stream, location, payload_hash)
            ) WITHOUT ROWID;

            CREATE TABLE run (
                id INTEGER PRIMARY KEY,
                command TEXT NOT NULL,
                started_at TEXT NOT NULL,
                ended_at TEXT,
                status TEXT NOT NULL,
                error TEXT
            );

            CREATE TABLE run_stream (
                run_id INTEGER NOT NULL,
                connector TEXT NOT NULL,
                stream TEXT NOT NULL,
                status TEXT NOT NULL,
                received INTEGER NOT NULL,
                inserted INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                unchanged INTEGER NOT NULL,
                deleted INTEGER NOT NULL,
                quarantined INTEGER NOT NULL,
                batches INTEGER NOT NULL,
                seconds REAL NOT NULL,
                error TEXT,
                PRIMARY KEY (run_id, connector, stream)
            ) WITHOUT ROWID;

            CREATE TABLE person (
                id TEXT PRIMARY KEY NOT NULL,
                founded_by TEXT NOT NULL,
                created_run INTEGER
            ) WITHOUT ROWID;

            -- A person absorbed into another keeps resolving to its survivor.
            CREATE TABLE person_alias (
                alias TEXT PRIMARY KEY NOT NULL,
                person_id TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX person_alias_by_person ON person_alias (person_id);

            CREATE TABLE person_link (
                connector TEXT NOT NULL,
                object_type TEXT NOT NULL,
                external_id TEXT NOT NULL,
                person_id TEXT NOT NULL,
                rule TEXT NOT NULL,
                evidence TEXT NOT NULL,
                PRIMARY KEY (connector, object_type, external_id)
            ) WITHOUT ROWID;
            CREATE INDEX person_link_by_person ON person_link (person_id);

            CREATE TABLE feedback_state (
                target TEXT NOT NULL,
                record_key TEXT NOT NULL,
                person_id TEXT NOT NULL,
                payload_hash INTEGER NOT NULL,
                payload TEXT NOT NULL,
                pushed_run INTEGER,
                PRIMARY KEY (target, record_key)
            ) WITHOUT ROWID;

            CREATE TABLE feedback_dead_letter (
                target TEXT NOT NULL,
                record_key TEXT NOT NULL,
                idempotency_key TEXT NOT NULL,
                message TEXT,
                attempts INTEGER NOT NULL,
                last_run INTEGER,
                PRIMARY KEY (target, record_key)
            ) WITHOUT ROWID;

            CREATE TABLE sync_lock (
                name TEXT PRIMARY KEY NOT NULL,
                pid INTEGER NOT NULL,
                host TEXT NOT NULL,
                command TEXT NOT NULL,
                acquired_at TEXT NOT NULL
            ) WITHOUT ROWID;
            """)
    }
}
