import Foundation
import SyncHubCore

/// Where the `campaigns` stream stands: the campaigns already delivered. Saved in checkpoints.
struct CampaignsCursor: Codable, Sendable, Hashable {
    var known: [Int64]
}

/// Marketing email campaigns: ids from `GET /email/public/v1/campaigns/by-id` (no particular order, so each pass
/// lists them all), details from `GET /email/public/v1/campaigns/{id}` for the campaigns not delivered before.
/// Every checkpoint holds the delivered ids, so resuming lists again and fetches only what is missing.
struct HubSpotCampaignsStream: Sendable {
    let api: HubSpotAPI

    static let stream = HubSpotStream.campaigns.rawValue
    static let scope = "content"
    static let listLimit = 250
    /// Campaign details fetched per batch, and at once.
    static let detailsPerBatch = 25
    static let concurrency = 4

    struct Step: Sendable {
        var known: Set<Int64>
        var offset: String?
        var pending: [Int64]
        var isListed: Bool
    }

    func pull(from checkpoint: CampaignsCursor?) -> Paginated<Step> {
        let first = Step(known: Set(checkpoint?.known ?? []), offset: nil, pending: [], isListed: false)
        return Paginated(startingAt: first) { token in try await page(token ?? first) }
    }

    private func page(_ step: Step) async throws -> (RecordBatch, Step?) {
        var next = step
        if next.pending.isEmpty, !next.isListed {
            var query = [("limit", String(Self.listLimit))]
            if let offset = next.offset { query.append(("offset", offset)) }
            let reply = try await api.get("/email/public/v1/campaigns/by-id", query: query, stream: Self.stream, scope: Self.scope)
            var queued = Set(next.pending)
            for campaign in reply.json["campaigns"]?.items ?? [] {
                guard let id = campaign["id"]?.text.flatMap({ Int64($0) }), !next.known.contains(id),
                    queued.insert(id).inserted
                else { continue }
                next.pending.append(id)
            }
            let offset = reply.json["offset"]?.text
            if reply.json["hasMore"] == .bool(true), let offset, !offset.isEmpty, offset != step.offset {
                next.offset = offset
            } else {
                next.isListed = true
            }
        }
        let chunk = Array(next.pending.prefix(Self.detailsPerBatch))
        next.pending.removeFirst(chunk.count)
        let details = try await fetchDetails(chunk)
        var records: [SourceRecord] = []
        for id in chunk {
            next.known.insert(id)
            guard let detail = details[id] else { continue }
            records.append(Self.record(detail, id: id))
        }
        let checkpoint = try Checkpoint(encoding: CampaignsCursor(known: next.known.sorted()))
        let isDone = next.isListed && next.pending.isEmpty
        return (RecordBatch(records: records, checkpoint: checkpoint), isDone ? nil : next)
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

    static func record(_ json: JSONValue, id: Int64) -> SourceRecord {
        var campaign = Campaign()
        campaign.name = HubSpotMapping.value(json, "name") ?? HubSpotMapping.value(json, "subject")
        campaign.channel = "email"
        campaign.status = HubSpotMapping.value(json, "processingState")
        campaign.startedAt = HubSpotMapping.value(json, "lastProcessingStartedAt").flatMap(Timestamps.normalize)
        campaign.endedAt = HubSpotMapping.value(json, "lastProcessingFinishedAt").flatMap(Timestamps.normalize)
        return SourceRecord(
            objectType: .campaign, externalID: String(id), payload: json.serialized,
            sourceUpdatedAt: campaign.endedAt ?? campaign.startedAt, normalized: .campaign(campaign),
            location: "GET /email/public/v1/campaigns/\(id)")
    }
}
