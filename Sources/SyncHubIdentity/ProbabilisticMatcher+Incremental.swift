// Store-assisted incremental resolution: what a store keeps per record (index keys, value hashes, a fingerprint
// of what resolution reads), and scoring a subset of the records as if the whole store had been given.
public import SyncHubCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a store keeps about one contact record so that resolution after a pull can load only the records a change
/// can affect.
public struct IdentityIndexEntry: Sendable, Hashable {
    /// The keys under which the record is filed: its blocking keys (kind in the low four bits), its personal email
    /// keys and the references it names (`same_as`, upstream merge). Records sharing a key may be compared or linked.
    public var keys: [Int64]
    /// Per frequency column (`IdentityIndex.frequencyColumns`), the hash of the record's value (0: none or deleted).
    public var values: [Int64]
    /// A fingerprint of everything resolution reads of the record (emails, ids, names, address, ... — not its
    /// title, owner or stage): a write that leaves it unchanged cannot change any match.
    public var fingerprint: Int64

    public init(keys: [Int64], values: [Int64], fingerprint: Int64) {
        self.keys = keys
        self.values = values
        self.fingerprint = fingerprint
    }
}

/// Index entries of many records in flat arrays.
public struct IdentityIndexTable: Sendable {
    /// Keys of record r: `keys[keyStart[r]..<keyStart[r + 1]]`.
    public var keyStart: [Int32] = [0]
    public var keys: [Int64] = []
    /// `IdentityIndex.frequencyColumns` values per record.
    public var values: [Int64] = []
    public var fingerprints: [Int64] = []

    public var count: Int { fingerprints.count }

    /// Appends the entries of `other` (records after these).
    public mutating func append(_ other: IdentityIndexTable) {
        let base = Int32(keys.count)
        keys.append(contentsOf: other.keys)
        keyStart.append(contentsOf: other.keyStart.dropFirst().map { $0 + base })
        values.append(contentsOf: other.values)
        fingerprints.append(contentsOf: other.fingerprints)
    }

    public func keys(_ record: Int) -> ArraySlice<Int64> { keys[Int(keyStart[record])..<Int(keyStart[record + 1])] }
    public func values(_ record: Int) -> ArraySlice<Int64> {
        values[record * IdentityIndex.frequencyColumns..<(record + 1) * IdentityIndex.frequencyColumns]
    }
    public func entry(_ record: Int) -> IdentityIndexEntry {
        IdentityIndexEntry(keys: Array(keys(record)), values: Array(values(record)), fingerprint: fingerprints[record])
    }
}

/// The figures of the whole store that scoring a subset of its records needs to score exactly as over all of them.
public struct MatchPopulation: Sendable {
    /// Contact records in the store (deleted ones too), for the prior odds.
    public var recordCount: Int
    /// Index keys shared by more records in the store than `IdentityIndex.keyLimit(_:configuration:)`: never paired.
    public var excludedKeys: Set<Int64>
    /// Per frequency column, active records with a value.
    public var present: [Int]
    /// Active records with each (column, value) the scoring needs (`ProbabilisticMatcher.frequencyNeeds`).
    public var valueCounts: [FrequencyKey: Int]

    public init(recordCount: Int, excludedKeys: Set<Int64>, present: [Int], valueCounts: [FrequencyKey: Int]) {
        self.recordCount = recordCount
        self.excludedKeys = excludedKeys
        self.present = present
        self.valueCounts = valueCounts
    }
}

/// A value of a frequency column.
public struct FrequencyKey: Sendable, Hashable {
    public var column: Int
    public var value: Int64
    public init(column: Int, value: Int64) {
        self.column = column
        self.value = value
    }
}

/// Index keys and frequency values of records, for a store's identity index.
public enum IdentityIndex {
    /// The value columns whose frequencies adjust match weights (first, last, address, postal, city, company,
    /// domain, phone).
    public static let frequencyColumns = 8
    /// Namespaces of keys that always link (never capped): references named, personal emails.
    static let referenceNamespace = 14
    static let emailNamespace = 15

    /// The index entries of `records` (in parallel).
    public static func entries(of records: [IdentityRecord], configuration: MatchConfiguration) -> [IdentityIndexEntry] {
        let table = table(of: records, configuration: configuration)
        return records.indices.map { table.entry($0) }
    }

    /// The index entries of `records` in flat arrays (a million records' entries without a million small arrays).
    public static func table(of records: [IdentityRecord], configuration: MatchConfiguration) -> IdentityIndexTable {
        // Normalized a slice at a time: the features of a million records need not be in memory at once.
        let slice = 65_536
        guard records.count > slice else { return contiguousTable(of: records, configuration: configuration) }
        var table = IdentityIndexTable()
        for start in stride(from: 0, to: records.count, by: slice) {
            table.append(contiguousTable(of: Array(records[start..<min(start + slice, records.count)]), configuration: configuration))
        }
        return table
    }

    static func contiguousTable(of records: [IdentityRecord], configuration: MatchConfiguration) -> IdentityIndexTable {
        let features = MatchFeatures(records, defaultCountry: configuration.defaultCountry)
        let parts = features.arena.withUnsafeBufferPointer { arena in
            Parallel.chunks(records.count, minimumChunk: 8192) { range -> IdentityIndexTable in
                var scratch: [UInt8] = []
                var output = IdentityIndexTable()
                output.keys.reserveCapacity(range.count * 14)
                output.values.reserveCapacity(range.count * frequencyColumns)
                output.fingerprints.reserveCapacity(range.count)
                for index in range {
                    let record = records[index], f = features.records[index]
                    var keys: [Int64] = []
                    keys.reserveCapacity(16)
                    if f.active {
                        for kind in BlockingKey.allCases {
                            let key = kind.key(f, arena: arena)
                            if key != 0 {
                                keys.append(ProbabilisticMatcher.indexKey(
                                    BlockingKey.hash(key, namespace: kind.namespace), namespace: kind.namespace))
                            }
                        }
                    }
                    // As the email rule reads them: every personal address, deleted records too.
                    for raw in record.emails {
                        guard let at = EmailAddress.normalize(raw, into: &scratch), !EmailAddress.roleHashes.contains(TextFolding.hash(scratch[..<at])) else { continue }
                        keys.append(ProbabilisticMatcher.indexKey(TextFolding.mix(TextFolding.hash(scratch, seed: FieldSeed.email) ^ 0x5EED), namespace: emailNamespace))
                    }
                    for target in record.sameAs { keys.append(referenceKey(target)) }
                    if let survivor = record.mergedInto {
                        keys.append(referenceKey(RecordReference(connector: record.reference.connector, objectType: record.reference.objectType, externalID: survivor)))
                    }
                    keys.sort()
                    var previous: Int64?
                    for key in keys where previous != key {
                        output.keys.append(key)
                        previous = key
                    }
                    output.keyStart.append(Int32(output.keys.count))
                    for column in 0..<frequencyColumns {
                        output.values.append(f.active ? Int64(bitPattern: TermFrequencies.Column(rawValue: column)!.value(f)) : 0)
                    }
                    output.fingerprints.append(fingerprint(record))
                }
                return output
            }
        }
        guard parts.count > 1 else { return parts.first ?? IdentityIndexTable() }
        var table = IdentityIndexTable()
        for part in parts { table.append(part) }
        return table
    }

    /// A 64-bit id of a record for the index (a fingerprint of its reference).
    public static func recordID(_ reference: RecordReference) -> Int64 {
        Int64(bitPattern: IdentityResolver.referenceHash(reference))
    }

    /// The key under which records naming `reference` (`same_as`, merged into it) are filed: look it up to find
    /// them.
    public static func referenceKey(_ reference: RecordReference) -> Int64 {
        ProbabilisticMatcher.indexKey(TextFolding.mix(IdentityResolver.referenceHash(reference) ^ 0x5A4E_A5), namespace: referenceNamespace)
    }

    /// Whether records sharing `key` are linked whatever else they hold (emails, references): their persons are
    /// affected by a change.
    public static func links(_ key: Int64) -> Bool {
        let namespace = Int(key & 0xF)
        return namespace == emailNamespace || namespace == referenceNamespace
    }

    /// How many records may share `key` for it to pair them (`Int.max`: always).
    public static func keyLimit(_ key: Int64, configuration: MatchConfiguration) -> Int {
        let namespace = Int(key & 0xF)
        guard !links(key), let kind = BlockingKey.allCases.first(where: { $0.namespace == namespace }) else { return Int.max }
        return kind.cap(configuration.maxBlockSize)
    }

    /// A fingerprint of everything identity resolution reads of a record (not its current person).
    public static func fingerprint(_ record: IdentityRecord) -> Int64 {
        var hash: UInt64 = 0x1DE7
        func add(_ text: String?) {
            guard let text else {
                hash = TextFolding.mix(hash ^ 0x9E37_79B9)
                return
            }
            hash = TextFolding.hash(text.utf8, seed: TextFolding.mix(hash &+ 1))
        }
        add(record.reference.description)
        for email in record.emails { add(email) }
        add("|")
        for reference in record.sameAs { add(reference.description) }
        add("|")
        add(record.mergedInto)
        add(record.isDeleted ? "deleted" : "live")
        let p = record.profile
        for field in [p.firstName, p.lastName, p.company, p.phone, p.website, p.street, p.city, p.state, p.postalCode, p.country, p.birthDate, p.personalID] {
            add(field)
        }
        return Int64(bitPattern: hash)
    }

    /// A fingerprint of how entries are computed (keys, values, fingerprints of a few fixed records): when the code
    /// that makes them changes, a store's index is stale and rebuilt.
    public static func formatFingerprint(configuration: MatchConfiguration) -> String {
        let probes = [
            IdentityRecord(
                reference: RecordReference(connector: "a", externalID: "1"), emails: ["Jane.Doe+x@Example.com", "info@example.com"],
                sameAs: [RecordReference(connector: "b", externalID: "2")], mergedInto: "3",
                profile: PersonProfile(
                    firstName: "Jane", lastName: "Doe", company: "Blue Peak Software Inc", title: "CFO", phone: "+1 (415) 555-0100 x12",
                    website: "bluepeak.com", street: "12 Main St Suite 4", city: "San Francisco", state: "CA", postalCode: "94105-1234",
                    country: "US", birthDate: "1980-02-03", personalID: "123-45-6789")),
            IdentityRecord(
                reference: RecordReference(connector: "b", externalID: "2"), emails: ["jdoe@gmail.com"], isDeleted: true,
                profile: PersonProfile(firstName: "J.", lastName: "Doe-Smith", city: "Zürich", postalCode: "8001", country: "CH")),
        ]
        var hash: UInt64 = 0xF00D
        for entry in entries(of: probes, configuration: configuration) {
            for value in entry.keys + [-1] + entry.values + [entry.fingerprint] { hash = TextFolding.mix(hash ^ UInt64(bitPattern: value)) }
        }
        return "v1-" + String(hash, radix: 16)
    }
}

extension ProbabilisticMatcher {
    /// The (column, value) pairs whose store-wide frequencies scoring the pairs touching `focus` (indices into
    /// `records`) reads, with `excludedKeys` never paired.
    public func frequencyNeeds(among records: [IdentityRecord], focus: Set<Int>, excludedKeys: Set<Int64>) -> Set<FrequencyKey> {
        prepareScoring(among: records, focus: focus, excludedKeys: excludedKeys).needs
    }

    /// The candidate pairs touching `focus` and the frequencies their scoring needs, for `score(_:population:)`.
    public func prepareScoring(among records: [IdentityRecord], focus: Set<Int>, excludedKeys: Set<Int64>) -> PreparedScoring {
        let features = MatchFeatures(records, defaultCountry: configuration.defaultCountry)
        let flags = Self.flags(focus, count: records.count)
        let blocks = Blocks(features, maxBlockSize: configuration.maxBlockSize, focus: flags, skipping: Self.packedKeys(excludedKeys, count: records.count))
        let candidates = CandidatePairs(features, blocks: blocks, focus: flags, keepPairs: true)
        return PreparedScoring(features: features, candidates: candidates, needs: Self.needs(features, candidates, configuration))
    }

    /// Scores prepared pairs with the store's figures (`population.excludedKeys` must be those prepared with).
    public func score(_ prepared: PreparedScoring, population: MatchPopulation) -> ScoredEdges {
        guard !estimatesOnScore else { return ScoredEdges() }
        let frequencies = TermFrequencies(prepared.features, population: population)
        let scorer = PairScorer(
            tables: ModelTables(model), configuration: configuration, frequencies: frequencies, features: prepared.features,
            prior: model.priorLogOdds(records: population.recordCount))
        var edges = scorer.edges(prepared.candidates)
        edges.model = model
        return edges
    }

    static func needs(_ features: MatchFeatures, _ candidates: CandidatePairs, _ configuration: MatchConfiguration) -> Set<FrequencyKey> {
        var needs = Set<FrequencyKey>()
        guard configuration.termFrequencyAdjustment else { return needs }
        var seen = Set<UInt64>()
        for position in 0..<candidates.gammas.count {
            let gamma = candidates.gammas[position]
            let a = Int(candidates.first[position])
            for field in MatchField.allCases {
                let level = MatchField.level(gamma, field)
                guard level > 0, let column = TermFrequencies.adjustingColumn(field, level: level, features.records[a]),
                      column.rawValue < IdentityIndex.frequencyColumns else { continue }
                let value = column.value(features.records[a])
                guard value != 0, seen.insert(UInt64(a) << 4 | UInt64(column.rawValue)).inserted else { continue }
                needs.insert(FrequencyKey(column: column.rawValue, value: Int64(bitPattern: value)))
            }
        }
        return needs
    }

    /// Scores the pairs touching `focus` among `records`, a subset of a store holding every record that shares a
    /// pairable key with a focus record, as a run over the whole store would: blocks over the cap store-wide are
    /// skipped, the prior counts the whole store, and term frequencies are the store's. Needs a stored model
    /// (estimating one needs every record): without one, scores over `records` alone.
    public func score(among records: [IdentityRecord], focus: Set<Int>, population: MatchPopulation) -> ScoredEdges {
        guard !estimatesOnScore else { return run(records, focus: focus).edges }
        let features = MatchFeatures(records, defaultCountry: configuration.defaultCountry)
        let flags = Self.flags(focus, count: records.count)
        let blocks = Blocks(features, maxBlockSize: configuration.maxBlockSize, focus: flags, skipping: Self.packedKeys(population.excludedKeys, count: records.count))
        let candidates = CandidatePairs(features, blocks: blocks, focus: flags, keepPairs: true)
        let frequencies = TermFrequencies(features, population: population)
        let scorer = PairScorer(
            tables: ModelTables(model), configuration: configuration, frequencies: frequencies, features: features,
            prior: model.priorLogOdds(records: population.recordCount))
        var edges = scorer.edges(candidates)
        edges.model = model
        return edges
    }

    static func flags(_ focus: Set<Int>, count: Int) -> [Bool] {
        var flags = [Bool](repeating: false, count: count)
        for index in focus where index >= 0 && index < count { flags[index] = true }
        return flags
    }

    /// Index keys as `Blocks` packs them for `count` records (the kind in the four bits above the record index).
    static func packedKeys(_ keys: Set<Int64>, count: Int) -> Set<UInt64> {
        let packing = PackedEntries(recordCount: count)
        var result = Set<UInt64>()
        for key in keys {
            let raw = UInt64(bitPattern: key)
            let namespace = raw & 0xF
            result.insert((raw & packing.keyMask & ~(UInt64(0xF) << UInt64(packing.indexBits))) | namespace << UInt64(packing.indexBits))
        }
        return result
    }
}

/// Candidate pairs of a subset, ready to score once the store's frequencies are known.
public struct PreparedScoring: Sendable {
    let features: MatchFeatures
    let candidates: CandidatePairs
    /// The (column, value) pairs whose store-wide counts scoring reads.
    public let needs: Set<FrequencyKey>
}

extension TermFrequencies {
    /// Surprise of each record's values from store-wide counts (records whose values are not in `population`
    /// get none: they are never the record a pair's weights are read from).
    init(_ features: MatchFeatures, population: MatchPopulation) {
        let columns = Self.columns
        surprise = [Float](repeating: 0, count: features.count * columns)
        agreement = [Double?](repeating: nil, count: columns)
        for (index, record) in features.records.enumerated() where record.active {
            for column in 0..<min(IdentityIndex.frequencyColumns, population.present.count) {
                let value = Column(rawValue: column)!.value(record)
                guard value != 0, let size = population.valueCounts[FrequencyKey(column: column, value: Int64(bitPattern: value))] else { continue }
                let share = Double(max(size - 1, 1)) / Double(max(population.present[column] - 1, 1))
                surprise[index * columns + column] = Float(-log2(share))
            }
        }
    }
}
