import Foundation
public import GRDB
public import SyncHubCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// synchub's SQLite store: raw and normalized records, checkpoints, the run log, identity, and push state.
///
/// Every public write is one transaction. Use one `StoreDatabase` per file and process; a second process must
/// take the store's lock (``acquireLock(_:command:)``) before writing.
public final class StoreDatabase: SyncStore, Sendable {
    /// The connection(s) to the store; tests and tools may read through it.
    public let writer: any DatabaseWriter

    /// Opens or creates the store file at `path`, creating its folder.
    ///
    /// The file and its `-wal`/`-shm` companions are readable by their owner only (0600): the store holds
    /// personal data. The store runs in WAL mode with `synchronous=NORMAL` and waits up to 5 s for a busy file.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        let fileManager = FileManager.default
        try fileManager.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        // Create the file owner-only before SQLite opens it: SQLite gives -wal and -shm the database's mode.
        let descriptor = open(url.path, O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(message: "cannot open the store file \(url.path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        Self.restrictPermissions(of: url.path)

        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY")
        }
        let pool = try DatabasePool(path: url.path, configuration: configuration)
        Self.restrictPermissions(of: url.path)
        try Self.migrate(pool)
        self.writer = pool
    }

    private init(writer: any DatabaseWriter) throws {
        try StoreSchema.migrator.migrate(writer)
        self.writer = writer
    }

    /// Runs the migrations. Two processes opening a new store at once both see it unmigrated; the one that loses the
    /// race fails on a table the other created, and succeeds on retry, when it sees the migration already applied.
    private static func migrate(_ writer: any DatabaseWriter) throws {
        var attempt = 0
        while true {
            do {
                try StoreSchema.migrator.migrate(writer)
                return
            } catch let error as DatabaseError where attempt < 50 {
                attempt += 1
                guard error.resultCode == .SQLITE_ERROR || error.resultCode == .SQLITE_BUSY else { throw error }
                usleep(100_000)
            }
        }
    }

    /// A store in memory, for tests.
    public static func inMemory() throws -> StoreDatabase {
        try StoreDatabase(writer: DatabaseQueue())
    }

    /// Makes the store file and its companions owner-only, whoever created them.
    private static func restrictPermissions(of path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            _ = chmod(path + suffix, 0o600)
        }
    }
}

/// A failure of the store that is not SQLite's own.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// ISO-8601 UTC time of now, the form of every timestamp the store writes.
func storeTimestamp() -> String {
    Timestamps.format(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded()), withMilliseconds: true)
}
