import Foundation
import SyncHubCore

/// Where the `campaigns` stream stands: what was read of each campaign. Saved in checkpoints.
struct CampaignsCursor: Codable, Sendable, Hashable {
    /// Checkpoints of earlier versions: the email campaign ids delivered (each is read again once).
    var known: [Int64]?
    /// Campaign id → the update time it was read at: `lastUpdatedTime` for email campaigns (`123`), `updatedAt`
    /// for forms (`form:<guid>`) and marketing events (`event:<objectId>`); -1 when unknown.
    var updated: [String: Int64]?
    /// The latest `lastUpdatedTime` of an email campaign after the last complete pass.
    var emailNewest: Int64?

    var stamps: [String: Int64] {
        var out = updated ?? [:]
        for id in known ?? [] where out[String(id)] == nil { out[String(id)] = -1 }
        return out
    }
}

/// Campaigns, refreshed when they change:
/// - marketing email campaigns: `GET /email/public/v1/campaigns` lists them by most recent activity with their
///   `lastUpdatedTime` (https://developers.hubspot.com/docs/api-reference/legacy/reporting/email-analytics/campaigns/get-email-public-v1-campaigns);
///   the details of those that are new or changed come from `GET /email/public/v1/campaigns/{id}`. A later pass
///   stops listing at the first campaign older than the newest of the last pass (minus the overlap).
/// - with the `form_submissions` stream, the forms (`form:<guid>`, channel `form`), from `GET /marketing/v3/forms/`;
/// - with the `event_attendance` stream, the marketing events (`event:<objectId>`, channel `webinar` or `event`),
///   from `GET /marketing/v3/marketing-events/`.
/// Forms and events are delivered when their `updatedAt` changed. Every checkpoint holds what was read, so
/// resuming lists again and reads only what is still missing.
struct HubSpotCampaignsStream: Sendable {
    let api: HubSpotAPI
    let configuration: HubSpotConfiguration

    static let stream = HubSpotStream.campaigns.rawValue
    static let scope = "content"
    static let listLimit = 250
    /// Campaign details fetched per batch, and at once.
    static let detailsPerBatch = 25
    static let concurrency = 4

    var overlap: Int64 { Int64(configuration.overlapSeconds) * 1000 }

    struct Step: Sendable {
        var cursor: CampaignsCursor
        var pending: [(id: Int64, stamp: Int64)]
        var isListed: Bool
        var passNewest: Int64?
    }

    func pull(from checkpoint: CampaignsCursor?) -> Paginated<Step> {
        var cursor = checkpoint ?? CampaignsCursor()
        cursor.updated = cursor.stamps
        cursor.known = nil
        let first = Step(cursor: cursor, pending: [], isListed: false, passNewest: nil)
        return Paginated(startingAt: first) { token in try await page(token ?? first) }
    }

    private func page(_ step: Step) async throws -> (RecordBatch, Step?) {
        var next = step
        var records: [SourceRecord] = []
        if !next.isListed {
            try await listEmailCampaigns(&next)
            records += try await otherCampaigns(&next.cursor)
            next.isListed = true
        }
        let chunk = Array(next.pending.prefix(Self.detailsPerBatch))
        next.pending.removeFirst(chunk.count)
        let details = try await fetchDetails(chunk.map(\.id))
        for (id, stamp) in chunk {
            next.cursor.updated?[String(id)] = stamp
            guard let detail = details[id] else { continue }
            records.append(Self.record(detail, id: id, updatedAt: stamp))
        }
        let isDone = next.pending.isEmpty
        if isDone, let newest = next.passNewest { next.cursor.emailNewest = max(next.cursor.emailNewest ?? newest, newest) }
        let checkpoint = try Checkpoint(encoding: next.cursor)
        return (RecordBatch(records: records, checkpoint: checkpoint), isDone ? nil : next)
    }

    /// Queues the email campaigns that are new or changed since they were read.
    private func listEmailCampaigns(_ step: inout Step) async throws {
        let stamps = step.cursor.updated ?? [:]
        let stop = step.cursor.emailNewest.map { $0 - overlap }
        var offset: String?
        var queued = Set<Int64>()
        listing: for _ in 0..<100_000 {
            var query = [("limit", String(Self.listLimit))]
            if let offset { query.append(("offset", offset)) }
            let reply = try await api.get("/email/public/v1/campaigns", query: query, stream: Self.stream, scope: Self.scope)
            for campaign in reply.json["campaigns"]?.items ?? [] {
                guard let id = campaign["id"]?.text.flatMap({ Int64($0) }) else { continue }
                let stamp = campaign["lastUpdatedTime"]?.text.flatMap { Int64($0) } ?? -1
                if stamp >= 0 { step.passNewest = max(step.passNewest ?? stamp, stamp) }
                // Listed by most recent activity: past the newest of the last pass, nothing has changed.
                if let stop, stamp >= 0, stamp < stop { break listing }
                guard stamps[String(id)] != stamp || stamp < 0, queued.insert(id).inserted else { continue }
                step.pending.append((id, stamp))
            }
            let next = reply.json["offset"]?.text
            guard reply.json["hasMore"] == .bool(true), let next, !next.isEmpty, next != offset else { break }
            offset = next
        }
    }

    /// Forms and marketing events that are new or changed, as campaigns (their update times go into `cursor`).
    private func otherCampaigns(_ cursor: inout CampaignsCursor) async throws -> [SourceRecord] {
        var records: [SourceRecord] = []
        if configuration.streams.contains(.formSubmissions) {
            records += try await changed(
                "/marketing/v3/forms/", limit: HubSpotFormSubmissionsStream.formsPageLimit,
                scope: HubSpotFormSubmissionsStream.scope, idMember: "id", prefix: "form", cursor: &cursor
            ) { form in
                if let wanted = configuration.formIDs, let id = form["id"]?.text, !wanted.contains(id) { return nil }
                var campaign = Campaign()
                campaign.name = HubSpotMapping.value(form, "name")
                campaign.channel = "form"
                campaign.status = form["archived"] == .bool(true) ? "archived" : "active"
                campaign.startedAt = hubSpotMilliseconds(form["createdAt"]?.text).map(isoTime)
                return campaign
            }
        }
        if configuration.streams.contains(.eventAttendance) {
            records += try await changed(
                "/marketing/v3/marketing-events/", limit: HubSpotEventAttendanceStream.pageLimit,
                scope: HubSpotEventAttendanceStream.scope, idMember: "objectId", prefix: "event", cursor: &cursor
            ) { event in
                var campaign = Campaign()
                campaign.name = HubSpotMapping.value(event, "eventName")
                campaign.channel = event["eventType"]?.text?.uppercased() == "WEBINAR" ? "webinar" : "event"
                campaign.status = event["eventCancelled"] == .bool(true)
                    ? "cancelled" : HubSpotMapping.value(event, "eventStatus")?.lowercased()
                        ?? (event["eventCompleted"] == .bool(true) ? "completed" : nil)
                campaign.startedAt = hubSpotMilliseconds(event["startDateTime"]?.text).map(isoTime)
                campaign.endedAt = hubSpotMilliseconds(event["endDateTime"]?.text).map(isoTime)
                return campaign
            }
        }
        return records
    }

    /// The items of list `path` whose `updatedAt` changed since they were read, as campaigns `<prefix>:<id>`
    /// (`campaign` returns `nil` for an item to leave out).
    private func changed(
        _ path: String, limit: Int, scope: String, idMember: String, prefix: String, cursor: inout CampaignsCursor,
        campaign: (JSONValue) -> Campaign?
    ) async throws -> [SourceRecord] {
        var records: [SourceRecord] = []
        for item in try await api.listAll(path, limit: limit, stream: Self.stream, scope: scope) {
            guard let id = item[idMember]?.text, !id.isEmpty else { continue }
            let key = "\(prefix):\(id)"
            let stamp = hubSpotMilliseconds(item["updatedAt"]?.text) ?? -1
            guard cursor.updated?[key] != stamp || stamp < 0, let normalized = campaign(item) else { continue }
            cursor.updated?[key] = stamp
            records.append(SourceRecord(
                objectType: .campaign, externalID: key, payload: item.serialized,
                sourceUpdatedAt: stamp >= 0 ? isoTime(stamp) : nil, normalized: .campaign(normalized),
                location: "GET \(path)"))
        }
        return records
    }

    /// Details of `ids`, a few requests at a time; campaigns HubSpot no longer has are left out.
    private func fetchDetails(_ ids: [Int64]) async throws -> [Int64: JSONValue] {
        var details: [Int64: JSONValue] = [:]
        var index = 0
        while index < ids.count {
            let slice = ids[index..<min(ids.count, index + Self.concurrency)]
            index += slice.count
            try await withThrowingTaskGroup(of: (Int64, JSONValue?).self) { group in
                for id in slice {
                    group.addTask {
                        do {
                            let reply = try await api.get(
                                "/email/public/v1/campaigns/\(id)", stream: Self.stream, scope: Self.scope)
                            return (id, reply.json)
                        } catch let error as ConnectorError where error.code == .notFound {
                            return (id, nil)
                        }
                    }
                }
                for try await (id, json) in group { if let json { details[id] = json } }
            }
        }
        return details
    }

    static func record(_ json: JSONValue, id: Int64, updatedAt: Int64 = -1) -> SourceRecord {
        var campaign = Campaign()
        campaign.name = HubSpotMapping.value(json, "name") ?? HubSpotMapping.value(json, "subject")
        campaign.channel = "email"
        campaign.status = HubSpotMapping.value(json, "processingState")
        campaign.startedAt = HubSpotMapping.value(json, "lastProcessingStartedAt").flatMap(Timestamps.normalize)
        campaign.endedAt = HubSpotMapping.value(json, "lastProcessingFinishedAt").flatMap(Timestamps.normalize)
        return SourceRecord(
            objectType: .campaign, externalID: String(id), payload: json.serialized,
            sourceUpdatedAt: updatedAt >= 0 ? isoTime(updatedAt) : campaign.endedAt ?? campaign.startedAt,
            normalized: .campaign(campaign), location: "GET /email/public/v1/campaigns/\(id)")
    }
}
