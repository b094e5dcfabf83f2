import HTTPTypes
import Hummingbird
import SyncHubCore
import Synchronization

extension SalesforceSimulator {
    /// The sandbox's control routes (not part of Salesforce's API; never counted, never faulted).
    ///
    /// `POST /_sandbox/salesforce/faults` takes any of
    /// `{"failNext":{"count":2,"status":503,"kind":"status|reset|truncate","pathPrefix":"/services/data"},
    /// "latencyMs":0,"expireTokens":true,"accessTokenLifetimeSeconds":7200,"dailyLimit":15000,"apiUsed":0,
    /// "revokeRefreshToken":false,"reset":true}` and answers with the current settings (as does `GET`).
    /// `POST /_sandbox/salesforce/touch|delete` take `{"sobject":"Contact","ids":[…]}` or
    /// `{"sobject":…,"count":n}`,
    /// `merge` takes `{"sobject":"Contact","loser":…,"master":…}`, `add` takes `{"sobject":…,"count":n}`; they
    /// answer `{"ids":[…]}` (merge: `{"merged":true}`).
    func addSandboxRoutes(to router: Router<BasicRequestContext>) {
        router.get("/_sandbox/salesforce/faults") { _, _ in self.faultSettings().response() }
        router.post("/_sandbox/salesforce/faults") { request, _ in
            let body = try await request.body.collect(upTo: 1_000_000)
            return self.configureFaults(Array(body.readableBytesView)).response()
        }
        router.post("/_sandbox/salesforce/{action}") { request, context in
            let body = try await request.body.collect(upTo: 10_000_000)
            return self.control(context.parameters.get("action") ?? "", Array(body.readableBytesView)).response()
        }
    }

    static func sandboxError(_ message: String) -> SFReply {
        .json(.object([("error", .string(message))]), status: .badRequest)
    }

    func faultSettings() -> SFReply {
        let state = faults.state.withLock { $0 }
        func millis(_ d: Duration) -> Int64 {
            d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        }
        return .json(
            .object([
                ("pendingFailures", .number(String(state.rules.reduce(0) { $0 + $1.remaining }))),
                ("latencyMs", .number(String(millis(state.latency)))),
                ("accessTokenLifetimeSeconds", .number(String(millis(state.accessTokenLifetime) / 1000))),
                ("dailyLimit", .number(String(state.dailyLimit))), ("apiUsed", .number(String(state.used))),
                ("refreshTokenRevoked", .bool(state.refreshTokenRevoked)),
            ]))
    }

    func configureFaults(_ body: [UInt8]) -> SFReply {
        guard let settings = try? JSONValue.parse(body.isEmpty ? Array("{}".utf8) : body), case .object = settings
        else {
            return Self.sandboxError("expected a JSON object")
        }
        func int(_ value: JSONValue?) -> Int? { value?.text.flatMap { Int($0) } }
        if settings["reset"] == .bool(true) { faults.reset() }
        if let failNext = settings["failNext"] {
            let count = int(failNext["count"]) ?? 1
            let failure: SalesforceFaults.Failure
            switch failNext["kind"]?.text ?? "status" {
            case "reset": failure = .connectionReset
            case "truncate": failure = .truncatedBody
            case "status": failure = .status(int(failNext["status"]) ?? 503)
            default: return Self.sandboxError("failNext.kind must be status, reset or truncate")
            }
            faults.failNext(count, with: failure, pathPrefix: failNext["pathPrefix"]?.text)
        }
        if let ms = int(settings["latencyMs"]) { faults.latency = .milliseconds(ms) }
        if let seconds = int(settings["accessTokenLifetimeSeconds"]) { faults.accessTokenLifetime = .seconds(seconds) }
        if settings["expireTokens"] == .bool(true) { faults.expireTokensNow() }
        if let revoked = settings["revokeRefreshToken"], case .bool(let value) = revoked {
            faults.revokeRefreshToken(value)
        }
        let limit = int(settings["dailyLimit"])
        let used = int(settings["apiUsed"])
        if limit != nil || used != nil { faults.setDailyLimit(limit ?? faults.usage.limit, used: used) }
        return faultSettings()
    }

    func control(_ action: String, _ body: [UInt8]) -> SFReply {
        guard let request = try? JSONValue.parse(body), case .string(let sobject)? = request["sobject"] else {
            return Self.sandboxError("expected a JSON object with \"sobject\"")
        }
        guard Self.kind(sobject) != nil else { return Self.sandboxError("unknown sobject \(sobject)") }
        func idsReply(_ ids: [String]) -> SFReply { .json(.object([("ids", .array(ids.map(JSONValue.string)))])) }
        let ids: [String]? =
            if case .array(let items)? = request["ids"] { items.compactMap(\.text) } else { nil }
        let count = request["count"]?.text.flatMap { Int($0) }
        switch action {
        case "touch":
            if let ids { return idsReply(touch(sobject, ids: ids)) }
            return idsReply(touch(sobject, count: count ?? 1))
        case "delete":
            if let ids { return idsReply(delete(sobject, ids: ids)) }
            let picked = data.withLock { data in
                Self.randomLive(Self.kind(sobject)!, count: count ?? 1, in: data.org, generator: &data.generator)
            }
            return idsReply(delete(sobject, ids: picked))
        case "merge":
            guard let loser = request["loser"]?.text, let master = (request["master"] ?? request["into"])?.text else {
                return Self.sandboxError("merge needs \"loser\" and \"master\"")
            }
            return .json(.object([("merged", .bool(merge(sobject, loser: loser, into: master)))]))
        case "add":
            return idsReply(add(sobject, count: count ?? 1))
        default:
            return SFReply.json(.object([("error", .string("unknown action \(action)"))]), status: .notFound)
        }
    }
}
