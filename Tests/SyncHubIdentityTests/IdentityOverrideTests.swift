import SyncHubCore
import SyncHubIdentity
import Testing

/// Overrides, incremental (focus) resolution and prior matches.
@Suite struct IdentityOverrideTests {
    typealias F = Fixture

    /// Three records of one name: a and b agree strongly (phone, birth date, street), b and c less (birth date
    /// and postal code), a and c alike.
    let trio = [
        F.record("a", first: "Zebulon", last: "Quackenbush", phone: "617-555-0111", street: "4 Elm Road", city: "Boston", postal: "02110", birthDate: "1980-01-21"),
        F.record("b", first: "Zeb", last: "Quackenbush", phone: "(617) 555-0111", street: "4 Elm Rd", city: "Boston", postal: "02110", birthDate: "1980-01-21"),
        F.record("c", first: "Zebulon", last: "Quackenbush", postal: "02110", birthDate: "1980-01-21"),
    ]

    @Test func withoutOverridesTheTrioIsOnePerson() {
        let records = F.background + trio
        let person = F.persons(records, IdentityResolver.standard().resolve(records))
        #expect(Set(["a", "b", "c"].map { person[F.reference($0)] }).count == 1)
    }

    @Test func differentPersonsCutsTheClusterAtItsWeakestLink() {
        let records = F.background + trio
        let overrides = IdentityOverrides(differentPersons: [.init(F.reference("a"), F.reference("c"))])
        let resolution = IdentityResolver.standard().resolve(records, overrides: overrides)
        let person = F.persons(records, resolution)
        #expect(person[F.reference("a")] == person[F.reference("b")])
        #expect(person[F.reference("c")] != person[F.reference("a")])
        #expect(!resolution.matches.contains { Set([$0.first, $0.second]).contains(F.reference("c")) })
    }

    @Test func samePersonOverridesLinkWhatNoRuleWould() throws {
        let records = F.background + [F.record("x", first: "Ann", last: "Lee"), F.record("y", first: "Bob", last: "Stone")]
        let overrides = IdentityOverrides(sameperson: [.init(F.reference("x"), F.reference("y"))])
        let resolution = IdentityResolver.standard().resolve(records, overrides: overrides)
        let person = F.persons(records, resolution)
        #expect(person[F.reference("x")] == person[F.reference("y")])
        let edge = try #require(resolution.matches.first { $0.rule == "override" })
        #expect(Set([edge.first, edge.second]) == Set([F.reference("x"), F.reference("y")]))
    }

    @Test func detachedRecordsStandAloneUnlessAnOverrideLinksThem() {
        let records = [
            F.record("d", emails: ["dana@acme.com"]), F.record("e", emails: ["Dana@acme.com"]), F.record("f", emails: ["other@acme.com"]),
        ]
        var overrides = IdentityOverrides(detached: [F.reference("d")])
        var person = F.persons(records, IdentityResolver.standard().resolve(records, overrides: overrides))
        #expect(person[F.reference("d")] != person[F.reference("e")])
        overrides.sameperson = [.init(F.reference("d"), F.reference("f"))]
        person = F.persons(records, IdentityResolver.standard().resolve(records, overrides: overrides))
        #expect(person[F.reference("d")] == person[F.reference("f")])
        #expect(person[F.reference("d")] != person[F.reference("e")])
    }

    @Test func splittingTheFirstRecordOfASharedEmailLeavesTheOthersTogether() {
        let records = [
            F.record("d", emails: ["dana@acme.com"]), F.record("e", emails: ["Dana@acme.com"]), F.record("g", emails: ["dana@ACME.com"]),
            F.record("h", emails: ["dana@acme.com"]),
        ]
        for split in ["d", "g"] {
            let resolution = IdentityResolver.standard().resolve(records, overrides: IdentityOverrides(detached: [F.reference(split)]))
            let person = F.persons(records, resolution)
            let others = ["d", "e", "g", "h"].filter { $0 != split }.map { person[F.reference($0)] }
            #expect(Set(others).count == 1, "split \(split): the others still share the address")
            #expect(!others.contains(person[F.reference(split)]))
        }
    }

    @Test func aDirectDeterministicEdgeYieldsToDifferentPersons() {
        let records = [F.record("d", emails: ["dana@acme.com"]), F.record("e", emails: ["dana@acme.com"])]
        let overrides = IdentityOverrides(differentPersons: [.init(F.reference("e"), F.reference("d"))])
        let person = F.persons(records, IdentityResolver.standard().resolve(records, overrides: overrides))
        #expect(person[F.reference("d")] != person[F.reference("e")])
    }

    @Test func focusReexaminesOnlyChangedRecordsAndAgreesWithAFullRun() throws {
        var records = F.background + trio + [F.record("n", first: "Ignatius", last: "Fairweather", city: "Denver", postal: "80202")]
        let first = IdentityResolver.standard().resolve(records)
        records = F.applying(first, to: records)
        // "n" learns its phone and birth date: now it is c's person... no: a new person appears for "m", who matches n.
        let index = records.firstIndex { $0.reference == F.reference("n") }!
        records[index].profile.phone = "720-555-0177"
        records[index].profile.birthDate = "1966-05-05"
        records.append(F.record("m", connector: "marketing", first: "Iggy", last: "Fairweather", phone: "720.555.0177", postal: "80202", birthDate: "1966-05-05"))
        let focus: Set<RecordReference> = [F.reference("n"), F.reference("m", "marketing")]
        let prior = first.matches.filter { !focus.contains($0.first) && !focus.contains($0.second) }
        let incremental = IdentityResolver.standard(model: first.model).resolve(records, focus: focus, priorMatches: prior)
        let full = IdentityResolver.standard(model: first.model).resolve(records)
        // Same persons as a full run, and only the new record's link changed.
        #expect(F.persons(records, incremental) == F.persons(records, full))
        #expect(incremental.changedLinks.map(\.reference) == [F.reference("m", "marketing")])
        #expect(incremental.changedLinks.first?.personID == records[index].currentPersonID)
        #expect(incremental.recordsExamined < 10)
        #expect(!incremental.matches.isEmpty)
        #expect(incremental.matches.allSatisfy { focus.contains($0.first) || focus.contains($0.second) })
    }

    @Test func priorMatchesKeepUnchangedRecordsTogether() {
        var records = F.background + trio
        let first = IdentityResolver.standard().resolve(records)
        records = F.applying(first, to: records)
        // b changes beyond recognition; a and c stay one person through their stored edge.
        let b = records.firstIndex { $0.reference == F.reference("b") }!
        records[b].profile = PersonProfile(firstName: "Olga", lastName: "Petrova", city: "Reno")
        let focus: Set<RecordReference> = [F.reference("b")]
        let prior = first.matches.filter { !focus.contains($0.first) && !focus.contains($0.second) }
        #expect(prior.contains { Set([$0.first, $0.second]) == Set([F.reference("a"), F.reference("c")]) })
        let resolution = IdentityResolver.standard(model: first.model).resolve(records, focus: focus, priorMatches: prior)
        let person = F.persons(records, resolution)
        #expect(person[F.reference("a")] == person[F.reference("c")])
        #expect(person[F.reference("b")] != person[F.reference("a")])
        #expect(resolution.changedLinks.map(\.reference) == [F.reference("b")], "a and c keep their person id; b gets a new one")
        #expect(resolution.newPersons.count == 1)
    }
}
