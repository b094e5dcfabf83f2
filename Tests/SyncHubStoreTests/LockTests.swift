import Foundation
import GRDB
import SyncHubStore
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct LockTests {
    func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count - 1)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func plantHolder(_ store: StoreDatabase, pid: Int32, host: String) throws {
        try store.writer.write { db in
            try db.execute(
                sql: "INSERT INTO sync_lock (name, pid, host, command, acquired_at) VALUES ('pull', ?, ?, 'synchub pull', '2025-01-01T00:00:00Z')",
                arguments: [pid, host])
        }
    }

    func holderPID(_ store: StoreDatabase) throws -> Int32? {
        try store.writer.read { try Int32.fetchOne($0, sql: "SELECT pid FROM sync_lock WHERE name = 'pull'") }
    }

    @Test(arguments: StoreKind.allCases)
    func liveHolderKeepsTheLock(kind: StoreKind) throws {
        let test = try TestStore(kind)
        try plantHolder(test.store, pid: getppid(), host: hostName())
        let error = try #require(throws: StoreLockedError.self) {
            try test.store.acquireLock("pull", command: "synchub pull")
        }
        #expect(error.pid == getppid())
        #expect(error.host == hostName())
        #expect(error.command == "synchub pull")
        #expect(error.since == "2025-01-01T00:00:00Z")
        #expect(error.description.contains("wait for it to finish"))
        #expect(try holderPID(test.store) == getppid())
        // Releasing does not free someone else's lock.
        try test.store.releaseLock("pull")
        #expect(try holderPID(test.store) == getppid())
    }

    @Test(arguments: StoreKind.allCases)
    func deadHolderIsTakenOver(kind: StoreKind) throws {
        let test = try TestStore(kind)
        #expect(kill(999_999, 0) == -1 && errno == ESRCH)
        try plantHolder(test.store, pid: 999_999, host: hostName())
        try test.store.acquireLock("pull", command: "synchub pull --full-refresh")
        #expect(try holderPID(test.store) == getpid())
        // Taking it again from the same process is fine; releasing frees it.
        try test.store.acquireLock("pull", command: "synchub pull")
        try test.store.releaseLock("pull")
        #expect(try holderPID(test.store) == nil)
    }

    @Test func holderOnAnotherHostIsNeverTakenOver() throws {
        let test = try TestStore(.memory)
        try plantHolder(test.store, pid: 999_999, host: "another-host.invalid")
        let error = try #require(throws: StoreLockedError.self) {
            try test.store.acquireLock("pull", command: "synchub pull")
        }
        #expect(error.description.contains("DELETE FROM sync_lock"))
    }

    @Test func twoStoresOnOneFileShareTheLock() throws {
        let test = try TestStore(.file)
        let other = try StoreDatabase(path: try #require(test.path))
        try plantHolder(other, pid: getppid(), host: hostName())
        #expect(throws: StoreLockedError.self) { try test.store.acquireLock("pull", command: "synchub pull") }
        try test.store.acquireLock("push", command: "synchub push")
        #expect(try other.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sync_lock") } == 2)
    }
}
