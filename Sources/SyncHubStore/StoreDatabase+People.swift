import Foundation
import GRDB
public import SyncHubCore
public import SyncHubIdentity

/// Everything one identity resolution writes, applied in one transaction by ``StoreDatabase/apply(_:runID:)-(IdentityUpdate,_)``.
public struct IdentityUpdate: Sendable {
    public var resolution: IdentityResolution
    /// The records resolution re-examined: their matches and pending reviews are replaced. `nil`: every record (all
    /// matches and pending reviews are replaced).
    public var focus: Set<RecordReference>?
    /// Golden records of the persons the resolution touched.
    public var golden: [GoldenRecord]
    /// Persons whose golden record goes (absorbed into another, or left without records).
    public var removedGolden: [String]
    /// `identity_state` entries to write (`model`, `configuration`).
    public var state: [String: String]
    /// The change log entries this resolution consumed (up to and including this sequence number).
    public var resolvedThrough: Int64
    /// Changes to the identity index (`nil`: none).
    var index: IdentityIndexWrite?
    /// A full resolution's records: the whole index is computed from them when the other rows are written (not
    /// beside them: both at once would hold the resolution and some twelve million keys per million records).
    var fullIndex: (records: [IdentityRecord], configuration: MatchConfiguration)?

    public init(
        resolution: IdentityResolution, focus: Set<RecordReference>?, golden: [GoldenRecord] = [], removedGolden: [String] = [],
        state: [String: String] = [:], resolvedThrough: Int64 = 0
    ) {
        self.resolution = resolution
        self.focus = focus
        self.golden = golden
        self.removedGolden = removedGolden
        self.state = state
        self.resolvedThrough = resolvedThrough
    }

    init(
        resolution: IdentityResolution, focus: Set<RecordReference>?, golden: [GoldenRecord], removedGolden: [String],
        state: [String: String], resolvedThrough: Int64, index: IdentityIndexWrite?,
        fullIndex: (records: [IdentityRecord], configuration: MatchConfiguration)?
    ) {
        self.init(resolution: resolution, focus: focus, golden: golden, removedGolden: removedGolden, state: state, resolvedThrough: resolvedThrough)
        self.index = index
        self.fullIndex = fullIndex
    }
}

/// A decision a person made about identity, as stored.
public struct StoredOverride: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable { case sameperson, different, detach }
    public var id: Int64
    public var kind: Kind
    public var first: RecordReference
    public var second: RecordReference?
    public var createdAt: String
    public var note: String?
}

/// A pair of records scored between the review and link thresholds.
public struct IdentityReviewItem: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable { case pending, accepted, rejected }
    /// Stable number of the pair (`synchub people review accept N`).
    public var id: Int64
    public var pair: MatchedPair
    public var status: Status
    /// The run that first queued the pair.
    public var createdRun: Int64?
    public var decidedAt: String?
}

/// One contact record as `synchub people show` lists it.
public struct LinkedRecord: Sendable, Hashable {
    public var reference: RecordReference
    /// `contact` or `lead`.
    public var kind: String
    public var isDeleted: Bool
    /// The rule and evidence that put the record in its person.
    public var rule: String
    public var evidence: String
    public var profile: PersonProfile
    public var emails: [String]
}

extension StoreDatabase {
    // MARK: - Writing a resolution

    /// Writes a resolution and everything derived from it in one transaction: persons, links and merges; the
    /// match edges and pending reviews of the re-examined records; golden records; identity state; and forgets the
    /// changed contacts it consumed.
    public func apply(_ update: consuming IdentityUpdate, runID: RunID?) throws {
        var update = update
        try writer.write { db in
            var clock = PhaseClock()
            func lap(_ name: String) { clock.lap("identity write " + name) }
            try Self.writePersonsAndLinks(update.resolution, runID: runID, db: db)
            lap("persons and links")
            try Self.writeMatches(update.resolution.matches, focus: update.focus, db: db)
            try Self.writeReviews(update.resolution.reviews, focus: update.focus, runID: runID, db: db)
            lap("matches and reviews")
            update.resolution = IdentityResolution()
            try Self.writeGolden(update.golden, removed: update.removedGolden, db: db)
            update.golden = []
            lap("golden records")
            if let index = update.index { try Self.writeIdentityIndex(index, db: db) }
            if let full = update.fullIndex { try Self.writeIdentityIndex(.full(full.records, configuration: full.configuration), db: db) }
            let now = storeTimestamp()
            for (key, value) in update.state.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql: """
                        INSERT INTO identity_state (key, value, updated_at) VALUES (?, ?, ?)
                        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                        """,
                    arguments: [key, value, now])
            }
            let newest = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM identity_dirty") ?? 0
            if newest <= update.resolvedThrough {
                try db.execute(sql: "DELETE FROM identity_dirty")  // all of it: SQLite truncates
            } else {
                try db.execute(sql: "DELETE FROM identity_dirty WHERE seq <= ?", arguments: [update.resolvedThrough])
            }
        }
    }

    /// A pair in the store's order: the smaller reference first.
    static func ordered(_ a: RecordReference, _ b: RecordReference) -> (String, String) {
        let first = a.description, second = b.description
        return first.utf8.lexicographicallyPrecedes(second.utf8) ? (first, second) : (second, first)
    }

    static func writeMatches(_ matches: [MatchedPair], focus: Set<RecordReference>?, db: Database) throws {
        if let focus {
            let byA = try db.cachedStatement(sql: "DELETE FROM person_match WHERE record_a = ?")
            let byB = try db.cachedStatement(sql: "DELETE FROM person_match WHERE record_b = ?")
            for reference in focus {
                let key = reference.description
                var a = SQLiteStep(byA, in: db)
                a.bind(key)
                try a.run()
                var b = SQLiteStep(byB, in: db)
                b.bind(key)
                try b.run()
            }
        } else {
            try db.execute(sql: "DELETE FROM person_match")
        }
        let rows = matches.map { match -> (a: String, b: String, match: MatchedPair) in
            let (a, b) = ordered(match.first, match.second)
            return (a, b, match)
        }.sorted { ($0.a, $0.b, $0.match.rule) < ($1.a, $1.b, $1.match.rule) }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO person_match (record_a, record_b, rule, evidence, score, comparisons)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (record_a, record_b, rule) DO UPDATE SET evidence = excluded.evidence, score = excluded.score,
                comparisons = excluded.comparisons
            """)
        for row in rows {
            var step = SQLiteStep(insert, in: db)
            step.bind(row.a)
            step.bind(row.b)
            step.bind(row.match.rule)
            step.bind(row.match.evidence)
            step.bind(row.match.score)
            step.bind(ComparisonText.encode(row.match.comparisons))
            try step.run()
        }
    }

    /// Pending reviews of the re-examined records are replaced by `reviews`, keeping the number of a pair that is
    /// still pending; decided pairs are never reopened.
    static func writeReviews(_ reviews: [MatchedPair], focus: Set<RecordReference>?, runID: RunID?, db: Database) throws {
        var incoming: [String: MatchedPair] = [:]
        for review in reviews {
            let (a, b) = ordered(review.first, review.second)
            incoming[a + "\n" + b] = review
        }
        let focusKeys = focus.map { Set($0.map(\.description)) }
        var stale: [Int64] = []
        try db.forEachRow(sql: "SELECT id, record_a, record_b FROM identity_review WHERE status = 'pending'") { row in
            let a = row.string(1) ?? "", b = row.string(2) ?? ""
            guard focusKeys.map({ $0.contains(a) || $0.contains(b) }) ?? true else { return }
            if incoming[a + "\n" + b] == nil { stale.append(row.int64(0)) }
        }
        for id in stale { try db.execute(sql: "DELETE FROM identity_review WHERE id = ?", arguments: [id]) }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO identity_review (record_a, record_b, score, comparisons, status, created_run)
            VALUES (?, ?, ?, ?, 'pending', ?)
            ON CONFLICT (record_a, record_b) DO UPDATE SET score = excluded.score, comparisons = excluded.comparisons
            WHERE identity_review.status = 'pending'
            """)
        for key in incoming.keys.sorted() {
            let review = incoming[key]!
            let (a, b) = ordered(review.first, review.second)
            var step = SQLiteStep(upsert, in: db)
            step.bind(a)
            step.bind(b)
            step.bind(review.score)
            step.bind(ComparisonText.encode(review.comparisons))
            step.bind(runID)
            try step.run()
        }
    }

    static func writeGolden(_ golden: [GoldenRecord], removed: [String], db: Database) throws {
        let delete = try db.cachedStatement(sql: "DELETE FROM golden_person WHERE person_id = ?")
        for id in removed {
            var step = SQLiteStep(delete, in: db)
            step.bind(id)
            try step.run()
        }
        let columns = GoldenField.allCases.map(\.column)
        let all = ["person_id"] + columns + ["sources", "provenance"]
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO golden_person (\(all.joined(separator: ", "))) VALUES (\(all.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT (person_id) DO UPDATE SET \(all.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            """)
        for record in golden.sorted(by: { $0.personID < $1.personID }) {
            var step = SQLiteStep(upsert, in: db)
            step.bind(record.personID)
            for value in record.values { step.bind(value?.value) }
            let (sources, provenance) = GoldenText.encode(record)
            step.bind(sources)
            step.bind(provenance)
            try step.run()
        }
    }

    // MARK: - Reading what resolution needs

    /// How many contact writes (and override marks) wait for resolution, and the last one's sequence number.
    public func pendingContactChanges() throws -> (count: Int, through: Int64) {
        try writer.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT count(*), coalesce(max(seq), 0) FROM identity_dirty")
            return (row?[0] ?? 0, row?[1] ?? 0)
        }
    }

    /// Contacts written since the last resolution, up to sequence number `through`.
    public func dirtyContacts(through: Int64 = Int64.max) throws -> Set<RecordReference> {
        try writer.read { db in
            var references = Set<RecordReference>()
            try db.forEachRow(sql: "SELECT connector, external_id FROM identity_dirty WHERE seq <= ?", bind: { $0.bind(through) }) { row in
                references.insert(RecordReference(connector: row.string(0) ?? "", objectType: .contact, externalID: row.string(1) ?? ""))
            }
            return references
        }
    }

    /// An `identity_state` value (`model`, `configuration`).
    public func identityState(_ key: String) throws -> String? {
        try writer.read { db in try String.fetchOne(db, sql: "SELECT value FROM identity_state WHERE key = ?", arguments: [key]) }
    }

    /// Stored link edges; with `excluding`, only those touching none of these records. The compared fields are
    /// left out (grouping needs the pairs; `matches(touching:)` reads them in full). With `scoredOnly`, only the
    /// probabilistic edges: resolution derives the deterministic ones again from all records in any case.
    public func storedMatches(excluding focus: Set<RecordReference>? = nil, scoredOnly: Bool = false) throws -> [MatchedPair] {
        let keys = focus.map { Set($0.map(\.description)) }
        return try writer.read { db in
            var matches: [MatchedPair] = []
            let filter = scoredOnly ? " WHERE score IS NOT NULL" : ""
            matches.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM person_match" + filter) ?? 0)
            try db.forEachRow(sql: "SELECT record_a, record_b, rule, evidence, score FROM person_match" + filter) { row in
                let a = row.string(0) ?? "", b = row.string(1) ?? ""
                if let keys, keys.contains(a) || keys.contains(b) { return }
                matches.append(MatchedPair(
                    first: Self.reference(a), second: Self.reference(b), rule: row.string(2) ?? "", evidence: row.string(3) ?? "",
                    score: row.double(4)))
            }
            return matches
        }
    }

    /// The stored link edges touching any of `references`.
    public func matches(touching references: [RecordReference]) throws -> [MatchedPair] {
        try writer.read { db in
            var seen = Set<String>()
            var matches: [MatchedPair] = []
            for reference in references {
                for sql in ["SELECT record_a, record_b, rule, evidence, score, comparisons FROM person_match WHERE record_a = ?",
                            "SELECT record_a, record_b, rule, evidence, score, comparisons FROM person_match WHERE record_b = ?"] {
                    try db.forEachRow(sql: sql, bind: { $0.bind(reference.description) }) { row in
                        let a = row.string(0) ?? "", b = row.string(1) ?? "", rule = row.string(2) ?? ""
                        guard seen.insert(a + "\n" + b + "\n" + rule).inserted else { return }
                        matches.append(MatchedPair(
                            first: Self.reference(a), second: Self.reference(b), rule: rule, evidence: row.string(3) ?? "",
                            score: row.double(4), comparisons: ComparisonText.decode(row.string(5))))
                    }
                }
            }
            return matches
        }
    }

    /// `connector:external_id` as a contact reference.
    static func reference(_ text: String) -> RecordReference {
        guard let colon = text.firstIndex(of: ":") else { return RecordReference(connector: text, objectType: .contact, externalID: "") }
        return RecordReference(connector: String(text[..<colon]), objectType: .contact, externalID: String(text[text.index(after: colon)...]))
    }

    // MARK: - Golden records

    /// Golden records of `persons` (all when `nil`).
    public func goldenRecords(for persons: Set<String>?) throws -> [String: GoldenRecord] {
        try goldenRows(for: persons).mapValues { $0.decoded() }
    }

    /// Golden rows as stored, decoded when asked (a full resolution reads them all, and needs few).
    func goldenRows(for persons: Set<String>?) throws -> [String: StoredGoldenRow] {
        try writer.read { db in
            var rows: [String: StoredGoldenRow] = [:]
            let columns = GoldenField.allCases.map(\.column).joined(separator: ", ")
            let count = Int32(GoldenField.allCases.count)
            let read: (SQLiteStep) -> Void = { row in
                let id = row.string(0) ?? ""
                rows[id] = StoredGoldenRow(
                    personID: id, values: (1...count).map { row.string($0) }, sources: row.string(count + 1),
                    provenance: row.string(count + 2))
            }
            if let persons {
                let sql = "SELECT person_id, \(columns), sources, provenance FROM golden_person WHERE person_id = ?"
                for id in persons { try db.forEachRow(sql: sql, bind: { $0.bind(id) }, read) }
            } else {
                rows.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM golden_person") ?? 0)
                try db.forEachRow(sql: "SELECT person_id, \(columns), sources, provenance FROM golden_person", read)
            }
            return rows
        }
    }

    // MARK: - Overrides

    /// Every override, oldest first.
    public func overrides() throws -> [StoredOverride] {
        try writer.read { db in
            var overrides: [StoredOverride] = []
            try db.forEachRow(sql: "SELECT id, kind, record_a, record_b, created_at, note FROM identity_override ORDER BY id") { row in
                guard let kind = StoredOverride.Kind(rawValue: row.string(1) ?? "") else { return }
                overrides.append(StoredOverride(
                    id: row.int64(0), kind: kind, first: Self.reference(row.string(2) ?? ""), second: row.string(3).map(Self.reference),
                    createdAt: row.string(4) ?? "", note: row.string(5)))
            }
            return overrides
        }
    }

    /// The overrides as resolution takes them. A later decision about the same pair replaces an earlier one, and a
    /// `sameperson` decision about a detached record re-attaches it only to that record.
    public func identityOverrides() throws -> IdentityOverrides {
        var latest: [String: StoredOverride] = [:]
        var detached = Set<RecordReference>()
        for override in try overrides() {
            switch override.kind {
            case .detach:
                detached.insert(override.first)
            case .sameperson, .different:
                guard let second = override.second else { continue }
                let (a, b) = Self.ordered(override.first, second)
                latest[a + "\n" + b] = override
            }
        }
        var result = IdentityOverrides(detached: detached)
        for key in latest.keys.sorted() {
            let override = latest[key]!
            let pair = IdentityOverrides.Pair(override.first, override.second!)
            if override.kind == .sameperson { result.sameperson.append(pair) } else { result.differentPersons.append(pair) }
        }
        return result
    }

    /// Records a decision; returns its id. A `sameperson` or `different` decision about a pair replaces the
    /// opposite one; `detach` of a record already detached is recorded once.
    @discardableResult
    public func addOverride(_ kind: StoredOverride.Kind, _ first: RecordReference, _ second: RecordReference? = nil, note: String? = nil) throws -> Int64 {
        try writer.write { db in
            let id: Int64
            if let second {
                let (a, b) = Self.ordered(first, second)
                try db.execute(
                    sql: "DELETE FROM identity_override WHERE kind IN ('sameperson', 'different') AND record_a = ? AND record_b = ?",
                    arguments: [a, b])
                try db.execute(
                    sql: "INSERT INTO identity_override (kind, record_a, record_b, created_at, note) VALUES (?, ?, ?, ?, ?)",
                    arguments: [kind.rawValue, a, b, storeTimestamp(), note])
                id = db.lastInsertedRowID
            } else {
                // A split wins over earlier merges that pulled the record in.
                try db.execute(
                    sql: "DELETE FROM identity_override WHERE kind IN ('detach', 'sameperson') AND (record_a = ? OR record_b = ?)",
                    arguments: [first.description, first.description])
                try db.execute(
                    sql: "INSERT INTO identity_override (kind, record_a, created_at, note) VALUES (?, ?, ?, ?)",
                    arguments: [kind.rawValue, first.description, storeTimestamp(), note])
                id = db.lastInsertedRowID
            }
            // Mark the records changed so the next resolution re-examines them.
            for reference in [first] + (second.map { [$0] } ?? []) {
                try db.execute(
                    sql: "INSERT INTO identity_dirty (connector, external_id) VALUES (?, ?)",
                    arguments: [reference.connector, reference.externalID])
            }
            return id
        }
    }

    /// Removes a `detach` override (a record merged back after a split).
    public func removeDetach(_ reference: RecordReference) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM identity_override WHERE kind = 'detach' AND record_a = ?", arguments: [reference.description])
        }
    }

    /// Marks contacts changed, so the next resolution re-examines them.
    public func markContactsChanged(_ references: some Sequence<RecordReference>) throws {
        try writer.write { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO identity_dirty (connector, external_id) VALUES (?, ?)")
            for reference in references {
                var step = SQLiteStep(statement, in: db)
                step.bind(reference.connector)
                step.bind(reference.externalID)
                try step.run()
            }
        }
    }

    // MARK: - Reviews

    /// Review pairs with `status` (all when `nil`), by number.
    public func reviews(status: IdentityReviewItem.Status? = .pending) throws -> [IdentityReviewItem] {
        try writer.read { db in
            var items: [IdentityReviewItem] = []
            let sql = "SELECT id, record_a, record_b, score, comparisons, status, created_run, decided_at FROM identity_review"
                + (status == nil ? "" : " WHERE status = ?") + " ORDER BY id"
            try db.forEachRow(sql: sql, bind: { if let status { $0.bind(status.rawValue) } }) { row in
                items.append(IdentityReviewItem(
                    id: row.int64(0),
                    pair: MatchedPair(
                        first: Self.reference(row.string(1) ?? ""), second: Self.reference(row.string(2) ?? ""), rule: "review",
                        evidence: "", score: row.double(3), comparisons: ComparisonText.decode(row.string(4))),
                    status: IdentityReviewItem.Status(rawValue: row.string(5) ?? "") ?? .pending,
                    createdRun: row.optionalInt64(6), decidedAt: row.string(7)))
            }
            return items
        }
    }

    /// Records the answer to a review pair: accepted becomes a `sameperson` override, rejected a `different` one.
    /// A pair that is not in the queue is added as decided.
    public func decideReview(_ first: RecordReference, _ second: RecordReference, accept: Bool) throws {
        let (a, b) = Self.ordered(first, second)
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO identity_review (record_a, record_b, status, decided_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (record_a, record_b) DO UPDATE SET status = excluded.status, decided_at = excluded.decided_at
                    """,
                arguments: [a, b, accept ? "accepted" : "rejected", storeTimestamp()])
        }
        try addOverride(accept ? .sameperson : .different, first, second, note: "review")
    }

    // MARK: - Persons

    /// The person a contact record is linked to.
    public func personID(of reference: RecordReference) throws -> String? {
        try writer.read { db in
            try String.fetchOne(
                db, sql: "SELECT person_id FROM person_link WHERE connector = ? AND object_type = 'contact' AND external_id = ?",
                arguments: [reference.connector, reference.externalID])
        }
    }

    /// Whether the store holds this contact record.
    public func containsContact(_ reference: RecordReference) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM contact WHERE connector = ? AND external_id = ?)",
                arguments: [reference.connector, reference.externalID]) ?? false
        }
    }

    /// The persons whose contact records carry this address (compared by ``EmailAddress/normalize(_:)``).
    public func persons(withEmail email: String) throws -> [String] {
        guard let key = EmailAddress.normalize(email), let domain = EmailAddress.domain(of: key) else { return [] }
        return try writer.read { db in
            var persons: [String] = []
            // A domain pre-filter in SQL; the exact comparison on the normalized address.
            let pattern = "%@" + (domain == "gmail.com" ? "g%" : domain) + "%"
            try db.forEachRow(
                sql: """
                    SELECT c.email, c.additional_emails, l.person_id FROM contact c
                    JOIN person_link l ON l.connector = c.connector AND l.object_type = 'contact' AND l.external_id = c.external_id
                    WHERE lower(c.email) LIKE ? OR lower(c.additional_emails) LIKE ?
                    """,
                bind: { $0.bind(pattern); $0.bind(pattern) }
            ) { row in
                let addresses = [row.string(0)].compactMap { $0 } + (row.string(1)?.split(separator: ";").map(String.init) ?? [])
                if addresses.contains(where: { EmailAddress.normalize($0) == key }), let person = row.string(2), !persons.contains(person) {
                    persons.append(person)
                }
            }
            return persons.sorted()
        }
    }

    /// The contact records linked to `personID`, in key order.
    public func linkedRecords(of personID: String) throws -> [LinkedRecord] {
        try writer.read { db in
            var records: [LinkedRecord] = []
            try db.forEachRow(
                sql: """
                    SELECT c.connector, c.external_id, c.kind, c.is_deleted, l.rule, l.evidence, c.email, c.additional_emails,
                           c.first_name, c.last_name, c.company, c.title, c.phone, c.website, c.street, c.city, c.state,
                           c.postal_code, c.country, c.birth_date, c.source_updated_at, c.personal_id
                    FROM person_link l
                    JOIN contact c ON c.connector = l.connector AND c.external_id = l.external_id
                    WHERE l.person_id = ? AND l.object_type = 'contact'
                    ORDER BY c.connector, c.external_id
                    """,
                bind: { $0.bind(personID) }
            ) { row in
                var emails: [String] = []
                if let email = row.string(6), !email.isEmpty { emails.append(email) }
                if let more = row.string(7) { emails += more.split(separator: ";").map(String.init) }
                records.append(LinkedRecord(
                    reference: RecordReference(connector: row.string(0) ?? "", objectType: .contact, externalID: row.string(1) ?? ""),
                    kind: row.string(2) ?? "contact", isDeleted: row.bool(3), rule: row.string(4) ?? "", evidence: row.string(5) ?? "",
                    profile: PersonProfile(
                        firstName: row.string(8), lastName: row.string(9), company: row.string(10), title: row.string(11),
                        phone: row.string(12), website: row.string(13), street: row.string(14), city: row.string(15),
                        state: row.string(16), postalCode: row.string(17), country: row.string(18), birthDate: row.string(19),
                        personalID: row.string(21), updatedAt: row.string(20)),
                    emails: emails))
            }
            return records
        }
    }

    /// Every live person's contact records, by person id then record: `(person, record)`.
    public func clusters(_ body: (String, RecordReference) throws -> Void) throws {
        try writer.read { db in
            try db.forEachRow(sql: """
                SELECT person_id, connector, external_id FROM person_link WHERE object_type = 'contact'
                ORDER BY person_id, connector, external_id
                """
            ) { row in
                try body(row.string(0) ?? "", RecordReference(connector: row.string(1) ?? "", objectType: .contact, externalID: row.string(2) ?? ""))
            }
        }
    }

    /// Every stored link edge, in key order.
    public func forEachMatch(_ body: (MatchedPair) throws -> Void) throws {
        try writer.read { db in
            try db.forEachRow(sql: "SELECT record_a, record_b, rule, evidence, score, comparisons FROM person_match ORDER BY record_a, record_b, rule") { row in
                try body(MatchedPair(
                    first: Self.reference(row.string(0) ?? ""), second: Self.reference(row.string(1) ?? ""), rule: row.string(2) ?? "",
                    evidence: row.string(3) ?? "", score: row.double(4), comparisons: ComparisonText.decode(row.string(5))))
            }
        }
    }
}

/// `person_match.comparisons`: `[["field","outcome",weight],...]`, written by hand (a million rows go through it).
enum ComparisonText {
    static func encode(_ comparisons: [FieldComparison]) -> String? {
        guard !comparisons.isEmpty else { return nil }
        var text = "["
        for (index, comparison) in comparisons.enumerated() {
            if index > 0 { text += "," }
            text += "[" + JSONText.quote(comparison.field) + "," + JSONText.quote(comparison.outcome) + ","
            text += decimal(comparison.weight)
            text += "]"
        }
        return text + "]"
    }

    /// `value` with three decimals (`-1.250`), without Foundation's formatter (a million rows go through it).
    static func decimal(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return "0" }
        let scaled = Int64((value * 1000).rounded())
        let magnitude = scaled.magnitude
        let fraction = magnitude % 1000
        let padding = fraction < 10 ? "00" : fraction < 100 ? "0" : ""
        return (scaled < 0 ? "-" : "") + String(magnitude / 1000) + "." + padding + String(fraction)
    }

    static func decode(_ text: String?) -> [FieldComparison] {
        guard let text, let data = text.data(using: .utf8),
            let rows = try? JSONSerialization.jsonObject(with: data) as? [[Any]]
        else { return [] }
        return rows.compactMap { row in
            guard row.count == 3, let field = row[0] as? String, let outcome = row[1] as? String else { return nil }
            return FieldComparison(field: field, outcome: outcome, weight: (row[2] as? NSNumber)?.doubleValue ?? 0)
        }
    }
}

enum JSONText {
    static func quote(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// `golden_person.sources` and `.provenance`.
///
/// `sources`: the records values came from, one per line, `connector:external_id` (with `%`, tab and line feed
/// escaped as `%25`, `%09`, `%0A`) and a tab and the source updated-at (empty when unknown). `provenance`: per field with a value, `column=index:rule` separated by `;`,
/// where `index` is the line of `sources` and `rule` is `p` (sourcePriority), `r` (mostRecent) or `k` (kept).
enum GoldenText {
    static let ruleNames: [String: String] = ["p": "sourcePriority", "r": "mostRecent", "k": "kept"]

    static func encode(_ record: GoldenRecord) -> (sources: String, provenance: String) {
        var sources: [GoldenProvenance] = []
        var provenance = ""
        for (field, value) in zip(GoldenField.allCases, record.values) {
            guard let value else { continue }
            let index: Int
            if let existing = sources.firstIndex(where: { $0.source == value.provenance.source && $0.sourceUpdatedAt == value.provenance.sourceUpdatedAt }) {
                index = existing
            } else {
                index = sources.count
                sources.append(value.provenance)
            }
            if !provenance.isEmpty { provenance.append(";") }
            provenance.append(field.column)
            provenance.append("=")
            provenance.append(String(index))
            provenance.append(":")
            switch value.provenance.rule {
            case "sourcePriority": provenance.append("p")
            case "mostRecent": provenance.append("r")
            case "kept": provenance.append("k")
            case let other: provenance.append(other)
            }
        }
        var sourceText = ""
        for (index, source) in sources.enumerated() {
            if index > 0 { sourceText.append("\n") }
            sourceText.append(escape(source.source.connector))
            sourceText.append(":")
            sourceText.append(escape(source.source.externalID))
            sourceText.append("\t")
            sourceText.append(source.sourceUpdatedAt ?? "")
        }
        return (sourceText, provenance)
    }

    /// A record reference with `%`, tab and line feed escaped (`%25`, `%09`, `%0A`).
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x25 || $0 == 0x09 || $0 == 0x0A }) else { return text }
        return text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\t", with: "%09")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    static func unescape(_ text: String) -> String {
        guard text.utf8.contains(0x25) else { return text }
        return text.replacingOccurrences(of: "%09", with: "\t").replacingOccurrences(of: "%0A", with: "\n")
            .replacingOccurrences(of: "%25", with: "%")
    }

    static func decode(personID: String, values: [GoldenField: String], sources: String?, provenance: String?) -> GoldenRecord {
        let sourceList: [(RecordReference, String?)] = (sources ?? "").split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            let updated = parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : nil
            return (StoreDatabase.reference(unescape(String(parts[0]))), updated)
        }
        var record = GoldenRecord(personID: personID)
        for entry in (provenance ?? "").split(separator: ";") {
            guard let equals = entry.firstIndex(of: "="), let colon = entry.lastIndex(of: ":"),
                let field = GoldenField(column: String(entry[..<equals])),
                let index = Int(entry[entry.index(after: equals)..<colon]), sourceList.indices.contains(index),
                let value = values[field]
            else { continue }
            let code = String(entry[entry.index(after: colon)...])
            record[value: field] = GoldenValue(value: value, provenance: GoldenProvenance(
                source: sourceList[index].0, rule: ruleNames[code] ?? code, sourceUpdatedAt: sourceList[index].1))
        }
        return record
    }
}

/// A `golden_person` row before decoding.
struct StoredGoldenRow {
    var personID: String
    /// In the order of `GoldenField.allCases`.
    var values: [String?]
    var sources: String?
    var provenance: String?

    func decoded() -> GoldenRecord {
        var byField: [GoldenField: String] = [:]
        for (field, value) in zip(GoldenField.allCases, values) { if let value { byField[field] = value } }
        return GoldenText.decode(personID: personID, values: byField, sources: sources, provenance: provenance)
    }
}
