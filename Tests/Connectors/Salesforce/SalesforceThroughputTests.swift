import Foundation
@testable import SalesforceConnector
import SyncHubCore
import SyncHubHTTP
import SyncHubSandbox
import Testing

@Suite(.timeLimit(.minutes(10)))
struct SalesforceThroughputTests {
    /// A full pull of every stream costs one request per 2,000 records of each stream (batches of 2,000), no more.
    @Test func fullPullUsesOneRequestPerBatch() async throws {
        let simulator = SalesforceSimulator(seed: 41, people: 6000)
        try await withSimulator(simulator) { base in
            let source = makeSource(configuration(base))
            var records = 0
            var expectedRequests = 0
            let started = ContinuousClock.now
            for stream in SalesforceStream.allCases {
                let count = try await readAll(source, stream).records.count
                records += count
                expectedRequests += max(1, (count + 1999) / 2000)
            }
            let elapsed = ContinuousClock.now - started
            #expect(records == SalesforceStream.allCases.reduce(0) { $0 + simulator.ids($1.sObject, includeDeleted: true).count })
            #expect(source.api.requestCount == expectedRequests)
            #expect(source.api.auth.tokenRequests == 1)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("salesforce full pull: \(records) records, \(source.api.requestCount) requests "
                + "(\(String(format: "%.2f", Double(source.api.requestCount) * 1000 / Double(records))) per 1,000), "
                + "\(Int(Double(records) / seconds)) records/s")
        }
    }
}
