import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncHubCore
import Testing

@testable import SyncHubSandbox

/// Pages served per second over loopback. Runs only with `SYNCHUB_HUBSPOT_BENCH=1` (it measures, it does not
/// check behaviour), and prints its numbers.
@Suite struct HubSpotThroughputTests {
    static let enabled = ProcessInfo.processInfo.environment["SYNCHUB_HUBSPOT_BENCH"] == "1"

    @Test(.enabled(if: enabled)) func listPagesPerSecond() async throws {
        let simulator = HubSpotSimulator(seed: 1, contacts: 20_000)
        simulator.faults.burstLimit = 1_000_000_000
        simulator.faults.dailyLimit = 1_000_000_000
        let properties = [
            "email", "firstname", "lastname", "company", "jobtitle", "phone", "website", "address", "city", "state",
            "zip", "country", "lifecyclestage", "hs_lead_status", "hubspot_owner_id", "associatedcompanyid",
        ].joined(separator: ",")
        try await withHubSpot(simulator, .live) { client in
            var bytes = 0
            var pages = 0
            var started = ContinuousClock.now
            var after: String?
            for index in 0..<2_200 {
                if index == 200 {
                    print("hubspot list over HTTP, first pass: \(Int(200 / Self.seconds(ContinuousClock.now - started))) pages/s")
                    (started, bytes, pages) = (ContinuousClock.now, 0, 0)
                }
                let uri = "/crm/v3/objects/contacts?limit=100&properties=\(properties)" + (after.map { "&after=\($0)" } ?? "")
                let response = try await client.executeRequest(
                    uri: uri, method: .get, headers: [.authorization: "Bearer sandbox-token"], body: nil)
                bytes += response.body.readableBytes
                pages += 1
                after = Self.nextAfter(response.body.readableBytesView)
            }
            let seconds = Self.seconds(ContinuousClock.now - started)
            print("hubspot list over HTTP, warm: \(pages) pages, \(bytes / pages) bytes/page, \(Int(Double(pages) / seconds)) pages/s")
            #expect(pages == 2_000)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The `paging.next.after` of a list page, found without parsing the page (the client's cost is not measured).
    static func nextAfter(_ bytes: some Collection<UInt8>) -> String? {
        let body = Array(bytes)
        let marker = Array(#""paging":{"next":{"after":""#.utf8)
        guard body.count > marker.count, let start = (0...(body.count - marker.count)).reversed().first(where: {
            body[$0..<($0 + marker.count)].elementsEqual(marker)
        }) else { return nil }
        let value = body[(start + marker.count)...].prefix { $0 != UInt8(ascii: "\"") }
        return String(decoding: value, as: UTF8.self)
    }

    @Test(.enabled(if: enabled)) func listPagesBuiltPerSecondWithoutHTTP() async throws {
        let simulator = HubSpotSimulator(seed: 1, contacts: 20_000)
        let router = Router()
        simulator.addRoutes(to: router)
        var started = ContinuousClock.now
        var bytes = 0
        for index in 0..<2_200 {
            if index == 200 {
                // The first pass encodes every record; later passes reuse the bytes.
                let cold = ContinuousClock.now - started
                print("hubspot list without HTTP, first pass: \(Int(200 / Self.seconds(cold))) pages/s")
                started = ContinuousClock.now
                bytes = 0
            }
            let after = 1_000_001 + (index % 200) * 100
            let request = Request(
                head: .init(method: .get, scheme: "http", authority: "localhost",
                    path: "/crm/v3/objects/contacts?limit=100&after=\(after)&properties=email,firstname,lastname,company,jobtitle,phone,website,address,city,state,zip,country,lifecyclestage,hs_lead_status,hubspot_owner_id,associatedcompanyid"),
                body: .init(buffer: ByteBuffer()))
            bytes += simulator.list(.contacts, request).body.count
        }
        let seconds = Self.seconds(ContinuousClock.now - started)
        print("hubspot list without HTTP, warm: \(Int(2_000 / seconds)) pages/s, \(bytes / 2_000) bytes/page")
    }
}
