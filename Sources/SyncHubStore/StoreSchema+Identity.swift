import GRDB

extension StoreSchema {
    /// The identity tables, after v1 and v2-activity. Register each change as a new named migration here.
    static func registerIdentityMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-identity-people") { db in try createIdentityPeople(db) }
        migrator.registerMigration("v4-identity-index") { db in try createIdentityIndex(db) }
        migrator.registerMigration("v5-identity-profile") { db in
            // What matching reads of each record (`MatchProfileBlob`): a changed record's key neighbours are scored
            // from it without reading their contact rows. Indexes of the earlier format are rebuilt.
            try db.execute(sql: "ALTER TABLE identity_record ADD COLUMN profile BLOB; DELETE FROM identity_state WHERE key = 'index'")
        }
        migrator.registerMigration("v6-personal-id") { db in
            // A national, tax, membership or customer number, on contacts and golden records; the identity index
            // (whose profiles lack it) is rebuilt by the next resolution.
            try db.execute(sql: """
                ALTER TABLE contact ADD COLUMN personal_id TEXT;
                ALTER TABLE golden_person ADD COLUMN personal_id TEXT;
                DELETE FROM identity_state WHERE key = 'index';
                """)
        }
    }

    /// The identity index: what resolution after a pull needs to load only the records a change can affect.
    /// Written by every full resolution and kept up to date by incremental ones, in the transaction of their writes
    /// (`identity_state` key `index` says which index format it holds; missing or different: the next resolution
    /// is full and rebuilds it).
    private static func createIdentityIndex(_ db: Database) throws {
        try db.execute(sql: """
            -- Each contact's index entry, by a 64-bit fingerprint of its reference: the fingerprint of what
            -- resolution reads of it, its keys and its frequency values (little-endian 64-bit integers).
            CREATE TABLE identity_record (
                id INTEGER PRIMARY KEY,
                connector TEXT NOT NULL,
                external_id TEXT NOT NULL,
                fingerprint INTEGER NOT NULL,
                keys BLOB NOT NULL,
                vals BLOB NOT NULL
            );

            -- The records filed under each key (blocking keys, personal emails, references named).
            CREATE TABLE identity_key (
                key INTEGER NOT NULL,
                record INTEGER NOT NULL,
                PRIMARY KEY (key, record)
            ) WITHOUT ROWID;

            -- Active records with each value of each frequency column (value 0: records with any value; column -1:
            -- all contact records), for term-frequency weights as over the whole store.
            CREATE TABLE identity_value (
                col INTEGER NOT NULL,
                value INTEGER NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (col, value)
            ) WITHOUT ROWID;
            """)
    }

    /// Match evidence, the review queue, overrides, the estimated match model, golden records, and the contacts
    /// changed since the last resolution.
    ///
    /// What resolution writes depends only on the records and decisions, never on when it ran (no timestamps, run
    /// ids only in `*_run` columns): an interrupted pull, rerun, leaves the same store as a clean one.
    ///
    /// Records are referenced as `connector:external_id` (connector names never contain `:`), the spelling of
    /// `same_as` and of `person.founded_by`.
    private static func createIdentityPeople(_ db: Database) throws {
        try db.execute(sql: """
            -- Every link edge resolution decided: two contact records, the rule, what matched, and for probabilistic
            -- rules the score (sum of log2 weights) and the compared fields as [[field, outcome, weight], ...].
            CREATE TABLE person_match (
                record_a TEXT NOT NULL,
                record_b TEXT NOT NULL,
                rule TEXT NOT NULL,
                evidence TEXT NOT NULL,
                score REAL,
                comparisons TEXT,
                PRIMARY KEY (record_a, record_b, rule)
            ) WITHOUT ROWID;
            CREATE INDEX person_match_by_b ON person_match (record_b);

            -- Pairs scored between the review and link thresholds, for `synchub people review`.
            CREATE TABLE identity_review (
                id INTEGER PRIMARY KEY,
                record_a TEXT NOT NULL,
                record_b TEXT NOT NULL,
                score REAL,
                comparisons TEXT,
                status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
                created_run INTEGER,
                decided_at TEXT,
                UNIQUE (record_a, record_b)
            );
            CREATE INDEX identity_review_by_b ON identity_review (record_b);

            -- Decisions of a person (`people merge`, `people split`, review answers) that resolution respects.
            -- kind: sameperson (record_a, record_b), different (record_a, record_b) or detach (record_a only).
            CREATE TABLE identity_override (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('sameperson', 'different', 'detach')),
                record_a TEXT NOT NULL,
                record_b TEXT,
                created_at TEXT NOT NULL,
                note TEXT
            );

            -- Identity state by key: `model` (the estimated match model, JSON), `configuration` (fingerprint of the
            -- identity settings it was resolved with).
            CREATE TABLE identity_state (
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) WITHOUT ROWID;

            -- The golden record of each person: one value per field, chosen by the survivorship rules.
            -- sources: the records values came from, `connector:external_id@source_updated_at`, separated by a
            -- line feed; provenance: per field with a value, `field=source_index:rule`, separated by `;`.
            CREATE TABLE golden_person (
                person_id TEXT PRIMARY KEY NOT NULL,
                email TEXT,
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
                sources TEXT NOT NULL,
                provenance TEXT NOT NULL
            ) WITHOUT ROWID;

            -- Contacts written since the last resolution, appended by triggers on `contact` (a record written twice
            -- is listed twice): the next resolution re-examines these (and their blocks) only, then deletes the
            -- entries up to the last it read. Append-only, so landing a record costs one more B-tree append.
            CREATE TABLE identity_dirty (
                seq INTEGER PRIMARY KEY,
                connector TEXT NOT NULL,
                external_id TEXT NOT NULL
            );
            CREATE TRIGGER contact_dirty_after_insert AFTER INSERT ON contact BEGIN
                INSERT INTO identity_dirty (connector, external_id) VALUES (new.connector, new.external_id);
            END;
            CREATE TRIGGER contact_dirty_after_update AFTER UPDATE ON contact BEGIN
                INSERT INTO identity_dirty (connector, external_id) VALUES (new.connector, new.external_id);
            END;
            """)
    }
}
