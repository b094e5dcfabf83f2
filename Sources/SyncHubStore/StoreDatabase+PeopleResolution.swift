import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import SyncHubCore
public import SyncHubIdentity

/// What identity resolution is told by `connectors.yml` (`identity:`).
public struct IdentitySettings: Sendable {
    public var matching: MatchConfiguration
    public var golden: GoldenRules
    /// The system (`sales`, `marketing`) of each connector instance.
    public var systems: [String: String]

    public init(matching: MatchConfiguration = MatchConfiguration(), golden: GoldenRules = GoldenRules(), systems: [String: String] = [:]) {
        self.matching = matching
        self.golden = golden
        self.systems = systems
    }

    /// Fingerprint of the matching settings: when it changes, everything is resolved again and the model re-estimated.
    public var matchingFingerprint: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(matching)) ?? Data()
        return ContentHash.hex(ContentHash.of(data))
    }

    /// Fingerprint of the survivorship rules and systems: when it changes, every golden record is rebuilt.
    public var goldenFingerprint: String {
        var text = ""
        for field in GoldenField.allCases {
            let rule = golden[field]
            text += "\(field.rawValue)=\(rule.kind.rawValue):\(rule.sources.joined(separator: ",")):\(rule.overwriteWithBlank);"
        }
        for (connector, system) in systems.sorted(by: { $0.key < $1.key }) { text += "\(connector)@\(system);" }
        return ContentHash.hex(ContentHash.of(text))
    }
}

/// What one identity resolution did, and how long each phase took.
public struct IdentityRunReport: Sendable, Encodable {
    /// Every record was examined (first run, `--full-refresh`, changed matching settings, or most records changed).
    public var full: Bool
    /// Records resolution saw, and those it re-examined (changed since the last resolution, or touched by overrides).
    public var recordsExamined: Int
    public var focusRecords: Int
    /// Contacts written since the last resolution (their persons' golden records are rebuilt; only those whose
    /// identity fields changed are the focus).
    public var changedRecords: Int = 0
    /// Records sharing a key with a focus record, scored from their index profiles (incremental runs); only those
    /// that score, share an email or reference, or belong to an affected person are read in full (`recordsExamined`).
    public var neighbours: Int = 0
    public var newPersons: Int
    public var changedLinks: Int
    public var mergedPersons: Int
    /// Link edges and review pairs written.
    public var matches: Int
    public var reviews: Int
    /// Golden records rebuilt.
    public var goldenRecords: Int
    /// The match model was estimated from the data in this run (else reused from the store, or matching is off).
    public var modelEstimated: Bool
    public var readSeconds: Double = 0
    public var resolveSeconds: Double = 0
    public var goldenSeconds: Double = 0
    public var writeSeconds: Double = 0
    public var totalSeconds: Double { readSeconds + resolveSeconds + goldenSeconds + writeSeconds }
    /// CPU seconds of the process in each phase (all threads): on a busy machine, the figure noise does not inflate.
    public var readCPU: Double = 0
    public var resolveCPU: Double = 0
    public var goldenCPU: Double = 0
    public var writeCPU: Double = 0

    enum CodingKeys: String, CodingKey {
        case full, recordsExamined, focusRecords, changedRecords, neighbours, newPersons, changedLinks, mergedPersons, matches, reviews, goldenRecords,
             modelEstimated, readSeconds, resolveSeconds, goldenSeconds, writeSeconds, readCPU, resolveCPU, goldenCPU, writeCPU
    }
}

extension StoreDatabase {
    /// Resolves contact records into persons and writes persons, links, match evidence, the review queue and
    /// golden records in one transaction.
    ///
    /// Incremental by default: only contacts changed since the last resolution (and records named by new
    /// overrides) are re-examined against the blocks of all records; stored link edges among the others are kept,
    /// and the stored match model is reused. Everything is resolved, and the model re-estimated, with
    /// `fullRefresh`, on the first run, when the matching settings changed, when most records changed, or when the
    /// store holds half again as many contacts as at the last full resolution.
    ///
    /// An incremental run reads only what the change can affect, through the identity index (`IdentityIndex`):
    /// the changed records, the records sharing a pairable key with those whose identity fields changed, and every
    /// record of the persons they can reach; it scores with the store's record count and value frequencies, so it
    /// decides as a run over every record would. `readEverything` makes an incremental run read every record
    /// instead (the reference the index is checked against).
    public func resolveIdentities(settings: IdentitySettings, runID: RunID?, fullRefresh: Bool = false, readEverything: Bool = false) throws -> IdentityRunReport {
        var clock = PhaseClock()
        // Whether there is anything to do, before reading a million records.
        let pending = try pendingContactChanges()
        // The index counts contacts (counting a million rows of `contact` reads all of them).
        let contactCount = try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count FROM identity_value WHERE col = -1 AND value = 0")
                ?? Int.fetchOne(db, sql: "SELECT count(*) FROM contact") ?? 0
        }
        let matchingFingerprint = settings.matchingFingerprint, goldenFingerprint = settings.goldenFingerprint
        let storedMatching = try identityState("matching")
        let goldenChanged = try identityState("golden") != goldenFingerprint
        // A store half again as large as at the last full resolution (a new system's records, say) is resolved in
        // full and its model estimated again: the persons then do not depend on which records arrived first.
        let grown = Int(try identityState("fullResolutionRecords") ?? "").map { contactCount * 2 > $0 * 3 } ?? false
        var full = fullRefresh || storedMatching != matchingFingerprint || pending.count * 2 > contactCount || grown
        var model: MatchModel?
        if !full, settings.matching.enabled {
            // An empty value: the last resolution's rules made no model (matching needs none); otherwise a model of
            // this version, or everything is resolved again to estimate one.
            let stored = try identityState("model")
            model = decodedModel(stored)
            if stored == nil || (stored != "" && model?.version != MatchModel.currentVersion) { full = true }
        }
        if !full, pending.count == 0, !goldenChanged {
            var report = IdentityRunReport(
                full: false, recordsExamined: contactCount, focusRecords: 0, newPersons: 0, changedLinks: 0, mergedPersons: 0,
                matches: 0, reviews: 0, goldenRecords: 0, modelEstimated: false)
            report.readSeconds = clock.lap()
            report.readCPU = clock.cpu
            return report
        }
        let dirty = full ? [] : try dirtyContacts(through: pending.through)
        let overrides = try identityOverrides()
        // Incremental: the changed records and what they can affect, through the identity index (none yet, or of
        // another format: everything is resolved, which writes it).
        let selection = full ? nil : try incrementalSelection(dirty: dirty, overrides: overrides, settings: settings)
        if !full, selection == nil { return try resolveIdentities(settings: settings, runID: runID, fullRefresh: true) }
        // Changed survivorship rules rebuild every golden record: read every record (and resolve over all of them).
        let subset = goldenChanged || readEverything ? nil : selection
        let records = try subset?.records ?? identityRecords()
        let focus: Set<RecordReference>? = selection?.focus
        let priorMatches = try subset?.priorMatches ?? (full ? [] : storedMatches(excluding: focus, scoredOnly: true))
        let ages = try subset?.ages ?? personAgesByCreation()
        var report = IdentityRunReport(
            full: full, recordsExamined: records.count, focusRecords: focus?.count ?? records.count, newPersons: 0, changedLinks: 0,
            mergedPersons: 0, matches: 0, reviews: 0, goldenRecords: 0, modelEstimated: false)
        report.changedRecords = full ? records.count : dirty.count
        report.neighbours = selection?.neighbours ?? 0
        report.readSeconds = clock.lap()
        report.readCPU = clock.cpu

        let resolver = IdentityResolver.standard(configuration: settings.matching, model: model)
        let resolution = resolver.resolve(
            records, personAge: ages, overrides: overrides, focus: focus, priorMatches: priorMatches, population: subset?.population)
        // A new person id another person in the store already has (48-bit fingerprints: all but impossible): a run
        // over every record draws ids against all of them.
        if subset != nil, try resolution.newPersons.contains(where: { try personIsLinked($0.id) }) {
            return try resolveIdentities(settings: settings, runID: runID, fullRefresh: true)
        }
        report.resolveSeconds = clock.lap()
        report.resolveCPU = clock.cpu

        // Golden records of the persons this resolution touched (all of them when everything was resolved or
        // the rules changed).
        // Each record's person after this resolution. Records, changed links and (sorted) focus references are all in
        // reference order: walk them together (hashing a million references costs more than the rest of this step).
        var finalPerson = records.map(\.currentPersonID)
        var relinked = [Bool](repeating: false, count: records.count)
        for (index, link) in zip(Self.positions(of: resolution.changedLinks.map(\.reference), in: records), resolution.changedLinks) {
            guard let index else { continue }
            finalPerson[index] = link.personID
            relinked[index] = true
        }
        if !resolution.merges.isEmpty {
            let absorbed = Dictionary(resolution.merges.map { ($0.absorbed, $0.survivor) }, uniquingKeysWith: { $1 })
            for index in records.indices {
                if let person = finalPerson[index], let survivor = absorbed[person] { finalPerson[index] = survivor }
            }
        }
        if !full {
            for index in Self.positions(of: Array(dirty), in: records) { if let index { relinked[index] = true } }
        }
        let rebuildAll = full || goldenChanged
        var touched = Set<String>()
        if !rebuildAll {
            for (index, record) in records.enumerated() where relinked[index] {
                if let person = finalPerson[index] { touched.insert(person) }
                if let old = record.currentPersonID { touched.insert(old) }
            }
            for merge in resolution.merges { touched.insert(merge.survivor) }
            // Golden records are built from every record of a person: with a selection, each touched person must have
            // been read in full (the selection reads every person a change can reach; this is a safety net).
            if let subset, !touched.subtracting(resolution.newPersons.map(\.id)).isSubset(of: subset.completePersons) {
                return try resolveIdentities(settings: settings, runID: runID, fullRefresh: true)
            }
        }
        // Group the records of those persons (a counting sort: no array per person).
        var slotOf: [String: Int32] = [:]
        var persons: [String] = []
        var slot = [Int32](repeating: -1, count: records.count)
        for index in records.indices {
            guard let person = finalPerson[index], rebuildAll || touched.contains(person) else { continue }
            if let existing = slotOf[person] {
                slot[index] = existing
            } else {
                slot[index] = Int32(persons.count)
                slotOf[person] = Int32(persons.count)
                persons.append(person)
            }
        }
        var start = [Int](repeating: 0, count: persons.count + 1)
        for value in slot where value >= 0 { start[Int(value) + 1] += 1 }
        for index in persons.indices { start[index + 1] += start[index] }
        var next = start
        var ordered = [Int32](repeating: 0, count: start[persons.count])
        for (index, value) in slot.enumerated() where value >= 0 {
            ordered[next[Int(value)]] = Int32(index)
            next[Int(value)] += 1
        }
        let previous = try goldenRows(for: rebuildAll ? nil : touched)
        let builder = GoldenRecordBuilder(rules: settings.golden, systems: settings.systems)
        // Persons are independent: build on every core, in interleaved chunks.
        let (personList, memberList, starts) = (persons, ordered, start)
        var built = [GoldenRecord?](repeating: nil, count: persons.count)
        let lanes = persons.count < 20_000 ? 1 : max(1, ProcessInfo.processInfo.activeProcessorCount)
        built.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                for position in stride(from: lane, to: personList.count, by: lanes) {
                    let person = personList[position]
                    let members = memberList[starts[position]..<starts[position + 1]].map { records[Int($0)] }
                    output[position] = builder.build(personID: person, records: members, previous: previous[person]?.decoded())
                }
            }
        }
        let golden = built.map { $0! }
        built = []
        var removed = Set(resolution.merges.map(\.absorbed))
        if rebuildAll {
            for person in previous.keys where slotOf[person] == nil { removed.insert(person) }
        } else {
            for person in touched where slotOf[person] == nil { removed.insert(person) }
        }
        report.goldenSeconds = clock.lap()
        report.goldenCPU = clock.cpu

        var state = ["matching": matchingFingerprint, "golden": goldenFingerprint]
        if full { state["fullResolutionRecords"] = String(records.count) }
        let storedModel = try identityState("model")
        if let model = resolution.model {
            if model != decodedModel(storedModel) {
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                state["model"] = String(decoding: try encoder.encode(model), as: UTF8.self)
                report.modelEstimated = true
            }
        } else if storedModel == nil || full {
            state["model"] = ""
        }
        report.newPersons = resolution.newPersons.count
        report.changedLinks = resolution.changedLinks.count
        report.mergedPersons = resolution.merges.count
        report.matches = resolution.matches.count
        report.reviews = resolution.reviews.count
        report.goldenRecords = golden.count
        // The resolution and golden records move into the update, which lets each go once written: the identity
        // index of a full run is computed last, without them in memory.
        try apply(
            IdentityUpdate(
                resolution: consume resolution, focus: focus, golden: consume golden, removedGolden: removed.sorted(), state: state,
                resolvedThrough: pending.through, index: selection?.index,
                fullIndex: selection == nil ? (records, settings.matching) : nil),
            runID: runID)
        report.writeSeconds = clock.lap()
        report.writeCPU = clock.cpu
        return report
    }

    /// The positions in `records` (in reference order) of `references`, in their order; `nil` for those not there.
    /// A merge walk when `references` are in order too, a lookup table otherwise.
    static func positions(of references: [RecordReference], in records: [IdentityRecord]) -> [Int?] {
        var result = [Int?](repeating: nil, count: references.count)
        var order = Array(references.indices)
        if !zip(references, references.dropFirst()).allSatisfy({ !precedes($1, $0) }) {
            order.sort { precedes(references[$0], references[$1]) }
        }
        var next = 0
        for position in order {
            let reference = references[position]
            while next < records.count, precedes(records[next].reference, reference) { next += 1 }
            if next < records.count, records[next].reference == reference { result[position] = next }
        }
        return result
    }

    /// Reference order: connector, object type, external id, byte by byte (the store's `ORDER BY`).
    static func precedes(_ a: RecordReference, _ b: RecordReference) -> Bool {
        if a.connector != b.connector { return a.connector.utf8.lexicographicallyPrecedes(b.connector.utf8) }
        if a.objectType != b.objectType { return a.objectType.rawValue.utf8.lexicographicallyPrecedes(b.objectType.rawValue.utf8) }
        return a.externalID.utf8.lexicographicallyPrecedes(b.externalID.utf8)
    }

    func decodedModel(_ text: String?) -> MatchModel? {
        guard let text, !text.isEmpty else { return nil }
        return try? JSONDecoder().decode(MatchModel.self, from: Data(text.utf8))
    }

    /// Creation rank of every person (older persons survive merges): earlier runs first, then by founding record.
    public func personAgesByCreation() throws -> [String: Int] {
        try writer.read { db in
            var ages: [String: Int] = [:]
            ages.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM person") ?? 0)
            var rank = 0
            try db.forEachRow(sql: "SELECT id FROM person ORDER BY coalesce(created_run, 0), founded_by") { row in
                ages[row.string(0) ?? ""] = rank
                rank += 1
            }
            return ages
        }
    }
}

/// Wall-clock seconds of consecutive phases, and the process's CPU seconds in each.
struct PhaseClock {
    var last = ContinuousClock.now
    var lastCPU = PhaseClock.cpuSeconds()
    /// CPU seconds of the phase `lap()` ended last.
    var cpu: Double = 0

    mutating func lap() -> Double {
        if ProcessInfo.processInfo.environment["SYNCHUB_IDENTITY_TIMING"] != nil, let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
            let memory = status.split(separator: "\n").filter { $0.hasPrefix("VmRSS") || $0.hasPrefix("VmHWM") }.joined(separator: " ")
            FileHandle.standardError.write(Data("identity phase end: \(memory)\n".utf8))
        }
        let now = ContinuousClock.now, nowCPU = Self.cpuSeconds()
        let (seconds, attoseconds) = (now - last).components
        cpu = nowCPU - lastCPU
        last = now
        lastCPU = nowCPU
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Ends a phase named `name`; with `SYNCHUB_IDENTITY_TIMING` set, prints its wall and CPU seconds on stderr.
    mutating func lap(_ name: String) {
        let seconds = lap()
        if ProcessInfo.processInfo.environment["SYNCHUB_IDENTITY_TIMING"] != nil {
            FileHandle.standardError.write(Data("\(name): \(seconds) s, cpu \(cpu) s\n".utf8))
        }
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
