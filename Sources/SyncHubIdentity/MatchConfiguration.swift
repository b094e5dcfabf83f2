#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What probabilistic matching may be told in `connectors.yml` (`identity: matching:`); every knob has a default.
///
/// Scores are log2 odds that two records are one person's (Fellegi–Sunter): the prior odds of two records picked at
/// random (about 2⁻²⁰ among a million records) plus the match weight of every field compared (log2 of how much
/// likelier the outcome is among one person's records than among different persons'). A score of 0 is even odds.
public struct MatchConfiguration: Sendable, Hashable, Codable {
    /// Whether the probabilistic rule runs at all (`false`: deterministic rules only).
    public var enabled: Bool
    /// Pairs scoring at least this link automatically (log2 odds; -1: one chance in three of being different people
    /// before the guards, which catch most of those).
    public var linkThreshold: Double
    /// Pairs scoring at least this (and below `linkThreshold`) go to the review queue.
    public var reviewThreshold: Double
    /// ISO 3166 alpha-2 country of phone numbers written without a country code (`US`, `GB`, `DE`...).
    public var defaultCountry: String
    /// Fixed log2 weights by field and outcome (`lastName: { exact: 9.5, different: -6 }`); they replace the
    /// estimated weight of that field and outcome.
    public var weights: [String: [String: Double]]
    /// Estimate m/u probabilities from the data with EM (else the built-in starting values, or the stored model).
    public var estimateParameters: Bool
    /// Agreement on a rare value (surname, first name, city, street) weighs more than on a common one.
    public var termFrequencyAdjustment: Bool
    /// Blocks with more records than this are not paired (a common surname with no other key in common).
    public var maxBlockSize: Int
    /// How much more than `linkThreshold` a pair needs when only its names agree (nothing else compared agrees):
    /// common names are shared by different people, so only rare names link on their own.
    public var namesOnlyMargin: Double
    /// How much more than `linkThreshold` a pair needs to link when its dates of birth conflict within one year (a
    /// mistyped month or day): everything else agreeing strongly outweighs it. Dates years apart never link (review).
    public var birthDateConflictMargin: Double
    /// Dates of birth years apart never link (review): a father and son of one name at one address look just like
    /// one person with a replaced date. With a value, they link at `linkThreshold` plus this much, for data whose dates
    /// of birth are known to be unreliable (the FEBRL benchmark replaces some outright).
    public var yearsApartBirthDateMargin: Double?

    public init(
        enabled: Bool = true, linkThreshold: Double = -1, reviewThreshold: Double = -7, defaultCountry: String = "US",
        weights: [String: [String: Double]] = [:], estimateParameters: Bool = true, termFrequencyAdjustment: Bool = true,
        maxBlockSize: Int = 50, namesOnlyMargin: Double = 1.5, birthDateConflictMargin: Double = 5, yearsApartBirthDateMargin: Double? = nil
    ) {
        self.enabled = enabled
        self.linkThreshold = linkThreshold
        self.reviewThreshold = reviewThreshold
        self.defaultCountry = defaultCountry
        self.weights = weights
        self.estimateParameters = estimateParameters
        self.termFrequencyAdjustment = termFrequencyAdjustment
        self.maxBlockSize = maxBlockSize
        self.namesOnlyMargin = namesOnlyMargin
        self.birthDateConflictMargin = birthDateConflictMargin
        self.yearsApartBirthDateMargin = yearsApartBirthDateMargin
    }
}

/// The parameters of the probabilistic matcher: per field, the probability of each comparison outcome among
/// records of one person (m) and among records of different persons (u). Codable, so the store can keep what
/// EM estimated and reuse it on incremental runs.
public struct MatchModel: Sendable, Hashable, Codable {
    /// One compared field and its outcome probabilities, in the order of `outcomes`.
    public struct FieldParameters: Sendable, Hashable, Codable {
        public var field: String
        /// Outcome names from best agreement to disagreement: `exact`, `nickname`, `fuzzy`, ..., `different`.
        public var outcomes: [String]
        public var m: [Double]
        public var u: [Double]

        public init(field: String, outcomes: [String], m: [Double], u: [Double]) {
            self.field = field
            self.outcomes = outcomes
            self.m = m
            self.u = u
        }

        /// log2(m/u) of `outcome`; 0 when unknown.
        public func weight(of outcome: String) -> Double {
            guard let index = outcomes.firstIndex(of: outcome) else { return 0 }
            return MatchModel.log2Ratio(m[index], u[index])
        }
    }

    /// Format of this model; a model of another version is re-estimated.
    public var version: Int
    public var fields: [FieldParameters]
    /// Share of candidate pairs that are matches, as EM found it.
    public var matchProportion: Double
    /// The thresholds in force when the model was made (the configuration's thresholds win when they differ).
    public var linkThreshold: Double
    public var reviewThreshold: Double
    /// Records and candidate pairs the estimate saw, and EM iterations it took (0: starting values).
    public var recordCount: Int
    public var pairCount: Int
    public var iterations: Int

    public init(
        version: Int = MatchModel.currentVersion, fields: [FieldParameters], matchProportion: Double, linkThreshold: Double,
        reviewThreshold: Double, recordCount: Int = 0, pairCount: Int = 0, iterations: Int = 0
    ) {
        self.version = version
        self.fields = fields
        self.matchProportion = matchProportion
        self.linkThreshold = linkThreshold
        self.reviewThreshold = reviewThreshold
        self.recordCount = recordCount
        self.pairCount = pairCount
        self.iterations = iterations
    }

    public static let currentVersion = 1

    /// The parameters of `field`, if the model compares it.
    public func parameters(of field: String) -> FieldParameters? { fields.first { $0.field == field } }

    /// log2(m/u) of `outcome` of `field`; 0 when unknown.
    public func weight(field: String, outcome: String) -> Double { parameters(of: field)?.weight(of: outcome) ?? 0 }

    static func log2Ratio(_ m: Double, _ u: Double) -> Double {
        let floor = 1e-9
        return log2(max(m, floor)) - log2(max(u, floor))
    }
}
