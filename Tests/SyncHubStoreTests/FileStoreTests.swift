import Foundation
import GRDB
import SyncHubCore
import SyncHubStore
import Testing

@Suite struct FileStoreTests {
    @Test func storeFilesAreOwnerOnly() throws {
        let test = try TestStore(.file)
        let path = try #require(test.path)
        _ = try test.store.commit(
            Fixtures.batch([Fixtures.contact("1")]), connector: "crm",
            stream: StreamDescriptor(name: "contacts", objectType: .contact), deletingAllExcept: nil, runID: nil)
        for file in [path, path + "-wal", path + "-shm"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            let mode = try #require(attributes[.posixPermissions] as? NSNumber).intValue
            #expect(mode & 0o777 == 0o600, "\(file)")
        }
        let journalMode = try test.store.writer.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journalMode == "wal")
    }

    @Test func existingStoreIsTightenedAndReopens() throws {
        let test = try TestStore(.file)
        let path = try #require(test.path)
        _ = try test.store.commit(
            Fixtures.batch([Fixtures.contact("1")], checkpoint: "c"), connector: "crm",
            stream: StreamDescriptor(name: "contacts", objectType: .contact), deletingAllExcept: nil, runID: nil)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let reopened = try StoreDatabase(path: path)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o600)
        #expect(try reopened.checkpoint(connector: "crm", stream: "contacts") == Checkpoint(payload: Data("c".utf8)))
        #expect(try reopened.identityRecords().count == 1)
    }
}
