import Foundation
import Logging
import SyncHubCore
import SyncHubHTTP

/// Where the `email_events` stream stands. Saved in checkpoints.
struct EmailEventsCursor: Codable, Sendable, Hashable {
    /// Start of the time window being read (ms since 1970, inclusive).
    var windowStart: Int64
    /// The events API's paging token within the window.
    var offset: String?
    /// Where the next pass starts, before the overlap: the latest `created` read so far (never goes back).
    var anchor: Int64
    /// The latest `created` the running pass read.
    var latestCreated: Int64?
    var isComplete: Bool
}

/// Marketing email events (`GET /email/public/v1/events`) as touches, read in time windows
/// (`startTimestamp`/`endTimestamp`) paged with `offset`/`hasMore`. The events API promises no order within a
/// window, so a window's position is its start plus the paging token; the last window is open-ended, and the next
/// pass starts at the latest event read, minus the overlap (events are logged with some delay). Positions are on
/// the events' own clock, never the local one, so a skewed clock cannot skip events.
struct HubSpotEmailEventsStream: Sendable {
    let api: HubSpotAPI
    let configuration: HubSpotConfiguration

    static let stream = HubSpotStream.emailEvents.rawValue
    static let scope = "content"
    static let pageLimit = 1_000

    var overlap: Int64 { Int64(configuration.overlapSeconds) * 1000 }
    var window: Int64 { Int64(configuration.emailEventsWindowDays) * 86_400_000 }
    var now: Int64 { Int64((api.wallClock().timeIntervalSince1970 * 1000).rounded(.down)) }

    func pull(from checkpoint: EmailEventsCursor?) -> Paginated<EmailEventsCursor> {
        var cursor: EmailEventsCursor
        if let checkpoint {
            cursor = checkpoint
            if cursor.isComplete {
                cursor = EmailEventsCursor(windowStart: cursor.anchor - overlap, anchor: cursor.anchor, isComplete: false)
            }
        } else {
            let start = configuration.emailEventsStart ?? (now - 365 * 86_400_000)
            cursor = EmailEventsCursor(windowStart: start, anchor: start, isComplete: false)
        }
        let first = cursor
        return Paginated(startingAt: first) { token in try await page(token ?? first) }
    }

    private func page(_ cursor: EmailEventsCursor) async throws -> (RecordBatch, EmailEventsCursor?) {
        let windowEnd = cursor.windowStart + window
        let isOpen = windowEnd > now
        var query = [("startTimestamp", String(cursor.windowStart)), ("limit", String(Self.pageLimit))]
        if !isOpen { query.append(("endTimestamp", String(windowEnd))) }
        var sent = cursor
        let reply: HubSpotReply
        do {
            reply = try await api.get(
                "/email/public/v1/events", query: query + (cursor.offset.map { [("offset", $0)] } ?? []),
                stream: Self.stream, scope: Self.scope)
        } catch let error as ConnectorError where error.code == .rejected && cursor.offset != nil {
            // A paging token HubSpot no longer accepts: read the window again from its start.
            api.client.logger.info(
                "email events: paging token refused; reading the window again",
                metadata: ["sync.stream": "\(Self.stream)"])
            sent.offset = nil
            reply = try await api.get("/email/public/v1/events", query: query, stream: Self.stream, scope: Self.scope)
        }
        var next = sent
        let location = "GET /email/public/v1/events from \(isoTime(cursor.windowStart))"
        var records: [SourceRecord] = []
        var rejected: [RejectedRecord] = []
        let events = reply.json["events"]?.items ?? []
        // Each event's bytes as sent, when the body can be cut into them (else each is serialized again).
        let raw = HubSpotRawJSON.elements(of: "events", in: reply.body).flatMap { $0.count == events.count ? $0 : nil }
        for (index, event) in events.enumerated() {
            guard let id = event["id"]?.text, !id.isEmpty, let created = event["created"]?.text.flatMap({ Int64($0) })
            else {
                rejected.append(
                    RejectedRecord(location: location, reason: "an email event has no id or created time", payload: event.serialized))
                continue
            }
            next.latestCreated = max(next.latestCreated ?? created, created)
            guard let type = event["type"]?.text?.uppercased(), configuration.emailEventTypes.contains(type) else { continue }
            var touch = Touch()
            touch.email = event["recipient"]?.text
            touch.campaignID = event["emailCampaignId"]?.text
            touch.type = Self.touchType(type, event)
            touch.occurredAt = isoTime(created)
            records.append(
                SourceRecord(
                    objectType: .touch, externalID: id, payload: raw?[index] ?? event.serialized, sourceUpdatedAt: touch.occurredAt,
                    normalized: .touch(touch), location: location))
        }
        let hasMore = reply.json["hasMore"] == .bool(true)
        if hasMore, let offset = reply.json["offset"]?.text, !offset.isEmpty {
            guard offset != sent.offset else {
                throw ConnectorError(
                    .invalidData,
                    "GET /email/public/v1/events: HubSpot returned the same paging offset again, so reading would not "
                        + "advance; the stream stops here and resumes from its checkpoint next run",
                    connector: api.connector, stream: Self.stream)
            }
            next.offset = offset
            return (RecordBatch(records: records, rejected: rejected, checkpoint: try Checkpoint(encoding: next)), next)
        }
        if isOpen {
            let anchor = max(next.anchor, next.latestCreated ?? next.anchor)
            next = EmailEventsCursor(windowStart: anchor, anchor: anchor, isComplete: true)
            return (RecordBatch(records: records, rejected: rejected, checkpoint: try Checkpoint(encoding: next)), nil)
        }
        next.windowStart = windowEnd
        next.offset = nil
        return (RecordBatch(records: records, rejected: rejected, checkpoint: try Checkpoint(encoding: next)), next)
    }

    /// synchub's touch type for a HubSpot email event type.
    static func touchType(_ type: String, _ event: JSONValue) -> String {
        switch type {
        case "SENT": return "email_send"
        case "DELIVERED": return "email_delivered"
        case "OPEN": return "email_open"
        case "CLICK": return "email_click"
        case "BOUNCE": return "email_bounce"
        case "SPAMREPORT": return "email_spam_report"
        case "FORWARD": return "email_forward"
        case "PRINT": return "email_print"
        case "DROPPED": return "email_dropped"
        case "DEFERRED": return "email_deferred"
        case "PROCESSED": return "email_processed"
        case "STATUSCHANGE":
            let unsubscribed = event["portalSubscriptionStatus"]?.text == "UNSUBSCRIBED"
                || (event["subscriptions"]?.items ?? []).contains { $0["status"]?.text == "UNSUBSCRIBED" }
            return unsubscribed ? "email_unsubscribe" : "email_subscription_change"
        default: return "email_" + type.lowercased()
        }
    }
}
