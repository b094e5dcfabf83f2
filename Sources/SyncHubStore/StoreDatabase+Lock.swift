import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Another live process holds the store's lock.
public struct StoreLockedError: Error, CustomStringConvertible, Sendable {
    public var name: String
    public var pid: Int32
    public var host: String
    public var command: String
    /// When the holder took the lock, ISO-8601 UTC.
    public var since: String

    public init(name: String, pid: Int32, host: String, command: String, since: String) {
        self.name = name
        self.pid = pid
        self.host = host
        self.command = command
        self.since = since
    }

    public var description: String {
        var text = "the store is busy: another synchub run (`\(command)`, pid \(pid) on \(host)) has held its \(name) lock since \(since); "
            + "wait for it to finish, then run again."
        if host != StoreDatabase.hostName {
            text += " If that process no longer runs on \(host), remove its lock: "
                + "sqlite3 <store file> \"DELETE FROM sync_lock WHERE name = '\(name)'\"."
        }
        return text
    }
}

extension StoreDatabase {
    /// Takes the lock `name` for this process, or throws ``StoreLockedError`` naming its holder.
    ///
    /// Taking it again from the same process succeeds. A lock held by a process of this host that no longer
    /// exists is stale and taken over. Checked and written in one `BEGIN IMMEDIATE` transaction, so two
    /// processes racing for it cannot both win.
    public func acquireLock(_ name: String, command: String) throws {
        let pid = getpid()
        let host = Self.hostName
        try writer.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                if let holder = try Row.fetchOne(
                    db, sql: "SELECT pid, host, command, acquired_at FROM sync_lock WHERE name = ?", arguments: [name])
                {
                    let holderPID: Int32 = holder[0]
                    let holderHost: String = holder[1]
                    let isOurs = holderPID == pid && holderHost == host
                    let isStale = holderHost == host && !Self.processExists(holderPID)
                    if !isOurs && !isStale {
                        throw StoreLockedError(
                            name: name, pid: holderPID, host: holderHost, command: holder[2], since: holder[3])
                    }
                }
                try db.execute(
                    sql: "INSERT OR REPLACE INTO sync_lock (name, pid, host, command, acquired_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [name, pid, host, command, storeTimestamp()])
                return .commit
            }
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

    static var hostName: String {
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
