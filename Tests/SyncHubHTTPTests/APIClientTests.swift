import Foundation
import Hummingbird
import Logging
import SyncHubCore
import SyncHubSandbox
import Testing
@testable import SyncHubHTTP

@Suite(.timeLimit(.minutes(10)))
struct APIClientTests {
    let logs = LogRecorder()

    func client(
        _ connector: String = "hubspot", auth: (any AuthProvider)? = nil, budget: RequestBudget? = nil,
        sleeper: SleepRecorder, maxAttempts: Int = 5, jitter: Bool = false
    ) -> APIClient {
        APIClient(
            connector: connector, configuration: .init(maxAttempts: maxAttempts, jitter: jitter), auth: auth,
            budget: budget, logger: logs.logger, sleep: sleeper.sleep)
    }

    @Test func successPassesThroughWithAuthHeader() async throws {
        let router = Router()
        router.get("/crm/v3/objects/contacts") { request, _ -> Response in
            guard header(request, "Authorization") == "Bearer pat-na1-secret" else { return reply(401) }
            let agent = header(request, "User-Agent") ?? ""
            return reply(200, #"{"results":[{"id":"1"}],"agent":"\#(agent)"}"#)
        }
        try await withLoopbackServer(router) { base in
            let sleeper = SleepRecorder()
            let client = client(auth: BearerToken("pat-na1-secret"), sleeper: sleeper)
            let url = base.appending(path: "crm/v3/objects/contacts").appending(queryItems: [.init(name: "limit", value: "100")])
            let response = try await client.send(.get(url), stream: "contacts")
            #expect(response.status == 200)
            let json = try response.json()
            #expect(json["results"] == .array([.object([("id", .string("1"))])]))
            #expect(json["agent"]?.text == "synchub/0.1")
            #expect(response.header("content-type") == "application/json")
            #expect(client.requestCount == 1)
            #expect(sleeper.durations.isEmpty)

            let entry = try #require(logs.entries.first { $0.message == "HTTP request" })
            #expect(entry.level == .debug)
            #expect(entry.metadata["http.method"] == "GET")
            #expect(entry.metadata["http.path"] == "/crm/v3/objects/contacts")
            #expect(entry.metadata["http.status"] == "200")
            #expect(entry.metadata["http.attempt"] == "1")
            #expect(entry.metadata["stream"] == "contacts")
            #expect(entry.metadata["http.duration_ms"] != nil)
            #expect(!logs.entries.contains { "\($0)".contains("pat-na1-secret") })
        }
    }

    @Test func serviceUnavailableTwiceThenSuccessBacksOffExponentially() async throws {
        let calls = Counter()
        let router = Router()
        router.get("/items") { _, _ -> Response in
            calls.next() <= 2 ? reply(503, #"{"message":"try later"}"#) : reply(200, "{}")
        }
        try await withLoopbackServer(router) { base in
            let sleeper = SleepRecorder()
            let client = client(sleeper: sleeper)
            let response = try await client.send(.get(base.appending(path: "items")))
            #expect(response.status == 200)
            #expect(calls.count == 3)
            #expect(client.requestCount == 3)
            #expect(sleeper.durations == [.milliseconds(500), .seconds(1)])
            let retries = logs.entries.filter { $0.level == .info && $0.message.contains("503") }
            #expect(retries.count == 2)
        }
    }

    @Test func fullJitterStaysUnderTheExponentialCeiling() async throws {
        let router = Router()
        router.get("/items") { _, _ -> Response in reply(500) }
        try await withLoopbackServer(router) { base in
            let sleeper = SleepRecorder()
            let client = client(sleeper: sleeper, maxAttempts: 4, jitter: true)
            await #expect(throws: ConnectorError.self) { try await client.send(.get(base.appending(path: "items"))) }
            let ceilings: [Duration] = [.milliseconds(500), .seconds(1), .seconds(2)]
            #expect(sleeper.durations.count == 3)
            for (delay, ceiling) in zip(sleeper.durations, ceilings) { #expect(delay >= .zero && delay <= ceiling) }
        }
    }

    @Test func serverErrorsAfterAllAttemptsAreUnavailable() async throws {
        let router = Router()
        router.get("/items") { _, _ -> Response in reply(502, "<html>bad gateway</html>") }
        try await withLoopbackServer(router) { base in
            let sleeper = SleepRecorder()
            let client = client(sleeper: sleeper, maxAttempts: 3)
            let error = try await #require(throws: ConnectorError.self) {
                try await client.send(.get(base.appending(path: "items")), stream: "deals")
            }
            #expect(error.code == .unavailable)
            #expect(error.isRetryable)
            #expect(error.stream == "deals")
            #expect(error.message.contains("GET /items: HTTP 502"))
            #expect(error.message.contains("after 3 attempts"))
            #expect(client.requestCount == 3)
        }
    }

    @Test func tooManyRequestsWaitsRetryAfterThenSucceeds() async throws {
        let calls = Counter()
        let router = Router()
        router.get("/items") { _, _ -> Response in
            calls.next() == 1 ? reply(429, headers: [("Retry-After", "7")]) : reply(200, "{}")
        }
        try await withLoopbackServer(router) { base in
            let sleeper = SleepRecorder()
            let client = client(sleeper: sleeper)
            let response = try await client.send(.get(base.appending(path: "items")))
            #expect(response.status == 200)
            #expect(sleeper.durations == [.seconds(7)])
            let retry = try #require(logs.entries.first { $0.level == .info })
            #expect(retry.metadata["http.status"] == "429")
            #expect(retry.metadata["http.retry_in_ms"] == "7000")
        }
    }

    @Test func retryAfterAsHTTPDateAndHubSpotIntervalHeader() async throws {
        let calls = Counter()
        let router = Router()
        // Thirty whole seconds from now: the client's wait is this date less the moment it read the reply, which on a
        // loaded machine can be seconds after the request was sent.
        let retryAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 30).rounded(.down))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let retryAfter = formatter.string(from: retryAt)
        router.get("/items") { _, _ -> Response in
            switch calls.next() {
            case 1:
                return reply(429, headers: [("Retry-After", retryAfter)])
            case 2:
                return reply(
                    429, #"{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}"#,
                    headers: [("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"), ("X-HubSpot-RateLimit-Remaining", "0")])
            default:
                return reply(200, "{}")
            }
        }
        try await withLoopbackServer(router) { base in
            let sleeper = SleepRecorder()
            let client = client(sleeper: sleeper)
            let sent = Date()
            _ = try await client.send(.get(base.appending(path: "items")))
            let done = Date()
            let waits = sleeper.durations
            #expect(waits.count == 2)
            // Read between `sent` and `done` (a second either side for rounding to whole seconds or milliseconds).
            let longest = Duration.milliseconds(Int64((retryAt.timeIntervalSince(sent) + 1) * 1000))
            let shortest = Duration.milliseconds(Int64((retryAt.timeIntervalSince(done) - 1) * 1000))
            #expect(waits[0] >= shortest && waits[0] <= longest, "\(waits[0]) outside \(shortest)...\(longest)")
            #expect(waits[1] == .seconds(10))
        }
    }

    @Test func tooManyRequestsForeverIsRateLimitedWithRetryAfter() async throws {
        let router = Router()
        router.get("/items") { _, _ -> Response in reply(429, headers: [("Retry-After", "3")]) }
        try await withLoopbackServer(router) { base in
            let sleeper = SleepRecorder()
            let client = client(sleeper: sleeper, maxAttempts: 3)
            let error = try await #require(throws: ConnectorError.self) {
                try await client.send(.get(base.appending(path: "items")), stream: "contacts")
            }
            #expect(error.code == .rateLimited)
            #expect(error.retryAfter == .seconds(3))
            #expect(error.connector == "hubspot")
            #expect(error.message.contains("request budget"))
            #expect(sleeper.durations == [.seconds(3), .seconds(3)])
            #expect(client.requestCount == 3)
        }
    }

    @Test func retryAfterLongerThanMaxBackoffIsHandedToTheEngine() async throws {
        let router = Router()
        router.get("/items") { _, _ -> Response in reply(429, headers: [("Retry-After", "3600")]) }
        try await withLoopbackServer(router) { base in
            let sleeper = SleepRecorder()
            let client = client(sleeper: sleeper)
            let error = try await #require(throws: ConnectorError.self) { try await client.send(.get(base.appending(path: "items"))) }
            #expect(error.code == .rateLimited)
            #expect(error.retryAfter == .seconds(3600))
            #expect(sleeper.durations.isEmpty)
            #expect(client.requestCount == 1)
        }
    }

    @Test func hubSpotDailyLimitIsBudgetExhausted() async throws {
        let router = Router()
        router.get("/items") { _, _ -> Response in
            reply(429, #"{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY"}"#)
        }
        try await withLoopbackServer(router) { base in
            let sleeper = SleepRecorder()
            let budget = RequestBudget(burst: nil, daily: nil)
            let client = client(budget: budget, sleeper: sleeper)
            let error = try await #require(throws: ConnectorError.self) { try await client.send(.get(base.appending(path: "items"))) }
            #expect(error.code == .budgetExhausted)
            #expect(error.message.contains("daily limit"))
            #expect(client.requestCount == 1)
            #expect(budget.dailyRemaining == 0)
            await #expect(throws: ConnectorError.self) { try await budget.acquire() }
        }
    }

    @Test func unauthorizedNamesTheFixAndNeverTheToken() async throws {
        let router = Router()
        router.get("/crm/v3/objects/contacts") { _, _ -> Response in
            reply(401, #"{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}"#)
        }
        try await withLoopbackServer(router) { base in
            let sleeper = SleepRecorder()
            let client = client(auth: BearerToken("pat-na1-secret"), sleeper: sleeper)
            let url = base.appending(path: "crm/v3/objects/contacts").appending(queryItems: [.init(name: "hapikey", value: "query-secret")])
            let error = try await #require(throws: ConnectorError.self) { try await client.send(.get(url), stream: "contacts") }
            #expect(error.code == .authentication)
            #expect(!error.isRetryable)
            #expect(error.message.contains("GET /crm/v3/objects/contacts: HTTP 401"))
            #expect(error.message.contains("Authentication credentials not found."))
            #expect(error.message.contains("INVALID_AUTHENTICATION"))
            #expect(error.message.contains("check connectors.hubspot.accessToken and its scopes"))
            #expect(error.description.hasPrefix("hubspot/contacts: authentication failed: "))
            for text in [error.description, String(reflecting: error)] {
                #expect(!text.contains("pat-na1-secret"))
                #expect(!text.contains("query-secret"))
            }
            #expect(!logs.entries.contains { "\($0)".contains("secret") })
            #expect(client.requestCount == 1)
        }
    }

    @Test func forbiddenIsAuthenticationAndNotFoundIsNotFound() async throws {
        let router = Router()
        router.get("/scoped") { _, _ -> Response in
            reply(403, #"{"status":"error","message":"This app hasn't been granted all required scopes","category":"MISSING_SCOPES"}"#)
        }
        router.get("/missing") { _, _ -> Response in reply(404, #"[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]"#) }
        try await withLoopbackServer(router) { base in
            let client = client("crm", auth: BearerToken("t0ken"), sleeper: SleepRecorder())
            let forbidden = try await #require(throws: ConnectorError.self) { try await client.send(.get(base.appending(path: "scoped"))) }
            #expect(forbidden.code == .authentication)
            #expect(forbidden.message.contains("MISSING_SCOPES"))
            #expect(forbidden.message.contains("lack a permission"))
            let missing = try await #require(throws: ConnectorError.self) { try await client.send(.get(base.appending(path: "missing"))) }
            #expect(missing.code == .notFound)
            #expect(missing.message.contains(#"the system says "The requested resource does not exist" (NOT_FOUND)"#))
        }
    }

    @Test func badRequestIsRejectedWithTheSystemsMessageButNoEmail() async throws {
        let router = Router()
        router.post("/crm/v3/objects/contacts/search") { request, _ -> Response in
            let body = try await bodyText(request)
            guard body.contains("filterGroups"), header(request, "Content-Type") == "application/json" else { return reply(415) }
            return reply(
                400, #"{"status":"error","message":"Property values were not valid: jane.doe@example.com is not a valid email","correlationId":"abc","category":"VALIDATION_ERROR"}"#)
        }
        try await withLoopbackServer(router) { base in
            let sleeper = SleepRecorder()
            let client = client(sleeper: sleeper)
            let request = APIRequest.post(
                base.appending(path: "crm/v3/objects/contacts/search"),
                json: .object([("filterGroups", .array([])), ("limit", .number("200"))]))
            let error = try await #require(throws: ConnectorError.self) { try await client.send(request, stream: "contacts") }
            #expect(error.code == .rejected)
            #expect(error.message.contains("POST /crm/v3/objects/contacts/search: HTTP 400"))
            #expect(error.message.contains("Property values were not valid"))
            #expect(error.message.contains("VALIDATION_ERROR"))
            #expect(!error.message.contains("jane.doe@example.com"))
            #expect(error.message.contains("<email>"))
            #expect(client.requestCount == 1)
            #expect(sleeper.durations.isEmpty)
        }
    }

    @Test func salesforceRequestLimitExceededIsBudgetExhausted() async throws {
        let router = Router()
        router.get("/services/data/v60.0/query") { _, _ -> Response in
            reply(403, #"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#)
        }
        try await withLoopbackServer(router) { base in
            let client = client("crm", sleeper: SleepRecorder())
            let error = try await #require(throws: ConnectorError.self) {
                try await client.send(.get(base.appending(path: "services/data/v60.0/query")))
            }
            #expect(error.code == .budgetExhausted)
            #expect(error.message.contains("REQUEST_LIMIT_EXCEEDED"))
        }
    }

    @Test func truncatedBodyIsRetried() async throws {
        let page = #"{"records":[{"Id":"003000000000001"}],"done":true}"#
        let server = try RawServer { connection in
            connection == 1
                ? .send(rawResponse(status: 200, body: String(page.prefix(10)), declaredLength: page.utf8.count))
                : .send(rawResponse(status: 200, body: page))
        }
        defer { server.stop() }
        let sleeper = SleepRecorder()
        let client = client("crm", sleeper: sleeper)
        let response = try await client.send(.get(server.baseURL.appending(path: "query")))
        #expect(try response.json()["done"] == .bool(true))
        #expect(server.connections.count == 2)
        #expect(client.requestCount == 2)
        #expect(sleeper.durations == [.milliseconds(500)])
    }

    @Test func connectionResetIsRetried() async throws {
        let server = try RawServer { connection in
            connection <= 2 ? .reset : .send(rawResponse(status: 200, body: #"{"ok":true}"#))
        }
        defer { server.stop() }
        let sleeper = SleepRecorder()
        let client = client("crm", sleeper: sleeper)
        let response = try await client.send(.get(server.baseURL.appending(path: "query")))
        #expect(try response.json()["ok"] == .bool(true))
        #expect(server.connections.count == 3)
        #expect(sleeper.durations == [.milliseconds(500), .seconds(1)])
    }

    @Test func unreachableHostIsUnavailableAfterRetries() async throws {
        let server = try RawServer { _ in .reset }
        let url = server.baseURL.appending(path: "query")
        server.stop()  // nothing listens on that port any more
        let sleeper = SleepRecorder()
        let client = client("crm", sleeper: sleeper, maxAttempts: 2)
        let error = try await #require(throws: ConnectorError.self) { try await client.send(.get(url), stream: "deals") }
        #expect(error.code == .unavailable)
        #expect(error.message.contains("GET /query"))
        #expect(error.message.contains("127.0.0.1"))
        #expect(error.message.contains("after 2 attempts"))
        #expect(error.cause != nil)
        #expect(sleeper.durations.count == 1)
    }

    @Test func sforceLimitInfoFeedsTheBudget() async throws {
        let calls = Counter()
        let router = Router()
        router.get("/services/data/v60.0/query") { _, _ -> Response in
            let used = 4989 + calls.next()
            return reply(200, #"{"done":true,"records":[]}"#, headers: [("Sforce-Limit-Info", "api-usage=\(used)/5000")])
        }
        try await withLoopbackServer(router) { base in
            let budget = RequestBudget(burst: nil, daily: nil, reserve: 8)
            let client = client("crm", budget: budget, sleeper: SleepRecorder())
            let url = base.appending(path: "services/data/v60.0/query")
            _ = try await client.send(.get(url), stream: "deals")
            #expect(budget.systemDailyLimit == 5000)
            #expect(budget.dailyRemaining == 2)  // 10 left, 8 kept for other tools
            _ = try await client.send(.get(url), stream: "deals")
            _ = try await client.send(.get(url), stream: "deals")
            let error = try await #require(throws: ConnectorError.self) { try await client.send(.get(url), stream: "deals") }
            #expect(error.code == .budgetExhausted)
            #expect(error.connector == "crm")
            #expect(error.stream == "deals")
            #expect(error.message.contains("8 API calls left today of 5000"))
            #expect(calls.count == 3)
            #expect(budget.used == 3)
        }
    }

    @Test func hubSpotRateLimitHeadersPauseTheBudget() async throws {
        let router = Router()
        router.get("/items") { _, _ -> Response in
            reply(200, "{}", headers: [
                ("X-HubSpot-RateLimit-Daily", "250000"), ("X-HubSpot-RateLimit-Daily-Remaining", "500"),
                ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"), ("X-HubSpot-RateLimit-Max", "100"),
                ("X-HubSpot-RateLimit-Remaining", "0"),
            ])
        }
        try await withLoopbackServer(router) { base in
            let clock = ManualClock()
            let budgetSleeps = SleepRecorder(clock: clock)
            let budget = RequestBudget(burst: 100, per: .seconds(10), now: clock.now, sleep: budgetSleeps.sleep)
            let client = client(budget: budget, sleeper: SleepRecorder())
            _ = try await client.send(.get(base.appending(path: "items")))
            #expect(budget.dailyRemaining == 500)
            #expect(budget.systemDailyLimit == 250000)
            #expect(budgetSleeps.durations.isEmpty)
            _ = try await client.send(.get(base.appending(path: "items")))
            #expect(budgetSleeps.durations == [.seconds(10)])  // the system said the window was spent
            #expect(budget.waited == .seconds(10))
        }
    }

    @Test func dailyCapThroughTheClientNamesThePath() async throws {
        let router = Router()
        router.get("/items") { _, _ -> Response in reply(200, "{}") }
        try await withLoopbackServer(router) { base in
            let budget = RequestBudget(burst: nil, daily: 2)
            let client = client(budget: budget, sleeper: SleepRecorder())
            _ = try await client.send(.get(base.appending(path: "items")))
            _ = try await client.send(.get(base.appending(path: "items")))
            let error = try await #require(throws: ConnectorError.self) {
                try await client.send(.get(base.appending(path: "items")), stream: "contacts")
            }
            #expect(error.code == .budgetExhausted)
            #expect(error.description.hasPrefix("hubspot/contacts: API budget exhausted: GET /items: used all 2 requests"))
            #expect(client.requestCount == 2)
        }
    }
}
