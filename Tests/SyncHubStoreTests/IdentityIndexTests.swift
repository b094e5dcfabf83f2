import Foundation
import GRDB
import SyncHubCore
import SyncHubIdentity
import SyncHubStore
import Testing

/// Incremental resolution through the identity index decides as a run over every record does, and the index stays
/// what a full rebuild would write.
@Suite struct IdentityIndexTests {
    let stream = StreamDescriptor(name: "contacts", objectType: .contact)
    let settings = IdentitySettings(systems: ["crm": "sales", "marketing": "marketing"])

    /// Person `p`'s record in `connector`: records of one person share names, phone and address; about a third of
    /// the marketing records carry no email (probabilistic matching links those), names repeat across people.
    func contact(_ person: Int, _ connector: String, email: Bool = true, phone: String? = nil, title: String = "Engineer",
                 first: String? = nil, last: String? = nil, deleted: Bool = false, emailAddress: String? = nil,
                 personalID: String? = nil) -> SourceRecord {
        let firsts = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John"]
        let lasts = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Perlis", "Hoare"]
        var c = Contact()
        c.kind = "contact"
        c.firstName = first ?? firsts[person % firsts.count]
        c.lastName = last ?? lasts[(person / 3) % lasts.count] + (person % 5 == 0 ? "" : String(person % 17))
        c.email = email ? (emailAddress ?? "\(c.firstName!.lowercased()).p\(person)@example.com") : nil
        c.phone = phone ?? String(format: "+1 415 555 %04d", person * 7 % 10_000)
        c.street = "\(person % 90 + 1) Main Street"
        c.city = "Springfield"
        c.postalCode = String(format: "%05d", 10_000 + person % 13)
        c.country = "US"
        c.company = "Company \(person % 11)"
        c.title = title
        c.personalID = personalID
        let id = "\(connector)-\(person)"
        let payload = JSONWriter.object([("id", id), ("email", c.email), ("title", title), ("first", c.firstName), ("phone", c.phone),
                                         ("deleted", deleted ? "true" : "false")])
        return SourceRecord(objectType: .contact, externalID: id, payload: payload, sourceUpdatedAt: "2025-01-01T00:00:00Z",
                            isDeleted: deleted, normalized: .contact(c))
    }

    func land(_ store: StoreDatabase, _ connector: String, _ records: [SourceRecord]) throws {
        _ = try store.commit(RecordBatch(records: records, checkpoint: nil), connector: connector, stream: stream, deletingAllExcept: nil, runID: nil)
    }

    /// 120 people: all in crm, two thirds in marketing too (a third of those without email).
    func seed(_ store: StoreDatabase) throws {
        try land(store, "crm", (0..<120).map { contact($0, "crm") })
        try land(store, "marketing", (0..<120).filter { $0 % 3 != 0 }.map { contact($0, "marketing", email: $0 % 3 == 1) })
    }

    /// New, changed, deleted records; a record whose change splits it from its person, one whose change joins another.
    func change(_ store: StoreDatabase) throws {
        try land(store, "marketing", [
            contact(3, "marketing", email: false),                 // new: joins crm-3 by name, phone and address
            contact(200, "marketing"),                             // new person
            contact(4, "marketing", title: "CTO"),                 // title only: golden record rebuilt, not re-examined
            contact(5, "marketing", email: false, deleted: true),  // deleted
        ])
        try land(store, "crm", [
            contact(7, "crm", phone: "+1 212 555 9999"),           // a new phone
            // Splits from marketing-7? No: marketing-7 keeps its email; crm-8 becomes someone else entirely.
            contact(8, "crm", email: true, phone: "+1 303 555 1234", first: "Zelda", last: "Quarry", emailAddress: "zq@elsewhere.org"),
            // Joins person 10 through a shared email.
            contact(11, "crm", emailAddress: "alan.p10@example.com"),
        ])
    }

    func persons(_ test: TestStore) throws -> [String: String] {
        try test.store.writer.read { db in
            var links: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT connector || ':' || external_id, person_id FROM person_link") { links[row[0]] = row[1] }
            return links
        }
    }

    @Test func anIncrementalRunThroughTheIndexDecidesAsARunOverEveryRecord() throws {
        let test = try TestStore(.file)
        try seed(test.store)
        let first = try test.store.resolveIdentities(settings: settings, runID: 1)
        #expect(first.full)
        #expect(try test.int("SELECT count(*) FROM identity_record") == 200)
        #expect(try test.int("SELECT count FROM identity_value WHERE col = -1") == 200)
        let before = try persons(test)

        for round in 0..<2 {
            if round == 0 { try change(test.store) } else {
                try land(test.store, "marketing", [contact(8, "marketing", email: false, first: "Zelda", last: "Quarry", emailAddress: nil)])
                try land(test.store, "crm", [contact(11, "crm"), contact(20, "crm", title: "VP")])
            }
            let reference = try #require(test.folder?.appendingPathComponent("reference-\(round).sqlite").path)
            try test.store.copy(to: reference)
            let report = try test.store.resolveIdentities(settings: settings, runID: Int64(2 + round))
            #expect(!report.full)
            #expect(report.recordsExamined < 200, "reads only what the change can affect")
            #expect(report.focusRecords < report.changedRecords, "a title-only change is no focus")

            let other = try StoreDatabase(path: reference)
            let everything = try other.resolveIdentities(settings: settings, runID: Int64(2 + round), readEverything: true)
            #expect(everything.recordsExamined >= 200)
            let differences = try test.store.identityDifferences(from: reference)
            #expect(differences == IdentityDifferences(links: 0, golden: 0, matches: 0, reviews: 0, index: 0))
            if round == 0 {
                let now = try persons(test)
                #expect(now["crm:crm-11"] == now["crm:crm-10"], "the shared email joined")
                #expect(now["marketing:marketing-3"] == before["crm:crm-3"], "the new record joined its person")
                #expect(now["crm:crm-8"] != now["marketing:marketing-8"], "crm-8 left its person")
                #expect(before["crm:crm-8"] == before["marketing:marketing-8"])
            }
        }
        let after = try persons(test)
        #expect(after["marketing:marketing-8"] == after["crm:crm-8"], "both Zelda Quarry records are one person again")
        // The maintained index is what a full rebuild writes.
        let rebuilt = try #require(test.folder?.appendingPathComponent("rebuilt.sqlite").path)
        try test.store.copy(to: rebuilt)
        let full = try StoreDatabase(path: rebuilt).resolveIdentities(settings: settings, runID: 9, fullRefresh: true)
        #expect(full.full)
        #expect(try test.store.identityDifferences(from: rebuilt).index == 0)
    }

    /// Personal numbers reach incremental runs as they reach runs over every record: a new record that shares only
    /// its number (and address) with its person joins it, and a number changed to someone else's decides as a full run
    /// does.
    @Test func personalIDsDecideIncrementallyAsOverEveryRecord() throws {
        func number(_ person: Int) -> String { String(format: "%03d-%02d-%04d", 500 + person % 400, person % 97, 1000 + person * 37 % 9000) }
        let test = try TestStore(.file)
        try land(test.store, "crm", (0..<120).map { contact($0, "crm", personalID: number($0)) })
        try land(test.store, "marketing", (0..<120).filter { $0 % 3 != 0 }.map { contact($0, "marketing", email: $0 % 3 == 1) })
        _ = try test.store.resolveIdentities(settings: settings, runID: 1)
        try land(test.store, "marketing", [
            // Person 9 under another name and phone, without email: the number (without its dashes) and the address.
            contact(9, "marketing", email: false, phone: "+1 808 555 0101", first: "Kalani", last: "Okoro",
                    personalID: number(9).filter(\.isNumber)),
        ])
        try land(test.store, "crm", [contact(12, "crm", personalID: number(13))])
        let reference = try #require(test.folder?.appendingPathComponent("reference.sqlite").path)
        try test.store.copy(to: reference)
        let report = try test.store.resolveIdentities(settings: settings, runID: 2)
        #expect(!report.full)
        _ = try StoreDatabase(path: reference).resolveIdentities(settings: settings, runID: 2, readEverything: true)
        #expect(try test.store.identityDifferences(from: reference) == IdentityDifferences(links: 0, golden: 0, matches: 0, reviews: 0, index: 0))
        let now = try persons(test)
        #expect(now["marketing:marketing-9"] == now["crm:crm-9"], "joined through its number")
        #expect(try test.string("SELECT personal_id FROM golden_person WHERE person_id = ?", [now["crm:crm-9"]!]) == number(9))
    }

    /// Neighbours are scored from their index profiles (accents, empty and absent fields as the contact rows hold
    /// them); only those that score are read in full.
    @Test func neighboursScoredFromTheirIndexProfilesDecideAsTheirContactRows() throws {
        let test = try TestStore(.file)
        try seed(test.store)
        try land(test.store, "crm", [contact(300, "crm", first: "José", last: "Núñez-Ångström"), contact(301, "crm", first: "", last: "Øre")])
        try land(test.store, "marketing", [contact(300, "marketing", email: false, first: "José", last: "Núñez-Ångström")])
        _ = try test.store.resolveIdentities(settings: settings, runID: 1)
        let before = try persons(test)
        #expect(before["marketing:marketing-300"] == before["crm:crm-300"])

        // A new phone on the marketing record: crm-300 is a neighbour, read from its profile, that must still match.
        try land(test.store, "marketing", [contact(300, "marketing", email: false, phone: "+1 415 555 8888", first: "Jose", last: "Nunez-Angstrom")])
        let reference = try #require(test.folder?.appendingPathComponent("reference.sqlite").path)
        try test.store.copy(to: reference)
        let report = try test.store.resolveIdentities(settings: settings, runID: 2)
        #expect(!report.full)
        #expect(report.recordsExamined < report.neighbours, "neighbours that do not score are not read in full")
        _ = try StoreDatabase(path: reference).resolveIdentities(settings: settings, runID: 2, readEverything: true)
        #expect(try test.store.identityDifferences(from: reference) == IdentityDifferences(links: 0, golden: 0, matches: 0, reviews: 0, index: 0))
        let after = try persons(test)
        #expect(after["marketing:marketing-300"] == after["crm:crm-300"], "still one person")
    }

    @Test func aRunInterruptedBeforeCommitLeavesTheIndexAsItWasAndARerunDecidesAsBefore() throws {
        let test = try TestStore(.file)
        try seed(test.store)
        _ = try test.store.resolveIdentities(settings: settings, runID: 1)
        try change(test.store)
        let untouched = try #require(test.folder?.appendingPathComponent("untouched.sqlite").path)
        try test.store.copy(to: untouched)

        // The write transaction fails at its golden records, after the persons, links and before the index.
        try test.store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TEMP TRIGGER interrupt BEFORE INSERT ON main.golden_person BEGIN SELECT RAISE(ABORT, 'interrupted'); END")
        }
        #expect(throws: (any Error).self) { try test.store.resolveIdentities(settings: settings, runID: 2) }
        #expect(try test.store.identityDifferences(from: untouched) == IdentityDifferences(links: 0, golden: 0, matches: 0, reviews: 0, index: 0))
        #expect(try test.store.pendingContactChanges().count > 0, "the changes still wait")

        try test.store.writer.writeWithoutTransaction { db in try db.execute(sql: "DROP TRIGGER temp.interrupt") }
        let rerun = try test.store.resolveIdentities(settings: settings, runID: 2)
        #expect(!rerun.full)
        _ = try StoreDatabase(path: untouched).resolveIdentities(settings: settings, runID: 2, readEverything: true)
        #expect(try test.store.identityDifferences(from: untouched) == IdentityDifferences(links: 0, golden: 0, matches: 0, reviews: 0, index: 0))
    }

    @Test func aStoreWithoutAnIndexResolvesEverythingOnceAndWritesIt() throws {
        let test = try TestStore(.file)
        try seed(test.store)
        _ = try test.store.resolveIdentities(settings: settings, runID: 1)
        // As a store from before the index (or whose index format changed).
        try test.store.writer.write { db in try db.execute(sql: "DELETE FROM identity_state WHERE key = 'index'") }
        try change(test.store)
        let report = try test.store.resolveIdentities(settings: settings, runID: 2)
        #expect(report.full)
        #expect(try test.string("SELECT value FROM identity_state WHERE key = 'index'") == IdentityIndex.formatFingerprint(configuration: settings.matching))
        try land(test.store, "crm", [contact(30, "crm", phone: "+1 646 555 0000")])
        let next = try test.store.resolveIdentities(settings: settings, runID: 3)
        #expect(!next.full)
        #expect(next.focusRecords == 1)
    }
}
