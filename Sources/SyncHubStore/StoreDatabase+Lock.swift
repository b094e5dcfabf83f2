public import Foundation
import GRDB
import SyncHubCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who holds one of the store's locks.
public struct StoreLockHolder: Sendable, Hashable, Codable {
    public var name: String
    public var pid: Int32
    public var host: String
    public var command: String
    /// When the holder took the lock, ISO-8601 UTC.
    public var since: String
    /// When the holder last renewed the lock, ISO-8601 UTC; `nil` for a holder that never renewed it.
    public var heartbeatAt: String?

    public init(name: String, pid: Int32, host: String, command: String, since: String, heartbeatAt: String? = nil) {
        self.name = name
        self.pid = pid
        self.host = host
        self.command = command
        self.since = since
        self.heartbeatAt = heartbeatAt
    }
}

/// Another run holds the store's lock; `error.pid`, `error.command`... read the ``holder``'s fields.
@dynamicMemberLookup
public struct StoreLockedError: Error, CustomStringConvertible, Sendable {
    public var holder: StoreLockHolder

    public init(_ holder: StoreLockHolder) {
        self.holder = holder
    }

    public subscript<Value>(dynamicMember field: KeyPath<StoreLockHolder, Value>) -> Value { holder[keyPath: field] }

    public var description: String {
        let (name, pid, host, command, since, heartbeatAt) = (holder.name, holder.pid, holder.host, holder.command, holder.since, holder.heartbeatAt)
        var text = "the store is busy: another synchub run (`\(command)`, pid \(pid) on \(host)) has held its \(name) lock since \(since); "
            + "wait for it to finish and run again, or add `--wait-for-lock 10m` to wait for it."
        if host != StoreDatabase.hostName {
            if let heartbeatAt {
                let lease = Int(StoreDatabase.lockLease.components.seconds / 60)
                text += " If that process no longer runs on \(host), its lock expires \(lease) minutes after its last"
                    + " heartbeat (\(heartbeatAt))."
            } else {
                text += " If that process no longer runs on \(host), remove its lock: "
                    + "sqlite3 <store file> \"DELETE FROM sync_lock WHERE name = '\(name)'\"."
            }
        }
        return text
    }
}

extension StoreDatabase {
    /// How long a lock stays valid without a heartbeat. Holders renew it every ``lockHeartbeat``; a lock not renewed
    /// for this long belongs to a process that is gone (or stopped) and is taken over.
    public static let lockLease: Duration = .seconds(300)
    /// How often a holder renews its lock.
    public static let lockHeartbeat: Duration = .seconds(60)

    /// Takes the lock `name` for this process, or throws ``StoreLockedError`` naming its holder.
    ///
    /// Taking it again from the same process succeeds. A lock is stale, and taken over, when its holder ran on this
    /// host and no longer exists, or (on any host) when it was not renewed for `lease`. Checked and written in one
    /// `BEGIN IMMEDIATE` transaction, so two processes racing for it cannot both win. Taking the `sync` lock also
    /// marks the runs an earlier holder never finished as `interrupted` (``markInterruptedRuns()``).
    public func acquireLock(_ name: String, command: String, lease: Duration = StoreDatabase.lockLease) throws {
        let pid = getpid()
        let host = Self.hostName
        try writer.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                if let holder = try Self.holder(db, name), !(holder.pid == pid && holder.host == host),
                    !Self.isStale(holder, lease: lease)
                {
                    throw StoreLockedError(holder)
                }
                let now = storeTimestamp()
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO sync_lock (name, pid, host, command, acquired_at, heartbeat_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [name, pid, host, command, now, now])
                // Runs the previous holder never finished (it was killed) are marked `interrupted`, and the streams
                // they left half-read count as unfinished.
                if name == "sync" { try Self.markInterruptedRuns(db) }
                return .commit
            }
        }
    }

    /// Renews this process's hold on `name`; `false` when it no longer holds it (another process took it over).
    @discardableResult
    public func renewLock(_ name: String) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE sync_lock SET heartbeat_at = ? WHERE name = ? AND pid = ? AND host = ?",
                arguments: [storeTimestamp(), name, getpid(), Self.hostName])
            return db.changesCount > 0
        }
    }

    /// Releases the lock `name` if this process holds it.
    public func releaseLock(_ name: String) throws {
        try writer.write { db in
            try db.execute(
                sql: "DELETE FROM sync_lock WHERE name = ? AND pid = ? AND host = ?",
                arguments: [name, getpid(), Self.hostName])
        }
    }

    /// Who holds `name`, stale or not; `nil` when nobody does.
    public func lockHolder(_ name: String) throws -> StoreLockHolder? {
        try writer.read { db in try Self.holder(db, name) }
    }

    /// Whether `holder`'s lock may be taken over: its process ran on this host and is gone, or it was not renewed
    /// for `lease`. (A holder that never renewed its lock, written by an older synchub, has no lease.)
    public static func isStale(_ holder: StoreLockHolder, lease: Duration = StoreDatabase.lockLease, now: Date = Date()) -> Bool {
        if holder.host == hostName && !processExists(holder.pid) { return true }
        guard let heartbeat = holder.heartbeatAt, let renewed = Timestamps.milliseconds(heartbeat) else { return false }
        let age = Int64((now.timeIntervalSince1970 * 1000).rounded()) - renewed
        let (seconds, attoseconds) = lease.components
        return age > seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    private static func holder(_ db: Database, _ name: String) throws -> StoreLockHolder? {
        try Row.fetchOne(
            db, sql: "SELECT pid, host, command, acquired_at, heartbeat_at FROM sync_lock WHERE name = ?", arguments: [name]
        ).map { StoreLockHolder(name: name, pid: $0[0], host: $0[1], command: $0[2], since: $0[3], heartbeatAt: $0[4]) }
    }

    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether a process exists: `kill(pid, 0)` fails with `ESRCH` only when it does not.
    static func processExists(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno != ESRCH
    }
}
