import Foundation
import SyncHubCore
import SyncHubIdentity
import SyncHubSampleData

/// Records and helpers shared by the identity tests.
enum Fixture {
    static func record(
        _ id: String, connector: String = "crm", first: String? = nil, last: String? = nil, emails: [String] = [],
        company: String? = nil, phone: String? = nil, street: String? = nil, city: String? = nil, postal: String? = nil,
        birthDate: String? = nil, personalID: String? = nil, person: String? = nil
    ) -> IdentityRecord {
        IdentityRecord(
            reference: RecordReference(connector: connector, externalID: id), emails: emails, currentPersonID: person,
            profile: PersonProfile(
                firstName: first, lastName: last, company: company, phone: phone, street: street, city: city, postalCode: postal, birthDate: birthDate,
                personalID: personalID))
    }

    /// A realistic population for the matcher to estimate its model from (no emails, so nothing links by email).
    static let background: [IdentityRecord] = LabeledPeople.generate(LabeledPeopleOptions(people: 1500, seed: 3, scenario: .noEmail)).map(\.identityRecord)

    /// Person id of every record after a first resolution.
    static func persons(_ records: [IdentityRecord], _ resolution: IdentityResolution) -> [RecordReference: String] {
        var map = Dictionary(uniqueKeysWithValues: records.compactMap { record in record.currentPersonID.map { (record.reference, $0) } })
        for link in resolution.changedLinks { map[link.reference] = link.personID }
        return map
    }

    /// The records with the person ids of `resolution` applied, as the store would keep them.
    static func applying(_ resolution: IdentityResolution, to records: [IdentityRecord]) -> [IdentityRecord] {
        let changes = Dictionary(uniqueKeysWithValues: resolution.changedLinks.map { ($0.reference, $0.personID) })
        return records.map { var copy = $0; copy.currentPersonID = changes[$0.reference] ?? $0.currentPersonID; return copy }
    }

    /// Resolves `extra` among the background population: the resolution and every record's person.
    static func resolveAmongBackground(_ extra: [IdentityRecord], configuration: MatchConfiguration = .init()) -> (IdentityResolution, [RecordReference: String]) {
        let records = background + extra
        let resolution = IdentityResolver.standard(configuration: configuration).resolve(records)
        return (resolution, persons(records, resolution))
    }

    /// The link or review between records `a` and `b` (of connector `crm`), if any.
    static func edge(_ resolution: IdentityResolution, _ a: String, _ b: String) -> MatchedPair? {
        let pair = Set([reference(a), reference(b)])
        return (resolution.matches + resolution.reviews).first { Set([$0.first, $0.second]) == pair }
    }

    static func reference(_ id: String, _ connector: String = "crm") -> RecordReference {
        RecordReference(connector: connector, externalID: id)
    }

    /// The repository's root (for `sample/`).
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
}

extension LabeledRecord {
    var identityRecord: IdentityRecord {
        IdentityRecord(
            reference: RecordReference(connector: connector, externalID: id), emails: emails,
            profile: PersonProfile(
                firstName: firstName, lastName: lastName, company: company, title: title, phone: phone, website: website,
                street: street, city: city, state: state, postalCode: postalCode, country: country, birthDate: birthDate,
                personalID: personalID))
    }
}

/// RFC 4180 CSV: quoted fields with commas, doubled quotes and line breaks.
enum CSVTable {
    static func rows(_ path: String) throws -> [[String: String]] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") { field.append(byte); index += 1 } else { inQuotes = false }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") {
                inQuotes = true
            } else if byte == UInt8(ascii: ",") {
                record.append(String(decoding: field, as: UTF8.self)); field.removeAll()
            } else if byte == UInt8(ascii: "\n") {
                record.append(String(decoding: field, as: UTF8.self)); field.removeAll()
                records.append(record); record.removeAll()
            } else if byte != UInt8(ascii: "\r") {
                field.append(byte)
            }
            index += 1
        }
        if !field.isEmpty || !record.isEmpty { record.append(String(decoding: field, as: UTF8.self)); records.append(record) }
        guard let header = records.first else { return [] }
        return records.dropFirst().filter { $0.count == header.count }.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}
