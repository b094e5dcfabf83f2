/// Decides which stage value each feedback item carries to one target.
///
/// A person's shared stage is sent as the target spells it (`push.<target>.stages`). It never moves the target
/// backwards (see ``Stage/isBackwards(from:to:)``) from what was last pushed to the record or from the stage the
/// target's own records show, unless `allowBackwards: true`: then the last pushed value is kept, or nothing is sent.
/// A stage the mapping leaves out keeps the last pushed value.
public struct StagePushPolicy: Sendable {
    public let mapping: StagePushMapping
    /// Each person's current shared stage.
    public let stages: [String: Stage]
    /// The stage the target's own records show for each person, when the target is also a source.
    public let targetStages: [String: Stage]

    public init(mapping: StagePushMapping, stages: [String: Stage], targetStages: [String: Stage] = [:]) {
        self.mapping = mapping
        self.stages = stages
        self.targetStages = targetStages
    }

    /// The policy for `mapping`'s target from an analysis of the store.
    public init(mapping: StagePushMapping, analysis: AlignmentAnalysis) {
        var stages: [String: Stage] = [:]
        var own: [String: Stage] = [:]
        for (person, facts) in analysis.evidence {
            if let stage = facts.current?.stage { stages[person] = stage }
            if let stage = facts.systems[mapping.target] { own[person] = stage }
        }
        self.init(mapping: mapping, stages: stages, targetStages: own)
    }

    /// The value to send for `person`'s record, given the value last pushed to it (`nil` if none).
    public func value(for person: String, previous: String?) -> String? {
        guard let stage = stages[person], let value = mapping.values[stage] else { return previous }
        if !mapping.allowBackwards {
            let floors = [previous.flatMap(mapping.stage(forValue:)), targetStages[person]].compactMap { $0 }
            if floors.contains(where: { Stage.isBackwards(from: $0, to: stage) }) { return previous }
        }
        return value
    }
}
