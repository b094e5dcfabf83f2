import Foundation
import GRDB
import GRDBSQLite
import SyncHubCore
import SyncHubIdentity

/// Changes to the identity index, written in the transaction of the resolution they belong to.
struct IdentityIndexWrite: Sendable {
    /// Replace the whole index (a full resolution).
    var replace: Bool
    /// Records whose entry is new or changed.
    var records: [(id: Int64, record: IdentityRecord, entry: IdentityIndexEntry)] = []
    var removedKeys: [(key: Int64, record: Int64)] = []
    var addedKeys: [(key: Int64, record: Int64)] = []
    /// Changes of counts by (column, value): `(c, 0)` counts records with a value in column c, `(-1, 0)` all records.
    var countDeltas: [FrequencyKey: Int] = [:]
    /// `identity_state` `index` after this write (empty: no usable index).
    var format: String

    /// Every record's entry, for a full rebuild: `table` in the order of `source`, written in `order` (by id).
    var source: [IdentityRecord] = []
    var table: IdentityIndexTable?
    var ids: [Int64] = []
    var order: [Int32] = []
    /// Sorted runs of (key, record) to merge into `identity_key` (a full rebuild).
    var sortedKeyParts: [[(key: Int64, record: Int64)]] = []

    /// The (key, record) pairs to add, in key order.
    func forEachAddedKey(_ body: (Int64, Int64) throws -> Void) rethrows {
        for (key, record) in addedKeys { try body(key, record) }
        var cursors = [Int](repeating: 0, count: sortedKeyParts.count)
        while true {
            var best = -1
            for (part, cursor) in cursors.enumerated() where cursor < sortedKeyParts[part].count {
                if best < 0 { best = part; continue }
                let a = sortedKeyParts[part][cursor], b = sortedKeyParts[best][cursors[best]]
                if a.key < b.key || (a.key == b.key && a.record < b.record) { best = part }
            }
            guard best >= 0 else { return }
            let pair = sortedKeyParts[best][cursors[best]]
            cursors[best] += 1
            try body(pair.key, pair.record)
        }
    }

    /// The whole index of `records`.
    static func full(_ records: [IdentityRecord], configuration: MatchConfiguration) -> IdentityIndexWrite {
        var clock = PhaseClock()
        func lap(_ name: String) { clock.lap("  index build " + name) }
        let table = IdentityIndex.table(of: records, configuration: configuration)
        lap("entries")
        var write = IdentityIndexWrite(replace: true, format: IdentityIndex.formatFingerprint(configuration: configuration))
        write.source = records
        write.ids = records.map { IdentityIndex.recordID($0.reference) }
        let ids = write.ids
        write.order = Array(0..<Int32(records.count))
        write.order.sort { ids[Int($0)] < ids[Int($1)] }
        // Two references with one fingerprint (all but impossible): no index, every resolution reads everything.
        if zip(write.order, write.order.dropFirst()).contains(where: { ids[Int($0)] == ids[Int($1)] }) {
            return IdentityIndexWrite(replace: true, format: "")
        }
        // (key, record) pairs in key order, sorted on every core then merged.
        let lanes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, records.count / 50_000))
        var parts = [[(key: Int64, record: Int64)]](repeating: [], count: lanes)
        parts.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                var keys: [(key: Int64, record: Int64)] = []
                let range = (records.count * lane / lanes)..<(records.count * (lane + 1) / lanes)
                keys.reserveCapacity(Int(table.keyStart[range.upperBound] - table.keyStart[range.lowerBound]))
                for position in range { for key in table.keys(position) { keys.append((key, ids[position])) } }
                keys.sort { $0.key != $1.key ? $0.key < $1.key : $0.record < $1.record }
                output[lane] = keys
            }
        }
        lap("sorted keys")
        // Merged while written (no second copy of some twelve million pairs).
        write.sortedKeyParts = parts
        var counts: [FrequencyKey: Int] = [FrequencyKey(column: -1, value: 0): records.count]
        counts.reserveCapacity(records.count * 2)
        for column in 0..<IdentityIndex.frequencyColumns {
            var present = 0
            for record in 0..<records.count {
                let value = table.values[record * IdentityIndex.frequencyColumns + column]
                guard value != 0 else { continue }
                counts[FrequencyKey(column: column, value: value), default: 0] += 1
                present += 1
            }
            if present > 0 { counts[FrequencyKey(column: column, value: 0)] = present }
        }
        write.countDeltas = counts
        write.table = table
        lap("value counts")
        return write
    }
}

extension StoreDatabase {
    static func writeIdentityIndex(_ write: IdentityIndexWrite, db: Database) throws {
        let started = ContinuousClock.now
        defer {
            if ProcessInfo.processInfo.environment["SYNCHUB_IDENTITY_TIMING"] != nil {
                FileHandle.standardError.write(Data("identity index write: \(ContinuousClock.now - started) (\(write.records.count + write.order.count) records, \(write.addedKeys.count + write.sortedKeyParts.reduce(0) { $0 + $1.count }) keys, \(write.countDeltas.count) counts)\n".utf8))
            }
        }
        if write.replace {
            try db.execute(sql: "DELETE FROM identity_record; DELETE FROM identity_key; DELETE FROM identity_value")
        }
        let upsertRecord = try db.cachedStatement(sql: """
            INSERT INTO identity_record (id, connector, external_id, fingerprint, keys, vals, profile) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                fingerprint = excluded.fingerprint, keys = excluded.keys, vals = excluded.vals, profile = excluded.profile
            """)
        for (id, record, entry) in write.records {
            var step = SQLiteStep(upsertRecord, in: db)
            step.bind(id)
            step.bind(record.reference.connector)
            step.bind(record.reference.externalID)
            step.bind(entry.fingerprint)
            step.bindBlob(IndexBlob.encode(entry.keys))
            step.bindBlob(IndexBlob.encode(entry.values))
            step.bindBlob(MatchProfileBlob.encode(record))
            try step.run()
        }
        if let table = write.table {
            for position in write.order {
                let record = Int(position), reference = write.source[record].reference
                var step = SQLiteStep(upsertRecord, in: db)
                step.bind(write.ids[record])
                step.bind(reference.connector)
                step.bind(reference.externalID)
                step.bind(table.fingerprints[record])
                step.bindBlob(IndexBlob.encode(table.keys(record)))
                step.bindBlob(IndexBlob.encode(table.values(record)))
                step.bindBlob(MatchProfileBlob.encode(write.source[record]))
                try step.run()
            }
        }
        let deleteKey = try db.cachedStatement(sql: "DELETE FROM identity_key WHERE key = ? AND record = ?")
        for (key, record) in write.removedKeys {
            var step = SQLiteStep(deleteKey, in: db)
            step.bind(key)
            step.bind(record)
            try step.run()
        }
        // Many rows a statement: a million records have some twelve million keys.
        let rowsPerStatement = 250
        let insertKeys = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO identity_key (key, record) VALUES " + Array(repeating: "(?, ?)", count: rowsPerStatement).joined(separator: ", "))
        let insertKey = try db.cachedStatement(sql: "INSERT OR IGNORE INTO identity_key (key, record) VALUES (?, ?)")
        var batch: [(Int64, Int64)] = []
        batch.reserveCapacity(rowsPerStatement)
        func flush(_ rows: ArraySlice<(Int64, Int64)>, _ statement: Statement) throws {
            var step = SQLiteStep(statement, in: db)
            for (key, record) in rows {
                step.bind(key)
                step.bind(record)
            }
            try step.run()
        }
        try write.forEachAddedKey { key, record in
            batch.append((key, record))
            if batch.count == rowsPerStatement {
                try flush(batch[...], insertKeys)
                batch.removeAll(keepingCapacity: true)
            }
        }
        for row in batch { try flush([row][...], insertKey) }
        let addCount = try db.cachedStatement(sql: """
            INSERT INTO identity_value (col, value, count) VALUES (?, ?, ?)
            ON CONFLICT (col, value) DO UPDATE SET count = identity_value.count + excluded.count
            """)
        let dropEmpty = try db.cachedStatement(sql: "DELETE FROM identity_value WHERE col = ? AND value = ? AND count <= 0")
        let deltas = write.countDeltas.filter { $0.value != 0 }.sorted { $0.key.column != $1.key.column ? $0.key.column < $1.key.column : $0.key.value < $1.key.value }
        for (key, delta) in deltas {
            var step = SQLiteStep(addCount, in: db)
            step.bind(Int64(key.column))
            step.bind(key.value)
            step.bind(Int64(delta))
            try step.run()
            if delta < 0 {
                var drop = SQLiteStep(dropEmpty, in: db)
                drop.bind(Int64(key.column))
                drop.bind(key.value)
                try drop.run()
            }
        }
        try db.execute(
            sql: """
                INSERT INTO identity_state (key, value, updated_at) VALUES ('index', ?, ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """,
            arguments: [write.format, storeTimestamp()])
    }
}

/// 64-bit integers as a little-endian blob.
enum IndexBlob {
    static func encode(_ values: some Collection<Int64>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 8)
        for value in values {
            let bits = UInt64(bitPattern: value)
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        }
        return bytes
    }

    static func decode(_ row: SQLiteStep, _ column: Int32) -> [Int64] {
        guard let base = sqlite3_column_blob(row.handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(row.handle, column)) / 8
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var values: [Int64] = []
        values.reserveCapacity(count)
        for index in 0..<count {
            var bits: UInt64 = 0
            for byte in 0..<8 { bits |= UInt64(bytes[index * 8 + byte]) << UInt64(8 * byte) }
            values.append(Int64(bitPattern: bits))
        }
        return values
    }
}

/// The records an incremental resolution needs, read through the identity index.
struct IncrementalSelection {
    /// In reference order.
    var records: [IdentityRecord]
    /// Records whose identity fields changed (the resolver's focus); the other changed records only need their
    /// persons' golden records rebuilt.
    var focus: Set<RecordReference>
    var population: MatchPopulation
    var priorMatches: [MatchedPair]
    var ages: [String: Int]
    var index: IdentityIndexWrite
    /// Persons whose every record is in `records`.
    var completePersons: Set<String>
    /// Records sharing a pairable or linking key with a focus record, and persons loaded in full.
    var neighbours: Int
}

extension StoreDatabase {
    /// Reads what resolving the `dirty` contacts needs: the changed records; the records sharing a pairable key
    /// with those whose identity fields changed (keys shared by more records in the store than the matcher pairs
    /// are skipped, as a full run would); and every record of the persons these can affect (the changed records',
    /// those linked to them by email or reference, those the matcher scores at or above the review threshold
    /// against them, and those named by overrides). `nil` when the index cannot serve (the caller reads everything).
    func incrementalSelection(dirty: Set<RecordReference>, overrides: IdentityOverrides, settings: IdentitySettings) throws -> IncrementalSelection? {
        let configuration = settings.matching
        let format = IdentityIndex.formatFingerprint(configuration: configuration)
        return try writer.read { db -> IncrementalSelection? in
            // Scattered point lookups over the index and contacts: read the file's pages in place (memory-mapped)
            // rather than copied through the page cache; the connection returns to the pool without the mapping.
            try db.execute(sql: "PRAGMA mmap_size = 4294967296")
            defer { try? db.execute(sql: "PRAGMA mmap_size = 0") }
            guard try String.fetchOne(db, sql: "SELECT value FROM identity_state WHERE key = 'index'") == format else { return nil }
            var clock = PhaseClock()
            func lap(_ name: String) { clock.lap("  selection " + name) }
            var loaded = LoadedRecords()
            let byReference = try db.cachedStatement(sql: "SELECT \(Self.identityColumns) \(Self.identityJoin) WHERE c.connector = ? AND c.external_id = ?")
            func load(_ reference: RecordReference) throws -> IdentityRecord? {
                if let known = loaded[reference] { return known }
                var step = SQLiteStep(byReference, in: db)
                step.bind(reference.connector)
                step.bind(reference.externalID)
                defer { sqlite3_reset(step.handle) }
                guard try step.step() else { return nil }
                let record = Self.identityRecord(step)
                loaded[reference] = record
                return record
            }
            var idsLoaded = Set<Int64>()
            var decided = Set<RecordReference>(overrides.detached)
            for pair in overrides.sameperson + overrides.differentPersons {
                decided.insert(pair.first)
                decided.insert(pair.second)
            }
            // The changed records, their entries now and as the index holds them.
            let dirtyRecords = try dirty.sorted { Self.precedes($0, $1) }.compactMap { try load($0) }
            for record in dirtyRecords { idsLoaded.insert(IdentityIndex.recordID(record.reference)) }
            let entries = IdentityIndex.entries(of: dirtyRecords, configuration: configuration)
            let stored = try db.cachedStatement(sql: "SELECT fingerprint, keys, vals FROM identity_record WHERE id = ?")
            var write = IdentityIndexWrite(replace: false, format: format)
            var focus = Set<RecordReference>()
            var focusRecords: [IdentityRecord] = []
            var removedBy: [Int64: Set<Int64>] = [:]
            var addedBy: [Int64: Set<Int64>] = [:]
            var focusKeys = Set<Int64>()
            for (record, entry) in zip(dirtyRecords, entries) {
                let id = IdentityIndex.recordID(record.reference)
                var step = SQLiteStep(stored, in: db)
                step.bind(id)
                var old: IdentityIndexEntry?
                if try step.step() { old = IdentityIndexEntry(keys: IndexBlob.decode(step, 1), values: IndexBlob.decode(step, 2), fingerprint: step.int64(0)) }
                sqlite3_reset(step.handle)
                // Unchanged identity fields: no focus, unless a person's decision names the record (a split, a merge).
                if let old, old == entry, record.currentPersonID != nil, !decided.contains(record.reference) { continue }
                focus.insert(record.reference)
                focusRecords.append(record)
                focusKeys.formUnion(entry.keys)
                focusKeys.insert(IdentityIndex.referenceKey(record.reference))
                guard old != entry else { continue }
                write.records.append((id, record, entry))
                let oldKeys = Set(old?.keys ?? []), newKeys = Set(entry.keys)
                for key in oldKeys.subtracting(newKeys) {
                    removedBy[key, default: []].insert(id)
                    write.removedKeys.append((key, id))
                }
                for key in newKeys.subtracting(oldKeys) {
                    addedBy[key, default: []].insert(id)
                    write.addedKeys.append((key, id))
                }
                if old == nil { write.countDeltas[FrequencyKey(column: -1, value: 0), default: 0] += 1 }
                for column in 0..<IdentityIndex.frequencyColumns {
                    let before = old?.values[column] ?? 0, after = entry.values[column]
                    guard before != after else { continue }
                    if before != 0 {
                        write.countDeltas[FrequencyKey(column: column, value: before), default: 0] -= 1
                        write.countDeltas[FrequencyKey(column: column, value: 0), default: 0] -= 1
                    }
                    if after != 0 {
                        write.countDeltas[FrequencyKey(column: column, value: after), default: 0] += 1
                        write.countDeltas[FrequencyKey(column: column, value: 0), default: 0] += 1
                    }
                }
            }
            write.records.sort { $0.id < $1.id }
            write.removedKeys.sort { $0.key != $1.key ? $0.key < $1.key : $0.record < $1.record }
            write.addedKeys.sort { $0.key != $1.key ? $0.key < $1.key : $0.record < $1.record }

            lap("changed records and entries")
            // Records sharing a key with a focus record, as the index will hold them after this resolution.
            let members = try db.cachedStatement(sql: "SELECT record FROM identity_key WHERE key = ? LIMIT ?")
            var excluded = Set<Int64>()
            var neighbourIDs = Set<Int64>(), linkedIDs = Set<Int64>()
            for key in focusKeys.sorted() {
                let limit = IdentityIndex.keyLimit(key, configuration: configuration)
                let removed = removedBy[key] ?? []
                var step = SQLiteStep(members, in: db)
                step.bind(key)
                step.bind(limit == Int.max ? Int64(-1) : Int64(limit + 1 + removed.count))
                var found = Set<Int64>()
                while try step.step() { found.insert(step.int64(0)) }
                sqlite3_reset(step.handle)
                found.subtract(removed)
                found.formUnion(addedBy[key] ?? [])
                if found.count > limit {
                    excluded.insert(key)
                    continue
                }
                neighbourIDs.formUnion(found)
                if IdentityIndex.links(key) { linkedIDs.formUnion(found) }
            }
            lap("key lookups")
            // The store's count of records with a value (`FrequencyKey`), as this resolution will leave it.
            let storedCount = try db.cachedStatement(sql: "SELECT count FROM identity_value WHERE col = ? AND value = ?")
            func count(_ key: FrequencyKey) throws -> Int {
                var step = SQLiteStep(storedCount, in: db)
                step.bind(Int64(key.column))
                step.bind(key.value)
                defer { sqlite3_reset(step.handle) }
                let stored = try step.step() ? Int(step.int64(0)) : 0
                return stored + (write.countDeltas[key] ?? 0)
            }
            let matcher = configuration.enabled ? ProbabilisticMatcher(configuration: configuration, model: decodedModel(try String.fetchOne(db, sql: "SELECT value FROM identity_state WHERE key = 'model'"))) : nil
            // Neighbours as matching sees them, from their index rows (in id order): only those that score against a
            // focus record, or share a linking key with one, are read in full below. A matcher that must estimate
            // its model from what it scores (no stored model) reads every neighbour in full.
            var scoringRecords = loaded
            var fullReferences: [RecordReference] = [], linkedReferences: [RecordReference] = []
            func take(_ id: Int64, _ row: SQLiteStep, from column: Int32) {
                let reference = RecordReference(connector: row.string(column) ?? "", objectType: .contact, externalID: row.string(column + 1) ?? "")
                if linkedIDs.contains(id) { linkedReferences.append(reference) }
                if let record = MatchProfileBlob.decode(row, column + 2, reference: reference), !(matcher?.estimatesOnScore ?? false), !linkedIDs.contains(id) {
                    scoringRecords[reference] = record
                } else {
                    fullReferences.append(reference)
                }
            }
            let wanted = neighbourIDs.subtracting(idsLoaded).sorted()
            scoringRecords.reserveCapacity(adding: wanted.count)
            if wanted.count * 6 > (try count(FrequencyKey(column: -1, value: 0))) {
                // Neighbours are a large share of the store: one pass over the index rows costs less than a lookup each.
                let scan = try db.cachedStatement(sql: "SELECT id, connector, external_id, profile FROM identity_record ORDER BY id")
                let step = SQLiteStep(scan, in: db)
                defer { sqlite3_reset(step.handle) }
                var next = 0
                while next < wanted.count, try step.step() {
                    let id = step.int64(0)
                    while next < wanted.count, wanted[next] < id { next += 1 }
                    guard next < wanted.count, wanted[next] == id else { continue }
                    take(id, step, from: 1)
                }
            } else {
                let profileOf = try db.cachedStatement(sql: "SELECT connector, external_id, profile FROM identity_record WHERE id = ?")
                for id in wanted {
                    var step = SQLiteStep(profileOf, in: db)
                    step.bind(id)
                    defer { sqlite3_reset(step.handle) }
                    if try step.step() { take(id, step, from: 0) }
                }
            }
            lap("neighbour profiles")
            fullReferences.sort { Self.precedes($0, $1) }
            for reference in fullReferences {
                if let record = try load(reference) { scoringRecords[reference] = record }
            }
            // The records focus records name (`same_as`, upstream merges).
            var linked = Set<RecordReference>()
            for record in focusRecords {
                var targets = record.sameAs
                if let survivor = record.mergedInto {
                    targets.append(RecordReference(connector: record.reference.connector, objectType: record.reference.objectType, externalID: survivor))
                }
                for target in targets {
                    guard let record = try load(target) else { continue }
                    linked.insert(target)
                    scoringRecords[target] = record
                }
            }
            let neighbourCount = scoringRecords.count
            lap("linked records")

            // The store's figures for scoring, and what the matcher finds for the focus records.
            var population = MatchPopulation(
                recordCount: try count(FrequencyKey(column: -1, value: 0)), excludedKeys: excluded,
                present: try (0..<IdentityIndex.frequencyColumns).map { try count(FrequencyKey(column: $0, value: 0)) }, valueCounts: [:])
            var partners: [RecordReference] = []
            if let matcher, !focus.isEmpty {
                // In the order read (scores do not depend on it).
                let subset = scoringRecords.records
                let focusIndices = Set(focus.compactMap { scoringRecords.positions[$0] })
                let prepared = matcher.prepareScoring(among: subset, focus: focusIndices, excludedKeys: excluded)
                // In key order: neighbouring rows share pages.
                let needs = prepared.needs.sorted { $0.column != $1.column ? $0.column < $1.column : $0.value < $1.value }
                for need in needs { population.valueCounts[need] = try count(need) }
                lap("frequencies (\(needs.count))")
                let scored = matcher.estimatesOnScore
                    ? matcher.score(among: subset, focus: focusIndices, population: population) : matcher.score(prepared, population: population)
                for edge in scored.links + scored.reviews {
                    partners.append(subset[edge.from].reference)
                    partners.append(subset[edge.to].reference)
                }
            }
            lap("scoring")
            // The records that scored, read in full.
            for reference in Set(partners).sorted(by: { Self.precedes($0, $1) }) { _ = try load(reference) }
            lap("partner records")

            // Persons the change can affect, loaded in full.
            var persons = Set<String>()
            for record in dirtyRecords { if let person = record.currentPersonID { persons.insert(person) } }
            for reference in linked.union(partners) { if let person = loaded[reference]?.currentPersonID { persons.insert(person) } }
            for reference in linkedReferences { if let person = loaded[reference]?.currentPersonID { persons.insert(person) } }
            var named: [RecordReference] = []
            for pair in overrides.sameperson + overrides.differentPersons { named.append(pair.first); named.append(pair.second) }
            named += overrides.detached
            for reference in named { if let person = try load(reference)?.currentPersonID { persons.insert(person) } }
            let byPerson = try db.cachedStatement(sql: """
                SELECT \(Self.identityColumns) FROM person_link l
                JOIN contact c ON c.connector = l.connector AND c.external_id = l.external_id
                WHERE l.person_id = ? AND l.object_type = 'contact'
                """)
            var memberReferences: [RecordReference] = []
            for person in persons.sorted() {
                var step = SQLiteStep(byPerson, in: db)
                step.bind(person)
                while try step.step() {
                    let record = Self.identityRecord(step)
                    memberReferences.append(record.reference)
                    if loaded[record.reference] == nil { loaded[record.reference] = record }
                }
                sqlite3_reset(step.handle)
            }
            lap("persons")
            // Their stored probabilistic edges (deterministic ones are derived again).
            var prior: [MatchedPair] = []
            let edges = try db.cachedStatement(sql: "SELECT record_a, record_b, rule, evidence, score FROM person_match WHERE record_a = ? AND score IS NOT NULL")
            for reference in memberReferences where !focus.contains(reference) {
                var step = SQLiteStep(edges, in: db)
                step.bind(reference.description)
                while try step.step() {
                    let second = Self.reference(step.string(1) ?? "")
                    if focus.contains(second) { continue }
                    prior.append(MatchedPair(
                        first: reference, second: second, rule: step.string(2) ?? "", evidence: step.string(3) ?? "", score: step.double(4)))
                }
                sqlite3_reset(step.handle)
            }
            lap("prior edges")
            // Creation order of the persons present (older persons survive merges).
            // (Only the persons read in full are ever regrouped.)
            let held = persons
            var creation: [(String, Int64, String)] = []
            let personRow = try db.cachedStatement(sql: "SELECT coalesce(created_run, 0), founded_by FROM person WHERE id = ?")
            for person in held {
                var step = SQLiteStep(personRow, in: db)
                step.bind(person)
                if try step.step() { creation.append((person, step.int64(0), step.string(1) ?? "")) }
                sqlite3_reset(step.handle)
            }
            creation.sort { $0.1 != $1.1 ? $0.1 < $1.1 : $0.2.utf8.lexicographicallyPrecedes($1.2.utf8) }
            var ages: [String: Int] = [:]
            for (rank, entry) in creation.enumerated() { ages[entry.0] = rank }

            lap("ages")
            let records = loaded.inReferenceOrder()
            lap("sort")
            return IncrementalSelection(
                records: records, focus: focus, population: population, priorMatches: prior, ages: ages, index: write,
                completePersons: persons, neighbours: neighbourCount)
        }
    }

    /// Whether a person id is linked to any record in the store.
    func personIsLinked(_ id: String) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM person_link WHERE person_id = ?)", arguments: [id]) ?? false
        }
    }
}

/// How two stores' identity results differ (benches and tests).
public struct IdentityDifferences: Sendable, Hashable {
    /// Contacts linked to another person (or linked in one store only).
    public var links: Int
    /// Golden records, match edges and pending review pairs present in one store and not the other.
    public var golden: Int
    public var matches: Int
    public var reviews: Int
    /// Identity index rows (records, keys, value counts) present in one store and not the other.
    public var index: Int

    public init(links: Int, golden: Int, matches: Int, reviews: Int, index: Int) {
        self.links = links
        self.golden = golden
        self.matches = matches
        self.reviews = reviews
        self.index = index
    }
}

extension StoreDatabase {
    /// Copies the store into a new file at `path` (`VACUUM INTO`).
    public func copy(to path: String) throws {
        try writer.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
    }

    /// Counts the identity rows of this store and of the store at `path` that differ.
    public func identityDifferences(from path: String) throws -> IdentityDifferences {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS other", arguments: [path])
            defer { try? db.execute(sql: "DETACH DATABASE other") }
            func differing(_ columns: String, _ table: String, _ filter: String = "") throws -> Int {
                let mine = "SELECT \(columns) FROM main.\(table) \(filter)", theirs = "SELECT \(columns) FROM other.\(table) \(filter)"
                let a = try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(mine) EXCEPT \(theirs))") ?? 0
                let b = try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(theirs) EXCEPT \(mine))") ?? 0
                return a + b
            }
            let golden = GoldenField.allCases.map(\.column).joined(separator: ", ")
            return IdentityDifferences(
                links: try differing("connector, external_id, person_id", "person_link", "WHERE object_type = 'contact'"),
                golden: try differing("person_id, \(golden), sources, provenance", "golden_person"),
                matches: try differing("record_a, record_b, rule, evidence, score", "person_match"),
                reviews: try differing("record_a, record_b, score", "identity_review", "WHERE status = 'pending'"),
                index: try differing("id, fingerprint, keys, vals, profile", "identity_record") + differing("key, record", "identity_key")
                    + differing("col, value, count", "identity_value"))
        }
    }
}

/// Records read so far, by reference; sorted once at the end (moving indices, not records).
struct LoadedRecords {
    var records: [IdentityRecord] = []
    var positions: [RecordReference: Int] = [:]

    var count: Int { records.count }

    subscript(reference: RecordReference) -> IdentityRecord? {
        get { positions[reference].map { records[$0] } }
        set {
            guard let newValue else { return }
            // One hash of the reference: most records are new.
            if let position = positions.updateValue(records.count, forKey: reference) {
                positions[reference] = position
                records[position] = newValue
            } else {
                records.append(newValue)
            }
        }
    }

    /// Room for `additional` more records without growing (rehashing every reference) on the way.
    mutating func reserveCapacity(adding additional: Int) {
        records.reserveCapacity(records.count + additional)
        positions.reserveCapacity(positions.count + additional)
    }

    func inReferenceOrder() -> [IdentityRecord] {
        let order = records.indices.sorted { StoreDatabase.precedes(records[$0].reference, records[$1].reference) }
        return order.map { records[$0] }
    }
}
