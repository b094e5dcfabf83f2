// Identity matching: quality against labeled people, and speed of the pure resolver.
//
//   synchub-bench --identity-quality N            both scenarios on N generated people (precision, recall, F1)
//   synchub-bench --identity-quality-no-email N   the no-email scenario only
//   synchub-bench --identity-speed N              N contact records: full resolution, then 1% changed (focus)
import Foundation
import SyncHubCore
import SyncHubIdentity
import SyncHubSampleData

extension LabeledRecord {
    /// The record as identity resolution sees it.
    var identityRecord: IdentityRecord {
        IdentityRecord(
            reference: RecordReference(connector: connector, externalID: id), emails: emails,
            profile: PersonProfile(
                firstName: firstName, lastName: lastName, company: company, title: title, phone: phone, website: website,
                street: street, city: city, state: state, postalCode: postalCode, country: country, birthDate: birthDate))
    }
}

/// Person id of every record after applying `resolution` to records that had none.
func personIDs(_ records: [IdentityRecord], _ resolution: IdentityResolution) -> [String] {
    let assigned = Dictionary(uniqueKeysWithValues: resolution.changedLinks.map { ($0.reference, $0.personID) })
    return records.map { assigned[$0.reference] ?? $0.currentPersonID ?? "?" }
}

func identityQualityBench(people: Int, scenarios: [LabeledPeopleOptions.Scenario], seed: UInt64 = 7) {
    print("synchub-bench: identity quality on \(people) generated people per scenario (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
    print(String(repeating: "-", count: 80))
    for scenario in scenarios {
        let (labeled, generateSeconds) = measure { LabeledPeople.generate(LabeledPeopleOptions(people: people, seed: seed, scenario: scenario)) }
        let records = labeled.map(\.identityRecord)
        row("generate \(scenario.rawValue)", records.count, "records", generateSeconds)
        var configuration = MatchConfiguration()
        if let link = ProcessInfo.processInfo.environment["SYNCHUB_LINK"].flatMap(Double.init) { configuration.linkThreshold = link }
        if let margin = ProcessInfo.processInfo.environment["SYNCHUB_MARGIN"].flatMap(Double.init) { configuration.namesOnlyMargin = margin }
        if let margin = ProcessInfo.processInfo.environment["SYNCHUB_DOB_MARGIN"].flatMap(Double.init) { configuration.birthDateConflictMargin = margin }
        let resolver = IdentityResolver.standard(configuration: configuration)
        let cpuStart = cpuSeconds()
        let (resolution, resolveSeconds) = measure { resolver.resolve(records) }
        lastPhaseCPU = cpuSeconds() - cpuStart
        rowWithCPU("resolve \(scenario.rawValue)", records.count, "records", resolveSeconds)
        let quality = PairwiseQuality(truth: labeled.map(\.person), predicted: personIDs(records, resolution))
        let links = resolution.matches.filter { $0.rule == "probabilistic" }.count
        print("  \(scenario.rawValue): \(quality)")
        print("  \(resolution.matches.count) link edges (\(links) probabilistic), \(resolution.reviews.count) pairs to review, EM iterations \(resolution.model?.iterations ?? 0), match proportion \(String(format: "%.4f", resolution.model?.matchProportion ?? 0))")
        if ProcessInfo.processInfo.environment["SYNCHUB_BENCH_DIAGNOSE"] != nil {
            diagnose(records, truth: labeled.map(\.person), predicted: personIDs(records, resolution), model: resolution.model, resolution: resolution, link: configuration.linkThreshold)
        }
        switch scenario {
        case .mostlyEmail:
            print(String(format: "  target precision >= 0.998 and recall >= 0.99: %@", quality.precision >= 0.998 && quality.recall >= 0.99 ? "met" : "NOT met"))
        case .noEmail:
            print(String(format: "  target F1 >= 0.995: %@", quality.f1 >= 0.995 ? "met" : "NOT met"))
        }
    }
    print(String(format: "peak memory: %.0f MiB", peakMemoryMiB()))
}

/// Full resolution of `count` contact records, then re-resolution with 1% of them changed (the focus).
func identitySpeedBench(count: Int) {
    print("synchub-bench: pure identity resolution of \(count) contact records (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
    print(String(repeating: "-", count: 80))
    // About 1.8 records a person.
    let (labeled, generateSeconds) = measure { () -> [LabeledRecord] in
        var records = LabeledPeople.generate(LabeledPeopleOptions(people: count * 10 / 18 + 1, seed: 11, scenario: .mostlyEmail))
        if records.count > count { records.removeLast(records.count - count) }
        return records
    }
    var records = labeled.map(\.identityRecord)
    row("generate labeled contacts", records.count, "records", generateSeconds)
    let memoryBefore = peakMemoryMiB()

    let resolver = IdentityResolver.standard()
    var cpuStart = cpuSeconds()
    let (first, fullSeconds) = measure { resolver.resolve(records) }
    lastPhaseCPU = cpuSeconds() - cpuStart
    rowWithCPU("resolve everything", records.count, "records", fullSeconds)
    print("  resolver phases: " + first.phases.map { String(format: "%@ %.2f s", $0.name, $0.seconds) }.joined(separator: ", "))
    let fullCPU = lastPhaseCPU
    let quality = PairwiseQuality(truth: labeled.map(\.person), predicted: personIDs(records, first))
    print("  \(first.newPersons.count) persons, \(first.matches.count) link edges, \(first.reviews.count) reviews; \(quality)")
    print(String(format: "  peak memory %.0f MiB (%.0f MiB before resolving)", peakMemoryMiB(), memoryBefore))
    // Phases of the probabilistic rule, measured once more on its own.
    let matcher = ProbabilisticMatcher(model: first.model)
    let statistics = matcher.statistics(records)
    print("  probabilistic rule alone, stored model: \(statistics.candidatePairs) candidate pairs in \(statistics.blocks) blocks (\(statistics.skippedBlocks) too large); "
        + statistics.phases.map { String(format: "%@ %.2f s", $0.name, $0.seconds) }.joined(separator: ", "))
    print("  pairs by blocking key: " + statistics.pairsByKey.map { "\($0.name) \(Int($0.seconds))" }.joined(separator: ", "))

    // The store's view after the first run: every record linked, the model and link edges kept.
    let assigned = Dictionary(uniqueKeysWithValues: first.changedLinks.map { ($0.reference, $0.personID) })
    for index in records.indices { records[index].currentPersonID = assigned[records[index].reference] }
    // 1% of records change: a new phone or a typo fixed; they are the focus.
    var generator = SplitMix(seed: 99)
    var focus = Set<RecordReference>()
    while focus.count < max(1, records.count / 100) {
        let index = Int(generator.next() % UInt64(records.count))
        if records[index].profile.phone == nil { records[index].profile.phone = "+1 415 555 \(1000 + index % 9000)" } else { records[index].profile.title = "Changed" }
        focus.insert(records[index].reference)
    }
    let prior = first.matches.filter { !focus.contains($0.first) && !focus.contains($0.second) }
    let incremental = IdentityResolver.standard(model: first.model)
    cpuStart = cpuSeconds()
    let (second, focusSeconds) = measure { incremental.resolve(records, overrides: IdentityOverrides(), focus: focus, priorMatches: prior) }
    lastPhaseCPU = cpuSeconds() - cpuStart
    rowWithCPU("re-resolve, 1% of records changed", focus.count, "records", focusSeconds)
    print("  resolver phases: " + second.phases.map { String(format: "%@ %.2f s", $0.name, $0.seconds) }.joined(separator: ", "))
    let focusIndices = Set(records.indices.filter { focus.contains(records[$0].reference) })
    let focusStatistics = ProbabilisticMatcher(model: first.model).statistics(records, focus: focusIndices)
    print("  probabilistic rule alone, focus: \(focusStatistics.candidatePairs) candidate pairs; "
        + focusStatistics.phases.map { String(format: "%@ %.2f s", $0.name, $0.seconds) }.joined(separator: ", "))
    print("  \(second.recordsExamined) records regrouped, \(second.changedLinks.count) links changed, \(second.matches.count) edges touching them")

    // The store-assisted incremental run: the store keeps every record's index keys (computed at pull time), loads the
    // changed records, the records sharing a key with them, and the other records of their persons, and resolves those.
    let indexer = ProbabilisticMatcher(model: first.model)
    let (keys, keySeconds) = measure { indexer.indexKeys(of: records) }
    row("index keys of every record (at pull time)", records.count, "records", keySeconds)
    let (selection, selectionSeconds) = measure { () -> ([IdentityRecord], [MatchedPair]) in
        var wanted = Set<Int64>()
        var keyCount: [Int64: Int] = [:]
        for recordKeys in keys { for key in recordKeys { keyCount[key, default: 0] += 1 } }
        let focusPositions = records.indices.filter { focus.contains(records[$0].reference) }
        for position in focusPositions { for key in keys[position] where keyCount[key]! <= indexer.indexKeyLimit(key) { wanted.insert(key) } }
        var chosen = Set(focusPositions)
        for (position, recordKeys) in keys.enumerated() where recordKeys.contains(where: wanted.contains) { chosen.insert(position) }
        let persons = Set(chosen.compactMap { records[$0].currentPersonID })
        for (position, record) in records.enumerated() where record.currentPersonID.map(persons.contains) ?? false { chosen.insert(position) }
        let subset = chosen.sorted().map { records[$0] }
        let inSubset = Set(subset.map(\.reference))
        return (subset, prior.filter { inSubset.contains($0.first) && inSubset.contains($0.second) })
    }
    // (The selection above stands in for the store's index queries.)
    row("select records through the key index", selection.0.count, "records", selectionSeconds)
    cpuStart = cpuSeconds()
    let (subsetResolution, subsetSeconds) = measure { incremental.resolve(selection.0, overrides: IdentityOverrides(), focus: focus, priorMatches: selection.1) }
    lastPhaseCPU = cpuSeconds() - cpuStart
    let subsetRun = (subsetResolution, selection.0)
    rowWithCPU("re-resolve on the records the index names", subsetRun.1.count, "records", subsetSeconds)
    print("  resolver phases: " + subsetResolution.phases.map { String(format: "%@ %.2f s", $0.name, $0.seconds) }.joined(separator: ", "))
    let viaSubset = Dictionary(uniqueKeysWithValues: subsetRun.0.changedLinks.map { ($0.reference, $0.personID) })
    let viaAll = Dictionary(uniqueKeysWithValues: second.changedLinks.map { ($0.reference, $0.personID) })
    let differing = subsetRun.1.filter { (viaSubset[$0.reference] ?? $0.currentPersonID) != (viaAll[$0.reference] ?? $0.currentPersonID) }.count
    print("  \(subsetRun.1.count) records loaded, \(differing) assigned differently than by the run over all records")
    print(String(repeating: "-", count: 80))
    print(String(format: "full: %.1f s wall, %.1f s CPU for %d records; 1%% changed: %.2f s wall over all records (%.1f%% of full), %.2f s over the records the index names (%.1f%%); peak memory %.0f MiB", fullSeconds, fullCPU, records.count, focusSeconds, 100 * focusSeconds / fullSeconds, subsetSeconds, 100 * subsetSeconds / fullSeconds, peakMemoryMiB()))
}

func measure<T>(_ body: () -> T) -> (T, Double) {
    let start = ContinuousClock.now
    let value = body()
    return (value, DurationText.seconds(ContinuousClock.now - start))
}

/// Wrong pairs by kind, with how the matcher saw a few of them (outcomes and weights only, no field values).
func diagnose(_ records: [IdentityRecord], truth: [Int], predicted: [String], model: MatchModel?, resolution: IdentityResolution, link: Double) {
    var falsePositives: [(Int, Int)] = [], falseNegatives: [(Int, Int)] = []
    let byPredicted = Dictionary(grouping: records.indices, by: { predicted[$0] })
    for members in byPredicted.values where members.count > 1 {
        for i in members.indices { for j in members.indices where j > i && truth[members[i]] != truth[members[j]] { falsePositives.append((members[i], members[j])) } }
    }
    let byTruth = Dictionary(grouping: records.indices, by: { truth[$0] })
    for members in byTruth.values where members.count > 1 {
        for i in members.indices { for j in members.indices where j > i && predicted[members[i]] != predicted[members[j]] { falseNegatives.append((members[i], members[j])) } }
    }
    // Wrong links, and pairs by score and truth.
    let position = Dictionary(uniqueKeysWithValues: records.indices.map { (records[$0].reference, $0) })
    var histogram: [Int: (true: Int, false: Int)] = [:]
    for pair in resolution.matches + resolution.reviews where pair.score != nil {
        let same = truth[position[pair.first]!] == truth[position[pair.second]!]
        let bucket = Int(pair.score!.rounded(.down)) / 2 * 2
        var entry = histogram[bucket] ?? (0, 0)
        if same { entry.true += 1 } else { entry.false += 1 }
        histogram[bucket] = entry
    }
    print("  scored pairs by score (true/false): " + histogram.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.true)/\($0.value.false)" }.joined(separator: "  "))
    let wrong = resolution.matches.filter { truth[position[$0.first]!] != truth[position[$0.second]!] }
    print("  wrong link edges: \(wrong.count) (" + Dictionary(grouping: wrong, by: \.rule).map { "\($0.key) \($0.value.count)" }.sorted().joined(separator: ", ") + ")")
    for pair in wrong.prefix(12) {
        print(String(format: "    %@ %6.1f ", pair.rule, pair.score ?? 0) + pair.comparisons.map { "\($0.field)=\($0.outcome)(\($0.weight))" }.joined(separator: " "))
    }
    var configuration = MatchConfiguration()
    configuration.linkThreshold = link
    let matcher = ProbabilisticMatcher(configuration: configuration, model: model)
    for (label, pairs) in [("false positives", falsePositives), ("false negatives", falseNegatives)] {
        let explained = matcher.explain(pairs, among: records)
        var kinds: [String: Int] = [:]
        for explanation in explained {
            let kind = explanation.sharedBlocks.isEmpty ? "never compared" : explanation.birthDateConflict ? "birth dates conflict" : explanation.namesConflict ? "names conflict" : explanation.score >= link ? "score >= link" : explanation.score >= link - 6 ? "review band" : "below review"
            kinds[kind, default: 0] += 1
        }
        print("  \(label): \(pairs.count) pairs; " + kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        for explanation in explained.prefix(12) {
            print(String(format: "    %6.1f ", explanation.score) + explanation.comparisons.map { "\($0.field)=\($0.outcome)(\($0.weight))" }.joined(separator: " ") + " blocks:\(explanation.sharedBlocks.count)")
        }
    }
    if let model {
        for field in model.fields {
            print("  \(field.field): " + field.outcomes.indices.map { String(format: "%@ m=%.4f u=%.6f w=%.1f", field.outcomes[$0], field.m[$0], field.u[$0], field.weight(of: field.outcomes[$0])) }.joined(separator: "; "))
        }
    }
}
