import Foundation
import Hummingbird
import Logging
import SyncHubCore
import Synchronization
import SyncHubSandbox
import Testing
@testable import SyncHubHTTP

/// A token endpoint that hands out `token-1`, `token-2`, … and checks the refresh-token grant's form.
func addTokenEndpoint(
    to router: Router<BasicRequestContext>, issued: Counter, expiresIn: Int? = 7200,
    answered: (@Sendable () async -> Void)? = nil
) {
    router.post("/services/oauth2/token") { request, _ -> Response in
        let form = formFields(try await bodyText(request))
        guard form["grant_type"] == "refresh_token", form["client_id"] == "client-id",
            form["client_secret"] == "client-secret-value", form["refresh_token"] == "refresh-token-value",
            header(request, "Content-Type") == "application/x-www-form-urlencoded"
        else {
            return reply(400, #"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#)
        }
        await answered?()
        let number = issued.next()
        let instanceURL = "http://" + (authority(request) ?? "")
        let expiry = expiresIn.map { #","expires_in":\#($0)"# } ?? ""
        return reply(
            200,
            #"{"access_token":"token-\#(number)","instance_url":"\#(instanceURL)","token_type":"Bearer"\#(expiry)}"#)
    }
}

@Suite(.timeLimit(.minutes(10)))
struct AuthTests {
    func oauth(_ base: URL, clock: ManualClock? = nil, logger: Logger = Logger(label: "test")) -> OAuthRefreshToken {
        var now: @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
        if let clock { now = clock.now }
        return OAuthRefreshToken(
            tokenURL: base.appending(path: "services/oauth2/token"), clientID: "client-id",
            clientSecret: "client-secret-value", refreshToken: "refresh-token-value", connector: "crm",
            logger: logger, now: now, sleep: { _ in })
    }

    @Test func invalidSessionRefreshesThenReplays() async throws {
        let issued = Counter()
        let router = Router()
        let queries = Counter()
        router.get("/services/data/v60.0/query") { request, _ -> Response in
            _ = queries.next()
            guard header(request, "Authorization") == "Bearer token-2" else {
                return reply(401, #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#)
            }
            return reply(200, #"{"totalSize":0,"done":true,"records":[]}"#)
        }
        addTokenEndpoint(to: router, issued: issued)
        try await withLoopbackServer(router) { base in
            let logs = LogRecorder()
            let auth = oauth(base, logger: logs.logger)
            let client = APIClient(connector: "crm", auth: auth, logger: logs.logger, sleep: { _ in })
            let instance = try #require(try await auth.tokenField("instance_url"))
            #expect(instance == base.absoluteString)  // Salesforce's instance_url, from the token response
            let url = try #require(URL(string: instance)).appending(path: "services/data/v60.0/query")
                .appending(queryItems: [.init(name: "q", value: "SELECT Id FROM Contact")])
            let response = try await client.send(.get(url), stream: "contacts")
            #expect(try response.json()["done"] == .bool(true))
            #expect(auth.tokenRequests == 2)
            #expect(issued.count == 2)
            #expect(queries.count == 2)
            #expect(client.requestCount == 2)
            #expect(logs.entries.contains { $0.level == .info && $0.message.contains("replaying") })
            for entry in logs.entries {
                let text = "\(entry)"
                #expect(!text.contains("token-"))
                #expect(!text.contains("client-secret-value"))
                #expect(!text.contains("refresh-token-value"))
            }
        }
    }

    @Test func refusedAgainAfterRefreshIsAuthentication() async throws {
        let issued = Counter()
        let router = Router()
        router.get("/api") { _, _ -> Response in
            reply(401, #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#)
        }
        addTokenEndpoint(to: router, issued: issued)
        try await withLoopbackServer(router) { base in
            let auth = oauth(base)
            let client = APIClient(connector: "crm", auth: auth, logger: Logger(label: "test"), sleep: { _ in })
            let error = try await #require(throws: ConnectorError.self) { try await client.send(.get(base.appending(path: "api"))) }
            #expect(error.code == .authentication)
            #expect(error.message.contains("INVALID_SESSION_ID"))
            #expect(error.message.contains("check clientId, clientSecret and refreshToken under connectors.crm"))
            #expect(auth.tokenRequests == 2)  // one renewal, then give up
            #expect(client.requestCount == 2)
        }
    }

    @Test func renewsByExpiryTimeNotOnRefusal() async throws {
        let issued = Counter()
        let router = Router()
        addTokenEndpoint(to: router, issued: issued, expiresIn: 1800)
        try await withLoopbackServer(router) { base in
            let clock = ManualClock()
            let auth = oauth(base, clock: clock)
            var request = APIRequest.get(base.appending(path: "api"))
            try await auth.authorize(&request)
            #expect(request.header("authorization") == "Bearer token-1")
            clock.advance(by: .seconds(1739))  // 61 s before expiry: still good
            try await auth.authorize(&request)
            #expect(request.header("Authorization") == "Bearer token-1")
            #expect(request.headers.count { $0.0 == "Authorization" } == 1)
            clock.advance(by: .seconds(2))  // 59 s before expiry: renew now
            try await auth.authorize(&request)
            #expect(request.header("Authorization") == "Bearer token-2")
            #expect(auth.tokenRequests == 2)
        }
    }

    @Test func missingExpiresInMeansThirtyMinutes() async throws {
        let issued = Counter()
        let router = Router()
        addTokenEndpoint(to: router, issued: issued, expiresIn: nil)
        try await withLoopbackServer(router) { base in
            let clock = ManualClock()
            let auth = oauth(base, clock: clock)
            var request = APIRequest.get(base.appending(path: "api"))
            try await auth.authorize(&request)
            clock.advance(by: .seconds(29 * 60 - 1))
            try await auth.authorize(&request)
            #expect(request.header("Authorization") == "Bearer token-1")
            clock.advance(by: .seconds(2))
            try await auth.authorize(&request)
            #expect(request.header("Authorization") == "Bearer token-2")
        }
    }

    @Test func concurrentRequestsShareOneRefresh() async throws {
        let issued = Counter()
        let router = Router()
        let served = Counter()
        router.get("/api") { request, _ -> Response in
            // token-1 is refused (a revoked session) so every request renews at once; token-2 works.
            guard header(request, "Authorization") == "Bearer token-2" else {
                return reply(401, #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#)
            }
            _ = served.next()
            return reply(200, "{}")
        }
        // The first token response is held until all twelve requests have asked for credentials.
        let gate = Gate()
        addTokenEndpoint(to: router, issued: issued, answered: { await gate.pass() })
        try await withLoopbackServer(router) { base in
            let auth = oauth(base)
            let entered = Counter()
            let observed = ObservedAuth(base: auth) { if entered.next() == 12 { gate.open() } }
            let client = APIClient(connector: "crm", auth: observed, logger: Logger(label: "test"), sleep: { _ in })
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await client.send(.get(base.appending(path: "api"))).status }
                }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                #expect(statuses == Array(repeating: 200, count: 12))
            }
            #expect(served.count == 12)
            #expect(issued.count == 2)  // the first token, then one renewal for all twelve 401s
            #expect(auth.tokenRequests == 2)
        }
    }

    @Test func refusedRefreshTokenIsAuthenticationWithoutSecrets() async throws {
        let router = Router()
        router.post("/services/oauth2/token") { _, _ -> Response in
            reply(400, #"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#)
        }
        try await withLoopbackServer(router) { base in
            let auth = oauth(base)
            let client = APIClient(connector: "crm", auth: auth, logger: Logger(label: "test"), sleep: { _ in })
            let error = try await #require(throws: ConnectorError.self) {
                try await client.send(.get(base.appending(path: "api")), stream: "contacts")
            }
            #expect(error.code == .authentication)
            #expect(error.message.contains("POST /services/oauth2/token: HTTP 400"))
            #expect(error.message.contains("expired access/refresh token"))
            #expect(error.message.contains("invalid_grant"))
            #expect(error.message.contains("refreshToken under connectors.crm"))
            for text in [error.description, String(reflecting: error), "\(auth)"] {
                #expect(!text.contains("client-secret-value"))
                #expect(!text.contains("refresh-token-value"))
            }
            #expect(client.requestCount == 0)  // nothing reached the API without a token
        }
    }

    @Test func bearerTokenNeverPrintsItself() async throws {
        let token = BearerToken("pat-na1-secret", setting: "privateAppToken")
        var request = APIRequest.get(URL(string: "https://api.hubapi.com/crm/v3/objects/contacts?hapikey=k")!)
        try await token.authorize(&request)
        #expect(request.header("Authorization") == "Bearer pat-na1-secret")
        #expect(try await token.refresh(after: APIResponse(status: 401)) == false)
        #expect(token.credentialSettings == ["privateAppToken"])
        #expect(!"\(token)".contains("secret"))
        #expect(!String(reflecting: token).contains("secret"))
        #expect("\(request)" == "GET /crm/v3/objects/contacts [Authorization: Bearer <redacted>]")
    }
}

/// Lets route handlers wait until the test opens it.
final class Gate: Sendable {
    private let state = Mutex<(isOpen: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    /// Waits until ``open()``; returns at once after it.
    func pass() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLock { state in
                if !state.isOpen { state.waiters.append(continuation) }
                return state.isOpen
            }
            if isOpen { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// The real provider, with a hook called as each request asks for credentials.
struct ObservedAuth: AuthProvider {
    let base: OAuthRefreshToken
    let onAuthorize: @Sendable () -> Void
    var credentialSettings: [String] { base.credentialSettings }

    func authorize(_ request: inout APIRequest) async throws {
        onAuthorize()
        try await base.authorize(&request)
    }

    func refresh(after response: APIResponse) async throws -> Bool { try await base.refresh(after: response) }

    func refresh(after response: APIResponse, to request: APIRequest) async throws -> Bool {
        try await base.refresh(after: response, to: request)
    }
}
