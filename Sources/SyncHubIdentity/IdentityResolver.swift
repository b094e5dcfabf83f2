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
    public static let ruleName = "email"
    public let name = SharedEmailRule.ruleName
    public init() {}

    public func edges(among records: [IdentityRecord], index: RecordIndex) -> [IdentityEdge] {
        // Keys are 64-bit hashes of the normalized address; a hit is confirmed on the text before it links.
        var firstByKey: [UInt64: Int32] = [:]
        firstByKey.reserveCapacity(records.count)
        var edges: [IdentityEdge] = []
        var scratch: [UInt8] = []
        var other: [UInt8] = []
        for (position, record) in records.enumerated() {
            for raw in record.emails {
                guard let at = EmailAddress.normalize(raw, into: &scratch), !EmailAddress.roleHashes.contains(TextFolding.hash(scratch[..<at])) else { continue }
                let key = TextFolding.hash(scratch, seed: FieldSeed.email)
                if let first = firstByKey[key] {
                    guard Int(first) != position else { continue }
                    let same = records[Int(first)].emails.contains { EmailAddress.normalize($0, into: &other) != nil && other == scratch }
                    if same { edges.append(IdentityEdge(from: position, to: Int(first), rule: name, evidence: String(decoding: scratch, as: UTF8.self))) }
                } else {
                    firstByKey[key] = Int32(position)
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
/// group joins records of several persons, the oldest person survives and the others become its aliases; when a
/// person's records are divided into groups (a split), the group holding most of them keeps its id (ties: the group
/// holding its first record in reference order) and the others get new ones; a new group gets an id derived from
/// the record that founded it, so the same data gives the same ids on any machine.
///
/// Deterministic edges (upstream merges, cross-system ids, shared emails, `sameperson` overrides) join records
/// first. Probabilistic links follow from the strongest down, and one is refused when it would put into one person
/// two records with conflicting dates of birth, or two records a `differentPersons` override keeps apart: a cluster
/// is cut at its weakest probabilistic link, and never chains through a contradiction.
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
    ///     (against the blocks of all records), and only the persons they touch are regrouped. Records without a
    ///     current person count as changed. `nil`: everything.
    ///   - priorMatches: stored link edges among the records outside `focus`, so grouping still sees them (edges
    ///     touching a focus record are derived again and ignored here).
    ///   - population: with a focus, when `records` are a subset of a store (the focus records, every record sharing
    ///     an index key with them, and the records of the persons they can affect): the store's figures, so the
    ///     probabilistic rule scores as over the whole store (see `IdentityIndex`).
    public func resolve(
        _ records: [IdentityRecord], personAge: [String: Int] = [:], overrides: IdentityOverrides = .init(),
        focus: Set<RecordReference>? = nil, priorMatches: [MatchedPair] = [], population: MatchPopulation? = nil
    ) -> IdentityResolution {
        let count = records.count
        var clock = PhaseClock()
        // Positions of records by reference, when overrides, prior matches or a focus name records.
        let needsPositions = focus != nil || !priorMatches.isEmpty || !overrides.sameperson.isEmpty || !overrides.differentPersons.isEmpty
            || !overrides.detached.isEmpty
        var positions = ReferencePositions(capacity: needsPositions ? count : 0)
        var isFocus: [Bool]?
        if needsPositions {
            let hashes = Parallel.chunks(count, minimumChunk: 65536) { range in range.map { Self.referenceHash(records[$0].reference) } }
            var index = 0
            for part in hashes {
                for hash in part {
                    positions.insert(records[index].reference, hash: hash, at: index)
                    index += 1
                }
            }
            if let focus {
                var flags = [Bool](repeating: false, count: count)
                for reference in focus { if let found = positions.position(of: reference, in: records) { flags[found] = true } }
                for index in 0..<count where records[index].currentPersonID == nil { flags[index] = true }
                isFocus = flags
            }
        }
        let position = { (reference: RecordReference) -> Int? in positions.position(of: reference, in: records) }
        let detached = Set(overrides.detached.compactMap(position))
        var forbidden = Set<UInt64>()
        var forbiddenPartners: [Int: [Int]] = [:]
        for pair in overrides.differentPersons {
            guard let a = position(pair.first), let b = position(pair.second), a != b else { continue }
            forbidden.insert(Self.pairKey(a, b))
            forbiddenPartners[a, default: []].append(b)
            forbiddenPartners[b, default: []].append(a)
        }

        clock.lap("positions")
        // Evidence.
        let needsIndex = records.contains { !$0.sameAs.isEmpty || $0.mergedInto != nil }
        let index = RecordIndex(needsIndex ? records : [])
        var deterministic: [IdentityEdge] = []
        var probabilistic: [IdentityEdge] = []
        var reviews: [IdentityEdge] = []
        var model: MatchModel?
        let focusIndices: Set<Int>? = isFocus.map { flags in Set(flags.indices.lazy.filter { flags[$0] }) }
        for rule in rules {
            if let scoring = rule as? any ScoringRule {
                let scored: ScoredEdges
                if let population, let focusIndices, let matcher = scoring as? ProbabilisticMatcher {
                    scored = matcher.score(among: records, focus: focusIndices, population: population)
                } else {
                    scored = scoring.score(among: records, index: index, focus: focusIndices)
                }
                probabilistic += scored.links
                reviews += scored.reviews
                if let scoredModel = scored.model { model = scoredModel }
            } else {
                deterministic += rule.edges(among: records, index: index)
            }
            clock.lap(rule.name)
        }
        for pair in overrides.sameperson {
            guard let a = position(pair.first), let b = position(pair.second), a != b else { continue }
            deterministic.append(IdentityEdge(from: a, to: b, rule: "override", evidence: "sameperson"))
        }
        // Stored edges among unchanged records were accepted before: they join as they are (no guards again).
        var priorEdges: [(Int, Int, String, String)] = []
        priorEdges.reserveCapacity(priorMatches.count)
        for pair in priorMatches {
            guard let a = position(pair.first), let b = position(pair.second), a != b else { continue }
            if let isFocus, isFocus[a] || isFocus[b] { continue }
            priorEdges.append((a, b, pair.rule, pair.evidence))
        }

        clock.lap("overrides and prior matches")
        // Deterministic edges join first; overrides are respected.
        var sets = DisjointSets(count: count)
        var reason = [(rule: String, evidence: String)?](repeating: nil, count: count)
        var accepted: [IdentityEdge] = []
        func allowed(_ edge: IdentityEdge) -> Bool {
            if edge.rule == "override" { return true }
            if !detached.isEmpty, detached.contains(edge.from) || detached.contains(edge.to) { return false }
            if !forbidden.isEmpty, forbidden.contains(Self.pairKey(edge.from, edge.to)) { return false }
            return true
        }
        // The email rule links the records sharing an address to the first that has it: when that one is split off,
        // the others still share the address and are linked to each other instead.
        var sharers: [String: Int] = [:]
        var relinked: [IdentityEdge] = []
        for edge in deterministic where edge.from != edge.to {
            guard allowed(edge) else {
                let kept = detached.contains(edge.from) ? edge.to : edge.from
                guard edge.rule == SharedEmailRule.ruleName, !detached.isEmpty, !detached.contains(kept) else { continue }
                if let other = sharers.updateValue(kept, forKey: edge.evidence), other != kept {
                    relinked.append(IdentityEdge(from: kept, to: other, rule: edge.rule, evidence: edge.evidence))
                }
                continue
            }
            sets.union(edge.from, edge.to)
            if reason[edge.from] == nil { reason[edge.from] = (edge.rule, edge.evidence) }
            if reason[edge.to] == nil { reason[edge.to] = (edge.rule, edge.evidence) }
            accepted.append(edge)
        }
        for edge in relinked where allowed(edge) {
            sets.union(edge.from, edge.to)
            if reason[edge.from] == nil { reason[edge.from] = (edge.rule, edge.evidence) }
            if reason[edge.to] == nil { reason[edge.to] = (edge.rule, edge.evidence) }
            accepted.append(edge)
        }
        for (a, b, rule, evidence) in priorEdges where (detached.isEmpty || !(detached.contains(a) || detached.contains(b))) && (forbidden.isEmpty || !forbidden.contains(Self.pairKey(a, b))) {
            sets.union(a, b)
            if reason[a] == nil { reason[a] = (rule, evidence) }
            if reason[b] == nil { reason[b] = (rule, evidence) }
        }

        clock.lap("deterministic unions")
        // Probabilistic links, strongest first, each refused if it would join contradicting records.
        if !probabilistic.isEmpty {
            var guardState = ClusterGuard(records: records, sets: &sets, forbiddenPartners: forbiddenPartners)
            // Strongest first; equal scores in an order of the references (not of the input).
            var ranked = probabilistic.indices.filter { allowed(probabilistic[$0]) }.map { position -> (Double, UInt64, UInt64, Int) in
                let edge = probabilistic[position]
                let a = Self.referenceHash(records[edge.from].reference), b = Self.referenceHash(records[edge.to].reference)
                return (edge.score ?? 0, min(a, b), max(a, b), position)
            }
            ranked.sort { a, b in
                if a.0 != b.0 { return a.0 > b.0 }
                if a.1 != b.1 { return a.1 < b.1 }
                if a.2 != b.2 { return a.2 < b.2 }
                return Self.tieKey(probabilistic[a.3], records) < Self.tieKey(probabilistic[b.3], records)
            }
            // Edges on which only the names agree come last: a record linked by its name alone joins a person only
            // when every record its name matches is already that one person (else: namesakes, to review).
            var namesOnlyEdges: [IdentityEdge] = []
            var namesOnlyPartners: [Int: [Int]] = [:]
            func link(_ edge: IdentityEdge, namesOnly: Bool) {
                let rootA = sets.find(edge.from), rootB = sets.find(edge.to)
                if rootA != rootB {
                    // An edge the matcher linked despite its own conflicting dates of birth outweighs that conflict.
                    let birthDateOverruled = edge.comparisons.contains { $0.field == "birthDate" && $0.outcome == "different" }
                    var verdict = guardState.check(rootA, rootB, namesOnly: namesOnly, birthDateOverruled: birthDateOverruled, sets: &sets)
                    if verdict == .none, namesOnly {
                        for end in [edge.from, edge.to] where sets.size[sets.find(end)] == 1 {
                            let own = sets.find(end)
                            let roots = Set((namesOnlyPartners[end] ?? []).map { sets.find($0) }.filter { $0 != own })
                            if roots.count > 1 { verdict = .ambiguous }
                        }
                    }
                    switch verdict {
                    case .none: break
                    case .birthDate, .names, .ambiguous:
                        reviews.append(edge)
                        return
                    case .override:
                        return
                    }
                    let root = sets.unionReturningRoot(rootA, rootB)
                    guardState.merged(rootA, rootB, into: root)
                }
                if reason[edge.from] == nil { reason[edge.from] = (edge.rule, edge.evidence) }
                if reason[edge.to] == nil { reason[edge.to] = (edge.rule, edge.evidence) }
                accepted.append(edge)
            }
            for (_, _, _, position) in ranked {
                let edge = probabilistic[position]
                if ClusterGuard.namesOnly(edge) {
                    namesOnlyEdges.append(edge)
                    namesOnlyPartners[edge.from, default: []].append(edge.to)
                    namesOnlyPartners[edge.to, default: []].append(edge.from)
                } else {
                    link(edge, namesOnly: false)
                }
            }
            for edge in namesOnlyEdges { link(edge, namesOnly: true) }
        }

        clock.lap("probabilistic unions")
        // The records to regroup: all, or (with a focus) the persons the focus records' groups touch.
        var members: [Int]
        if let isFocus {
            var affectedRoots = Set<Int>()
            for index in 0..<count where isFocus[index] { affectedRoots.insert(sets.find(index)) }
            for edge in accepted { if isFocus[edge.from] || isFocus[edge.to] { affectedRoots.insert(sets.find(edge.from)) } }
            var heldIDs = Set<String>()
            for index in 0..<count where affectedRoots.contains(sets.find(index)) {
                if let id = records[index].currentPersonID { heldIDs.insert(id) }
            }
            if !heldIDs.isEmpty {
                for index in 0..<count {
                    if let id = records[index].currentPersonID, heldIDs.contains(id) { affectedRoots.insert(sets.find(index)) }
                }
            }
            members = (0..<count).filter { affectedRoots.contains(sets.find($0)) }
        } else {
            members = Array(0..<count)
        }

        clock.lap("affected records")
        var rank: [Int32] = []
        var resolution = assign(records, members: members, sets: &sets, reason: reason, personAge: personAge, checkAllIDs: isFocus == nil, rank: &rank)
        clock.lap("person ids")
        resolution.recordsExamined = isFocus == nil ? count : members.count
        resolution.model = model

        // Edges as references, oriented and ordered by reference.
        let touches: (IdentityEdge) -> Bool = { edge in isFocus.map { $0[edge.from] || $0[edge.to] } ?? true }
        resolution.matches = Self.pairs(accepted.filter(touches), records, rank: rank)
        let linkedReviews = reviews.filter { touches($0) && sets.find($0.from) != sets.find($0.to) && allowed($0) }
        resolution.reviews = Self.pairs(linkedReviews, records, rank: rank)
        clock.lap("edges out")
        resolution.phases = clock.laps.map { IdentityResolution.Phase(name: $0.0, seconds: $0.1) }
        return resolution
    }

    /// Groups `members` by their sets and gives every group a person id.
    func assign(
        _ records: [IdentityRecord], members: [Int], sets: inout DisjointSets, reason: [(rule: String, evidence: String)?],
        personAge: [String: Int], checkAllIDs: Bool, rank: inout [Int32]
    ) -> IdentityResolution {
        // Groups in a deterministic order: members by reference, groups by their first member.
        let order = members.sorted { Self.precedes(records[$0].reference, records[$1].reference) }
        // The rank of each member in that order (-1: not regrouped), to order edges without comparing strings.
        rank = [Int32](repeating: -1, count: records.count)
        for (position, index) in order.enumerated() { rank[index] = Int32(position) }
        var groupOfRoot = [Int32](repeating: -1, count: records.count)
        var ordered: [[Int]] = []
        for position in order {
            let root = sets.find(position)
            if groupOfRoot[root] >= 0 {
                ordered[Int(groupOfRoot[root])].append(position)
            } else {
                groupOfRoot[root] = Int32(ordered.count)
                ordered.append([position])
            }
        }

        var resolution = IdentityResolution()
        var usedIDs = Set(checkAllIDs ? records.compactMap(\.currentPersonID) : members.compactMap { records[$0].currentPersonID })
        // Existing ids per group (most groups have none, or one). A group whose only id is held by no other group
        // keeps it at once; the other groups and ids (a split, a merge, records moving between persons) are decided
        // together below.
        var holdersOfGroup = [[String]](repeating: [], count: ordered.count)
        var groupOfHolder: [String: Int] = [:]
        var contested = Set<String>()
        for (group, members) in ordered.enumerated() {
            for position in members {
                guard let id = records[position].currentPersonID, !holdersOfGroup[group].contains(id) else { continue }
                holdersOfGroup[group].append(id)
                if let other = groupOfHolder.updateValue(group, forKey: id), other != group { contested.insert(id) }
            }
        }
        var personOfGroup = [String](repeating: "", count: ordered.count)
        var undecided: [Int] = []
        for group in ordered.indices {
            let holders = holdersOfGroup[group]
            if holders.count == 1, !contested.contains(holders[0]) {
                personOfGroup[group] = holders[0]
            } else if !holders.isEmpty {
                undecided.append(group)
            }
        }
        if !undecided.isEmpty {
            // Per id: its records in each group, and the rank of its first record there.
            struct Share { var group: Int; var count: Int; var first: Int32 }
            var shares: [String: [Share]] = [:]
            for group in undecided {
                for position in ordered[group] {
                    guard let id = records[position].currentPersonID else { continue }
                    if let last = shares[id]?.indices.last, shares[id]![last].group == group {
                        shares[id]![last].count += 1
                    } else {
                        shares[id, default: []].append(Share(group: group, count: 1, first: rank[position]))
                    }
                }
            }
            // The group holding most of an id's records; ties: the one holding its first record.
            func better(_ a: Share, _ b: Share) -> Bool { a.count != b.count ? a.count > b.count : a.first < b.first }
            let total = shares.mapValues { $0.reduce(0) { $0 + $1.count } }
            // The oldest id chooses first (then the one with most records): a group joining several persons keeps
            // the oldest, and a person divided into groups stays with the group holding most of its records.
            let ids = shares.keys.sorted { a, b in
                let ageA = personAge[a] ?? Int.max, ageB = personAge[b] ?? Int.max
                if ageA != ageB { return ageA < ageB }
                if total[a]! != total[b]! { return total[a]! > total[b]! }
                return a < b
            }
            var absorbed: [(absorbed: String, into: Int)] = []
            for id in ids {
                let ranked = shares[id]!.sorted(by: better)
                if let share = ranked.first(where: { personOfGroup[$0.group].isEmpty }) {
                    personOfGroup[share.group] = id
                } else {
                    // Every group holding its records kept an older person: merged into where most of them went.
                    absorbed.append((id, ranked[0].group))
                }
            }
            resolution.merges = absorbed.map { (absorbed: $0.absorbed, survivor: personOfGroup[$0.into]) }.sorted { $0.absorbed < $1.absorbed }
        }
        var founded: [(group: Int, sortKey: String)] = []
        for group in ordered.indices where personOfGroup[group].isEmpty {
            personOfGroup[group] = Self.newPersonID(foundedBy: records[ordered[group][0]].reference, avoiding: &usedIDs)
            founded.append((group, Self.sortKey(records[ordered[group][0]].reference)))
        }
        // With a focus, new ids were only checked against the regrouped records: check them against every record
        // (a collision of 48-bit fingerprints is all but impossible, but then the new ids are drawn again).
        if !checkAllIDs, !founded.isEmpty {
            let fresh = Set(founded.map { personOfGroup[$0.group] })
            if records.contains(where: { record in record.currentPersonID.map(fresh.contains) ?? false }) {
                var allUsed = Set(records.compactMap(\.currentPersonID))
                for (group, _) in founded { allUsed.remove(personOfGroup[group]) }
                for (group, sortKey) in founded {
                    personOfGroup[group] = Self.newPersonID(foundedBy: sortKey, avoiding: &allUsed)
                }
            }
        }
        for (group, _) in founded {
            resolution.newPersons.append(PersonSeed(id: personOfGroup[group], foundedBy: records[ordered[group][0]].reference))
        }
        // Changed links in reference order, so the store appends them to its index in key order.
        for position in order {
            let record = records[position]
            let personID = personOfGroup[Int(groupOfRoot[sets.find(position)])]
            if record.currentPersonID != personID {
                let why = reason[position] ?? ("single", record.reference.description)
                resolution.changedLinks.append(IdentityLink(reference: record.reference, personID: personID, rule: why.rule, evidence: why.evidence))
            }
        }
        return resolution
    }

    static func pairKey(_ a: Int, _ b: Int) -> UInt64 {
        UInt64(UInt32(min(a, b))) << 32 | UInt64(UInt32(max(a, b)))
    }

    /// A 64-bit fingerprint of a reference, for orders that must not depend on the input order.
    static func referenceHash(_ reference: RecordReference) -> UInt64 {
        var hash = TextFolding.hash(reference.connector.utf8, seed: 21)
        hash = TextFolding.hash(reference.objectType.rawValue.utf8, seed: hash)
        return TextFolding.hash(reference.externalID.utf8, seed: hash)
    }

    /// An order of equal-scored edges that does not depend on the input order.
    static func tieKey(_ edge: IdentityEdge, _ records: [IdentityRecord]) -> String {
        let a = sortKey(records[edge.from].reference), b = sortKey(records[edge.to].reference)
        return a < b ? a + "\u{2}" + b : b + "\u{2}" + a
    }

    /// Edges as pairs of references (first before second), ordered by reference, then rule.
    static func pairs(_ edges: [IdentityEdge], _ records: [IdentityRecord], rank: [Int32]) -> [MatchedPair] {
        // Records ranked by reference order (all of them, or those regrouped): compare ranks, else references.
        func before(_ a: Int, _ b: Int) -> Bool {
            let ra = rank.isEmpty ? -1 : rank[a], rb = rank.isEmpty ? -1 : rank[b]
            if ra >= 0, rb >= 0 { return ra < rb }
            return precedes(records[a].reference, records[b].reference)
        }
        var oriented = edges.indices.map { position -> (Int, Int, Int) in
            let edge = edges[position]
            return before(edge.to, edge.from) ? (edge.to, edge.from, position) : (edge.from, edge.to, position)
        }
        oriented.sort { x, y in
            if x.0 != y.0 { return before(x.0, y.0) }
            if x.1 != y.1 { return before(x.1, y.1) }
            return edges[x.2].rule < edges[y.2].rule
        }
        return oriented.map { first, second, position in
            let edge = edges[position]
            return MatchedPair(
                first: records[first].reference, second: records[second].reference, rule: edge.rule, evidence: edge.evidence,
                score: edge.score, comparisons: edge.comparisons)
        }
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
    /// ``newPersonID(foundedBy:avoiding:)`` of the reference's sort key, without building the key first.
    static func newPersonID(foundedBy reference: RecordReference, avoiding used: inout Set<String>) -> String {
        // FNV-1a of `connector \u{1} objectType \u{1} externalID`, as ContentHash.of(sortKey).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        @inline(__always) func add(_ bytes: some Sequence<UInt8>) { for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 } }
        add(reference.connector.utf8)
        add(CollectionOfOne(UInt8(1)))
        add(reference.objectType.rawValue.utf8)
        add(CollectionOfOne(UInt8(1)))
        add(reference.externalID.utf8)
        // "P" and the 12 leading hex digits, upper case.
        var bytes: [UInt8] = [UInt8(ascii: "P")]
        for shift in stride(from: 60, through: 16, by: -4) {
            let nibble = UInt8((hash >> UInt64(shift)) & 0xF)
            bytes.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10)
        }
        let id = String(decoding: bytes, as: UTF8.self)
        if used.insert(id).inserted { return id }
        return newPersonID(foundedBy: sortKey(reference), avoiding: &used)
    }

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
    /// Each set's members as a circular list (next member of each element).
    var next: [Int32]

    init(count: Int) {
        parent = (0..<Int32(count)).map { $0 }
        size = Array(repeating: 1, count: count)
        next = parent
    }

    /// Up to `limit` members of the set of `element`.
    func members(of element: Int, limit: Int) -> [Int] {
        var result = [element]
        var current = Int(next[element])
        while current != element, result.count < limit {
            result.append(current)
            current = Int(next[current])
        }
        return result
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
        _ = unionReturningRoot(find(a), find(b))
    }

    /// Joins two roots; returns the root of the union.
    mutating func unionReturningRoot(_ rootA: Int, _ rootB: Int) -> Int {
        var rootA = rootA, rootB = rootB
        guard rootA != rootB else { return rootA }
        if size[rootA] < size[rootB] { swap(&rootA, &rootB) }
        parent[rootB] = Int32(rootA)
        size[rootA] += size[rootB]
        next.swapAt(rootA, rootB)
        return rootA
    }
}

/// What keeps probabilistic links from joining contradicting records: two records of the would-be person whose
/// dates of birth conflict or whose names cannot be one person's (`Mary Fairask` and `Mary Blanelett`, joined through
/// a `Mary` with no family name), records a `differentPersons` override keeps apart, and names alone bridging two
/// persons that each have other records (namesakes).
struct ClusterGuard {
    enum Conflict { case none, birthDate, names, ambiguous, override }

    /// What the guard compares of a record.
    struct Identity {
        var first: [UInt8]
        var last: [UInt8]
        var firstGroups: [UInt16]
        var lastGroups: [UInt16]
        var birthDate: Int32
        /// The personal id's hash (0: none): records with one id are one person whatever their names and dates say.
        var personalID: UInt64
        /// Personal addresses at company (non-free) domains: (domain hash, address hash).
        var workEmails: [(UInt64, UInt64)]
    }

    let records: [IdentityRecord]
    var identities: [Int32: Identity] = [:]
    var partners: [Int32: [Int32]] = [:]
    var scratch: [UInt8] = []
    /// Clusters larger than this are compared on their first members only.
    let pairLimit = 24

    init(records: [IdentityRecord], sets: inout DisjointSets, forbiddenPartners: [Int: [Int]]) {
        self.records = records
        for (record, others) in forbiddenPartners {
            partners[Int32(sets.find(record)), default: []].append(contentsOf: others.map(Int32.init))
        }
    }

    /// Whether only the names of a probabilistic edge agree (every other field compared disagrees or adds nothing).
    static func namesOnly(_ edge: IdentityEdge) -> Bool {
        guard !edge.comparisons.isEmpty else { return false }
        return edge.comparisons.allSatisfy { $0.field == "firstName" || $0.field == "lastName" || $0.weight <= 0 }
    }

    mutating func identity(_ record: Int) -> Identity {
        if let known = identities[Int32(record)] { return known }
        let profile = records[record].profile
        var first: [UInt8] = [], last: [UInt8] = []
        if let raw = profile.firstName { PersonName.normalize(raw, scratch: &scratch, into: &first) }
        if let raw = profile.lastName { PersonName.normalize(raw, scratch: &scratch, into: &last) }
        if first.isEmpty != last.isEmpty {
            var email: [UInt8] = []
            for raw in records[record].emails {
                guard let at = EmailAddress.normalize(raw, into: &email) else { continue }
                if EmailNames.fill(first: &first, last: &last, local: email[..<at]) { break }
            }
        }
        let birthDate = profile.birthDate.flatMap(BirthDate.parse).map(Int32.init) ?? 0
        var personalID: UInt64 = 0
        if let raw = profile.personalID {
            PersonalID.normalize(raw, into: &scratch)
            if !scratch.isEmpty { personalID = TextFolding.hash(scratch) }
        }
        var workEmails: [(UInt64, UInt64)] = []
        var email: [UInt8] = []
        for raw in records[record].emails {
            guard let at = EmailAddress.normalize(raw, into: &email) else { continue }
            let domain = TextFolding.hash(email[(at + 1)...])
            guard !EmailAddress.freeMailHashes.contains(domain), !EmailAddress.roleHashes.contains(TextFolding.hash(email[..<at])) else { continue }
            workEmails.append((domain, TextFolding.hash(email)))
        }
        let identity = Identity(
            first: first, last: last, firstGroups: first.isEmpty ? [] : Nicknames.groups(ofNormalized: first) ?? [],
            lastGroups: last.isEmpty ? [] : Nicknames.groups(ofNormalized: last) ?? [], birthDate: records[record].isDeleted ? 0 : birthDate,
            personalID: records[record].isDeleted ? 0 : personalID, workEmails: workEmails)
        identities[Int32(record)] = identity
        return identity
    }

    mutating func check(_ a: Int, _ b: Int, namesOnly: Bool, birthDateOverruled: Bool = false, sets: inout DisjointSets) -> Conflict {
        if let others = partners[Int32(a)], others.contains(where: { sets.find(Int($0)) == b }) { return .override }
        if let others = partners[Int32(b)], others.contains(where: { sets.find(Int($0)) == a }) { return .override }
        if namesOnly, sets.size[a] > 1, sets.size[b] > 1 { return .ambiguous }
        let membersA = sets.members(of: a, limit: pairLimit), membersB = sets.members(of: b, limit: pairLimit)
        // A personal id that records of both groups carry makes them one person, whatever else their records say.
        var idsA = Set<UInt64>()
        for x in membersA where identity(x).personalID != 0 { idsA.insert(identity(x).personalID) }
        if !idsA.isEmpty, membersB.contains(where: { idsA.contains(identity($0).personalID) }) { return .none }
        for x in membersA {
            let first = identity(x)
            for y in membersB {
                let second = identity(y)
                guard let conflict = Self.conflict(first, second, birthDateOverruled: birthDateOverruled) else { continue }
                // A record whose personal id another record of its group carries is that record's person: a conflict
                // of its own (a mistyped date, a replaced name) does not count when the other record agrees.
                if vouched(x, among: membersA, against: second, birthDateOverruled: birthDateOverruled)
                    || vouched(y, among: membersB, against: first, birthDateOverruled: birthDateOverruled)
                {
                    continue
                }
                return conflict
            }
        }
        return .none
    }

    /// What keeps two records from being one person's, if anything.
    static func conflict(_ first: Identity, _ second: Identity, birthDateOverruled: Bool) -> Conflict? {
        if !birthDateOverruled, first.birthDate != 0, second.birthDate != 0, FieldComparator.birthDateConflict(first.birthDate, second.birthDate) { return .birthDate }
        // Two different addresses at one company's domain: colleagues.
        for (domain, address) in first.workEmails where second.workEmails.contains(where: { $0.0 == domain && $0.1 != address }) {
            if !second.workEmails.contains(where: { $0.1 == address }) { return .names }
        }
        // As for a pair's own link, equal dates of birth outweigh a name that disagrees.
        if !namesCompatible(first, second), first.birthDate == 0 || first.birthDate != second.birthDate { return .names }
        return nil
    }

    /// Whether another member of `group` carries `member`'s personal id, has `other`'s date of birth and no conflict
    /// with it (agreeing positively: a sibling that merely lacks the fields in conflict vouches for nothing).
    mutating func vouched(_ member: Int, among group: [Int], against other: Identity, birthDateOverruled: Bool) -> Bool {
        let id = identity(member).personalID
        guard id != 0, other.birthDate != 0 else { return false }
        return group.contains { sibling in
            guard sibling != member else { return false }
            let candidate = identity(sibling)
            return candidate.personalID == id && candidate.birthDate == other.birthDate
                && Self.conflict(candidate, other, birthDateOverruled: birthDateOverruled) == nil
        }
    }

    /// Whether two records' names can be one person's: each name alike (equal, a nickname, a typo, an initial) or
    /// missing, straight or swapped.
    static func namesCompatible(_ a: Identity, _ b: Identity) -> Bool {
        func alike(_ x: [UInt8], _ y: [UInt8], _ gx: [UInt16], _ gy: [UInt16], familyNames: Bool = false) -> Bool {
            if x.isEmpty || y.isEmpty || x == y { return true }
            if x.count == 1 || y.count == 1 {
                if x[0] == y[0] { return true }
                if x.count == 1, gy.contains(where: { Nicknames.groupInitials[Int($0)].contains(x[0]) }) { return true }
                if y.count == 1, gx.contains(where: { Nicknames.groupInitials[Int($0)].contains(y[0]) }) { return true }
                return false
            }
            if gx.contains(where: gy.contains) { return true }
            return x.withUnsafeBufferPointer { px in
                y.withUnsafeBufferPointer { py in
                    // Alike, one edit apart, a typo of a name of the other's groups (as the comparator reads one), or
                    // (family names from five letters) two edits apart: two records each with its own typo of one name.
                    StringSimilarity.jaroWinkler(px, py) >= 0.85 || StringSimilarity.withinOneEdit(px, py)
                        || gy.contains { FieldComparator.typo(px, known: !gx.isEmpty, ofAnyNameOf: $0) }
                        || gx.contains { FieldComparator.typo(py, known: !gy.isEmpty, ofAnyNameOf: $0) }
                        || (familyNames && min(px.count, py.count) >= 5 && StringSimilarity.withinTwoEdits(px, py))
                }
            }
        }
        if alike(a.first, b.first, a.firstGroups, b.firstGroups), alike(a.last, b.last, a.lastGroups, b.lastGroups, familyNames: true) { return true }
        // Swapped: a's first name is b's last name and the other way round.
        if !a.first.isEmpty, !b.last.isEmpty, !a.last.isEmpty, !b.first.isEmpty {
            return alike(a.first, b.last, a.firstGroups, b.lastGroups) && alike(a.last, b.first, a.lastGroups, b.firstGroups)
        }
        // One given name missing: it may stand in the other's family-name field.
        if a.first.isEmpty { return alike(a.last, b.first, a.lastGroups, b.firstGroups) }
        if b.first.isEmpty { return alike(b.last, a.first, b.lastGroups, a.firstGroups) }
        // One family name missing: the given name may be the other's family name.
        if a.last.isEmpty { return alike(a.first, b.last, a.firstGroups, b.lastGroups) }
        if b.last.isEmpty { return alike(b.first, a.last, b.firstGroups, a.lastGroups) }
        return false
    }

    mutating func merged(_ a: Int, _ b: Int, into root: Int) {
        let other = root == a ? b : a
        if let list = partners.removeValue(forKey: Int32(other)) { partners[Int32(root), default: []].append(contentsOf: list) }
    }
}

/// Positions of records by reference: an open-addressing table of 64-bit fingerprints, checked against the record
/// on lookup.
struct ReferencePositions {
    private var keys: [UInt64]
    private var values: [Int32]
    private let mask: Int
    private var collisions: [RecordReference: Int] = [:]

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: capacity == 0 ? 0 : size)
        values = [Int32](repeating: 0, count: capacity == 0 ? 0 : size)
        mask = size - 1
    }

    mutating func insert(_ reference: RecordReference, hash: UInt64, at index: Int) {
        var slot = Int(TextFolding.mix(hash) & UInt64(mask))
        while keys[slot] != 0 {
            if keys[slot] == hash {
                collisions[reference] = index
                return
            }
            slot = (slot + 1) & mask
        }
        keys[slot] = hash
        values[slot] = Int32(index)
    }

    func position(of reference: RecordReference, in records: [IdentityRecord]) -> Int? {
        guard !keys.isEmpty else { return nil }
        let hash = IdentityResolver.referenceHash(reference)
        var slot = Int(TextFolding.mix(hash) & UInt64(mask))
        while keys[slot] != 0 {
            if keys[slot] == hash {
                let index = Int(values[slot])
                if records[index].reference == reference { return index }
                break
            }
            slot = (slot + 1) & mask
        }
        return collisions[reference]
    }
}
