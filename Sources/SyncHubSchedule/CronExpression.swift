public import Foundation
import SyncHubCore

/// A five-field cron expression (`minute hour day-of-month month day-of-week`), evaluated in a time zone.
///
/// Each field takes `*`, a value, a range `a-b`, a step `*/n`, `a-b/n` or `a/n`, and comma-separated lists of
/// those. Months take `JAN`–`DEC` and days of the week `SUN`–`SAT` (or `0`–`7`, where `0` and `7` are Sunday), in
/// any case. `@hourly`, `@daily` (`@midnight`), `@weekly`, `@monthly` and `@yearly` (`@annually`) are shorthands.
///
/// As in Vixie cron, when both day fields are restricted (neither starts with `*`), a day matches when *either*
/// matches: `0 9 1 * MON` runs on the 1st and on every Monday. When one starts with `*`, only the other counts.
/// Times are local to ``timeZone``: a local time skipped by a daylight-saving change does not run that day, and
/// one that happens twice runs twice.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let text: String
    public let timeZone: TimeZone
    let minutes: UInt64
    let hours: UInt64
    let daysOfMonth: UInt64
    let months: UInt64
    /// Bit 0 is Sunday.
    let daysOfWeek: UInt64
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    static let macros = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]
    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    /// Parses `text`; throws ``CronError`` naming the field and what is wrong with it.
    public init(_ text: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!) throws(CronError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var expanded = trimmed
        if trimmed.hasPrefix("@") {
            guard let macro = Self.macros[trimmed.lowercased()] else {
                let hint = Self.closest(trimmed.lowercased(), among: Array(Self.macros.keys))
                throw CronError("unknown shorthand `\(trimmed)`\(hint); use one of @hourly, @daily, @weekly, @monthly, @yearly or five fields")
            }
            expanded = macro
        }
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw CronError(
                "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)"
                    + (fields.count == 6 ? "; synchub schedules whole minutes, without a seconds field" : ""))
        }
        self.text = trimmed
        self.timeZone = timeZone
        minutes = try Self.field(fields[0], name: "minute", range: 0...59)
        hours = try Self.field(fields[1], name: "hour", range: 0...23)
        daysOfMonth = try Self.field(fields[2], name: "day-of-month", range: 1...31)
        months = try Self.field(fields[3], name: "month", range: 1...12, names: Self.monthNames, firstName: 1)
        var weekdays = try Self.field(fields[4], name: "day-of-week", range: 0...7, names: Self.dayNames, firstName: 0)
        if weekdays & (1 << 7) != 0 { weekdays = (weekdays | 1) & ~(1 << 7) }
        daysOfWeek = weekdays
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")
        if next(after: Date(timeIntervalSince1970: 946_684_800)) == nil {  // 2000-01-01: leap years included
            throw CronError("`\(trimmed)` never matches a date; check the day-of-month and month fields")
        }
    }

    public var description: String { text }

    /// The time zone's name; `UTC` for UTC (which Foundation on Linux calls `GMT`).
    public var timeZoneName: String {
        ["GMT", "UTC", "Etc/UTC", "Etc/GMT", "Etc/Universal", "Universal", "Zulu"].contains(timeZone.identifier) ? "UTC" : timeZone.identifier
    }

    /// The first minute strictly after `date` that the expression matches; `nil` when none within eight years.
    public func next(after date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var time = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
        let limit = date.addingTimeInterval(8 * 366 * 86_400)
        while time < limit {
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: time)
            guard let year = parts.year, let month = parts.month, let day = parts.day, let hour = parts.hour,
                let minute = parts.minute, let weekday = parts.weekday
            else { return nil }
            if months & (1 << UInt64(month)) == 0 {
                let nextMonth = month == 12 ? DateComponents(year: year + 1, month: 1, day: 1) : DateComponents(year: year, month: month + 1, day: 1)
                guard let start = calendar.date(from: nextMonth) else { return nil }
                time = start
                continue
            }
            if !dayMatches(day: day, weekday: weekday - 1) {
                guard let start = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: time)) else { return nil }
                time = start
                continue
            }
            if hours & (1 << UInt64(hour)) == 0 {
                let startOfHour = time.addingTimeInterval(-Double(minute * 60))
                time = startOfHour.addingTimeInterval(3600)
                continue
            }
            if minutes & (1 << UInt64(minute)) == 0 {
                time = time.addingTimeInterval(60)
                continue
            }
            return time
        }
        return nil
    }

    /// Whether the minute of `date` matches.
    public func matches(_ date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.month, .day, .hour, .minute, .weekday], from: date)
        guard let month = parts.month, let day = parts.day, let hour = parts.hour, let minute = parts.minute,
            let weekday = parts.weekday
        else { return false }
        return months & (1 << UInt64(month)) != 0 && dayMatches(day: day, weekday: weekday - 1)
            && hours & (1 << UInt64(hour)) != 0 && minutes & (1 << UInt64(minute)) != 0
    }

    func dayMatches(day: Int, weekday: Int) -> Bool {
        let byDay = daysOfMonth & (1 << UInt64(day)) != 0
        let byWeekday = daysOfWeek & (1 << UInt64(weekday)) != 0
        if dayOfMonthRestricted && dayOfWeekRestricted { return byDay || byWeekday }
        return byDay && byWeekday
    }

    // MARK: Parsing

    /// One field as a bit set over `range`.
    static func field(
        _ text: String, name: String, range: ClosedRange<Int>, names: [String] = [], firstName: Int = 0
    ) throws(CronError) -> UInt64 {
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !item.isEmpty else { throw CronError("\(name) field `\(text)` has an empty list item") }
            let parts = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2 else { throw CronError("\(name) field: `\(item)` has more than one `/`") }
            var step = 1
            if parts.count == 2 {
                guard let value = Int(parts[1]), value >= 1 else {
                    throw CronError("\(name) field: the step in `\(item)` must be a whole number of at least 1")
                }
                step = value
            }
            let base = parts[0]
            var low: Int
            var high: Int
            if base == "*" {
                low = range.lowerBound
                high = range.upperBound
                if name == "day-of-week" { high = 6 }
            } else if let dash = base.firstIndex(of: "-"), dash != base.startIndex {
                low = try value(String(base[..<dash]), field: name, range: range, names: names, firstName: firstName)
                high = try value(String(base[base.index(after: dash)...]), field: name, range: range, names: names, firstName: firstName)
                // `FRI-SUN`: Sunday closes a range as 7.
                if name == "day-of-week", high == 0, low > 0 { high = 7 }
                guard low <= high else {
                    throw CronError("\(name) field: the range `\(base)` goes backwards; write it from low to high")
                }
            } else {
                low = try value(base, field: name, range: range, names: names, firstName: firstName)
                high = parts.count == 2 ? (name == "day-of-week" ? 6 : range.upperBound) : low
            }
            for number in stride(from: low, through: high, by: step) { bits |= 1 << UInt64(number) }
        }
        return bits
    }

    static func value(_ text: String, field: String, range: ClosedRange<Int>, names: [String], firstName: Int) throws(CronError) -> Int {
        if let number = Int(text) {
            guard range.contains(number) else {
                throw CronError("\(field) field: \(number) is out of range \(range.lowerBound)-\(range.upperBound)")
            }
            return number
        }
        if let index = names.firstIndex(of: text.uppercased()) { return index + firstName }
        let expected = names.isEmpty
            ? "a number from \(range.lowerBound) to \(range.upperBound)"
            : "a number from \(range.lowerBound) to \(range.upperBound) or a name (\(names.first!)-\(names.last!))"
        let hint = names.isEmpty ? "" : closest(text.uppercased(), among: names)
        throw CronError("\(field) field: `\(text)` is not \(expected)\(hint)")
    }

    static func closest(_ word: String, among candidates: [String]) -> String {
        Suggestions.closest(to: word, among: candidates).map { "; did you mean `\($0)`?" } ?? ""
    }
}

/// A cron expression that cannot be read; the message names the field.
public struct CronError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
