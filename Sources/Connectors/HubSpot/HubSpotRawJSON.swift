import Foundation

/// The bytes of each element of one array member of a JSON object, exactly as HubSpot sent them.
///
/// Records keep their raw payload for audit and replay. Cutting it out of the response body is byte-exact and
/// costs a scan, where serializing the parsed value again costs as much as parsing it (it was the largest cost of
/// reading email events).
enum HubSpotRawJSON {
    /// The elements of the array `member` of the top-level object in `body`, in order; `nil` when the body is not an
    /// object holding that array (callers then serialize the parsed values).
    static func elements(of member: String, in body: Data) -> [[UInt8]]? {
        body.withUnsafeBytes { raw -> [[UInt8]]? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var scanner = Scanner(bytes: bytes)
            guard let range = scanner.arrayMember(Array(member.utf8)) else { return nil }
            return range.map { Array(UnsafeBufferPointer(rebasing: bytes[$0])) }
        }
    }

    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

        mutating func skipWhitespace() {
            while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
        }

        /// Moves past the string starting at `index` (a `"`); false when it does not end.
        mutating func skipString() -> Bool {
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""):
                    index += 1
                    return true
                default: index += 1
                }
            }
            return false
        }

        /// Moves past the value starting at `index`; false when it is malformed.
        mutating func skipValue() -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""): return skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        guard skipString() else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return true
                        }
                    default: break
                    }
                    index += 1
                }
                return false
            default:
                let start = index
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || Self.isWhitespace(byte) {
                        break
                    }
                    index += 1
                }
                return index > start
            }
        }

        /// The element ranges of array member `name` of the top-level object.
        mutating func arrayMember(_ name: [UInt8]) -> [Range<Int>]? {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
            index += 1
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
                let keyStart = index + 1
                guard skipString() else { return nil }
                let key = bytes[keyStart..<(index - 1)]
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                skipWhitespace()
                if key.elementsEqual(name) {
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
                    return elements()
                }
                guard skipValue() else { return nil }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
            }
        }

        /// The ranges of the elements of the array starting at `index`.
        mutating func elements() -> [Range<Int>]? {
            index += 1
            var ranges: [Range<Int>] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { return ranges }
            while true {
                skipWhitespace()
                let start = index
                guard skipValue() else { return nil }
                ranges.append(start..<index)
                skipWhitespace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: "]") { return ranges }
                guard bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
            }
        }
    }
}
