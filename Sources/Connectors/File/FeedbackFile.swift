import Foundation
import Synchronization
import SyncHubCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes win/loss feedback to a JSONL or CSV file holding one line per person, keyed by person id.
///
/// The file is a snapshot: pushing replaces a person's line, or adds it, and keeps the others. Lines are sorted by
/// person id, so the same feedback always gives the same bytes. The new file is written to a temporary file
/// (mode 0600) in the same folder and renamed over the old one, so readers never see half a file. A push that
/// changes nothing leaves the file untouched.
final class FeedbackFile: FeedbackConnector {
    let connector: String
    /// The path as written in `connectors.yml`.
    let path: String
    let resolvedPath: String
    let format: FileFormat
    let keyPath: String
    private let lock = Mutex(())

    static let keyColumn = "person_id"
    static var columns: [String] {
        [keyColumn, "email"] + PersonFeedback(outcome: .open).fields.map(\.name)
    }
    /// The shared stage (``PersonFeedback/lifecycleStage``): a JSONL line carries it after the other columns when the
    /// item has one; CSV files keep ``columns``.
    static let stageColumn = "lifecycle_stage"

    var addressing: FeedbackAddressing { .persons }

    init(connector: String, path: String, resolvedPath: String, format: FileFormat, keyPath: String) {
        self.connector = connector
        self.path = path
        self.resolvedPath = resolvedPath
        self.format = format
        self.keyPath = keyPath
    }

    func push(_ items: [FeedbackItem]) async throws -> [PushReceipt] {
        try lock.withLock { _ in try apply(items) }
    }

    private func apply(_ items: [FeedbackItem]) throws -> [PushReceipt] {
        var lines = try readLines()
        var receipts: [PushReceipt] = []
        receipts.reserveCapacity(items.count)
        var changed = false
        for item in items {
            guard !item.recordKey.isEmpty else {
                receipts.append(PushReceipt(
                    idempotencyKey: item.idempotencyKey, recordKey: item.recordKey, status: .failed,
                    message: "the item has no person id; nothing was written for it"))
                continue
            }
            let values: [String?] = [item.recordKey, item.email] + item.feedback.fields.map(\.value)
            let line = encode(values)
            if lines[item.recordKey] == line {
                receipts.append(PushReceipt(idempotencyKey: item.idempotencyKey, recordKey: item.recordKey, status: .alreadyApplied))
            } else {
                lines[item.recordKey] = line
                changed = true
                receipts.append(PushReceipt(idempotencyKey: item.idempotencyKey, recordKey: item.recordKey, status: .applied))
            }
        }
        if changed { try save(lines) }
        return receipts
    }

    /// One line of the file, without its line break.
    private func encode(_ values: [String?]) -> [UInt8] {
        switch format {
        case .jsonl: return JSONWriter.object(Array(zip(Self.columns + [Self.stageColumn], values)))
        case .csv: return CSVWriter.line(values.prefix(Self.columns.count).map { $0 ?? "" })
        }
    }

    /// The current file's lines by person id, each re-encoded in this target's column order.
    private func readLines() throws -> [String: [UInt8]] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: resolvedPath))
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            return [:]
        } catch {
            throw ConnectorError(
                .unavailable, "cannot read the feedback file `\(path)` (\(keyPath)); check its permissions",
                connector: connector, cause: error)
        }
        var lines: [String: [UInt8]] = [:]
        let bytes = [UInt8](data)
        switch format {
        case .jsonl:
            var lineNumber = 0
            for raw in bytes.split(separator: 10, omittingEmptySubsequences: false) {
                lineNumber += 1
                guard raw.contains(where: { $0 != 32 && $0 != 13 && $0 != 9 }) else { continue }
                guard let value = try? JSONValue.parse(Array(raw)), case .object = value,
                    let key = value[Self.keyColumn]?.text
                else {
                    throw corrupt(line: lineNumber, "is not a JSON object with a `\(Self.keyColumn)`")
                }
                let values = Self.columns.map { value[$0].flatMap(FilePass.text(of:)) }
                let stage = value[Self.stageColumn].flatMap(FilePass.text(of:))
                lines[key] = encode(values + (stage.map { [$0] } ?? []))
            }
        case .csv:
            var header: [String]?
            var index = 0
            var fields: [String] = []
            var scratch: [UInt8] = []
            var lineNumber = 1
            try bytes.withUnsafeBufferPointer { buffer in
                while index < buffer.count {
                    guard let scan = CSVScanner.scan(
                        buffer, from: index, delimiter: UInt8(ascii: ","), isEndOfInput: true, fields: &fields,
                        scratch: &scratch)
                    else { break }
                    let number = lineNumber
                    index = scan.end
                    lineNumber += scan.newlines
                    if scan.isBlank { continue }
                    guard let columns = header else {
                        header = fields
                        guard fields.contains(Self.keyColumn) else {
                            throw corrupt(line: number, "has no `\(Self.keyColumn)` column in its header")
                        }
                        continue
                    }
                    guard fields.count == columns.count, !scan.hasUnterminatedQuote else {
                        throw corrupt(line: number, "has \(fields.count) fields but the header has \(columns.count)")
                    }
                    var row: [String: String] = [:]
                    for (name, value) in zip(columns, fields) where row[name] == nil { row[name] = value }
                    guard let key = row[Self.keyColumn], !key.isEmpty else {
                        throw corrupt(line: number, "has no `\(Self.keyColumn)`")
                    }
                    lines[key] = encode(Self.columns.map { name in row[name].flatMap { $0.isEmpty ? nil : $0 } })
                }
            }
        }
        return lines
    }

    private func corrupt(line: Int, _ problem: String) -> ConnectorError {
        ConnectorError(
            .invalidData,
            "line \(line) of the feedback file `\(path)` (\(keyPath)) \(problem); fix or delete the file, then push again",
            connector: connector)
    }

    /// Writes all lines, sorted by person id, to a temporary file and renames it over the feedback file.
    private func save(_ lines: [String: [UInt8]]) throws {
        var out: [UInt8] = []
        if format == .csv {
            out += CSVWriter.line(Self.columns)
            out.append(10)
        }
        for key in lines.keys.sorted() {
            out += lines[key]!
            out.append(10)
        }
        let folder = (resolvedPath as NSString).deletingLastPathComponent
        let name = (resolvedPath as NSString).lastPathComponent
        do {
            if !folder.isEmpty {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
        } catch {
            throw ConnectorError(
                .invalidConfiguration, "cannot create the folder of the feedback file `\(path)` (\(keyPath)); check the path and permissions",
                connector: connector, cause: error)
        }
        let temporary = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ConnectorError(
                .invalidConfiguration, "cannot write next to the feedback file `\(path)` (\(keyPath)): \(String(cString: strerror(errno)))",
                connector: connector)
        }
        var failure: Int32 = 0
        out.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                done += n
            }
        }
        if failure == 0, fchmod(fd, 0o600) != 0 { failure = errno }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0, rename(temporary, resolvedPath) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw ConnectorError(
                .unavailable, "cannot write the feedback file `\(path)` (\(keyPath)): \(String(cString: strerror(failure)))",
                connector: connector)
        }
    }
}

/// Writes RFC 4180 CSV lines.
enum CSVWriter {
    static func line(_ values: [String]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            let bytes = Array(value.utf8)
            let needsQuotes = bytes.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
                || bytes.first == 32 || bytes.last == 32
            if needsQuotes {
                out.append(34)
                for byte in bytes {
                    if byte == 34 { out.append(34) }
                    out.append(byte)
                }
                out.append(34)
            } else {
                out += bytes
            }
        }
        return out
    }
}
