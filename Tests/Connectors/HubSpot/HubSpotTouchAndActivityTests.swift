import Foundation
import SyncHubCore
import SyncHubTesting
import Testing

@testable import HubSpotConnector
@testable import SyncHubSandbox

/// Deals' companies, form submissions, marketing-event attendance and sales activities, pulled from the simulation
/// over loopback HTTP.
@Suite struct HubSpotTouchAndActivityTests {
    @Test(.timeLimit(.minutes(10))) func dealsCarryTheirPrimaryCompany() async throws {
        try await withSimulatedHubSpot { hubspot in
            let source = try hubspot.source()
            let full = try await drive(source, "deals")
            #expect(!full.records.isEmpty)
            for record in full.records {
                let deal = try #require(record.deal)
                #expect(deal.accountID != nil)
                #expect(deal.accountID == hubspot.simulator.primaryCompany(ofDeal: record.externalID))
                // The raw record keeps the links it was read with.
                let links = record.json["associations"]?["companies"]?.items ?? []
                #expect(links.compactMap { $0["toObjectId"]?.text } == hubspot.simulator.linked(record.externalID, .deals, to: .companies))
            }
            #expect(hubspot.log.count("POST", "/crm/v4/associations/deals/companies/batch/read") >= 1)

            // An incremental (search) pass carries them too.
            let deal = try #require(full.records.first?.externalID)
            hubspot.clock.advance(seconds: 60)
            hubspot.simulator.touch(.deals, ids: [deal])
            let pass = try await drive(source, "deals", from: full.checkpoint)
            let changed = try #require(pass.records.first { $0.externalID == deal }?.deal)
            #expect(changed.accountID == hubspot.simulator.primaryCompany(ofDeal: deal))
        }
    }

    @Test(.timeLimit(.minutes(10))) func formSubmissionsBecomeTouchesAndLaterPassesReadOnlyNewOnes() async throws {
        try await withSimulatedHubSpot(contacts: 600) { hubspot in
            var configuration = hubspot.configuration()
            configuration.overlapSeconds = 0
            let source = try hubspot.source(configuration)
            let full = try await drive(source, "form_submissions")
            let expected = hubspot.simulator.allSubmissions()
            #expect(Set(full.ids) == Set(expected.keys))
            #expect(duplicates(full.ids).isEmpty)
            // More submissions per form than a page holds (50): pages were followed.
            #expect(expected.count > 3 * 50)
            #expect(hubspot.log.count("GET", "/form-integrations/v1/submissions/forms/") > hubspot.simulator.formIDs().count)
            for record in full.records {
                let touch = try #require(record.touch)
                let submission = try #require(expected[record.externalID])
                #expect(touch.type == "form_fill")
                #expect(touch.campaignID == "form:\(submission.form)")
                #expect(touch.email?.contains("@") == true)
                #expect(touch.occurredAt == Timestamps.format(millisecondsSinceEpoch: submission.submittedAt, withMilliseconds: true))
            }

            // A new submission: the next pass reads it, and of the rest at most the newest of each form again.
            hubspot.clock.advance(seconds: 60)
            let form = try #require(hubspot.simulator.formIDs().first)
            let contact = try #require(hubspot.simulator.contactIDsInModificationOrder().first)
            let added = try #require(hubspot.simulator.submitForm(form, contact: contact))
            hubspot.log.reset()
            let pass = try await drive(source, "form_submissions", from: full.checkpoint)
            #expect(pass.ids.contains(added))
            #expect(pass.ids.count <= 1 + hubspot.simulator.formIDs().count)
            #expect(hubspot.log.count("GET", "/form-integrations/v1/submissions/forms/") == hubspot.simulator.formIDs().count)
        }
    }

    @Test(.timeLimit(.minutes(10))) func formSubmissionsResumeInsideAForm() async throws {
        try await withSimulatedHubSpot(contacts: 600) { hubspot in
            let source = try hubspot.source()
            // Stop after the first page (inside the first form, which has more than a page), then resume.
            let stream = try #require(try await source.streams().first { $0.name == "form_submissions" })
            var first: [String] = []
            var checkpoint: Checkpoint?
            for try await batch in source.pull(stream, resumingAfter: nil) {
                first += batch.records.map(\.externalID)
                checkpoint = batch.checkpoint
                break
            }
            let rest = try await drive(source, "form_submissions", from: checkpoint)
            #expect(Set(first + rest.ids) == Set(hubspot.simulator.allSubmissions().keys))
            #expect(Set(first).isDisjoint(with: rest.ids))
            #expect(first.count == HubSpotFormSubmissionsStream.pageLimit)
        }
    }

    @Test(.timeLimit(.minutes(10))) func eventAttendanceBecomesTouches() async throws {
        try await withSimulatedHubSpot(contacts: 1_500) { hubspot in
            let source = try hubspot.source()
            let full = try await drive(source, "event_attendance")
            let expected = hubspot.simulator.allParticipations()
            let events = hubspot.simulator.marketingEvents()
            #expect(expected.count > 100)
            #expect(Set(full.ids) == Set(expected.keys))
            #expect(duplicates(full.ids).isEmpty)
            var types = Set<String>()
            for record in full.records {
                let touch = try #require(record.touch)
                let participation = try #require(expected[record.externalID])
                #expect(touch.contactID == participation.contact)
                #expect(touch.campaignID == "event:\(participation.event)")
                #expect(touch.email?.contains("@") == true)
                #expect(touch.occurredAt != nil)
                let kind = events[participation.event]?.type == "WEBINAR" ? "webinar" : "event"
                let suffix = ["ATTENDED": "", "REGISTERED": "_registered", "CANCELLED": "_cancelled", "NO_SHOW": "_no_show"]
                #expect(touch.type == kind + (suffix[participation.state] ?? "?"))
                types.insert(touch.type ?? "")
            }
            #expect(types.isSuperset(of: ["webinar", "webinar_no_show"]))

            // The next pass reads only the events that are upcoming or ended within the lookback (30 days).
            hubspot.log.reset()
            let now = Int64(hubspot.clock.date().timeIntervalSince1970 * 1000)
            let recent = events.filter { $0.value.endMs >= now - 30 * 86_400_000 }
            #expect(!recent.isEmpty && recent.count < events.count)
            let upcoming = try #require(events.first { $0.value.endMs > now }?.key)
            let contact = try #require(hubspot.simulator.contactIDsInModificationOrder().last)
            let added = try #require(hubspot.simulator.addParticipation(event: upcoming, contact: contact))
            let pass = try await drive(source, "event_attendance", from: full.checkpoint)
            #expect(pass.ids.contains(added))
            #expect(hubspot.log.count("GET", "/marketing/v3/marketing-events/participations/") >= recent.count)
            let readEvents = Set(pass.records.compactMap { $0.touch?.campaignID })
            #expect(readEvents.isSubset(of: Set(recent.keys.map { "event:\($0)" })))
        }
    }

    @Test(.timeLimit(.minutes(10)), arguments: ["calls", "meetings", "emails", "tasks"])
    func activitiesArePulledWithTheirContactsCompaniesAndDeals(_ stream: String) async throws {
        try await withSimulatedHubSpot(contacts: 400) { hubspot in
            let type = try #require(HubSpotObjectType(path: stream))
            let source = try hubspot.source()
            let full = try await drive(source, stream)
            let expected = hubspot.simulator.liveRecords(type)
            #expect(!expected.isEmpty)
            #expect(Set(full.liveIDs) == Set(expected.keys))
            #expect(duplicates(full.ids).isEmpty)
            #expect(full.batches.first?.startsSnapshot == true)
            for record in full.records {
                let activity = try #require(record.activity)
                let values = try #require(expected[record.externalID])
                #expect(activity.type == ["calls": "call", "meetings": "meeting", "emails": "email", "tasks": "task"][stream])
                #expect(activity.contactID == hubspot.simulator.linked(record.externalID, type, to: .contacts).first)
                #expect(activity.contactID != nil)
                #expect(activity.accountID == hubspot.simulator.linked(record.externalID, type, to: .companies).first)
                #expect(activity.dealID == hubspot.simulator.linked(record.externalID, type, to: .deals).first)
                #expect(activity.owner == values["hubspot_owner_id"])
                #expect(activity.occurredAt != nil)
                switch stream {
                case "calls":
                    #expect(activity.direction == values["hs_call_direction"]?.lowercased())
                    #expect(activity.status == values["hs_call_status"]?.lowercased())
                case "emails":
                    #expect(activity.direction == (values["hs_email_direction"] == "INCOMING_EMAIL" ? "inbound" : "outbound"))
                case "tasks":
                    #expect(activity.status == values["hs_task_status"]?.lowercased())
                default:
                    #expect(activity.status == values["hs_meeting_outcome"]?.lowercased())
                }
                // Only when, who and how: never subjects or bodies.
                #expect(record.json["properties"]?["hs_call_title"] == nil && record.json["properties"]?["hs_email_subject"] == nil)
            }

            // Incremental: changed ones through search, archived ones as deletes.
            let ids = hubspot.simulator.idsInModificationOrder(stream)
            hubspot.clock.advance(seconds: 60)
            let changed = Array(ids.prefix(5))
            hubspot.simulator.touch(stream, ids: changed)
            hubspot.simulator.archive(stream, ids: [ids[ids.count - 1]])
            let pass = try await drive(source, stream, from: full.checkpoint)
            #expect(Set(pass.liveIDs) == Set(changed))
            #expect(pass.records.filter(\.isDeleted).map(\.externalID) == [ids[ids.count - 1]])
        }
    }

    @Test(.timeLimit(.minutes(10))) func callsPassTheConnectorTestKit() async throws {
        try await withSimulatedHubSpot(contacts: 450) { hubspot in
            let source = try hubspot.source()
            let failures = try await ConnectorTestKit(
                connector: "hubspot", source: source, system: HubSpotKitSystem(hubspot: hubspot, objectType: "calls"),
                streams: ["calls"]
            ).run()
            #expect(failures.isEmpty, "\(failures)")
        }
    }

    @Test func activityMappingFollowsHubSpotsValues() {
        let call = HubSpotMapping.activity(.calls, .object([
            ("hs_timestamp", .string("2025-03-01T10:00:00.000Z")), ("hs_call_direction", .string("INBOUND")),
            ("hs_call_status", .string("NO_ANSWER")), ("hubspot_owner_id", .string("42")),
        ]))
        #expect(call.type == "call" && call.direction == "inbound" && call.status == "no_answer" && call.owner == "42")
        #expect(call.occurredAt == "2025-03-01T10:00:00Z")
        let email = HubSpotMapping.activity(.emails, .object([("hs_email_direction", .string("EMAIL")), ("hs_createdate", .string("2025-03-02T00:00:00Z"))]))
        #expect(email.direction == "outbound" && email.occurredAt == "2025-03-02T00:00:00Z")
        let done = HubSpotMapping.activity(.tasks, .object([
            ("hs_timestamp", .string("2025-03-05T00:00:00Z")), ("hs_task_status", .string("COMPLETED")),
            ("hs_task_completion_date", .string("2025-03-03T09:00:00Z")),
        ]))
        #expect(done.status == "completed" && done.occurredAt == "2025-03-03T09:00:00Z")
        let open = HubSpotMapping.activity(.tasks, .object([
            ("hs_timestamp", .string("2025-03-05T00:00:00Z")), ("hs_task_status", .string("NOT_STARTED")),
        ]))
        #expect(open.status == "not_started" && open.occurredAt == "2025-03-05T00:00:00Z")
        let meeting = HubSpotMapping.activity(.meetings, .object([
            ("hs_timestamp", .string("2025-03-05T00:00:00Z")), ("hs_meeting_start_time", .string("2025-03-06T15:00:00Z")),
            ("hs_meeting_outcome", .string("COMPLETED")),
        ]))
        #expect(meeting.type == "meeting" && meeting.status == "completed" && meeting.occurredAt == "2025-03-06T15:00:00Z")
    }
}
