import Foundation
import SyncHubCore

/// Time helpers in HubSpot's spellings.
enum HubSpotTime {
    /// ISO-8601 in UTC as HubSpot's Java backend prints it: milliseconds only when they are not zero
    /// (`2025-03-01T10:00:00.123Z`, `2025-03-01T10:00:00Z`).
    static func iso(_ ms: Int64) -> String {
        Timestamps.format(millisecondsSinceEpoch: ms, withMilliseconds: ms % 1000 != 0)
    }

    /// `YYYY-MM-DD` of a time.
    static func day(_ ms: Int64) -> String { String(iso(ms).prefix(10)) }

    /// Milliseconds since 1970 of a date.
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Reads a filter or property value as a time: epoch milliseconds, or any ISO or date spelling.
    static func parse(_ text: String) -> Int64? {
        if let value = Int64(text), text.count >= 10 || value == 0 { return value }
        return Timestamps.milliseconds(text)
    }

    static let dayMs: Int64 = 86_400_000
}
