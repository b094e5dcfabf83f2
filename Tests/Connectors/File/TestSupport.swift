import FileConnector
import Foundation
import Logging
import SyncHubCore
import Testing

/// Builds a `SettingNode` tree from literals: strings (or numbers) are scalars, arrays lists, and
/// `KeyValuePairs` or dictionaries maps (dictionaries in sorted key order).
func settingNode(_ value: Any) -> SettingNode {
    switch value {
    case let text as String: return SettingNode(.scalar(text))
    case is NSNull: return SettingNode(.null)
    case let number as Int: return SettingNode(.scalar(String(number)))
    case let items as [Any]: return SettingNode(.list(items.map(settingNode)))
    case let pairs as KeyValuePairs<String, Any>:
        return SettingNode(.map(pairs.map { (key: $0.key, keyLocation: nil, value: settingNode($0.value)) }))
    case let map as [String: Any]:
        return SettingNode(.map(map.keys.sorted().map { (key: $0, keyLocation: nil, value: settingNode(map[$0]!)) }))
    default:
        Issue.record("unsupported setting literal \(type(of: value))")
        return SettingNode(.null)
    }
}

/// Builds a file connector instance through its public API, as `connectors.yml` would.
func makeConnector(_ settings: KeyValuePairs<String, Any>, name: String = "marketing", base: URL) throws -> ConnectorInstance {
    let context = ConnectorContext(
        name: name, settings: Settings(node: settingNode(settings), path: "connectors.\(name)"),
        baseDirectory: base.path, logger: Logger(label: "test"))
    return try FileConnector.make(context)
}

/// The folder holding the test fixtures.
func fixturesFolder() throws -> URL {
    let url = try #require(Bundle.module.url(forResource: "hubspot_contacts", withExtension: "csv", subdirectory: "Fixtures"))
    return url.deletingLastPathComponent()
}

/// A fresh temporary folder, removed by the caller with `cleanUp`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("synchub-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ text: String, to name: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }

    /// Appends to the file in place (same inode), as a logger would.
    func append(_ text: String, to name: String) throws {
        let handle = try FileHandle(forWritingTo: url.appendingPathComponent(name))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// Rewrites the file in place (same inode), truncating it first.
    func overwrite(_ text: String, to name: String) throws {
        let handle = try FileHandle(forWritingTo: url.appendingPathComponent(name))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// Pulls one stream to its end.
func pullAll(_ source: any SourceConnector, stream name: String, after checkpoint: Checkpoint? = nil) async throws -> [RecordBatch] {
    let stream = try #require(try await source.streams().first { $0.name == name })
    var batches: [RecordBatch] = []
    for try await batch in source.pull(stream, resumingAfter: checkpoint) { batches.append(batch) }
    return batches
}

extension Array where Element == RecordBatch {
    var records: [SourceRecord] { flatMap(\.records) }
    var rejected: [RejectedRecord] { flatMap(\.rejected) }
    var ids: [String] { records.map(\.externalID) }
    var lastCheckpoint: Checkpoint? { last?.checkpoint }
}

extension SourceRecord {
    var contact: Contact? { if case .contact(let value) = normalized { value } else { nil } }
    var account: Account? { if case .account(let value) = normalized { value } else { nil } }
    var deal: Deal? { if case .deal(let value) = normalized { value } else { nil } }
    var touch: Touch? { if case .touch(let value) = normalized { value } else { nil } }
    var dealContact: DealContactLink? { if case .dealContact(let value) = normalized { value } else { nil } }
    var payloadText: String { String(decoding: payload, as: UTF8.self) }
}

/// A source built from one stream's settings against `base`.
func source(_ stream: String, _ settings: KeyValuePairs<String, Any>, name: String = "marketing", base: URL) throws -> any SourceConnector {
    let instance = try makeConnector(["streams": [stream: settings] as KeyValuePairs<String, Any>], name: name, base: base)
    return try #require(instance.source)
}
