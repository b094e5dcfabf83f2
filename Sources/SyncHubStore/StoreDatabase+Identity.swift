import GRDB
public import SyncHubCore
public import SyncHubIdentity

extension StoreDatabase {
    /// Every contact record (deleted ones too) with what identity resolution needs (emails, cross-system ids,
    /// upstream merges, the profile probabilistic matching compares, its current person), in key order.
    ///
    /// Reads row by row through the C API: a million contacts take a second or two.
    public func identityRecords() throws -> [IdentityRecord] {
        try writer.read { db in
            var records: [IdentityRecord] = []
            records.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM contact") ?? 0)
            try db.forEachRow(sql: "SELECT \(Self.identityColumns) \(Self.identityJoin) ORDER BY c.connector, c.external_id") { row in
                records.append(Self.identityRecord(row))
            }
            return records
        }
    }

    /// The columns `identityRecord(_:)` reads, and the tables they come from (`c`: contact, `l`: its person link).
    static let identityColumns = """
        c.connector, c.external_id, c.email, c.additional_emails, c.same_as, c.merged_into,
        c.is_deleted, l.person_id, c.first_name, c.last_name, c.company, c.title, c.phone, c.website,
        c.street, c.city, c.state, c.postal_code, c.country, c.birth_date, c.source_updated_at, c.personal_id
        """
    static let identityJoin = """
        FROM contact c
        LEFT JOIN person_link l
            ON l.connector = c.connector AND l.object_type = 'contact' AND l.external_id = c.external_id
        """

    /// A row of `identityColumns` as resolution sees it.
    static func identityRecord(_ row: SQLiteStep) -> IdentityRecord {
        var emails: [String] = []
        if let email = row.string(2), !email.isEmpty { emails.append(email) }
        if let additional = row.string(3), !additional.isEmpty {
            for part in additional.split(separator: ";") where !part.isEmpty { emails.append(String(part)) }
        }
        return IdentityRecord(
            reference: RecordReference(connector: row.string(0) ?? "", objectType: .contact, externalID: row.string(1) ?? ""),
            emails: emails,
            sameAs: SameAsText.decode(row.string(4)),
            mergedInto: row.string(5),
            isDeleted: row.bool(6),
            currentPersonID: row.string(7),
            profile: PersonProfile(
                firstName: row.string(8), lastName: row.string(9), company: row.string(10), title: row.string(11),
                phone: row.string(12), website: row.string(13), street: row.string(14), city: row.string(15),
                state: row.string(16), postalCode: row.string(17), country: row.string(18),
                birthDate: row.string(19), personalID: row.string(21), updatedAt: row.string(20)))
    }

    /// Writes a resolution in one transaction: new persons, changed links, and merges as aliases.
    ///
    /// A merge points the absorbed id, and every alias that pointed at it, to the survivor, and moves any link
    /// still on the absorbed person. A new person whose id was an alias stops being one.
    public func apply(_ resolution: IdentityResolution, runID: RunID?) throws {
        try writer.write { db in try Self.writePersonsAndLinks(resolution, runID: runID, db: db) }
    }

    /// The persons, links and merges of `resolution`, inside the caller's transaction.
    static func writePersonsAndLinks(_ resolution: IdentityResolution, runID: RunID?, db: Database) throws {
        do {
            let insertPerson = try db.cachedStatement(sql: """
                INSERT INTO person (id, founded_by, created_run) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING
                """)
            let dropAlias = try db.cachedStatement(sql: "DELETE FROM person_alias WHERE alias = ?")
            let hasAliases = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM person_alias)") ?? false
            // In key order: appending to the primary key's B-tree is far cheaper than random inserts.
            for person in resolution.newPersons.sorted(by: { $0.id < $1.id }) {
                var row = SQLiteStep(insertPerson, in: db)
                row.bind(person.id)
                row.bind(person.foundedBy.description)
                row.bind(runID)
                try row.run()
                guard hasAliases else { continue }
                var alias = SQLiteStep(dropAlias, in: db)
                alias.bind(person.id)
                try alias.run()
            }
            let upsertLink = try db.cachedStatement(sql: """
                INSERT INTO person_link (connector, object_type, external_id, person_id, rule, evidence)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (connector, object_type, external_id) DO UPDATE SET
                    person_id = excluded.person_id, rule = excluded.rule, evidence = excluded.evidence
                WHERE person_link.person_id <> excluded.person_id OR person_link.rule <> excluded.rule
                    OR person_link.evidence <> excluded.evidence
                """)
            for link in resolution.changedLinks {
                var row = SQLiteStep(upsertLink, in: db)
                row.bind(link.reference.connector)
                row.bind(link.reference.objectType.rawValue)
                row.bind(link.reference.externalID)
                row.bind(link.personID)
                row.bind(link.rule)
                row.bind(link.evidence)
                try row.run()
            }
            for (absorbed, survivor) in resolution.merges where absorbed != survivor {
                try db.execute(
                    sql: """
                        INSERT INTO person_alias (alias, person_id) VALUES (?, ?)
                        ON CONFLICT (alias) DO UPDATE SET person_id = excluded.person_id;
                        UPDATE person_alias SET person_id = ? WHERE person_id = ?;
                        UPDATE person_link SET person_id = ? WHERE person_id = ?;
                        DELETE FROM person_alias WHERE alias = ?;
                        """,
                    arguments: [absorbed, survivor, survivor, absorbed, survivor, absorbed, survivor])
            }
        }
    }

    /// The current id of a person id that may have been merged away, or `nil` if the store never knew it.
    public func resolvePersonID(_ id: String) throws -> String? {
        try writer.read { db in
            var current = id
            var visited: Set<String> = [id]
            while let next = try String.fetchOne(db, sql: "SELECT person_id FROM person_alias WHERE alias = ?", arguments: [current]) {
                guard visited.insert(next).inserted else { break }
                current = next
            }
            return try Bool.fetchOne(db, sql: "SELECT 1 FROM person WHERE id = ?", arguments: [current]) == true ? current : nil
        }
    }
}
