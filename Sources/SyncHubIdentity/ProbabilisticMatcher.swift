import SyncHubCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fellegi–Sunter matching of contact records that share no deterministic evidence: blocking, field comparators,
/// log2 match weights from m/u probabilities (estimated by EM), term-frequency adjustment, two thresholds.
///
/// Pairs sharing a personal email are left to the `email` rule (they still teach EM what matches look like).
/// A pair whose dates of birth conflict links only when they share the year and the rest agrees strongly
/// (`birthDateConflictMargin`).
public struct ProbabilisticMatcher: ScoringRule {
    public let name = "probabilistic"
    public var configuration: MatchConfiguration
    /// The parameters in use: the given model, or the starting values until `score` estimates from the data.
    public var model: MatchModel
    /// Whether `score` estimates the model from the records it sees (no model was given).
    public var estimatesOnScore: Bool

    public init(configuration: MatchConfiguration = .init(), model: MatchModel? = nil) {
        self.configuration = configuration
        let usable = model.flatMap { $0.version == MatchModel.currentVersion ? $0 : nil }
        self.model = usable ?? MatchModel.starting(configuration)
        self.estimatesOnScore = usable == nil && configuration.estimateParameters
    }

    /// Estimates m/u probabilities from `records`: u from random pairs (and exact value frequencies), m and the
    /// match proportion by EM over the candidate pairs of the blocks.
    public static func estimate(_ records: [IdentityRecord], configuration: MatchConfiguration) -> MatchModel {
        let features = MatchFeatures(records, defaultCountry: configuration.defaultCountry)
        let blocks = Blocks(features, maxBlockSize: configuration.maxBlockSize, focus: nil)
        let frequencies = TermFrequencies(features, only: nil)
        let candidates = CandidatePairs(features, blocks: blocks, focus: nil, keepPairs: false)
        return estimate(features: features, records: records, patterns: candidates.patterns, frequencies: frequencies, configuration: configuration)
    }

    public func score(among records: [IdentityRecord], index: RecordIndex, focus: Set<Int>?) -> ScoredEdges {
        run(records, focus: focus).edges
    }

    /// The keys under which each record is filed for matching: its blocking keys and its personal email keys, as
    /// 64-bit fingerprints. A store keeps them in an index; on an incremental run it loads the changed records, the
    /// records sharing a key with them (keys shared by more than `indexKeyLimit(_:)` records are not paired, so not
    /// followed) and the other records of their persons, and resolves only those (`focus`: the changed ones).
    public func indexKeys(of records: [IdentityRecord]) -> [[Int64]] {
        let features = MatchFeatures(records, defaultCountry: configuration.defaultCountry)
        return features.arena.withUnsafeBufferPointer { arena in
            features.records.map { record in
                var keys: [Int64] = []
                guard record.active else { return keys }
                for kind in BlockingKey.allCases {
                    let key = kind.key(record, arena: arena)
                    if key != 0 { keys.append(Self.indexKey(BlockingKey.hash(key, namespace: kind.namespace), namespace: kind.namespace)) }
                }
                for email in [record.email1, record.email2] where email != 0 { keys.append(Self.indexKey(TextFolding.mix(email ^ 0x5EED), namespace: IdentityIndex.emailNamespace)) }
                return keys
            }
        }
    }

    /// The kind of an index key is in its low four bits.
    static func indexKey(_ hash: UInt64, namespace: Int) -> Int64 {
        Int64(bitPattern: (hash & ~0xF) | UInt64(namespace & 0xF))
    }

    /// How many records may share an index key for it to matter: records under a key shared by more are never
    /// paired through it (and email keys always matter).
    public func indexKeyLimit(_ key: Int64) -> Int {
        let namespace = Int(key & 0xF)
        guard namespace != 15, let kind = BlockingKey.allCases.first(where: { $0.namespace == namespace }) else { return Int.max }
        return kind.cap(configuration.maxBlockSize)
    }

    /// Runs the rule on `records` and reports what it did (candidate pairs, blocks, seconds per phase): for the
    /// bench and for tuning blocking.
    public func statistics(_ records: [IdentityRecord], focus: Set<Int>? = nil) -> MatchStatistics {
        let run = run(records, focus: focus)
        let byKind = focus == nil ? Blocks.pairsByKind(MatchFeatures(records, defaultCountry: configuration.defaultCountry), maxBlockSize: configuration.maxBlockSize) : []
        return MatchStatistics(
            candidatePairs: run.candidatePairs, blocks: run.blocks, skippedBlocks: run.skippedBlocks, links: run.edges.links.count,
            reviews: run.edges.reviews.count, phases: run.seconds.map { MatchStatistics.Phase(name: $0.0, seconds: $0.1) },
            pairsByKey: byKind.map { MatchStatistics.Phase(name: $0.0, seconds: Double($0.1)) })
    }

    /// How the rule sees given pairs of records (indices into `records`), whether or not it would compare them:
    /// for `synchub people` to explain a link or a missing one, and for tuning. Uses `model` (estimated first when
    /// the rule estimates on scoring).
    public func explain(_ pairs: [(Int, Int)], among records: [IdentityRecord]) -> [PairExplanation] {
        let features = MatchFeatures(records, defaultCountry: configuration.defaultCountry)
        let frequencies = TermFrequencies(features, only: nil)
        var model = self.model
        if estimatesOnScore {
            let blocks = Blocks(features, maxBlockSize: configuration.maxBlockSize, focus: nil)
            let candidates = CandidatePairs(features, blocks: blocks, focus: nil, keepPairs: false)
            model = Self.estimate(features: features, records: records, patterns: candidates.patterns, frequencies: frequencies, configuration: configuration)
        }
        let scorer = PairScorer(tables: ModelTables(model), configuration: configuration, frequencies: frequencies, features: features, prior: model.priorLogOdds(records: features.count))
        return features.arena.withUnsafeBufferPointer { arena in
            // How many records hold each key of the pairs' records (namespaced as blocking does), for the caps.
            var sizes: [UInt64: Int] = [:]
            for (a, b) in pairs {
                for record in [a, b] {
                    for kind in BlockingKey.allCases {
                        let key = kind.key(features.records[record], arena: arena)
                        if key != 0 { sizes[BlockingKey.hash(key, namespace: kind.namespace), default: 0] = 0 }
                    }
                }
            }
            for record in features.records where record.active {
                for kind in BlockingKey.allCases {
                    let key = kind.key(record, arena: arena)
                    guard key != 0 else { continue }
                    let namespaced = BlockingKey.hash(key, namespace: kind.namespace)
                    if let size = sizes[namespaced] { sizes[namespaced] = size + 1 }
                }
            }
            let comparator = FieldComparator(arena: arena)
            return pairs.map { a, b in
                let forward = features.orientation[a] <= features.orientation[b]
                let (first, second) = forward ? (a, b) : (b, a)
                let gamma = comparator.compare(features.records[first], features.records[second])
                var shared: [String] = [], paired: [String] = []
                for kind in BlockingKey.allCases {
                    let x = kind.key(features.records[a], arena: arena)
                    guard x != 0, BlockingKey.allCases.contains(where: { other in
                        other.namespace == kind.namespace && other.key(features.records[b], arena: arena) == x
                    }) else { continue }
                    shared.append("\(kind)")
                    if features.records[a].active, features.records[b].active, sizes[BlockingKey.hash(x, namespace: kind.namespace), default: 0] <= kind.cap(configuration.maxBlockSize) {
                        paired.append("\(kind)")
                    }
                }
                let score = scorer.score(gamma, first)
                return PairExplanation(
                    score: score, comparisons: scorer.comparisons(gamma, first), sharedBlocks: shared,
                    namesConflict: MatchField.namesConflict(gamma) && MatchField.level(gamma, .birthDate) != 1,
                    birthDateConflict: MatchField.level(gamma, .birthDate) == MatchField.birthDate.differentLevel,
                    pairedBlocks: paired, decision: scorer.decide(gamma, first, second, score: score).label)
            }
        }
    }

    /// What one run did, for the bench and tests.
    struct Run {
        var edges: ScoredEdges
        var candidatePairs: Int
        var blocks: Int
        var skippedBlocks: Int
        var seconds: [(String, Double)]
    }

    func run(_ records: [IdentityRecord], focus: Set<Int>?) -> Run {
        var clock = PhaseClock()
        let features = MatchFeatures(records, defaultCountry: configuration.defaultCountry)
        clock.lap("features")
        var focusFlags: [Bool]?
        if let focus {
            var flags = [Bool](repeating: false, count: records.count)
            for index in focus where index >= 0 && index < records.count { flags[index] = true }
            focusFlags = flags
        }
        let blocks = Blocks(features, maxBlockSize: configuration.maxBlockSize, focus: focusFlags)
        clock.lap("blocking")
        let candidates = CandidatePairs(features, blocks: blocks, focus: focusFlags, keepPairs: true)
        clock.lap("comparisons")
        // With a focus, the frequencies of every record a pair's weights are read from (a focus record's partner too).
        var frequencyFlags = focusFlags
        if var flags = frequencyFlags {
            for record in candidates.first { flags[Int(record)] = true }
            frequencyFlags = flags
        }
        let frequencies = TermFrequencies(features, only: estimatesOnScore ? nil : frequencyFlags)
        clock.lap("frequencies")
        var model = self.model
        if estimatesOnScore {
            model = Self.estimate(features: features, records: records, patterns: candidates.patterns, frequencies: frequencies, configuration: configuration)
            clock.lap("estimation")
        }
        let scorer = PairScorer(tables: ModelTables(model), configuration: configuration, frequencies: frequencies, features: features, prior: model.priorLogOdds(records: features.count))
        var edges = scorer.edges(candidates)
        edges.model = model
        clock.lap("scoring")
        return Run(edges: edges, candidatePairs: candidates.count, blocks: blocks.blockCount, skippedBlocks: blocks.skippedBlocks, seconds: clock.laps)
    }

    static func estimate(
        features: MatchFeatures, records: [IdentityRecord], patterns: [UInt64: Int], frequencies: TermFrequencies,
        configuration: MatchConfiguration
    ) -> MatchModel {
        var tables = ModelTables.starting
        (tables.u, tables.uSameCompany) = RandomPairs.uProbabilities(features, records: records, frequencies: frequencies)
        let sorted = patterns.sorted { $0.key < $1.key }.map { (gamma: $0.key, count: $0.value) }
        let pairCount = sorted.reduce(0) { $0 + $1.count }
        var iterations = 0
        if configuration.estimateParameters {
            (tables, iterations) = ExpectationMaximization.estimate(patterns: sorted, tables: tables)
        }
        // The share of candidate pairs that are matches, counted from the pairs the model is sure of (EM's
        // proportion over candidate pairs overstates it: blocking gathers pairs alike in names). It gives the
        // prior: how likely two records picked at random are one person's.
        tables.matchProportion = ExpectationMaximization.sureShare(patterns: sorted, tables: tables)
        return tables.model(configuration: configuration, recordCount: records.count, pairCount: pairCount, iterations: iterations)
    }
}

/// How the probabilistic rule sees one pair of records.
public struct PairExplanation: Sendable, Hashable {
    /// Sum of the comparisons' weights.
    public var score: Double
    public var comparisons: [FieldComparison]
    /// The kinds of blocking key the two records share (none: the rule never compares them).
    public var sharedBlocks: [String]
    /// A name disagrees outright, or the dates of birth conflict: no automatic link whatever the score.
    public var namesConflict: Bool
    public var birthDateConflict: Bool
    /// The shared kinds whose blocks are small enough to be paired (empty: the rule never compares the pair).
    public var pairedBlocks: [String] = []
    /// What the rule does with the pair on its own: `link`, `review (why)` or `dropped (why)`.
    public var decision: String = ""
}

/// What a run of the probabilistic rule did.
public struct MatchStatistics: Sendable, Hashable {
    public struct Phase: Sendable, Hashable {
        public var name: String
        public var seconds: Double
    }
    /// Pairs compared (sharing at least one block).
    public var candidatePairs: Int
    /// Blocks paired, and blocks too large to pair.
    public var blocks: Int
    public var skippedBlocks: Int
    public var links: Int
    public var reviews: Int
    public var phases: [Phase]
    /// Pairs each kind of blocking key makes on its own (`seconds` holds the count).
    public var pairsByKey: [Phase] = []
}

extension MatchModel {
    /// log2 odds that two records picked at random among `records` are one person's: the expected links per
    /// record (from the match proportion of the candidate pairs the model saw) over the other records.
    public func priorLogOdds(records: Int) -> Double {
        let perRecord = recordCount > 0 && pairCount > 0 ? min(max(matchProportion * Double(pairCount) / Double(recordCount), 0.01), 5) : 0.5
        let probability = min(2 * perRecord / Double(max(records - 1, 1)), 0.5)
        return log2(probability) - log2(1 - probability)
    }

    /// Starting values before EM (also the model when estimation is off and none is stored).
    public static func starting(_ configuration: MatchConfiguration) -> MatchModel {
        ModelTables.starting.model(configuration: configuration, recordCount: 0, pairCount: 0, iterations: 0)
    }
}

/// Wall-clock laps of a run's phases.
struct PhaseClock {
    var start = ContinuousClock.now
    var laps: [(String, Double)] = []
    mutating func lap(_ name: String) {
        let now = ContinuousClock.now
        let (seconds, attoseconds) = (now - start).components
        laps.append((name, Double(seconds) + Double(attoseconds) / 1e18))
        start = now
    }
}

/// The candidate pairs of the blocks and their comparison vectors.
struct CandidatePairs {
    var first: [Int32] = []
    var second: [Int32] = []
    var gammas: [UInt64] = []
    var count = 0

    /// How many pairs had each comparison vector (swap mark removed), for EM: sorted and counted.
    var patterns: [UInt64: Int] {
        var sorted = gammas.map { $0 & ~MatchField.swappedBit }
        PackedEntries.sort(&sorted)
        var result: [UInt64: Int] = [:]
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count, sorted[end] == sorted[start] { end += 1 }
            result[sorted[start]] = end - start
            start = end
        }
        return result
    }

    init(_ features: MatchFeatures, blocks: Blocks, focus: [Bool]?, keepPairs: Bool) {
        // The records to pair from: all, or the focus records (each pair once: a focus record pairs with
        // non-focus records and with focus records of a higher index).
        let sources: [Int32]
        if let focus {
            sources = focus.indices.filter { focus[$0] && features.records[$0].active }.map { Int32($0) }
        } else {
            sources = []
        }
        let sourceCount = focus == nil ? features.count : sources.count
        struct Part {
            var first: [Int32] = []
            var second: [Int32] = []
            var gammas: [UInt64] = []
            var count = 0
        }
        let orientation = features.orientation
        let parts = features.arena.withUnsafeBufferPointer { arena in
            features.records.withUnsafeBufferPointer { records in
                Parallel.chunks(sourceCount, minimumChunk: focus == nil ? 2048 : 256) { range -> Part in
                    let comparator = FieldComparator(arena: arena)
                    var part = Part()
                    var others: [Int32] = []
                    others.reserveCapacity(256)
                    for position in range {
                        let record = focus == nil ? position : Int(sources[position])
                        guard records[record].active else { continue }
                        blocks.candidates(of: record, greaterOnly: focus == nil, into: &others)
                        for other in others {
                            let otherIndex = Int(other)
                            if let focus, focus[otherIndex], otherIndex < record { continue }
                            // Compared in the order of the references (comparators are symmetric up to rounding).
                            let forward = orientation[record] <= orientation[otherIndex]
                            let gamma = forward
                                ? comparator.compare(records[record], records[otherIndex]) : comparator.compare(records[otherIndex], records[record])
                            part.count += 1
                            part.gammas.append(gamma)
                            if keepPairs {
                                part.first.append(forward ? Int32(record) : other)
                                part.second.append(forward ? other : Int32(record))
                            }
                        }
                    }
                    return part
                }
            }
        }
        for part in parts {
            first.append(contentsOf: part.first)
            second.append(contentsOf: part.second)
            gammas.append(contentsOf: part.gammas)
            count += part.count
        }
    }
}

/// u probabilities from comparisons of random pairs (almost all of different persons), the exact levels from
/// value frequencies.
enum RandomPairs {
    static func uProbabilities(_ features: MatchFeatures, records: [IdentityRecord], frequencies: TermFrequencies) -> ([[Double]], [[Double]]) {
        let starting = ModelTables.starting
        let active = features.records.indices.filter { features.records[$0].active }
        // An order that does not depend on the input order: by a hash of each record's reference.
        let packing = PackedEntries(recordCount: records.count)
        var order: [UInt64] = active.map { index in
            packing.pack(kind: 0, key: features.orientation[index], record: index)
        }
        PackedEntries.sort(&order)
        let canonical = order.map { Int32(packing.record($0)) }
        // Records by company (name or domain label), in that order, for pairs of colleagues.
        var byCompany: [UInt64] = canonical.compactMap { index in
            let f = features.records[Int(index)]
            let key = f.companyCompact != 0 ? f.companyCompact : f.domainLabel
            return key == 0 ? nil : packing.pack(kind: 1, key: key, record: Int(index))
        }
        // Stable within a company: the radix sort keeps the canonical order of equal keys only by index, so sort
        // by key then by the canonical rank.
        var rank = [Int32](repeating: 0, count: records.count)
        for (position, index) in canonical.enumerated() { rank[Int(index)] = Int32(position) }
        byCompany.sort { a, b in
            packing.key(a) != packing.key(b) ? packing.key(a) < packing.key(b) : rank[packing.record(a)] < rank[packing.record(b)]
        }
        // Companies with two records or more: the range of each in `byCompany`, and each position's company.
        var groups: [(start: Int, end: Int)] = []
        var groupOf = [Int32](repeating: -1, count: byCompany.count)
        var start = 0
        while start < byCompany.count {
            var end = start + 1
            while end < byCompany.count, packing.key(byCompany[end]) == packing.key(byCompany[start]) { end += 1 }
            if end - start >= 2 {
                for position in start..<end { groupOf[position] = Int32(groups.count) }
                groups.append((start, end))
            }
            start = end
        }
        let n = canonical.count
        let samples = n >= 2 ? min(2_000_000, max(20_000, 2 * n)) : 0
        let colleagueSamples = groups.isEmpty ? 0 : min(500_000, max(10_000, n / 2))
        let chunkCount = 16
        let parts = features.arena.withUnsafeBufferPointer { arena in
            features.records.withUnsafeBufferPointer { recordFeatures in
                Parallel.chunks(chunkCount, minimumChunk: 1) { range -> ([[Double]], [[Double]]) in
                    let comparator = FieldComparator(arena: arena)
                    var local = MatchField.allCases.map { [Double](repeating: 0, count: $0.levelCount) }
                    var colleagues = local
                    func count(_ gamma: UInt64, into table: inout [[Double]]) {
                        for field in 0..<MatchField.count {
                            let level = MatchField.level(gamma, field)
                            if level > 0 { table[field][level - 1] += 1 }
                        }
                    }
                    for chunk in range {
                        var random = SplitMixRandom(seed: 0x5EED_0000 &+ UInt64(chunk))
                        for _ in 0..<(samples / chunkCount) {
                            let i = Int(random.below(UInt64(n)))
                            var j = Int(random.below(UInt64(n - 1)))
                            if j >= i { j += 1 }
                            count(comparator.compare(recordFeatures[Int(canonical[i])], recordFeatures[Int(canonical[j])]), into: &local)
                        }
                        // Pairs of records of one company.
                        var drawn = 0, attempts = 0
                        while drawn < colleagueSamples / chunkCount, attempts < colleagueSamples {
                            attempts += 1
                            let i = Int(random.below(UInt64(byCompany.count)))
                            let group = groupOf[i]
                            guard group >= 0 else { continue }
                            let (first, end) = groups[Int(group)]
                            var j = first + Int(random.below(UInt64(end - first - 1)))
                            if j >= i { j += 1 }
                            count(comparator.compare(recordFeatures[packing.record(byCompany[i])], recordFeatures[packing.record(byCompany[j])]), into: &colleagues)
                            drawn += 1
                        }
                    }
                    return (local, colleagues)
                }
            }
        }
        var counts = MatchField.allCases.map { [Double](repeating: 0, count: $0.levelCount) }
        var colleagueCounts = counts
        for (part, colleagues) in parts {
            for field in 0..<MatchField.count {
                for level in 0..<counts[field].count {
                    counts[field][level] += part[field][level]
                    colleagueCounts[field][level] += colleagues[field][level]
                }
            }
        }
        // Smooth toward the starting values (weight of 5,000 pairs), then set exact agreement from frequencies.
        let prior = 5000.0
        var u = starting.u, uSameCompany = starting.uSameCompany
        for field in MatchField.allCases {
            let row = counts[field.rawValue]
            let total = row.reduce(0, +)
            var probabilities = row.indices.map { (row[$0] + prior * starting.u[field.rawValue][$0]) / (total + prior) }
            if let exact = frequencies.exactAgreement(field), exact > 0 {
                let rest = probabilities.dropFirst().reduce(0, +)
                let scale = rest > 0 ? (1 - exact) / rest : 0
                probabilities = [exact] + probabilities.dropFirst().map { $0 * scale }
            }
            u[field.rawValue] = probabilities.map { max($0, 1e-9) }
            let colleagueRow = colleagueCounts[field.rawValue]
            let colleagueTotal = colleagueRow.reduce(0, +)
            let colleaguePrior = 500.0
            uSameCompany[field.rawValue] = colleagueRow.indices.map {
                max((colleagueRow[$0] + colleaguePrior * starting.uSameCompany[field.rawValue][$0]) / (colleagueTotal + colleaguePrior), 1e-9)
            }
        }
        return (u, uSameCompany)
    }
}

/// SplitMix64, seeded: the same numbers on every platform.
struct SplitMixRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return TextFolding.mix(state)
    }
    mutating func below(_ bound: UInt64) -> UInt64 { next().multipliedFullWidth(by: bound).high }
}

/// Scores comparison vectors with the model's weights.
struct PairScorer {
    let weights: [[Double]]
    let logM: [[Double]]
    let configuration: MatchConfiguration
    let frequencies: TermFrequencies
    let features: MatchFeatures
    /// Per field and level: whether the weight follows the value's frequency.
    let adjusted: [[Bool]]

    /// Weights of the fields colleagues share, when the company agrees.
    let sameCompanyWeights: [[Double]]

    /// log2 odds that two records picked at random are one person's: the score starts there.
    let prior: Double

    init(tables: ModelTables, configuration: MatchConfiguration, frequencies: TermFrequencies, features: MatchFeatures, prior: Double) {
        self.prior = prior
        weights = tables.weights(configuration)
        sameCompanyWeights = tables.weights(configuration, sameCompany: true)
        logM = tables.m.map { $0.map { log2(max($0, 1e-12)) } }
        self.configuration = configuration
        self.frequencies = frequencies
        self.features = features
        adjusted = MatchField.allCases.map { field in
            [false] + field.outcomes.map { outcome in configuration.termFrequencyAdjustment && configuration.weights[field.name]?[outcome] == nil }
        }
    }

    /// The weight of one field's level for the pair (a, b): log2(m/u), where u of agreement on a value is how
    /// often other records have that value.
    static let fields: [MatchField] = MatchField.allCases

    @inline(__always) func weight(_ field: MatchField, _ level: Int, _ a: Int, swapped: Bool, sameCompany: Bool) -> Double {
        if sameCompany, field == .address || field == .phone || field == .email { return sameCompanyWeights[field.rawValue][level] }
        if adjusted[field.rawValue][level], !(swapped && (field == .firstName || field == .lastName)),
            let column = TermFrequencies.adjustingColumn(field, level: level, features.records[a])
        {
            let surprise = frequencies.surprise(a, column)
            if surprise > 0 { return logM[field.rawValue][level - 1] + Double(surprise) }
        }
        return weights[field.rawValue][level]
    }

    func score(_ gamma: UInt64, _ a: Int) -> Double {
        let swapped = gamma & MatchField.swappedBit != 0
        let sameCompany = MatchField.level(gamma, .company) == 1
        var total = prior
        for field in Self.fields {
            let level = MatchField.level(gamma, field)
            if level > 0 { total += weight(field, level, a, swapped: swapped, sameCompany: sameCompany) }
        }
        return total
    }

    func comparisons(_ gamma: UInt64, _ a: Int) -> [FieldComparison] {
        let swapped = gamma & MatchField.swappedBit != 0
        let sameCompany = MatchField.level(gamma, .company) == 1
        var result = [FieldComparison(field: "prior", outcome: "baseRate", weight: (prior * 100).rounded() / 100)]
        for field in MatchField.allCases {
            let level = MatchField.level(gamma, field)
            guard level > 0 else { continue }
            var outcome = field.outcomes[level - 1]
            if swapped, field == .firstName || field == .lastName { outcome = "swapped" }
            result.append(FieldComparison(field: field.name, outcome: outcome, weight: (weight(field, level, a, swapped: swapped, sameCompany: sameCompany) * 100).rounded() / 100))
        }
        return result
    }

    /// What the rule does with a scored pair, and why.
    enum Decision: Sendable, Hashable {
        case link
        /// Between the thresholds, or above the link threshold but held back by a guard (`reason`).
        case review(reason: String)
        /// Not even reviewed (`reason`: below the review threshold, names differ...).
        case dropped(reason: String)

        var label: String {
            switch self {
            case .link: "link"
            case .review(let reason): "review (\(reason))"
            case .dropped(let reason): "dropped (\(reason))"
            }
        }
    }

    /// The decision on the pair (a, b) of comparison vector `gamma` scoring `score` (a is the pair's first record).
    @inline(__always) func decide(_ gamma: UInt64, _ a: Int, _ b: Int, score: Double) -> Decision {
        let link = configuration.linkThreshold
        // Pairs sharing a personal email are the email rule's.
        if MatchField.level(gamma, .email) == 1 { return .dropped(reason: "email rule") }
        guard score >= configuration.reviewThreshold else { return .dropped(reason: "below review") }
        // Guards: conflicting birth dates link only with a strong score otherwise; a name that disagrees outright never does
        // unless the birth dates or the personal ids agree exactly (a nickname missing from the table, a misspelling,
        // a new family name). Such a pair is reviewed when its score would have linked it; two different names
        // never are.
        let birthLevel = MatchField.level(gamma, .birthDate)
        let idLevel = MatchField.level(gamma, .personalID)
        // Dates of birth in one year (a mistyped month or day) are outweighed by strong agreement elsewhere;
        // years apart (a father and son at one address) only with `yearsApartBirthDateMargin`, or when the personal
        // ids agree, or but for a typo (a father and son have two ids, unrelated).
        let yearsApart = features.records[a].birthDate / 10000 != features.records[b].birthDate / 10000
            && idLevel != 1 && idLevel != 2
        let birthConflict = birthLevel == MatchField.birthDate.differentLevel
            && (score < link + (yearsApart ? configuration.yearsApartBirthDateMargin ?? .infinity : configuration.birthDateConflictMargin))
        let nameConflict = MatchField.namesConflict(gamma) && birthLevel != 1 && idLevel != 1
        // Names alone (nothing else agrees) cannot tell namesakes apart: they need a rarer name.
        let uncorroborated = !MatchField.corroborated(gamma) && score < link + configuration.namesOnlyMargin
        if nameConflict, score < link || MatchField.bothNamesDiffer(gamma) { return .dropped(reason: "names differ") }
        // Names alone between the thresholds are namesakes as often as not: no one could review them.
        if !MatchField.corroborated(gamma), score < link { return .dropped(reason: "names only") }
        if score < link { return .review(reason: "below link") }
        if birthConflict { return .review(reason: "birth dates conflict") }
        if nameConflict { return .review(reason: "a name differs") }
        if uncorroborated { return .review(reason: "names only") }
        return .link
    }

    func edges(_ candidates: CandidatePairs) -> ScoredEdges {
        let review = configuration.reviewThreshold
        let parts = Parallel.chunks(candidates.gammas.count, minimumChunk: 65536) { range -> ScoredEdges in
            var part = ScoredEdges()
            for position in range {
                let gamma = candidates.gammas[position]
                // Pairs sharing a personal email are the email rule's.
                if MatchField.level(gamma, .email) == 1 { continue }
                let a = Int(candidates.first[position])
                let score = self.score(gamma, a)
                guard score >= review else { continue }
                let b = Int(candidates.second[position])
                let decision = decide(gamma, a, b, score: score)
                if case .dropped = decision { continue }
                let edge = IdentityEdge(
                    from: a, to: b, rule: "probabilistic", evidence: Self.evidence(gamma),
                    score: (score * 100).rounded() / 100, comparisons: comparisons(gamma, a))
                if decision == .link { part.links.append(edge) } else { part.reviews.append(edge) }
            }
            return part
        }
        var result = ScoredEdges()
        for part in parts {
            result.links.append(contentsOf: part.links)
            result.reviews.append(contentsOf: part.reviews)
        }
        return result
    }

    /// The fields that agreed, such as `firstName+lastName+phone` (no values: the evidence is stored and shown).
    static func evidence(_ gamma: UInt64) -> String {
        var names: [String] = []
        for field in MatchField.allCases {
            let level = MatchField.level(gamma, field)
            if level > 0, level < field.differentLevel { names.append(field.name) }
        }
        return names.isEmpty ? "score" : names.joined(separator: "+")
    }
}

