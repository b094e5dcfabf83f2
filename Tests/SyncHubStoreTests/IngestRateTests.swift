import Foundation
import SyncHubCore
import SyncHubStore
import Testing

/// Measures the store's ingest rate; run with `SYNCHUB_STORE_BENCH=1 swift test --filter IngestRate`.
@Suite struct IngestRateTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SYNCHUB_STORE_BENCH"] == "1"))
    func commitsSyntheticContacts() throws {
        let total = Int(ProcessInfo.processInfo.environment["SYNCHUB_STORE_BENCH_COUNT"] ?? "") ?? 100_000
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synchub-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try StoreDatabase(path: folder.appendingPathComponent("store.sqlite").path)
        let stream = StreamDescriptor(name: "contacts", objectType: .contact)
        let batches = stride(from: 0, to: total, by: 5_000).map { start in
            Fixtures.contactBatch(range: start..<min(start + 5_000, total), checkpoint: "\(start)")
        }
        let clock = ContinuousClock()
        var counts = CommitCounts()
        let first = clock.measure {
            for batch in batches {
                counts += try! store.commit(batch, connector: "marketing", stream: stream, deletingAllExcept: nil, runID: nil)
            }
        }
        #expect(counts.inserted == total)
        var again = CommitCounts()
        let second = clock.measure {
            for batch in batches {
                again += try! store.commit(batch, connector: "marketing", stream: stream, deletingAllExcept: nil, runID: nil)
            }
        }
        #expect(again.unchanged == total)
        let seconds = { (d: Duration) in Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        print("ingest: \(total) new contacts in \(seconds(first)) s = \(Int(Double(total) / seconds(first))) records/s; unchanged re-commit \(Int(Double(total) / seconds(second))) records/s")
    }
}
