// The identity pipeline as `synchub pull` runs it (store read, resolve with the configured matcher, golden records,
// write), on synthetic contacts in a real store: a first full pass, then re-resolution after 1% of records change.
import Foundation
import SyncHubCore
import SyncHubIdentity
import SyncHubStore

/// Synthetic people with the fields matching compares, in two systems: about 40% of people are in both, with case,
/// whitespace and gmail variations of the address, phone formats, an occasional typo, and 5% without email.
struct SyntheticPeople {
    static let syllables = ["an", "be", "ca", "da", "el", "fa", "gi", "ho", "is", "jo", "ka", "li", "mo", "na", "or", "pe",
                            "qu", "ra", "si", "to", "ul", "vi", "wa", "xe", "yo", "za"]
    static let streets = ["Main Street", "Oak Avenue", "Market Street", "Elm Road", "Park Lane", "Sunset Boulevard", "High Street"]
    let count: Int
    let people: Int

    init(count: Int) {
        self.count = count
        self.people = count * 10 / 14
    }

    static func word(_ value: UInt64, syllables count: Int) -> String {
        var value = value
        var text = ""
        for _ in 0..<count {
            text += syllables[Int(value % UInt64(syllables.count))]
            value /= UInt64(syllables.count)
        }
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    /// The `index`-th record: `(connector, external id, contact)`; `version` > 0 gives a changed copy.
    func record(_ index: Int, version: Int = 0) -> (String, String, Contact) {
        var random = SplitMix(seed: UInt64(index) &* 0x9E37_79B9 &+ 17)
        let person = index < people ? index : Int(random.next() % UInt64(people))
        var traits = SplitMix(seed: UInt64(person) &* 0x51_7CC1_B727 &+ 3)
        let connector = index < people ? "marketing" : "crm"
        let first = Self.word(traits.next() % 900, syllables: 2 + Int(traits.next() % 2))
        let last = Self.word(traits.next() % 200_000, syllables: 3 + Int(traits.next() % 2))
        let company = Self.word(traits.next() % 40_000, syllables: 3) + " " + ["Inc", "LLC", "Ltd", "GmbH", "Corp"][Int(traits.next() % 5)]
        let city = traits.next() % 2_000
        let phoneDigits = String(format: "%03d555%04d", 200 + Int(traits.next() % 700), Int(traits.next() % 10_000))
        let domain = Self.word(traits.next() % 40_000, syllables: 3).lowercased() + ".example"
        var contact = Contact()
        contact.kind = connector == "crm" && random.next() % 3 == 0 ? "lead" : "contact"
        contact.firstName = first
        contact.lastName = last
        if connector == "crm", random.next() % 20 == 0 {
            // A typo: two letters swapped.
            var letters = Array(last)
            let at = 1 + Int(random.next() % UInt64(max(1, letters.count - 2)))
            if at + 1 < letters.count { letters.swapAt(at, at + 1) }
            contact.lastName = String(letters)
        }
        if random.next() % 20 != 0 {
            let local = "\(first.lowercased()).\(last.lowercased())\(person % 97)"
            switch random.next() % 3 {
            case 0: contact.email = "\(local)@\(domain)"
            case 1: contact.email = " \(local.capitalized)@\(domain.uppercased())"
            default: contact.email = "\(local)+news@gmail.com"
            }
        }
        contact.company = company
        contact.title = ["Engineer", "Manager", "Director", "VP Sales", "CFO", "Analyst"][Int(random.next() % 6)]
        contact.phone = random.next() % 2 == 0 ? "+1 \(phoneDigits)" : "(\(phoneDigits.prefix(3))) \(phoneDigits.dropFirst(3).prefix(3))-\(phoneDigits.suffix(4))"
        contact.street = "\(1 + traits.next() % 9_000) \(Self.streets[Int(traits.next() % UInt64(Self.streets.count))])"
        contact.city = Self.word(city, syllables: 3)
        contact.postalCode = String(format: "%05d", 10_000 + Int(city) * 37 % 89_000)
        contact.country = "US"
        if version > 0 {
            contact.title = "Head of \(["Growth", "Data", "Platform"][version % 3])"
            if random.next() % 4 == 0 { contact.company = Self.word(traits.next() % 40_000, syllables: 3) + " Group" }
        }
        if version == 2 {
            // A field matching compares: a new phone number.
            contact.phone = String(format: "+1 %03d555%04d", 200 + index % 700, (index / 7) % 10_000)
        }
        return (connector, "\(connector)-\(index)", contact)
    }

    func sourceRecord(_ index: Int, version: Int = 0) -> (String, SourceRecord) {
        let (connector, id, contact) = record(index, version: version)
        let updated = Timestamps.format(millisecondsSinceEpoch: 1_735_689_600_000 + Int64(index) * 1_000 + Int64(version) * 86_400_000)
        let payload = JSONWriter.object([
            ("id", id), ("email", contact.email), ("firstName", contact.firstName), ("lastName", contact.lastName),
            ("company", contact.company), ("title", contact.title), ("phone", contact.phone), ("city", contact.city),
        ])
        return (connector, SourceRecord(
            objectType: .contact, externalID: id, payload: payload, sourceUpdatedAt: updated, normalized: .contact(contact)))
    }

    /// Lands records `indices` (at `version`) in batches of 5,000.
    func land(_ indices: some Sequence<Int>, version: Int = 0, into store: StoreDatabase) throws {
        let stream = StreamDescriptor(name: "contacts", objectType: .contact)
        var batches: [String: [SourceRecord]] = [:]
        func flush(_ connector: String) throws {
            guard let batch = batches[connector], !batch.isEmpty else { return }
            _ = try store.commit(RecordBatch(records: batch, checkpoint: nil), connector: connector, stream: stream, deletingAllExcept: nil, runID: nil)
            batches[connector] = []
        }
        for index in indices {
            let (connector, record) = sourceRecord(index, version: version)
            batches[connector, default: []].append(record)
            if batches[connector]!.count == 5_000 { try flush(connector) }
        }
        for connector in batches.keys { try flush(connector) }
    }
}

func printIdentityRun(_ label: String, _ report: IdentityRunReport) {
    print("\(label): \(report.full ? "full" : "incremental"), \(report.focusRecords) of \(report.recordsExamined) records examined, "
        + "\(report.newPersons) new persons, \(report.changedLinks) links changed, \(report.mergedPersons) merged, "
        + "\(report.matches) match edges, \(report.reviews) review pairs, \(report.goldenRecords) golden records"
        + (report.modelEstimated ? ", model estimated" : ""))
    if !report.full {
        print("  \(report.changedRecords) changed records, \(report.focusRecords) with changed identity fields; "
            + "\(report.neighbours) records read through the key index, \(report.recordsExamined) records read in all")
    }
    print(String(format: "  wall: store read %.2f s, resolve %.2f s, golden %.2f s, write %.2f s: total %.2f s",
                 report.readSeconds, report.resolveSeconds, report.goldenSeconds, report.writeSeconds, report.totalSeconds))
    print(String(format: "  cpu:  store read %.2f s, resolve %.2f s, golden %.2f s, write %.2f s: total %.2f s",
                 report.readCPU, report.resolveCPU, report.goldenCPU, report.writeCPU,
                 report.readCPU + report.resolveCPU + report.goldenCPU + report.writeCPU))
}

/// `synchub-bench --identity-only N`: the identity pipeline on N synthetic contacts in a store file.
func identityStoreBench(count: Int, directory: String, deterministic: Bool = false) async throws {
    print("synchub-bench: identity pipeline on \(count) contact records in \(directory)" + (deterministic ? " (deterministic rules only)" : ""))
    print(String(repeating: "-", count: 80))
    let store = try StoreDatabase(path: directory + "/identity.sqlite")
    let people = SyntheticPeople(count: count)
    let (_, landSeconds) = try await timed { try people.land(0..<count, into: store) }
    row("land synthetic contacts", count, "records", landSeconds)
    let settings = IdentitySettings(
        matching: MatchConfiguration(enabled: !deterministic), systems: ["crm": "sales", "marketing": "marketing"])

    let cpuBefore = cpuSeconds()
    let (first, firstSeconds) = try await timed { try store.resolveIdentities(settings: settings, runID: 1) }
    let firstCPU = cpuSeconds() - cpuBefore
    printIdentityRun("first pass", first)
    let firstPeak = peakMemoryMiB()
    print(String(format: "  wall %.2f s, cpu %.2f s, peak memory %.0f MiB", firstSeconds, firstCPU, firstPeak))

    let (unchanged, _) = try await timed { try store.resolveIdentities(settings: settings, runID: 2) }
    printIdentityRun("nothing changed", unchanged)

    // 1% of records change (a new title, sometimes a new company), spread over the whole store.
    let changed = stride(from: 0, to: count, by: 100).map { $0 }
    let (_, changeSeconds) = try await timed { try people.land(changed, version: 1, into: store) }
    row("land 1% changed contacts", changed.count, "records", changeSeconds)
    let reference = directory + "/identity-reference.sqlite"
    try? FileManager.default.removeItem(atPath: reference)
    try store.copy(to: reference)
    let (incremental, incrementalSeconds) = try await timed { try store.resolveIdentities(settings: settings, runID: 3) }
    printIdentityRun("after 1% changed", incremental)
    try compareWithReadingEverything(store, reference: reference, settings: settings, runID: 3)

    // 1% of records change a field matching compares (a new phone, and the title).
    let changedPhones = stride(from: 50, to: count, by: 100).map { $0 }
    let (_, phoneSeconds) = try await timed { try people.land(changedPhones, version: 2, into: store) }
    row("land 1% contacts with a new phone", changedPhones.count, "records", phoneSeconds)
    try? FileManager.default.removeItem(atPath: reference)
    try store.copy(to: reference)
    let (phones, phonesSeconds) = try await timed { try store.resolveIdentities(settings: settings, runID: 4) }
    printIdentityRun("after 1% changed phones", phones)
    try compareWithReadingEverything(store, reference: reference, settings: settings, runID: 4)
    try? FileManager.default.removeItem(atPath: reference)
    print(String(repeating: "-", count: 80))
    print(String(format: "identity: first pass %.1f s (cpu %.1f s) for %d records; 1%% re-resolution %.2f s (%.1f%% of the first pass), "
                 + "1%% with new phones %.2f s (%.1f%%); peak memory %.0f MiB through the first pass "
                 + "(%.0f MiB with the checks that resolve a copy reading every record)",
                 firstSeconds, firstCPU, count, incrementalSeconds, 100 * incrementalSeconds / max(firstSeconds, 1e-9),
                 phonesSeconds, 100 * phonesSeconds / max(firstSeconds, 1e-9), firstPeak, peakMemoryMiB()))
}

/// Resolves the copy at `reference` (taken before the incremental run) reading every record, and counts what differs.
func compareWithReadingEverything(_ store: StoreDatabase, reference: String, settings: IdentitySettings, runID: RunID) throws {
    let copy = try StoreDatabase(path: reference)
    let (report, seconds) = measure { Result { try copy.resolveIdentities(settings: settings, runID: runID, readEverything: true) } }
    let full = try report.get()
    let differences = try store.identityDifferences(from: reference)
    print(String(format: "  same focus over every record: %.2f s, %d records read; differs from the indexed run in "
                 + "%d links, %d golden records, %d match edges, %d review pairs, %d index rows",
                 seconds, full.recordsExamined, differences.links, differences.golden, differences.matches, differences.reviews, differences.index))
}
