import GRDB
import GRDBSQLite

/// Binds and steps a cached GRDB statement through the SQLite C API, for the store's hot loops.
///
/// GRDB's `StatementArguments` box every value; the bulk paths (a batch of 5,000 records, a million identity rows)
/// bind strings and numbers straight from Swift values instead. Only ever used inside a GRDB access block, on
/// statements that GRDB prepared and will finalize. Errors never carry bound values.
struct SQLiteStep {
    let statement: Statement
    let handle: OpaquePointer
    let connection: OpaquePointer?
    private var index: Int32 = 0

    /// Resets `statement` for a new execution; bind every parameter, in order, before ``step()``.
    init(_ statement: Statement, in db: Database) {
        self.statement = statement
        self.handle = statement.sqliteStatement
        self.connection = db.sqliteConnection
        sqlite3_reset(handle)
    }

    mutating func restart() {
        sqlite3_reset(handle)
        index = 0
    }

    mutating func bind(_ value: String?) {
        index += 1
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        let handle = self.handle, index = self.index
        value.withUTF8 { buffer in
            if let base = buffer.baseAddress, buffer.count > 0 {
                _ = base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    sqlite3_bind_text(handle, index, $0, Int32(buffer.count), sqliteTransient)
                }
            } else {
                sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
            }
        }
    }

    /// Binds UTF-8 bytes as TEXT.
    mutating func bindText(_ bytes: [UInt8]) {
        index += 1
        let handle = self.handle, index = self.index
        bytes.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress, buffer.count > 0 {
                _ = base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    sqlite3_bind_text(handle, index, $0, Int32(buffer.count), sqliteTransient)
                }
            } else {
                sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
            }
        }
    }

    mutating func bindBlob(_ bytes: [UInt8]) {
        index += 1
        let handle = self.handle, index = self.index
        _ = bytes.withUnsafeBufferPointer { buffer in
            // A zero-length blob still needs a non-null pointer, or SQLite stores NULL.
            if let base = buffer.baseAddress, buffer.count > 0 {
                sqlite3_bind_blob(handle, index, base, Int32(buffer.count), sqliteTransient)
            } else {
                sqlite3_bind_zeroblob(handle, index, 0)
            }
        }
    }

    mutating func bind(_ value: Int64?) {
        index += 1
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    mutating func bind(_ value: Int?) { bind(value.map(Int64.init)) }

    mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    mutating func bind(_ value: Double?) {
        index += 1
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Steps once: `true` when a row is available, `false` when the statement is done.
    @discardableResult
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let message = connection.map { String(cString: sqlite3_errmsg($0)) }
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Runs the statement to its end.
    func run() throws {
        while try step() {}
        sqlite3_reset(handle)
    }

    /// Runs the statement and returns the first column of its first row (an `INSERT … RETURNING`), or `nil`.
    func runReturningInt64() throws -> Int64? {
        let value: Int64? = try step() ? sqlite3_column_int64(handle, 0) : nil
        sqlite3_reset(handle)
        return value
    }

    // Column readers for the current row.

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : sqlite3_column_int64(handle, column) }

    func double(_ column: Int32) -> Double? { isNull(column) ? nil : sqlite3_column_double(handle, column) }

    func bool(_ column: Int32) -> Bool { sqlite3_column_int64(handle, column) != 0 }
}

private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension Database {
    /// Runs a read-only query row by row through the C API.
    func forEachRow(sql: String, bind: (inout SQLiteStep) -> Void = { _ in }, _ body: (SQLiteStep) throws -> Void) throws {
        let statement = try cachedStatement(sql: sql)
        var step = SQLiteStep(statement, in: self)
        bind(&step)
        defer { sqlite3_reset(step.handle) }
        while try step.step() { try body(step) }
    }
}
