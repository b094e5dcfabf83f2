/// Reads the date and time spellings exports and APIs use, and writes them one way: ISO-8601 in UTC.
public enum Timestamps {
    /// `2025-03-04T05:06:07Z` (or with `.123` milliseconds when the input had them), or `nil` when unreadable.
    ///
    /// Accepts ISO-8601 with `Z` or an offset, `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DD` (midnight UTC),
    /// `MM/DD/YYYY [HH:MM[:SS]]`, the compact `YYYYMMDD`, and epoch milliseconds or seconds.
    public static func normalize(_ text: String) -> String? {
        guard let parsed = parse(text) else { return nil }
        return format(millisecondsSinceEpoch: parsed.milliseconds, withMilliseconds: parsed.hadMilliseconds)
    }

    /// `YYYY-MM-DD` of a date or timestamp, or `nil` when unreadable.
    public static func date(_ text: String) -> String? {
        guard let parsed = parse(text) else { return nil }
        return String(format(millisecondsSinceEpoch: parsed.milliseconds, withMilliseconds: false).prefix(10))
    }

    /// Milliseconds since 1970 of a date or timestamp.
    public static func milliseconds(_ text: String) -> Int64? { parse(text)?.milliseconds }

    public static func format(millisecondsSinceEpoch ms: Int64, withMilliseconds: Bool = false) -> String {
        let days = Int64((Double(ms) / 86_400_000).rounded(.down))
        var rest = ms - days * 86_400_000
        let hour = rest / 3_600_000; rest %= 3_600_000
        let minute = rest / 60_000; rest %= 60_000
        let second = rest / 1000
        let milli = rest % 1000
        let (y, m, d) = civil(fromDays: days)
        var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
        if withMilliseconds { out += ".\(pad(milli, 3))" }
        return out + "Z"
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    struct Parsed { var milliseconds: Int64; var hadMilliseconds: Bool }

    static func parse(_ raw: String) -> Parsed? {
        let text = raw.trimmingCharacters(in: " \t\r\n")
        guard !text.isEmpty else { return nil }
        let bytes = Array(text.utf8)
        // Epoch numbers.
        if bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            guard let value = Int64(text) else { return nil }
            // The compact ISO-8601 date, `YYYYMMDD` (eight-digit epoch seconds would be 1970–1973).
            if bytes.count == 8 {
                let (year, month, day) = (value / 10000, value / 100 % 100, value % 100)
                guard year >= 1000, (1...12).contains(month), (1...31).contains(day) else { return nil }
                return Parsed(milliseconds: days(fromCivil: year, month, day) * 86_400_000, hadMilliseconds: false)
            }
            if bytes.count >= 12 { return Parsed(milliseconds: value, hadMilliseconds: value % 1000 != 0) }
            if bytes.count >= 9 { return Parsed(milliseconds: value * 1000, hadMilliseconds: false) }
            return nil
        }
        var scanner = DigitScanner(bytes: bytes)
        var year: Int64, month: Int64, day: Int64
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-") {
            guard let y = scanner.number(4), scanner.skip("-"), let m = scanner.number(2), scanner.skip("-"),
                let d = scanner.number(2)
            else { return nil }
            (year, month, day) = (y, m, d)
        } else if bytes.contains(UInt8(ascii: "/")) {
            guard let m = scanner.number(1...2), scanner.skip("/"), let d = scanner.number(1...2), scanner.skip("/"),
                let y = scanner.number(4)
            else { return nil }
            (year, month, day) = (y, m, d)
        } else {
            return nil
        }
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        var ms = days(fromCivil: year, month, day) * 86_400_000
        var hadMilliseconds = false
        if scanner.atEnd { return Parsed(milliseconds: ms, hadMilliseconds: false) }
        guard scanner.skip("T") || scanner.skip(" ") else { return nil }
        guard let hour = scanner.number(1...2), scanner.skip(":"), let minute = scanner.number(2) else { return nil }
        var second: Int64 = 0
        if scanner.skip(":") { guard let s = scanner.number(2) else { return nil }; second = s }
        guard hour < 24, minute < 60, second < 61 else { return nil }
        ms += hour * 3_600_000 + minute * 60_000 + second * 1000
        if scanner.skip(".") || scanner.skip(",") {
            let start = scanner.index
            var fraction: Int64 = 0
            var digits = 0
            while let digit = scanner.digit() {
                if digits < 3 { fraction = fraction * 10 + digit }
                digits += 1
            }
            guard scanner.index > start else { return nil }
            while digits < 3 { fraction *= 10; digits += 1 }
            ms += fraction
            hadMilliseconds = fraction != 0
        }
        _ = scanner.skip(" ")
        if scanner.atEnd || scanner.skip("Z") || scanner.skip("z") {
            // UTC
        } else if let sign = scanner.peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            scanner.index += 1
            guard let oh = scanner.number(2) else { return nil }
            _ = scanner.skip(":")
            let om = scanner.number(2) ?? 0
            let offset = (oh * 60 + om) * 60_000
            ms += sign == UInt8(ascii: "+") ? -offset : offset
        } else if scanner.skip("UTC") || scanner.skip("GMT") {
        } else {
            return nil
        }
        guard scanner.atEnd else { return nil }
        return Parsed(milliseconds: ms, hadMilliseconds: hadMilliseconds)
    }

    struct DigitScanner {
        let bytes: [UInt8]
        var index = 0
        var atEnd: Bool { index >= bytes.count }
        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }
        mutating func skip(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            let expected = UnsafeBufferPointer(start: text.utf8Start, count: count)
            for offset in 0..<count where bytes[index + offset] != expected[offset] { return false }
            index += count
            return true
        }
        mutating func digit() -> Int64? {
            guard index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 else { return nil }
            defer { index += 1 }
            return Int64(bytes[index] - 48)
        }
        mutating func number(_ width: Int) -> Int64? { number(width...width) }
        mutating func number(_ widths: ClosedRange<Int>) -> Int64? {
            var value: Int64 = 0
            var count = 0
            while count < widths.upperBound, let digit = digit() { value = value * 10 + digit; count += 1 }
            return count >= widths.lowerBound ? value : nil
        }
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    public static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date (year, month, day) of a count of days since 1970-01-01.
    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let drop = Set(set.unicodeScalars)
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, drop.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, drop.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}
