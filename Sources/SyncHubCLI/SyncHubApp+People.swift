import ArgumentParser
import Foundation
import Logging
import SyncHubConfiguration
import SyncHubCore
import SyncHubIdentity
import SyncHubStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - The `identity:` section

extension SyncHubApp {
    static let identityKeys = ["matching", "golden"]
    static let matchingKeys = [
        "enabled", "linkThreshold", "reviewThreshold", "defaultCountry", "weights", "estimateParameters",
        "termFrequencyAdjustment", "maxBlockSize", "namesOnlyMargin", "birthDateConflictMargin", "yearsApartBirthDateMargin",
    ]

    /// `identity:` from `connectors.yml`; a problem is a configuration error (exit 78) naming the line and key.
    func identitySettings() throws -> IdentitySettings {
        do {
            return try Self.identitySettings(configuration)
        } catch let error as ConfigurationErrors {
            throw ConfigurationProblem(error.description)
        } catch let error as ConfigurationError {
            throw ConfigurationProblem(error.description)
        }
    }

    static func identitySettings(_ configuration: SyncHubConfiguration) throws -> IdentitySettings {
        var systems: [String: String] = [:]
        for entry in configuration.connectors {
            if let system = try? entry.settings.string("system") { systems[entry.name] = system }
        }
        guard let identity = try configuration.section("identity") else { return IdentitySettings(systems: systems) }
        var errors: [ConfigurationError] = []
        for key in identity.keys where !identityKeys.contains(key) {
            errors.append(identity.error("unknown setting\(hint(key, identityKeys))", key: key))
        }
        var matching = MatchConfiguration()
        do {
            if let section = try identity.section("matching") { matching = try matchConfiguration(section, errors: &errors) }
        } catch let error as ConfigurationError { errors.append(error) }
        var golden = GoldenRules()
        do {
            golden = try GoldenRules(settings: try identity.section("golden"), systems: systems)
        } catch let error as GoldenRuleErrors {
            errors += error.errors
        } catch let error as ConfigurationError { errors.append(error) }
        if !errors.isEmpty { throw ConfigurationErrors(errors: errors) }
        return IdentitySettings(matching: matching, golden: golden, systems: systems)
    }

    static func hint(_ key: String, _ candidates: [String]) -> String {
        let suggestion = Suggestions.didYouMean(key, among: candidates)
        return suggestion.isEmpty ? "; expected one of \(candidates.joined(separator: ", "))" : suggestion
    }

    /// `identity: matching:`, onto the matcher's defaults.
    static func matchConfiguration(_ section: Settings, errors: inout [ConfigurationError]) throws -> MatchConfiguration {
        for key in section.keys where !matchingKeys.contains(key) {
            errors.append(section.error("unknown setting\(hint(key, matchingKeys))", key: key))
        }
        var matching = MatchConfiguration()
        matching.enabled = try section.bool("enabled", default: matching.enabled)
        matching.linkThreshold = try section.double("linkThreshold", default: matching.linkThreshold)
        matching.reviewThreshold = try section.double("reviewThreshold", default: matching.reviewThreshold)
        if matching.reviewThreshold > matching.linkThreshold {
            errors.append(section.error(
                "must not be above linkThreshold (\(matching.linkThreshold)); pairs between the two go to `synchub people review`",
                key: section.contains("reviewThreshold") ? "reviewThreshold" : "linkThreshold"))
        }
        let country = try section.string("defaultCountry", default: matching.defaultCountry)
        if country.count != 2 || !country.allSatisfy({ $0.isASCII && $0.isLetter }) {
            errors.append(section.error("expected a two-letter country code such as US, GB or DE", key: "defaultCountry"))
        }
        matching.defaultCountry = country.uppercased()
        matching.estimateParameters = try section.bool("estimateParameters", default: matching.estimateParameters)
        matching.termFrequencyAdjustment = try section.bool("termFrequencyAdjustment", default: matching.termFrequencyAdjustment)
        matching.maxBlockSize = try section.int("maxBlockSize", default: matching.maxBlockSize, range: 2...1_000_000)
        matching.namesOnlyMargin = try section.double("namesOnlyMargin", default: matching.namesOnlyMargin)
        matching.birthDateConflictMargin = try section.double("birthDateConflictMargin", default: matching.birthDateConflictMargin)
        matching.yearsApartBirthDateMargin = try section.double("yearsApartBirthDateMargin")
        if let weights = try section.section("weights") {
            var table: [String: [String: Double]] = [:]
            for field in weights.keys {
                guard let outcomes = try weights.section(field) else { continue }
                for outcome in outcomes.keys { table[field, default: [:]][outcome] = try outcomes.double(outcome, default: 0) }
            }
            matching.weights = table
        }
        return matching
    }
}

// MARK: - Resolution for commands

extension SyncHubApp {
    /// Runs identity resolution with the configured settings and reports it as pull does.
    func runResolution(store: StoreDatabase, runID: RunID?, fullRefresh: Bool) throws -> IdentityReport {
        let settings = try identitySettings()
        let run = try store.resolveIdentities(settings: settings, runID: runID, fullRefresh: fullRefresh)
        logger.info("identity resolved", metadata: [
            "records": "\(run.recordsExamined)", "focus": "\(run.focusRecords)", "full": "\(run.full)",
            "new_persons": "\(run.newPersons)", "changed_links": "\(run.changedLinks)", "merged": "\(run.mergedPersons)",
            "matches": "\(run.matches)", "reviews": "\(run.reviews)", "golden": "\(run.goldenRecords)",
        ])
        return IdentityReport(
            recordsExamined: run.recordsExamined, newPersons: run.newPersons, changedLinks: run.changedLinks,
            mergedPersons: run.mergedPersons, persons: try store.personCount(), seconds: run.totalSeconds,
            focusRecords: run.focusRecords, full: run.full, matches: run.matches, reviews: run.reviews,
            goldenRecords: run.goldenRecords)
    }
}

// MARK: - Finding persons and records

/// What a command argument named.
enum PersonTarget {
    case person(id: String, requested: String)
    case record(RecordReference, person: String?)
}

extension SyncHubApp {
    /// Resolves `argument` (a person id, an alias, an email, or `connector:record id`).
    func target(_ argument: String, in store: StoreDatabase) throws -> PersonTarget {
        let text = argument.trimmingCharacters(in: .whitespaces)
        if let current = try store.resolvePersonID(text) { return .person(id: current, requested: text) }
        if text.contains("@") {
            let persons = try store.persons(withEmail: text)
            if persons.count == 1 { return .person(id: persons[0], requested: text) }
            if persons.count > 1 {
                throw CommandFailure("the address belongs to \(persons.count) persons (\(persons.joined(separator: ", "))); name one by person id.")
            }
            throw CommandFailure("no contact record carries that address; try a person id or connector:record id.")
        }
        if let colon = text.firstIndex(of: ":") {
            let reference = RecordReference(
                connector: String(text[..<colon]), objectType: .contact, externalID: String(text[text.index(after: colon)...]))
            if try store.containsContact(reference) { return .record(reference, person: try store.personID(of: reference)) }
            let connectors = instances.map(\.entry.name)
            if !connectors.contains(reference.connector) {
                let hint = Suggestions.closest(to: reference.connector, among: connectors).map { "; did you mean '\($0):\(reference.externalID)'?" } ?? ""
                throw CommandFailure("no connector named '\(reference.connector)' in \(global.config) (connectors: \(connectors.joined(separator: ", ")))\(hint)")
            }
            throw CommandFailure("no contact record \(reference) in the store.")
        }
        throw CommandFailure("'\(text)' is not a person id, an email address or connector:record id (such as crm:003A000001).")
    }

    /// The person `argument` names (a record's person for a record).
    func person(_ argument: String, in store: StoreDatabase) throws -> (id: String, requested: String) {
        switch try target(argument, in: store) {
        case .person(let id, let requested): return (id, requested)
        case .record(let reference, let person):
            guard let person else { throw CommandFailure("\(reference) is not linked to a person yet: run `synchub pull` first.") }
            return (person, argument)
        }
    }

    /// A record `argument` names; a person stands for its first live record.
    func record(_ argument: String, in store: StoreDatabase) throws -> RecordReference {
        switch try target(argument, in: store) {
        case .record(let reference, _): return reference
        case .person(let id, _):
            let records = try store.linkedRecords(of: id)
            guard let first = records.first(where: { !$0.isDeleted }) ?? records.first else {
                throw CommandFailure("person \(id) has no contact records.")
            }
            return first.reference
        }
    }
}

// MARK: - people show

struct PersonReport: Encodable {
    struct Field: Encodable {
        var field: String
        var value: String
        var source: String
        var rule: String
        var sourceUpdatedAt: String?
    }
    struct Record: Encodable {
        var record: String
        var kind: String
        var deleted: Bool
        var email: String?
        var name: String?
        var company: String?
        var title: String?
        var phone: String?
        var city: String?
        var linkedBy: String
        var evidence: String
    }
    struct Comparison: Encodable {
        var field: String
        var outcome: String
        var weight: Double
    }
    struct Link: Encodable {
        var recordA: String
        var recordB: String
        var rule: String
        var evidence: String
        var score: Double?
        var comparisons: [Comparison]
    }
    struct Override: Encodable {
        var id: Int64
        var kind: String
        var recordA: String
        var recordB: String?
        var createdAt: String
    }
    var personID: String
    var requested: String
    /// The requested id was absorbed into `personID`.
    var aliasOf: String?
    var golden: [Field]
    var records: [Record]
    var links: [Link]
    var pendingReviews: [Link]
    var overrides: [Override]
}

extension SyncHubApp {
    func showPerson(_ argument: String) throws {
        let store = try openExistingStore()
        let (id, requested) = try person(argument, in: store)
        let records = try store.linkedRecords(of: id)
        let references = records.map(\.reference)
        let referenceSet = Set(references)
        let golden = try store.goldenRecords(for: [id])[id]
        let links = try store.matches(touching: references).sorted { ($0.first.description, $0.second.description, $0.rule) < ($1.first.description, $1.second.description, $1.rule) }
        let reviews = try store.reviews().filter { referenceSet.contains($0.pair.first) || referenceSet.contains($0.pair.second) }
        let overrides = try store.overrides().filter { referenceSet.contains($0.first) || $0.second.map(referenceSet.contains) == true }
        let requestedPerson = try store.resolvePersonID(requested)
        let aliased = requested != id && requestedPerson == id
        func link(_ pair: MatchedPair) -> PersonReport.Link {
            PersonReport.Link(
                recordA: pair.first.description, recordB: pair.second.description, rule: pair.rule, evidence: pair.evidence,
                score: pair.score, comparisons: pair.comparisons.map { .init(field: $0.field, outcome: $0.outcome, weight: $0.weight) })
        }
        let report = PersonReport(
            personID: id, requested: requested, aliasOf: aliased ? requested : nil,
            golden: GoldenField.allCases.compactMap { field in
                golden?[value: field].map {
                    .init(field: field.rawValue, value: $0.value, source: $0.provenance.source.description, rule: $0.provenance.rule,
                          sourceUpdatedAt: $0.provenance.sourceUpdatedAt)
                }
            },
            records: records.map { record in
                let name = [record.profile.firstName, record.profile.lastName].compactMap { $0 }.joined(separator: " ")
                return .init(
                    record: record.reference.description, kind: record.kind, deleted: record.isDeleted, email: record.emails.first,
                    name: name.isEmpty ? nil : name, company: record.profile.company, title: record.profile.title,
                    phone: record.profile.phone, city: record.profile.city, linkedBy: record.rule, evidence: record.evidence)
            },
            links: links.map(link), pendingReviews: reviews.map { link($0.pair) },
            overrides: overrides.map { .init(id: $0.id, kind: $0.kind.rawValue, recordA: $0.first.description, recordB: $0.second?.description, createdAt: $0.createdAt) })
        if global.json {
            console.printJSON(report)
            return
        }
        print("Person \(id)" + (aliased ? " (\(requested) was merged into it and resolves to it)" : ""))
        print("\nGolden record:")
        if report.golden.isEmpty { print("  (none yet: run `synchub pull`)") }
        print(leftTable(header: ["field", "value", "from", "rule", "source updated"], rows: report.golden.map {
            [$0.field, $0.value, $0.source, $0.rule, $0.sourceUpdatedAt ?? "-"]
        }))
        print("\nSource records (\(records.count)):")
        print(leftTable(header: ["record", "kind", "email", "name", "company", "linked by"], rows: report.records.map {
            [$0.record + ($0.deleted ? " (deleted)" : ""), $0.kind, $0.email ?? "-", $0.name ?? "-", $0.company ?? "-", $0.linkedBy]
        }))
        print("\nEvidence (\(links.count) link\(links.count == 1 ? "" : "s")):")
        if links.isEmpty {
            print(records.count > 1
                ? "  none stored yet: `synchub pull --full-refresh` records the evidence of every link"
                : "  none: the person has a single record")
        }
        for item in report.links { printLink(item) }
        if !report.pendingReviews.isEmpty {
            print("\nPending review (`synchub people review`):")
            for item in report.pendingReviews { printLink(item) }
        }
        if !report.overrides.isEmpty {
            print("\nOverrides:")
            for item in report.overrides {
                print("  #\(item.id) \(item.kind) \(item.recordA)\(item.recordB.map { " \($0)" } ?? "") (\(item.createdAt))")
            }
        }
    }

    func printLink(_ item: PersonReport.Link) {
        var line = "  \(item.recordA) — \(item.recordB): \(item.rule)"
        if let score = item.score { line += String(format: ", score %.2f", score) }
        if !item.evidence.isEmpty, item.score == nil { line += " (\(item.evidence))" }
        print(line)
        for comparison in item.comparisons {
            print("      " + comparison.field.padding(toLength: 12, withPad: " ", startingAt: 0) + " "
                + comparison.outcome.padding(toLength: 10, withPad: " ", startingAt: 0) + " " + String(format: "%+.2f", comparison.weight))
        }
    }
}

/// A plain text table with every column left-aligned (values, not numbers).
func leftTable(header: [String], rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
    return all.map { row in
        "  " + row.enumerated().map { column, cell in
            column == row.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[column] - cell.count))
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}

// MARK: - merge, split, review

struct OverrideReport: Encodable {
    var action: String
    var overrideID: Int64?
    var records: [String]
    var persons: [String]
    var identity: IdentityReport?
}

extension SyncHubApp {
    /// Records a decision and resolves again under the store's lock.
    func decide(action: String, _ body: @escaping @Sendable (StoreDatabase) throws -> (Int64?, [RecordReference])) async throws {
        let store = try openExistingStore()
        let report = try await withLock(store, command: "people \(action)") { () throws -> OverrideReport in
            _ = try identitySettings()
            let (id, references) = try body(store)
            let runID = try store.beginRun(command: "people \(action)")
            let identity: IdentityReport
            do {
                identity = try runResolution(store: store, runID: runID, fullRefresh: false)
                try store.finishRun(runID, status: .succeeded, error: nil)
            } catch {
                try? store.finishRun(runID, status: .failed, error: "identity resolution failed")
                throw error
            }
            let persons = try references.compactMap { try store.personID(of: $0) }
            return OverrideReport(action: action, overrideID: id, records: references.map(\.description), persons: persons, identity: identity)
        }
        if global.json {
            console.printJSON(report)
            return
        }
        let pairs = zip(report.records, report.persons).map { "\($0) -> \($1)" }.joined(separator: ", ")
        print("\(action): recorded as override #\(report.overrideID.map(String.init) ?? "-"); \(pairs)")
        if let identity = report.identity {
            print("Identity: \(Format.count(identity.focusRecords ?? 0)) record(s) re-examined; \(Format.count(identity.changedLinks)) link(s) changed, "
                + "\(Format.count(identity.newPersons)) new person(s), \(Format.count(identity.mergedPersons)) merged; \(Format.count(identity.persons)) persons")
        }
    }

    func mergePersons(_ first: String, _ second: String) async throws {
        let store = try openExistingStore()
        let a = try record(first, in: store), b = try record(second, in: store)
        guard a != b else { throw ValidationError("both arguments name the same record \(a)") }
        try await decide(action: "merge") { store in
            // A merge undoes an earlier split of either record.
            try store.removeDetach(a)
            try store.removeDetach(b)
            let id = try store.addOverride(.sameperson, a, b, note: "people merge")
            return (id, [a, b])
        }
    }

    func splitRecord(_ argument: String) async throws {
        let store = try openExistingStore()
        guard case .record(let reference, let person) = try target(argument, in: store) else {
            throw ValidationError("split takes a record (connector:record id), not a person: `synchub people show \(argument)` lists its records")
        }
        let others = try person.map { try store.linkedRecords(of: $0).map(\.reference).filter { $0 != reference } } ?? []
        try await decide(action: "split") { store in
            // Earlier merges that pulled this record in give way to the split.
            let id = try store.addOverride(.detach, reference, note: "people split")
            try store.markContactsChanged(others)
            return (id, [reference] + others.prefix(1))
        }
    }

    func answerReview(_ argument: String, accept: Bool) async throws {
        let store = try openExistingStore()
        let pending = try store.reviews()
        let pair: MatchedPair
        if let number = Int64(argument.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "#"))) {
            guard let item = pending.first(where: { $0.id == number }) else {
                throw CommandFailure("no pending review #\(number); `synchub people review` lists them.")
            }
            pair = item.pair
        } else {
            let parts = argument.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init).filter { !$0.isEmpty }
            guard parts.count == 2 else {
                throw ValidationError("name a review by its number, or as a pair `connector:id,connector:id`")
            }
            let a = try record(parts[0], in: store), b = try record(parts[1], in: store)
            pair = MatchedPair(first: a, second: b, rule: "review", evidence: "")
        }
        try await decide(action: accept ? "review accept" : "review reject") { store in
            try store.decideReview(pair.first, pair.second, accept: accept)
            return (nil, [pair.first, pair.second])
        }
    }

    func listReviews(limit: Int) throws {
        let store = try openExistingStore()
        let pending = try store.reviews()
        struct Item: Encodable {
            var number: Int64
            var recordA: String
            var recordB: String
            var score: Double?
            var comparisons: [PersonReport.Comparison]
            var a: PersonReport.Record?
            var b: PersonReport.Record?
        }
        var items: [Item] = []
        for review in pending.prefix(limit) {
            func describe(_ reference: RecordReference) throws -> PersonReport.Record? {
                guard let person = try store.personID(of: reference),
                    let record = try store.linkedRecords(of: person).first(where: { $0.reference == reference })
                else { return nil }
                let name = [record.profile.firstName, record.profile.lastName].compactMap { $0 }.joined(separator: " ")
                return .init(
                    record: reference.description, kind: record.kind, deleted: record.isDeleted, email: record.emails.first,
                    name: name.isEmpty ? nil : name, company: record.profile.company, title: record.profile.title, phone: record.profile.phone,
                    city: record.profile.city, linkedBy: person, evidence: record.evidence)
            }
            items.append(Item(
                number: review.id, recordA: review.pair.first.description, recordB: review.pair.second.description, score: review.pair.score,
                comparisons: review.pair.comparisons.map { .init(field: $0.field, outcome: $0.outcome, weight: $0.weight) },
                a: try describe(review.pair.first), b: try describe(review.pair.second)))
        }
        if global.json {
            struct Report: Encodable { var pending: Int; var reviews: [Item] }
            console.printJSON(Report(pending: pending.count, reviews: items))
            return
        }
        print("\(Format.count(pending.count)) pair(s) to review" + (pending.count > items.count ? " (showing \(items.count); --limit N)" : "") + ".")
        for item in items {
            print("")
            print("#\(item.number)  score \(item.score.map { String(format: "%.2f", $0) } ?? "-")")
            for side in [item.a, item.b].compactMap({ $0 }) {
                print("  \(side.record) (\(side.kind), person \(side.linkedBy)): \(side.name ?? "-"), \(side.email ?? "-"), \(side.company ?? "-"), \(side.city ?? "-")")
            }
            let compared = item.comparisons.map { "\($0.field) \($0.outcome) " + String(format: "%+.1f", $0.weight) }.joined(separator: "; ")
            if !compared.isEmpty { print("  compared: \(compared)") }
        }
        if !items.isEmpty {
            print("\nAnswer with `synchub people review accept N` (same person) or `synchub people review reject N` (different persons).")
        }
    }
}

// MARK: - export

extension SyncHubApp {
    /// Writes the decided pairs and/or clusters as CSV files readable by their owner only.
    func exportPeople(pairs: String?, clusters: String?) throws {
        guard pairs != nil || clusters != nil else { throw ValidationError("name at least one of --pairs FILE.csv and --clusters FILE.csv") }
        let store = try openExistingStore()
        struct Report: Encodable { var pairs: Int?; var clusters: Int?; var records: Int?; var pairsFile: String?; var clustersFile: String? }
        var report = Report(pairsFile: pairs, clustersFile: clusters)
        if let pairs {
            let file = try CSVFile(path: pairs, header: ["record_a", "record_b", "rule", "score"])
            var count = 0
            try store.forEachMatch { match in
                try file.write([match.first.description, match.second.description, match.rule, match.score.map { String(format: "%.4f", $0) } ?? ""])
                count += 1
            }
            try file.close()
            report.pairs = count
        }
        if let clusters {
            let file = try CSVFile(path: clusters, header: ["person_id", "record"])
            var count = 0
            var persons = Set<String>()
            try store.clusters { person, reference in
                try file.write([person, reference.description])
                persons.insert(person)
                count += 1
            }
            try file.close()
            report.clusters = persons.count
            report.records = count
        }
        if global.json {
            console.printJSON(report)
            return
        }
        if let pairs { print("Wrote \(Format.count(report.pairs ?? 0)) decided pair(s) to \(pairs)") }
        if let clusters { print("Wrote \(Format.count(report.records ?? 0)) record(s) in \(Format.count(report.clusters ?? 0)) person(s) to \(clusters)") }
    }
}

/// A CSV file created owner-only (it holds personal data), written through a buffer.
final class CSVFile {
    let handle: FileHandle
    var buffer = Data()

    init(path: String, header: [String]) throws {
        let url = URL(fileURLWithPath: path)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno))). Check the folder exists and is writable.")
        }
        fchmod(descriptor, 0o600)
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try write(header)
    }

    func write(_ fields: [String]) throws {
        let line = fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",") + "\n"
        buffer.append(Data(line.utf8))
        if buffer.count > 1 << 20 { try flush() }
    }

    func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle.close()
    }
}
