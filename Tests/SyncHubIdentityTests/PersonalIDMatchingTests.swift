import SyncHubCore
@testable import SyncHubIdentity
import Testing

/// A national, tax or membership number that several sources record (`personalID`): what it normalizes to, how it
/// compares, and the evidence it is against the guards that keep a father and son, or a married name, apart.
@Suite struct PersonalIDMatchingTests {
    typealias F = Fixture

    @Test func punctuationAndCaseAreNotPartOfTheNumber() {
        #expect(PersonalID.normalized("123-45-6789") == "123456789")
        #expect(PersonalID.normalized(" 123 45 6789 ") == "123456789")
        #expect(PersonalID.normalized("AB 12.34-C") == "ab1234c")
        // Placeholders and scraps are no number.
        #expect(PersonalID.normalized("000-00-0000") == nil)
        #expect(PersonalID.normalized("XXXX") == nil)
        #expect(PersonalID.normalized("12-3") == nil)
        #expect(PersonalID.normalized("") == nil)
    }

    @Test func aTypoIsOneCharacterAddedDroppedChangedOrTwoSwapped() throws {
        func outcome(_ a: String, _ b: String) -> String? {
            let records = [F.record("a", first: "Ada", last: "Quist", personalID: a), F.record("b", first: "Ada", last: "Quist", personalID: b)]
            let features = MatchFeatures(records, defaultCountry: "US")
            let gamma = features.arena.withUnsafeBufferPointer { FieldComparator(arena: $0).compare(features.records[0], features.records[1]) }
            let level = MatchField.level(gamma, .personalID)
            return level == 0 ? nil : MatchField.personalID.outcomes[level - 1]
        }
        #expect(outcome("123-45-6789", "123456789") == "exact")
        #expect(outcome("123456789", "123456780") == "typo")
        #expect(outcome("123456789", "132456789") == "typo")
        #expect(outcome("123456789", "12345678") == "typo")
        #expect(outcome("123456789", "987654321") == "different")
        #expect(outcome("123456789", "000000000") == nil)
    }

    /// A father and son share a name and an address, never a personal id: equal ids outweigh dates of birth years
    /// apart (one of them mistyped or replaced), which without them are only reviewed.
    @Test func equalPersonalIDsLinkDatesOfBirthYearsApart() throws {
        func pair(_ idA: String?, _ idB: String?) -> [IdentityRecord] {
            [
                F.record("g", first: "Zebulon", last: "Quackenbush", street: "4 Elm Road", city: "Austin", postal: "78701", birthDate: "1980-01-21", personalID: idA),
                F.record("h", first: "Zebulon", last: "Quackenbush", street: "4 Elm Road", city: "Austin", postal: "78701", birthDate: "1957-06-30", personalID: idB),
            ]
        }
        let (same, samePerson) = F.resolveAmongBackground(pair("523-45-6789", "523456789"))
        #expect(samePerson[F.reference("g")] == samePerson[F.reference("h")])
        let link = try #require(F.edge(same, "g", "h"))
        #expect(same.matches.contains(link))
        #expect(link.comparisons.contains { $0.field == "personalID" && $0.outcome == "exact" })

        let (other, otherPerson) = F.resolveAmongBackground(pair("523-45-6789", "871-20-4456"))
        #expect(otherPerson[F.reference("g")] != otherPerson[F.reference("h")])
        let (none, nonePerson) = F.resolveAmongBackground(pair(nil, nil))
        #expect(nonePerson[F.reference("g")] != nonePerson[F.reference("h")])
        #expect(F.edge(none, "g", "h").map { none.reviews.contains($0) } == true)
        #expect(F.edge(other, "g", "h").map { other.matches.contains($0) } != true)
    }

    /// A new family name (marriage) is a name that disagrees outright: an equal personal id makes it one person, as an
    /// equal date of birth does.
    @Test func equalPersonalIDsOutweighANewFamilyName() {
        func pair(_ id: String?) -> [IdentityRecord] {
            [
                F.record("m", first: "Philippa", last: "Oyelaran", street: "19 Larch Street", city: "Tulsa", postal: "74103", personalID: id),
                F.record("n", first: "Philippa", last: "Brankovic", street: "19 Larch Street", city: "Tulsa", postal: "74103", personalID: id),
            ]
        }
        let (_, linked) = F.resolveAmongBackground(pair("440-18-2291"))
        #expect(linked[F.reference("m")] == linked[F.reference("n")])
        let (_, apart) = F.resolveAmongBackground(pair(nil))
        #expect(apart[F.reference("m")] != apart[F.reference("n")])
    }

    /// Records that share nothing a blocking key of names, places or dates reads (a new double-barrelled family name,
    /// another city, no date of birth on one) meet through their personal id.
    @Test func recordsMeetThroughThePersonalIDAlone() {
        func pair(_ id: String?) -> [IdentityRecord] {
            [
                F.record("p", first: "Theodora", last: "Vantongeren", phone: "918-555-0140", street: "7 Birch Lane", city: "Tulsa", postal: "74103", birthDate: "1975-03-02", personalID: id),
                F.record("q", first: "Theodora", last: "Mills-Vantongeren", street: "210 Harbor Drive", city: "Miami", postal: "33101", personalID: id),
            ]
        }
        let features = MatchFeatures(pair("301-55-7720"), defaultCountry: "US")
        let shared = features.arena.withUnsafeBufferPointer { arena in
            BlockingKey.allCases.filter { kind in
                let a = kind.key(features.records[0], arena: arena), b = kind.key(features.records[1], arena: arena)
                return a != 0 && a == b
            }
        }
        #expect(shared == [.personalID])
        let (_, linked) = F.resolveAmongBackground(pair("301-55-7720"))
        #expect(linked[F.reference("p")] == linked[F.reference("q")])
        let (_, apart) = F.resolveAmongBackground(pair(nil))
        #expect(apart[F.reference("p")] != apart[F.reference("q")])
    }

    /// The no-chaining guard: records of two groups that carry one personal id vouch for the merge, though other
    /// records of the groups conflict (dates of birth years apart).
    /// The guard's verdict on joining `c` to the group of `a` and `b` (three records of one name), of these dates of
    /// birth and personal ids.
    func verdict(birthDates: [String], ids: [String?]) -> ClusterGuard.Conflict {
        let records = zip(["a", "b", "c"], zip(birthDates, ids)).map { id, values in
            F.record(id, first: "Hollis", last: "Fairweather", birthDate: values.0, personalID: values.1)
        }
        var sets = DisjointSets(count: records.count)
        sets.union(0, 1)
        var guardState = ClusterGuard(records: records, sets: &sets, forbiddenPartners: [:])
        return guardState.check(sets.find(0), sets.find(2), namesOnly: false, sets: &sets)
    }

    @Test func aSharedPersonalIDVouchesForTheGroups() {
        func verdict(_ ids: [String?]) -> ClusterGuard.Conflict { self.verdict(birthDates: ["1980-01-21", "1980-01-21", "1957-06-30"], ids: ids) }
        #expect(verdict([nil, "612-30-1187", "612301187"]) == .none)
        #expect(verdict([nil, "612-30-1187", "998-10-2231"]) == .birthDate)
        #expect(verdict([nil, nil, nil]) == .birthDate)
    }

    /// A record tied to its group by a personal id that another member carries speaks through that member: its own
    /// replaced date of birth does not refuse a record that agrees with the other member (whose number was replaced).
    @Test func aMemberVouchedForByItsPersonalIDDoesNotRefuseAJoin() {
        func verdict(_ ids: [String?]) -> ClusterGuard.Conflict { self.verdict(birthDates: ["1980-01-21", "1957-06-30", "1980-01-21"], ids: ids) }
        // `b` is `a`'s by their number; `c` agrees with `a`.
        #expect(verdict(["612-30-1187", "612301187", "998-10-2231"]) == .none)
        // Without the number that ties `b` to `a`, `b` is someone born in 1957.
        #expect(verdict(["612-30-1187", "440-18-2291", "998-10-2231"]) == .birthDate)
        #expect(verdict([nil, nil, nil]) == .birthDate)
    }
}
