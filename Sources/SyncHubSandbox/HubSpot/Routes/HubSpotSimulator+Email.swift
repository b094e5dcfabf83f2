import Foundation
import Hummingbird
import SyncHubCore
import Synchronization

extension HubSpotSimulator {
    static let eventsMaxLimit = 1_000

    func addEmailRoutes(to router: Router<BasicRequestContext>) {
        router.get("/email/public/v1/events") { request, _ in
            try await self.serve(request, kind: .api) { request, _ in self.emailEvents(request) }
        }
        router.get("/email/public/v1/campaigns/by-id") { request, _ in
            try await self.serve(request, kind: .api) { request, _ in self.campaignList(request, recent: false) }
        }
        router.get("/email/public/v1/campaigns") { request, _ in
            try await self.serve(request, kind: .api) { request, _ in self.campaignList(request, recent: true) }
        }
        router.get("/email/public/v1/campaigns/:campaignId") { request, context in
            try await self.serve(request, kind: .api) { _, _ in
                let text = context.parameters.get("campaignId") ?? ""
                guard let id = Int64(text), let campaign = self.store.withLock({ $0.email.campaign(id: id) }) else {
                    return HubSpotErrors.reply(
                        .notFound, message: "Campaign \(text) not found.", category: "OBJECT_NOT_FOUND",
                        context: [("campaignId", [text])])
                }
                return .json(.ok, campaign.json)
            }
        }
    }

    /// An opaque paging token: URL-safe base64 without padding, so it needs no escaping in a query.
    static func encodeOffset(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decodeOffset(_ token: String) -> String? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `GET /email/public/v1/events`: newest first; `offset` is an opaque token naming the last event returned.
    func emailEvents(_ request: Request) -> HubSpotReply {
        let parameters = request.uri.queryParameters
        var limit = 10
        if let text = HubSpotRequestParsing.query(parameters, "limit") {
            guard let value = Int(text), value >= 1, value <= Self.eventsMaxLimit else {
                return HubSpotErrors.validation(
                    "limit must be between 1 and \(Self.eventsMaxLimit).", context: [("limit", [text])])
            }
            limit = value
        }
        var start: Int64 = .min
        var end: Int64 = .max
        for (name, target) in [("startTimestamp", 0), ("endTimestamp", 1)] {
            guard let text = HubSpotRequestParsing.query(parameters, name) else { continue }
            guard let value = Int64(text) else {
                return HubSpotErrors.validation("\(name) must be milliseconds since the epoch.", context: [(name, [text])])
            }
            if target == 0 { start = value } else { end = value }
        }
        var cursor: (Int64, String)?
        if let token = HubSpotRequestParsing.query(parameters, "offset"), !token.isEmpty {
            guard let decoded = Self.decodeOffset(token), let colon = decoded.firstIndex(of: ":"),
                let created = Int64(decoded[..<colon])
            else {
                return HubSpotErrors.validation("Invalid offset: \(token)", context: [("offset", [token])])
            }
            cursor = (created, String(decoded[decoded.index(after: colon)...]))
        }
        let eventType = HubSpotRequestParsing.query(parameters, "eventType")
        let campaignID = HubSpotRequestParsing.query(parameters, "campaignId").flatMap { Int64($0) }
        let appID = HubSpotRequestParsing.query(parameters, "appId").flatMap { Int($0) }
        let recipient = HubSpotRequestParsing.query(parameters, "recipient")?.lowercased()

        var out: [UInt8] = []
        var hasMore = false
        var lastKey: (Int64, String)?
        store.withLock { store in
            let log = store.email
            var index: Int
            if let cursor {
                index = log.lowerBound(cursor) - 1
            } else if end == .max {
                index = log.events.count - 1
            } else {
                index = log.lowerBound((end + 1, "")) - 1
            }
            out.reserveCapacity(limit * 420 + 64)
            out.append(contentsOf: #"{"events":["#.utf8)
            var count = 0
            while index >= 0 {
                let event = log.events[index]
                if event.created < start { break }
                index -= 1
                if event.created > end { continue }
                if let eventType, event.type != eventType { continue }
                if let campaignID, event.campaignID != campaignID { continue }
                if let appID, event.appID != appID { continue }
                if let recipient, event.recipient.lowercased() != recipient { continue }
                if count == limit {
                    hasMore = true
                    break
                }
                if count > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: event.json)
                lastKey = event.key
                count += 1
            }
        }
        out.append(contentsOf: #"],"hasMore":"#.utf8)
        out.append(contentsOf: (hasMore ? "true" : "false").utf8)
        out.append(contentsOf: #","offset":"#.utf8)
        let offset = lastKey.map { Self.encodeOffset("\($0.0):\($0.1)") } ?? HubSpotRequestParsing.query(parameters, "offset") ?? ""
        HubSpotJSON.appendString(offset, to: &out)
        out.append(UInt8(ascii: "}"))
        return .bytes(.ok, out)
    }

    /// `GET /email/public/v1/campaigns/by-id` (ascending ids) and `GET /email/public/v1/campaigns` (recently
    /// sent first).
    func campaignList(_ request: Request, recent: Bool) -> HubSpotReply {
        let parameters = request.uri.queryParameters
        var limit = 250
        if let text = HubSpotRequestParsing.query(parameters, "limit") {
            guard let value = Int(text), value >= 1, value <= 1_000 else {
                return HubSpotErrors.validation("limit must be between 1 and 1000.", context: [("limit", [text])])
            }
            limit = value
        }
        var skip = 0
        if let token = HubSpotRequestParsing.query(parameters, "offset"), !token.isEmpty {
            guard let decoded = Self.decodeOffset(token), let value = Int(decoded) else {
                return HubSpotErrors.validation("Invalid offset: \(token)", context: [("offset", [token])])
            }
            skip = value
        }
        var campaigns = store.withLock { $0.email.campaigns }
        if recent {
            campaigns.sort { ($0.updatedMs, $0.id) > ($1.updatedMs, $1.id) }
        } else {
            campaigns.sort { $0.id < $1.id }
        }
        let page = campaigns.dropFirst(skip).prefix(limit)
        let items: [JSONValue] = page.map { campaign in
            var members: [(String, JSONValue)] = [
                ("id", .number(String(campaign.id))), ("appId", .number(String(campaign.appID))),
                ("appName", .string(campaign.appName)),
            ]
            if recent { members.append(("lastUpdatedTime", .number(String(campaign.updatedMs)))) }
            return .object(members)
        }
        let next = skip + page.count
        return .json(
            .ok,
            .object([
                ("hasMore", .bool(next < campaigns.count)), ("offset", .string(Self.encodeOffset(String(next)))),
                ("campaigns", .array(items)),
            ]))
    }
}
