import Foundation
import HTTPTypes
import HummingbirdTesting
import SyncHubCore
import Testing

@testable import SyncHubSandbox

@Suite struct HubSpotAuthAndFaultsTests {
    let clock = HubSpotTestClock()

    @Test func missingOrWrongTokenGetsHubSpots401Body() async throws {
        let simulator = HubSpotSimulator(seed: 1, contacts: 10, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            for token in [nil, "not-the-token"] {
                let response = try await client.hubSpot(.get, "/crm/v3/objects/contacts", token: token)
                #expect(response.status == 401)
                #expect(response.json["status"]?.text == "error")
                #expect(response.json["category"]?.text == "INVALID_AUTHENTICATION")
                #expect(response.json["message"]?.text?.hasPrefix("Authentication credentials not found.") == true)
                #expect(response.json["correlationId"]?.text?.count == 36)
            }
        }
    }

    @Test func everyAPIResponseCarriesRateLimitHeadersAndTheBurstLimitAnswers429() async throws {
        let simulator = HubSpotSimulator(seed: 1, contacts: 10, now: clock.sendableNow)
        simulator.faults.burstLimit = 3
        simulator.faults.dailyLimit = 1_000
        try await withHubSpot(simulator) { client in
            let first = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1")
            #expect(first.header("X-HubSpot-RateLimit-Max") == "3")
            #expect(first.header("X-HubSpot-RateLimit-Remaining") == "2")
            #expect(first.header("X-HubSpot-RateLimit-Interval-Milliseconds") == "10000")
            #expect(first.header("X-HubSpot-RateLimit-Daily") == "1000")
            #expect(first.header("X-HubSpot-RateLimit-Daily-Remaining") == "999")
            _ = try await client.hubSpot(.get, "/crm/v3/properties/contacts")
            let third = try await client.hubSpot(.get, "/email/public/v1/events?limit=1")
            #expect(third.status == 200 && third.header("X-HubSpot-RateLimit-Remaining") == "0")
            let limited = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1")
            #expect(limited.status == 429)
            #expect(limited.json["policyName"]?.text == "TEN_SECONDLY_ROLLING")
            #expect(limited.json["errorType"]?.text == "RATE_LIMIT")
            #expect(limited.json["message"]?.text == "You have reached your ten_secondly_rolling limit.")
            #expect(limited.header("X-HubSpot-RateLimit-Remaining") == "0")
            clock.advance(seconds: 10.5)
            let later = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1")
            #expect(later.status == 200)
        }
    }

    @Test func oauthRefreshIssuesTokensThatExpire() async throws {
        let simulator = HubSpotSimulator(seed: 1, contacts: 10, now: clock.sendableNow)
        simulator.faults.accessTokenLifetimeSeconds = 60
        try await withHubSpot(simulator) { client in
            let form = "grant_type=refresh_token&client_id=sandbox-client-id&client_secret=sandbox-client-secret&refresh_token=sandbox-refresh-token"
            let granted = try await client.hubSpot(.post, "/oauth/v1/token", token: nil, rawBody: form)
            #expect(granted.status == 200)
            #expect(granted.json["token_type"]?.text == "bearer")
            #expect(granted.json["expires_in"]?.text == "60")
            #expect(granted.json["refresh_token"]?.text == "sandbox-refresh-token")
            let access = try #require(granted.json["access_token"]?.text)

            let used = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1", token: access)
            #expect(used.status == 200)
            #expect(used.header("X-HubSpot-RateLimit-Max") != nil)
            #expect(used.header("X-HubSpot-RateLimit-Daily") == nil)  // not sent to OAuth apps

            clock.advance(seconds: 61)
            let expired = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1", token: access)
            #expect(expired.status == 401)
            #expect(expired.json["category"]?.text == "EXPIRED_AUTHENTICATION")
            #expect(expired.json["message"]?.text == "The OAuth token used to make this call expired 1 second(s) ago.")

            let renewed = try await client.hubSpot(.post, "/oauth/v1/token", token: nil, rawBody: form)
            let second = try #require(renewed.json["access_token"]?.text)
            #expect(second != access)
            #expect(try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1", token: second).status == 200)
            simulator.faults.expireAccessTokensNow()
            let cut = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1", token: second)
            #expect(cut.json["category"]?.text == "EXPIRED_AUTHENTICATION")

            let bad = try await client.hubSpot(
                .post, "/oauth/v1/token", token: nil, rawBody: form.replacingOccurrences(of: "sandbox-refresh-token", with: "nope"))
            #expect(bad.status == 400)
            #expect(bad.json["status"]?.text == "BAD_REFRESH_TOKEN")
        }
    }

    @Test func plannedFailuresAnswer503ThenRecover() async throws {
        let simulator = HubSpotSimulator(seed: 1, contacts: 10, now: clock.sendableNow)
        simulator.faults.failNext(2, status: 503, pathPrefix: "/crm/v3/objects/contacts")
        try await withHubSpot(simulator) { client in
            let other = try await client.hubSpot(.get, "/crm/v3/objects/deals?limit=1")
            #expect(other.status == 200)
            for _ in 0..<2 {
                let failed = try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1")
                #expect(failed.status == 503)
                #expect(failed.header("Content-Type")?.hasPrefix("text/html") == true)
            }
            #expect(simulator.faults.pendingFailures == 0)
            #expect(try await client.hubSpot(.get, "/crm/v3/objects/contacts?limit=1").status == 200)
        }
    }

    @Test func planned429CarriesRetryAfterAndHubSpotsBody() async throws {
        let simulator = HubSpotSimulator(seed: 1, contacts: 10, now: clock.sendableNow)
        simulator.faults.failNext(1, status: 429, retryAfterSeconds: 7)
        try await withHubSpot(simulator) { client in
            let limited = try await client.hubSpot(.post, "/crm/v3/objects/contacts/search", json: "{}")
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == "7")
            #expect(limited.json["policyName"]?.text == "TEN_SECONDLY_ROLLING")
            #expect(limited.json["errorType"]?.text == "RATE_LIMIT")
            #expect(try await client.hubSpot(.post, "/crm/v3/objects/contacts/search", json: "{}").status == 200)
        }
    }

    @Test func faultsCanBeSetOverHTTP() async throws {
        let simulator = HubSpotSimulator(seed: 1, contacts: 10, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            let set = try await client.hubSpot(
                .post, "/_sandbox/hubspot/faults", json: #"{"failNext":{"count":1,"status":500},"burstLimit":50}"#, token: nil)
            #expect(set.status == 200)
            #expect(set.json["burstLimit"]?.text == "50")
            let failed = try await client.hubSpot(.get, "/crm/v3/objects/contacts")
            #expect(failed.status == 500)
            #expect(failed.json["status"]?.text == "error")
            let passed = try await client.hubSpot(.get, "/crm/v3/objects/contacts")
            #expect(passed.header("X-HubSpot-RateLimit-Max") == "50")
            let cleared = try await client.hubSpot(.post, "/_sandbox/hubspot/faults", json: #"{"clear":true}"#, token: nil)
            #expect(cleared.json["burstLimit"]?.text == "190")
            let wrong = try await client.hubSpot(.post, "/_sandbox/hubspot/faults", json: #"{"burstLimit":"many"}"#, token: nil)
            #expect(wrong.status == 400)
        }
    }

    @Test func mutationsWorkOverHTTP() async throws {
        let simulator = HubSpotSimulator(seed: 2, contacts: 30, now: clock.sendableNow)
        let order = simulator.contactIDsInModificationOrder()
        try await withHubSpot(simulator) { client in
            let added = try await client.hubSpot(.post, "/_sandbox/hubspot/add", json: #"{"count":3}"#, token: nil)
            #expect(added.json["ids"]?.hubSpotArray.count == 3)
            clock.advance(seconds: 1)
            _ = try await client.hubSpot(.post, "/_sandbox/hubspot/touch", json: #"{"ids":["\#(order[0])"]}"#, token: nil)
            #expect(simulator.contactIDsInModificationOrder().last == order[0])
            _ = try await client.hubSpot(.post, "/_sandbox/hubspot/archive", json: #"{"ids":["\#(order[1])"]}"#, token: nil)
            let merged = try await client.hubSpot(
                .post, "/_sandbox/hubspot/merge", json: #"{"absorbed":"\#(order[2])","survivor":"\#(order[3])"}"#, token: nil)
            #expect(merged.json["id"]?.text != nil)
            #expect(simulator.liveCount("contacts") == 30 + 3 - 1 - 1)
        }
    }

    @Test func truncatedBodyAndDroppedConnectionAreVisibleOnTheWire() async throws {
        let simulator = HubSpotSimulator(seed: 1, contacts: 40, now: clock.sendableNow)
        try await withHubSpot(simulator, .live) { client in
            let port = try #require(client.port)
            let request = "GET /crm/v3/objects/contacts?limit=20 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sandbox-token\r\nConnection: close\r\n\r\n"

            simulator.faults.truncateNext(1)
            let cut = try await hubSpotRawHTTPRequest(port: port, request)
            #expect(cut.statusLine.hasPrefix("HTTP/1.1 200"))
            let declared = try #require(cut.contentLength)
            #expect(cut.body.count < declared)
            #expect(cut.body.count > 0)
            #expect((try? JSONValue.parse(cut.body)) == nil)

            let whole = try await hubSpotRawHTTPRequest(port: port, request)
            #expect(whole.contentLength == whole.body.count)
            #expect(declared == whole.body.count)
            #expect((try? JSONValue.parse(whole.body)) != nil)

            simulator.faults.resetNext(1)
            let dropped = try await hubSpotRawHTTPRequest(port: port, request)
            #expect(dropped.body.isEmpty)
            #expect((dropped.contentLength ?? 0) > 0)
        }
    }

    @Test func authorizationCodeGrantWorksOnceAndWrongClientIsRefused() async throws {
        let simulator = HubSpotSimulator(seed: 1, contacts: 10, now: clock.sendableNow)
        try await withHubSpot(simulator) { client in
            let form = "grant_type=authorization_code&client_id=sandbox-client-id&client_secret=sandbox-client-secret&redirect_uri=http%3A%2F%2Flocalhost&code=sandbox-auth-code"
            let granted = try await client.hubSpot(.post, "/oauth/v1/token", token: nil, rawBody: form)
            #expect(granted.status == 200)
            let refresh = try #require(granted.json["refresh_token"]?.text)
            #expect(simulator.accessTokens.refreshTokens.contains(refresh))
            let reused = try await client.hubSpot(.post, "/oauth/v1/token", token: nil, rawBody: form)
            #expect(reused.json["status"]?.text == "BAD_AUTH_CODE")
            let wrongClient = try await client.hubSpot(
                .post, "/oauth/v1/token", token: nil,
                rawBody: "grant_type=refresh_token&client_id=other&client_secret=x&refresh_token=\(refresh)")
            #expect(wrongClient.status == 400 && wrongClient.json["status"]?.text == "BAD_CLIENT_ID")
        }
    }
}
