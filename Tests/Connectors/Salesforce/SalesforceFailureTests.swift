import Foundation
@testable import SalesforceConnector
import SyncHubCore
import SyncHubHTTP
import SyncHubSandbox
import SyncHubStore
import SyncHubTesting
import Testing

@Suite(.timeLimit(.minutes(10)))
struct SalesforceFailureTests {
    /// Reads `stream` page by page, calling `between` after the page numbered `after` (1-based).
    func read(
        _ source: SalesforceSource, _ stream: SalesforceStream, after page: Int, between: () -> Void
    ) async throws -> [RecordBatch] {
        var batches: [RecordBatch] = []
        for try await batch in source.pull(stream.descriptor, resumingAfter: nil) {
            batches.append(batch)
            if batches.count == page { between() }
        }
        return batches
    }

    @Test func invalidSessionMidPullRefreshesAndContinues() async throws {
        let simulator = SalesforceSimulator(seed: 21, people: 1000)
        try await withSimulator(simulator) { base in
            let source = makeSource(configuration(base, batchSize: 200))
            let batches = try await read(source, .contacts, after: 1) { simulator.faults.expireTokensNow() }
            #expect(batches.count >= 3)
            #expect(batches.ids.count == Set(batches.ids).count)
            #expect(Set(batches.ids) == Set(simulator.ids("Contact", includeDeleted: true)))
            #expect(source.api.auth.tokenRequests == 2)
        }
    }

    @Test(arguments: [SalesforceFaults.Failure.status(503), .status(500), .connectionReset, .truncatedBody])
    func transientFailuresMidPullLoseAndRepeatNothing(_ failure: SalesforceFaults.Failure) async throws {
        let simulator = SalesforceSimulator(seed: 22, people: 1000)
        try await withSimulator(simulator) { base in
            let source = makeSource(configuration(base, batchSize: 200))
            let batches = try await read(source, .leads, after: 1) {
                simulator.faults.failNext(2, with: failure, pathPrefix: "/services/data/")
            }
            #expect(simulator.faults.pendingFailures == 0)
            #expect(batches.ids.count == Set(batches.ids).count)
            #expect(Set(batches.ids) == Set(simulator.ids("Lead", includeDeleted: true)))
        }
    }

    @Test func expiredQueryLocatorQueriesAgainFromTheCheckpoint() async throws {
        let clock = SimulatedClock()
        let simulator = SalesforceSimulator(seed: 23, people: 1000, now: clock.now)
        try await withSimulator(simulator) { base in
            let logs = LogRecorder()
            let source = makeSource(configuration(base, batchSize: 200), logger: logs.logger)
            // A locator idle for 16 minutes has expired (Salesforce: 15 minutes of inactivity).
            let batches = try await read(source, .campaignMembers, after: 2) { clock.advance(seconds: 16 * 60) }
            #expect(batches.ids.count == Set(batches.ids).count)
            #expect(Set(batches.ids) == Set(simulator.ids("CampaignMember", includeDeleted: true)))
            #expect(logs.lines.contains { $0.contains("query locator expired") })
        }
    }

    @Test func budgetStopsAfterCommittedPagesAndTheNextRunResumes() async throws {
        let simulator = SalesforceSimulator(seed: 24, people: 4000)
        try await withSimulator(simulator) { base in
            let total = simulator.ids("Contact", includeDeleted: true).count
            #expect(total > 1600)
            let store = try StoreDatabase.inMemory()
            let engine = SyncEngine(store: store, logger: quietLogger, sleep: { _ in })
            // 4 of 20 requests used; stop above half: the 7th page's response reports 11/20.
            simulator.faults.setDailyLimit(20, used: 4)
            let source = makeSource(configuration(base, batchSize: 200, share: 0.5, streams: [.contacts]))
            let first = await engine.pull(connector: "crm", source: source)
            #expect(first.map(\.status) == [.paused])
            #expect(first.first?.error?.contains("maxDailyAPIShare") == true)
            #expect(first.first?.batches == 7)
            #expect(first.first?.counts.inserted == 1400)
            #expect(simulator.apiCallsUsed == 11)
            let saved = try #require(try store.checkpoint(connector: "crm", stream: "contacts"))

            // The next run, still above the share, sends one request (it learns the use has not recovered), keeps
            // that page, and stops again.
            let blocked = await engine.pull(connector: "crm", source: source)
            #expect(blocked.map(\.status) == [.paused])
            #expect(blocked.first?.batches == 1)
            #expect(blocked.first?.counts.inserted == 200)
            #expect(simulator.apiCallsUsed == 12)

            // The next day (a long-running process keeps the same source) the run resumes from the checkpoint and
            // reads only the rest.
            simulator.faults.setDailyLimit(15_000, used: 0)
            let second = await engine.pull(connector: "crm", source: source)
            #expect(second.map(\.status) == [.succeeded])
            #expect(second.first?.counts.inserted == total - 1600)
            #expect(second.first?.counts.unchanged == 0)
            #expect(try store.checkpoint(connector: "crm", stream: "contacts") != saved)
        }
    }

    @Test func orgDailyLimitReachedIsBudgetExhausted() async throws {
        let simulator = SalesforceSimulator(seed: 25, people: 600)
        try await withSimulator(simulator) { base in
            simulator.faults.setDailyLimit(3, used: 2)
            // A share of 1 never stops first: Salesforce's own REQUEST_LIMIT_EXCEEDED does.
            let source = makeSource(configuration(base, batchSize: 200, share: 1))
            var pages = 0
            let error = await #expect(throws: ConnectorError.self) {
                for try await _ in source.pull(SalesforceStream.contacts.descriptor, resumingAfter: nil) { pages += 1 }
            }
            #expect(pages == 1)
            #expect(error?.code == .budgetExhausted)
            #expect(error?.stream == "contacts")
        }
    }

    @Test func checkNamesTheCredentialSettingsWhenTheRefreshTokenIsRefused() async throws {
        let simulator = SalesforceSimulator(seed: 26, people: 100)
        try await withSimulator(simulator) { base in
            let source = makeSource(configuration(base, refreshToken: "5Aep-revoked-token-value"))
            let error = await #expect(throws: ConnectorError.self) { try await source.check() }
            #expect(error?.code == .authentication)
            let text = error.map { "\($0)" } ?? ""
            #expect(text.contains("refreshToken"))
            #expect(text.contains("connectors.crm"))
            #expect(!text.contains("5Aep-revoked-token-value"))
            #expect(!text.contains(SalesforceSimulator.clientSecret))
        }
    }

    @Test func checkPassesAndReadsTheDailyAllowance() async throws {
        let simulator = SalesforceSimulator(seed: 27, people: 100)
        try await withSimulator(simulator) { base in
            simulator.faults.setDailyLimit(5000, used: 100)
            let source = makeSource(configuration(base))
            try await source.check()
            let usage = try #require(source.api.usage)
            #expect(usage.limit == 5000)
            // The limits resource and one probe query per stream.
            #expect(usage.used > 100 && usage.used <= 101 + SalesforceStream.allCases.count)
        }
    }

    @Test func checkNamesAMissingFieldSetting() async throws {
        let simulator = SalesforceSimulator(seed: 28, people: 100)
        try await withSimulator(simulator) { base in
            var settings = configuration(base, streams: [.opportunities])
            settings.lossReasonField = "Reason_Lost__c"
            let error = await #expect(throws: ConnectorError.self) { try await makeSource(settings).check() }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.message.contains("connectors.crm.lossReasonField") == true)
        }
    }

    @Test func logsCarryNoTokensNorFieldValues() async throws {
        let simulator = SalesforceSimulator(seed: 29, people: 300)
        try await withSimulator(simulator) { base in
            let logs = LogRecorder()
            let source = makeSource(configuration(base, batchSize: 200), logger: logs.logger)
            let batches = try await read(source, .contacts, after: 1) { simulator.faults.expireTokensNow() }
            let emails = batches.records.compactMap { $0.json["Email"]?.text }
            #expect(!emails.isEmpty)
            #expect(!logs.lines.isEmpty)
            for line in logs.lines {
                #expect(!line.contains("@"), "\(line)")
                #expect(!line.contains(SalesforceSimulator.refreshToken))
                #expect(!line.contains("!AQ"), "an access token was logged")
                #expect(!line.contains("SELECT"), "a query was logged")
            }
        }
    }
}
