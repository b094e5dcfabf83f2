import SyncHubCore

/// One field value of a simulated record.
enum SFValue: Sendable, Hashable {
    case null
    case string(String)
    case bool(Bool)
    case number(Double)
    /// Milliseconds since 1970, UTC.
    case dateTime(Int64)
    /// Days since 1970-01-01.
    case date(Int64)

    var isNull: Bool { if case .null = self { true } else { false } }

    var stringValue: String? { if case .string(let s) = self { s } else { nil } }

    var dateTimeValue: Int64? { if case .dateTime(let ms) = self { ms } else { nil } }

    /// Appends the value as Salesforce writes it in JSON: datetimes as `2025-03-01T10:00:00.000+0000`, dates as
    /// `2025-03-01`, numbers as JSON numbers (`15000.0` for fractional types, `250` for integers).
    func appendJSON(to out: inout [UInt8], type: SFFieldType) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .string(let s): JSONWriter.appendString(s, to: &out)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let d):
            if type == .int {
                out.append(contentsOf: String(Int64(d)).utf8)
            } else if d == d.rounded(), abs(d) < 1e15 {
                out.append(contentsOf: String(Int64(d)).utf8)
                out.append(contentsOf: ".0".utf8)
            } else {
                out.append(contentsOf: String(d).utf8)
            }
        case .dateTime(let ms):
            out.append(UInt8(ascii: "\""))
            SFTime.appendDateTime(ms, to: &out)
            out.append(UInt8(ascii: "\""))
        case .date(let days):
            out.append(UInt8(ascii: "\""))
            SFTime.appendDate(days, to: &out)
            out.append(UInt8(ascii: "\""))
        }
    }
}

/// Date arithmetic and the spellings Salesforce reads and writes, without Foundation formatters.
enum SFTime {
    static let msPerDay: Int64 = 86_400_000

    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        Timestamps.days(fromCivil: year, month, day)
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        Timestamps.civil(fromDays: days)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    static func day(ofMilliseconds ms: Int64) -> Int64 { floorDiv(ms, msPerDay) }

    static func appendDigits(_ value: Int64, width: Int, to out: inout [UInt8]) {
        var divisor: Int64 = 1
        var digits = 1
        while digits < width || value / divisor >= 10 {
            divisor *= 10
            digits += 1
        }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(48 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    static func appendDate(_ days: Int64, to out: inout [UInt8]) {
        let (y, m, d) = civil(fromDays: days)
        appendDigits(y, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(m, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(d, width: 2, to: &out)
    }

    /// `2025-03-01T10:00:00.000+0000`.
    static func appendDateTime(_ ms: Int64, to out: inout [UInt8]) {
        let days = day(ofMilliseconds: ms)
        var rest = ms - days * msPerDay
        appendDate(days, to: &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(rest / 3_600_000, width: 2, to: &out)
        rest %= 3_600_000
        out.append(UInt8(ascii: ":"))
        appendDigits(rest / 60_000, width: 2, to: &out)
        rest %= 60_000
        out.append(UInt8(ascii: ":"))
        appendDigits(rest / 1000, width: 2, to: &out)
        out.append(UInt8(ascii: "."))
        appendDigits(rest % 1000, width: 3, to: &out)
        out.append(contentsOf: "+0000".utf8)
    }

    static func dateTimeString(_ ms: Int64) -> String {
        var out: [UInt8] = []
        appendDateTime(ms, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func dateString(_ days: Int64) -> String {
        var out: [UInt8] = []
        appendDate(days, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads `YYYY-MM-DD` exactly; `nil` otherwise.
    static func parseDate<C: Collection<UInt8>>(_ bytes: C) -> Int64? where C.Index == Int {
        guard bytes.count == 10 else { return nil }
        var scanner = Scanner(bytes: Array(bytes))
        guard let y = scanner.digits(4), scanner.skip("-"), let m = scanner.digits(2), scanner.skip("-"),
            let d = scanner.digits(2), scanner.atEnd, (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        return days(fromCivil: y, m, d)
    }

    /// Reads an ISO-8601 date and time with a zone: `2025-01-01T00:00:00Z`, `…00.000+0000`, `…00+01:00`; `nil` when
    /// anything is missing or extra (SOQL rejects a datetime without a zone).
    static func parseDateTime<C: Collection<UInt8>>(_ bytes: C) -> Int64? {
        var scanner = Scanner(bytes: Array(bytes))
        guard let y = scanner.digits(4), scanner.skip("-"), let mo = scanner.digits(2), scanner.skip("-"),
            let d = scanner.digits(2), scanner.skip("T"), let h = scanner.digits(2), scanner.skip(":"),
            let mi = scanner.digits(2), scanner.skip(":"), let s = scanner.digits(2),
            (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 60
        else { return nil }
        var millis: Int64 = 0
        if scanner.skip(".") {
            var count = 0
            var fraction: Int64 = 0
            while let digit = scanner.digit() {
                if count < 3 { fraction = fraction * 10 + digit }
                count += 1
            }
            guard count > 0 else { return nil }
            if count < 3 { for _ in count..<3 { fraction *= 10 } }
            millis = fraction
        }
        var offsetMinutes: Int64 = 0
        if scanner.skip("Z") {
        } else if let sign = scanner.sign() {
            guard let oh = scanner.digits(2) else { return nil }
            _ = scanner.skip(":")
            guard let om = scanner.digits(2), oh < 24, om < 60 else { return nil }
            offsetMinutes = sign * (oh * 60 + om)
        } else {
            return nil
        }
        guard scanner.atEnd else { return nil }
        let base = days(fromCivil: y, mo, d) * msPerDay + h * 3_600_000 + mi * 60_000 + s * 1000 + millis
        return base - offsetMinutes * 60_000
    }

    struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int64? {
            guard index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 else { return nil }
            index += 1
            return Int64(bytes[index - 1] - 48)
        }

        mutating func digits(_ count: Int) -> Int64? {
            var value: Int64 = 0
            for _ in 0..<count {
                guard let d = digit() else { return nil }
                value = value * 10 + d
            }
            return value
        }

        mutating func sign() -> Int64? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }
    }
}
