import SyncHubCore
import Testing
@testable import SyncHubHTTP

@Suite struct RequestBudgetTests {
    @Test func burstWindowMakesTheFourthRequestWait() async throws {
        let clock = ManualClock()
        let sleeps = SleepRecorder(clock: clock)
        let budget = RequestBudget(burst: 3, per: .seconds(10), now: clock.now, sleep: sleeps.sleep)
        for _ in 0..<3 { try await budget.acquire() }
        #expect(sleeps.durations.isEmpty)
        try await budget.acquire()  // the window holds three: wait for the first to leave it
        #expect(sleeps.durations == [.seconds(10)])
        try await budget.acquire()
        try await budget.acquire()
        #expect(sleeps.durations == [.seconds(10)])  // the first three left together
        try await budget.acquire()
        #expect(sleeps.durations == [.seconds(10), .seconds(10)])
        #expect(budget.used == 7)
        #expect(budget.waited == .seconds(20))
        #expect(budget.dailyRemaining == nil)
    }

    @Test func timePassingFreesTheWindow() async throws {
        let clock = ManualClock()
        let sleeps = SleepRecorder(clock: clock)
        let budget = RequestBudget(burst: 2, per: .seconds(10), now: clock.now, sleep: sleeps.sleep)
        try await budget.acquire()
        clock.advance(by: .seconds(6))
        try await budget.acquire()
        clock.advance(by: .seconds(6))
        try await budget.acquire()  // the first is 12 s old: room
        #expect(sleeps.durations.isEmpty)
        try await budget.acquire()  // the second is 6 s old: 4 s to go
        #expect(sleeps.durations == [.seconds(4)])
    }

    @Test func concurrentWaitersGetDistinctSlots() async throws {
        let clock = ManualClock()
        let sleeps = SleepRecorder()  // records without moving the clock: all ask at the same instant
        let budget = RequestBudget(burst: 2, per: .seconds(10), now: clock.now, sleep: sleeps.sleep)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 { group.addTask { try await budget.acquire() } }
            try await group.waitForAll()
        }
        #expect(sleeps.durations.sorted() == [.seconds(10), .seconds(10), .seconds(20), .seconds(20)])
    }

    @Test func dailyCapThrowsBudgetExhausted() async throws {
        let budget = RequestBudget(burst: nil, daily: 3)
        for _ in 0..<3 { try await budget.acquire() }
        #expect(budget.dailyRemaining == 0)
        let error = try await #require(throws: ConnectorError.self) { try await budget.acquire() }
        #expect(error.code == .budgetExhausted)
        #expect(!error.isRetryable)
        #expect(error.message.contains("3 requests"))
        #expect(error.message.contains("next run"))
        #expect(budget.used == 3)
    }

    @Test func systemReportsAreObserved() async throws {
        let clock = ManualClock()
        let sleeps = SleepRecorder(clock: clock)
        let budget = RequestBudget(burst: nil, daily: 1000, reserve: 100, now: clock.now, sleep: sleeps.sleep)
        budget.observeDaily(remaining: 150, limit: 15000)
        #expect(budget.dailyRemaining == 50)  // the system's 150 less the reserve, under our own 1000
        #expect(budget.systemDailyLimit == 15000)
        budget.observe(remaining: 3, limit: 100, resetAfter: .seconds(10))
        try await budget.acquire()
        #expect(sleeps.durations.isEmpty)
        budget.observe(remaining: 0, limit: 100, resetAfter: .milliseconds(2500))
        try await budget.acquire()
        #expect(sleeps.durations == [.milliseconds(2500)])
        #expect(budget.dailyRemaining == 48)
        budget.observeDaily(remaining: 100, limit: nil)
        await #expect(throws: ConnectorError.self) { try await budget.acquire() }
    }
}

@Suite struct RateLimitHeadersTests {
    @Test func readsHubSpotHeaders() {
        let limits = RateLimitHeaders(APIResponse(status: 200, headers: [
            ("x-hubspot-ratelimit-daily", "250000"), ("x-hubspot-ratelimit-daily-remaining", "249000"),
            ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"), ("X-HubSpot-RateLimit-Max", "190"),
            ("X-HubSpot-RateLimit-Remaining", "189"),
        ]))
        #expect(limits == RateLimitHeaders(
            remaining: 189, limit: 190, resetAfter: .seconds(10), dailyRemaining: 249000, dailyLimit: 250000))
    }

    @Test func readsSforceLimitInfo() {
        let limits = RateLimitHeaders(APIResponse(status: 200, headers: [
            ("Sforce-Limit-Info", "api-usage=18/5000, per-app-api-usage=17/250(appName=sample-connected-app)"),
        ]))
        #expect(limits.dailyRemaining == 4982)
        #expect(limits.dailyLimit == 5000)
        #expect(limits.remaining == nil)
        #expect(!limits.isEmpty)
        #expect(RateLimitHeaders(APIResponse(status: 200, headers: [("Content-Type", "text/plain")])).isEmpty)
        // The documented form separates entries with semicolons.
        let documented = RateLimitHeaders(APIResponse(status: 200, headers: [("Sforce-Limit-Info", "api-usage=10018/100000; api-bursts=1/750")]))
        #expect(documented.dailyRemaining == 89982)
        #expect(documented.dailyLimit == 100000)
    }

    @Test func readsCommonHeaders() {
        let limits = RateLimitHeaders(APIResponse(status: 200, headers: [
            ("X-RateLimit-Remaining", "7"), ("X-RateLimit-Limit", "80"), ("X-RateLimit-Reset", "2"),
            ("X-Daily-Requests-Left", "9000"),
        ]))
        #expect(limits == RateLimitHeaders(remaining: 7, limit: 80, resetAfter: .seconds(2), dailyRemaining: 9000))
    }
}
