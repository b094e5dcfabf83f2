import SyncHubCore
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One output file written through a buffer, created with mode 0600.
///
/// A struct, not a class: its owner mutates it in place, so appends pay no dynamic exclusivity checks.
/// Call ``finish()`` (or ``abandon()`` on an error path) exactly once.
struct SampleOutputFile {
    let relativePath: String
    private let path: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    /// Data rows written so far (lines after the header).
    private(set) var rows = 0

    init(directory: String, relativePath: String) throws(SampleDataError) {
        self.relativePath = relativePath
        path = directory.hasSuffix("/") ? directory + relativePath : directory + "/" + relativePath
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SampleDataError(path: path, operation: "open", code: errno) }
        // An existing file keeps its old mode through O_CREAT; personal data (even fake) is for its owner only.
        guard fchmod(descriptor, 0o600) == 0 else { throw SampleDataError(path: path, operation: "chmod", code: errno) }
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    /// Closes the file without flushing what is buffered.
    mutating func abandon() {
        if descriptor >= 0 { _ = close(descriptor) }
        descriptor = -1
    }

    /// Creates `path` and its missing parents (mode 0755 before the umask); an existing folder is fine.
    static func makeDirectory(_ path: String) throws(SampleDataError) {
        if path.isEmpty || mkdir(path, 0o755) == 0 { return }
        let code = errno
        if code == EEXIST {
            var info = stat()
            if stat(path, &info) == 0 && (info.st_mode & 0o170000) == 0o040000 { return }
            throw SampleDataError(path: path, operation: "mkdir", code: ENOTDIR)
        }
        if code == ENOENT, let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeDirectory(String(path[..<slash]))
            if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
            throw SampleDataError(path: path, operation: "mkdir", code: errno)
        }
        throw SampleDataError(path: path, operation: "mkdir", code: code)
    }

    static let flushThreshold = 1 << 20

    // MARK: Bytes

    @inline(__always) mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
    }

    @inline(__always) mutating func append(_ text: StaticString) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always) mutating func append(byte: UInt8) { buffer.append(byte) }

    /// Appends `value` (not negative) in decimal, left-padded with zeros to `width` digits.
    mutating func append(number value: Int, width: Int = 0) {
        var divisor = 1
        var digits = 1
        while value / divisor >= 10 {
            divisor *= 10
            digits += 1
        }
        var padding = width - digits
        while padding > 0 {
            buffer.append(48)
            padding -= 1
        }
        var rest = value
        while divisor > 0 {
            buffer.append(UInt8(truncatingIfNeeded: 48 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Appends `seconds` since 1970 in UTC in the given spelling.
    mutating func append(timestamp seconds: Int64, _ style: SampleTime.Style) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, day) = SampleTime.civil(fromDays: days)
        let time = Int(seconds - days * 86_400)
        append(number: Int(year), width: 4)
        append(byte: 45)
        appendTwoDigits(Int(month))
        append(byte: 45)
        appendTwoDigits(Int(day))
        switch style {
        case .date: return
        case .hubspot: append(byte: 32)
        case .iso, .salesforce: append(byte: 84)
        }
        appendTwoDigits(time / 3600)
        append(byte: 58)
        appendTwoDigits(time / 60 % 60)
        if style == .hubspot { return }
        append(byte: 58)
        appendTwoDigits(time % 60)
        if style == .salesforce { append(".000Z") } else { append(byte: 90) }
    }

    /// Appends `value` (0...99) as two digits.
    @inline(__always) mutating func appendTwoDigits(_ value: Int) {
        buffer.append(UInt8(truncatingIfNeeded: 48 + value / 10))
        buffer.append(UInt8(truncatingIfNeeded: 48 + value % 10))
    }

    @inline(__always) mutating func append(bytes: [UInt8]) { buffer.append(contentsOf: bytes) }

    /// Appends `text` as a JSON string literal.
    mutating func append(jsonString text: String) {
        var text = text
        text.withUTF8 { bytes in
            var plain = true
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x20 || byte == 34 || byte == 92 {
                    plain = false
                    break
                }
                index += 1
            }
            if plain {
                buffer.append(34)
                buffer.append(contentsOf: bytes)
                buffer.append(34)
            } else {
                JSONEscaping.appendString(bytes, to: &buffer)
            }
        }
    }

    // MARK: Rows

    /// Writes one CSV row (RFC 4180: fields with commas, quotes, line breaks or edge spaces are quoted).
    mutating func writeCSV(_ fields: [String], countsAsRow: Bool = true) throws(SampleDataError) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(44) }
            appendCSVField(field)
        }
        buffer.append(10)
        try endRow(countsAsRow: countsAsRow)
    }

    mutating func appendCSVField(_ field: String) {
        var field = field
        field.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last else { return }
            var needsQuotes = first == 32 || last == 32
            var index = 0
            while !needsQuotes && index < bytes.count {
                let byte = bytes[index]
                needsQuotes = byte == 44 || byte == 34 || byte == 10 || byte == 13
                index += 1
            }
            guard needsQuotes else {
                buffer.append(contentsOf: bytes)
                return
            }
            buffer.append(34)
            for byte in bytes {
                if byte == 34 { buffer.append(34) }
                buffer.append(byte)
            }
            buffer.append(34)
        }
    }

    /// Ends a row written with the `append` methods (the caller wrote its line break).
    mutating func endRow(countsAsRow: Bool = true) throws(SampleDataError) {
        if countsAsRow { rows += 1 }
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    mutating func flush() throws(SampleDataError) {
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw SampleDataError(path: path, operation: "write", code: errno)
            }
            written += result
        }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func finish() throws(SampleDataError) {
        try flush()
        let result = close(descriptor)
        descriptor = -1
        if result != 0 { throw SampleDataError(path: path, operation: "close", code: errno) }
    }
}

/// Escapes JSON strings the way `JSONWriter` does, from bytes.
enum JSONEscaping {
    static func appendString(_ bytes: [UInt8], to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { appendString($0, to: &out) }
    }

    static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(34)
        for byte in bytes {
            switch byte {
            case 34: out.append(contentsOf: [92, 34])
            case 92: out.append(contentsOf: [92, 92])
            case 0x0A: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(34)
    }
}

/// Calendar arithmetic on seconds since 1970, UTC, without Foundation.
enum SampleTime {
    enum Style { case iso, salesforce, hubspot, date }

    static let day: Int64 = 86_400
    static let hour: Int64 = 3_600
    /// 2025-05-01T00:00:00Z: the first moment of the sample's 18 months.
    static let start = days(fromCivil: 2025, 5, 1) * day
    /// 2026-10-31T23:59:59Z: the last moment of the sample's 18 months.
    static let end = days(fromCivil: 2026, 11, 1) * day - 1

    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        Timestamps.days(fromCivil: year, month, day)
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let date = Timestamps.civil(fromDays: days)
        return (date.year, date.month, date.day)
    }

    /// `seconds` spelled in `style`, as a string (for CSV fields).
    static func format(_ seconds: Int64, _ style: Style) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, dayOfMonth) = civil(fromDays: days)
        let time = seconds - days * 86_400
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(dayOfMonth, 2)
        switch style {
        case .date: return text
        case .hubspot: return text + " " + pad(time / 3600, 2) + ":" + pad(time / 60 % 60, 2)
        case .iso, .salesforce:
            text += "T" + pad(time / 3600, 2) + ":" + pad(time / 60 % 60, 2) + ":" + pad(time % 60, 2)
            return text + (style == .salesforce ? ".000Z" : "Z")
        }
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.utf8.count >= width ? text : String(repeating: "0", count: width - text.utf8.count) + text
    }
}

/// A file of the sample could not be written; names the file and the system error, never its contents.
public struct SampleDataError: Error, Sendable, CustomStringConvertible {
    /// The file or folder concerned.
    public var path: String
    /// What failed: `open`, `chmod`, `write`, `close` or `mkdir`.
    public var operation: String
    /// The `errno` of the failure (0 when not a system error).
    public var code: Int32

    public init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    public var description: String {
        let reason = String(cString: strerror(code))
        return "sample: cannot \(operation) \(path): \(reason); check that the folder exists and is writable."
    }
}
