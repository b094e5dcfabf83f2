import SyncHubCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What identifies one version of a file: which file it is (device and inode), its size and modification time.
struct FileVersion: Codable, Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    /// Modification time, nanoseconds since 1970.
    var modified: Int64

    func isSameFile(as other: FileVersion) -> Bool { device == other.device && inode == other.inode }
}

/// Why a file could not be opened or read; turned into a ``ConnectorError`` by the caller, who knows the key.
enum FileProblem: Error {
    case missing
    case isDirectory
    case unreadable(Int32)

    var summary: String {
        switch self {
        case .missing: "does not exist"
        case .isDirectory: "is a folder, not a file"
        case .unreadable(let code): "cannot be read (\(String(cString: strerror(code))))"
        }
    }
}

/// An open file, read with `pread(2)` in large chunks.
final class OpenFile {
    let fd: Int32
    let version: FileVersion

    init(path: String) throws(FileProblem) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw code == ENOENT || code == ENOTDIR ? .missing : .unreadable(code)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw .unreadable(code)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .isDirectory
        }
        self.fd = fd
        #if canImport(Darwin)
        let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #else
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #endif
        version = FileVersion(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size), modified: modified)
    }

    deinit { close(fd) }

    /// Reads up to `count` bytes at `offset` into `destination`; fewer only at the end of the file.
    func read(into destination: UnsafeMutableRawPointer, count: Int, at offset: Int64) throws(FileProblem) -> Int {
        var done = 0
        while done < count {
            let n = pread(fd, destination + done, count - done, off_t(offset + Int64(done)))
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(errno)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// The bytes in `range` (fewer if the file is shorter).
    func bytes(in range: Range<Int64>) throws(FileProblem) -> [UInt8] {
        let count = Int(range.upperBound - range.lowerBound)
        guard count > 0 else { return [] }
        var failure: FileProblem?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(FileProblem) { initialized = try read(into: buffer.baseAddress!, count: count, at: range.lowerBound) } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Fingerprint of the bytes in `range`, to notice a file rewritten under a saved offset.
    func fingerprint(of range: Range<Int64>) throws(FileProblem) -> Int64 {
        ContentHash.of(try bytes(in: range))
    }
}

/// Reads a file forward from an offset up to a limit, handing out lines or CSV records, tracking line numbers.
///
/// Bytes are read in chunks of ``chunkSize`` into one buffer; a line or record that straddles a chunk is
/// rescanned once the next chunk is in.
final class ByteReader {
    static let chunkSize = 1 << 20

    let file: OpenFile
    /// Reading stops here: the file's size when the pass began, so half-written appends wait for the next pull.
    private(set) var limit: Int64
    private var buffer: [UInt8] = []
    private var position = 0
    private var bufferOffset: Int64
    /// Physical lines fully consumed so far (newlines passed).
    private(set) var linesConsumed: Int
    private var fields: [String] = []
    private var scratch: [UInt8] = []

    init(file: OpenFile, offset: Int64, linesConsumed: Int, limit: Int64) {
        self.file = file
        self.bufferOffset = offset
        self.linesConsumed = linesConsumed
        self.limit = limit
    }

    /// The file offset of the next unconsumed byte.
    var offset: Int64 { bufferOffset + Int64(position) }

    private var hasMoreInFile: Bool { bufferOffset + Int64(buffer.count) < limit }

    /// Everything up to the limit has been consumed.
    var isAtEnd: Bool { position >= buffer.count && !hasMoreInFile }

    /// Reads the next chunk after what the buffer holds, dropping consumed bytes.
    private func fill() throws(FileProblem) {
        let kept = buffer.count - position
        let readAt = bufferOffset + Int64(buffer.count)
        let wanted = Int(min(Int64(Self.chunkSize), limit - readAt))
        guard wanted > 0 else { return }
        var failure: FileProblem?
        let old = buffer
        let start = position
        let next = [UInt8](unsafeUninitializedCapacity: kept + wanted) { destination, initialized in
            old.withUnsafeBufferPointer { source in
                if kept > 0 {
                    UnsafeMutableRawPointer(destination.baseAddress!).copyMemory(
                        from: source.baseAddress! + start, byteCount: kept)
                }
            }
            do throws(FileProblem) {
                let got = try file.read(into: destination.baseAddress! + kept, count: wanted, at: readAt)
                initialized = kept + got
            } catch {
                failure = error
                initialized = kept
            }
        }
        if let failure { throw failure }
        bufferOffset += Int64(position)
        position = 0
        buffer = next
        if buffer.count - kept < wanted {
            // The file shrank while we read it: stop where it ends now.
            limit = bufferOffset + Int64(buffer.count)
        }
    }

    /// Skips a UTF-8 byte order mark at the start of the file.
    func skipByteOrderMark() throws(FileProblem) {
        guard offset == 0 else { return }
        if buffer.count < 3 && hasMoreInFile { try fill() }
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
    }

    /// Consumes blank lines, so that ``isAtEnd`` is true when only blank lines remain.
    /// - Parameter allowingSpaces: lines of spaces and tabs count as blank (JSONL); in CSV they are a value.
    func skipBlankLines(allowingSpaces: Bool) throws(FileProblem) {
        while true {
            if position >= buffer.count {
                guard hasMoreInFile else { return }
                try fill()
                continue
            }
            var index = position
            while index < buffer.count,
                buffer[index] == 13 || (allowingSpaces && (buffer[index] == 32 || buffer[index] == 9))
            {
                index += 1
            }
            if index < buffer.count {
                guard buffer[index] == 10 else { return }
                position = index + 1
                linesConsumed += 1
            } else if hasMoreInFile {
                try fill()
            } else {
                position = index
                return
            }
        }
    }

    /// Calls `body` with the next non-blank line (without its line break) and its 1-based line number,
    /// or returns `nil` at the end.
    func nextLine<R>(_ body: (UnsafeBufferPointer<UInt8>, Int) -> R) throws(FileProblem) -> R? {
        while true {
            let newline: Int? = buffer.withUnsafeBufferPointer { bytes in
                guard position < bytes.count, let base = bytes.baseAddress else { return nil }
                guard let found = memchr(base + position, 10, bytes.count - position) else { return nil }
                return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
            }
            let end: Int
            let isTerminated: Bool
            if let newline {
                end = newline
                isTerminated = true
            } else if hasMoreInFile {
                try fill()
                continue
            } else if position < buffer.count {
                end = buffer.count
                isTerminated = false
            } else {
                return nil
            }
            let start = position
            let number = linesConsumed + 1
            position = isTerminated ? end + 1 : end
            // An unterminated last line is not counted, so the newline an append starts with completes it.
            if isTerminated { linesConsumed += 1 }
            let result: R? = buffer.withUnsafeBufferPointer { bytes in
                var contentEnd = end
                if contentEnd > start, bytes[contentEnd - 1] == 13 { contentEnd -= 1 }
                var first = start
                while first < contentEnd, bytes[first] == 32 || bytes[first] == 9 { first += 1 }
                guard first < contentEnd else { return nil }
                return body(UnsafeBufferPointer(rebasing: bytes[start..<contentEnd]), number)
            }
            if let result { return result }
        }
    }

    /// One CSV record as handed to a caller; valid only during the call.
    struct Record {
        var fields: [String]
        /// The physical line the record starts on (1-based).
        var line: Int
        /// The record's bytes without its final line break.
        var raw: UnsafeBufferPointer<UInt8>
        /// A quoted field ran to the end of the file.
        var hasUnterminatedQuote: Bool
    }

    /// Calls `body` with the next non-blank CSV record, or returns `nil` at the end.
    func nextRecord<R>(delimiter: UInt8, _ body: (Record) -> R) throws(FileProblem) -> R? {
        while true {
            if position >= buffer.count {
                guard hasMoreInFile else { return nil }
                try fill()
                continue
            }
            let isEndOfInput = !hasMoreInFile
            let start = position
            let scan = buffer.withUnsafeBufferPointer { bytes in
                CSVScanner.scan(bytes, from: start, delimiter: delimiter, isEndOfInput: isEndOfInput,
                                fields: &fields, scratch: &scratch)
            }
            guard let scan else {
                try fill()
                continue
            }
            let number = linesConsumed + 1
            position = scan.end
            linesConsumed += scan.newlines
            if scan.isBlank { continue }
            return buffer.withUnsafeBufferPointer { bytes in
                body(Record(
                    fields: fields, line: number, raw: UnsafeBufferPointer(rebasing: bytes[start..<scan.contentEnd]),
                    hasUnterminatedQuote: scan.hasUnterminatedQuote))
            }
        }
    }
}

/// An RFC 4180 record scanner: quoted fields, `""` escapes, line breaks inside quotes, CRLF, any delimiter.
enum CSVScanner {
    struct Scan {
        /// Index just after the record and its line break.
        var end: Int
        /// Index just after the record's content (before its line break).
        var contentEnd: Int
        /// Line feeds consumed, including the record's own terminator.
        var newlines: Int
        var isBlank: Bool
        var hasUnterminatedQuote: Bool
    }

    static let quote = UInt8(ascii: "\"")
    static let lineFeed: UInt8 = 10
    static let carriageReturn: UInt8 = 13

    /// Scans one record starting at `start` into `fields`; `nil` when the record may continue past the bytes given.
    static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8, isEndOfInput: Bool,
        fields: inout [String], scratch: inout [UInt8]
    ) -> Scan? {
        fields.removeAll(keepingCapacity: true)
        let count = bytes.count
        var index = start
        var newlines = 0
        var unterminated = false
        // A blank line is not a record.
        if bytes[index] == lineFeed {
            return Scan(end: index + 1, contentEnd: index, newlines: 1, isBlank: true, hasUnterminatedQuote: false)
        }
        if bytes[index] == carriageReturn {
            if index + 1 < count {
                if bytes[index + 1] == lineFeed {
                    return Scan(end: index + 2, contentEnd: index, newlines: 1, isBlank: true, hasUnterminatedQuote: false)
                }
            } else if !isEndOfInput {
                return nil
            } else {
                return Scan(end: index + 1, contentEnd: index, newlines: 0, isBlank: true, hasUnterminatedQuote: false)
            }
        }
        while true {
            if index < count, bytes[index] == quote {
                index += 1
                scratch.removeAll(keepingCapacity: true)
                var segment = index
                quoted: while true {
                    guard index < count else {
                        guard isEndOfInput else { return nil }
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segment..<index]))
                        unterminated = true
                        break quoted
                    }
                    let byte = bytes[index]
                    if byte == quote {
                        if index + 1 < count {
                            if bytes[index + 1] == quote {
                                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segment...index]))
                                index += 2
                                segment = index
                                continue
                            }
                        } else if !isEndOfInput {
                            return nil
                        }
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segment..<index]))
                        index += 1
                        break quoted
                    }
                    if byte == lineFeed { newlines += 1 }
                    index += 1
                }
                // Text after the closing quote (not RFC 4180) is kept, as spreadsheets do.
                while index < count {
                    let byte = bytes[index]
                    if byte == delimiter || byte == lineFeed || byte == carriageReturn { break }
                    scratch.append(byte)
                    index += 1
                }
                fields.append(String(decoding: scratch, as: UTF8.self))
            } else {
                let fieldStart = index
                while index < count {
                    let byte = bytes[index]
                    if byte == delimiter || byte == lineFeed { break }
                    index += 1
                }
                var fieldEnd = index
                if fieldEnd > fieldStart, bytes[fieldEnd - 1] == carriageReturn, index < count || isEndOfInput {
                    fieldEnd -= 1
                }
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[fieldStart..<fieldEnd]), as: UTF8.self))
            }
            guard index < count else {
                guard isEndOfInput else { return nil }
                return Scan(end: index, contentEnd: index, newlines: newlines, isBlank: false, hasUnterminatedQuote: unterminated)
            }
            let byte = bytes[index]
            if byte == delimiter {
                index += 1
                continue
            }
            if byte == carriageReturn {
                // After a quoted field.
                if index + 1 < count {
                    if bytes[index + 1] == lineFeed {
                        return Scan(end: index + 2, contentEnd: index, newlines: newlines + 1, isBlank: false, hasUnterminatedQuote: false)
                    }
                    return Scan(end: index + 1, contentEnd: index, newlines: newlines, isBlank: false, hasUnterminatedQuote: false)
                }
                guard isEndOfInput else { return nil }
                return Scan(end: index + 1, contentEnd: index, newlines: newlines, isBlank: false, hasUnterminatedQuote: false)
            }
            // Line feed.
            let contentEnd = index > start && bytes[index - 1] == carriageReturn ? index - 1 : index
            return Scan(end: index + 1, contentEnd: contentEnd, newlines: newlines + 1, isBlank: false, hasUnterminatedQuote: false)
        }
    }
}
