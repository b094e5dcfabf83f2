/// Durations as `connectors.yml` and the command line spell them: `30s`, `15m`, `1h`, `1d`, `250ms`, `1h30m`.
public enum DurationText {
    /// Reads `30s`, `15m`, `1h`, `1d`, `250ms` or `1h30m`; `nil` when unreadable or empty.
    public static func parse(_ text: String) -> Duration? {
        let scalars = Array(text.unicodeScalars.filter { $0 != " " })
        guard !scalars.isEmpty else { return nil }
        var milliseconds: Int64 = 0
        var index = 0
        while index < scalars.count {
            var digits = ""
            while index < scalars.count, ("0"..."9").contains(scalars[index]) || scalars[index] == "." {
                digits.unicodeScalars.append(scalars[index])
                index += 1
            }
            var unit = ""
            while index < scalars.count, ("a"..."z").contains(scalars[index]) {
                unit.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard let amount = Double(digits), amount >= 0, amount.isFinite else { return nil }
            let scale: Double
            switch unit {
            case "ms": scale = 1
            case "s": scale = 1000
            case "m": scale = 60_000
            case "h": scale = 3_600_000
            case "d": scale = 86_400_000
            default: return nil
            }
            let value = amount * scale
            guard value < 1e15 else { return nil }
            milliseconds += Int64(value.rounded())
        }
        return .milliseconds(milliseconds)
    }

    /// `15m`, `1h30m`, `2d`, `500ms`, `0s`: the shortest spelling `parse` reads back.
    public static func format(_ duration: Duration) -> String {
        var milliseconds = milliseconds(duration)
        guard milliseconds > 0 else { return "0s" }
        var out = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] where milliseconds >= size {
            out += "\(milliseconds / size)\(unit)"
            milliseconds %= size
        }
        return out
    }

    /// Whole milliseconds of `duration`, rounded down.
    public static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Seconds of `duration` as a floating-point number.
    public static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
