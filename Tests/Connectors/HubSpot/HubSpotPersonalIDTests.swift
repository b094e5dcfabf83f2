import Foundation
import SyncHubCore
import Testing

@testable import HubSpotConnector
@testable import SyncHubSandbox

/// `streams.contacts.personalIDProperty`: a custom contact property read into `Contact.personalID`.
@Suite struct HubSpotPersonalIDTests {
    static let property = "national_id"

    /// Creates the custom contact property, as an admin would in HubSpot's settings.
    func createProperty(_ api: HubSpotAPI) async throws {
        let definition: JSONValue = .object([
            ("name", .string(Self.property)), ("label", .string("National ID")), ("type", .string("string")),
            ("fieldType", .string("text")), ("groupName", .string("contactinformation")),
        ])
        _ = try await api.post("/crm/v3/properties/contacts", json: definition, stream: nil, scope: "crm.schemas.contacts.write")
    }

    /// Sets the property on contacts (id → value), as a user editing them would.
    func write(_ values: [(id: String, value: String)], api: HubSpotAPI) async throws {
        let inputs: [JSONValue] = values.map {
            .object([("id", .string($0.id)), ("properties", .object([(Self.property, .string($0.value))]))])
        }
        let reply = try await api.post(
            "/crm/v3/objects/contacts/batch/update", json: .object([("inputs", .array(inputs))]), stream: nil,
            scope: "crm.objects.contacts.write")
        #expect(reply.json["status"]?.text == "COMPLETE", "\(reply.json)")
    }

    /// Record id → normalized contact, of the live records a pull delivered.
    func contacts(_ pull: DrivenPull) -> [String: Contact] {
        var out: [String: Contact] = [:]
        for record in pull.records where !record.isDeleted { out[record.externalID] = record.contact }
        return out
    }

    @Test(.timeLimit(.minutes(10))) func personalIDIsReadFromTheConfiguredProperty() async throws {
        try await withSimulatedHubSpot(contacts: 200) { hubspot in
            var configuration = hubspot.configuration()
            configuration.streams = [.contacts]
            configuration.personalIDProperty = Self.property
            let source = try hubspot.source(configuration)
            try await createProperty(source.api)
            let ids = hubspot.simulator.contactIDsInModificationOrder()
            try #require(ids.count > 3)
            try await write([(ids[0], "123-45-6789")], api: source.api)

            // The full list pass.
            let full = try await drive(source, "contacts")
            #expect(full.stoppedBy == nil)
            let listed = contacts(full)
            #expect(listed[ids[0]]?.personalID == "123-45-6789")
            #expect(listed.count > 1 && listed.filter { $0.key != ids[0] }.values.allSatisfy { $0.personalID == nil })

            // An incremental pass (search) reads it too.
            hubspot.clock.advance(seconds: 60)
            try await write([(ids[1], "AB 1234567")], api: source.api)
            let incremental = try await drive(source, "contacts", from: full.checkpoint)
            #expect(contacts(incremental)[ids[1]]?.personalID == "AB 1234567")

            // Without the setting the property is neither requested nor mapped.
            var plain = hubspot.configuration()
            plain.streams = [.contacts]
            let unset = try await drive(try hubspot.source(plain), "contacts")
            #expect(contacts(unset)[ids[0]] != nil)
            #expect(contacts(unset).values.allSatisfy { $0.personalID == nil })
            #expect(unset.records.allSatisfy { $0.json["properties"]?[Self.property] == nil })
        }
    }
}
