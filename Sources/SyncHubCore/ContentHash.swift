/// A fast 64-bit fingerprint of a record's bytes (FNV-1a), to tell changed records from unchanged ones.
/// Not cryptographic: it only has to notice edits.
public enum ContentHash {
    public static func of(_ bytes: some Sequence<UInt8>) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return Int64(bitPattern: hash)
    }

    public static func of(_ text: String) -> Int64 { of(text.utf8) }

    /// Fingerprint as 16 hex digits.
    public static func hex(_ value: Int64) -> String {
        let raw = String(UInt64(bitPattern: value), radix: 16)
        return String(repeating: "0", count: 16 - raw.count) + raw
    }
}
