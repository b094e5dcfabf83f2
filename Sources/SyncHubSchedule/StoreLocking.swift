public import Logging
import SyncHubCore
public import SyncHubStore

/// Runs work holding the store's sync lock: waits for it if asked, renews it while the work runs (so another
/// host can tell a live holder from a dead one), and releases it at the end, whatever happens.
public enum StoreLocking {
    /// The lock every synchub run that writes takes.
    public static let lockName = "sync"

    /// Runs `body` holding the lock `name`.
    ///
    /// - Parameters:
    ///   - wait: how long to wait for another process's lock; zero fails at once with ``StoreLockedError``.
    ///     After waiting in vain, throws ``StoreLockTimeout``; cancelled while waiting, ``StoreLockWaitCancelled``.
    ///   - heartbeat: how often the lock is renewed while `body` runs. If it turns out another process took the
    ///     lock over (this one stopped renewing it for a lease, such as a machine suspended for minutes), `body` is
    ///     cancelled (the engine stops after its batch in flight) and ``StoreLockLostError`` is thrown.
    public static func withLock<T: Sendable>(
        store: StoreDatabase, name: String = lockName, command: String, wait: Duration = .zero,
        pollInterval: Duration = .milliseconds(250), heartbeat: Duration = StoreDatabase.lockHeartbeat, logger: Logger,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await acquire(store: store, name: name, command: command, wait: wait, pollInterval: pollInterval, logger: logger)
        do {
            let result = try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
                group.addTask { .value(try await body()) }
                group.addTask {
                    // Renews until cancelled (when the body is done, or the run is interrupted: then the body
                    // still finishes its batch and returns its result).
                    while !Task.isCancelled {
                        do { try await Task.sleep(for: heartbeat) } catch { break }
                        if try !store.renewLock(name) {
                            throw StoreLockLostError(holder: try? store.lockHolder(name))
                        }
                    }
                    return .heartbeatStopped
                }
                defer { group.cancelAll() }
                while let next = try await group.next() {
                    if case .value(let value) = next { return value }
                }
                throw CancellationError()
            }
            try? store.releaseLock(name)
            return result
        } catch {
            try? store.releaseLock(name)
            throw error
        }
    }

    private enum Outcome<T: Sendable>: Sendable {
        case value(T)
        case heartbeatStopped
    }

    /// Takes the lock, polling every `pollInterval` for up to `wait`.
    public static func acquire(
        store: StoreDatabase, name: String = lockName, command: String, wait: Duration, pollInterval: Duration = .milliseconds(250),
        logger: Logger
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: wait)
        var announced = false
        while true {
            do {
                try store.acquireLock(name, command: command)
                if announced { logger.notice("took the store lock", metadata: ["lock.name": "\(name)"]) }
                return
            } catch let locked as StoreLockedError {
                let now = clock.now
                guard wait > .zero else { throw locked }
                guard now < deadline else { throw StoreLockTimeout(locked: locked, waited: wait) }
                if !announced {
                    announced = true
                    logger.notice(
                        "the store is busy; waiting for its lock",
                        metadata: [
                            "lock.holder.pid": "\(locked.pid)", "lock.holder.host": "\(locked.host)",
                            "lock.holder.command": "\(locked.command)", "lock.holder.since": "\(locked.since)",
                            "lock.wait": "\(DurationText.format(wait))",
                        ])
                }
                do {
                    try await Task.sleep(for: min(pollInterval, now.duration(to: deadline)))
                } catch {
                    throw StoreLockWaitCancelled(locked: locked)
                }
            }
        }
    }
}

/// The lock stayed busy for the whole `--wait-for-lock`.
public struct StoreLockTimeout: Error, Sendable, CustomStringConvertible {
    public var locked: StoreLockedError
    public var waited: Duration

    public var description: String {
        "waited \(DurationText.format(waited)) for the store lock in vain: " + locked.description
    }
}

/// Stopped (SIGTERM, SIGINT) while waiting for the lock: nothing ran.
public struct StoreLockWaitCancelled: Error, Sendable, CustomStringConvertible {
    public var locked: StoreLockedError

    public var description: String {
        "stopped while waiting for the store lock held by `\(locked.command)` (pid \(locked.pid) on \(locked.host)); nothing ran."
    }
}

/// Another process took the lock over while this one held it.
public struct StoreLockLostError: Error, Sendable, CustomStringConvertible {
    public var holder: StoreLockHolder?

    public var description: String {
        let who = holder.map { " to `\($0.command)` (pid \($0.pid) on \($0.host))" } ?? ""
        return "lost the store lock\(who): this run could not renew it for a whole lease (was the machine suspended?). "
            + "It stopped after the batch in flight; run it again when the other run has finished."
    }
}
