#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// m and u probabilities as arrays: `m[field][level - 1]`.
struct ModelTables: Sendable {
    var m: [[Double]]
    var u: [[Double]]
    /// u of the fields colleagues share (address: an office; phone: a switchboard; email: a domain) among records
    /// of one company: when two records agree on the company, agreeing on those says little more, and two different
    /// addresses at the company's domain say a lot.
    var uSameCompany: [[Double]]
    var matchProportion: Double

    /// Fields whose u depends on whether the company agrees.
    static let companyDependent: [MatchField] = [.address, .phone, .email]
    static func sameCompanyName(_ field: MatchField) -> String { field.name + "|sameCompany" }

    /// The tables of `model`; fields it lacks (or a model of another version) take the starting values.
    init(_ model: MatchModel?) {
        let start = Self.starting
        m = start.m
        u = start.u
        uSameCompany = start.uSameCompany
        matchProportion = start.matchProportion
        guard let model, model.version == MatchModel.currentVersion else { return }
        matchProportion = model.matchProportion
        for field in MatchField.allCases {
            guard let parameters = model.parameters(of: field.name), parameters.outcomes == field.outcomes,
                parameters.m.count == field.levelCount, parameters.u.count == field.levelCount
            else { continue }
            m[field.rawValue] = parameters.m
            u[field.rawValue] = parameters.u
        }
        for field in Self.companyDependent {
            guard let parameters = model.parameters(of: Self.sameCompanyName(field)), parameters.u.count == field.levelCount else { continue }
            uSameCompany[field.rawValue] = parameters.u
        }
    }

    init(m: [[Double]], u: [[Double]], uSameCompany: [[Double]]? = nil, matchProportion: Double) {
        self.m = m
        self.u = u
        self.uSameCompany = uSameCompany ?? u
        self.matchProportion = matchProportion
    }

    /// Starting values: typical of contact data (m: among one person's records; u: among different persons').
    static let starting = ModelTables(
        m: [
            [0.85, 0.05, 0.05, 0.02, 0.01, 0.02],  // firstName: exact nickname fuzzy similar initial different
            [0.90, 0.06, 0.02, 0.02],  // lastName: exact fuzzy similar different
            [0.70, 0.01, 0.29],  // email: exact sameDomain different
            [0.85, 0.05, 0.10],  // phone: exact fuzzy different
            [0.94, 0.02, 0.02, 0.02],  // birthDate: exact transposed close different
            [0.60, 0.15, 0.10, 0.05, 0.10],  // address: exact fuzzy postalCode city different
            [0.75, 0.10, 0.15],  // company: exact fuzzy different
            [0.88, 0.07, 0.05],  // personalID: exact typo different
        ],
        u: [
            [0.01, 0.002, 0.005, 0.02, 0.001, 0.962],
            [0.002, 0.003, 0.01, 0.985],
            [1e-6, 0.001, 0.998999],
            [1e-6, 1e-5, 0.999989],
            [5e-5, 1e-5, 5e-4, 0.99944],
            [1e-5, 1e-5, 0.002, 0.02, 0.97797],
            [0.005, 0.005, 0.99],
            [1e-7, 1e-5, 0.9999899],
        ],
        uSameCompany: [
            [0.01, 0.002, 0.005, 0.02, 0.001, 0.962],
            [0.002, 0.003, 0.01, 0.985],
            [1e-6, 0.7, 0.299999],
            [0.05, 0.01, 0.94],
            [5e-5, 1e-5, 5e-4, 0.99944],
            [0.5, 0.05, 0.05, 0.05, 0.35],
            [0.005, 0.005, 0.99],
            [1e-7, 1e-5, 0.9999899],
        ],
        matchProportion: 0.05)

    func model(configuration: MatchConfiguration, recordCount: Int, pairCount: Int, iterations: Int) -> MatchModel {
        MatchModel(
            fields: MatchField.allCases.map { field in
                MatchModel.FieldParameters(field: field.name, outcomes: field.outcomes, m: m[field.rawValue], u: u[field.rawValue])
            } + Self.companyDependent.map { field in
                MatchModel.FieldParameters(field: Self.sameCompanyName(field), outcomes: field.outcomes, m: m[field.rawValue], u: uSameCompany[field.rawValue])
            },
            matchProportion: matchProportion, linkThreshold: configuration.linkThreshold, reviewThreshold: configuration.reviewThreshold,
            recordCount: recordCount, pairCount: pairCount, iterations: iterations)
    }

    /// log2(m/u) per field and level (index 0: missing, weight 0), fixed weights of the configuration winning.
    func weights(_ configuration: MatchConfiguration, sameCompany: Bool = false) -> [[Double]] {
        MatchField.allCases.map { field in
            var row = [0.0]
            let u = sameCompany ? uSameCompany[field.rawValue] : self.u[field.rawValue]
            for (index, outcome) in field.outcomes.enumerated() {
                if let fixed = configuration.weights[field.name]?[outcome] {
                    row.append(fixed)
                } else {
                    row.append(MatchModel.log2Ratio(m[field.rawValue][index], u[index]))
                }
            }
            return row
        }
    }
}

/// How often each value occurs, for u of exact agreement (the chance two records of different persons share a
/// value) and for term-frequency adjustment (agreeing on a rare value weighs more).
struct TermFrequencies: Sendable {
    /// The values counted, one column each.
    enum Column: Int, CaseIterable {
        case first, last, address, postal, city, company, domain, phone, birthDate, email

        func value(_ f: RecordFeatures) -> UInt64 {
            switch self {
            case .first: f.first
            case .last: f.last
            case .address: f.addressKey
            case .postal: f.postal
            case .city: f.city
            case .company: f.company
            case .domain: f.domain
            case .phone: f.phone
            case .birthDate: UInt64(UInt32(bitPattern: f.birthDate))
            case .email: f.email1
            }
        }
    }
    static let columns = Column.allCases.count

    /// The column whose frequency gives u of a field's exact agreement; none for a personal id, whose shared values
    /// are mostly one person's records (the frequencies would make u of a unique number the share of duplicates).
    static func exactColumn(_ field: MatchField) -> Column? {
        switch field {
        case .firstName: .first
        case .lastName: .last
        case .email: .email
        case .phone: .phone
        case .birthDate: .birthDate
        case .address: .address
        case .company: .company
        case .personalID: nil
        }
    }

    /// The column that adjusts the weight of a field's level for the value's frequency, if any.
    static func adjustingColumn(_ field: MatchField, level: Int, _ a: RecordFeatures) -> Column? {
        switch (field, level) {
        case (.firstName, 1): .first
        case (.lastName, 1): .last
        case (.phone, 1): .phone
        case (.address, 1): .address
        case (.address, 3): .postal
        case (.address, 4): .city
        case (.company, 1): a.company != 0 ? .company : .domain
        default: nil
        }
    }

    /// `-log2` of the chance that another record has this record's value, per record and column (0: missing
    /// or not counted).
    var surprise: [Float]
    /// Per column: the chance two distinct records with values share one (nil when not counted over all).
    var agreement: [Double?]

    /// Counts over all active records; with `only`, per-record figures only for those records (then the
    /// agreement sums are not computed).
    init(_ features: MatchFeatures, only: [Bool]?) {
        let count = features.count
        let columns = Self.columns
        surprise = [Float](repeating: 0, count: count * columns)
        agreement = [Double?](repeating: nil, count: columns)
        let packing = PackedEntries(recordCount: count)
        let results = Parallel.chunks(columns, minimumChunk: 1) { range -> [(Int, [(Int, Float)], Double?)] in
            var output: [(Int, [(Int, Float)], Double?)] = []
            for column in range {
                let kind = Column(rawValue: column)!
                var entries: [UInt64] = []
                entries.reserveCapacity(count)
                for (index, record) in features.records.enumerated() where record.active {
                    let value = kind.value(record)
                    if value != 0 { entries.append(packing.pack(kind: 0, key: value, record: index)) }
                }
                let present = entries.count
                if let only {
                    var wanted = Set<UInt64>()
                    for entry in entries where only[packing.record(entry)] { wanted.insert(packing.key(entry)) }
                    let filter = KeyFilter(wanted)
                    entries.removeAll { !filter.contains(packing.key($0)) }
                }
                PackedEntries.sort(&entries)
                var figures: [(Int, Float)] = []
                var sum = 0.0
                let denominator = Double(max(present - 1, 1))
                var start = 0
                while start < entries.count {
                    let key = packing.key(entries[start])
                    var end = start + 1
                    while end < entries.count, packing.key(entries[end]) == key { end += 1 }
                    let size = end - start
                    sum += Double(size) * Double(size - 1)
                    let share = Double(max(size - 1, 1)) / denominator
                    let bits = Float(-log2(share))
                    for position in start..<end {
                        let record = packing.record(entries[position])
                        if only == nil || only![record] { figures.append((record, bits)) }
                    }
                    start = end
                }
                let shared: Double? = only == nil && present > 1 ? sum / (Double(present) * Double(present - 1)) : nil
                output.append((column, figures, shared))
            }
            return output
        }
        for part in results {
            for (column, figures, shared) in part {
                for (record, bits) in figures { surprise[record * columns + column] = bits }
                agreement[column] = shared
            }
        }
    }

    @inline(__always) func surprise(_ record: Int, _ column: Column) -> Float {
        surprise[record * Self.columns + column.rawValue]
    }

    /// u of exact agreement of `field` from the value frequencies, when counted.
    func exactAgreement(_ field: MatchField) -> Double? { Self.exactColumn(field).flatMap { agreement[$0.rawValue] } }
}

/// Expectation–maximization of m probabilities and the match proportion over comparison patterns, u fixed.
///
/// EM over all candidate pairs would let the latent "match" class drift toward whatever makes pairs alike in
/// the blocks (a household shares an address, colleagues an office and switchboard). So, as Splink does, EM runs in
/// sessions, each over the pairs that agree exactly on one field (email, birth date, full name: not phone, which
/// colleagues share through a switchboard), and that
/// session estimates m only for the other fields; a field's m is the average of the sessions that did not
/// condition on it, weighed by their expected matches.
enum ExpectationMaximization {
    struct Session: Sendable {
        var name: String
        var excluded: Set<MatchField>
        var includes: @Sendable (UInt64) -> Bool
    }

    static let sessions: [Session] = [
        Session(name: "email", excluded: [.email]) { MatchField.level($0, .email) == 1 },
        Session(name: "birthDate", excluded: [.birthDate]) { MatchField.level($0, .birthDate) == 1 },
        Session(name: "name", excluded: [.firstName, .lastName]) {
            let first = MatchField.level($0, .firstName)
            return (first == 1 || first == 2) && MatchField.level($0, .lastName) == 1
        },
    ]

    /// The m tables of all sessions combined, the match proportion over all patterns, and the iterations taken.
    static func estimate(patterns: [(gamma: UInt64, count: Int)], tables: ModelTables) -> (ModelTables, Int) {
        let fields = MatchField.count
        var sums = (0..<fields).map { [Double](repeating: 0, count: MatchField(rawValue: $0)!.levelCount) }
        var weights = [Double](repeating: 0, count: fields)
        var iterations = 0
        for session in sessions {
            var mask: UInt64 = ~UInt64(0)
            for field in session.excluded { mask &= ~(UInt64(0xF) << UInt64(4 * field.rawValue)) }
            var selected: [UInt64: Int] = [:]
            for (gamma, count) in patterns where session.includes(gamma) { selected[gamma & mask, default: 0] += count }
            let sorted = selected.sorted { $0.key < $1.key }.map { (gamma: $0.key, count: $0.value) }
            let pairs = sorted.reduce(0) { $0 + $1.count }
            guard pairs >= 50 else { continue }
            var start = tables
            start.matchProportion = 0.5
            let (result, taken) = run(patterns: sorted, tables: start)
            iterations += taken
            let expectedMatches = result.matchProportion * Double(pairs)
            guard expectedMatches >= 20 else { continue }
            for field in MatchField.allCases where !session.excluded.contains(field) {
                for level in 0..<field.levelCount { sums[field.rawValue][level] += expectedMatches * result.m[field.rawValue][level] }
                weights[field.rawValue] += expectedMatches
            }
        }
        var combined = tables
        for field in 0..<fields where weights[field] > 0 {
            combined.m[field] = sums[field].map { $0 / weights[field] }
        }
        combined.matchProportion = proportion(patterns: patterns, tables: combined)
        return (combined, iterations)
    }

    /// The share of pairs whose comparison vector alone (without term frequencies) is at least 2^20 times likelier
    /// among one person's records, or that share an email: pairs no prior could turn.
    static func sureShare(patterns: [(gamma: UInt64, count: Int)], tables: ModelTables) -> Double {
        let weights = tables.weights(MatchConfiguration())
        var sure = 0, total = 0
        for (gamma, count) in patterns {
            total += count
            var score = 0.0
            for field in 0..<MatchField.count {
                let level = MatchField.level(gamma, field)
                if level > 0 { score += weights[field][level] }
            }
            if score >= 20 || MatchField.level(gamma, .email) == 1 { sure += count }
        }
        return total == 0 ? 0.05 : max(Double(sure) / Double(total), 1e-6)
    }

    /// The share of pairs the tables expect to be matches (one E step).
    static func proportion(patterns: [(gamma: UInt64, count: Int)], tables: ModelTables) -> Double {
        var tables = tables
        var proportion = 0.05
        for _ in 0..<50 {
            tables.matchProportion = proportion
            let (matches, total) = expectation(patterns: patterns, tables: tables).totals
            let next = min(max(matches / max(total, 1), 1e-6), 0.999)
            if abs(next - proportion) < 1e-7 { return next }
            proportion = next
        }
        return proportion
    }

    struct Expectation {
        var numerator: [[Double]]
        var denominator: [Double]
        var totals: (matches: Double, pairs: Double)
    }

    static func expectation(patterns: [(gamma: UInt64, count: Int)], tables: ModelTables) -> Expectation {
        let fields = MatchField.count
        var result = Expectation(
            numerator: (0..<fields).map { [Double](repeating: 0, count: MatchField(rawValue: $0)!.levelCount) },
            denominator: [Double](repeating: 0, count: fields), totals: (0, 0))
        let logM = tables.m.map { $0.map { log2(max($0, 1e-12)) } }
        let logU = tables.u.map { $0.map { log2(max($0, 1e-12)) } }
        let priorOdds = log2(tables.matchProportion) - log2(1 - tables.matchProportion)
        for (gamma, count) in patterns {
            var bits = priorOdds
            for field in 0..<fields {
                let level = MatchField.level(gamma, field)
                if level > 0 { bits += logM[field][level - 1] - logU[field][level - 1] }
            }
            let probability = bits > 60 ? 1 : bits < -60 ? 0 : 1 / (1 + exp2(-bits))
            let weight = probability * Double(count)
            result.totals.matches += weight
            result.totals.pairs += Double(count)
            for field in 0..<fields {
                let level = MatchField.level(gamma, field)
                if level > 0 {
                    result.numerator[field][level - 1] += weight
                    result.denominator[field] += weight
                }
            }
        }
        return result
    }

    /// EM over `patterns`: m and the match proportion, u fixed.
    static func run(patterns: [(gamma: UInt64, count: Int)], tables: ModelTables, maxIterations: Int = 100) -> (ModelTables, Int) {
        var tables = tables
        let fields = MatchField.count
        let total = Double(patterns.reduce(0) { $0 + $1.count })
        guard total > 0 else { return (tables, 0) }
        // Pseudo-counts that keep every m away from 0 and anchor sparse data to the starting values.
        let anchor = max(1.0, min(total * 0.001, 50))
        let startM = ModelTables.starting.m
        var iterations = 0
        for iteration in 1...maxIterations {
            iterations = iteration
            let step = expectation(patterns: patterns, tables: tables)
            var change = 0.0
            for field in 0..<fields {
                for level in 0..<step.numerator[field].count {
                    let updated = (step.numerator[field][level] + anchor * startM[field][level]) / (step.denominator[field] + anchor)
                    change = max(change, abs(updated - tables.m[field][level]))
                    tables.m[field][level] = updated
                }
            }
            let proportion = min(max(step.totals.matches / total, 1e-6), 0.999)
            change = max(change, abs(proportion - tables.matchProportion))
            tables.matchProportion = proportion
            if change < 1e-6 { break }
        }
        return (tables, iterations)
    }
}
