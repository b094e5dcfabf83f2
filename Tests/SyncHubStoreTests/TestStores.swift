import Foundation
import GRDB
import SyncHubStore
import Testing

/// The two kinds of store key tests run on.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, file
    var testDescription: String { rawValue }
}

/// A store for one test; a file store lives in a temporary folder removed when this is released.
final class TestStore {
    let store: StoreDatabase
    let folder: URL?

    init(_ kind: StoreKind) throws {
        switch kind {
        case .memory:
            folder = nil
            store = try .inMemory()
        case .file:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synchub-store-\(UUID().uuidString)")
            self.folder = folder
            store = try StoreDatabase(path: folder.appendingPathComponent("data/store.sqlite").path)
        }
    }

    deinit {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    var path: String? { folder?.appendingPathComponent("data/store.sqlite").path }

    func int(_ sql: String, _ arguments: StatementArguments = []) throws -> Int? {
        try store.writer.read { try Int.fetchOne($0, sql: sql, arguments: arguments) }
    }

    func string(_ sql: String, _ arguments: StatementArguments = []) throws -> String? {
        try store.writer.read { try String.fetchOne($0, sql: sql, arguments: arguments) }
    }

    /// SQLite's count of rows changed by the writer connection since it opened.
    func totalChanges() -> Int {
        store.writer.writeWithoutTransaction { $0.totalChangesCount }
    }
}
