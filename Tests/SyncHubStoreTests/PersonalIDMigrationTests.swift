import Foundation
import GRDB
@testable import SyncHubStore
import Testing

/// A store written before contacts had a personal id opens with the column added, its rows kept, and its identity
/// index marked stale (its match profiles lack the new field), so the next resolution rebuilds it.
@Suite struct PersonalIDMigrationTests {
    @Test func aStoreFromBeforePersonalIDsIsMigrated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synchub-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path
        do {
            let old = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(old, upTo: "v5-identity-profile")
            try old.write { db in
                try db.execute(sql: "INSERT INTO contact (connector, external_id, kind, first_name) VALUES ('crm', '1', 'contact', 'Ada')")
                try db.execute(sql: "INSERT INTO identity_state (key, value, updated_at) VALUES ('index', 'v1-old', '2026-01-01T00:00:00Z')")
            }
        }
        let store = try StoreDatabase(path: path)
        let (contactColumns, goldenColumns, name, indexRows) = try store.writer.read { db throws -> ([String], [String], String?, Int?) in
            (
                try db.columns(in: "contact").map(\.name), try db.columns(in: "golden_person").map(\.name),
                try String.fetchOne(db, sql: "SELECT first_name FROM contact WHERE external_id = '1'"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM identity_state WHERE key = 'index'")
            )
        }
        #expect(contactColumns.contains("personal_id"))
        #expect(goldenColumns.contains("personal_id"))
        #expect(name == "Ada")
        #expect(indexRows == 0)
    }
}
