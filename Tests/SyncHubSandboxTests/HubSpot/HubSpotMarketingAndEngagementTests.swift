import Foundation
import HTTPTypes
import HummingbirdTesting
import SyncHubCore
import Synchronization
import Testing

@testable import SyncHubSandbox

/// Forms, marketing events and engagement objects in HubSpot's wire formats.
@Suite struct HubSpotMarketingAndEngagementTests {
    let clock = HubSpotTestClock()

    @Test func formsListAndSubmissionsPageWithAfter() async throws {
        let simulator = HubSpotSimulator(seed: 41, contacts: 900, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            // The official clients' spelling, with the trailing slash.
            let forms = try await client.hubSpot(.get, "/marketing/v3/forms/?limit=2")
            #expect(forms.status == 200)
            let first = forms.json["results"]!.hubSpotArray
            #expect(first.count == 2)
            #expect(first.allSatisfy { $0["id"]?.text != nil && $0["name"]?.text != nil && $0["updatedAt"]?.text != nil })
            let after = try #require(forms.json["paging"]?["next"]?["after"]?.text)
            let rest = try await client.hubSpot(.get, "/marketing/v3/forms?limit=2&after=\(after)")
            #expect(rest.json["results"]!.hubSpotArray.count == 1)
            #expect(rest.json["paging"] == nil)
            #expect(try await client.hubSpot(.get, "/marketing/v3/forms?limit=101").status == 400)

            let guid = try #require(first[0]["id"]?.text)
            let page = try await client.hubSpot(.get, "/form-integrations/v1/submissions/forms/\(guid)?limit=50")
            let submissions = page.json["results"]!.hubSpotArray
            #expect(submissions.count == 50)
            let times = submissions.compactMap { $0["submittedAt"]?.text.flatMap { Int64($0) } }
            #expect(times == times.sorted(by: >), "newest first")
            #expect(submissions.allSatisfy { $0["conversionId"]?.text != nil && !($0["values"]?.hubSpotArray.isEmpty ?? true) })
            #expect(page.json["paging"]?["next"]?["after"]?.text != nil)
            #expect(try await client.hubSpot(.get, "/form-integrations/v1/submissions/forms/\(guid)?limit=51").status == 400)
            #expect(try await client.hubSpot(.get, "/form-integrations/v1/submissions/forms/nope").status == 404)

            // A new submission comes first.
            let contact = try #require(simulator.contactIDsInModificationOrder().first)
            let id = try #require(simulator.submitForm(guid, contact: contact))
            let newest = try await client.hubSpot(.get, "/form-integrations/v1/submissions/forms/\(guid)?limit=1")
            #expect(newest.json["results"]!.hubSpotArray.first?["conversionId"]?.text == id)
        }
    }

    @Test func marketingEventsAndTheirParticipations() async throws {
        let simulator = HubSpotSimulator(seed: 42, contacts: 1_500, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            let list = try await client.hubSpot(.get, "/marketing/v3/marketing-events/?limit=100")
            #expect(list.status == 200)
            let events = list.json["results"]!.hubSpotArray
            #expect(events.count == simulator.marketingEventIDs().count)
            let ids = events.compactMap { $0["objectId"]?.text }
            #expect(ids == ids.sorted())
            for event in events {
                #expect(event["eventName"]?.text != nil && event["eventType"]?.text != nil)
                #expect(event["startDateTime"]?.text.flatMap(Timestamps.milliseconds) != nil)
                #expect(event["updatedAt"]?.text != nil && event["createdAt"]?.text != nil)
            }
            let event = try #require(events.max { ($0["attendees"]?.text.flatMap { Int($0) } ?? 0) < ($1["attendees"]?.text.flatMap { Int($0) } ?? 0) })
            let id = try #require(event["objectId"]?.text)
            let breakdown = try await client.hubSpot(.get, "/marketing/v3/marketing-events/participations/\(id)/breakdown?limit=3")
            #expect(breakdown.status == 200)
            let total = try #require(breakdown.json["total"]?.text.flatMap { Int($0) })
            #expect(total == simulator.participationIDs(event: id).count)
            let results = breakdown.json["results"]!.hubSpotArray
            #expect(results.count == min(3, total))
            for result in results {
                #expect(result["associations"]?["contact"]?["contactId"]?.text != nil)
                #expect(result["associations"]?["marketingEvent"]?["marketingEventId"]?.text == id)
                #expect(["REGISTERED", "ATTENDED", "CANCELLED", "NO_SHOW"].contains(result["properties"]?["attendanceState"]?.text ?? ""))
                #expect(result["properties"]?["occurredAt"]?.text.flatMap { Int64($0) } != nil)
            }
            if total > 3 { #expect(breakdown.json["paging"]?["next"]?["after"]?.text != nil) }
            let attended = try await client.hubSpot(
                .get, "/marketing/v3/marketing-events/participations/\(id)/breakdown?state=ATTENDED&limit=100")
            #expect(attended.json["results"]!.hubSpotArray.allSatisfy { $0["properties"]?["attendanceState"]?.text == "ATTENDED" })
            #expect(try await client.hubSpot(.get, "/marketing/v3/marketing-events/participations/1/breakdown").status == 404)
            #expect(try await client.hubSpot(.get, "/marketing/v3/marketing-events/?limit=101").status == 400)
        }
    }

    @Test func engagementObjectsAreCRMObjectsWithAssociations() async throws {
        let simulator = HubSpotSimulator(seed: 43, contacts: 300, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            for type in HubSpotObjectType.engagements {
                let list = try await client.hubSpot(.get, "/crm/v3/objects/\(type.pathName)?limit=5&properties=hs_timestamp,hubspot_owner_id")
                #expect(list.status == 200, "\(type)")
                let results = list.json["results"]!.hubSpotArray
                #expect(results.count == 5)
                let properties = try #require(results.first?["properties"])
                #expect(properties["hs_timestamp"]?.text != nil && properties["hs_lastmodifieddate"]?.text != nil)
                #expect(properties["hs_createdate"]?.text != nil && properties["hs_object_id"]?.text != nil)
                let id = try #require(results.first?["id"]?.text)
                let links = try await client.hubSpot(
                    .post, "/crm/v4/associations/\(type.pathName)/contacts/batch/read", json: #"{"inputs":[{"id":"\#(id)"}]}"#)
                let to = links.json["results"]!.hubSpotArray.first?["to"]?.hubSpotArray ?? []
                #expect(to.count == 1, "\(type)")
                #expect(to.first?["associationTypes"]?.hubSpotArray.first?["typeId"]?.text
                    == ["calls": "194", "emails": "198", "meetings": "200", "tasks": "204"][type.pathName])
                let search = try await client.hubSpot(
                    .post, "/crm/v3/objects/\(type.pathName)/search",
                    json: #"{"filterGroups":[{"filters":[{"propertyName":"hs_lastmodifieddate","operator":"GTE","value":"0"}]}],"sorts":[{"propertyName":"hs_lastmodifieddate","direction":"ASCENDING"}],"limit":200}"#)
                #expect(search.status == 200)
                #expect(search.json["total"]?.text.flatMap { Int($0) } == simulator.liveCount(type.pathName))
            }
        }
    }

    @Test func engagementsFollowUpMostContactsSomeNever() {
        let simulator = HubSpotSimulator(seed: 44, contacts: 2_000, now: clock.sendableNow)
        let (followed, total, early) = simulator.store.withLock { store -> (Int, Int, Int) in
            var first: [Int64: Int64] = [:]
            for type in HubSpotObjectType.engagements {
                for position in 0..<store[type].count {
                    let record = store[type][position]
                    for contact in store.associations.targets(of: record.id, type, to: .contacts) {
                        let time = HubSpotTime.parse(record.values["hs_timestamp"] ?? "") ?? .max
                        first[contact] = min(first[contact] ?? .max, time)
                    }
                }
            }
            var early = 0
            for position in 0..<store[.contacts].count {
                let contact = store[.contacts][position]
                if let time = first[contact.id], time - contact.createdMs < 3_600_000 { early += 1 }
            }
            return (first.count, store[.contacts].count, early)
        }
        // About three quarters followed up, a good share within the hour.
        #expect(Double(followed) / Double(total) > 0.6 && Double(followed) / Double(total) < 0.85)
        #expect(early > total / 5)
    }

    @Test func lifecycleStageMovesBackOnlyAfterBeingCleared() async throws {
        let simulator = HubSpotSimulator(seed: 45, contacts: 200, now: clock.sendableNow)
        let id = simulator.liveCount("contacts") > 0 ? simulator.contactIDsInModificationOrder()[0] : ""
        try await withHubSpot(simulator) { client in
            func set(_ stage: String) async throws -> Int {
                try await client.hubSpot(
                    .post, "/crm/v3/objects/contacts/batch/update",
                    json: #"{"inputs":[{"id":"\#(id)","properties":{"lifecyclestage":"\#(stage)"}}]}"#).status
            }
            func stage() -> String? { simulator.store.withLock { $0[.contacts][$0[.contacts].position(ofText: id)!].values["lifecyclestage"] } }
            var statuses = [try await set("customer")]
            #expect(stage() == "customer")
            statuses.append(try await set("lead"))
            #expect(stage() == "customer")
            statuses.append(try await set(""))
            statuses.append(try await set("lead"))
            #expect(statuses == [200, 200, 200, 200])
            #expect(stage() == "lead")
        }
    }
}
