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

    /// `value` formatted in `style`.
    public func string(for value: Double, style: Style = .compact) -> String {
        fatalError("not yet")
    }
}
