import Foundation
import HTTPTypes
import HummingbirdTesting
import SyncHubCore
import Synchronization
import Testing

@testable import SyncHubSandbox

@Suite struct HubSpotEmailAndAssociationsTests {
    let clock = HubSpotTestClock()

    @Test func v4BatchReadReturnsDealContactsWithTypeIDs() async throws {
        let simulator = HubSpotSimulator(seed: 31, contacts: 120, now: clock.sendableNow)
        let (dealIDs, expected) = simulator.store.withLock { store in
            let ids = (0..<5).map { store[.deals][$0].id }
            return (ids.map(String.init), ids.map { store.associations.targets(of: $0, .deals, to: .contacts) })
        }
        try await withHubSpot(simulator) { client in
            let inputs = dealIDs.map { #"{"id":"\#($0)"}"# }.joined(separator: ",")
            let response = try await client.hubSpot(
                .post, "/crm/v4/associations/deals/contacts/batch/read", json: #"{"inputs":[\#(inputs)]}"#)
            #expect(response.status == 200)
            #expect(response.json["status"]?.text == "COMPLETE")
            let results = response.json["results"]!.hubSpotArray
            #expect(results.compactMap { $0["from"]?["id"]?.text } == dealIDs)
            for (result, linked) in zip(results, expected) {
                let targets = result["to"]!.hubSpotArray
                #expect(targets.compactMap { $0["toObjectId"] } == linked.map { JSONValue.number(String($0)) })
                #expect(targets.allSatisfy {
                    $0["associationTypes"]?.hubSpotArray == [
                        .object([("category", .string("HUBSPOT_DEFINED")), ("typeId", .number("3")), ("label", .null)])
                    ]
                })
            }
        }
    }

    @Test func v4ContactToCompanyCarriesThePrimaryLabelAndMissingLinksAre207() async throws {
        let simulator = HubSpotSimulator(seed: 32, contacts: 120, now: clock.sendableNow)
        let (contact, lonely) = simulator.store.withLock { store -> (String, String) in
            let withCompany = store[.contacts][0].idText
            let withoutDeals = (0..<store[.contacts].count).map { store[.contacts][$0].id }.first {
                store.associations.targets(of: $0, .contacts, to: .deals).isEmpty
            }!
            return (withCompany, String(withoutDeals))
        }
        try await withHubSpot(simulator) { client in
            let companies = try await client.hubSpot(
                .post, "/crm/v4/associations/contacts/companies/batch/read", json: #"{"inputs":[{"id":"\#(contact)"}]}"#)
            let types = companies.json["results"]!.hubSpotArray[0]["to"]!.hubSpotArray[0]["associationTypes"]!.hubSpotArray
            #expect(types.compactMap { $0["typeId"]?.text } == ["1", "279"])
            #expect(types[0]["label"]?.text == "Primary")

            let deals = try await client.hubSpot(
                .post, "/crm/v4/associations/contacts/deals/batch/read",
                json: #"{"inputs":[{"id":"\#(lonely)"},{"id":"\#(contact)"}]}"#)
            #expect(deals.status == 207 || deals.status == 200)
            let errors = deals.json["errors"]?.hubSpotArray ?? []
            #expect(errors.contains {
                $0["subCategory"]?.text == "crm.associations.NO_ASSOCIATIONS_FOUND"
                    && $0["context"]?["fromObjectId"]?.hubSpotArray == [.string(lonely)]
            })
        }
    }

    @Test func listWithAssociationsAddsV3AssociationNames() async throws {
        let simulator = HubSpotSimulator(seed: 33, contacts: 40, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            let response = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=5&associations=companies")
            let first = try #require(response.json["results"]?.hubSpotArray.first)
            let results = first["associations"]?["companies"]?["results"]?.hubSpotArray ?? []
            #expect(results.compactMap { $0["type"]?.text } == ["contact_to_company", "contact_to_company_unlabeled"])
        }
    }

    @Test func emailEventsPageNewestFirstThroughOffsetUntilHasMoreIsFalse() async throws {
        let simulator = HubSpotSimulator(seed: 34, contacts: 200, now: clock.sendableNow)
        let total = simulator.store.withLock { $0.email.events.count }
        #expect(total > 800 && total < 1_200)
        try await withHubSpot(simulator) { client in
            var created: [Int64] = []
            var ids: [String] = []
            var offset: String?
            var pages = 0
            while true {
                let response = try await client.hubSpot(
                    .get, "/email/public/v1/events?limit=300" + (offset.map { "&offset=\($0)" } ?? ""))
                #expect(response.status == 200)
                for event in response.json["events"]!.hubSpotArray {
                    created.append(Int64(event["created"]!.text!)!)
                    ids.append(event["id"]!.text!)
                    #expect(event["emailCampaignId"] != nil && event["recipient"]?.text?.contains("@") == true)
                }
                pages += 1
                offset = response.json["offset"]?.text
                if response.json["hasMore"] != .bool(true) || pages > 10 { break }
            }
            #expect(pages == (total + 299) / 300)
            #expect(ids.count == total)
            #expect(Set(ids).count == total)
            #expect(created == created.sorted(by: >))

            let start = created[created.count * 3 / 4]
            let end = created[created.count / 4]
            let window = try await client.hubSpot(
                .get, "/email/public/v1/events?limit=1000&eventType=OPEN&startTimestamp=\(start)&endTimestamp=\(end)")
            let events = window.json["events"]!.hubSpotArray
            #expect(!events.isEmpty)
            #expect(events.allSatisfy {
                let at = Int64($0["created"]!.text!)!
                return $0["type"]?.text == "OPEN" && at >= start && at <= end && $0["sentBy"]?["id"] != nil
            })
            #expect(window.json["hasMore"] == .bool(false))
        }
    }

    @Test func emailEventTypesAndCampaignsLookLikeHubSpots() async throws {
        let simulator = HubSpotSimulator(seed: 35, contacts: 300, now: clock.sendableNow)
        let types = simulator.store.withLock { Set($0.email.events.map(\.type)) }
        #expect(types.isSuperset(of: ["SENT", "DELIVERED", "OPEN", "CLICK", "BOUNCE", "STATUSCHANGE"]))
        try await withHubSpot(simulator) { client in
            let list = try await client.hubSpot(.get, "/email/public/v1/campaigns/by-id?limit=3")
            #expect(list.json["hasMore"] == .bool(true))
            let id = try #require(list.json["campaigns"]?.hubSpotArray.first?["id"]?.text)
            let campaign = try await client.hubSpot(.get, "/email/public/v1/campaigns/\(id)")
            #expect(campaign.status == 200)
            #expect(campaign.json["type"]?.text == "BATCH_EMAIL")
            #expect(campaign.json["counters"]?["sent"]?.text.flatMap(Int.init).map { $0 > 0 } == true)
            #expect(try await client.hubSpot(.get, "/email/public/v1/campaigns/1").status == 404)
            let bounce = try await client.hubSpot(.get, "/email/public/v1/events?eventType=BOUNCE&limit=1")
            #expect(bounce.json["events"]?.hubSpotArray.first?["category"]?.text != nil)
        }
    }

    @Test func formSubmissionsPageNewestFirst() async throws {
        let simulator = HubSpotSimulator(seed: 36, contacts: 400, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            let forms = try await client.hubSpot(.get, "/marketing/v3/forms")
            let ids = forms.json["results"]!.hubSpotArray.compactMap { $0["id"]?.text }
            #expect(ids.count == 3)
            var total = 0
            for id in ids {
                var after: String?
                var submitted: [Int64] = []
                repeat {
                    let page = try await client.hubSpot(
                        .get, "/form-integrations/v1/submissions/forms/\(id)?limit=50" + (after.map { "&after=\($0)" } ?? ""))
                    #expect(page.status == 200)
                    for result in page.json["results"]!.hubSpotArray {
                        submitted.append(Int64(result["submittedAt"]!.text!)!)
                        #expect(result["values"]?.hubSpotArray.contains { $0["name"]?.text == "email" } == true)
                    }
                    after = page.json["paging"]?["next"]?["after"]?.text
                } while after != nil
                #expect(submitted == submitted.sorted(by: >))
                total += submitted.count
            }
            #expect(total > 80 && total < 160)
            #expect(try await client.hubSpot(.get, "/form-integrations/v1/submissions/forms/x?limit=51").status == 400)
        }
    }
}
