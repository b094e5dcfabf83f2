import Foundation
import SyncHubCore

/// One link read from the v4 associations API: the linked record and the association types (labels) of the link.
struct HubSpotAssociation: Sendable {
    var fromID: String
    var toID: String
    /// The `associationTypes` array as HubSpot sent it (`category`, `typeId`, `label`).
    var types: JSONValue

    /// The link's first label (`Decision maker`), when it has one.
    var label: String? {
        for type in types.items {
            if let label = type["label"]?.text, !label.isEmpty { return label }
        }
        return nil
    }

    /// Whether the link carries HubSpot's `Primary` label (a deal's or an engagement's primary company).
    var isPrimary: Bool { types.items.contains { $0["label"]?.text == "Primary" } }

    /// The link as it is kept in a record's raw payload.
    var payload: JSONValue { .object([("toObjectId", .string(toID)), ("associationTypes", types)]) }
}

/// Reads links from one object type to another with `POST /crm/v4/associations/{from}/{to}/batch/read`
/// (https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/batch/get-associations):
/// up to 1,000 ids per call, each input's own `paging.next.after` followed. Inputs without links come back as
/// `NO_ASSOCIATIONS_FOUND` errors, which are not failures.
struct HubSpotAssociationReader: Sendable {
    let api: HubSpotAPI
    /// Path names, as in `/crm/v4/associations/deals/companies/batch/read`.
    let from: String
    let to: String
    let stream: String
    /// The scope reading `from` needs; the message of a refusal also names `crm.objects.<to>.read`.
    let scope: String

    /// HubSpot takes at most 1,000 ids per associations batch read (since February 2025).
    static let batchLimit = 1_000

    var path: String { "/crm/v4/associations/\(from)/\(to)/batch/read" }

    /// The links of `ids`, in the order HubSpot answered; each link once.
    func read(_ ids: [String]) async throws -> [HubSpotAssociation] {
        var links: [HubSpotAssociation] = []
        var seen = Set<String>()
        var pending: [(id: String, after: String?)] = ids.map { ($0, nil) }
        var rounds = 0
        while !pending.isEmpty {
            rounds += 1
            guard rounds <= 10_000 else {
                throw ConnectorError(
                    .invalidData,
                    "POST \(path): association paging did not end after 10,000 requests; report this as a connector bug",
                    connector: api.connector, stream: stream)
            }
            let chunk = Array(pending.prefix(Self.batchLimit))
            pending.removeFirst(chunk.count)
            let inputs: [JSONValue] = chunk.map { input in
                var members: [(String, JSONValue)] = [("id", .string(input.id))]
                if let after = input.after { members.append(("after", .string(after))) }
                return .object(members)
            }
            let reply = try await api.post(path, json: .object([("inputs", .array(inputs))]), stream: stream, scope: scope)
            for result in reply.json["results"]?.items ?? [] {
                guard let fromID = result["from"]?["id"]?.text else { continue }
                for target in result["to"]?.items ?? [] {
                    guard let toID = target["toObjectId"]?.text, seen.insert("\(fromID):\(toID)").inserted else { continue }
                    links.append(HubSpotAssociation(fromID: fromID, toID: toID, types: target["associationTypes"] ?? .array([])))
                }
                if let after = result["paging"]?["next"]?["after"]?.text, !after.isEmpty,
                    chunk.first(where: { $0.id == fromID })?.after != after
                {
                    pending.append((fromID, after))
                }
            }
            for error in reply.json["errors"]?.items ?? [] {
                let category = error["category"]?.text ?? ""
                let subCategory = error["subCategory"]?.text ?? ""
                // Records without links come back as "no associations found": not a failure.
                if category == "OBJECT_NOT_FOUND" || subCategory.contains("NO_ASSOCIATIONS") { continue }
                let message = error["message"]?.text.map { ": \(String($0.prefix(200)))" } ?? ""
                throw ConnectorError(
                    .rejected,
                    "POST \(path): HubSpot refused part of the batch (\(category.isEmpty ? "error" : category)\(message)); "
                        + "check that the token has the \(scope) and crm.objects.\(to).read scopes",
                    connector: api.connector, stream: stream)
            }
        }
        return links
    }

    /// The links of `ids`, grouped by the record they start from.
    func byRecord(_ ids: [String]) async throws -> [String: [HubSpotAssociation]] {
        guard !ids.isEmpty else { return [:] }
        var out: [String: [HubSpotAssociation]] = [:]
        for link in try await read(ids) { out[link.fromID, default: []].append(link) }
        return out
    }
}
