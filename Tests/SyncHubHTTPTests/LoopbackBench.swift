import Foundation
import Hummingbird
import Logging
import Testing
@testable import SyncHubHTTP

/// Client overhead on loopback: `SYNCHUB_HTTP_BENCH=1 swift test --filter LoopbackBench` (add `-c release` for
/// release numbers). Off by default: it measures, it does not check behaviour.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SYNCHUB_HTTP_BENCH"] != nil), .timeLimit(.minutes(5)))
struct LoopbackBench {
    @Test func thousandPagesOfSeventyKilobytes() async throws {
        var records: [String] = []
        var index = 0
        repeat {
            records.append(
                #"{"id":"\#(1000 + index)","properties":{"email":"person\#(index)@example.com","firstname":"Person","lastname":"Number \#(index)","company":"Example Corp","lastmodifieddate":"2024-05-01T12:00:00.000Z","lifecyclestage":"lead","hs_object_id":"\#(1000 + index)"},"createdAt":"2024-01-01T00:00:00.000Z","updatedAt":"2024-05-01T12:00:00.000Z","archived":false}"#)
            index += 1
        } while records.joined(separator: ",").utf8.count < 70_000
        let page = #"{"results":["# + records.joined(separator: ",") + #"],"paging":{"next":{"after":"100"}}}"#
        let router = Router()
        router.get("/page") { _, _ -> Response in reply(200, page) }
        try await withTestServer(router) { base in
            let client = APIClient(
                connector: "bench", auth: BearerToken("t"), budget: RequestBudget(burst: nil), logger: Logger(label: "bench"))
            let url = base.appending(path: "page")
            _ = try await client.send(.get(url))
            let count = 1000
            let started = ContinuousClock.now
            var bytes = 0
            for _ in 0..<count { bytes += try await client.send(.get(url)).body.count }
            let elapsed = ContinuousClock.now - started
            let parseStarted = ContinuousClock.now
            let response = try await client.send(.get(url))
            for _ in 0..<100 { _ = try response.json() }
            let parse = (ContinuousClock.now - parseStarted) / 100
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("loopback: \(count) GETs of \(page.utf8.count) bytes in \(elapsed): \(Int(Double(count) / seconds)) requests/s, \(bytes / count) bytes each; JSON parse \(parse) per page")
            #expect(bytes == count * page.utf8.count)
        }
    }
}
