import SyncHubCore

/// The days a report covers, and the moment its data is as of.
public struct ReportPeriod: Sendable, Hashable, Codable {
    /// First day, `YYYY-MM-DD`.
    public let from: String
    /// Last day, `YYYY-MM-DD` (included).
    public let to: String
    /// The moment "now" means for open items (overdue follow-ups, open deals), ISO-8601 UTC.
    public let asOf: String

    /// Midnight UTC starting ``from``.
    public let start: Int64
    /// Midnight UTC after ``to``: the period is `start..<end`.
    public let end: Int64
    public let asOfTime: Int64

    public init(from: String, to: String, asOf: String) {
        self.from = from
        self.to = to
        self.asOf = asOf
        start = milliseconds(from) ?? 0
        end = (milliseconds(to) ?? 0) + dayLength
        asOfTime = milliseconds(asOf) ?? end
    }

    enum CodingKeys: String, CodingKey { case from, to, asOf }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            from: try container.decode(String.self, forKey: .from), to: try container.decode(String.self, forKey: .to),
            asOf: try container.decode(String.self, forKey: .asOf))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(asOf, forKey: .asOf)
    }

    /// The period from `from` to `to` (days, `YYYY-MM-DD` or any date ``Timestamps`` reads). Without `to`: the day
    /// of `asOf`. Without `from`: twelve months back from `to` (`2025-11-01` for a `to` of `2026-10-31`).
    ///
    /// - Throws: ``ReportPeriodError`` when a date is unreadable or `from` is after `to`.
    public static func make(from: String?, to: String?, asOf: Int64) throws(ReportPeriodError) -> ReportPeriod {
        func day(_ text: String, _ option: String) throws(ReportPeriodError) -> String {
            guard let date = Timestamps.date(text) else {
                throw ReportPeriodError(message: "\(option): `\(text)` is not a date; write it as YYYY-MM-DD")
            }
            return date
        }
        let last = try to.map { text throws(ReportPeriodError) in try day(text, "--to") } ?? isoDate(asOf)
        let first: String
        if let from {
            first = try day(from, "--from")
        } else {
            let days = (Timestamps.milliseconds(last) ?? 0) / dayLength
            let (year, month, dayOfMonth) = Timestamps.civil(fromDays: days)
            first = isoDate((Timestamps.days(fromCivil: year - 1, month, dayOfMonth) + 1) * dayLength)
        }
        guard first <= last else {
            throw ReportPeriodError(message: "--from \(first) is after --to \(last); give a --from on or before --to")
        }
        let lastEnd = (Timestamps.milliseconds(last) ?? 0) + dayLength
        let asOfTime = min(asOf, lastEnd - 1)
        return ReportPeriod(from: first, to: last, asOf: isoTime(asOfTime))
    }

    public func contains(_ time: Int64?) -> Bool {
        guard let time else { return false }
        return time >= start && time < end
    }

    /// The calendar months the period touches, `YYYY-MM`, in order.
    public var months: [String] {
        var out: [String] = []
        var cursor = String(from.prefix(7))
        let last = String(to.prefix(7))
        while cursor <= last {
            out.append(cursor)
            cursor = Self.month(after: cursor)
        }
        return out
    }

    /// `YYYY-MM` of a time.
    public static func month(of time: Int64) -> String { String(isoDate(time).prefix(7)) }

    static func month(after month: String) -> String {
        let parts = month.split(separator: "-").compactMap { Int64($0) }
        guard parts.count == 2 else { return "9999-12" }
        let (year, number) = parts[1] == 12 ? (parts[0] + 1, Int64(1)) : (parts[0], parts[1] + 1)
        return Timestamps.pad(year, 4) + "-" + Timestamps.pad(number, 2)
    }

    /// The last moment of a month within the period (or the as-of time, if sooner).
    func endOfMonth(_ month: String) -> Int64 {
        let next = Timestamps.milliseconds(Self.month(after: month) + "-01") ?? end
        return min(next, end, asOfTime + 1) - 1
    }

}

let dayLength: Int64 = 86_400_000

/// A `--from` or `--to` that cannot be a report period.
public struct ReportPeriodError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension Timestamps {
    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// Medians and percentiles.
enum Statistics {
    /// The middle value; the mean of the two middle ones for an even count; `nil` when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The nearest-rank percentile: the smallest value with at least `p` of the values at or below it.
    static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    static func share(_ part: Int, of whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }
}

/// Converts deal amounts to the report currency.
struct Money: Sendable {
    let currency: String
    let rates: [String: Double]

    /// The configured currency, else the one most deals use (`USD` when none says).
    init(settings: ReportSettings, deals: [AlignmentSnapshot.DealRecord]) {
        if let currency = settings.currency {
            self.currency = currency
        } else {
            var counts: [String: Int] = [:]
            for deal in deals { counts[deal.currency ?? "", default: 0] += 1 }
            let best = counts.filter { !$0.key.isEmpty }.max { ($0.value, $1.key) < ($1.value, $0.key) }
            self.currency = best?.key ?? "USD"
        }
        rates = settings.exchangeRates
    }

    /// The deal's amount in the report currency; `nil` without an amount or a rate for its currency.
    func amount(_ deal: AlignmentSnapshot.DealRecord) -> Double? {
        guard let amount = deal.amount else { return nil }
        let code = deal.currency ?? currency
        if code == currency { return amount }
        return rates[code].map { amount * $0 }
    }
}
