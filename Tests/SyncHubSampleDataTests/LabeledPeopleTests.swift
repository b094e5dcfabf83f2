import SyncHubSampleData
import Testing

@Suite struct LabeledPeopleTests {
    @Test func theSameSeedGivesTheSameRecords() {
        let a = LabeledPeople.generate(LabeledPeopleOptions(people: 300, seed: 5))
        let b = LabeledPeople.generate(LabeledPeopleOptions(people: 300, seed: 5))
        let c = LabeledPeople.generate(LabeledPeopleOptions(people: 300, seed: 6))
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a.map(\.person)).count == 300)
        #expect(Set(a.map { "\($0.connector):\($0.id)" }).count == a.count, "record ids are unique")
        #expect(a.count > 450 && a.count < 650, "about 1.8 records a person")
    }

    @Test func mostRecordsCarryAnEmailWithTheCorruptionsRealDataHas() {
        let records = LabeledPeople.generate(LabeledPeopleOptions(people: 4000, seed: 9, scenario: .mostlyEmail))
        let withEmail = records.filter { !$0.emails.isEmpty }.count
        #expect(Double(withEmail) / Double(records.count) > 0.8)
        #expect(Set(records.map(\.connector)) == ["marketing", "crm"])
        let byPerson = Dictionary(grouping: records, by: \.person)
        // Nicknames and spelling: one person under several first names.
        #expect(byPerson.values.contains { Set($0.compactMap { $0.firstName?.lowercased() }).count > 1 })
        // Shared inboxes.
        #expect(records.contains { $0.emails.contains { $0.hasPrefix("info@") || $0.hasPrefix("sales@") || $0.hasPrefix("contact@") } })
        // Gmail variants.
        #expect(records.contains { $0.emails.contains { $0.contains("+") && $0.hasSuffix("@gmail.com") } })
        // Job changes: one person at two company domains.
        let domains = byPerson.values.map { Set($0.flatMap(\.emails).compactMap { $0.split(separator: "@").last.map(String.init) }.filter { !$0.contains("gmail") && !$0.contains("yahoo") && !$0.contains("outlook") && !$0.contains("hotmail") && !$0.contains("icloud") && !$0.contains("aol") }) }
        #expect(domains.contains { $0.count > 1 })
        // Namesakes: two people with the same full name.
        let names = Dictionary(grouping: byPerson.values.compactMap { $0.first }, by: { "\($0.firstName ?? "")|\($0.lastName ?? "")" })
        #expect(names.values.contains { Set($0.map(\.person)).count > 1 })
        // Swapped names, street abbreviations, phone formats.
        #expect(byPerson.values.contains { group in group.contains { a in group.contains { b in a.firstName != nil && a.firstName == b.lastName } } })
        #expect(records.contains { $0.street?.hasSuffix(" St") ?? false })
        #expect(Set(records.compactMap { $0.phone?.first }).count > 2)
    }

    @Test func theNoEmailScenarioHasNoEmailButAddressesBirthDatesAndPhones() {
        let records = LabeledPeople.generate(LabeledPeopleOptions(people: 2000, seed: 9, scenario: .noEmail))
        #expect(records.allSatisfy { $0.emails.isEmpty && $0.company == nil })
        #expect(records.filter { $0.birthDate != nil }.count > records.count * 7 / 10)
        #expect(records.filter { $0.street != nil }.count > records.count * 8 / 10)
        #expect(records.filter { $0.phone != nil }.count > records.count / 2)
    }

    @Test func pairwiseQualityCountsPairs() {
        // Truth: {0,1,2} {3,4}; predicted: {0,1} {2,3,4}.
        let quality = PairwiseQuality(truth: [1, 1, 1, 2, 2], predicted: ["a", "a", "b", "b", "b"])
        #expect(quality.truePairs == 4)
        #expect(quality.predictedPairs == 4)
        #expect(quality.correctPairs == 2)
        #expect(quality.precision == 0.5)
        #expect(quality.recall == 0.5)
        #expect(quality.f1 == 0.5)
        let perfect = PairwiseQuality(truth: [1, 1, 2], predicted: [7, 7, 8])
        #expect(perfect.f1 == 1)
    }
}

/// Personal numbers in generated people: off by default without changing any other record, each person's own, and
/// sometimes mistyped or wrong.
@Suite struct LabeledPersonalIDTests {
    @Test func numbersAreAddedWithoutChangingTheRestOfTheRecords() {
        let plain = LabeledPeople.generate(LabeledPeopleOptions(people: 800, seed: 5, scenario: .noEmail))
        let numbered = LabeledPeople.generate(LabeledPeopleOptions(people: 800, seed: 5, scenario: .noEmail, personalIDsPerMille: 700))
        #expect(plain.allSatisfy { $0.personalID == nil })
        #expect(plain.count == numbered.count)
        #expect(zip(plain, numbered).allSatisfy { a, b in var b = b; b.personalID = nil; return a == b })

        let carried = numbered.filter { $0.personalID != nil }
        #expect(carried.count > numbered.count * 6 / 10 && carried.count < numbered.count * 8 / 10)
        // Most persons' records agree on one number; a few carry a typo or someone else's.
        var byPerson: [Int: Set<String>] = [:]
        for record in carried {
            byPerson[record.person, default: []].insert(record.personalID!.filter(\.isNumber))
        }
        let agreeing = byPerson.values.filter { $0.count == 1 }.count
        #expect(agreeing > byPerson.count * 9 / 10 && agreeing < byPerson.count)
        // Different persons have different numbers.
        var owner: [String: Int] = [:]
        var shared = 0
        for record in carried {
            let digits = record.personalID!.filter(\.isNumber)
            if let other = owner[digits], other != record.person { shared += 1 } else { owner[digits] = record.person }
        }
        #expect(shared < carried.count / 50)
    }
}
