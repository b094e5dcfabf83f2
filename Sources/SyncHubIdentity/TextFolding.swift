/// Byte-level folding of text for matching: lower-case ASCII letters and digits, accents and diacritics folded
/// (`é` → `e`, `ß` → `ss`, `Ø` → `o`), every other character a word break. Other scripts pass through unchanged.
enum TextFolding {
    /// Folded forms of U+00C0 … U+017F (Latin-1 Supplement letters and Latin Extended-A), `" "` for non-letters.
    static let latin: [[UInt8]] = {
        let supplement = [
            "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
            "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "ss",
            "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
            "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "y",
        ]
        // Latin Extended-A, U+0100 … U+017F, by runs of one folded letter.
        let runs: [(Int, String)] = [
            (6, "a"), (8, "c"), (4, "d"), (10, "e"), (8, "g"), (4, "h"), (10, "i"), (2, "ij"), (2, "j"), (3, "k"),
            (10, "l"), (9, "n"), (6, "o"), (2, "oe"), (6, "r"), (8, "s"), (6, "t"), (12, "u"), (2, "w"), (3, "y"),
            (6, "z"), (1, "s"),
        ]
        var table = supplement.map { Array($0.utf8) }
        for (count, letters) in runs { table += Array(repeating: Array(letters.utf8), count: count) }
        precondition(table.count == 0x180 - 0xC0)
        return table
    }()

    /// Appends the folded bytes of `text` to `output`: words of `[a-z0-9]` (and non-Latin UTF-8) separated by
    /// single spaces, without leading or trailing space. An apostrophe joins (`O'Brien` → `obrien`).
    static func fold(_ text: String, into output: inout [UInt8]) {
        var text = text
        text.withUTF8 { fold($0, into: &output) }
    }

    static func fold(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        let start = output.count
        var pendingSpace = false
        @inline(__always) func emit(_ byte: UInt8) {
            if pendingSpace {
                if output.count > start { output.append(0x20) }
                pendingSpace = false
            }
            output.append(byte)
        }
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): emit(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): emit(byte + 32)
                case UInt8(ascii: "'"), UInt8(ascii: "`"): break
                default: pendingSpace = true
                }
                continue
            }
            // Two-byte sequences: Latin-1 letters, Latin Extended-A, combining marks.
            if byte >= 0xC2, byte <= 0xDF, index + 1 < count {
                let scalar = (Int(byte & 0x1F) << 6) | Int(bytes[index + 1] & 0x3F)
                index += 2
                if scalar >= 0xC0, scalar < 0x180 {
                    let folded = latin[scalar - 0xC0]
                    if folded.first == 0x20 { pendingSpace = true } else { for b in folded { emit(b) } }
                } else if scalar >= 0x300, scalar < 0x370 {
                    continue  // combining diacritical mark (decomposed input)
                } else if scalar < 0xC0 {
                    pendingSpace = true  // Latin-1 punctuation and symbols (no-break space, «, ©...)
                } else {
                    emit(byte)
                    output.append(bytes[index - 1])
                }
                continue
            }
            // Right single quotation mark (U+2019) joins like an apostrophe; other punctuation of U+2000…U+206F breaks.
            if byte == 0xE2, index + 2 < count, bytes[index + 1] == 0x80 || bytes[index + 1] == 0x81 {
                let isApostrophe = bytes[index + 1] == 0x80 && bytes[index + 2] == 0x99
                index += 3
                if !isApostrophe { pendingSpace = true }
                continue
            }
            // Any other multi-byte character passes through whole.
            var length = 1
            if byte >= 0xF0 { length = 4 } else if byte >= 0xE0 { length = 3 } else if byte >= 0xC0 { length = 2 }
            let end = min(count, index + length)
            emit(bytes[index])
            for i in (index + 1)..<end { output.append(bytes[i]) }
            index = end
        }
    }

    /// Folded text as a `String` (empty when nothing is left).
    static func folded(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        fold(text, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// The words of folded bytes.
    static func words(_ folded: [UInt8]) -> [ArraySlice<UInt8>] {
        folded.split(separator: 0x20)
    }

    /// 64-bit FNV-1a of bytes, seeded so keys of different kinds never collide by construction.
    @inline(__always)
    static func hash(_ bytes: some Collection<UInt8>, seed: UInt64 = 0) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (seed &* 0x9E37_79B9_7F4A_7C15)
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash == 0 ? 1 : hash
    }

    /// The SplitMix64 finalizer: a bijective scramble of 64 bits.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
