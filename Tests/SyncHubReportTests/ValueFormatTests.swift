import Testing

@testable import SyncHubReport

@Suite struct ValueFormatTests {
    @Test(arguments: [
        (0.0, "0"), (7, "7"), (950, "950"), (999.6, "1k"), (1_234, "1.2k"), (12_345, "12.3k"), (123_456, "123k"),
        (999_950, "1M"), (1_400_000, "1.4M"), (2_500_000_000, "2.5B"), (-1_234, "-1.2k"), (-0.2, "0"),
    ])
    func integersAreCompactOnCharts(value: Double, expected: String) {
        #expect(ValueFormat.integer.string(for: value) == expected)
    }

    @Test func integersAreGroupedInTables() {
        #expect(ValueFormat.integer.string(for: 1_234_567, style: .full) == "1,234,567")
        #expect(ValueFormat.integer.string(for: 999, style: .full) == "999")
        #expect(ValueFormat.integer.string(for: -4_200.4, style: .full) == "-4,200")
    }

    @Test func money() {
        #expect(ValueFormat.dollars.string(for: 1_400_000) == "$1.4M")
        #expect(ValueFormat.dollars.string(for: 48_250) == "$48.3k")
        #expect(ValueFormat.dollars.string(for: 48_250, style: .full) == "$48,250")
        #expect(ValueFormat.dollars.string(for: 950) == "$950")
        #expect(ValueFormat.dollars.string(for: -1_200) == "-$1.2k")
        #expect(ValueFormat.currency(symbol: "€").string(for: 0) == "€0")
    }

    @Test func shares() {
        #expect(ValueFormat.percent.string(for: 0.423) == "42.3%")
        #expect(ValueFormat.percent.string(for: 0.2) == "20%")
        #expect(ValueFormat.percent.string(for: 0.95, style: .full) == "95.0%")
        #expect(ValueFormat.percent.string(for: 1) == "100%")
        #expect(ValueFormat.percent.string(for: 0.0004) == "0%")
    }

    @Test func durationsAndDecimals() {
        #expect(ValueFormat.hours.string(for: 3.24) == "3.2 h")
        #expect(ValueFormat.days.string(for: 47) == "47 d")
        #expect(ValueFormat.days.string(for: 1_500) == "1.5k d")
        #expect(ValueFormat.days.string(for: 12.5, style: .full) == "12.5 d")
        #expect(ValueFormat.decimal(fractionDigits: 2).string(for: 3.14159) == "3.14")
        #expect(ValueFormat.decimal(fractionDigits: 2).string(for: 1_234.5, style: .full) == "1,234.50")
    }

    @Test func notANumberIsADash() {
        #expect(ValueFormat.integer.string(for: .nan) == "—")
        #expect(ValueFormat.dollars.string(for: .infinity, style: .full) == "—")
    }

    @Test func headlineFiguresStayInFullWhileShort() {
        #expect(ValueFormat.integer.fittingString(for: 6_420) == "6,420")
        #expect(ValueFormat.dollars.fittingString(for: 48_250) == "$48,250")
        #expect(ValueFormat.dollars.fittingString(for: 5_690_000) == "$5.7M")
    }
}
