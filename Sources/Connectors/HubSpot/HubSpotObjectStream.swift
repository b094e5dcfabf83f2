import Foundation
import SyncHubCore

/// Where a contacts, companies or deals stream stands. Saved in checkpoints; only this connector reads it.
struct ObjectCursor: Codable, Sendable, Hashable {
    enum Phase: String, Codable, Sendable {
        /// The first (or a full-refresh) read: every live record through the list API, by id.
        case list
        /// Listing archived records, which are deletes.
        case archived
        /// Incremental passes through the search API.
        case search
    }

    var phase: Phase
    /// The list API's paging token of the next page (`list` and `archived`).
    var after: String?
    /// When the full read began, on the data's clock (the latest modification time the search index held then):
    /// the incremental cursor starts there.
    var listStartedAt: Int64?
    var search: SearchCursor?
    /// The running archived pass delivers records archived at or after this; `nil`: all of them.
    var archivedSince: Int64?
    /// HubSpot's time when the running archived pass began.
    var archivedScanStartedAt: Int64?
    /// The latest `archivedAt` the running archived pass saw.
    var archivedLatestSeen: Int64?
    /// HubSpot's time when the last complete archived pass began (for `archivedCheckMinutes`).
    var lastArchivedScanAt: Int64?
    /// The next archived pass delivers records archived at or after this minus the overlap: the earlier of
    /// HubSpot's time when the last pass began and the latest `archivedAt` it saw (0 when it saw none), so the
    /// filter is right whichever clock is off.
    var archivedFloor: Int64?
    /// Deletes already delivered that the next archived pass may list again: id → `archivedAt`.
    var archivedEmitted: [String: Int64]?

    static let start = ObjectCursor(phase: .list)
}

/// Reads one CRM object type: a full read through the list API (a snapshot pass), then the archived list for
/// deletes, then incremental passes through the search API, each followed by an archived pass when one is due.
struct HubSpotObjectStream: Sendable {
    let api: HubSpotAPI
    let kind: HubSpotObjectKind
    let configuration: HubSpotConfiguration

    var stream: String { kind.stream.rawValue }
    var overlap: Int64 { Int64(configuration.overlapSeconds) * 1000 }

    var search: HubSpotSearch {
        HubSpotSearch(
            api: api, path: kind.path, modifiedProperty: kind.modifiedProperty, properties: kind.properties,
            pageSize: configuration.searchPageSize, overlapMilliseconds: overlap, stream: stream, scope: kind.scope)
    }

    func pull(from checkpoint: ObjectCursor?) -> Paginated<ObjectCursor> {
        var cursor = checkpoint ?? .start
        if cursor.phase == .search, let position = cursor.search { cursor.search = search.begin(position) }
        return Paginated(startingAt: cursor) { token in
            try await fetch(token ?? .start)
        }
    }

    func fetch(_ cursor: ObjectCursor) async throws -> (RecordBatch, ObjectCursor?) {
        switch cursor.phase {
        case .list: try await listPage(cursor)
        case .archived: try await archivedPage(cursor)
        case .search: try await searchPage(cursor)
        }
    }

    private func listPage(_ cursor: ObjectCursor) async throws -> (RecordBatch, ObjectCursor?) {
        var query = [("limit", String(configuration.pageSize)), ("properties", kind.properties.joined(separator: ","))]
        if let after = cursor.after { query.append(("after", after)) }
        let startsPass = cursor.after == nil && cursor.listStartedAt == nil
        var next = cursor
        if next.listStartedAt == nil {
            // Records changed from here on are read by the first incremental pass.
            let start = try await search.latestModification() ?? 0
            next.listStartedAt = start
            next.search = .completed(at: start)
        }
        let reply = try await api.get("/crm/v3/objects/\(kind.path)", query: query, stream: stream, scope: kind.scope)
        let location = "GET /crm/v3/objects/\(kind.path)" + (cursor.after.map { " after \($0)" } ?? " first page")
        let objects = reply.json["results"]?.items ?? []
        let (records, rejected) = try await convert(objects, location: location)
        // Records the first incremental pass will read again: remember them so they are not delivered twice.
        if var position = next.search, let start = next.listStartedAt {
            for object in objects {
                guard let id = object["id"]?.text,
                    let modified = hubSpotMilliseconds(object["properties"]?[kind.modifiedProperty]?.text),
                    modified >= start - overlap
                else { continue }
                position.emitted[id] = modified
            }
            HubSpotSearch.prune(&position.emitted, floor: start - overlap)
            next.search = position
        }
        if let after = reply.json["paging"]?["next"]?["after"]?.text, !after.isEmpty, after != cursor.after {
            next.after = after
            let batch = RecordBatch(
                records: records, rejected: rejected, checkpoint: try Checkpoint(encoding: next),
                startsSnapshot: startsPass)
            return (batch, next)
        }
        // Every live record was listed: deletes next, then incremental passes from when the listing began.
        next = ObjectCursor(
            phase: .archived, search: next.search ?? .completed(at: 0), lastArchivedScanAt: cursor.lastArchivedScanAt,
            archivedFloor: cursor.archivedFloor, archivedEmitted: cursor.archivedEmitted)
        let batch = RecordBatch(
            records: records, rejected: rejected, checkpoint: try Checkpoint(encoding: next), startsSnapshot: startsPass,
            completesSnapshot: true)
        return (batch, next)
    }

    private func archivedPage(_ cursor: ObjectCursor) async throws -> (RecordBatch, ObjectCursor?) {
        var query = [("limit", String(configuration.pageSize)), ("archived", "true"), ("properties", kind.modifiedProperty)]
        if let after = cursor.after { query.append(("after", after)) }
        let reply = try await api.get("/crm/v3/objects/\(kind.path)", query: query, stream: stream, scope: kind.scope)
        var next = cursor
        if next.archivedScanStartedAt == nil { next.archivedScanStartedAt = reply.serverTime }
        let location = "GET /crm/v3/objects/\(kind.path)?archived=true" + (cursor.after.map { " after \($0)" } ?? "")
        var records: [SourceRecord] = []
        var rejected: [RejectedRecord] = []
        var emitted = next.archivedEmitted ?? [:]
        for object in reply.json["results"]?.items ?? [] {
            guard let id = object["id"]?.text, !id.isEmpty else {
                rejected.append(RejectedRecord(location: location, reason: "an archived result has no id", payload: object.serialized))
                continue
            }
            let archivedAt = hubSpotMilliseconds(object["archivedAt"]?.text ?? object["updatedAt"]?.text)
            if let archivedAt { next.archivedLatestSeen = max(next.archivedLatestSeen ?? archivedAt, archivedAt) }
            if let since = cursor.archivedSince, let archivedAt, archivedAt < since { continue }
            if let archivedAt {
                if emitted[id] == archivedAt { continue }
                emitted[id] = archivedAt
            }
            records.append(
                SourceRecord(
                    objectType: kind.objectType, externalID: id, payload: object.serialized,
                    sourceUpdatedAt: archivedAt.map(isoTime), isDeleted: true, location: location))
        }
        HubSpotSearch.prune(&emitted, floor: .min)
        next.archivedEmitted = emitted.isEmpty ? nil : emitted
        if let after = reply.json["paging"]?["next"]?["after"]?.text, !after.isEmpty, after != cursor.after {
            next.after = after
            return (RecordBatch(records: records, rejected: rejected, checkpoint: try Checkpoint(encoding: next)), next)
        }
        next.phase = .search
        next.after = nil
        next.archivedSince = nil
        next.lastArchivedScanAt = next.archivedScanStartedAt
        next.archivedFloor = min(next.archivedScanStartedAt ?? 0, next.archivedLatestSeen ?? 0)
        if var emitted = next.archivedEmitted {
            HubSpotSearch.prune(&emitted, floor: (next.archivedFloor ?? 0) - overlap)
            next.archivedEmitted = emitted.isEmpty ? nil : emitted
        }
        next.archivedScanStartedAt = nil
        next.archivedLatestSeen = nil
        return (RecordBatch(records: records, rejected: rejected, checkpoint: try Checkpoint(encoding: next)), nil)
    }

    private func searchPage(_ cursor: ObjectCursor) async throws -> (RecordBatch, ObjectCursor?) {
        let position = cursor.search ?? .completed(at: 0)
        let page = try await search.next(position)
        var next = cursor
        next.search = page.cursor
        let location = "POST /crm/v3/objects/\(kind.path)/search from \(isoTime(position.since))"
            + (position.afterID.map { " after id \($0)" } ?? "")
        let (records, rejected) = try await convert(page.objects.map(\.object), location: location)
        let unreadable = page.unreadable.map {
            RejectedRecord(
                location: location, reason: "a search result has no id or \(kind.modifiedProperty); it was kept for review",
                payload: $0.serialized, externalID: $0["id"]?.text)
        }
        var more: ObjectCursor? = next
        if page.isPassComplete {
            let due = configuration.archivedCheckMinutes == 0
                || (next.lastArchivedScanAt.map { page.serverTime - $0 >= Int64(configuration.archivedCheckMinutes) * 60_000 } ?? true)
            if due {
                next.phase = .archived
                next.after = nil
                next.archivedSince = next.archivedFloor.map { $0 - overlap }
                next.archivedScanStartedAt = nil
                next.archivedLatestSeen = nil
                more = next
            } else {
                more = nil
            }
        }
        let batch = RecordBatch(records: records, rejected: rejected + unreadable, checkpoint: try Checkpoint(encoding: next))
        return (batch, more)
    }

    private func convert(_ objects: [JSONValue], location: String) async throws -> ([SourceRecord], [RejectedRecord]) {
        var records: [SourceRecord] = []
        var rejected: [RejectedRecord] = []
        records.reserveCapacity(objects.count)
        let linked = try await kind.readLinks(objects.compactMap { $0["id"]?.text }.filter { !$0.isEmpty }, api: api)
        for object in objects {
            let (converted, problem) = kind.records(from: object, linked: linked, location: location)
            records += converted
            if let problem { rejected.append(problem) }
        }
        return (records, rejected)
    }
}
