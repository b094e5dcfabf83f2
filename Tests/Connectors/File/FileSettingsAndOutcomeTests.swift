import FileConnector
import Foundation
import SyncHubCore
import Testing

@Suite struct DealOutcomeTests {
    /// One deal row per case: the columns present decide which rule applies.
    struct Case: Sendable, CustomTestStringConvertible {
        var header: String
        var row: String
        var settings: [String: [String]] = [:]
        var preset = "none"
        var expected: DealOutcome
        var testDescription: String { "\(header) / \(row) → \(expected)" }
    }

    static let cases: [Case] = [
        // The outcome column wins over everything.
        Case(header: "id,outcome,isWon,isClosed,stage", row: "d,Lost,true,true,closedwon", expected: .lost),
        Case(header: "id,outcome,stage", row: "d,won,open", expected: .won),
        // Then isClosed/isWon.
        Case(header: "id,isWon,isClosed,stage", row: "d,1,1,whatever", expected: .won),
        Case(header: "id,isWon,isClosed,stage", row: "d,no,yes,closedwon", expected: .lost),
        Case(header: "id,isWon,isClosed,stage", row: "d,false,false,closedwon", expected: .open),
        Case(header: "id,isWon,stage", row: "d,true,other", expected: .won),
        // Then the configured stages, case-insensitively.
        Case(header: "id,stage", row: "d,Signed", settings: ["wonStages": ["signed", "paid"], "lostStages": ["gone"]], expected: .won),
        Case(header: "id,stage", row: "d,GONE", settings: ["wonStages": ["signed"], "lostStages": ["gone"]], expected: .lost),
        // Configured stages replace the preset's.
        Case(header: "id,stage", row: "d,closedwon", settings: ["wonStages": ["signed"]], expected: .open),
        // Then the preset's stage values.
        Case(header: "Record ID,Deal Stage", row: "d,closedlost", preset: "hubspot", expected: .lost),
        Case(header: "Record ID,Deal Stage", row: "d,Closed Won", preset: "hubspot", expected: .won),
        Case(header: "Id,StageName", row: "d,Closed Lost", preset: "salesforce", expected: .lost),
        // Else open.
        Case(header: "id,stage", row: "d,negotiation", expected: .open),
        Case(header: "id", row: "d", expected: .open),
    ]

    @Test(arguments: cases)
    func dealOutcomeRules(_ example: Case) async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("\(example.header)\n\(example.row)\n", to: "deals.csv")
        var settings: KeyValuePairs<String, Any> = ["path": "deals.csv", "preset": example.preset]
        if !example.settings.isEmpty {
            let won: [Any] = example.settings["wonStages"] ?? []
            let lost: [Any] = example.settings["lostStages"] ?? []
            settings = ["path": "deals.csv", "preset": example.preset, "wonStages": won, "lostStages": lost]
        }
        let source = try source("deals", settings, name: "crm", base: folder.url)
        let batches = try await pullAll(source, stream: "deals")
        #expect(batches.rejected.isEmpty)
        #expect(batches.records.first?.deal?.outcome == example.expected)
    }

    @Test func unknownOutcomeValueIsRejected() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("id,outcome\nd1,maybe\nd2,open\n", to: "deals.csv")
        let batches = try await pullAll(try source("deals", ["path": "deals.csv"], base: folder.url), stream: "deals")
        #expect(batches.ids == ["d2"])
        #expect(batches.rejected.first?.reason == "the `outcome` column should be open, won or lost; fix it in the source")
    }
}

@Suite struct FileSettingsTests {
    let base = URL(fileURLWithPath: "/tmp")

    func configurationError(_ settings: KeyValuePairs<String, Any>) -> ConfigurationError? {
        #expect(throws: ConfigurationError.self) { _ = try makeConnector(settings, base: base) }
    }

    @Test func unknownPresetSuggestsTheClosestOne() {
        let error = configurationError(["streams": ["contacts": ["path": "c.csv", "preset": "hubsopt"]] as KeyValuePairs<String, Any>])
        #expect(error?.keyPath == "connectors.marketing.streams.contacts.preset")
        #expect(error?.message == "`hubsopt` is not a preset; did you mean `hubspot`? Presets: hubspot, salesforce, marketo, none")
    }

    @Test func typoInACanonicalColumnNameSuggestsTheRightOne() {
        let error = configurationError(
            ["streams": ["contacts": ["path": "c.csv", "columns": ["fristName": "First"]] as KeyValuePairs<String, Any>] as KeyValuePairs<String, Any>])
        #expect(error?.keyPath == "connectors.marketing.streams.contacts.columns.fristName")
        #expect(error?.message.hasPrefix("`fristName` is not a field of contacts (contact); did you mean `firstName`?") == true)
    }

    @Test func fieldOfAnotherObjectTypeIsRefused() {
        let error = configurationError(["streams": ["accounts": ["path": "a.csv", "columns": ["email": "Email"]]] as KeyValuePairs<String, Any>])
        #expect(error?.message.hasPrefix("`email` is not a field of accounts (account)") == true)
        #expect(error?.message.contains("Fields: id, name, domain") == true)
    }

    @Test func wrongFormatsAreRefused() {
        let unknownFormat = configurationError(["streams": ["contacts": ["path": "c.csv", "format": "xlsx"]] as KeyValuePairs<String, Any>])
        #expect(unknownFormat?.keyPath == "connectors.marketing.streams.contacts.format")
        #expect(unknownFormat?.message == "`xlsx` is not a file format; use csv or jsonl")

        let noExtension = configurationError(["streams": ["contacts": ["path": "contacts.txt"]] as KeyValuePairs<String, Any>])
        #expect(noExtension?.keyPath == "connectors.marketing.streams.contacts.path")
        #expect(noExtension?.message.contains("add `format: csv` or `format: jsonl`") == true)

        let badBatch = configurationError(["streams": ["contacts": ["path": "c.csv", "batchSize": "lots"]] as KeyValuePairs<String, Any>])
        #expect(badBatch?.keyPath == "connectors.marketing.streams.contacts.batchSize")

        let badDelimiter = configurationError(["streams": ["contacts": ["path": "c.csv", "delimiter": ";;"]] as KeyValuePairs<String, Any>])
        #expect(badDelimiter?.keyPath == "connectors.marketing.streams.contacts.delimiter")

        let feedback = configurationError(["feedback": ["path": "out/feedback.txt"]])
        #expect(feedback?.keyPath == "connectors.marketing.feedback.path")
    }

    @Test func unknownStreamNameNeedsAnObjectType() throws {
        let error = configurationError(["streams": ["contcts": ["path": "c.csv"]] as KeyValuePairs<String, Any>])
        #expect(error?.keyPath == "connectors.marketing.streams.contcts")
        #expect(error?.message.contains("did you mean `contacts`?") == true)

        let instance = try makeConnector(
            ["streams": ["webinar_attendance": ["path": "w.jsonl", "objectType": "touch"]] as KeyValuePairs<String, Any>], base: base)
        #expect(instance.source != nil)
    }

    @Test func misplacedAndUnknownStreamSettingsAreRefused() {
        let sameAs = configurationError(["streams": ["deals": ["path": "d.csv", "sameAs": ["crm": "X"]]] as KeyValuePairs<String, Any>])
        #expect(sameAs?.message == "`sameAs` applies only to contact streams; remove it")
        let stages = configurationError(["streams": ["contacts": ["path": "c.csv", "wonStages": ["won"]]] as KeyValuePairs<String, Any>])
        #expect(stages?.message == "`wonStages` applies only to deal streams; remove it")
        let unknown = configurationError(["streams": ["contacts": ["path": "c.csv", "colums": ["email": "E"]]] as KeyValuePairs<String, Any>])
        #expect(unknown?.keyPath == "connectors.marketing.streams.contacts.colums")
        #expect(unknown?.message.contains("did you mean `columns`?") == true)
        let missingPath = configurationError(["streams": ["contacts": ["preset": "hubspot"]] as KeyValuePairs<String, Any>])
        #expect(missingPath?.keyPath == "connectors.marketing.streams.contacts.path")
        let nothing = configurationError(["system": "marketing"])
        #expect(nothing?.message.contains("needs `streams:` to read or `feedback:` to write") == true)
        let system = configurationError(["system": "finance", "feedback": ["path": "f.jsonl"]])
        #expect(system?.keyPath == "connectors.marketing.system")
    }

    @Test func declaredSettingsCoverEveryKeyTheConnectorReads() {
        let keys = Set(FileConnector.settings.map(\.key))
        for key in ["system", "streams.*.path", "streams.*.format", "streams.*.objectType", "streams.*.preset",
                    "streams.*.columns", "streams.*.sameAs", "streams.*.delimiter", "streams.*.batchSize",
                    "streams.*.wonStages", "streams.*.lostStages", "feedback.path"] {
            #expect(keys.contains(key), "\(key)")
        }
        #expect(FileConnector.typeName == "file")
        #expect(FileConnector.settings.first { $0.key == "streams.*.path" }?.isRequired == true)
        #expect(FileConnector.settings.first { $0.key == "streams.*.preset" }?.allowed == ["hubspot", "salesforce", "marketo", "none"])
    }
}
