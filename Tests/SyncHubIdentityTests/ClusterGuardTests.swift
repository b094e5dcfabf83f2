import SyncHubCore
@testable import SyncHubIdentity
import Testing

/// What the no-chaining guard counts as names of one person when it compares the members of two clusters.
@Suite struct ClusterGuardTests {
    private typealias F = Fixture

    private func compatible(_ a: IdentityRecord, _ b: IdentityRecord) -> Bool {
        let records = [a, b]
        var sets = DisjointSets(count: records.count)
        var guardState = ClusterGuard(records: records, sets: &sets, forbiddenPartners: [:])
        return ClusterGuard.namesCompatible(guardState.identity(0), guardState.identity(1))
    }

    @Test func aMistypedNicknameIsTheFormalName() {
        #expect(compatible(F.record("a", first: "Abigail", last: "Selfield"), F.record("b", first: "Abny", last: "Selfield")))
        #expect(compatible(F.record("a", first: "Anthony", last: "Greene"), F.record("b", first: "Tohy", last: "Greene")))
        #expect(compatible(F.record("a", first: "William", last: "Ostiingaey"), F.record("b", first: "Bilk", last: "Ostiingaey")))
        // Another first letter makes another name.
        #expect(!compatible(F.record("a", first: "William", last: "Ostiingaey"), F.record("b", first: "Jill", last: "Ostiingaey")))
    }

    @Test func twoRecordsEachWithItsOwnTypoOfALongName() {
        #expect(compatible(F.record("a", first: "Brenda", last: "Perze"), F.record("b", first: "Brenda", last: "Petez")))
        #expect(compatible(F.record("a", first: "Ralph", last: "Veliholm"), F.record("b", first: "Ralph", last: "Vloholm")))
    }

    @Test func aLoneNameInTheGivenNameFieldMayBeTheFamilyName() {
        #expect(compatible(F.record("a", first: "Jurgen", last: "Wesitonaick"), F.record("b", first: "Wesitonaick")))
        #expect(compatible(F.record("a", first: "Levmoreell", last: "Sandra"), F.record("b", first: "Sandra")))
        #expect(!compatible(F.record("a", first: "Jurgen", last: "Wesitonaick"), F.record("b", first: "Levmoreell")))
    }

    @Test func differentGivenNamesOfOneFamilyStayApart() {
        #expect(!compatible(F.record("a", first: "Lauren", last: "Nguyen"), F.record("b", first: "Lisa", last: "Nguyen")))
        #expect(!compatible(F.record("a", first: "James", last: "White"), F.record("b", first: "Janet", last: "Whiteram")))
        #expect(!compatible(F.record("a", first: "Robert", last: "Dunaski"), F.record("b", first: "Mary", last: "Dunaski")))
        #expect(!compatible(F.record("a", first: "Abigail", last: "Selfield"), F.record("b", first: "Janet", last: "Selfield")))
        // Given names two edits apart are different names (family names from five letters may be two typos).
        #expect(!compatible(F.record("a", first: "James", last: "Cole"), F.record("b", first: "Janet", last: "Cole")))
        #expect(compatible(F.record("a", first: "James", last: "Perze"), F.record("b", first: "James", last: "Petez")))
    }

    @Test func withinTwoEditsCountsSwapsAsOneEdit() {
        func within(_ a: String, _ b: String) -> Bool {
            Array(a.utf8).withUnsafeBufferPointer { x in Array(b.utf8).withUnsafeBufferPointer { y in StringSimilarity.withinTwoEdits(x, y) } }
        }
        #expect(within("perez", "perze"))
        #expect(within("perze", "petez"))
        #expect(within("owens", "oaens"))
        #expect(within("abcdef", "badcfe") == false)  // three swaps
        #expect(within("lockwood", "lockwood"))
        #expect(within("white", "whiteram") == false)
        #expect(within("ab", ""))
        #expect(within("abc", "") == false)
    }
}
