import Foundation
@testable import SalesforceConnector
import SyncHubCore
import SyncHubHTTP
import SyncHubSandbox
import Testing

/// `personalIDField`: a custom field on Lead and Contact read into `Contact.personalID`.
@Suite(.timeLimit(.minutes(10)))
struct SalesforcePersonalIDTests {
    /// The simulated org has no personal-id field; a custom text field present on both Lead and Contact stands in.
    static let field = "SyncHub_Lifecycle_Stage__c"

    /// Sets `field` on records as a user editing them would (sObject Collections `PATCH`).
    func write(_ values: [(object: String, id: String, value: String)], api: SalesforceAPI) async throws {
        let records: [JSONValue] = values.map {
            .object([("attributes", .object([("type", .string($0.object))])), ("id", .string($0.id)), (Self.field, .string($0.value))])
        }
        let body = JSONValue.object([("allOrNone", .bool(true)), ("records", .array(records))])
        let response = try await api.patch("\(api.dataPath)/composite/sobjects", json: body, stream: nil)
        guard case .array(let results) = try response.json() else {
            Issue.record("sObject Collections answered without a list of results")
            return
        }
        #expect(results.count == values.count && results.allSatisfy { $0["success"] == .bool(true) }, "\(results)")
    }

    /// Record id → normalized contact, for a stream read to its end.
    func pulled(_ source: SalesforceSource, _ stream: SalesforceStream) async throws -> [String: Contact] {
        var out: [String: Contact] = [:]
        for record in try await readAll(source, stream).records {
            guard case .contact(let contact) = record.normalized else { continue }
            out[record.externalID] = contact
        }
        return out
    }

    @Test func personalIDIsReadFromTheConfiguredFieldOfLeadsAndContacts() async throws {
        let simulator = SalesforceSimulator(seed: 41, people: 200)
        try await withSimulator(simulator) { base in
            let plain = configuration(base, streams: [.leads, .contacts])
            var withField = plain
            withField.personalIDField = Self.field
            let api = makeAPI(withField)
            let contactID = try #require(simulator.ids("Contact").first)
            let leadID = try await unconvertedLead(api)
            try await write([("Contact", contactID, "123-45-6789"), ("Lead", leadID, "AB 1234567")], api: api)

            let source = makeSource(withField)
            let contacts = try await pulled(source, .contacts)
            let leads = try await pulled(source, .leads)
            #expect(contacts[contactID]?.personalID == "123-45-6789")
            #expect(leads[leadID]?.personalID == "AB 1234567")
            // Records whose field is empty carry none.
            #expect(contacts.count > 1 && contacts.filter { $0.key != contactID }.values.allSatisfy { $0.personalID == nil })
            #expect(leads.count > 1 && leads.filter { $0.key != leadID }.values.allSatisfy { $0.personalID == nil })

            // Without the setting the field is neither selected nor mapped.
            #expect(!SalesforceStream.contacts.fields(plain).contains(Self.field))
            let unset = makeSource(plain)
            let plainRecords = try await readAll(unset, .contacts).records
            #expect(plainRecords.allSatisfy { $0.json[Self.field] == nil })
            #expect(try await pulled(unset, .contacts)[contactID]?.personalID == nil)
            #expect(try await pulled(unset, .leads)[leadID]?.personalID == nil)
        }
    }

    @Test func personalIDFieldIsSelectedForLeadsAndContactsOnly() {
        var settings = configuration(URL(string: "https://login.salesforce.com")!)
        settings.personalIDField = "National_ID__c"
        settings.extraFields = ["Contact": ["national_id__c", "Department"]]
        #expect(SalesforceStream.leads.fields(settings).last == "National_ID__c")
        // Once, however the extra fields spell it (Salesforce names are case-insensitive).
        #expect(SalesforceStream.contacts.fields(settings).suffix(2) == ["National_ID__c", "Department"])
        for stream in SalesforceStream.allCases where stream != .leads && stream != .contacts {
            #expect(!stream.fields(settings).contains("National_ID__c"), "\(stream)")
        }
    }

    @Test func checkNamesAMissingPersonalIDField() async throws {
        let simulator = SalesforceSimulator(seed: 42, people: 100)
        try await withSimulator(simulator) { base in
            for stream in [SalesforceStream.leads, .contacts] {
                var settings = configuration(base, streams: [stream])
                settings.personalIDField = "National_ID__c"
                let error = await #expect(throws: ConnectorError.self) { try await makeSource(settings).check() }
                #expect(error?.code == .invalidConfiguration)
                #expect(error?.message.contains("connectors.crm.personalIDField") == true, "\(error?.message ?? "")")
                #expect(error?.message.contains("connectors.crm.lossReasonField") == false)
            }
        }
    }
}
