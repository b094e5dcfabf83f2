import Foundation
import SyncHubCore

/// Pieces of SOQL text: literals, names, and Salesforce ids.
enum SOQL {
    /// A quoted string literal; SOQL escapes with a backslash (`O\'Brien`).
    static func string(_ text: String) -> String {
        var out = "'"
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.append(character)
            }
        }
        return out + "'"
    }

    /// A dateTime literal in UTC, `2025-03-04T05:06:07Z` (SOQL "Date Formats and Date Literals": no quotes);
    /// milliseconds are written only when the instant has them (Salesforce stores whole seconds).
    static func dateTime(millisecondsSinceEpoch ms: Int64) -> String {
        Timestamps.format(millisecondsSinceEpoch: ms, withMilliseconds: ms % 1000 != 0)
    }

    /// Whether `name` is a field name or a relationship path (`Account.Name`, `Loss_Reason__c`): letters, digits,
    /// `_` and `.` only, so it can go into a query as written.
    static func isFieldPath(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_" || scalar == ".")
        } && !name.hasSuffix(".") && !name.contains("..")
    }

    /// Percent-encodes a query for `?q=`: everything but unreserved characters, so `+` stays a plus.
    static func encodeQueryParameter(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

/// Salesforce record ids: 15 case-sensitive characters, or 18 with a case-folding checksum suffix.
enum SalesforceID {
    /// Whether `text` looks like a record id (15 or 18 letters and digits).
    static func isValid(_ text: String) -> Bool {
        (text.utf8.count == 15 || text.utf8.count == 18)
            && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }
    }

    /// The case-sensitive 15-character form, which both spellings share.
    static func short(_ text: String) -> String { String(text.prefix(15)) }

    /// The object's key prefix (`003` contact, `00Q` lead).
    static func prefix(_ text: String) -> String { String(text.prefix(3)) }
}
