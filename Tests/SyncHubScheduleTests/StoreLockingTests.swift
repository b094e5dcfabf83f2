import Foundation
import GRDB
import Logging
import SyncHubSchedule
import SyncHubStore
import Synchronization
import Testing

@Suite struct StoreLockingTests {
    var logger: Logger {
        var logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        logger.logLevel = .critical
        return logger
    }

    func plant(_ store: StoreDatabase, host: String, command: String = "pull", heartbeatSecondsAgo: Double?) throws {
        try store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO sync_lock (name, pid, host, command, acquired_at, heartbeat_at)
                    VALUES ('sync', 4242, ?, ?, '2026-01-01T00:00:00.000Z', ?)
                    """,
                arguments: [host, command, heartbeatSecondsAgo.map { StoreTime.text(Date().addingTimeInterval(-$0)) }])
        }
    }

    @Test func anotherHostsLockIsStaleOnlyAfterItsLease() throws {
        let store = try StoreDatabase.inMemory()
        try plant(store, host: "other-host.invalid", heartbeatSecondsAgo: 60)
        let error = try #require(throws: StoreLockedError.self) { try store.acquireLock("sync", command: "pull") }
        #expect(error.heartbeatAt != nil)
        #expect(error.description.contains("its lock expires 5 minutes after its last heartbeat"))

        try plant(store, host: "other-host.invalid", heartbeatSecondsAgo: 301)
        try store.acquireLock("sync", command: "schedule")
        let holder = try #require(try store.lockHolder("sync"))
        #expect(holder.pid == getpid())
        #expect(holder.command == "schedule")
        #expect(holder.heartbeatAt != nil)
        #expect(try store.renewLock("sync"))

        // Taken over in turn: renewing tells this process it lost the lock.
        try plant(store, host: "other-host.invalid", heartbeatSecondsAgo: 0)
        #expect(try store.renewLock("sync") == false)
    }

    @Test(.timeLimit(.minutes(10))) func losingTheLockCancelsTheWorkAndSaysSo() async throws {
        let store = try StoreDatabase.inMemory()
        let cancelled = Mutex(false)
        let error = await #expect(throws: StoreLockLostError.self) {
            try await StoreLocking.withLock(store: store, command: "pull", heartbeat: .milliseconds(10), logger: logger) {
                // Another host takes the lock over while this run works.
                try self.plant(store, host: "other-host.invalid", command: "sync", heartbeatSecondsAgo: 0)
                do {
                    try await Task.sleep(for: .seconds(30))
                } catch {
                    cancelled.withLock { $0 = true }
                    throw error
                }
            }
        }
        #expect(cancelled.withLock { $0 }, "the work was cancelled (the engine stops after its batch in flight)")
        #expect(error?.description.contains("lost the store lock to `sync` (pid 4242 on other-host.invalid)") == true)
        #expect(try store.lockHolder("sync")?.host == "other-host.invalid", "the new holder keeps it")
    }

    @Test(.timeLimit(.minutes(10))) func anInterruptedRunStillReturnsWhatItCommitted() async throws {
        let store = try StoreDatabase.inMemory()
        let (started, startedSink) = AsyncStream.makeStream(of: Void.self)
        let run = Task {
            try await StoreLocking.withLock(store: store, command: "pull", heartbeat: .milliseconds(5), logger: logger) {
                // Like the engine: on cancellation it finishes the batch in flight and reports what it did.
                startedSink.yield()
                do { try await Task.sleep(for: .seconds(30)) } catch { return "paused after 1 batch" }
                return "finished"
            }
        }
        var iterator = started.makeAsyncIterator()
        await iterator.next()
        run.cancel()
        #expect(try await run.value == "paused after 1 batch")
        #expect(try store.lockHolder("sync") == nil)
    }

    @Test(.timeLimit(.minutes(10))) func theLockIsReleasedWhateverTheWorkDoes() async throws {
        let store = try StoreDatabase.inMemory()
        let value = try await StoreLocking.withLock(store: store, command: "pull", logger: logger) {
            try #require(try store.lockHolder("sync")?.pid == getpid())
            return 7
        }
        #expect(value == 7)
        #expect(try store.lockHolder("sync") == nil)
        struct Failure: Error {}
        await #expect(throws: Failure.self) {
            try await StoreLocking.withLock(store: store, command: "pull", logger: logger) { throw Failure() }
        }
        #expect(try store.lockHolder("sync") == nil)
    }

    @Test(.timeLimit(.minutes(10))) func waitingEndsWhenTheHolderLetsGoOrAfterTheWait() async throws {
        let store = try StoreDatabase.inMemory()
        try plant(store, host: "other-host.invalid", heartbeatSecondsAgo: 0)
        // Fails at once without a wait, after the wait with one.
        await #expect(throws: StoreLockedError.self) {
            try await StoreLocking.acquire(store: store, command: "pull", wait: .zero, logger: logger)
        }
        let timeout = await #expect(throws: StoreLockTimeout.self) {
            try await StoreLocking.acquire(store: store, command: "pull", wait: .milliseconds(50), pollInterval: .milliseconds(5), logger: logger)
        }
        #expect(timeout?.description.hasPrefix("waited 50ms for the store lock in vain: the store is busy") == true)
        // Stopped while waiting: says so, and nothing ran.
        let stopped = Task {
            try await StoreLocking.acquire(store: store, command: "pull", wait: .seconds(30), pollInterval: .milliseconds(5), logger: logger)
        }
        stopped.cancel()
        await #expect(throws: StoreLockWaitCancelled.self) { try await stopped.value }
        // The holder releases while this one waits.
        let waiter = Task {
            try await StoreLocking.acquire(store: store, command: "pull", wait: .seconds(30), pollInterval: .milliseconds(5), logger: logger)
        }
        try await store.writer.write { try $0.execute(sql: "DELETE FROM sync_lock") }
        try await waiter.value
        #expect(try store.lockHolder("sync")?.pid == getpid())
    }
}
