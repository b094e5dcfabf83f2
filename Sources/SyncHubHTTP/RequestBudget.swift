import SyncHubCore
import Foundation
import Synchronization

/// The request budget of one connector instance, set in `connectors.yml`: a burst window (at most `burst`
/// requests in any `per`) and a daily cap. Shared by all requests of the instance; thread-safe.
///
/// It also learns from the system's own rate-limit headers (``observe(remaining:limit:resetAfter:)``,
/// ``observeDaily(remaining:limit:)``): when the system says its window is spent, requests wait for the window to
/// reset; when the system's daily allowance falls to `reserve` (calls left for the other tools that share it),
/// ``acquire()`` throws ``ConnectorError/Code/budgetExhausted`` so the stream stops cleanly and resumes next run.
public final class RequestBudget: Sendable {
    /// Requests allowed per window; `nil`: no burst limit.
    public let burst: Int?
    /// The burst window.
    public let per: Duration
    /// Requests allowed for this run (a day's share); `nil`: no cap.
    public let daily: Int?
    /// Calls of the system's daily allowance left untouched for other tools.
    public let reserve: Int

    private struct State {
        /// Start instants of the latest `burst` grants, oldest first (some may lie in the future: reserved slots).
        var grants: [ContinuousClock.Instant] = []
        var used = 0
        var pausedUntil: ContinuousClock.Instant?
        var systemDailyRemaining: Int?
        var systemDailyLimit: Int?
        var waited: Duration = .zero
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> ContinuousClock.Instant
    private let sleep: @Sendable (Duration) async throws -> Void

    /// - Parameters:
    ///   - burst: at most this many requests in any window of `per`; `nil` for none.
    ///   - per: the burst window (HubSpot: 10 s, Marketo: 20 s).
    ///   - daily: at most this many requests in this run; `nil` for no cap.
    ///   - reserve: stop when the system reports this many calls or fewer left for the day.
    ///   - now, sleep: the clock, injectable for tests.
    public init(
        burst: Int?, per: Duration = .seconds(10), daily: Int? = nil, reserve: Int = 0,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.burst = burst.map { max(1, $0) }
        self.per = per
        self.daily = daily
        self.reserve = max(0, reserve)
        self.now = now
        self.sleep = sleep
    }

    /// Takes one request from the budget, waiting for room in the burst window.
    ///
    /// Throws ``ConnectorError`` with code ``ConnectorError/Code/budgetExhausted`` when the daily cap is reached or
    /// the system's daily allowance is down to ``reserve``; nothing is taken then.
    public func acquire() async throws {
        let wait = try state.withLock { state throws(ConnectorError) -> Duration in
            if let daily, state.used >= daily {
                throw ConnectorError(
                    .budgetExhausted,
                    "used all \(daily) requests of the daily budget; the stream stops here and resumes on the next run "
                        + "(raise the connector's daily budget in connectors.yml if the system allows more)",
                    connector: "")
            }
            if let remaining = state.systemDailyRemaining, remaining <= reserve {
                let limit = state.systemDailyLimit.map { " of \($0)" } ?? ""
                throw ConnectorError(
                    .budgetExhausted,
                    "the system reports \(max(0, remaining)) API calls left today\(limit) (\(reserve) kept in reserve for "
                        + "other tools); the stream stops here and resumes on the next run",
                    connector: "")
            }
            let current = now()
            var start = current
            if let paused = state.pausedUntil, paused > start { start = paused }
            if let burst {
                if state.grants.count >= burst {
                    let windowOpens = state.grants[state.grants.count - burst] + per
                    if windowOpens > start { start = windowOpens }
                }
                state.grants.append(start)
                if state.grants.count > burst { state.grants.removeFirst(state.grants.count - burst) }
            }
            state.used += 1
            if let remaining = state.systemDailyRemaining { state.systemDailyRemaining = remaining - 1 }
            let wait = start - current
            if wait > .zero { state.waited += wait }
            return wait
        }
        if wait > .zero { try await sleep(wait) }
    }

    /// Learns the system's burst window from its headers (HubSpot `X-HubSpot-RateLimit-Remaining`, `-Max`,
    /// `-Interval-Milliseconds`). When nothing is left, requests wait `resetAfter` (or ``per``).
    public func observe(remaining: Int?, limit: Int?, resetAfter: Duration?) {
        guard let remaining, remaining <= 0 else { return }
        let until = now() + (resetAfter ?? per)
        state.withLock { state in
            if state.pausedUntil.map({ $0 < until }) ?? true { state.pausedUntil = until }
        }
    }

    /// Learns the system's daily allowance (HubSpot `X-HubSpot-RateLimit-Daily-Remaining`, Salesforce
    /// `Sforce-Limit-Info: api-usage=used/limit`).
    public func observeDaily(remaining: Int?, limit: Int?) {
        guard remaining != nil || limit != nil else { return }
        state.withLock { state in
            if let remaining { state.systemDailyRemaining = remaining }
            if let limit { state.systemDailyLimit = limit }
        }
    }

    /// Learns everything ``RateLimitHeaders`` found in a response.
    public func observe(_ limits: RateLimitHeaders) {
        observe(remaining: limits.remaining, limit: limits.limit, resetAfter: limits.resetAfter)
        observeDaily(remaining: limits.dailyRemaining, limit: limits.dailyLimit)
    }

    /// Requests taken so far.
    public var used: Int { state.withLock { $0.used } }

    /// Requests left today: the smaller of the configured cap's rest and the system's allowance above ``reserve``;
    /// `nil` when neither is known.
    public var dailyRemaining: Int? {
        state.withLock { state in
            let own = daily.map { max(0, $0 - state.used) }
            let system = state.systemDailyRemaining.map { max(0, $0 - reserve) }
            switch (own, system) {
            case (let a?, let b?): return min(a, b)
            case (let a?, nil): return a
            case (nil, let b?): return b
            case (nil, nil): return nil
            }
        }
    }

    /// The system's daily limit, when it reported one.
    public var systemDailyLimit: Int? { state.withLock { $0.systemDailyLimit } }

    /// Total time requests were held back by the burst window or the system's pause.
    public var waited: Duration { state.withLock { $0.waited } }
}

/// Rate-limit facts a system reports in response headers.
///
/// Understands HubSpot (`X-HubSpot-RateLimit-Remaining`, `-Max`, `-Interval-Milliseconds`, `-Daily`,
/// `-Daily-Remaining`), Salesforce (`Sforce-Limit-Info: api-usage=used/limit`), Pipedrive
/// (`X-Daily-Requests-Left`) and the common `X-RateLimit-*` / `RateLimit-*` fields (reset in seconds).
public struct RateLimitHeaders: Sendable, Hashable {
    /// Requests left in the current burst window.
    public var remaining: Int?
    /// Requests allowed per burst window.
    public var limit: Int?
    /// When the burst window resets (HubSpot reports the window's length).
    public var resetAfter: Duration?
    /// Requests left today.
    public var dailyRemaining: Int?
    /// Requests allowed per day.
    public var dailyLimit: Int?

    public init(
        remaining: Int? = nil, limit: Int? = nil, resetAfter: Duration? = nil, dailyRemaining: Int? = nil,
        dailyLimit: Int? = nil
    ) {
        self.remaining = remaining
        self.limit = limit
        self.resetAfter = resetAfter
        self.dailyRemaining = dailyRemaining
        self.dailyLimit = dailyLimit
    }

    /// Reads the fields of `response`.
    public init(_ response: HTTPResponse) {
        func int(_ name: String) -> Int? {
            response.header(name).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        remaining = int("X-HubSpot-RateLimit-Remaining") ?? int("X-RateLimit-Remaining") ?? int("RateLimit-Remaining")
        limit = int("X-HubSpot-RateLimit-Max") ?? int("X-RateLimit-Limit") ?? int("RateLimit-Limit")
        if let milliseconds = int("X-HubSpot-RateLimit-Interval-Milliseconds") {
            resetAfter = .milliseconds(milliseconds)
        } else if let seconds = int("X-RateLimit-Reset") ?? int("RateLimit-Reset"), seconds < 86_400 {
            resetAfter = .seconds(seconds)
        }
        dailyRemaining = int("X-HubSpot-RateLimit-Daily-Remaining") ?? int("X-Daily-Requests-Left")
        dailyLimit = int("X-HubSpot-RateLimit-Daily")
        if let info = response.header("Sforce-Limit-Info") {
            // "api-usage=18/5000", possibly followed by "; api-bursts=1/750" (the documented form) or
            // ", per-app-api-usage=17/250(appName=...)".
            for part in info.split(whereSeparator: { $0 == "," || $0 == ";" }) {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0] == "api-usage" else { continue }
                let numbers = pair[1].split(separator: "/")
                if numbers.count == 2, let used = Int(numbers[0]), let total = Int(numbers[1]) {
                    dailyLimit = total
                    dailyRemaining = total - used
                }
            }
        }
    }

    /// Whether the response carried any of the fields.
    public var isEmpty: Bool {
        remaining == nil && limit == nil && resetAfter == nil && dailyRemaining == nil && dailyLimit == nil
    }
}
