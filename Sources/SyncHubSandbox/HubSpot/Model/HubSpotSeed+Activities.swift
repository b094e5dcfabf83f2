import SyncHubCore

/// Sales engagements (calls, meetings, emails, tasks) after contacts were created, and marketing events with their
/// participations. Each draws from its own sequence, so the records generated before them are unchanged.
extension HubSpotSeed {
    /// About three quarters of the contacts are followed up: a first engagement minutes to days after the contact
    /// was created, then one to three more; the rest never are. Engagements are linked to their contact, its
    /// primary company and sometimes one of its deals, and owned by the contact's owner.
    mutating func buildEngagements(into store: inout HubSpotStore) {
        var random = HubSpotRandom(seed: seed &+ 0xE6A6_E3E7)
        var drafts: [HubSpotObjectType: [(values: [String: String], created: Int64, modified: Int64)]] = [:]
        var links: [HubSpotObjectType: [(contact: Int64, company: Int64?, deal: Int64?)]] = [:]
        let latest = anchorMs - 60_000
        for position in 0..<store[.contacts].count {
            let contact = store[.contacts][position]
            guard random.chance(0.75) else { continue }
            let delay: Int64
            switch random.below(10) {
            case 0..<4: delay = random.int64(120_000...3_600_000)  // within the hour
            case 4..<7: delay = random.int64(3_600_000...(24 * 3_600_000))  // within the day
            default: delay = random.int64((24 * 3_600_000)...(12 * HubSpotTime.dayMs))  // days later
            }
            var time = contact.createdMs + delay
            let company = contact.values["associatedcompanyid"].flatMap { Int64($0) }
            let deals = store.associations.targets(of: contact.id, .contacts, to: .deals)
            for _ in 0..<random.int(1...4) {
                guard time < latest else { break }
                let type = random.pick(weighted: [
                    (HubSpotObjectType.calls, 40), (.emails, 35), (.meetings, 10), (.tasks, 15),
                ])
                var values = ["hs_timestamp": HubSpotTime.iso(time)]
                if let owner = contact.values["hubspot_owner_id"] { values["hubspot_owner_id"] = owner }
                var created = time
                switch type {
                case .calls:
                    values["hs_call_title"] = random.pick(HubSpotSeedVocabulary.callTitles)
                    values["hs_call_direction"] = random.chance(0.8) ? "OUTBOUND" : "INBOUND"
                    values["hs_call_status"] = random.pick(weighted: [("COMPLETED", 70), ("NO_ANSWER", 20), ("BUSY", 10)])
                    values["hs_call_duration"] = String(random.int(20...1_800) * 1000)
                case .meetings:
                    values["hs_meeting_title"] = random.pick(HubSpotSeedVocabulary.meetingTitles)
                    values["hs_meeting_start_time"] = HubSpotTime.iso(time)
                    values["hs_meeting_end_time"] = HubSpotTime.iso(time + 1_800_000)
                    values["hs_meeting_outcome"] = random.pick(weighted: [("COMPLETED", 75), ("NO_SHOW", 15), ("CANCELED", 10)])
                    created = max(contact.createdMs, time - random.int64(0...(3 * HubSpotTime.dayMs)))
                case .emails:
                    values["hs_email_subject"] = random.pick(HubSpotSeedVocabulary.emailSubjects)
                    values["hs_email_direction"] = random.chance(0.85) ? "EMAIL" : "INCOMING_EMAIL"
                    values["hs_email_status"] = random.chance(0.95) ? "SENT" : "BOUNCED"
                default:
                    values["hs_task_subject"] = random.pick(HubSpotSeedVocabulary.taskSubjects)
                    values["hs_task_type"] = random.pick(["CALL", "EMAIL", "TODO"])
                    values["hs_task_priority"] = random.pick(["LOW", "MEDIUM", "HIGH"])
                    if random.chance(0.7) {
                        values["hs_task_status"] = "COMPLETED"
                        values["hs_task_completion_date"] = HubSpotTime.iso(time)
                    } else {
                        values["hs_task_status"] = "NOT_STARTED"
                        values["hs_timestamp"] = HubSpotTime.iso(time + random.int64(HubSpotTime.dayMs...(5 * HubSpotTime.dayMs)))
                    }
                }
                var modified = min(latest, time + random.int64(0...(2 * 3_600_000)))
                // Logged in bulk by an integration: many share a minute.
                if random.chance(0.15) { modified = max(created, modified - modified % 60_000) }
                drafts[type, default: []].append((values, created, modified))
                links[type, default: []].append((contact.id, company, deals.isEmpty || !random.chance(0.5) ? nil : random.pick(deals)))
                time += random.int64((6 * 3_600_000)...(15 * HubSpotTime.dayMs))
            }
        }
        for type in HubSpotObjectType.engagements {
            let ids = store.createAll(type, drafts[type] ?? [])
            for (id, link) in zip(ids, links[type] ?? []) {
                store.associations.link(id, type, link.contact, .contacts)
                if let company = link.company { store.associations.link(id, type, company, .companies) }
                if let deal = link.deal { store.associations.link(id, type, deal, .deals) }
            }
        }
    }

    /// Webinars and conferences over the last ten months and the next two; about one contact in six took part
    /// in one: past events have attendees and no-shows, upcoming ones registrations (a few cancelled).
    mutating func buildMarketingEvents(into store: inout HubSpotStore) {
        var random = HubSpotRandom(seed: seed &+ 0x3A2E_7E17)
        let contactCount = store[.contacts].count
        let eventCount = max(3, contactCount / 250)
        var events: [HubSpotMarketingEvent] = []
        for index in 0..<eventCount {
            let start = anchorMs + random.int64((-300 * HubSpotTime.dayMs)...(60 * HubSpotTime.dayMs))
            let begins = start - start % 3_600_000
            let type = random.pick(weighted: [("WEBINAR", 60), ("CONFERENCE", 25), ("WORKSHOP", 15)])
            let created = begins - random.int64((20 * HubSpotTime.dayMs)...(60 * HubSpotTime.dayMs))
            events.append(
                HubSpotMarketingEvent(
                    objectID: String(610_000_000 + index * 37), externalEventID: "sandbox-event-\(index + 1)",
                    name: "\(random.pick(HubSpotSeedVocabulary.eventThemes)) \(HubSpotTime.day(begins))",
                    type: type, organizer: "Sandbox Events", startMs: begins,
                    endMs: begins + (type == "CONFERENCE" ? 8 : 1) * 3_600_000, createdMs: created, updatedMs: created))
        }
        for position in 0..<contactCount where random.chance(0.16) {
            let contact = store[.contacts][position]
            let index = random.below(events.count)
            let event = events[index]
            let registered = max(contact.createdMs, event.createdMs) + random.int64(0...(10 * HubSpotTime.dayMs))
            guard registered < event.startMs, registered < anchorMs - 60_000 else { continue }
            let state: String
            var occurred = registered
            var duration: Int?
            if event.endMs < anchorMs {
                state = random.pick(weighted: [("ATTENDED", 55), ("NO_SHOW", 35), ("CANCELLED", 10)])
                if state == "ATTENDED" {
                    occurred = event.startMs + random.int64(0...600_000)
                    duration = random.int(300...Int((event.endMs - event.startMs) / 1000))
                } else if state == "NO_SHOW" {
                    occurred = event.endMs
                }
            } else {
                state = random.chance(0.9) ? "REGISTERED" : "CANCELLED"
            }
            events[index].participations.append(
                .init(
                    id: String(store.nextParticipationID), contactID: contact.id, email: contact.values["email"],
                    firstName: contact.values["firstname"], lastName: contact.values["lastname"], state: state,
                    occurredMs: min(occurred, anchorMs - 60_000), createdMs: registered, durationSeconds: duration))
            store.nextParticipationID += 1
            events[index].updatedMs = max(events[index].updatedMs, min(occurred, anchorMs - 60_000))
        }
        store.marketingEvents = events
    }
}
