import FileConnector
import Foundation
import SyncHubCore
import Testing

@Suite struct FileSourceReadingTests {
    /// A CSV of `count` contacts with ids `c1`... in file order.
    static func contactsCSV(count: Int) -> String {
        var text = "id,email,firstName,updatedAt\n"
        for index in 1...count {
            text += "c\(index),person\(index)@example.com,Name \(index),2024-01-\(String(format: "%02d", index % 28 + 1))T00:00:00Z\n"
        }
        return text
    }

    @Test func fullReadInPagesEqualsTheFile() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write(Self.contactsCSV(count: 23), to: "contacts.csv")
        let source = try source("contacts", ["path": "contacts.csv", "batchSize": 5], base: folder.url)

        let batches = try await pullAll(source, stream: "contacts")

        #expect(batches.map(\.records.count) == [5, 5, 5, 5, 3])
        #expect(batches.ids == (1...23).map { "c\($0)" })
        #expect(batches.rejected.isEmpty)
        #expect(batches.map(\.startsSnapshot) == [true, false, false, false, false])
        #expect(batches.map(\.completesSnapshot) == [false, false, false, false, true])
        #expect(batches.allSatisfy { $0.checkpoint != nil })
        let first = try #require(batches.records.first)
        #expect(first.payloadText == #"{"id":"c1","email":"person1@example.com","firstName":"Name 1","updatedAt":"2024-01-02T00:00:00Z"}"#)
        #expect(first.location == "contacts.csv:2")
        #expect(first.sourceUpdatedAt == "2024-01-02T00:00:00Z")
        #expect(first.contact?.email == "person1@example.com")
        #expect(batches.records.last?.location == "contacts.csv:24")
    }

    /// A personal number is read from `personalID` / `personal_id`, or from the names files commonly give national
    /// numbers (`ssn`, `soc_sec_id`...), or from the column `columns:` names.
    @Test func personalNumbersAreReadUnderTheirUsualNames() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("id,email,soc_sec_id\nc1,a@example.com,523-45-6789\nc2,b@example.com,\n", to: "febrl.csv")
        try folder.write("id,email,personal_id,member_no\nc1,a@example.com,P-77,M-123456\n", to: "members.csv")
        let febrl = try await pullAll(try source("contacts", ["path": "febrl.csv"], base: folder.url), stream: "contacts")
        #expect(febrl.records.compactMap(\.contact).map(\.personalID) == ["523-45-6789", nil])
        let members = try await pullAll(try source("contacts", ["path": "members.csv"], base: folder.url), stream: "contacts")
        #expect(members.records.compactMap(\.contact).map(\.personalID) == ["P-77"])
        let mapped = try await pullAll(
            try source("contacts", ["path": "members.csv", "columns": ["personalID": "member_no"]], base: folder.url), stream: "contacts")
        #expect(mapped.records.compactMap(\.contact).map(\.personalID) == ["M-123456"])
        // `null` leaves the field unread.
        let unread = try await pullAll(try source("contacts", ["path": "febrl.csv", "columns": ["personalID": NSNull()]], base: folder.url), stream: "contacts")
        #expect(unread.records.compactMap(\.contact).map(\.personalID) == [nil, nil])
        #expect(unread.rejected.isEmpty)
    }

    @Test func streamsDescribeSnapshotsFollowingTheByteOffset() async throws {
        let instance = try makeConnector(
            ["streams": ["leads": ["path": "a.csv"], "touches": ["path": "b.jsonl"]] as KeyValuePairs<String, Any>],
            base: URL(fileURLWithPath: "/nonexistent"))
        let streams = try await #require(instance.source).streams()
        #expect(streams.map(\.name) == ["leads", "touches"])
        #expect(streams.map(\.objectType) == [.contact, .touch])
        #expect(streams.allSatisfy { $0.cursorField == "offset" && $0.isSorted && $0.isSnapshot })
        #expect(instance.feedback == nil)
    }

    @Test func quotedFieldsWithDelimitersQuotesAndLineBreaks() async throws {
        let source = try source("contacts", ["path": "quoted.csv"], base: try fixturesFolder())
        let batches = try await pullAll(source, stream: "contacts")

        #expect(batches.rejected.isEmpty)
        #expect(batches.ids == ["1", "2", "3"])
        #expect(batches.records.map(\.location) == ["quoted.csv:2", "quoted.csv:3", "quoted.csv:7"])
        let contacts = batches.records.compactMap(\.contact)
        #expect(contacts.map(\.company) == ["Acme, Inc.", "Multi\r\nline\nco", "Plain"])
        #expect(contacts.map(\.title) == [#"Says "hi""#, "CEO", "x,y"])
        // The byte order mark is not part of the first header.
        #expect(batches.records[0].payloadText.hasPrefix(#"{"id":"1","#))
    }

    @Test func hubspotPresetMapsItsHeaders() async throws {
        let source = try source(
            "contacts", ["path": "hubspot_contacts.csv", "preset": "hubspot", "sameAs": ["crm": "Salesforce Contact ID"]],
            base: try fixturesFolder())
        let records = try await pullAll(source, stream: "contacts").records

        #expect(records.map(\.externalID) == ["101", "102"])
        let ada = try #require(records[0].contact)
        #expect(ada.kind == "contact")
        #expect(ada.firstName == "Ada")
        #expect(ada.lastName == "Lovelace")
        #expect(ada.email == "ada@example.com")
        #expect(ada.additionalEmails == ["ada.l@example.org", "ada@analytical.example"])
        #expect(ada.company == "Analytical Engines")
        #expect(ada.title == "CTO")
        #expect(ada.phone == "+44 20 7946 0000")
        #expect(ada.website == "https://analytical.example")
        #expect(ada.street == "12 St James's Square, Flat 2")
        #expect(ada.city == "London")
        #expect(ada.state == nil)
        #expect(ada.postalCode == "SW1Y 4JH")
        #expect(ada.country == "United Kingdom")
        #expect(ada.owner == "Owner One")
        #expect(ada.lifecycleStage == "customer")
        #expect(ada.leadStatus == "CONNECTED")
        #expect(ada.createdAt == "2024-01-15T10:23:00Z")
        #expect(ada.birthDate == "1815-12-10")
        #expect(ada.accountID == "9001")
        #expect(ada.sameAs == [RecordReference(connector: "crm", objectType: .contact, externalID: "003A000001")])
        #expect(records[0].sourceUpdatedAt == "2024-03-01T08:00:00Z")
        let grace = try #require(records[1].contact)
        #expect(grace.email == "grace@example.com")
        #expect(grace.title == "Rear Admiral, retired")
        #expect(grace.createdAt == "2024-01-20T00:00:00Z")
        #expect(grace.sameAs.isEmpty)
        #expect(records[1].sourceUpdatedAt == "2024-03-02T09:30:00Z")
    }

    @Test func hubspotDealsTakeTheirOutcomeFromStageValues() async throws {
        let source = try source("deals", ["path": "hubspot_deals.csv", "preset": "hubspot"], base: try fixturesFolder())
        let deals = try await pullAll(source, stream: "deals").records.compactMap(\.deal)
        #expect(deals.map(\.outcome) == [.won, .lost, .open])
        #expect(deals[0].amount == 1000.5)
        #expect(deals[0].currency == "EUR")
        #expect(deals[0].closeDate == "2024-03-01")
        #expect(deals[1].closeDate == "2024-03-15")
        #expect(deals[1].lossReason == "Budget")
        #expect(deals[2].amount == nil)
        #expect(deals.map(\.stage) == ["closedwon", "Closed Lost", "appointmentscheduled"])
    }

    @Test func salesforcePresetMapsLeadsOpportunitiesAndContactRoles() async throws {
        let instance = try makeConnector(
            ["streams": [
                "leads": ["path": "salesforce_leads.csv", "preset": "salesforce"],
                "deals": ["path": "salesforce_opportunities.csv", "preset": "salesforce"],
                "deal_contacts": ["path": "salesforce_opportunity_contact_roles.csv", "preset": "salesforce"],
            ] as KeyValuePairs<String, Any>],
            name: "crm", base: try fixturesFolder())
        let source = try #require(instance.source)

        let leads = try await pullAll(source, stream: "leads").records
        #expect(leads.map(\.externalID) == ["00Q000000000001", "00Q000000000002"])
        let alan = try #require(leads[0].contact)
        #expect(alan.kind == "lead")
        #expect(alan.company == "Bletchley")
        #expect(alan.phone == "+44 1908 640404")
        #expect(alan.street == "The Park")
        #expect(alan.city == "Milton Keynes")
        #expect(alan.postalCode == "MK3 6EB")
        #expect(alan.lifecycleStage == "Qualified")
        #expect(alan.leadStatus == "Qualified")
        #expect(alan.owner == "005000000000001")
        #expect(alan.createdAt == "2024-02-01T10:00:00Z")
        #expect(alan.sameAs == [RecordReference(connector: "crm", objectType: .contact, externalID: "003000000000009")])
        #expect(leads[0].sourceUpdatedAt == "2024-02-05T11:00:00Z")
        #expect(leads[0].isDeleted == false)
        #expect(leads[1].isDeleted)
        #expect(leads[1].mergedInto == "00Q000000000001")
        #expect(leads[1].sourceUpdatedAt == "2024-02-06T09:00:00Z")

        let deals = try await pullAll(source, stream: "deals").records
        let outcomes = deals.compactMap(\.deal).map(\.outcome)
        // IsWon/IsClosed win over the stage name: the third deal's stage says won but it is not closed.
        #expect(outcomes == [.won, .lost, .open])
        #expect(deals.compactMap(\.deal).map(\.amount) == [12500, 3000, 7000])
        #expect(deals[0].deal?.currency == "USD")
        #expect(deals[0].deal?.accountID == "001000000000001")
        #expect(deals[1].deal?.lossReason == "Price")

        let links = try await pullAll(source, stream: "deal_contacts").records
        #expect(links.map(\.externalID) == ["00K000000000001", "006000000000002:003000000000010"])
        #expect(links[0].dealContact == DealContactLink(dealID: "006000000000001", contactID: "003000000000009", role: "Decision Maker", isPrimary: true))
        #expect(links[1].dealContact?.isPrimary == false)
        #expect(links.allSatisfy { $0.objectType == .dealContact })
    }

    @Test func marketoPresetMapsLeadsAndActivities() async throws {
        let instance = try makeConnector(
            ["streams": [
                "contacts": ["path": "marketo_leads.csv", "preset": "marketo"],
                "touches": ["path": "marketo_activities.csv", "preset": "marketo"],
            ] as KeyValuePairs<String, Any>],
            base: try fixturesFolder())
        let source = try #require(instance.source)
        let leads = try await pullAll(source, stream: "contacts").records
        let hedy = try #require(leads.first?.contact)
        #expect(leads.map(\.externalID) == ["5001"])
        #expect(hedy.email == "hedy@example.com")
        #expect(hedy.company == "Films Inc")
        #expect(hedy.street == "1 Main St")
        #expect(hedy.leadStatus == "Nurture")
        #expect(hedy.owner == "Owner M")
        #expect(leads[0].sourceUpdatedAt == "2024-02-05T08:00:00Z")

        let touches = try await pullAll(source, stream: "touches").records
        #expect(touches.map(\.externalID) == ["77001", "77002"])
        #expect(touches.compactMap(\.touch) == [
            { var t = Touch(); t.contactID = "5001"; t.type = "Email Clicked"; t.occurredAt = "2024-02-01T12:00:00Z"; t.campaignID = "3001"; return t }(),
            { var t = Touch(); t.contactID = "5001"; t.type = "Fill Out Form"; t.occurredAt = "2024-02-03T09:15:00Z"; t.campaignID = "3002"; return t }(),
        ])
    }

    /// Merges made in the source: a Marketo Merge Leads activity (its `Merge IDs` merged into its `Lead ID`) and a
    /// survivor's merged ids (HubSpot's `hs_merged_object_ids`) become deletion marks pointing at the survivor.
    @Test func mergesInTheSourceBecomeMarksPointingAtTheSurvivor() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("""
            Activity ID,Lead ID,Activity Type,Activity Date,Campaign ID,Merge IDs
            77003,5002,Email Clicked,2024-02-01T12:00:00Z,3001,
            77004,5001,Merge Leads,2024-03-01T10:00:00Z,,"[5002, 5003]"
            77005,,Merge Leads,2024-03-02T10:00:00Z,,[5009]

            """, to: "activities.csv")
        try folder.write("id,email,mergedIDs\nc1,a@example.com,c7;c8\nc2,b@example.com,\n", to: "contacts.csv")
        let instance = try makeConnector(
            ["streams": [
                "touches": ["path": "activities.csv", "preset": "marketo"],
                "contacts": ["path": "contacts.csv"],
            ] as KeyValuePairs<String, Any>],
            base: folder.url)
        let source = try #require(instance.source)

        let activities = try await pullAll(source, stream: "touches")
        #expect(activities.records.map(\.externalID) == ["77003", "5002", "5003"])
        #expect(activities.records.map(\.objectType) == [.touch, .contact, .contact])
        let marks = activities.records.dropFirst()
        #expect(marks.allSatisfy { $0.isDeleted && $0.mergedInto == "5001" && $0.normalized == nil })
        #expect(marks.allSatisfy { $0.sourceUpdatedAt == "2024-03-01T10:00:00Z" })
        // A merge without its survivor is quarantined, naming the column.
        #expect(activities.rejected.count == 1)
        #expect(activities.rejected.first?.reason.contains("Lead ID") == true)

        let contacts = try await pullAll(source, stream: "contacts").records
        #expect(contacts.map(\.externalID) == ["c1", "c7", "c8", "c2"])
        #expect(contacts[0].contact?.email == "a@example.com")
        #expect(contacts[1...2].allSatisfy { $0.isDeleted && $0.mergedInto == "c1" })
    }

    @Test func malformedRowsAreQuarantinedWithTheirLineAndTheRestLoads() async throws {
        let source = try source("contacts", ["path": "malformed.csv", "batchSize": 2], base: try fixturesFolder())
        let batches = try await pullAll(source, stream: "contacts")

        #expect(batches.ids == ["1", "4", "7"])
        #expect(batches.records.compactMap(\.contact).map(\.firstName) == ["One", "Four, the fourth", "Seven"])
        let rejected = batches.rejected
        #expect(rejected.map(\.location) == ["malformed.csv:3", "malformed.csv:4", "malformed.csv:6", "malformed.csv:7"])
        #expect(rejected[0].reason == "row has 5 fields but the header has 4; check quoting on this line")
        #expect(rejected[0].payload == Array("2,two@example.com,Two,2024-01-02,extra".utf8))
        #expect(rejected[1].reason.contains("`email` column does not hold a valid email address"))
        #expect(rejected[2].reason.contains("row has no id in column `id`"))
        #expect(rejected[3].reason.contains("`createdAt` column holds a date that cannot be read"))
        // Reasons never carry the values themselves; payloads keep them for replay.
        #expect(!rejected.contains { $0.reason.contains("not-an-email") || $0.reason.contains("yesterday") })
        #expect(String(decoding: rejected[1].payload, as: UTF8.self).contains("not-an-email"))
        #expect(batches.last?.completesSnapshot == true)
    }

    @Test(arguments: [
        ("plain", true), ("no-at.example.com", false), ("two@@example.com", false), ("a@b@example.com", false),
        ("@example.com", false), ("local@", false), ("with space@example.com", false), ("x@localhost", false),
        ("x@.example.com", false), ("x@example.", false), ("first.last+tag@sub.example.co.uk", true),
    ])
    func emailValidation(email: String, isValid: Bool) async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let value = email == "plain" ? "someone@example.com" : email
        try folder.write("id,Work Email\n1,\"\(value)\"\n", to: "contacts.csv")
        let source = try source("contacts", ["path": "contacts.csv", "columns": ["email": "Work Email"]], base: folder.url)
        let batches = try await pullAll(source, stream: "contacts")
        if isValid {
            #expect(batches.records.first?.contact?.email == value)
            #expect(batches.rejected.isEmpty)
        } else {
            #expect(batches.records.isEmpty)
            let reason = try #require(batches.rejected.first?.reason)
            #expect(reason == "the `Work Email` column does not hold a valid email address; fix or clear it in the source")
        }
    }

    @Test func nonNumericAmountsAndBadBooleansAreRejected() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write(
            """
            id,amount,isWon,closeDate
            d1,"1,234.50",yes,2024-02-30
            d2,lots,no,
            d3,12,maybe,
            d4,(300),0,2024-02-01
            d5,USD 99,1,2024-13-01

            """, to: "deals.csv")
        let source = try source("deals", ["path": "deals.csv"], base: folder.url)
        let batches = try await pullAll(source, stream: "deals")
        #expect(batches.ids == ["d1", "d4"])
        #expect(batches.records.compactMap(\.deal).map(\.amount) == [1234.5, -300])
        #expect(batches.rejected.map(\.location) == ["deals.csv:3", "deals.csv:4", "deals.csv:6"])
        #expect(batches.rejected[0].reason.hasPrefix("the `amount` column is not a number"))
        #expect(batches.rejected[1].reason.hasPrefix("the `isWon` column should be true or false"))
        #expect(batches.rejected[2].reason.hasPrefix("the `closeDate` column holds a date that cannot be read"))
    }

    @Test func jsonlLinesAreParsedAndBadLinesQuarantined() async throws {
        let source = try source(
            "touches",
            ["path": "touches.jsonl", "columns": ["contactID": "contact_id", "campaignID": "campaign_id", "occurredAt": "occurred_at"]],
            base: try fixturesFolder())
        let batches = try await pullAll(source, stream: "touches")

        #expect(batches.ids == ["t1", "t3"])
        #expect(batches.records.map(\.location) == ["touches.jsonl:1", "touches.jsonl:6"])
        let first = try #require(batches.records.first)
        #expect(first.payloadText == #"{"id":"t1","contact_id":"c1","campaign_id":"k1","type":"email_open","occurred_at":"2024-05-01T10:00:00Z"}"#)
        #expect(first.touch?.contactID == "c1")
        #expect(first.touch?.campaignID == "k1")
        #expect(first.touch?.type == "email_open")
        #expect(first.touch?.occurredAt == "2024-05-01T10:00:00Z")
        #expect(batches.records[1].isDeleted)
        #expect(batches.records[1].touch?.occurredAt == "2024-05-01T10:00:00Z")
        #expect(batches.rejected.map(\.location) == ["touches.jsonl:2", "touches.jsonl:3", "touches.jsonl:5"])
        #expect(batches.rejected[0].reason.hasPrefix("line is not valid JSON"))
        #expect(batches.rejected[0].payload == Array("not json at all".utf8))
        #expect(batches.rejected[1].reason.hasPrefix("line holds a JSON value that is not an object"))
        #expect(batches.rejected[2].reason.contains("`email` column does not hold a valid email address"))
    }

    @Test func jsonlListsAndSnakeCaseNamesNeedNoMapping() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write(
            #"{"id":7,"email":"a@example.com","additional_emails":["b@example.com","c@example.org"],"first_name":"  Al  ","postal_code":"","converted_contact_id":"c9"}"# + "\n",
            to: "leads.jsonl")
        let source = try source("leads", ["path": "leads.jsonl"], name: "crm", base: folder.url)
        let record = try #require(try await pullAll(source, stream: "leads").records.first)
        #expect(record.externalID == "7")
        let contact = try #require(record.contact)
        #expect(contact.kind == "lead")
        #expect(contact.additionalEmails == ["b@example.com", "c@example.org"])
        #expect(contact.firstName == "Al")
        #expect(contact.postalCode == nil)
        #expect(contact.sameAs == [RecordReference(connector: "crm", objectType: .contact, externalID: "c9")])
    }

    @Test func missingFileIsNotFoundNamingThePathAndKey() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let source = try source("contacts", ["path": "exports/contacts.csv"], base: folder.url)

        let checkError = await #expect(throws: ConnectorError.self) { try await source.check() }
        #expect(checkError?.code == .notFound)
        #expect(checkError?.message.contains("`exports/contacts.csv` (connectors.marketing.streams.contacts.path) does not exist") == true)

        let pullError = await #expect(throws: ConnectorError.self) { _ = try await pullAll(source, stream: "contacts") }
        #expect(pullError?.code == .notFound)
        #expect(pullError?.stream == "contacts")
        #expect(pullError?.message.contains("connectors.marketing.streams.contacts.path") == true)
    }

    @Test func checkNamesMissingHeadersAndSuggestsCloseOnes() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("Record Id,Email,First name\n1,a@example.com,A\n", to: "contacts.csv")
        let source = try source(
            "contacts", ["path": "contacts.csv", "preset": "hubspot", "columns": ["firstName": "Given Name"]], base: folder.url)

        let error = await #expect(throws: ConnectorError.self) { try await source.check() }
        #expect(error?.code == .invalidConfiguration)
        let message = error?.message ?? ""
        #expect(message.contains("no column `Record ID` for `id`"))
        #expect(message.contains("did you mean `Record Id`?"))
        #expect(message.contains("no column `Given Name` for `firstName` (connectors.marketing.streams.contacts.columns.firstName)"))

        // Pulling fails the same way rather than rejecting every row.
        let pullError = await #expect(throws: ConnectorError.self) { _ = try await pullAll(source, stream: "contacts") }
        #expect(pullError?.message.contains("no column `Record ID` for `id`") == true)

        try folder.write("Record ID,Email,Given Name\n1,a@example.com,A\n", to: "contacts.csv")
        try await source.check()
    }
}
