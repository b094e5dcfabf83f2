import Synchronization

/// Counts the API requests a task (and its child tasks) sends on behalf of each connector, and the daily allowance
/// the systems report, so a run can record its API budget use.
///
/// ```swift
/// let meter = APIUsageMeter()
/// await APIUsageMeter.$current.withValue(meter) { await engine.pull(...) }
/// meter.usage   // [hubspot: 312 requests, 249,688 of 250,000 left today]
/// ```
/// HTTP clients call ``recordRequest(connector:dailyRemaining:dailyLimit:)`` on ``current`` for every response.
public final class APIUsageMeter: Sendable {
    /// The meter of the running task, if any.
    @TaskLocal public static var current: APIUsageMeter?

    /// One connector's requests, and the daily allowance its system last reported.
    public struct Usage: Sendable, Hashable, Codable {
        public var connector: String
        public var requests: Int
        public var dailyRemaining: Int?
        public var dailyLimit: Int?

        public init(connector: String, requests: Int, dailyRemaining: Int? = nil, dailyLimit: Int? = nil) {
            self.connector = connector
            self.requests = requests
            self.dailyRemaining = dailyRemaining
            self.dailyLimit = dailyLimit
        }
    }

    private let state = Mutex<[String: Usage]>([:])

    public init() {}

    /// Counts one response of `connector`'s system, with the daily allowance it reported (if it did).
    public func recordRequest(connector: String, dailyRemaining: Int? = nil, dailyLimit: Int? = nil) {
        state.withLock { usage in
            var entry = usage[connector] ?? Usage(connector: connector, requests: 0)
            entry.requests += 1
            if let dailyRemaining { entry.dailyRemaining = dailyRemaining }
            if let dailyLimit { entry.dailyLimit = dailyLimit }
            usage[connector] = entry
        }
    }

    /// Adds usage counted elsewhere (by a nested meter).
    public func add(_ usage: [Usage]) {
        state.withLock { state in
            for entry in usage {
                var total = state[entry.connector] ?? Usage(connector: entry.connector, requests: 0)
                total.requests += entry.requests
                if let remaining = entry.dailyRemaining { total.dailyRemaining = remaining }
                if let limit = entry.dailyLimit { total.dailyLimit = limit }
                state[entry.connector] = total
            }
        }
    }

    /// Usage per connector, by connector name.
    public var usage: [Usage] {
        state.withLock { $0.values.sorted { $0.connector < $1.connector } }
    }
}
