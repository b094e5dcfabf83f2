/// How a number is shown: counts, money, shares and durations, each compact on charts (`1.2k`, `$1.4M`) and in
/// full in tables (`1,234`, `$1,400,000`). Formatting is locale-independent, so output is the same everywhere.
public enum ValueFormat: Sendable, Hashable {
    /// Whole numbers: `1,234`, compact `1.2k`.
    case integer
    /// Decimals with this many fraction digits.
    case decimal(fractionDigits: Int)
    /// Money with a prefix symbol: `$48,200`, compact `$48.2k`, `$1.4M`.
    case currency(symbol: String)
    /// A fraction shown as a percentage: `0.423` → `42.3%`.
    case percent
    /// A number of days: `12.5 d`.
    case days
    /// A number of hours: `3.2 h`.
    case hours

    /// US dollars.
    public static let dollars = ValueFormat.currency(symbol: "$")

    /// How much room a formatted value may take.
    public enum Style: Sendable, Hashable {
        /// Short forms for charts and headline figures: `1.2k`, `$1.4M`, `42%`.
        case compact
        /// Every digit, with thousands separators, for tables.
        case full
    }

    /// `value` formatted in `style`; not-a-number and infinities show a dash.
    public func string(for value: Double, style: Style = .compact) -> String {
        guard value.isFinite else { return "—" }
        switch self {
        case .integer:
            return style == .compact
                ? NumberText.compact(value, fractionDigits: 0) : NumberText.grouped(value, fractionDigits: 0)
        case .decimal(let digits):
            let digits = max(0, min(digits, 6))
            return style == .compact
                ? NumberText.compact(value, fractionDigits: digits, trimsZeros: false)
                : NumberText.grouped(value, fractionDigits: digits)
        case .currency(let symbol):
            let magnitude =
                style == .compact
                ? NumberText.compact(abs(value), fractionDigits: 0) : NumberText.grouped(abs(value), fractionDigits: 0)
            return (value < 0 && magnitude != "0" ? "-" : "") + symbol + magnitude
        case .percent:
            return style == .compact
                ? NumberText.compact(value * 100, fractionDigits: 1) + "%"
                : NumberText.grouped(value * 100, fractionDigits: 1) + "%"
        case .days:
            return
                (style == .compact
                ? NumberText.compact(value, fractionDigits: 1) : NumberText.grouped(value, fractionDigits: 1)) + " d"
        case .hours:
            return
                (style == .compact
                ? NumberText.compact(value, fractionDigits: 1) : NumberText.grouped(value, fractionDigits: 1)) + " h"
        }
    }

    /// `value` in full when that is short (`6,420`, `$48,250`), compact otherwise (`$1.4M`): for headline figures.
    func fittingString(for value: Double) -> String {
        let full = string(for: value, style: .full)
        return full.count <= 7 ? full : string(for: value, style: .compact)
    }

    /// Whether values in this format are whole units, so an axis never ticks at fractions of them.
    var isIntegral: Bool {
        switch self {
        case .integer, .currency: true
        case .decimal, .percent, .days, .hours: false
        }
    }
}

/// Locale-independent number text: grouped digits and compact suffixes.
enum NumberText {
    /// `1234.5` → `1,234.5` with exactly `fractionDigits` digits after the point.
    static func grouped(_ value: Double, fractionDigits: Int) -> String {
        guard value.isFinite else { return "—" }
        let scale = pow10(fractionDigits)
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return value < 0 ? "-∞" : "∞" }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        let fraction = units % UInt64(scale)
        var digits = String(whole)
        var groupedDigits = ""
        while digits.count > 3 {
            groupedDigits = "," + digits.suffix(3) + groupedDigits
            digits.removeLast(3)
        }
        groupedDigits = digits + groupedDigits
        if fractionDigits > 0 {
            let fractionText = String(fraction)
            groupedDigits += "." + String(repeating: "0", count: fractionDigits - fractionText.count) + fractionText
        }
        return (value < 0 && units > 0 ? "-" : "") + groupedDigits
    }

    /// `1234` → `1.2k`, `1_400_000` → `1.4M`; below a thousand, up to `fractionDigits` digits (trailing zeros
    /// dropped unless `trimsZeros` is false).
    static func compact(_ value: Double, fractionDigits: Int, trimsZeros: Bool = true) -> String {
        guard value.isFinite else { return "—" }
        let magnitude = abs(value)
        let plain = grouped(magnitude, fractionDigits: fractionDigits)
        let sign = value < 0 ? "-" : ""
        if (magnitude * pow10(fractionDigits)).rounded() / pow10(fractionDigits) < 1000 {
            let text = trimsZeros ? trimmed(plain) : plain
            return text == "0" || Double(text) == 0 ? text : sign + text
        }
        let suffixes: [(Double, String)] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")]
        var index = suffixes.firstIndex { magnitude >= $0.0 } ?? suffixes.count - 1
        while true {
            let (unit, suffix) = suffixes[index]
            let scaled = magnitude / unit
            let digits = scaled < 100 ? 1 : 0
            let rounded = (scaled * pow10(digits)).rounded() / pow10(digits)
            if rounded >= 1000, index > 0 {
                index -= 1
                continue
            }
            return sign + trimmed(grouped(rounded, fractionDigits: digits)) + suffix
        }
    }

    /// Drops trailing fraction zeros and a bare point: `12.50` → `12.5`, `3.0` → `3`.
    static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var text = Substring(text)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return String(text)
    }

    static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<max(0, exponent) { result *= 10 }
        return result
    }
}
