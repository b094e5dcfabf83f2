import Foundation
import Testing

@testable import SyncHubReport

@Suite struct ScaleTests {
    /// Whether `step` is 1, 2 or 5 times a power of ten.
    static func isNice(_ step: Double) -> Bool {
        let exponent = log10(step).rounded(.down)
        let mantissa = step / pow(10, exponent)
        return [1.0, 2, 5, 10].contains { abs(mantissa - $0) < 1e-9 }
    }

    @Test(arguments: [0.95, 1, 3, 7, 10, 42, 99, 100, 101, 133, 1_234, 9_999, 48_250, 1_420_000, 0.0031])
    func ticksAreRoundAndCoverTheData(maximum: Double) {
        let scale = NiceScale(minimum: 0, maximum: maximum)
        #expect(Self.isNice(scale.step), "step \(scale.step)")
        #expect(scale.lower == 0)
        #expect(scale.upper >= maximum)
        #expect(scale.upper - maximum < scale.step + 1e-12, "no empty tick above the data")
        #expect((3...11).contains(scale.ticks.count), "\(scale.ticks)")
        for (index, tick) in scale.ticks.enumerated() {
            #expect(abs(tick - Double(index) * scale.step) < scale.step * 1e-9)
            // Ticks print as short decimals, never 0.30000000000000004.
            #expect(String(tick).count <= 12, "\(tick)")
        }
    }

    @Test func examples() {
        #expect(NiceScale(minimum: 0, maximum: 0.95).ticks == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(NiceScale(minimum: 0, maximum: 1_234).ticks == [0, 500, 1_000, 1_500])
        #expect(NiceScale(minimum: 0, maximum: 170).ticks == [0, 50, 100, 150, 200])
        #expect(NiceScale(minimum: -30, maximum: 70).ticks == [-40, -20, 0, 20, 40, 60, 80])
    }

    @Test func wholeUnitsNeverTickAtFractions() {
        let scale = NiceScale(minimum: 0, maximum: 3, isIntegral: true)
        #expect(scale.ticks.allSatisfy { $0 == $0.rounded() })
        #expect(NiceScale(minimum: 0, maximum: 0, isIntegral: true).ticks == [0, 1])
    }

    @Test func allZeroDataStillHasAnAxis() {
        let scale = NiceScale(minimum: 0, maximum: 0)
        #expect(scale.upper > scale.lower)
        #expect(scale.position(0, from: 100, to: 0) == 100)
    }

    @Test func positionsAreLinear() {
        let scale = NiceScale(minimum: 0, maximum: 100)
        #expect(scale.position(0, from: 10, to: 210) == 10)
        #expect(scale.position(50, from: 10, to: 210) == 110)
        #expect(scale.position(100, from: 10, to: 210) == 210)
    }

    static func date(_ year: Int, _ month: Int, _ day: Int) -> Date { ShowcasePage.date(year, month, day) }

    @Test func monthsAreLabelledWithTheYearOnceAndInJanuary() {
        let dates = (10...12).map { Self.date(2025, $0, 1) } + (1...4).map { Self.date(2026, $0, 1) }
        let scale = TimeScale(covering: dates)
        #expect(scale.unit == .month)
        #expect(scale.ticks.map(\.label) == ["Oct 2025", "Nov", "Dec", "Jan 2026", "Feb", "Mar", "Apr"])
    }

    @Test func fourWeeksTickOnMondays() {
        let dates = (0..<28).map { Self.date(2026, 3, 1).addingTimeInterval(Double($0) * 86_400) }
        let scale = TimeScale(covering: dates)
        #expect(scale.unit == .week)
        let weekdays = scale.ticks.map { TimeScale.calendar.component(.weekday, from: $0.date) }
        #expect(weekdays.allSatisfy { $0 == 2 })
        #expect(scale.ticks.first?.label == "2 Mar 2026")
        #expect(scale.ticks.count == 4)
    }

    @Test func yearsOfDataTickAtQuartersOrYears() {
        let dates = (0..<36).map { TimeScale.calendar.date(byAdding: .month, value: $0, to: Self.date(2024, 1, 1))! }
        let scale = TimeScale(covering: dates)
        #expect(scale.unit == .year)
        #expect(scale.ticks.map(\.label) == ["2024", "2025", "2026"])
        let quarters = TimeScale(covering: Array(dates.prefix(18)))
        #expect(quarters.unit == .quarter)
        #expect(quarters.ticks.first?.label == "Q1 2024")
    }

    @Test func aSingleDateGetsRoomEitherSide() {
        let day = Self.date(2026, 5, 4)
        let scale = TimeScale(covering: [day])
        #expect(scale.start < day && day < scale.end)
        #expect(scale.position(day, from: 0, to: 100) == 50)
    }
}
