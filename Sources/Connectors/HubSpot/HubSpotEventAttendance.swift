import Foundation
import SyncHubCore

/// Where the `event_attendance` stream stands. Saved in checkpoints.
struct EventAttendanceCursor: Codable, Sendable, Hashable {
    struct Event: Codable, Sendable, Hashable {
        var id: String
        /// The event's `updatedAt` when the pass listed it.
        var updatedAt: Int64?
        /// `WEBINAR`, `CONFERENCE`…
        var type: String?
    }

    /// Event id → its `updatedAt` when its participations were last read completely.
    var read: [String: Int64] = [:]
    /// The pass under way: events still to read (the first is being read); `nil` between passes.
    var pending: [Event]?
    /// The breakdown API's paging token within the first pending event.
    var after: String?
}

/// Marketing-event participations (registrations, attendance, no-shows, cancellations) as touches.
///
/// Events come from `GET /marketing/v3/marketing-events/`; each event's participations from
/// `GET /marketing/v3/marketing-events/participations/{marketingEventId}/breakdown`
/// (https://developers.hubspot.com/docs/api-reference/legacy/marketing/marketing-events/participant-state/get-breakdown),
/// 100 per page with `after`. The breakdown has no modification filter, so every pass reads the participations of
/// the events that are new, changed (`updatedAt`), upcoming, or ended within `lookbackDays`; an event that ended
/// earlier and has not changed since its last complete read is not read again.
struct HubSpotEventAttendanceStream: Sendable {
    let api: HubSpotAPI
    let configuration: HubSpotConfiguration

    static let stream = HubSpotStream.eventAttendance.rawValue
    static let scope = "crm.objects.marketing_events.read"
    /// The breakdown's and the events list's largest page.
    static let pageLimit = 100

    func pull(from checkpoint: EventAttendanceCursor?) -> Paginated<EventAttendanceCursor> {
        let first = checkpoint ?? EventAttendanceCursor()
        return Paginated(startingAt: first) { token in try await page(token ?? first) }
    }

    /// The events whose participations this pass reads.
    func due(_ cursor: EventAttendanceCursor) async throws -> [EventAttendanceCursor.Event] {
        let events = try await api.listAll(
            "/marketing/v3/marketing-events/", limit: Self.pageLimit, stream: Self.stream, scope: Self.scope)
        let horizon = api.nowMilliseconds - Int64(configuration.eventLookbackDays) * 86_400_000
        return events.compactMap { event in
            guard let id = event["objectId"]?.text, !id.isEmpty else { return nil }
            let updated = hubSpotMilliseconds(event["updatedAt"]?.text)
            let end = hubSpotMilliseconds(event["endDateTime"]?.text ?? event["startDateTime"]?.text)
            let unchanged = updated != nil && cursor.read[id] == updated
            let finished = end.map { $0 < horizon } ?? false
            if unchanged && finished { return nil }
            return EventAttendanceCursor.Event(id: id, updatedAt: updated, type: event["eventType"]?.text)
        }
    }

    private func page(_ cursor: EventAttendanceCursor) async throws -> (RecordBatch, EventAttendanceCursor?) {
        var next = cursor
        if next.pending == nil {
            next.pending = try await due(cursor)
            next.after = nil
        }
        guard let event = next.pending?.first else {
            next.pending = nil
            return (RecordBatch(records: [], checkpoint: try Checkpoint(encoding: next)), nil)
        }
        let path = "/marketing/v3/marketing-events/participations/\(event.id)/breakdown"
        var query = [("limit", String(Self.pageLimit))]
        if let after = next.after { query.append(("after", after)) }
        let reply: HubSpotReply
        do {
            reply = try await api.get(path, query: query, stream: Self.stream, scope: Self.scope)
        } catch let error as ConnectorError where error.code == .notFound {
            return try finishEvent(event, next, records: [], rejected: [])
        }
        let location = "GET \(path)"
        var records: [SourceRecord] = []
        var rejected: [RejectedRecord] = []
        for participation in reply.json["results"]?.items ?? [] {
            guard let id = participation["id"]?.text, !id.isEmpty else {
                rejected.append(RejectedRecord(location: location, reason: "a participation has no id", payload: participation.serialized))
                continue
            }
            records.append(Self.record(participation, id: id, event: event, location: location))
        }
        if let after = reply.json["paging"]?["next"]?["after"]?.text, !after.isEmpty, after != next.after {
            next.after = after
            return (RecordBatch(records: records, rejected: rejected, checkpoint: try Checkpoint(encoding: next)), next)
        }
        return try finishEvent(event, next, records: records, rejected: rejected)
    }

    private func finishEvent(
        _ event: EventAttendanceCursor.Event, _ cursor: EventAttendanceCursor, records: [SourceRecord],
        rejected: [RejectedRecord]
    ) throws -> (RecordBatch, EventAttendanceCursor?) {
        var next = cursor
        if let updated = event.updatedAt { next.read[event.id] = updated } else { next.read[event.id] = nil }
        next.pending?.removeFirst()
        next.after = nil
        let done = next.pending?.isEmpty ?? true
        if done { next.pending = nil }
        return (RecordBatch(records: records, rejected: rejected, checkpoint: try Checkpoint(encoding: next)), done ? nil : next)
    }

    /// A participation as a touch: attended → `webinar` or `event` (by the event's type), other states →
    /// `<webinar|event>_registered`, `_cancelled`, `_no_show`; the event is its campaign (`event:<objectId>`).
    static func record(_ participation: JSONValue, id: String, event: EventAttendanceCursor.Event, location: String) -> SourceRecord {
        let contact = participation["associations"]?["contact"] ?? .object([])
        let properties = participation["properties"] ?? .object([])
        var touch = Touch()
        touch.contactID = HubSpotMapping.value(contact, "contactId")
        touch.email = HubSpotMapping.value(contact, "email")
        touch.campaignID = "event:\(HubSpotMapping.value(participation["associations"]?["marketingEvent"] ?? .object([]), "marketingEventId") ?? event.id)"
        let kind = event.type?.uppercased() == "WEBINAR" ? "webinar" : "event"
        switch properties["attendanceState"]?.text?.uppercased() {
        case "ATTENDED": touch.type = kind
        case "REGISTERED": touch.type = kind + "_registered"
        case "CANCELLED": touch.type = kind + "_cancelled"
        case "NO_SHOW": touch.type = kind + "_no_show"
        case let other?: touch.type = kind + "_" + other.lowercased()
        case nil: touch.type = kind + "_participation"
        }
        let occurred = properties["occurredAt"]?.text.flatMap(hubSpotMilliseconds)
            ?? hubSpotMilliseconds(participation["createdAt"]?.text)
        touch.occurredAt = occurred.map(isoTime)
        return SourceRecord(
            objectType: .touch, externalID: id, payload: participation.serialized, sourceUpdatedAt: touch.occurredAt,
            normalized: .touch(touch), location: location)
    }
}
