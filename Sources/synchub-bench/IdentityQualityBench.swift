// Identity matching: quality against labeled people, and speed of the pure resolver.
//
//   synchub-bench --identity-quality N            both scenarios on N generated people (precision, recall, F1)
//   synchub-bench --identity-quality-no-email N   the no-email scenario only
//   ... --explain-misses                          also missed and wrong pairs by cause (SYNCHUB_EXAMPLES of each, 3)
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
                street: street, city: city, state: state, postalCode: postalCode, country: country, birthDate: birthDate,
                personalID: personalID))
    }
}

/// Person id of every record after applying `resolution` to records that had none.
func personIDs(_ records: [IdentityRecord], _ resolution: IdentityResolution) -> [String] {
    let assigned = Dictionary(uniqueKeysWithValues: resolution.changedLinks.map { ($0.reference, $0.personID) })
    return records.map { assigned[$0.reference] ?? $0.currentPersonID ?? "?" }
}

func identityQualityBench(people: Int, scenarios: [LabeledPeopleOptions.Scenario], seed: UInt64 = 7, explain: Bool = false, examples: Int = 0) {
    // People (per mille) with one of the 300 commonest surnames: the census-calibrated default, or harsher data.
    let commonSurnames = ProcessInfo.processInfo.environment["SYNCHUB_COMMON_SURNAMES"].flatMap(Int.init) ?? LabeledPeopleOptions().commonSurnamesPerMille
    // Records (per mille) carrying a personal number: none by default.
    let personalIDs = ProcessInfo.processInfo.environment["SYNCHUB_PERSONAL_IDS"].flatMap(Int.init) ?? 0
    print("synchub-bench: identity quality on \(people) generated people per scenario, seed \(seed), "
          + "\(commonSurnames) per mille with a common surname, \(personalIDs) per mille with a personal number "
          + "(\(ProcessInfo.processInfo.activeProcessorCount) cores)")
    print(String(repeating: "-", count: 80))
    for scenario in scenarios {
        let (labeled, generateSeconds) = measure {
            LabeledPeople.generate(LabeledPeopleOptions(
                people: people, seed: seed, scenario: scenario, commonSurnamesPerMille: commonSurnames, personalIDsPerMille: personalIDs))
        }
        let records = labeled.map(\.identityRecord)
        row("generate \(scenario.rawValue)", records.count, "records", generateSeconds)
        var configuration = MatchConfiguration()
        if let link = ProcessInfo.processInfo.environment["SYNCHUB_LINK"].flatMap(Double.init) { configuration.linkThreshold = link }
        if let margin = ProcessInfo.processInfo.environment["SYNCHUB_MARGIN"].flatMap(Double.init) { configuration.namesOnlyMargin = margin }
        if let margin = ProcessInfo.processInfo.environment["SYNCHUB_DOB_MARGIN"].flatMap(Double.init) { configuration.birthDateConflictMargin = margin }
        if let margin = ProcessInfo.processInfo.environment["SYNCHUB_YEARS_APART_MARGIN"].flatMap(Double.init) { configuration.yearsApartBirthDateMargin = margin }
        let resolver = IdentityResolver.standard(configuration: configuration)
        let cpuStart = cpuSeconds()
        let (resolution, resolveSeconds) = measure { resolver.resolve(records) }
        lastPhaseCPU = cpuSeconds() - cpuStart
        rowWithCPU("resolve \(scenario.rawValue)", records.count, "records", resolveSeconds)
        let quality = PairwiseQuality(truth: labeled.map(\.person), predicted: personIDs(records, resolution))
        let links = resolution.matches.filter { $0.rule == "probabilistic" }.count
        print("  \(scenario.rawValue): \(quality)")
        print("  \(resolution.matches.count) link edges (\(links) probabilistic), \(resolution.reviews.count) pairs to review, EM iterations \(resolution.model?.iterations ?? 0), match proportion \(String(format: "%.4f", resolution.model?.matchProportion ?? 0))")
        if explain {
            explainMisses(records, truth: labeled.map(\.person), predicted: personIDs(records, resolution), resolution: resolution, configuration: configuration, examples: examples)
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

/// Missed and wrong pairs by cause, with how the matcher saw a few of them (outcomes and weights only, no values).
///
/// A true person split in several clusters counts its missed pairs (|A|·|B| per two parts) under the closest the
/// matcher came to joining the parts: a link edge the cluster guard refused, a review, a pair dropped by a guard or
/// below the review threshold, or records never compared (sharing no key, or only keys of blocks over their cap). A
/// cluster joining several true persons counts its wrong pairs under the rules of the edges crossing between them.
func explainMisses(_ records: [IdentityRecord], truth: [Int], predicted: [String], resolution: IdentityResolution, configuration: MatchConfiguration, examples: Int) {
    // Missed pairs: the parts of each true person.
    var parts: [Int: [String: [Int]]] = [:]
    for index in records.indices { parts[truth[index], default: [:]][predicted[index], default: []].append(index) }
    var splits: [([Int], [Int])] = []
    for (_, byCluster) in parts where byCluster.count > 1 {
        let groups = byCluster.values.sorted { $0[0] < $1[0] }
        for i in groups.indices { for j in groups.indices where j > i { splits.append((groups[i], groups[j])) } }
    }
    splits.sort { $0.0[0] < $1.0[0] }
    var crossPairs: [(Int, Int)] = []
    for (a, b) in splits { for x in a { for y in b { crossPairs.append((x, y)) } } }
    let matcher = ProbabilisticMatcher(configuration: configuration, model: resolution.model)
    let explained = matcher.explain(crossPairs, among: records)
    func rank(_ e: PairExplanation) -> Int {
        e.pairedBlocks.isEmpty ? 0 : e.decision == "link" ? 4 : e.decision.hasPrefix("review") ? 3 : e.decision == "dropped (below review)" ? 1 : 2
    }
    func cause(_ e: PairExplanation) -> String {
        if e.pairedBlocks.isEmpty {
            let would = e.decision == "link" ? ", would link" : ""
            return e.sharedBlocks.isEmpty ? "never compared: no key in common\(would)" : "never compared: blocks over cap (\(e.sharedBlocks.joined(separator: ",")))\(would)"
        }
        if e.decision == "link" { return "link edge refused by the cluster guard" }
        return e.decision
    }
    var missed: [String: Int] = [:]
    var missedExamples: [String: [PairExplanation]] = [:]
    var cursor = 0
    for (a, b) in splits {
        let slice = explained[cursor..<(cursor + a.count * b.count)]
        cursor += a.count * b.count
        let best = slice.max { x, y in rank(x) != rank(y) ? rank(x) < rank(y) : x.score < y.score }!
        let key = cause(best)
        missed[key, default: 0] += a.count * b.count
        if missedExamples[key, default: []].count < examples { missedExamples[key, default: []].append(best) }
    }
    let missedTotal = missed.values.reduce(0, +)
    print("  missed pairs: \(missedTotal) in \(splits.count) splits of true persons, by the closest the matcher came:")
    for (key, count) in missed.sorted(by: { $0.value > $1.value }) {
        print("    \(count) \(key)")
        for e in missedExamples[key] ?? [] {
            print(String(format: "      %6.1f ", e.score) + e.comparisons.map { "\($0.field)=\($0.outcome)(\($0.weight))" }.joined(separator: " ") + " keys:\(e.sharedBlocks.joined(separator: ","))")
        }
    }
    // Wrong pairs: clusters joining several true persons, by the rules of the edges crossing between persons.
    let position = Dictionary(uniqueKeysWithValues: records.indices.map { (records[$0].reference, $0) })
    var crossing: [String: [MatchedPair]] = [:]
    for pair in resolution.matches {
        let a = position[pair.first]!, b = position[pair.second]!
        if truth[a] != truth[b] { crossing[predicted[a], default: []].append(pair) }
    }
    var wrong: [String: Int] = [:]
    var wrongExamples: [String: [MatchedPair]] = [:]
    var byCluster: [String: [Int: Int]] = [:]
    for index in records.indices { byCluster[predicted[index], default: [:]][truth[index], default: 0] += 1 }
    for (cluster, persons) in byCluster where persons.count > 1 {
        let sizes = Array(persons.values)
        var pairs = 0
        for i in sizes.indices { for j in sizes.indices where j > i { pairs += sizes[i] * sizes[j] } }
        let edges = crossing[cluster] ?? []
        let key = Set(edges.map { $0.rule == "probabilistic" ? "probabilistic (\($0.evidence))" : $0.rule }).sorted().joined(separator: " + ")
        wrong[key.isEmpty ? "no crossing edge" : key, default: 0] += pairs
        if wrongExamples[key, default: []].count < examples, let edge = edges.max(by: { ($0.score ?? 99) > ($1.score ?? 99) }) { wrongExamples[key, default: []].append(edge) }
    }
    print("  wrong pairs: \(wrong.values.reduce(0, +)), by the edges joining different persons:")
    for (key, count) in wrong.sorted(by: { $0.value > $1.value }) {
        print("    \(count) \(key)")
        for edge in wrongExamples[key] ?? [] where edge.score != nil {
            print(String(format: "      %6.1f ", edge.score ?? 0) + edge.comparisons.map { "\($0.field)=\($0.outcome)(\($0.weight))" }.joined(separator: " "))
        }
    }
    if ProcessInfo.processInfo.environment["SYNCHUB_BENCH_MODEL"] != nil, let model = resolution.model {
        for field in model.fields {
            print("  \(field.field): " + field.outcomes.indices.map { String(format: "%@ m=%.4f u=%.6f w=%.1f", field.outcomes[$0], field.m[$0], field.u[$0], field.weight(of: field.outcomes[$0])) }.joined(separator: "; "))
        }
    }
}
