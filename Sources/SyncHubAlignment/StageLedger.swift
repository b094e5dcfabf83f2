public import SyncHubCore
public import SyncHubStore

/// What one ledger update did.
public struct StageLedgerUpdate: Sendable, Hashable, Codable {
    /// Persons with a current stage.
    public var persons: Int
    /// Entries appended to the ledger (0 when nothing changed since the last update).
    public var newEntries: Int
    /// Persons whose current stage changed.
    public var changedStages: Int
    /// Persons by current stage.
    public var byStage: [String: Int]
}

/// Keeps the stage ledger: each person's entries into shared stages, after every pull.
///
/// An update appends, per person:
/// 1. the earliest dated entry into each stage the records show (a `Became a … Date`, a record's creation, a deal's
///    creation or close), unless the ledger already holds an entry into that stage no later than it;
/// 2. the current stage, as an observed entry, when it differs from where the ledger leaves the person. Its time
///    is when the record that says so last changed (never before the person's last entry).
///
/// Where the ledger leaves a person: replaying their entries in time order, a dated entry moves them forward
/// (never back down the funnel, and out to recycled or disqualified only from below opportunity), an observed entry
/// sets the stage. Updating twice with the same records appends nothing the second time.
public enum StageLedger {
    /// Updates the ledger and the current stages from what the store holds now, in one write transaction.
    ///
    /// - Parameter now: the time of an observed entry whose record has no time at all.
    @discardableResult
    public static func update(
        store: StoreDatabase, configuration: AlignmentConfiguration, now: Int64, runID: RunID?
    ) throws -> StageLedgerUpdate {
        try store.moveStageLedgerOffAliases()
        let resolver = StageResolver(
            definitions: configuration.stages, ignoredActivityStatuses: configuration.report.ignoredActivityStatuses)
        let snapshot = try AlignmentSnapshot.load(from: store, dateFields: resolver.dateFields, touches: false)
        let previous = try store.personStages()
        let plan = plan(snapshot: snapshot, resolver: resolver, now: now)
        let inserted = try store.recordStages(plan.entries, stages: plan.stages, complete: true, runID: runID)
        let before = Dictionary(uniqueKeysWithValues: previous.map { ($0.personID, $0.stage) })
        var byStage: [String: Int] = [:]
        for row in plan.stages { byStage[row.stage, default: 0] += 1 }
        return StageLedgerUpdate(
            persons: plan.stages.count, newEntries: inserted,
            changedStages: plan.stages.filter { before[$0.personID] != $0.stage }.count, byStage: byStage)
    }

    /// The entries to append and every person's current stage, without writing.
    public static func plan(
        snapshot: AlignmentSnapshot, resolver: StageResolver, now: Int64
    ) -> (entries: [StageLedgerEntry], stages: [PersonStageRow]) {
        let evidence = resolver.evidence(in: snapshot)
        var entries: [StageLedgerEntry] = []
        var stages: [PersonStageRow] = []
        for person in evidence.keys.sorted() {
            let facts = evidence[person]!
            var rows = (snapshot.ledger[person] ?? []).map { Row(entry: $0) }
            for fact in facts.dated {
                guard let time = fact.enteredAt else { continue }
                if rows.contains(where: { $0.stage == fact.stage && $0.time <= time }) { continue }
                let entry = StageLedgerEntry(
                    personID: person, stage: fact.stage.rawValue, enteredAt: isoTime(time), connector: fact.connector,
                    evidence: fact.evidence, isObserved: false)
                entries.append(entry)
                rows.append(Row(entry: entry, order: (Int64(1) << 62) + Int64(entries.count)))
            }
            rows.sort { ($0.time, $0.order) < ($1.time, $1.order) }
            var state = replay(rows)
            if let current = facts.current, state?.stage != current.stage {
                let time = max(current.updatedAt ?? current.enteredAt ?? now, rows.last?.time ?? Int64.min)
                let entry = StageLedgerEntry(
                    personID: person, stage: current.stage.rawValue, enteredAt: isoTime(time),
                    connector: current.connector, evidence: current.evidence, isObserved: true)
                // The same stage at the same time is already recorded: nothing to add, and the entry is where we are.
                if !rows.contains(where: { $0.stage == current.stage && $0.time == time }) { entries.append(entry) }
                state = (current.stage, time)
            }
            guard let state else { continue }
            stages.append(
                PersonStageRow(
                    personID: person, stage: state.stage.rawValue, since: isoTime(state.since),
                    systems: facts.systems.mapValues(\.rawValue)))
        }
        return (entries, stages)
    }

    struct Row {
        var stage: Stage
        var time: Int64
        var isObserved: Bool
        /// Recording order among entries of the same time.
        var order: Int64

        init(entry: StageLedgerEntry, order: Int64? = nil) {
            stage = Stage(rawValue: entry.stage) ?? .lead
            time = milliseconds(entry.enteredAt) ?? 0
            isObserved = entry.isObserved
            self.order = order ?? entry.id ?? 0
        }
    }

    /// Where a person's entries, in time order, leave them, and since when.
    static func replay(_ rows: [Row]) -> (stage: Stage, since: Int64)? {
        var state: (stage: Stage, since: Int64)?
        for row in rows {
            guard let current = state, !row.isObserved else {
                state = (row.stage, row.time)
                continue
            }
            if advances(from: current.stage, to: row.stage) { state = (row.stage, row.time) }
        }
        return state
    }

    /// Whether a dated entry into `new` moves a person at `old`.
    static func advances(from old: Stage, to new: Stage) -> Bool {
        switch (old.rank, new.rank) {
        case (let old?, let new?): new > old
        case (let old?, nil): old < Stage.opportunity.rank!
        case (nil, _): new != old
        }
    }

    /// Every person's first entry into each stage, from the ledger.
    public static func firstEntries(_ ledger: [String: [StageLedgerEntry]]) -> [String: [Stage: Int64]] {
        var result: [String: [Stage: Int64]] = [:]
        for (person, entries) in ledger {
            var first: [Stage: Int64] = [:]
            for entry in entries {
                guard let stage = Stage(rawValue: entry.stage), let time = milliseconds(entry.enteredAt) else {
                    continue
                }
                if first[stage].map({ time < $0 }) ?? true { first[stage] = time }
            }
            result[person] = first
        }
        return result
    }
}
