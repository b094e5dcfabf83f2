import Foundation
import SyncHubCore

/// Where an incremental search pass over one object type stands. Saved in checkpoints.
///
/// Every page is a fresh search from the last timestamp read (keyset paging), never `after` offsets: a record
/// modified while a pass runs moves to the end of the result order, which shifts offsets and would skip the
/// record behind it; and a fresh query never reaches the 10,000-results cap of one search. Records sharing the
/// timestamp of a full page are read by id within that timestamp.
struct SearchCursor: Codable, Sendable, Hashable {
    /// The next query's lower bound on the modification time, ms since 1970, inclusive.
    var since: Int64
    /// The latest modification time read so far: "now" on the data's clock when HubSpot's `Date` header lags.
    var highWater: Int64
    /// While reading the records of timestamp `since` by id: the last id read (ids above it come next).
    var afterID: Int64?
    /// Records already delivered whose modification time may be read again (at or after the dedupe floor):
    /// id → modification time. A record read again with the same time is not delivered twice.
    var emitted: [String: Int64]
    /// HubSpot's time at the end of the last complete pass; `nil` while a pass is under way.
    var passEndedAt: Int64?

    init(since: Int64, afterID: Int64? = nil, emitted: [String: Int64] = [:], passEndedAt: Int64? = nil) {
        self.since = since
        self.highWater = since
        self.afterID = afterID
        self.emitted = emitted
        self.passEndedAt = passEndedAt
    }

    /// A complete pass that read nothing yet, from `start`: the next pass re-reads from `start − overlap`.
    static func completed(at start: Int64) -> SearchCursor { SearchCursor(since: start, passEndedAt: start) }
}

/// One page of a search pass.
struct SearchPage: Sendable {
    /// Objects to deliver, with their ids and modification times (already read ones left out).
    var objects: [(object: JSONValue, id: String, modified: Int64)]
    /// Results without an id or modification time.
    var unreadable: [JSONValue]
    var cursor: SearchCursor
    /// The pass read everything there was (the last page was not full).
    var isPassComplete: Bool
    var serverTime: Int64
    /// Results HubSpot sent (read again or not).
    var resultCount: Int
}

/// Incremental reads through `POST /crm/v3/objects/{type}/search`, sorted ascending by the modification property.
struct HubSpotSearch: Sendable {
    let api: HubSpotAPI
    let path: String
    let modifiedProperty: String
    let properties: [String]
    let pageSize: Int
    let overlapMilliseconds: Int64
    let stream: String
    let scope: String

    /// Records remembered for de-duplication at most (the newest are kept; older ones may be delivered again).
    static let dedupeCapacity = 10_000

    /// Starts a new pass after a complete one: from the earlier of where the last pass stopped and its end minus
    /// the overlap, so changes that reached the search index late are read, and records already delivered at an
    /// unchanged time are not delivered again. The start never creeps back: a pass ends at or after where it began.
    func begin(_ cursor: SearchCursor) -> SearchCursor {
        guard let ended = cursor.passEndedAt else { return cursor }
        var next = cursor
        next.since = max(0, min(cursor.since, ended - overlapMilliseconds))
        next.afterID = nil
        next.passEndedAt = nil
        return next
    }

    /// Reads the page after `cursor`.
    func next(_ cursor: SearchCursor) async throws -> SearchPage {
        let filters: [JSONValue]
        let sort: String
        if let afterID = cursor.afterID {
            // GTE and LTE of one value rather than EQ: exact on the millisecond whatever EQ does with times.
            filters = [
                filter(modifiedProperty, "GTE", String(cursor.since)),
                filter(modifiedProperty, "LTE", String(cursor.since)),
                filter("hs_object_id", "GT", String(afterID)),
            ]
            sort = "hs_object_id"
        } else {
            filters = [filter(modifiedProperty, "GTE", String(cursor.since))]
            sort = modifiedProperty
        }
        let body = JSONValue.object([
            ("filterGroups", .array([.object([("filters", .array(filters))])])),
            ("sorts", .array([.object([("propertyName", .string(sort)), ("direction", .string("ASCENDING"))])])),
            ("properties", .array(properties.map(JSONValue.string))),
            ("limit", .number(String(pageSize))),
        ])
        let reply = try await api.post(
            "/crm/v3/objects/\(path)/search", json: body, stream: stream, scope: scope, isSearch: true)
        let results = reply.json["results"]?.items ?? []
        var readable: [(object: JSONValue, id: String, modified: Int64)] = []
        var unreadable: [JSONValue] = []
        for object in results {
            guard let id = object["id"]?.text, !id.isEmpty,
                let modified = hubSpotMilliseconds(object["properties"]?[modifiedProperty]?.text ?? object["updatedAt"]?.text)
            else {
                unreadable.append(object)
                continue
            }
            readable.append((object, id, modified))
        }
        var next = cursor
        var deliver: [(object: JSONValue, id: String, modified: Int64)] = []
        var complete = false
        let isFull = results.count >= pageSize
        if let afterID = cursor.afterID {
            // Within one timestamp, by id.
            var highest = afterID
            for entry in readable {
                guard let number = Int64(entry.id) else {
                    throw ConnectorError(
                        .invalidData,
                        "POST /crm/v3/objects/\(path)/search: a record id is not a number, so records sharing one "
                            + "\(modifiedProperty) cannot be read in id order; report this as a connector bug",
                        connector: api.connector, stream: stream)
                }
                highest = max(highest, number)
                if cursor.emitted[entry.id] != entry.modified { deliver.append(entry) }
            }
            if isFull {
                guard highest > afterID else {
                    throw ConnectorError(
                        .invalidData,
                        "POST /crm/v3/objects/\(path)/search: HubSpot returned a full page without ids above the last "
                            + "one read, so the pass would not advance; it stops here and resumes from its checkpoint "
                            + "next run", connector: api.connector, stream: stream)
                }
                next.afterID = highest
            } else {
                // Every record of this timestamp was read: go on after it.
                next.afterID = nil
                next.since = cursor.since + 1
            }
        } else {
            let times = readable.map(\.modified)
            if isFull, let first = times.first, unreadable.isEmpty, times.allSatisfy({ $0 == first }) {
                // A full page of one timestamp: there may be more of it than a page holds. Read it by id.
                next.since = max(cursor.since, first)
                next.highWater = max(cursor.highWater, first)
                next.afterID = 0
                return SearchPage(
                    objects: [], unreadable: [], cursor: next, isPassComplete: false, serverTime: reply.serverTime,
                    resultCount: results.count)
            }
            for entry in readable where cursor.emitted[entry.id] != entry.modified { deliver.append(entry) }
            if let highest = times.max(), highest > next.since { next.since = highest }
            if isFull, next.since == cursor.since {
                // No later timestamp on a full page (unreadable results): read this timestamp by id.
                next.afterID = 0
            }
            complete = !isFull
        }
        next.highWater = max(next.highWater, readable.map(\.modified).max() ?? .min)
        for entry in deliver { next.emitted[entry.id] = entry.modified }
        // HubSpot's clock, or the data's when the `Date` header lags behind it (nothing is modified in the future).
        let now = max(reply.serverTime, next.highWater)
        Self.prune(&next.emitted, floor: min(next.since, now - overlapMilliseconds))
        if complete { next.passEndedAt = now }
        return SearchPage(
            objects: deliver, unreadable: unreadable, cursor: next, isPassComplete: complete,
            serverTime: reply.serverTime, resultCount: results.count)
    }

    /// Forgets records that no later query can return again (modified before `floor`), and keeps at most
    /// ``dedupeCapacity``, the newest.
    static func prune(_ emitted: inout [String: Int64], floor: Int64) {
        if emitted.values.contains(where: { $0 < floor }) {
            emitted = emitted.filter { $0.value >= floor }
        }
        if emitted.count > dedupeCapacity {
            let kept = emitted.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.prefix(dedupeCapacity)
            emitted = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
    }

    /// The latest modification time the search index holds (`nil` when there is no record): a lower bound of
    /// "now" on the data's own clock, where a full read's incremental cursor starts.
    func latestModification() async throws -> Int64? {
        let body = JSONValue.object([
            ("sorts", .array([.object([("propertyName", .string(modifiedProperty)), ("direction", .string("DESCENDING"))])])),
            ("properties", .array([.string(modifiedProperty)])),
            ("limit", .number("1")),
        ])
        let reply = try await api.post(
            "/crm/v3/objects/\(path)/search", json: body, stream: stream, scope: scope, isSearch: true)
        guard let first = reply.json["results"]?.items.first else { return nil }
        return hubSpotMilliseconds(first["properties"]?[modifiedProperty]?.text ?? first["updatedAt"]?.text)
    }

    private func filter(_ property: String, _ op: String, _ value: String) -> JSONValue {
        .object([("propertyName", .string(property)), ("operator", .string(op)), ("value", .string(value))])
    }
}
