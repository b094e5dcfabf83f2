import Foundation
@testable import SalesforceConnector
import SyncHubCore
import SyncHubSandbox
import SyncHubTesting
import Testing

@Suite(.timeLimit(.minutes(10)))
struct SalesforcePullTests {
    @Test func everyStreamConforms() async throws {
        let simulator = SalesforceSimulator(seed: 7, people: 500)
        try await withSimulator(simulator) { base in
            let source = makeSource(configuration(base, batchSize: 200))
            let failures = try await SourceConformance(connector: "crm", source: source).run()
            #expect(failures.isEmpty, "\(failures)")
        }
    }

    @Test func fullPullEqualsTheOrg() async throws {
        let simulator = SalesforceSimulator(seed: 11, people: 800)
        try await withSimulator(simulator) { base in
            let source = makeSource(configuration(base, batchSize: 200))
            var contactIDs = Set<String>()
            for stream in SalesforceStream.allCases {
                let batches = try await readAll(source, stream)
                let ids = batches.ids
                let expected = simulator.ids(stream.sObject, includeDeleted: true)
                #expect(!expected.isEmpty, "\(stream)")
                #expect(ids.count == Set(ids).count, "\(stream): an id arrived twice")
                #expect(Set(ids) == Set(expected), "\(stream): pulled \(ids.count), the org holds \(expected.count)")
                #expect(batches.records.allSatisfy { $0.objectType == stream.objectType && $0.normalized != nil })
                // Cursor order: SystemModstamp never decreases across the pull.
                let stamps = batches.records.compactMap(\.sourceUpdatedAt)
                #expect(stamps.count == ids.count && stamps == stamps.sorted(), "\(stream)")
                if stream == .contacts { contactIDs = Set(ids) }
            }

            // Deals: outcome from IsClosed/IsWon, loss reason from the configured field, amount and close date.
            let deals = try await readAll(source, .opportunities).records
            var outcomes = Set<DealOutcome>()
            for record in deals {
                guard case .deal(let deal) = record.normalized else { Issue.record("not a deal"); continue }
                let json = record.json
                let expected: DealOutcome = json["IsClosed"] == .bool(true) ? (json["IsWon"] == .bool(true) ? .won : .lost) : .open
                #expect(deal.outcome == expected)
                #expect(deal.stage == json["StageName"]?.text)
                #expect(deal.lossReason == json["Loss_Reason__c"]?.text)
                #expect(deal.amount == json["Amount"]?.text.flatMap(Double.init))
                #expect(deal.closeDate == json["CloseDate"]?.text)
                outcomes.insert(deal.outcome)
            }
            #expect(outcomes == [.open, .won, .lost])

            // Contact roles link the same connector's deals and contacts.
            for record in try await readAll(source, .opportunityContactRoles).records {
                guard case .dealContact(let link) = record.normalized else { Issue.record("not a link"); continue }
                #expect(link.dealID == record.json["OpportunityId"]?.text)
                #expect(link.contactID == record.json["ContactId"]?.text)
                #expect(link.isPrimary == (record.json["IsPrimary"] == .bool(true)))
            }
            // Campaign members are touches of a contact or a lead.
            for record in try await readAll(source, .campaignMembers).records {
                guard case .touch(let touch) = record.normalized else { Issue.record("not a touch"); continue }
                #expect(touch.contactID != nil && touch.campaignID != nil && touch.occurredAt != nil)
                if let contact = record.json["ContactId"]?.text { #expect(contactIDs.contains(contact)) }
            }
        }
    }

    @Test func convertedLeadIsSameAsItsContact() async throws {
        let simulator = SalesforceSimulator(seed: 3, people: 400)
        try await withSimulator(simulator) { base in
            let source = makeSource(configuration(base))
            let contacts = Set(try await readAll(source, .contacts).ids)
            let leads = try await readAll(source, .leads).records
            let converted = leads.filter { $0.json["IsConverted"] == .bool(true) }
            #expect(converted.count > 10)
            for record in leads {
                guard case .contact(let lead) = record.normalized else { Issue.record("not a contact"); continue }
                #expect(lead.kind == "lead")
                #expect(lead.lifecycleStage == record.json["Status"]?.text)
                if let contact = record.json["ConvertedContactId"]?.text {
                    #expect(lead.sameAs == [RecordReference(connector: "crm", objectType: .contact, externalID: contact)])
                    #expect(contacts.contains(contact))
                } else {
                    #expect(lead.sameAs.isEmpty)
                }
            }
        }
    }

    @Test func incrementalReadsExactlyTheTouchedRowsAcrossATiedPageBoundary() async throws {
        let clock = SimulatedClock()
        let simulator = SalesforceSimulator(seed: 5, people: 1200, now: clock.now)
        try await withSimulator(simulator) { base in
            let source = makeSource(configuration(base, batchSize: 200))
            let full = try await readAll(source, .contacts)
            let saved = try #require(full.lastCheckpoint)

            clock.advance(seconds: 60)
            // 450 records stamped in one second: the 200-record batches split the tie twice.
            let touched = simulator.touch("Contact", count: 450)
            #expect(touched.count == 450)
            let incremental = try await readAll(source, .contacts, after: saved)
            #expect(incremental.count == 3)
            #expect(incremental.ids.count == 450)
            #expect(Set(incremental.ids) == Set(touched))
            #expect(incremental.allSatisfy { $0.checkpoint != nil })

            // Resuming inside the tie, after the first page, reads the rest: nothing lost, nothing repeated.
            let afterFirstPage = try #require(incremental[0].checkpoint)
            let rest = try await readAll(source, .contacts, after: afterFirstPage)
            #expect(Set(rest.ids).isDisjoint(with: incremental[0].records.map(\.externalID)))
            #expect(Set(rest.ids).union(incremental[0].records.map(\.externalID)) == Set(touched))
            #expect(rest.ids.count + incremental[0].records.count == 450)

            // The boundary record is not read again by the next run.
            let again = try await readAll(source, .contacts, after: try #require(incremental.lastCheckpoint))
            #expect(again.ids.isEmpty)
            #expect(again.lastCheckpoint == incremental.lastCheckpoint)
        }
    }

    @Test func deletesArriveAsDeleted() async throws {
        let clock = SimulatedClock()
        let simulator = SalesforceSimulator(seed: 9, people: 400, now: clock.now)
        try await withSimulator(simulator) { base in
            let source = makeSource(configuration(base))
            let savedDeals = try #require(try await readAll(source, .opportunities).lastCheckpoint)
            let savedRoles = try #require(try await readAll(source, .opportunityContactRoles).lastCheckpoint)
            clock.advance(seconds: 5)
            let victim = try #require(simulator.ids("Opportunity").first)
            // Deleting an opportunity deletes its contact roles too.
            let deleted = simulator.delete("Opportunity", ids: [victim])
            #expect(deleted.contains(victim))
            let roles = deleted.filter { $0.hasPrefix("00K") }
            #expect(!roles.isEmpty)

            let deals = try await readAll(source, .opportunities, after: savedDeals).records
            #expect(deals.map(\.externalID) == [victim])
            #expect(deals.first?.isDeleted == true)
            #expect(deals.first?.mergedInto == nil)
            let links = try await readAll(source, .opportunityContactRoles, after: savedRoles).records
            #expect(Set(links.map(\.externalID)) == Set(roles))
            #expect(links.allSatisfy { $0.isDeleted })
        }
    }

    @Test(arguments: [SalesforceStream.contacts, .leads, .accounts])
    func mergesArriveAsMergedInto(_ stream: SalesforceStream) async throws {
        let clock = SimulatedClock()
        let simulator = SalesforceSimulator(seed: 13, people: 400, now: clock.now)
        try await withSimulator(simulator) { base in
            let source = makeSource(configuration(base))
            let saved = try #require(try await readAll(source, stream).lastCheckpoint)
            clock.advance(seconds: 5)
            let live = simulator.ids(stream.sObject)
            let (master, loser) = (live[0], live[1])
            #expect(simulator.merge(stream.sObject, loser: loser, into: master))
            let changes = try await readAll(source, stream, after: saved).records
            let merged = try #require(changes.first { $0.externalID == loser })
            #expect(merged.isDeleted)
            #expect(merged.mergedInto == master)
            let survivor = try #require(changes.first { $0.externalID == master })
            #expect(!survivor.isDeleted && survivor.mergedInto == nil)
        }
    }

    @Test func addedFieldsReadTheStreamAgain() async throws {
        let simulator = SalesforceSimulator(seed: 2, people: 300)
        try await withSimulator(simulator) { base in
            let before = makeSource(configuration(base))
            let saved = try #require(try await readAll(before, .campaigns).lastCheckpoint)
            #expect(try await readAll(before, .campaigns, after: saved).ids.isEmpty)
            var widened = configuration(base)
            widened.extraFields = ["Campaign": ["Owner.Name"]]
            let after = try await readAll(makeSource(widened), .campaigns, after: saved)
            #expect(Set(after.ids) == Set(simulator.ids("Campaign", includeDeleted: true)))
        }
    }
}
