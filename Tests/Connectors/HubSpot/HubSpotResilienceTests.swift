import Foundation
import Logging
import SyncHubCore
import SyncHubHTTP
import Testing

@testable import HubSpotConnector
@testable import SyncHubSandbox

@Suite struct HubSpotResilienceTests {
    enum Fault: String, CaseIterable, Sendable {
        case rateLimited, unavailable, connectionReset, truncatedBody

        func inject(_ simulator: HubSpotSimulator, count: Int, path: String) {
            switch self {
            case .rateLimited: simulator.faults.failNext(count, status: 429, pathPrefix: path, retryAfterSeconds: 1)
            case .unavailable: simulator.faults.failNext(count, status: 503, pathPrefix: path)
            case .connectionReset: simulator.faults.resetNext(count, pathPrefix: path)
            case .truncatedBody: simulator.faults.truncateNext(count, pathPrefix: path)
            }
        }
    }

    /// Faults in the middle of a full read and of an incremental pass, absorbed by the client's retries (5 tries)
    /// or surfacing to the engine, which restarts from the last checkpoint (1 try): nothing lost, nothing twice.
    @Test(.timeLimit(.minutes(10)), arguments: Fault.allCases, [1, 5])
    func faultsMidPullLoseNothingAndRepeatNothing(fault: Fault, maxAttempts: Int) async throws {
        try await withSimulatedHubSpot { hubspot in
            let source = try hubspot.source(maxAttempts: maxAttempts)
            let expected = Set(hubspot.simulator.liveRecords(.contacts).keys)
            let full = try await drive(source, "contacts") { batch in
                if batch == 1 { fault.inject(hubspot.simulator, count: 2, path: "/crm/v3/objects/contacts") }
            }
            #expect(full.stoppedBy == nil)
            #expect(Set(full.liveIDs) == expected)
            #expect(duplicates(full.ids).isEmpty)
            #expect(hubspot.simulator.faults.pendingFailures == 0)
            #expect(maxAttempts == 1 ? full.restarts == 2 : full.restarts == 0)

            let touched = Array(hubspot.simulator.contactIDsInModificationOrder().prefix(40))
            hubspot.clock.advance(seconds: 60)
            hubspot.simulator.touch(contacts: touched)
            var configuration = hubspot.configuration()
            configuration.searchPageSize = 10
            let small = try hubspot.source(configuration, maxAttempts: maxAttempts)
            let pass = try await drive(small, "contacts", from: full.checkpoint) { batch in
                if batch == 2 { fault.inject(hubspot.simulator, count: 2, path: "/crm/v3/objects/contacts/search") }
            }
            #expect(pass.stoppedBy == nil)
            #expect(pass.ids.sorted() == touched.sorted())
            #expect(hubspot.simulator.faults.pendingFailures == 0)
        }
    }

    @Test(.timeLimit(.minutes(10))) func rateLimitWaitsWhatHubSpotAsks() async throws {
        try await withSimulatedHubSpot { hubspot in
            let sleeper = SleepRecorder()
            let source = try #require(hubspot.instance(sleeper: sleeper).source)
            hubspot.simulator.faults.failNext(1, status: 429, pathPrefix: "/crm/v3/objects/contacts", retryAfterSeconds: 2)
            let full = try await drive(source, "contacts")
            #expect(full.restarts == 0)
            #expect(sleeper.durations.contains(.seconds(2)))
            // A Retry-After longer than the client waits in place goes to the engine as retryAfter.
            hubspot.simulator.faults.failNext(5, status: 429, pathPrefix: "/crm/v3/objects/contacts", retryAfterSeconds: 600)
            do {
                try await source.check()
                Issue.record("check() passed during a long rate limit")
            } catch let error as ConnectorError {
                #expect(error.code == .rateLimited)
                #expect(error.retryAfter == .seconds(600))
            }
        }
    }

    @Test(.timeLimit(.minutes(10))) func badTokenFailsCheckAsAuthentication() async throws {
        try await withSimulatedHubSpot { hubspot in
            let source = try hubspot.source(hubspot.configuration(token: "not-the-token"))
            do {
                try await source.check()
                Issue.record("check() passed with a wrong token")
            } catch let error as ConnectorError {
                #expect(error.code == .authentication)
                #expect(error.message.contains("connectors.hubspot.accessToken"))
                #expect(error.message.contains("crm.objects.contacts.read"))
                #expect(!error.message.contains("not-the-token"))
            }
            // Streams fail the same way, naming their own scope.
            let pull = try await drive(source, "deals")
            #expect(pull.stoppedBy?.code == .authentication)
            #expect(pull.stoppedBy?.message.contains("crm.objects.deals.read") == true)
        }
    }

    @Test(.timeLimit(.minutes(10))) func oauthTokenIsRenewedByItsExpiryTime() async throws {
        try await withSimulatedHubSpot { hubspot in
            var configuration = hubspot.configuration()
            configuration.credentials = .oauth(
                clientID: "sandbox-client-id", clientSecret: "sandbox-client-secret",
                refreshToken: "sandbox-refresh-token", tokenURL: hubspot.baseURL.appendingPathComponent("oauth/v1/token"))
            let source = try hubspot.source(configuration)
            try await source.check()
            #expect(hubspot.simulator.accessTokens.issuedAccessTokens.count == 1)
            // 30.5 minutes on, the first token has expired: it is renewed by its expiry time, before a request
            // could be refused with a 401.
            hubspot.clock.advance(seconds: 1_830)
            let full = try await drive(source, "contacts")
            #expect(full.stoppedBy == nil)
            #expect(Set(full.liveIDs) == Set(hubspot.simulator.liveRecords(.contacts).keys))
            #expect(hubspot.simulator.accessTokens.issuedAccessTokens.count == 2)
            #expect(hubspot.log.count(status: 401) == 0)
            #expect(hubspot.log.count("POST", "/oauth/v1/token") == 2)
        }
    }

    @Test(.timeLimit(.minutes(10))) func revokedRefreshTokenNamesTheSettings() async throws {
        try await withSimulatedHubSpot { hubspot in
            var configuration = hubspot.configuration()
            configuration.credentials = .oauth(
                clientID: "sandbox-client-id", clientSecret: "sandbox-client-secret", refreshToken: "refresh-value-9931",
                tokenURL: hubspot.baseURL.appendingPathComponent("oauth/v1/token"))
            let source = try hubspot.source(configuration)
            do {
                try await source.check()
                Issue.record("check() passed with a revoked refresh token")
            } catch let error as ConnectorError {
                #expect(error.code == .authentication)
                #expect(error.message.contains("oauth.refreshToken"))
                #expect(!error.message.contains("refresh-value-9931"))
            }
        }
    }

    /// A daily cap stops the stream cleanly; the next run resumes from the checkpoint and finishes.
    @Test(.timeLimit(.minutes(10))) func dailyBudgetStopsCleanlyAndTheNextRunResumes() async throws {
        try await withSimulatedHubSpot { hubspot in
            var configuration = hubspot.configuration()
            configuration.dailyRequestLimit = 2
            let first = try await drive(try hubspot.source(configuration), "contacts")
            #expect(first.stoppedBy?.code == .budgetExhausted)
            #expect(first.checkpoint != nil)
            var resumed = DrivenPull(checkpoint: first.checkpoint)
            var runs = 0
            repeat {
                runs += 1
                let run = try await drive(try hubspot.source(configuration), "contacts", from: resumed.checkpoint)
                resumed.records += run.records
                resumed.checkpoint = run.checkpoint
                if run.stoppedBy == nil { break }
                #expect(run.stoppedBy?.code == .budgetExhausted)
            } while runs < 20
            let all = first.ids + resumed.ids
            #expect(Set(all) == Set(hubspot.simulator.liveRecords(.contacts).keys))
            #expect(duplicates(all).isEmpty)
            #expect(runs > 1)
        }
    }

    /// HubSpot's daily allowance, shared with other tools: the stream stops while `dailyReserve` calls are left,
    /// before HubSpot refuses anything; where HubSpot sends no daily headers (OAuth apps), its `DAILY` 429 is a spent
    /// budget, not an error loop.
    @Test(.timeLimit(.minutes(10))) func hubSpotDailyLimitStopsTheStream() async throws {
        try await withSimulatedHubSpot { hubspot in
            hubspot.simulator.faults.dailyLimit = 4
            var configuration = hubspot.configuration()
            configuration.dailyReserve = 2
            let reserved = try await drive(try hubspot.source(configuration), "contacts")
            #expect(reserved.stoppedBy?.code == .budgetExhausted)
            #expect(reserved.stoppedBy?.message.contains("reserve") == true)
            #expect(hubspot.log.count(status: 429) == 0)
            #expect(hubspot.log.all.count == 2)

            configuration.credentials = .oauth(
                clientID: "sandbox-client-id", clientSecret: "sandbox-client-secret",
                refreshToken: "sandbox-refresh-token", tokenURL: hubspot.baseURL.appendingPathComponent("oauth/v1/token"))
            let spent = try await drive(try hubspot.source(configuration), "contacts")
            #expect(spent.stoppedBy?.code == .budgetExhausted)
            #expect(spent.stoppedBy?.message.contains("daily limit") == true)
            #expect(hubspot.log.count(status: 429) == 1)
        }
    }

    @Test(.timeLimit(.minutes(10))) func searchRequestsArePacedBySearchBudget() async throws {
        try await withSimulatedHubSpot { hubspot in
            var configuration = hubspot.configuration()
            configuration.searchRequestsPerSecond = 4
            configuration.searchPageSize = 20
            let sleeper = SleepRecorder()
            // The budget's clock stands still while it "waits", so every wait it asks for is recorded.
            var transport = hubspot.transport(sleeper: sleeper)
            let frozen = ContinuousClock.now
            transport.now = { frozen }
            let source = try #require(
                HubSpotConnector.make(name: "hubspot", configuration: configuration, logger: quietLogger, transport: transport)
                    .source)
            let start = try Checkpoint(encoding: ObjectCursor(phase: .search, search: .completed(at: 0), lastArchivedScanAt: 0))
            let pass = try await drive(source, "contacts", from: start)
            let searches = hubspot.log.count("POST", "/crm/v3/objects/contacts/search")
            #expect(searches > 8)
            #expect(Set(pass.ids) == Set(hubspot.simulator.liveRecords(.contacts).keys))
            // Four searches a second: every search past the fourth waits, the n-th about (n - 4) / 4 seconds more.
            let waits = sleeper.durations.filter { $0 > .zero }
            #expect(waits.count == searches - 4)
            #expect(waits.last == .seconds((searches - 1) / 4))
        }
    }
}
