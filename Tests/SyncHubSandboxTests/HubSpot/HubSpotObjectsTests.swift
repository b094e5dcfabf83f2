import Foundation
import HTTPTypes
import HummingbirdTesting
import SyncHubCore
import Synchronization
import Testing

@testable import SyncHubSandbox

@Suite struct HubSpotObjectsTests {
    let clock = HubSpotTestClock()

    @Test func listPagesReturnEveryContactOnceInIDOrder() async throws {
        let simulator = HubSpotSimulator(seed: 3, contacts: 450, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            var ids: [String] = []
            var after: String?
            var pages = 0
            var lastPageHadPaging = true
            repeat {
                let response = try await client.hubSpot(
                    .get, "/crm/v3/objects/contacts?limit=100" + (after.map { "&after=\($0)" } ?? ""))
                #expect(response.status == 200)
                ids += response.json["results"]!.hubSpotArray.compactMap { $0["id"]?.text }
                after = response.json["paging"]?["next"]?["after"]?.text
                if after != nil {
                    #expect(response.json["paging"]?["next"]?["link"]?.text?.contains("after=\(after!)") == true)
                }
                lastPageHadPaging = response.json["paging"] != nil
                pages += 1
            } while after != nil && pages < 20
            #expect(pages == 5)
            #expect(!lastPageHadPaging)
            #expect(ids.count == 450)
            #expect(Set(ids).count == 450)
            #expect(ids == ids.sorted { Int($0)! < Int($1)! })
        }
    }

    @Test func listRecordsCarryDefaultPropertiesAsStringsAndISOTimes() async throws {
        let simulator = HubSpotSimulator(seed: 3, contacts: 50, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            let response = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=5")
            let first = try #require(response.json["results"]?.hubSpotArray.first)
            guard case .object(let members) = first["properties"] else { Issue.record("no properties"); return }
            #expect(members.map(\.0) == ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"])
            #expect(first["properties"]?["hs_object_id"]?.text == first["id"]?.text)
            let modified = try #require(first["properties"]?["lastmodifieddate"]?.text)
            #expect(Timestamps.milliseconds(modified) != nil && modified.hasSuffix("Z"))
            #expect(first["updatedAt"]?.text == modified)
            #expect(first["archived"] == .bool(false))
        }
    }

    @Test func propertiesParameterReturnsOnlyThoseWithTheAlwaysReturnedOnes() async throws {
        let simulator = HubSpotSimulator(seed: 3, contacts: 50, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            let response = try await client.hubSpot(
                .get, "/crm/v3/objects/contacts?limit=50&properties=email,date_of_birth&properties=no_such_property")
            #expect(response.status == 200)
            let results = response.json["results"]!.hubSpotArray
            for record in results {
                guard case .object(let members) = record["properties"] else { continue }
                #expect(members.map(\.0) == ["createdate", "date_of_birth", "email", "hs_object_id", "lastmodifieddate"])
            }
            // A requested property without a value comes back as null, not missing.
            #expect(results.contains { $0["properties"]?["date_of_birth"] == .null })
            let deals = try await client.hubSpot(.get, "/crm/v3/objects/deals?limit=3&properties=dealstage")
            guard case .object(let dealMembers) = deals.json["results"]!.hubSpotArray[0]["properties"] else { return }
            #expect(dealMembers.map(\.0) == ["createdate", "dealstage", "hs_lastmodifieddate", "hs_object_id"])
        }
    }

    @Test func listLimitAbove100IsRefused() async throws {
        let simulator = HubSpotSimulator(seed: 3, contacts: 20, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            let response = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=101")
            #expect(response.status == 400)
            #expect(response.json["category"]?.text == "VALIDATION_ERROR")
            #expect(response.json["status"]?.text == "error")
            #expect(response.json["correlationId"]?.text?.isEmpty == false)
        }
    }

    @Test func archivedContactsLeaveListsAndSearchAndShowInArchivedList() async throws {
        let simulator = HubSpotSimulator(seed: 4, contacts: 60, now: clock.sendableNow)
        let victims = Array(simulator.contactIDsInModificationOrder().prefix(2))
        clock.advance(seconds: 60)
        simulator.archive(contacts: victims)
        try await withHubSpot(simulator) { client in
            let live = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=100")
            let liveIDs = live.json["results"]!.hubSpotArray.compactMap { $0["id"]?.text }
            #expect(liveIDs.count == 58)
            #expect(victims.allSatisfy { !liveIDs.contains($0) })

            let archived = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=100&archived=true")
            let records = archived.json["results"]!.hubSpotArray
            #expect(Set(records.compactMap { $0["id"]?.text }) == Set(victims))
            #expect(records.allSatisfy { $0["archived"] == .bool(true) && $0["archivedAt"]?.text != nil })

            let search = try await client.hubSpot(
                .post, "/crm/v3/objects/contacts/search", json: #"{"limit":200,"filterGroups":[]}"#)
            let found = search.json["results"]!.hubSpotArray.compactMap { $0["id"]?.text }
            #expect(search.json["total"]?.text == "58")
            #expect(victims.allSatisfy { !found.contains($0) })

            let read = try await client.hubSpot(.get, "/crm/v3/objects/contacts/\(victims[0])")
            #expect(read.status == 404)
            #expect(read.json["category"]?.text == "OBJECT_NOT_FOUND")
        }
    }

    @Test func searchWindowIsSortedByModificationThenIDAcrossPages() async throws {
        let simulator = HubSpotSimulator(seed: 5, contacts: 900, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            // Every contact's modification time, read through the list endpoint.
            var all: [(ms: Int64, id: Int64)] = []
            var after: String?
            repeat {
                let page = try await client.hubSpot(
                    .get, "/crm/v3/objects/contacts?limit=100&properties=lastmodifieddate" + (after.map { "&after=\($0)" } ?? ""))
                for record in page.json["results"]!.hubSpotArray {
                    all.append((Timestamps.milliseconds(record["properties"]!["lastmodifieddate"]!.text!)!, Int64(record["id"]!.text!)!))
                }
                after = page.json["paging"]?["next"]?["after"]?.text
            } while after != nil
            let sorted = all.sorted { ($0.ms, $0.id) < ($1.ms, $1.id) }
            let low = sorted[100].ms
            let high = sorted[700].ms
            let window = sorted.filter { $0.ms >= low && $0.ms < high }
            let expected = window.map { String($0.id) }
            let ties = zip(window, window.dropFirst()).filter { $0.0.ms == $0.1.ms }.count
            #expect(ties > 0)

            var found: [String] = []
            var offset: String?
            var total: String?
            repeat {
                let afterMember = offset.map { #","after":"\#($0)""# } ?? ""
                let body = #"""
                    {"filterGroups":[{"filters":[{"propertyName":"lastmodifieddate","operator":"GTE","value":"\#(low)"},{"propertyName":"lastmodifieddate","operator":"LT","value":"\#(high)"}]}],"sorts":[{"propertyName":"lastmodifieddate","direction":"ASCENDING"}],"properties":["email"],"limit":200\#(afterMember)}
                    """#
                let response = try await client.hubSpot(.post, "/crm/v3/objects/contacts/search", json: body)
                #expect(response.status == 200)
                total = response.json["total"]?.text
                found += response.json["results"]!.hubSpotArray.compactMap { $0["id"]?.text }
                offset = response.json["paging"]?["next"]?["after"]?.text
            } while offset != nil
            #expect(found == expected)
            #expect(total == String(expected.count))
        }
        // Records sharing a modification second (and millisecond) exist, so the tie-break matters.
        let order = simulator.store.withLock { store in store[.contacts].modifiedOrder.map { store[.contacts][$0].modifiedMs } }
        let sameMillisecond = zip(order, order.dropFirst()).filter { $0 == $1 }.count
        let sameSecond = zip(order, order.dropFirst()).filter { $0 / 1000 == $1 / 1000 }.count
        #expect(sameMillisecond > 50)
        #expect(sameSecond > sameMillisecond)
    }

    @Test func searchSortsDescendingAndFiltersWithInAndHasProperty() async throws {
        let simulator = HubSpotSimulator(seed: 6, contacts: 300, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            let body = #"""
                {"filterGroups":[{"filters":[{"propertyName":"dealstage","operator":"IN","values":["closedwon","closedlost"]},{"propertyName":"amount","operator":"HAS_PROPERTY"}]}],"sorts":[{"propertyName":"amount","direction":"DESCENDING"}],"properties":["dealstage","amount","closed_lost_reason"],"limit":100}
                """#
            let response = try await client.hubSpot(.post, "/crm/v3/objects/deals/search", json: body)
            #expect(response.status == 200)
            let results = response.json["results"]!.hubSpotArray
            #expect(!results.isEmpty)
            let amounts = results.compactMap { $0["properties"]?["amount"]?.text.flatMap(Double.init) }
            #expect(amounts == amounts.sorted(by: >))
            #expect(results.allSatisfy { ["closedwon", "closedlost"].contains($0["properties"]?["dealstage"]?.text ?? "") })
            let lost = results.filter { $0["properties"]?["dealstage"]?.text == "closedlost" }
            #expect(lost.allSatisfy { $0["properties"]?["closed_lost_reason"]?.text?.isEmpty == false })
        }
    }

    @Test func searchRefusesPagingPastTenThousandResults() async throws {
        let simulator = HubSpotSimulator(seed: 7, contacts: 10_050, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            let near = try await client.hubSpot(
                .post, "/crm/v3/objects/contacts/search", json: #"{"limit":200,"after":"9900","properties":["email"]}"#)
            #expect(near.status == 200)
            #expect(near.json["total"]?.text == "10050")
            #expect(near.json["results"]!.hubSpotArray.count == 100)
            #expect(near.json["paging"]?["next"]?["after"]?.text == "10000")

            let past = try await client.hubSpot(
                .post, "/crm/v3/objects/contacts/search", json: #"{"limit":200,"after":"10000"}"#)
            #expect(past.status == 400)
            #expect(past.json["status"]?.text == "error")
            #expect(past.json["category"]?.text == "VALIDATION_ERROR")
            #expect(past.json["correlationId"]?.text != nil)
            #expect(past.json["message"]?.text?.contains("10000") == true)
        }
    }

    @Test func searchAllowsFiveRequestsPerSecondThenAnswersSecondly429() async throws {
        let simulator = HubSpotSimulator(seed: 8, contacts: 30, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            for _ in 0..<5 {
                let response = try await client.hubSpot(.post, "/crm/v3/objects/contacts/search", json: #"{"limit":1}"#)
                #expect(response.status == 200)
            }
            let limited = try await client.hubSpot(.post, "/crm/v3/objects/contacts/search", json: #"{"limit":1}"#)
            #expect(limited.status == 429)
            #expect(limited.json["errorType"]?.text == "RATE_LIMIT")
            #expect(limited.json["policyName"]?.text == "SECONDLY")
            #expect(limited.json["message"]?.text == "You have reached your secondly limit.")
            // Searches do not use the ten-secondly budget: other routes still pass.
            let list = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1")
            #expect(list.status == 200)
            clock.advance(seconds: 1.1)
            let again = try await client.hubSpot(.post, "/crm/v3/objects/contacts/search", json: #"{"limit":1}"#)
            #expect(again.status == 200)
        }
    }

    @Test func batchUpdateReportsUnknownIDsIn207AndWritesTheRest() async throws {
        let simulator = HubSpotSimulator(seed: 9, contacts: 40, now: clock.sendableNow)
        let id = simulator.contactIDsInModificationOrder()[0]
        clock.advance(seconds: 30)
        try await withHubSpot(simulator) { client in
            let body = #"""
                {"inputs":[{"id":"\#(id)","properties":{"jobtitle":"Chief Revenue Officer"}},{"id":"424242","properties":{"jobtitle":"x"}}]}
                """#
            let response = try await client.hubSpot(.post, "/crm/v3/objects/contacts/batch/update", json: body)
            #expect(response.status == 207)
            #expect(response.json["status"]?.text == "COMPLETE")
            #expect(response.json["numErrors"]?.text == "1")
            let error = try #require(response.json["errors"]?.hubSpotArray.first)
            #expect(error["category"]?.text == "OBJECT_NOT_FOUND")
            #expect(error["context"]?["ids"]?.hubSpotArray.compactMap(\.text) == ["424242"])
            let results = response.json["results"]!.hubSpotArray
            #expect(results.count == 1)
            #expect(results[0]["properties"]?["jobtitle"]?.text == "Chief Revenue Officer")
            #expect(response.json["startedAt"]?.text != nil && response.json["completedAt"]?.text != nil)

            let read = try await client.hubSpot(.get, "/crm/v3/objects/contacts/\(id)?properties=jobtitle")
            #expect(read.json["properties"]?["jobtitle"]?.text == "Chief Revenue Officer")
            #expect(read.json["properties"]?["lastmodifieddate"]?.text == HubSpotTime.iso(HubSpotTime.milliseconds(clock.now)))
        }
    }

    @Test func batchUpdateWithAnUnknownPropertyIsRefusedWhole() async throws {
        let simulator = HubSpotSimulator(seed: 9, contacts: 40, now: clock.sendableNow)
        let ids = Array(simulator.contactIDsInModificationOrder().prefix(2))
        try await withHubSpot(simulator) { client in
            let body = #"""
                {"inputs":[{"id":"\#(ids[0])","properties":{"jobtitle":"Changed"}},{"id":"\#(ids[1])","properties":{"win_loss":"won"}}]}
                """#
            let response = try await client.hubSpot(.post, "/crm/v3/objects/contacts/batch/update", json: body)
            #expect(response.status == 400)
            #expect(response.json["category"]?.text == "VALIDATION_ERROR")
            #expect(response.json["errors"]?.hubSpotArray.first?["code"]?.text == "PROPERTY_DOESNT_EXIST")
            #expect(response.json["message"]?.text?.hasPrefix("Property values were not valid") == true)
            let read = try await client.hubSpot(.get, "/crm/v3/objects/contacts/\(ids[0])?properties=jobtitle")
            #expect(read.json["properties"]?["jobtitle"]?.text != "Changed")

            let tooMany = (0..<101).map { #"{"id":"\#($0)","properties":{}}"# }.joined(separator: ",")
            let refused = try await client.hubSpot(
                .post, "/crm/v3/objects/contacts/batch/update", json: #"{"inputs":[\#(tooMany)]}"#)
            #expect(refused.status == 400)
        }
    }

    @Test func createdPropertyCanBeReadAndWritten() async throws {
        let simulator = HubSpotSimulator(seed: 10, contacts: 20, now: clock.sendableNow)
        let id = simulator.contactIDsInModificationOrder()[3]
        try await withHubSpot(simulator) { client in
            let definition = #"""
                {"name":"synchub_outcome","label":"Deal outcome","type":"string","fieldType":"text","groupName":"contactinformation"}
                """#
            let created = try await client.hubSpot(.post, "/crm/v3/properties/contacts", json: definition)
            #expect(created.status == 201)
            #expect(created.json["name"]?.text == "synchub_outcome")
            #expect(created.json["hubspotDefined"] == nil)
            let again = try await client.hubSpot(.post, "/crm/v3/properties/contacts", json: definition)
            #expect(again.status == 409)
            #expect(again.json["status"]?.text == "error")

            let read = try await client.hubSpot(.get, "/crm/v3/properties/contacts/synchub_outcome")
            #expect(read.status == 200 && read.json["type"]?.text == "string")
            let missing = try await client.hubSpot(.get, "/crm/v3/properties/contacts/no_such_thing")
            #expect(missing.status == 404)
            #expect(missing.json["category"]?.text == "OBJECT_NOT_FOUND")
            let all = try await client.hubSpot(.get, "/crm/v3/properties/contacts")
            #expect(all.json["results"]!.hubSpotArray.contains { $0["name"]?.text == "lastmodifieddate" })

            let update = try await client.hubSpot(
                .post, "/crm/v3/objects/contacts/batch/update",
                json: #"{"inputs":[{"id":"\#(id)","properties":{"synchub_outcome":"won"}}]}"#)
            #expect(update.status == 200)
            let contact = try await client.hubSpot(.get, "/crm/v3/objects/contacts/\(id)?properties=synchub_outcome")
            #expect(contact.json["properties"]?["synchub_outcome"]?.text == "won")
        }
    }

    @Test func batchUpsertByEmailUpdatesExistingAndCreatesNew() async throws {
        let simulator = HubSpotSimulator(seed: 11, contacts: 20, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            let page = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1")
            let existing = try #require(page.json["results"]?.hubSpotArray.first)
            let email = existing["properties"]!["email"]!.text!
            let body = #"""
                {"inputs":[{"idProperty":"email","id":"\#(email.uppercased())","properties":{"jobtitle":"Upserted"}},{"idProperty":"email","id":"new.person@upsert.example","properties":{"firstname":"New"}}]}
                """#
            let response = try await client.hubSpot(.post, "/crm/v3/objects/contacts/batch/upsert", json: body)
            #expect(response.status == 200)
            let results = response.json["results"]!.hubSpotArray
            #expect(results.count == 2)
            #expect(results[0]["id"]?.text == existing["id"]?.text && results[0]["new"] == .bool(false))
            #expect(results[1]["new"] == .bool(true))
            #expect(results[1]["properties"]?["email"]?.text == "new.person@upsert.example")
            let byEmail = try await client.hubSpot(.get, "/crm/v3/objects/contacts/new.person@upsert.example?idProperty=email")
            #expect(byEmail.status == 200 && byEmail.json["properties"]?["firstname"]?.text == "New")

            let bad = try await client.hubSpot(
                .post, "/crm/v3/objects/contacts/batch/upsert",
                json: #"{"inputs":[{"idProperty":"firstname","id":"x","properties":{}}]}"#)
            #expect(bad.status == 400)
        }
    }

    @Test func batchReadReportsMissingIDsAndFollowsIdProperty() async throws {
        let simulator = HubSpotSimulator(seed: 12, contacts: 20, now: clock.sendableNow)
        let ids = Array(simulator.contactIDsInModificationOrder().prefix(3))
        try await withHubSpot(simulator) { client in
            let inputs = (ids + ["1"]).map { #"{"id":"\#($0)"}"# }.joined(separator: ",")
            let response = try await client.hubSpot(
                .post, "/crm/v3/objects/contacts/batch/read",
                json: #"{"inputs":[\#(inputs)],"properties":["email"]}"#)
            #expect(response.status == 207)
            #expect(response.json["results"]!.hubSpotArray.compactMap { $0["id"]?.text } == ids)
            let message = response.json["errors"]?.hubSpotArray.first?["message"]?.text
            #expect(message == "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.")
        }
    }

    @Test func touchMovesAContactToTheEndOfTheModificationOrder() async throws {
        let simulator = HubSpotSimulator(seed: 13, contacts: 200, now: clock.sendableNow)
        let first = simulator.contactIDsInModificationOrder()[0]
        let checkpoint = HubSpotTime.milliseconds(clock.now)
        clock.advance(seconds: 5)
        simulator.touch(contacts: [first])
        #expect(simulator.contactIDsInModificationOrder().last == first)
        try await withHubSpot(simulator) { client in
            let body = #"""
                {"filterGroups":[{"filters":[{"propertyName":"lastmodifieddate","operator":"GTE","value":"\#(checkpoint)"}]}],"sorts":[{"propertyName":"lastmodifieddate","direction":"ASCENDING"}],"properties":["jobtitle"]}
                """#
            let response = try await client.hubSpot(.post, "/crm/v3/objects/contacts/search", json: body)
            #expect(response.json["results"]!.hubSpotArray.compactMap { $0["id"]?.text } == [first])
        }
    }

    @Test func mergeReplacesBothContactsWithANewOneListingTheirIDs() async throws {
        let simulator = HubSpotSimulator(seed: 14, contacts: 50, now: clock.sendableNow)
        let order = simulator.contactIDsInModificationOrder()
        let (survivor, absorbed) = (order[0], order[1])
        clock.advance(seconds: 10)
        let merged = try #require(simulator.merge(contact: absorbed, into: survivor))
        #expect(merged != survivor && merged != absorbed)
        try await withHubSpot(simulator) { client in
            let read = try await client.hubSpot(.get, "/crm/v3/objects/contacts/\(merged)?properties=hs_merged_object_ids,email")
            #expect(read.json["properties"]?["hs_merged_object_ids"]?.text == "\(survivor);\(absorbed)")
            // An old id reads as the record that replaced it.
            let old = try await client.hubSpot(.get, "/crm/v3/objects/contacts/\(absorbed)")
            #expect(old.status == 200 && old.json["id"]?.text == merged)
            let list = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=100")
            let ids = list.json["results"]!.hubSpotArray.compactMap { $0["id"]?.text }
            #expect(ids.contains(merged) && !ids.contains(survivor) && !ids.contains(absorbed))
            #expect(ids.count == 49)
        }
        #expect(simulator.contactIDsInModificationOrder().last == merged)
    }

    @Test func sameSeedGivesSameDataAndAnotherSeedDoesNot() async throws {
        func firstPage(_ seed: UInt64) async throws -> [UInt8] {
            let simulator = HubSpotSimulator(seed: seed, contacts: 80, now: clock.sendableNow)
            return try await withHubSpot(simulator) { client in
                try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=100&properties=email,jobtitle").bytes
            }
        }
        let one = try await firstPage(21)
        #expect(one == (try await firstPage(21)))
        #expect(one != (try await firstPage(22)))
    }

    @Test func seededDealsHaveStagesAmountsAndLossReasons() async throws {
        let simulator = HubSpotSimulator(seed: 15, contacts: 600, now: clock.sendableNow)
        let deals = simulator.store.withLock { store in (0..<store[.deals].count).map { store[.deals][$0].values } }
        #expect(deals.count == 100)
        #expect(simulator.liveCount("companies") == 75)
        let stages = Set(deals.compactMap { $0["dealstage"] })
        #expect(stages.contains("closedwon") && stages.contains("closedlost") && stages.count >= 5)
        #expect(deals.filter { $0["dealstage"] == "closedlost" }.allSatisfy { $0["closed_lost_reason"] != nil })
        #expect(deals.allSatisfy { $0["amount"] != nil && $0["closedate"] != nil && $0["pipeline"] == "default" })
    }

    @Test func searchIndexLagHidesFreshChangesUntilItPasses() async throws {
        let simulator = HubSpotSimulator(seed: 16, contacts: 50, now: clock.sendableNow)
        simulator.faults.searchIndexLag = .seconds(5)
        let checkpoint = HubSpotTime.milliseconds(clock.now)
        clock.advance(seconds: 1)
        let added = simulator.addContacts(2)
        let body = #"""
            {"filterGroups":[{"filters":[{"propertyName":"lastmodifieddate","operator":"GT","value":"\#(checkpoint)"}]}],"sorts":[{"propertyName":"lastmodifieddate","direction":"ASCENDING"}]}
            """#
        try await withHubSpot(simulator) { client in
            let early = try await client.hubSpot(.post, "/crm/v3/objects/contacts/search", json: body)
            #expect(early.json["total"]?.text == "0")
            // Lists are not indexed: they see the new contacts at once.
            let list = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=100")
            #expect(added.allSatisfy { id in list.json["results"]!.hubSpotArray.contains { $0["id"]?.text == id } })
            clock.advance(seconds: 5)
            let late = try await client.hubSpot(.post, "/crm/v3/objects/contacts/search", json: body)
            #expect(late.json["results"]!.hubSpotArray.compactMap { $0["id"]?.text } == added)
        }
    }

    @Test func mergedContactKeepsTheDealsOfBoth() async throws {
        let simulator = HubSpotSimulator(seed: 17, contacts: 300, now: clock.sendableNow)
        let (first, second, deals) = simulator.store.withLock { store -> (String, String, Set<String>) in
            let withDeals = (0..<store[.contacts].count).map { store[.contacts][$0].id }.filter {
                !store.associations.targets(of: $0, .contacts, to: .deals).isEmpty
            }
            let linked = withDeals.prefix(2).flatMap { store.associations.targets(of: $0, .contacts, to: .deals) }
            return (String(withDeals[0]), String(withDeals[1]), Set(linked.map(String.init)))
        }
        let merged = try #require(simulator.merge(contact: second, into: first))
        try await withHubSpot(simulator) { client in
            let response = try await client.hubSpot(
                .post, "/crm/v4/associations/contacts/deals/batch/read", json: #"{"inputs":[{"id":"\#(merged)"}]}"#)
            let targets = response.json["results"]!.hubSpotArray[0]["to"]!.hubSpotArray.compactMap { $0["toObjectId"]?.text }
            #expect(Set(targets) == deals)
            let back = try await client.hubSpot(
                .post, "/crm/v4/associations/deals/contacts/batch/read",
                json: #"{"inputs":[{"id":"\#(deals.first!)"}]}"#)
            let contacts = back.json["results"]!.hubSpotArray[0]["to"]!.hubSpotArray.compactMap { $0["toObjectId"]?.text }
            #expect(contacts.contains(merged) && !contacts.contains(first) && !contacts.contains(second))
        }
    }

    @Test func dailyBudgetAnswersDaily429() async throws {
        let simulator = HubSpotSimulator(seed: 18, contacts: 10, now: clock.sendableNow)
        simulator.faults.dailyLimit = 2
        try await withHubSpot(simulator) { client in
            #expect(try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1").status == 200)
            let last = try await client.hubSpot(.post, "/crm/v3/objects/contacts/search", json: "{}")
            #expect(last.status == 200 && last.header("X-HubSpot-RateLimit-Daily-Remaining") == "0")
            let refused = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1")
            #expect(refused.status == 429)
            #expect(refused.json["policyName"]?.text == "DAILY")
            #expect(refused.json["message"]?.text == "You have reached your daily limit.")
            clock.advance(seconds: 86_400)
            #expect(try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1").status == 200)
        }
    }

    /// The daily count runs 24 hours from the simulation's start: a run that starts a minute before midnight UTC keeps
    /// its count past midnight (a test crossing midnight once saw it reset).
    @Test func theDailyCountDoesNotResetAtMidnight() async throws {
        let lateClock = HubSpotTestClock(Date(timeIntervalSince1970: 1_767_225_600 - 60))  // 2025-12-31 23:59 UTC
        let simulator = HubSpotSimulator(seed: 18, contacts: 10, now: lateClock.sendableNow)
        simulator.faults.dailyLimit = 2
        try await withHubSpot(simulator) { client in
            #expect(try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1").status == 200)
            lateClock.advance(seconds: 120)
            let second = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1")
            #expect(second.status == 200 && second.header("X-HubSpot-RateLimit-Daily-Remaining") == "0")
            #expect(try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1").status == 429)
        }
    }
}
