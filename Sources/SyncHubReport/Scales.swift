import Foundation

/// A value axis from zero (or below, for negative data) to a round number, ticked at 1, 2 or 5 × 10ⁿ steps.
struct NiceScale: Equatable {
    /// The lowest tick, at or below zero and the smallest value.
    var lower: Double
    /// The highest tick, at or above the largest value.
    var upper: Double
    var step: Double
    var ticks: [Double]

    /// A scale covering `minimum...maximum` and zero with about `tickTarget` intervals.
    /// - Parameter isIntegral: ticks never fall between whole units (counts, money).
    init(minimum: Double, maximum: Double, tickTarget: Int = 5, isIntegral: Bool = false) {
        var low = min(0, minimum.isFinite ? minimum : 0)
        var high = max(0, maximum.isFinite ? maximum : 0)
        if high - low <= 0 {
            high = low + 1
        }
        if isIntegral, high - low < 1 {
            low = low.rounded(.down)
            high = low + 1
        }
        let rough = (high - low) / Double(max(1, tickTarget))
        var exponent = Int(log10(rough).rounded(.down))
        let fraction = rough / Self.power(exponent)
        var mantissa: Int
        switch fraction {
        case ...1: mantissa = 1
        case ...2: mantissa = 2
        case ...5: mantissa = 5
        default:
            mantissa = 1
            exponent += 1
        }
        if isIntegral, exponent < 0 {
            mantissa = 1
            exponent = 0
        }
        let step = Double(mantissa) * Self.power(exponent)
        let first = Int((low / step + 1e-9).rounded(.down))
        let last = Int((high / step - 1e-9).rounded(.up))
        // k·m·10ⁿ computed by division for negative n keeps ticks such as 0.3 exact to the last digit.
        let ticks = (first...max(first + 1, last)).map { k -> Double in
            exponent >= 0
                ? Double(k * mantissa) * Self.power(exponent) : Double(k * mantissa) / Self.power(-exponent)
        }
        self.ticks = ticks
        self.step = step
        self.lower = ticks.first ?? 0
        self.upper = ticks.last ?? 1
    }

    /// Where `value` falls between `start` (at ``lower``) and `end` (at ``upper``).
    func position(_ value: Double, from start: Double, to end: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }

    private static func power(_ exponent: Int) -> Double { pow(10, Double(exponent)) }
}

/// A date axis ticked at whole days, weeks (Mondays), months, quarters or years, labelled in English and UTC.
struct TimeScale: Equatable {
    enum Unit: Equatable { case day, week, month, quarter, year }

    struct Tick: Equatable {
        var date: Date
        var label: String
    }

    var start: Date
    var end: Date
    var unit: Unit
    var ticks: [Tick]

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        calendar.firstWeekday = 2
        return calendar
    }

    /// A scale over `dates` with at most `maximumTicks` ticks; a single date gets a day either side.
    init(covering dates: [Date], maximumTicks: Int = 8) {
        let calendar = Self.calendar
        var start = dates.min() ?? Date(timeIntervalSince1970: 0)
        var end = dates.max() ?? start
        if end <= start {
            start = start.addingTimeInterval(-86_400)
            end = end.addingTimeInterval(86_400)
        }
        self.start = start
        self.end = end
        var chosen: (Unit, [Date]) = (.year, [])
        for unit in [Unit.day, .week, .month, .quarter, .year] {
            let dates = Self.boundaries(of: unit, from: start, to: end, limit: maximumTicks + 1, calendar: calendar)
            chosen = (unit, dates)
            if dates.count <= maximumTicks { break }
        }
        unit = chosen.0
        var ticks = chosen.1
        if ticks.isEmpty { ticks = [start] }
        var labelled: [Tick] = []
        var previousYear: Int?
        for date in ticks {
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let year = parts.year ?? 1970
            let month = (parts.month ?? 1) - 1
            let day = parts.day ?? 1
            let label: String
            switch chosen.0 {
            case .day, .week:
                label =
                    "\(day) \(Self.monthNames[month])" + (previousYear == nil || previousYear != year ? " \(year)" : "")
            case .month:
                label = Self.monthNames[month] + (previousYear == nil || month == 0 ? " \(year)" : "")
            case .quarter:
                label = "Q\(month / 3 + 1) \(year)"
            case .year:
                label = "\(year)"
            }
            previousYear = year
            labelled.append(Tick(date: date, label: label))
        }
        self.ticks = labelled
    }

    /// Where `date` falls between `from` (at ``start``) and `to` (at ``end``).
    func position(_ date: Date, from: Double, to: Double) -> Double {
        from + date.timeIntervalSince(start) / end.timeIntervalSince(start) * (to - from)
    }

    /// The unit's boundaries within `start...end`, stopping after `limit`.
    private static func boundaries(of unit: Unit, from start: Date, to end: Date, limit: Int, calendar: Calendar)
        -> [Date]
    {
        var parts = calendar.dateComponents([.year, .month, .day], from: start)
        let step: DateComponents
        switch unit {
        case .day:
            step = DateComponents(day: 1)
        case .week:
            let weekday = calendar.component(.weekday, from: start)  // 1 = Sunday
            parts.day = (parts.day ?? 1) - ((weekday + 5) % 7)
            step = DateComponents(day: 7)
        case .month:
            parts.day = 1
            step = DateComponents(month: 1)
        case .quarter:
            parts.day = 1
            parts.month = ((parts.month ?? 1) - 1) / 3 * 3 + 1
            step = DateComponents(month: 3)
        case .year:
            parts.day = 1
            parts.month = 1
            step = DateComponents(year: 1)
        }
        guard var date = calendar.date(from: parts) else { return [] }
        var result: [Date] = []
        while date <= end, result.count < limit {
            if date >= start { result.append(date) }
            guard let next = calendar.date(byAdding: step, to: date) else { break }
            date = next
        }
        return result
    }
}
