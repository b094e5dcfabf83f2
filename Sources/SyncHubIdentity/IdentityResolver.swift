public import SyncHubCore

/// A piece of evidence that two records are the same person.
public struct IdentityEdge: Sendable, Hashable {
    public var from: Int
    public var to: Int
    /// The rule's name: `email`, `same_as`, `upstream_merge`...
    public var rule: String
    /// What matched, such as the normalized email; stays in the store.
    public var evidence: String
    /// A probabilistic rule's match score (the sum of `comparisons`' weights); `nil` for deterministic rules.
    public var score: Double?
    /// The fields a probabilistic rule compared, and their weights.
    public var comparisons: [FieldComparison]

    public init(from: Int, to: Int, rule: String, evidence: String, score: Double? = nil, comparisons: [FieldComparison] = []) {
        self.from = from
        self.to = to
        self.rule = rule
        self.evidence = evidence
        self.score = score
        self.comparisons = comparisons
    }
}

/// What a scoring rule found: pairs above its link threshold, and pairs between its review and link thresholds
/// that a person should decide (`synchub people review`).
public struct ScoredEdges: Sendable {
    public var links: [IdentityEdge]
    public var reviews: [IdentityEdge]
    /// The model the rule scored with (estimated during this call, or given), for the store to keep.
    public var model: MatchModel?
    public init(links: [IdentityEdge] = [], reviews: [IdentityEdge] = [], model: MatchModel? = nil) {
        self.links = links
        self.reviews = reviews
        self.model = model
    }
}

/// A rule that scores candidate pairs (a Fellegi–Sunter matcher), and can limit its work to some records.
public protocol ScoringRule: IdentityRule {
    /// Scores the candidate pairs among `records`; with `focus`, only pairs with at least one record in `focus`
    /// (indices into `records`), which is how resolution after a pull re-examines changed records only.
    func score(among records: [IdentityRecord], index: RecordIndex, focus: Set<Int>?) -> ScoredEdges
}

extension ScoringRule {
    public func edges(among records: [IdentityRecord], index: RecordIndex) -> [IdentityEdge] {
        score(among: records, index: index, focus: nil).links
    }
}

/// A way of finding records of the same person. Deterministic rules come first; a probabilistic matcher is
/// another rule that emits edges above its link threshold.
public protocol IdentityRule: Sendable {
    var name: String { get }
    /// Edges between records (indices into `records`) this rule is sure of.
    func edges(among records: [IdentityRecord], index: RecordIndex) -> [IdentityEdge]
}

/// Looks up records by reference.
public struct RecordIndex: Sendable {
    let positions: [RecordReference: Int]
    public init(_ records: [IdentityRecord]) {
        var positions: [RecordReference: Int] = [:]
        positions.reserveCapacity(records.count)
        for (index, record) in records.enumerated() { positions[record.reference] = index }
        self.positions = positions
    }
    public subscript(reference: RecordReference) -> Int? { positions[reference] }
}

/// Records sharing a normalized personal email are one person. Role addresses (`info@`) are not evidence.
public struct SharedEmailRule: IdentityRule {
    public let name = "email"
    public init() {}

    public func edges(among records: [IdentityRecord], index: RecordIndex) -> [IdentityEdge] {
        var firstByKey: [String: Int] = [:]
        firstByKey.reserveCapacity(records.count)
        var edges: [IdentityEdge] = []
        for (position, record) in records.enumerated() {
            for raw in record.emails {
                guard let key = EmailAddress.normalize(raw), !EmailAddress.isRoleAddress(key) else { continue }
                if let first = firstByKey[key] {
                    if first != position { edges.append(IdentityEdge(from: position, to: first, rule: name, evidence: key)) }
                } else {
                    firstByKey[key] = position
                }
            }
        }
        return edges
    }
}

/// Explicit links the sources carry: cross-system id fields and converted leads.
public struct SameAsRule: IdentityRule {
    public let name = "same_as"
    public init() {}

    public func edges(among records: [IdentityRecord], index: RecordIndex) -> [IdentityEdge] {
        var edges: [IdentityEdge] = []
        for (position, record) in records.enumerated() {
            for reference in record.sameAs {
                if let other = index[reference], other != position {
                    edges.append(IdentityEdge(from: position, to: other, rule: name, evidence: reference.description))
                }
            }
        }
        return edges
    }
}

/// Merges made in the source system: the absorbed record is the survivor's person.
public struct UpstreamMergeRule: IdentityRule {
    public let name = "upstream_merge"
    public init() {}

    public func edges(among records: [IdentityRecord], index: RecordIndex) -> [IdentityEdge] {
        var edges: [IdentityEdge] = []
        for (position, record) in records.enumerated() {
            guard let survivor = record.mergedInto else { continue }
            let reference = RecordReference(connector: record.reference.connector, objectType: record.reference.objectType, externalID: survivor)
            if let other = index[reference], other != position {
                edges.append(IdentityEdge(from: position, to: other, rule: name, evidence: reference.description))
            }
        }
        return edges
    }
}

/// Groups contact records into persons with stable ids.
///
/// Every record belongs to exactly one person. A group of records that already has a person keeps its id; when a
/// group joins records of several persons, the oldest person survives and the others become its aliases; a new
/// group gets an id derived from the record that founded it, so the same data gives the same ids on any machine.
public struct IdentityResolver: Sendable {
    public var rules: [any IdentityRule]

    public init(rules: [any IdentityRule] = [UpstreamMergeRule(), SameAsRule(), SharedEmailRule()]) {
        self.rules = rules
    }

    /// The rules synchub runs: upstream merges, cross-system ids, shared personal emails, then probabilistic
    /// matching (unless `configuration.enabled` is false). `model`: the stored model to reuse (nil: estimate).
    public static func standard(configuration: MatchConfiguration = .init(), model: MatchModel? = nil) -> IdentityResolver {
        var rules: [any IdentityRule] = [UpstreamMergeRule(), SameAsRule(), SharedEmailRule()]
        if configuration.enabled { rules.append(ProbabilisticMatcher(configuration: configuration, model: model)) }
        return IdentityResolver(rules: rules)
    }

    /// Resolves `records`.
    /// - Parameters:
    ///   - personAge: creation rank of existing person ids (smaller is older); unknown ids count as newest.
    ///   - overrides: decisions of people (`synchub people merge` / `split` / review answers).
    ///   - focus: records that changed since the last run; scoring rules only examine pairs touching them
    ///     (against the blocks of all records). `nil`: everything.
    ///   - priorMatches: stored link edges among the records outside `focus`, so grouping still sees them.
    public func resolve(
        _ records: [IdentityRecord], personAge: [String: Int] = [:], overrides: IdentityOverrides = .init(),
        focus: Set<RecordReference>? = nil, priorMatches: [MatchedPair] = []
    ) -> IdentityResolution {
        // Only explicit references need the lookup table; most stores have none.
        let needsIndex = records.contains { !$0.sameAs.isEmpty || $0.mergedInto != nil }
        let index = RecordIndex(needsIndex ? records : [])
        var sets = DisjointSets(count: records.count)
        // Why each record joined its group: the first edge that touched it.
        var reason = [(rule: String, evidence: String)?](repeating: nil, count: records.count)
        for rule in rules {
            for edge in rule.edges(among: records, index: index) {
                sets.union(edge.from, edge.to)
                if reason[edge.from] == nil { reason[edge.from] = (edge.rule, edge.evidence) }
                if reason[edge.to] == nil { reason[edge.to] = (edge.rule, edge.evidence) }
            }
        }
        // Groups in a deterministic order: members by reference, groups by their first member.
        let order = records.indices.sorted { Self.precedes(records[$0].reference, records[$1].reference) }
        var groupOfRoot = [Int32](repeating: -1, count: records.count)
        var ordered: [[Int]] = []
        for position in order {
            let root = sets.find(position)
            if groupOfRoot[root] < 0 {
                groupOfRoot[root] = Int32(ordered.count)
                ordered.append([position])
            } else {
                ordered[Int(groupOfRoot[root])].append(position)
            }
        }

        var resolution = IdentityResolution(recordsExamined: records.count)
        var usedIDs = Set(records.compactMap(\.currentPersonID))
        var claimed = Set<String>()
        var absorbed: [String: String] = [:]
        var assigned = [String?](repeating: nil, count: records.count)
        for members in ordered {
            // Existing persons in this group (most groups have none, or one).
            var holders: [String] = []
            for position in members {
                if let id = records[position].currentPersonID, !holders.contains(id) { holders.append(id) }
            }
            let personID: String
            if holders.count == 1, !claimed.contains(holders[0]) {
                personID = holders[0]
            } else if holders.isEmpty || holders.allSatisfy(claimed.contains) {
                personID = Self.newPersonID(foundedBy: Self.sortKey(records[members[0]].reference), avoiding: &usedIDs)
                resolution.newPersons.append(PersonSeed(id: personID, foundedBy: records[members[0]].reference))
            } else {
                var held: [String: Int] = [:]
                for position in members { if let id = records[position].currentPersonID { held[id, default: 0] += 1 } }
                let candidates = holders.filter { !claimed.contains($0) }.sorted { a, b in
                    let ageA = personAge[a] ?? Int.max, ageB = personAge[b] ?? Int.max
                    if ageA != ageB { return ageA < ageB }
                    if held[a]! != held[b]! { return held[a]! > held[b]! }
                    return a < b
                }
                personID = candidates[0]
                for other in candidates.dropFirst() where absorbed[other] == nil { absorbed[other] = personID }
            }
            claimed.insert(personID)
            for position in members { assigned[position] = personID }
        }
        // Changed links in reference order, so the store appends them to its index in key order.
        for position in order {
            let record = records[position]
            let personID = assigned[position]!
            if record.currentPersonID != personID {
                let why = reason[position] ?? ("single", record.reference.description)
                resolution.changedLinks.append(IdentityLink(reference: record.reference, personID: personID, rule: why.rule, evidence: why.evidence))
            }
        }
        // A person absorbed into a group whose survivor also kept other records is merged; a person id that
        // lost all its records to other groups without being chosen is merged into where most of them went.
        resolution.merges = absorbed.sorted { $0.key < $1.key }.filter { !claimed.contains($0.key) }.map { (absorbed: $0.key, survivor: $0.value) }
        return resolution
    }

    /// The order of ``sortKey(_:)``, without building the keys.
    static func precedes(_ a: RecordReference, _ b: RecordReference) -> Bool {
        if a.connector != b.connector { return a.connector.utf8.lexicographicallyPrecedes(b.connector.utf8) }
        if a.objectType != b.objectType { return a.objectType.rawValue.utf8.lexicographicallyPrecedes(b.objectType.rawValue.utf8) }
        return a.externalID.utf8.lexicographicallyPrecedes(b.externalID.utf8)
    }

    static func sortKey(_ reference: RecordReference) -> String {
        "\(reference.connector)\u{1}\(reference.objectType.rawValue)\u{1}\(reference.externalID)"
    }

    /// `P` and 12 hex digits of the founding record's fingerprint.
    static func newPersonID(foundedBy sortKey: String, avoiding used: inout Set<String>) -> String {
        var salt = 0
        while true {
            let key = salt == 0 ? sortKey : sortKey + "\u{1}\(salt)"
            let id = "P" + String(ContentHash.hex(ContentHash.of(key)).prefix(12)).uppercased()
            if used.insert(id).inserted { return id }
            salt += 1
        }
    }
}

/// Union-find with path halving and union by size.
struct DisjointSets {
    var parent: [Int32]
    var size: [Int32]

    init(count: Int) {
        parent = (0..<Int32(count)).map { $0 }
        size = Array(repeating: 1, count: count)
    }

    mutating func find(_ element: Int) -> Int {
        var x = Int32(element)
        while parent[Int(x)] != x {
            parent[Int(x)] = parent[Int(parent[Int(x)])]
            x = parent[Int(x)]
        }
        return Int(x)
    }

    mutating func union(_ a: Int, _ b: Int) {
        var rootA = find(a), rootB = find(b)
        guard rootA != rootB else { return }
        if size[rootA] < size[rootB] { swap(&rootA, &rootB) }
        parent[rootB] = Int32(rootA)
        size[rootA] += size[rootB]
    }
}
