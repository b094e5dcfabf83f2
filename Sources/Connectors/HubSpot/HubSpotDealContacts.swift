import Foundation
import SyncHubCore

/// Where the `deal_contacts` stream stands. Saved in checkpoints.
struct DealContactsCursor: Codable, Sendable, Hashable {
    enum Phase: String, Codable, Sendable {
        /// Every deal's contacts: a snapshot pass, after which links no longer there are deleted.
        case snapshot
        /// The contacts of deals changed since the last pass.
        case search
    }

    var phase: Phase
    var after: String?
    var snapshotStartedAt: Int64?
    var lastSnapshotAt: Int64?
    var search: SearchCursor?

    static let start = DealContactsCursor(phase: .snapshot)
}

/// Deal-to-contact links from `POST /crm/v4/associations/deals/contacts/batch/read`, for every deal in a snapshot
/// pass (the first pull, then every `snapshotHours`) and for the deals changed since in between.
struct HubSpotDealContactsStream: Sendable {
    let api: HubSpotAPI
    let configuration: HubSpotConfiguration

    static let stream = HubSpotStream.dealContacts.rawValue
    static let scope = "crm.objects.deals.read"

    var overlap: Int64 { Int64(configuration.overlapSeconds) * 1000 }

    var search: HubSpotSearch {
        HubSpotSearch(
            api: api, path: "deals", modifiedProperty: "hs_lastmodifieddate", properties: ["hs_lastmodifieddate"],
            pageSize: configuration.searchPageSize, overlapMilliseconds: overlap, stream: Self.stream, scope: Self.scope)
    }

    func pull(from checkpoint: DealContactsCursor?) -> Paginated<DealContactsCursor> {
        var cursor = checkpoint ?? .start
        if cursor.phase == .search {
            let now = Int64((api.wallClock().timeIntervalSince1970 * 1000).rounded(.down))
            let interval = Int64(configuration.associationSnapshotHours) * 3_600_000
            if cursor.lastSnapshotAt.map({ now - $0 >= interval }) ?? true {
                cursor = DealContactsCursor(phase: .snapshot, lastSnapshotAt: cursor.lastSnapshotAt, search: cursor.search)
            } else if let position = cursor.search {
                cursor.search = search.begin(position)
            }
        }
        return Paginated(startingAt: cursor) { token in
            let cursor = token ?? .start
            switch cursor.phase {
            case .snapshot: return try await snapshotPage(cursor)
            case .search: return try await searchPage(cursor)
            }
        }
    }

    private func snapshotPage(_ cursor: DealContactsCursor) async throws -> (RecordBatch, DealContactsCursor?) {
        var query = [("limit", String(configuration.pageSize)), ("properties", "hs_lastmodifieddate")]
        if let after = cursor.after { query.append(("after", after)) }
        let startsPass = cursor.after == nil && cursor.snapshotStartedAt == nil
        var next = cursor
        if next.snapshotStartedAt == nil {
            // Deals changed from here on are read by the next incremental pass (on the data's own clock).
            let start = try await search.latestModification() ?? 0
            next.snapshotStartedAt = start
            next.search = .completed(at: start)
        }
        let reply = try await api.get("/crm/v3/objects/deals", query: query, stream: Self.stream, scope: Self.scope)
        let objects = reply.json["results"]?.items ?? []
        let ids = objects.compactMap { $0["id"]?.text }.filter { !$0.isEmpty }
        // Deals the next incremental pass reads again: their links are not read twice.
        if var position = next.search, let start = next.snapshotStartedAt {
            for object in objects {
                guard let id = object["id"]?.text,
                    let modified = hubSpotMilliseconds(object["properties"]?["hs_lastmodifieddate"]?.text),
                    modified >= start - overlap
                else { continue }
                position.emitted[id] = modified
            }
            HubSpotSearch.prune(&position.emitted, floor: start - overlap)
            next.search = position
        }
        let records = try await links(of: ids)
        if let after = reply.json["paging"]?["next"]?["after"]?.text, !after.isEmpty, after != cursor.after {
            next.after = after
            let batch = RecordBatch(records: records, checkpoint: try Checkpoint(encoding: next), startsSnapshot: startsPass)
            return (batch, next)
        }
        let started = next.snapshotStartedAt ?? 0
        next = DealContactsCursor(
            phase: .search, lastSnapshotAt: max(started, reply.serverTime), search: next.search ?? .completed(at: started))
        let batch = RecordBatch(
            records: records, checkpoint: try Checkpoint(encoding: next), startsSnapshot: startsPass,
            completesSnapshot: true)
        return (batch, nil)
    }

    private func searchPage(_ cursor: DealContactsCursor) async throws -> (RecordBatch, DealContactsCursor?) {
        let page = try await search.next(cursor.search ?? .completed(at: 0))
        var next = cursor
        next.search = page.cursor
        let records = try await links(of: page.objects.map(\.id))
        let batch = RecordBatch(records: records, checkpoint: try Checkpoint(encoding: next))
        return (batch, page.isPassComplete ? nil : next)
    }

    /// The contacts linked to each deal, following each deal's own paging.
    func links(of dealIDs: [String]) async throws -> [SourceRecord] {
        let reader = HubSpotAssociationReader(api: api, from: "deals", to: "contacts", stream: Self.stream, scope: Self.scope)
        return try await reader.read(dealIDs).map { association in
            let link = DealContactLink(
                dealID: association.fromID, contactID: association.toID, role: association.label, isPrimary: false)
            let payload = JSONValue.object([
                ("fromObjectId", .string(association.fromID)), ("toObjectId", .string(association.toID)),
                ("associationTypes", association.types),
            ])
            return SourceRecord(
                objectType: .dealContact, externalID: link.externalID, payload: payload.serialized,
                normalized: .dealContact(link),
                location: "POST /crm/v4/associations/deals/contacts/batch/read deal \(association.fromID)")
        }
    }
}
