import FileConnector
import Foundation
import Synchronization
import SyncHubCore
import SyncHubTesting
import Testing

/// A JSONL contacts export as the connector test kit sees it: the "system" is the file.
///
/// - changes are appended at the end (one line per changed contact, a later `updated_at`), as an export that grows
///   does: the connector reads them from its saved byte offset;
/// - deletes rewrite the file without the deleted contacts (one line per live contact), as a fresh snapshot export
///   does: the connector reads the rewritten file as a snapshot pass and marks the missing contacts deleted;
/// - a merge appends a line for the absorbed contact with `merged_into` naming the survivor;
/// - a file has no rate limits, server errors or connection resets, so `failNext` injects nothing; the kit's
///   failure scenario still checks that a pull resumed after its first committed page loses and duplicates nothing.
final class FileKitSystem: SimulatedSystem {
    struct State {
        /// Live contacts in file order: id → their latest line's fields.
        var order: [String] = []
        var rows: [String: [String: String]] = [:]
        var gone: Set<String> = []
        var clock: Int64 = 1_735_689_600  // 2025-01-01T00:00:00Z, in seconds
        var lines: [String] = []
    }

    let url: URL
    private let state = Mutex(State())

    init(folder: URL, contacts: Int) throws {
        url = folder.appendingPathComponent("contacts.jsonl")
        try state.withLock { state in
            for index in 1...contacts {
                let id = "c-\(index)"
                state.order.append(id)
                // Many contacts share an `updated_at` second, as a bulk export stamps them.
                let row = [
                    "id": id, "email": "person\(index)@example.com", "first_name": "First\(index)",
                    "last_name": "Last\(index)", "title": "Analyst", "updated_at": Self.iso(state.clock + Int64(index / 7)),
                ]
                state.rows[id] = row
                state.lines.append(Self.line(row))
            }
            try Self.write(state.lines, to: url, append: false)
        }
    }

    static func iso(_ seconds: Int64) -> String {
        Timestamps.format(millisecondsSinceEpoch: seconds * 1000, withMilliseconds: false)
    }

    static func line(_ row: [String: String]) -> String {
        "{" + row.keys.sorted().map { "\"\($0)\":\"\(row[$0]!)\"" }.joined(separator: ",") + "}"
    }

    static func write(_ lines: [String], to url: URL, append: Bool) throws {
        let text = lines.map { $0 + "\n" }.joined()
        if append {
            let handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        } else {
            // In place (same inode), as an export rewritten by its tool.
            if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
            let handle = try FileHandle(forWritingTo: url)
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        }
    }

    func liveIDs(of stream: String) async throws -> Set<String> {
        state.withLock { Set($0.order) }
    }

    func change(_ count: Int, of stream: String) async throws -> Set<String> {
        try state.withLock { state in
            state.clock += 3_600
            let ids = Array(state.order.prefix(count))
            var appended: [String] = []
            for id in ids {
                state.rows[id]?["title"] = "Director"
                state.rows[id]?["updated_at"] = Self.iso(state.clock)  // all at one second: ties
                appended.append(Self.line(state.rows[id]!))
            }
            try Self.write(appended, to: url, append: true)
            return Set(ids)
        }
    }

    func delete(_ count: Int, of stream: String) async throws -> Set<String> {
        try state.withLock { state in
            state.clock += 3_600
            let ids = Array(state.order.suffix(count))
            state.order.removeAll { ids.contains($0) }
            for id in ids { state.rows[id] = nil }
            state.gone.formUnion(ids)
            try Self.write(state.order.map { Self.line(state.rows[$0]!) }, to: url, append: false)
            return Set(ids)
        }
    }

    func merge(in stream: String) async throws -> String? {
        try state.withLock { state in
            guard state.order.count >= 2 else { return nil }
            state.clock += 3_600
            let survivor = state.order[0]
            let absorbed = state.order[1]
            var row = state.rows[absorbed]!
            row["merged_into"] = survivor
            row["updated_at"] = Self.iso(state.clock)
            state.order.remove(at: 1)
            state.rows[absorbed] = nil
            state.gone.insert(absorbed)
            try Self.write([Self.line(row)], to: url, append: true)
            return absorbed
        }
    }

    func failNext(_ count: Int, with failure: SimulatedFailure) async throws {}
}

@Suite struct FileTestKitTests {
    @Test(.timeLimit(.minutes(10))) func passesTheConnectorTestKit() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let system = try FileKitSystem(folder: folder.url, contacts: 300)
        let instance = try makeConnector(
            ["streams": ["contacts": ["path": "contacts.jsonl", "batchSize": 40] as KeyValuePairs<String, Any>] as KeyValuePairs<String, Any>],
            base: folder.url)
        let source = try #require(instance.source)
        let failures = try await ConnectorTestKit(
            connector: "marketing", source: source, system: system, streams: ["contacts"]
        ).run()
        #expect(failures.isEmpty, "\(failures)")
    }
}
