import SyncHubCore
import Synchronization

/// Fault switches and budgets of the HubSpot simulation. Thread-safe; also settable over HTTP with
/// `POST /_sandbox/hubspot/faults`.
public final class HubSpotFaults: Sendable {
    /// What a planned failure does to a request.
    public enum Failure: Sendable, Equatable {
        /// Answer with this status instead: 429 with HubSpot's `TEN_SECONDLY_ROLLING` body and `Retry-After` when
        /// given, 500 with a JSON error, 502/503/504 with a gateway's HTML page.
        case status(Int, retryAfterSeconds: Int?)
        /// Close the connection before any body byte: the client sees the status line and headers (Hummingbird
        /// writes them before the body), then the connection ends.
        case reset
        /// Send the real response's headers (with its full `Content-Length`) and half its body, then close.
        case truncate
    }

    private struct Rule {
        var failure: Failure
        var pathPrefix: String?
        var remaining: Int
    }

    private struct State {
        var rules: [Rule] = []
        var latency: Duration = .zero
        var accessTokenLifetimeSeconds = 1_800
        var burstLimit = 190
        var burstIntervalMilliseconds = 10_000
        var dailyLimit = 500_000
        var searchRequestsPerSecond = 5
        var searchIndexLag: Duration = .zero
    }

    private let state = Mutex(State())
    private let expireNow: @Sendable () -> Void

    init(expireNow: @escaping @Sendable () -> Void) { self.expireNow = expireNow }

    /// Fails the next `count` requests whose path starts with `pathPrefix` (any path when nil) with `status`.
    public func failNext(_ count: Int, status: Int = 503, pathPrefix: String? = nil, retryAfterSeconds: Int? = nil) {
        add(.status(status, retryAfterSeconds: retryAfterSeconds), count: count, pathPrefix: pathPrefix)
    }

    /// Drops the connection of the next `count` matching requests.
    public func resetNext(_ count: Int, pathPrefix: String? = nil) { add(.reset, count: count, pathPrefix: pathPrefix) }

    /// Cuts the body of the next `count` matching responses short (`Content-Length` says more than is sent).
    public func truncateNext(_ count: Int, pathPrefix: String? = nil) {
        add(.truncate, count: count, pathPrefix: pathPrefix)
    }

    /// Planned failures not yet used.
    public var pendingFailures: Int { state.withLock { $0.rules.reduce(0) { $0 + $1.remaining } } }

    /// Added before every API response.
    public var latency: Duration {
        get { state.withLock { $0.latency } }
        set { state.withLock { $0.latency = newValue } }
    }

    /// `expires_in` of OAuth access tokens issued from now on (HubSpot: 1800).
    public var accessTokenLifetimeSeconds: Int {
        get { state.withLock { $0.accessTokenLifetimeSeconds } }
        set { state.withLock { $0.accessTokenLifetimeSeconds = max(1, newValue) } }
    }

    /// Requests per rolling window per token before `TEN_SECONDLY_ROLLING` 429s (`X-HubSpot-RateLimit-Max`).
    public var burstLimit: Int {
        get { state.withLock { $0.burstLimit } }
        set { state.withLock { $0.burstLimit = max(1, newValue) } }
    }

    /// Length of the rolling window (`X-HubSpot-RateLimit-Interval-Milliseconds`, HubSpot: 10000).
    public var burstIntervalMilliseconds: Int {
        get { state.withLock { $0.burstIntervalMilliseconds } }
        set { state.withLock { $0.burstIntervalMilliseconds = max(1, newValue) } }
    }

    /// Requests per UTC day per token before `DAILY` 429s (`X-HubSpot-RateLimit-Daily`).
    public var dailyLimit: Int {
        get { state.withLock { $0.dailyLimit } }
        set { state.withLock { $0.dailyLimit = max(1, newValue) } }
    }

    /// Search requests per second per token before `SECONDLY` 429s (HubSpot: 5).
    public var searchRequestsPerSecond: Int {
        get { state.withLock { $0.searchRequestsPerSecond } }
        set { state.withLock { $0.searchRequestsPerSecond = max(1, newValue) } }
    }

    /// How long a change takes to reach search: records modified more recently are not found yet.
    public var searchIndexLag: Duration {
        get { state.withLock { $0.searchIndexLag } }
        set { state.withLock { $0.searchIndexLag = newValue } }
    }

    /// Expires every OAuth access token issued so far.
    public func expireAccessTokensNow() { expireNow() }

    /// Removes planned failures and latency, and puts budgets back to HubSpot's defaults.
    public func clear() { state.withLock { $0 = State() } }

    // MARK: - Internal

    private func add(_ failure: Failure, count: Int, pathPrefix: String?) {
        guard count > 0 else { return }
        state.withLock { $0.rules.append(Rule(failure: failure, pathPrefix: pathPrefix, remaining: count)) }
    }

    /// Uses up the first planned failure matching `path`.
    func take(path: String) -> Failure? {
        state.withLock { state in
            guard let index = state.rules.firstIndex(where: { rule in
                rule.pathPrefix.map { path.hasPrefix($0) } ?? true
            }) else { return nil }
            let failure = state.rules[index].failure
            state.rules[index].remaining -= 1
            if state.rules[index].remaining <= 0 { state.rules.remove(at: index) }
            return failure
        }
    }

    struct Budgets {
        var burstLimit: Int
        var burstIntervalMs: Int64
        var dailyLimit: Int
        var searchPerSecond: Int
        var searchLagMs: Int64
    }

    var budgets: Budgets {
        state.withLock { state in
            Budgets(
                burstLimit: state.burstLimit, burstIntervalMs: Int64(state.burstIntervalMilliseconds),
                dailyLimit: state.dailyLimit, searchPerSecond: state.searchRequestsPerSecond,
                searchLagMs: Self.milliseconds(state.searchIndexLag))
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// The switches as `GET /_sandbox/hubspot/faults` shows them.
    var json: JSONValue {
        state.withLock { state in
            .object([
                (
                    "planned",
                    .array(
                        state.rules.map { rule in
                            var members: [(String, JSONValue)] = [("remaining", .number(String(rule.remaining)))]
                            switch rule.failure {
                            case .status(let status, let retryAfter):
                                members.append(("kind", .string("status")))
                                members.append(("status", .number(String(status))))
                                if let retryAfter { members.append(("retryAfter", .number(String(retryAfter)))) }
                            case .reset: members.append(("kind", .string("reset")))
                            case .truncate: members.append(("kind", .string("truncate")))
                            }
                            if let prefix = rule.pathPrefix { members.append(("pathPrefix", .string(prefix))) }
                            return .object(members)
                        })
                ),
                ("latencyMilliseconds", .number(String(Self.milliseconds(state.latency)))),
                ("accessTokenLifetimeSeconds", .number(String(state.accessTokenLifetimeSeconds))),
                ("burstLimit", .number(String(state.burstLimit))),
                ("burstIntervalMilliseconds", .number(String(state.burstIntervalMilliseconds))),
                ("dailyLimit", .number(String(state.dailyLimit))),
                ("searchRequestsPerSecond", .number(String(state.searchRequestsPerSecond))),
                ("searchIndexLagMilliseconds", .number(String(Self.milliseconds(state.searchIndexLag)))),
            ])
        }
    }

    enum ConfigurationProblem: Error { case invalid(String) }

    /// Applies a `POST /_sandbox/hubspot/faults` body. Keys: `clear` (bool), `failNext` / `resetNext` /
    /// `truncateNext` (`{"count","status","pathPrefix","retryAfter"}`), `latencyMilliseconds`,
    /// `accessTokenLifetimeSeconds`, `burstLimit`, `burstIntervalMilliseconds`, `dailyLimit`,
    /// `searchRequestsPerSecond`, `searchIndexLagMilliseconds`, `expireTokensNow` (bool).
    func apply(_ body: JSONValue) throws(ConfigurationProblem) {
        guard case .object = body else { throw .invalid("expected a JSON object") }
        func integer(_ key: String, in value: JSONValue? = nil) throws(ConfigurationProblem) -> Int? {
            guard let member = (value ?? body)[key] else { return nil }
            guard let text = member.text, let number = Int(text) else { throw .invalid("\(key) must be an integer") }
            return number
        }
        if body["clear"] == .bool(true) { clear() }
        for key in ["failNext", "resetNext", "truncateNext"] {
            guard let spec = body[key] else { continue }
            let count = try integer("count", in: spec) ?? 1
            let prefix = spec["pathPrefix"]?.text
            switch key {
            case "failNext":
                failNext(
                    count, status: try integer("status", in: spec) ?? 503, pathPrefix: prefix,
                    retryAfterSeconds: try integer("retryAfter", in: spec))
            case "resetNext": resetNext(count, pathPrefix: prefix)
            default: truncateNext(count, pathPrefix: prefix)
            }
        }
        if let value = try integer("latencyMilliseconds") { latency = .milliseconds(value) }
        if let value = try integer("accessTokenLifetimeSeconds") { accessTokenLifetimeSeconds = value }
        if let value = try integer("burstLimit") { burstLimit = value }
        if let value = try integer("burstIntervalMilliseconds") { burstIntervalMilliseconds = value }
        if let value = try integer("dailyLimit") { dailyLimit = value }
        if let value = try integer("searchRequestsPerSecond") { searchRequestsPerSecond = value }
        if let value = try integer("searchIndexLagMilliseconds") { searchIndexLag = .milliseconds(value) }
        if body["expireTokensNow"] == .bool(true) { expireAccessTokensNow() }
    }
}
