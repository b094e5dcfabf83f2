import Foundation
import SyncHubCore
import SyncHubTesting
import Synchronization
import Testing

@testable import HubSpotConnector
@testable import SyncHubSandbox

@Suite struct HubSpotSourceTests {
    @Test(.timeLimit(.minutes(10))) func everyStreamConforms() async throws {
        try await withSimulatedHubSpot(contacts: 250) { hubspot in
            let source = try hubspot.source()
            let failures = try await SourceConformance(connector: "hubspot", source: source).run()
            #expect(failures.isEmpty, "\(failures)")
            #expect(try await source.streams().map(\.name) == [
                "contacts", "companies", "deals", "deal_contacts", "email_events", "form_submissions", "event_attendance",
                "campaigns", "calls", "meetings", "emails", "tasks",
            ])
        }
    }

    @Test(.timeLimit(.minutes(10))) func fullPullMatchesTheSimulation() async throws {
        try await withSimulatedHubSpot(contacts: 300) { hubspot in
            let source = try hubspot.source()
            let contacts = try await drive(source, "contacts")
            let expected = hubspot.simulator.liveRecords(.contacts)
            #expect(Set(contacts.liveIDs) == Set(expected.keys))
            #expect(duplicates(contacts.ids).isEmpty)
            #expect(contacts.batches.first?.startsSnapshot == true)
            #expect(contacts.batches.filter(\.completesSnapshot).count == 1)
            for record in contacts.records where !record.isDeleted {
                let values = try #require(expected[record.externalID])
                let contact = try #require(record.contact)
                #expect(contact.email == values["email"])
                #expect(contact.firstName == values["firstname"])
                #expect(contact.lastName == values["lastname"])
                #expect(contact.title == values["jobtitle"])
                #expect(contact.company == values["company"])
                #expect(contact.accountID == values["associatedcompanyid"])
                #expect(contact.lifecycleStage == values["lifecyclestage"])
                #expect(contact.additionalEmails == (values["hs_additional_emails"].map { [$0] } ?? []))
                #expect(record.sourceUpdatedAt == values["lastmodifieddate"].flatMap(Timestamps.normalize))
            }

            let companies = try await drive(source, "companies")
            let expectedCompanies = hubspot.simulator.liveRecords(.companies)
            #expect(Set(companies.liveIDs) == Set(expectedCompanies.keys))
            for record in companies.records {
                guard case .account(let account)? = record.normalized else {
                    Issue.record("company \(record.externalID) is not an account")
                    continue
                }
                #expect(account.name == expectedCompanies[record.externalID]?["name"])
                #expect(account.domain == expectedCompanies[record.externalID]?["domain"])
            }

            let deals = try await drive(source, "deals")
            let expectedDeals = hubspot.simulator.liveRecords(.deals)
            #expect(Set(deals.liveIDs) == Set(expectedDeals.keys))
            var outcomes: [DealOutcome: Int] = [:]
            for record in deals.records {
                let values = try #require(expectedDeals[record.externalID])
                let deal = try #require(record.deal)
                #expect(deal.stage == values["dealstage"])
                #expect(deal.amount == values["amount"].flatMap(Double.init))
                #expect(deal.currency == values["deal_currency_code"])
                #expect(deal.closeDate == values["closedate"].flatMap(Timestamps.date))
                let expectedOutcome: DealOutcome =
                    values["hs_is_closed_won"] == "true" ? .won : values["hs_is_closed"] == "true" ? .lost : .open
                #expect(deal.outcome == expectedOutcome)
                #expect(deal.lossReason == values["closed_lost_reason"])
                outcomes[deal.outcome, default: 0] += 1
            }
            #expect(outcomes[.won, default: 0] > 0 && outcomes[.lost, default: 0] > 0 && outcomes[.open, default: 0] > 0)
        }
    }

    @Test(.timeLimit(.minutes(10))) func incrementalPullReturnsExactlyTheTouchedContacts() async throws {
        try await withSimulatedHubSpot { hubspot in
            let source = try hubspot.source()
            let full = try await drive(source, "contacts")
            let touched = Array(hubspot.simulator.contactIDsInModificationOrder().shuffled().prefix(7))
            hubspot.clock.advance(seconds: 60)
            hubspot.simulator.touch(contacts: touched)
            let incremental = try await drive(source, "contacts", from: full.checkpoint)
            #expect(incremental.ids.sorted() == touched.sorted())
            #expect(incremental.records.allSatisfy { $0.contact?.title != nil })
            // Nothing changed since: the next pass delivers nothing, however often it runs.
            hubspot.clock.advance(seconds: 60)
            let again = try await drive(source, "contacts", from: incremental.checkpoint)
            #expect(again.ids.isEmpty)
            hubspot.clock.advance(seconds: 600)
            let later = try await drive(source, "contacts", from: again.checkpoint)
            #expect(later.ids.isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(10))) func sameMillisecondTiesAcrossPagesAreNeitherLostNorRepeated() async throws {
        try await withSimulatedHubSpot { hubspot in
            var configuration = hubspot.configuration()
            configuration.searchPageSize = 50
            let source = try hubspot.source(configuration)
            let full = try await drive(source, "contacts")
            let order = hubspot.simulator.contactIDsInModificationOrder()
            // 30 contacts at one millisecond, 40 at the next: the first page ends inside the second group.
            hubspot.clock.advance(seconds: 30)
            let first = Array(order.prefix(30))
            hubspot.simulator.touch(contacts: first)
            hubspot.clock.advance(seconds: 0.001)
            let second = Array(order.dropFirst(30).prefix(40))
            hubspot.simulator.touch(contacts: second)
            hubspot.log.reset()
            let pass = try await drive(source, "contacts", from: full.checkpoint)
            #expect(pass.ids.sorted() == (first + second).sorted())
            #expect(duplicates(pass.ids).isEmpty)
            // 130 new contacts created in one millisecond: more than a page of one timestamp, read by id.
            hubspot.clock.advance(seconds: 30)
            let added = hubspot.simulator.addContacts(130)
            let ties = try await drive(source, "contacts", from: pass.checkpoint)
            #expect(ties.ids.sorted() == added.sorted())
            hubspot.clock.advance(seconds: 30)
            let quiet = try await drive(source, "contacts", from: ties.checkpoint)
            #expect(quiet.ids.isEmpty)
            // About one search per page: 70 records and the overlap in pages of 50; 130 ties in a full page of one
            // timestamp, three pages by id and one after them; one quiet page.
            #expect(hubspot.log.count("POST", "/crm/v3/objects/contacts/search") <= 16)
        }
    }

    @Test(.timeLimit(.minutes(10))) func moreThanTenThousandRecordsInOneMillisecondAreReadOnce() async throws {
        try await withSimulatedHubSpot(contacts: 200) { hubspot in
            let source = try hubspot.source()
            let full = try await drive(source, "contacts")
            hubspot.clock.advance(seconds: 30)
            let added = hubspot.simulator.addContacts(10_050)
            hubspot.log.reset()
            let pass = try await drive(source, "contacts", from: full.checkpoint)
            #expect(pass.ids.count == added.count)
            #expect(Set(pass.ids) == Set(added))
            #expect(hubspot.log.count(status: 400) == 0)
            let searches = hubspot.log.count("POST", "/crm/v3/objects/contacts/search")
            // One full page of the timestamp, 51 pages by id, one page after it, and the overlap before it.
            #expect(searches <= 10_050 / 200 + 5)
        }
    }

    @Test(.timeLimit(.minutes(10))) func searchFromTheBeginningOverMoreThanTenThousandRecords() async throws {
        try await withSimulatedHubSpot(contacts: 10_400) { hubspot in
            let source = try hubspot.source()
            // An incremental pass over everything: far more than one search may return.
            let start = try Checkpoint(encoding: ObjectCursor(phase: .search, search: .completed(at: 0), lastArchivedScanAt: 0))
            let started = ContinuousClock.now
            let pass = try await drive(source, "contacts", from: start)
            let seconds = Double((ContinuousClock.now - started).components.seconds)
                + Double((ContinuousClock.now - started).components.attoseconds) / 1e18
            let expected = Set(hubspot.simulator.liveRecords(.contacts).keys)
            #expect(Set(pass.ids) == expected)
            #expect(duplicates(pass.ids).isEmpty)
            #expect(hubspot.log.count(status: 400) == 0)
            let searches = hubspot.log.count("POST", "/crm/v3/objects/contacts/search")
            print("hubspot search pass: \(pass.ids.count) contacts, \(searches) searches, "
                + "\(Int(Double(pass.ids.count) / seconds)) records/s")
            #expect(Double(searches) * 1000 / Double(expected.count) < 8)
        }
    }

    @Test(.timeLimit(.minutes(10))) func fullContactsPullThroughput() async throws {
        try await withSimulatedHubSpot(contacts: 10_000) { hubspot in
            let source = try hubspot.source()
            let started = ContinuousClock.now
            let full = try await drive(source, "contacts")
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let requests = hubspot.log.all.count
            print("hubspot full contacts pull: \(full.ids.count) records in \(String(format: "%.2f", seconds)) s, "
                + "\(Int(Double(full.ids.count) / seconds)) records/s, "
                + "\(String(format: "%.1f", Double(requests) * 1000 / Double(full.ids.count))) requests per 1,000 records")
            #expect(full.ids.count == 10_000)
            #expect(Double(requests) * 1000 / Double(full.ids.count) <= 10.5)
        }
    }

    @Test(.timeLimit(.minutes(10))) func archivedContactsArriveAsDeletes() async throws {
        try await withSimulatedHubSpot { hubspot in
            let source = try hubspot.source()
            let full = try await drive(source, "contacts")
            #expect(full.records.filter(\.isDeleted).isEmpty)
            let gone = Array(hubspot.simulator.contactIDsInModificationOrder().prefix(3))
            hubspot.clock.advance(seconds: 60)
            hubspot.simulator.archive(contacts: gone)
            let pass = try await drive(source, "contacts", from: full.checkpoint)
            let deletes = pass.records.filter(\.isDeleted)
            #expect(Set(deletes.map(\.externalID)) == Set(gone))
            #expect(deletes.allSatisfy { $0.normalized == nil && $0.mergedInto == nil })
            hubspot.clock.advance(seconds: 600)
            let again = try await drive(source, "contacts", from: pass.checkpoint)
            #expect(again.ids.isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(10))) func mergedContactsCarryTheirAliases() async throws {
        try await withSimulatedHubSpot { hubspot in
            let source = try hubspot.source()
            let full = try await drive(source, "contacts")
            let ids = hubspot.simulator.contactIDsInModificationOrder()
            hubspot.clock.advance(seconds: 60)
            let survivor = try #require(hubspot.simulator.merge(contact: ids[1], into: ids[0]))
            let pass = try await drive(source, "contacts", from: full.checkpoint)
            let merged = try #require(pass.records.first { $0.externalID == survivor })
            #expect(!merged.isDeleted)
            #expect(merged.mergedInto == nil)
            let aliases = pass.records.filter { $0.mergedInto != nil }
            #expect(Set(aliases.map(\.externalID)) == Set([ids[0], ids[1]].filter { $0 != survivor }))
            #expect(aliases.allSatisfy { $0.mergedInto == survivor && $0.isDeleted && $0.objectType == .contact })
        }
    }

    @Test(.timeLimit(.minutes(10))) func dealContactLinksMatchTheAssociations() async throws {
        try await withSimulatedHubSpot { hubspot in
            let source = try hubspot.source()
            let full = try await drive(source, "deal_contacts")
            let expected = hubspot.simulator.dealContactLinks()
            #expect(!expected.isEmpty)
            #expect(Set(full.ids) == expected)
            #expect(duplicates(full.ids).isEmpty)
            #expect(full.batches.first?.startsSnapshot == true && full.batches.last?.completesSnapshot == true)
            #expect(full.records.allSatisfy { $0.link.map { "\($0.dealID):\($0.contactID)" } == $0.externalID })
            // A changed deal's links are read again; an unchanged one's are not.
            let deal = try #require(hubspot.simulator.liveRecords(.deals).keys.sorted().first)
            hubspot.clock.advance(seconds: 60)
            hubspot.simulator.touch(.deals, ids: [deal])
            let pass = try await drive(source, "deal_contacts", from: full.checkpoint)
            #expect(Set(pass.ids) == expected.filter { $0.hasPrefix("\(deal):") })
        }
    }

    @Test(.timeLimit(.minutes(10))) func emailEventsBecomeTouches() async throws {
        try await withSimulatedHubSpot { hubspot in
            let source = try hubspot.source()
            let full = try await drive(source, "email_events")
            let kept = HubSpotConfiguration.defaultEmailEventTypes
            let expected = hubspot.simulator.emailEvents().filter { kept.contains($0.type) }
            #expect(Set(full.ids) == Set(expected.map(\.id)))
            #expect(duplicates(full.ids).isEmpty)
            let types = Set(full.records.compactMap { $0.touch?.type })
            #expect(types.isSuperset(of: ["email_send", "email_open", "email_click"]))
            let byID = Dictionary(uniqueKeysWithValues: expected.map { ($0.id, $0) })
            for record in full.records {
                let touch = try #require(record.touch)
                #expect(touch.campaignID == byID[record.externalID]?.campaign)
                #expect(touch.email?.contains("@") == true)
                #expect(touch.occurredAt != nil)
            }
            // Payloads are the bytes HubSpot sent, cut out of the page.
            let sent = hubspot.simulator.store.withLock { store in
                Dictionary(uniqueKeysWithValues: store.email.events.map { ($0.id, $0.json) })
            }
            #expect(full.records.allSatisfy { sent[$0.externalID] == $0.payload })
            // Nothing new: the next pass reads only the overlap again.
            let again = try await drive(source, "email_events", from: full.checkpoint)
            #expect(Set(again.ids).isSubset(of: Set(full.ids)))
            #expect(again.ids.count < 50)
        }
    }

    @Test(.timeLimit(.minutes(10))) func campaignsAreReadOnceAndAgainWhenTheyChange() async throws {
        try await withSimulatedHubSpot { hubspot in
            let source = try hubspot.source()
            let full = try await drive(source, "campaigns")
            #expect(Set(full.ids) == hubspot.simulator.allCampaignKeys())
            #expect(duplicates(full.ids).isEmpty)
            let email = full.records.filter { !$0.externalID.contains(":") }
            #expect(email.allSatisfy { $0.campaign?.name != nil && $0.campaign?.channel == "email" })
            #expect(full.records.filter { $0.externalID.hasPrefix("form:") }.allSatisfy { $0.campaign?.channel == "form" })
            let events = full.records.filter { $0.externalID.hasPrefix("event:") }
            #expect(!events.isEmpty && events.allSatisfy { ["webinar", "event"].contains($0.campaign?.channel ?? "") })
            #expect(events.allSatisfy { $0.campaign?.startedAt != nil && $0.campaign?.name != nil })

            // Nothing changed: nothing is read again, and listing email campaigns stops at the first page.
            hubspot.log.reset()
            let again = try await drive(source, "campaigns", from: full.checkpoint)
            #expect(again.ids.isEmpty)
            #expect(hubspot.log.count("GET", "/email/public/v1/campaigns/") == 0)
            #expect(hubspot.log.count("GET", "/email/public/v1/campaigns") == 1)

            // An email campaign and a marketing event are renamed: both are read again, with their new names.
            hubspot.clock.advance(seconds: 3_600)
            let campaign = try #require(hubspot.simulator.campaignIDs().sorted().first)
            let event = try #require(hubspot.simulator.marketingEventIDs().first)
            hubspot.simulator.renameEmailCampaign(campaign, to: "Renamed newsletter")
            hubspot.simulator.renameMarketingEvent(event, to: "Renamed webinar")
            let changed = try await drive(source, "campaigns", from: again.checkpoint ?? full.checkpoint)
            #expect(Set(changed.ids) == [campaign, "event:\(event)"])
            #expect(changed.records.first { $0.externalID == campaign }?.campaign?.name == "Renamed newsletter")
            #expect(changed.records.first { $0.externalID == "event:\(event)" }?.campaign?.name == "Renamed webinar")
        }
    }

    @Test func campaignCheckpointsOfTheEarlierVersionStillWork() throws {
        // `{"known":[…]}`: the ids read before; each is read again once, with its update time.
        let old = try JSONDecoder().decode(CampaignsCursor.self, from: Data(#"{"known":[291004000,291011919]}"#.utf8))
        #expect(old.stamps == ["291004000": -1, "291011919": -1])
    }

    @Test func rawElementsAreCutOutOfTheBodyExactly() throws {
        let body = #"{"hasMore":true,"events":[ {"id":"a","s":"x\"]}[{"} , {"id":"b","n":[1,{"c":"}"}],"e":{}}, 3, "t" ],"offset":"z"}"#
        let parts = try #require(HubSpotRawJSON.elements(of: "events", in: Data(body.utf8)))
        #expect(parts.map { String(decoding: $0, as: UTF8.self) } == [
            #"{"id":"a","s":"x\"]}[{"}"#, #"{"id":"b","n":[1,{"c":"}"}],"e":{}}"#, "3", #""t""#,
        ])
        #expect(HubSpotRawJSON.elements(of: "events", in: Data(#"{"events":[]}"#.utf8)) == [])
        #expect(HubSpotRawJSON.elements(of: "events", in: Data(#"{"other":[1]}"#.utf8)) == nil)
        #expect(HubSpotRawJSON.elements(of: "events", in: Data(#"{"events":[{"a":1}"#.utf8)) == nil)
        #expect(HubSpotRawJSON.elements(of: "events", in: Data("[1,2]".utf8)) == nil)
    }
}
