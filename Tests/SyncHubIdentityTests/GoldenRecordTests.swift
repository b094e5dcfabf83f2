import SyncHubCore
import SyncHubIdentity
import Testing

@Suite struct GoldenRecordTests {
    let systems = ["crm": "sales", "marketing": "marketing", "webinars": "marketing"]

    func record(
        _ connector: String, _ id: String, email: String? = nil, first: String? = nil, title: String? = nil, phone: String? = nil,
        updated: String?, deleted: Bool = false
    ) -> IdentityRecord {
        IdentityRecord(
            reference: RecordReference(connector: connector, externalID: id), emails: email.map { [$0] } ?? [], isDeleted: deleted,
            profile: PersonProfile(firstName: first, title: title, phone: phone, updatedAt: updated))
    }

    @Test func theDefaultsTakeIdentityFromSalesAndJobFromTheMostRecentRecord() {
        let records = [
            record("marketing", "m1", email: "jo@new-job.example", first: "Jo", title: "VP Marketing", updated: "2026-05-01T00:00:00Z"),
            record("crm", "c1", email: " Jo.Smith@Old-Job.example ", first: "Joanna", title: "Director", updated: "2025-01-01T00:00:00Z"),
        ]
        let golden = GoldenRecordBuilder(systems: systems).build(personID: "P1", records: records)
        #expect(golden[.email] == "jo.smith@old-job.example", "sales first, trimmed and lower-cased")
        #expect(golden.fields[.email]?.provenance.rule == "sourcePriority")
        #expect(golden.fields[.email]?.provenance.source.description == "crm:c1")
        #expect(golden[.firstName] == "Joanna")
        #expect(golden[.title] == "VP Marketing", "a job title follows the most recent record")
        #expect(golden.fields[.title]?.provenance == GoldenProvenance(
            source: RecordReference(connector: "marketing", externalID: "m1"), rule: "mostRecent", sourceUpdatedAt: "2026-05-01T00:00:00Z"))
        #expect(golden[.company] == nil, "no record has one")
    }

    @Test func aBlankNeverWinsUnlessTheFieldSaysSo() {
        let records = [
            record("crm", "c1", phone: "   ", updated: "2026-06-01T00:00:00Z"),
            record("marketing", "m1", phone: "+1 617 555 0100", updated: "2025-06-01T00:00:00Z"),
        ]
        let standard = GoldenRecordBuilder(systems: systems).build(personID: "P1", records: records)
        #expect(standard[.phone] == "+1 617 555 0100", "sales is blank: the next source's value")
        #expect(standard.fields[.phone]?.provenance.source.description == "marketing:m1")

        let rules = GoldenRules(rules: [.phone: GoldenRule(.mostRecent, overwriteWithBlank: true)])
        let clearing = GoldenRecordBuilder(rules: rules, systems: systems).build(personID: "P1", records: records)
        #expect(clearing[.phone] == nil, "the most recent record cleared it")
    }

    @Test func aValueEveryRecordLostIsKeptWhileItsRecordStaysLinked() {
        let before = [record("crm", "c1", title: "CFO", updated: "2025-01-01T00:00:00Z")]
        let builder = GoldenRecordBuilder(systems: systems)
        let previous = builder.build(personID: "P1", records: before)
        let cleared = [record("crm", "c1", title: nil, updated: "2026-01-01T00:00:00Z")]
        let kept = builder.build(personID: "P1", records: cleared, previous: previous)
        #expect(kept[.title] == "CFO")
        #expect(kept.fields[.title]?.provenance.rule == "kept")

        let elsewhere = [record("marketing", "m9", updated: "2026-01-01T00:00:00Z")]
        #expect(builder.build(personID: "P1", records: elsewhere, previous: previous)[.title] == nil,
                "the record that gave the value left the person: nothing to keep")
        let blankWins = GoldenRecordBuilder(rules: GoldenRules(rules: [.title: GoldenRule(.mostRecent, overwriteWithBlank: true)]), systems: systems)
        #expect(blankWins.build(personID: "P1", records: cleared, previous: previous)[.title] == nil)
    }

    @Test func sourcePriorityNamesConnectorsOrSystemsAndDeletedRecordsCountLast() {
        let records = [
            record("webinars", "w1", first: "Bobby", updated: "2026-01-01T00:00:00Z"),
            record("marketing", "m1", first: "Bob", updated: "2025-01-01T00:00:00Z"),
            record("crm", "c1", first: "Robert", updated: "2026-09-01T00:00:00Z", deleted: true),
        ]
        let rules = GoldenRules(rules: [.firstName: GoldenRule(.sourcePriority, sources: ["marketing"])])
        let golden = GoldenRecordBuilder(rules: rules, systems: systems).build(personID: "P1", records: records)
        #expect(golden[.firstName] == "Bobby", "both marketing connectors rank first; the more recent wins; the deleted record is out")
        let byConnector = GoldenRules(rules: [.firstName: GoldenRule(.sourcePriority, sources: ["marketing", "webinars"])])
        #expect(GoldenRecordBuilder(rules: byConnector, systems: ["marketing": "marketing"]).build(personID: "P1", records: records)[.firstName] == "Bob")
        let onlyDeleted = GoldenRecordBuilder(systems: systems).build(personID: "P2", records: [records[2]])
        #expect(onlyDeleted[.firstName] == "Robert", "a person with only deleted records still has a golden record")
    }

    @Test func ruleOrderIsDeterministicOnTies() {
        let records = [
            record("marketing", "b", first: "Bea", updated: nil),
            record("marketing", "a", first: "Ann", updated: nil),
        ]
        let golden = GoldenRecordBuilder(systems: systems).build(personID: "P1", records: records)
        let reversed = GoldenRecordBuilder(systems: systems).build(personID: "P1", records: records.reversed())
        #expect(golden == reversed)
        #expect(golden[.firstName] == "Ann")
    }

    // MARK: - Configuration

    func node(_ entries: [(String, SettingNode)], line: Int = 10) -> SettingNode {
        SettingNode(.map(entries.enumerated().map { offset, entry in
            (key: entry.0, keyLocation: SourceLocation(file: "connectors.yml", line: line + offset, column: 5), value: entry.1)
        }), location: SourceLocation(file: "connectors.yml", line: line, column: 5))
    }

    func scalar(_ text: String, line: Int) -> SettingNode {
        SettingNode(.scalar(text), location: SourceLocation(file: "connectors.yml", line: line, column: 12))
    }

    @Test func rulesReadFromTheYAMLShapes() throws {
        let golden = node([
            ("email", node([("sourcePriority", SettingNode(.list([scalar("marketing", line: 20), scalar("crm", line: 20)])))], line: 20)),
            ("title", scalar("mostRecent", line: 21)),
            ("phone", node([("rule", scalar("mostRecent", line: 22)), ("overwriteWithBlank", scalar("true", line: 23))], line: 22)),
        ])
        let rules = try GoldenRules(settings: Settings(node: golden, path: "identity.golden"), systems: systems)
        #expect(rules[.email] == GoldenRule(.sourcePriority, sources: ["marketing", "crm"]))
        #expect(rules[.title] == GoldenRule(.mostRecent))
        #expect(rules[.phone] == GoldenRule(.mostRecent, overwriteWithBlank: true))
        #expect(rules[.firstName] == GoldenRules.standard[.firstName], "fields not named keep their defaults")
    }

    @Test func mistakesNameTheLineAndSuggestTheKey() {
        let golden = node([
            ("emial", scalar("mostRecent", line: 30)),
            ("title", scalar("mostRecnt", line: 31)),
            ("phone", node([("sourcePriority", SettingNode(.list([scalar("crn", line: 32)])))], line: 32)),
        ], line: 30)
        #expect {
            try GoldenRules(settings: Settings(node: golden, path: "identity.golden"), systems: systems)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("connectors.yml:30:12: error: identity.golden.emial: unknown golden field; did you mean 'email'?")
                && text.contains("connectors.yml:31:12: error: identity.golden.title: `mostRecnt` is not a rule")
                && text.contains("did you mean 'mostRecent'?")
                && text.contains("connectors.yml:32:12: error: identity.golden.phone.sourcePriority: unknown source `crn`; did you mean 'crm'?")
        }
    }
}

extension GoldenRecordTests {
    @Test func mostRecentComparesInstantsWhateverTheSpelling() {
        let records = [
            record("marketing", "a", title: "Older", updated: "2026-01-01T10:00:00.500Z"),
            record("marketing", "b", title: "Newer", updated: "2026-01-01T10:00:01Z"),
            record("marketing", "c", title: "Oldest", updated: "12/31/2025 23:59"),
            record("marketing", "d", title: "Unknown", updated: nil),
        ]
        #expect(GoldenRecordBuilder(systems: systems).build(personID: "P1", records: records)[.title] == "Newer")
        #expect(GoldenRecordBuilder(systems: systems).build(personID: "P1", records: [records[2], records[3]])[.title] == "Oldest")
        #expect(GoldenRecordBuilder(systems: systems).build(personID: "P1", records: [records[0], records[2]])[.title] == "Older")
    }
}
