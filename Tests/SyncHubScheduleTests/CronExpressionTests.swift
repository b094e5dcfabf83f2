import Foundation
import SyncHubSchedule
import Testing

@Suite struct CronExpressionTests {
    static let utc = TimeZone(identifier: "UTC")!

    /// `2026-01-05T10:07:00Z` -> Date.
    func date(_ text: String, in zone: TimeZone = utc) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.date(from: text)!
    }

    func text(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = Self.utc
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm EEE"
        return formatter.string(from: date)
    }

    /// The next `count` times after `start`.
    func times(_ expression: String, after start: String, count: Int, zone: TimeZone = utc) throws -> [String] {
        let cron = try CronExpression(expression, timeZone: zone)
        var out: [String] = []
        var current = date(start)
        for _ in 0..<count {
            guard let next = cron.next(after: current) else { break }
            out.append(text(next))
            current = next
        }
        return out
    }

    @Test func everyFifteenMinutes() throws {
        #expect(try times("*/15 * * * *", after: "2026-01-05T10:07", count: 4) == [
            "2026-01-05T10:15 Mon", "2026-01-05T10:30 Mon", "2026-01-05T10:45 Mon", "2026-01-05T11:00 Mon",
        ])
        // Strictly after: a time on the schedule moves to the next one.
        #expect(try times("*/15 * * * *", after: "2026-01-05T10:15", count: 1) == ["2026-01-05T10:30 Mon"])
        #expect(try times("*/15 * * * *", after: "2026-12-31T23:50", count: 1) == ["2027-01-01T00:00 Fri"])
    }

    @Test func rangesStepsAndLists() throws {
        #expect(try times("0 1-5 * * *", after: "2026-01-05T04:30", count: 3) == [
            "2026-01-05T05:00 Mon", "2026-01-06T01:00 Tue", "2026-01-06T02:00 Tue",
        ])
        #expect(try times("5,35 8-18/5 * * *", after: "2026-01-05T10:07", count: 4) == [
            "2026-01-05T13:05 Mon", "2026-01-05T13:35 Mon", "2026-01-05T18:05 Mon", "2026-01-05T18:35 Mon",
        ])
        #expect(try times("10/20 * * * *", after: "2026-01-05T10:07", count: 3) == [
            "2026-01-05T10:10 Mon", "2026-01-05T10:30 Mon", "2026-01-05T10:50 Mon",
        ])
        #expect(try times("0 0 1 JAN,jul *", after: "2026-01-05T10:07", count: 2) == ["2026-07-01T00:00 Wed", "2027-01-01T00:00 Fri"])
    }

    @Test func weekdayNamesAndNumbers() throws {
        let weekdays = ["2026-01-12T09:00 Mon", "2026-01-13T09:00 Tue"]
        // From Friday after 9:00: the weekend is skipped.
        #expect(try times("0 9 * * MON-FRI", after: "2026-01-09T10:07", count: 2) == weekdays)
        #expect(try times("0 9 * * 1-5", after: "2026-01-09T10:07", count: 2) == weekdays)
        #expect(try times("0 9 * * mon-fri", after: "2026-01-09T10:07", count: 2) == weekdays)
        // 0 and 7 are both Sunday; FRI-SUN wraps to Sunday.
        #expect(try times("0 12 * * 7", after: "2026-01-05T10:07", count: 1) == ["2026-01-11T12:00 Sun"])
        #expect(try times("0 12 * * 0", after: "2026-01-05T10:07", count: 1) == ["2026-01-11T12:00 Sun"])
        #expect(try times("0 12 * * FRI-SUN", after: "2026-01-05T10:07", count: 3) == [
            "2026-01-09T12:00 Fri", "2026-01-10T12:00 Sat", "2026-01-11T12:00 Sun",
        ])
    }

    @Test func dayOfMonthAndDayOfWeekMatchEitherWhenBothAreRestricted() throws {
        // The 1st of the month OR any Monday.
        #expect(try times("0 0 1 * MON", after: "2026-01-20T10:07", count: 4) == [
            "2026-01-26T00:00 Mon", "2026-02-01T00:00 Sun", "2026-02-02T00:00 Mon", "2026-02-09T00:00 Mon",
        ])
        // A day-of-month field starting with `*` does not widen: odd days AND Mondays.
        #expect(try times("0 0 */2 * MON", after: "2026-01-01T00:00", count: 3) == [
            "2026-01-05T00:00 Mon", "2026-01-19T00:00 Mon", "2026-02-09T00:00 Mon",
        ])
        // Only the day of month restricted: weekdays don't matter.
        #expect(try times("0 0 13 * *", after: "2026-01-01T00:00", count: 2) == ["2026-01-13T00:00 Tue", "2026-02-13T00:00 Fri"])
    }

    @Test func shorthandsAndLeapDays() throws {
        #expect(try times("@hourly", after: "2026-01-05T10:07", count: 1) == ["2026-01-05T11:00 Mon"])
        #expect(try times("@daily", after: "2026-01-05T10:07", count: 1) == ["2026-01-06T00:00 Tue"])
        #expect(try times("@weekly", after: "2026-01-05T10:07", count: 1) == ["2026-01-11T00:00 Sun"])
        #expect(try times("@monthly", after: "2026-01-05T10:07", count: 1) == ["2026-02-01T00:00 Sun"])
        #expect(try times("@yearly", after: "2026-01-05T10:07", count: 1) == ["2027-01-01T00:00 Fri"])
        #expect(try times("0 0 29 2 *", after: "2026-01-05T10:07", count: 2) == ["2028-02-29T00:00 Tue", "2032-02-29T00:00 Sun"])
    }

    @Test func localTimeInATimeZone() throws {
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        // 9:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer.
        #expect(try times("0 9 * * *", after: "2026-01-05T10:07", count: 1, zone: newYork) == ["2026-01-05T14:00 Mon"])
        #expect(try times("0 9 * * *", after: "2026-07-01T10:07", count: 1, zone: newYork) == ["2026-07-01T13:00 Wed"])
        // Across the spring change (2026-03-08): 8:00 local each day, one UTC hour earlier after it.
        #expect(try times("0 8 * * *", after: "2026-03-07T00:00", count: 2, zone: newYork) == [
            "2026-03-07T13:00 Sat", "2026-03-08T12:00 Sun",
        ])
        let cron = try CronExpression("30 2 * * *", timeZone: newYork)
        // 2:30 does not exist on 2026-03-08 in New York: that day is skipped.
        #expect(cron.next(after: date("2026-03-07T12:00")).map(text) == "2026-03-09T06:30 Mon")
        #expect(cron.matches(date("2026-03-09T06:30")), "2:30 EDT on March 9th")
    }

    @Test(arguments: [
        ("60 * * * *", "minute field: 60 is out of range 0-59"),
        ("* 24 * * *", "hour field: 24 is out of range 0-23"),
        ("* * 0 * *", "day-of-month field: 0 is out of range 1-31"),
        ("* * * 13 *", "month field: 13 is out of range 1-12"),
        ("* * * * 8", "day-of-week field: 8 is out of range 0-7"),
        ("* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 4"),
        ("0 * * * * *", "without a seconds field"),
        ("5-1 * * * *", "the range `5-1` goes backwards"),
        ("*/0 * * * *", "the step in `*/0` must be a whole number of at least 1"),
        ("1,,2 * * * *", "has an empty list item"),
        ("0 9 * * MOM", "did you mean `MON`?"),
        ("0 9 * JUNE *", "is not a number from 1 to 12 or a name (JAN-DEC)"),
        ("@hourli", "did you mean `@hourly`?"),
        ("0 0 30 2 *", "never matches a date"),
    ])
    func errorsNameTheFieldAndTheProblem(expression: String, message: String) {
        let error = #expect(throws: CronError.self) { try CronExpression(expression) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
    }
}
