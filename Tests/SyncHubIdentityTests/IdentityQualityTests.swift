import SyncHubCore
import SyncHubIdentity
import SyncHubSampleData
import Testing

/// Matching quality against known truth: generated labeled people (both scenarios of issue 4) and the shipped sample
/// company, held to issue 4's targets: precision 0.998 and recall 0.99 with emails, F1 0.995 without.
@Suite struct IdentityQualityTests {
    func quality(
        _ scenario: LabeledPeopleOptions.Scenario, people: Int, seed: UInt64, commonSurnamesPerMille: Int = LabeledPeopleOptions().commonSurnamesPerMille,
        personalIDsPerMille: Int = 0
    ) -> (PairwiseQuality, IdentityResolution) {
        let labeled = LabeledPeople.generate(LabeledPeopleOptions(
            people: people, seed: seed, scenario: scenario, commonSurnamesPerMille: commonSurnamesPerMille, personalIDsPerMille: personalIDsPerMille))
        let records = labeled.map(\.identityRecord)
        let resolution = IdentityResolver.standard().resolve(records)
        let person = Fixture.persons(records, resolution)
        return (PairwiseQuality(truth: labeled.map(\.person), predicted: records.map { person[$0.reference]! }), resolution)
    }

    @Test func mostRecordsWithAnEmail() {
        let (quality, resolution) = quality(.mostlyEmail, people: 5000, seed: 101)
        #expect(quality.truePairs > 3000)
        // The targets: precision at least 0.998 and recall at least 0.99 when most records carry an email.
        #expect(quality.precision >= 0.998, "\(quality)")
        #expect(quality.recall >= 0.99, "\(quality)")
        #expect(resolution.matches.contains { $0.rule == "probabilistic" })
    }

    /// Twice the census's share of common surnames (namesakes twice as common): the targets still hold on this seed.
    @Test func mostRecordsWithAnEmailAmongTwiceAsManyNamesakes() {
        let (quality, _) = quality(.mostlyEmail, people: 5000, seed: 101, commonSurnamesPerMille: 550)
        #expect(quality.precision >= 0.998, "\(quality)")
        #expect(quality.recall >= 0.99, "\(quality)")
    }

    @Test func noEmailAtAll() {
        let (quality, resolution) = quality(.noEmail, people: 5000, seed: 202)
        #expect(quality.truePairs > 3000)
        #expect(quality.f1 >= 0.995, "\(quality)")
        #expect(quality.precision >= 0.995, "\(quality)")
        #expect(resolution.matches.allSatisfy { $0.rule == "probabilistic" })
    }

    /// Records that carry personal numbers, some mistyped and some another person's (a data-entry mistake): the
    /// numbers add recall, and the wrong ones cost no precision (family members at one address each have their own).
    @Test func personalNumbersAddRecallAndWrongOnesCostNoPrecision() {
        let (without, _) = quality(.noEmail, people: 5000, seed: 202)
        let (with, resolution) = quality(.noEmail, people: 5000, seed: 202, personalIDsPerMille: 700)
        #expect(with.precision >= 0.998, "\(with)")
        #expect(with.recall > without.recall, "\(with) against \(without)")
        #expect(with.f1 >= 0.995, "\(with)")
        #expect(resolution.matches.contains { $0.comparisons.contains { $0.field == "personalID" && $0.outcome == "typo" } })
    }

    @Test func theShippedSampleCompany() throws {
        let root = Fixture.repositoryRoot + "/sample/"
        var records: [IdentityRecord] = []
        func value(_ row: [String: String], _ key: String) -> String? { row[key].flatMap { $0.isEmpty ? nil : $0 } }
        for row in try CSVTable.rows(root + "marketing/contacts.csv") {
            let emails = [value(row, "Email"), value(row, "Additional email addresses")].compactMap { $0 }
                .flatMap { $0.split(separator: ";").map(String.init) }
            records.append(IdentityRecord(
                reference: RecordReference(connector: "marketing", externalID: row["Record ID"]!), emails: emails,
                sameAs: value(row, "Salesforce Contact ID").map { [RecordReference(connector: "crm", externalID: $0)] } ?? [],
                profile: PersonProfile(
                    firstName: value(row, "First Name"), lastName: value(row, "Last Name"), company: value(row, "Company Name"),
                    phone: value(row, "Phone Number"), website: value(row, "Website URL"), street: value(row, "Street Address"),
                    city: value(row, "City"), state: value(row, "State/Region"), postalCode: value(row, "Postal Code"), country: value(row, "Country/Region"))))
        }
        let accounts = Dictionary(uniqueKeysWithValues: try CSVTable.rows(root + "crm/accounts.csv").map { ($0["Id"]!, $0["Name"] ?? "") })
        for row in try CSVTable.rows(root + "crm/contacts.csv") {
            records.append(IdentityRecord(
                reference: RecordReference(connector: "crm", externalID: row["Id"]!), emails: value(row, "Email").map { [$0] } ?? [],
                isDeleted: row["IsDeleted"] == "true",
                profile: PersonProfile(
                    firstName: value(row, "FirstName"), lastName: value(row, "LastName"), company: value(row, "AccountId").flatMap { accounts[$0] },
                    phone: value(row, "Phone"), street: value(row, "MailingStreet"), city: value(row, "MailingCity"), state: value(row, "MailingState"),
                    postalCode: value(row, "MailingPostalCode"), country: value(row, "MailingCountry"), birthDate: value(row, "Birthdate"))))
        }
        for row in try CSVTable.rows(root + "crm/leads.csv") {
            records.append(IdentityRecord(
                reference: RecordReference(connector: "crm", externalID: row["Id"]!), emails: value(row, "Email").map { [$0] } ?? [],
                sameAs: value(row, "ConvertedContactId").map { [RecordReference(connector: "crm", externalID: $0)] } ?? [],
                isDeleted: row["IsDeleted"] == "true",
                profile: PersonProfile(
                    firstName: value(row, "FirstName"), lastName: value(row, "LastName"), company: value(row, "Company"), phone: value(row, "Phone"),
                    street: value(row, "Street"), city: value(row, "City"), state: value(row, "State"), postalCode: value(row, "PostalCode"),
                    country: value(row, "Country"))))
        }
        var truth: [RecordReference: String] = [:]
        for row in try CSVTable.rows(root + "truth.csv") {
            truth[RecordReference(connector: row["source"]!, externalID: row["record_id"]!)] = row["person_id"]!
        }
        let judged = records.filter { truth[$0.reference] != nil }
        #expect(judged.count == truth.count)
        let resolution = IdentityResolver.standard().resolve(judged)
        let person = Fixture.persons(judged, resolution)
        let truthIDs = judged.map { truth[$0.reference]! }
        let ids = Dictionary(uniqueKeysWithValues: Set(truthIDs).sorted().enumerated().map { ($1, $0) })
        let quality = PairwiseQuality(truth: truthIDs.map { ids[$0]! }, predicted: judged.map { person[$0.reference]! })
        #expect(quality.precision >= 0.998, "\(quality)")
        #expect(quality.recall >= 0.99, "\(quality)")
    }

    @Test func incrementalResolutionAgreesWithAFullRun() {
        let labeled = LabeledPeople.generate(LabeledPeopleOptions(people: 3000, seed: 303, scenario: .mostlyEmail))
        var records = labeled.map(\.identityRecord)
        let first = IdentityResolver.standard().resolve(records)
        records = Fixture.applying(first, to: records)
        // 2% of records change (a phone appears or a name is corrected) and some new records arrive.
        var focus = Set<RecordReference>()
        for index in stride(from: 0, to: records.count, by: 50) {
            records[index].profile.phone = records[index].profile.phone == nil ? "+1 212 555 \(1000 + index)" : nil
            focus.insert(records[index].reference)
        }
        let arrivals = LabeledPeople.generate(LabeledPeopleOptions(people: 60, seed: 304, scenario: .mostlyEmail)).map { labeled in
            var record = labeled.identityRecord
            record.reference.externalID = "new-" + record.reference.externalID
            return record
        }
        records += arrivals
        focus.formUnion(arrivals.map(\.reference))
        let prior = first.matches.filter { !focus.contains($0.first) && !focus.contains($0.second) }
        let resolver = IdentityResolver.standard(model: first.model)
        let incremental = resolver.resolve(records, focus: focus, priorMatches: prior)
        let full = resolver.resolve(records)
        let a = Fixture.persons(records, incremental), b = Fixture.persons(records, full)
        // Frequencies moved a little with the changes, so a pair at the threshold may fall either way.
        let disagreements = records.filter { a[$0.reference] != b[$0.reference] }.count
        #expect(disagreements <= records.count / 500)
        #expect(incremental.recordsExamined < records.count / 5)
    }
}
