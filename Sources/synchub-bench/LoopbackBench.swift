// HTTP client overhead on loopback: GETs of a 70 KB HubSpot-like list page, and parsing it.
//
//   synchub-bench --http-loopback N        N requests (default 1,000)
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SyncHubHTTP
import SyncHubSandbox

func loopbackBench(requests count: Int) async throws {
    var records: [String] = []
    repeat {
        let index = records.count
        records.append(
            #"{"id":"\#(1000 + index)","properties":{"email":"person\#(index)@example.com","firstname":"Person","lastname":"Number \#(index)","company":"Example Corp","lastmodifieddate":"2024-05-01T12:00:00.000Z","lifecyclestage":"lead","hs_object_id":"\#(1000 + index)"},"createdAt":"2024-01-01T00:00:00.000Z","updatedAt":"2024-05-01T12:00:00.000Z","archived":false}"#)
    } while records.joined(separator: ",").utf8.count < 70_000
    let page = #"{"results":["# + records.joined(separator: ",") + #"],"paging":{"next":{"after":"100"}}}"#
    let router = Router()
    router.get("/page") { _, _ -> Response in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }
    print("synchub-bench: \(count) loopback GETs of a \(page.utf8.count)-byte list page (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
    print(String(repeating: "-", count: 80))
    try await withLoopbackServer(router) { base in
        let client = APIClient(connector: "bench", auth: BearerToken("bench"), budget: RequestBudget(burst: nil), logger: Logger(label: "bench"))
        let url = base.appending(path: "page")
        _ = try await client.send(.get(url))
        var bytes = 0
        let (_, getSeconds) = try await timed {
            for _ in 0..<count { bytes += try await client.send(.get(url)).body.count }
        }
        guard bytes == count * page.utf8.count else { throw BenchError("loopback: \(bytes) bytes received, expected \(count * page.utf8.count)") }
        rowWithCPU("GET over loopback", count, "requests", getSeconds)
        let response = try await client.send(.get(url))
        let (_, parseSeconds) = try await timed { for _ in 0..<100 { _ = try response.json() } }
        rowWithCPU("parse the page (JSON)", 100 * records.count, "records", parseSeconds)
    }
}
