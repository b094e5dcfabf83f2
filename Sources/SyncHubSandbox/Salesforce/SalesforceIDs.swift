/// Salesforce record ids: 15 case-sensitive characters (a 3-character key prefix, an instance part, a base-62
/// counter) plus a 3-character suffix that encodes the case of the first 15, making the 18-character form
/// case-insensitive.
///
/// The simulator's counters are fixed-width base 62 in ASCII order (`0-9A-Za-z`), so within one object, id order is
/// creation order, and comparing ids as strings agrees with comparing their counters.
enum SalesforceID {
    static let digits: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    static let suffixAlphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".utf8)
    /// The part between the key prefix and the counter (`Hs` pod, one reserved `0`).
    static let instance: [UInt8] = Array("Hs0".utf8)
    static let counterWidth = 9

    /// The 18-character id of the `counter`-th record (from 1) with `prefix`.
    static func make(prefix: String, counter: Int) -> String {
        var bytes = Array(prefix.utf8)
        bytes.append(contentsOf: instance)
        var value = counter
        var counterBytes = [UInt8](repeating: digits[0], count: counterWidth)
        var position = counterWidth - 1
        while value > 0, position >= 0 {
            counterBytes[position] = digits[value % 62]
            value /= 62
            position -= 1
        }
        bytes.append(contentsOf: counterBytes)
        bytes.append(contentsOf: suffix(of: bytes))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The 3-character case-encoding suffix of a 15-character id.
    static func suffix(of id15: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for chunk in 0..<3 {
            var bits = 0
            for i in 0..<5 {
                let c = id15[chunk * 5 + i]
                if c >= UInt8(ascii: "A"), c <= UInt8(ascii: "Z") { bits |= 1 << i }
            }
            out.append(suffixAlphabet[bits])
        }
        return out
    }

    static func isIDCharacter(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    }

    /// The canonical 18-character form of a 15- or 18-character id, or `nil` when `text` is not shaped like an id.
    /// An 18-character id may come in any case: its suffix restores the case of the first 15.
    static func canonical(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 15 || bytes.count == 18, bytes.allSatisfy(isIDCharacter) else { return nil }
        if bytes.count == 15 { return String(decoding: bytes + suffix(of: bytes), as: UTF8.self) }
        var id15 = Array(bytes[0..<15])
        for chunk in 0..<3 {
            let upper = bytes[15 + chunk] >= 97 ? bytes[15 + chunk] - 32 : bytes[15 + chunk]
            guard let bits = suffixAlphabet.firstIndex(of: upper) else { return nil }
            for i in 0..<5 {
                let index = chunk * 5 + i
                let c = id15[index]
                let isLetter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
                guard isLetter else {
                    if bits & (1 << i) != 0 { return nil }
                    continue
                }
                let wantUpper = bits & (1 << i) != 0
                if wantUpper, c >= 97 { id15[index] = c - 32 }
                if !wantUpper, c <= 90 { id15[index] = c + 32 }
            }
        }
        return String(decoding: id15 + suffix(of: id15), as: UTF8.self)
    }

    /// The key prefix (first 3 characters).
    static func prefix(of id: String) -> Substring { id.prefix(3) }

    /// The counter of a simulator-made id, or `nil` when the id was not made by ``make(prefix:counter:)``.
    static func counter(of id: String) -> Int? {
        let bytes = Array(id.utf8)
        guard bytes.count == 18, Array(bytes[3..<6]) == instance else { return nil }
        var value = 0
        for c in bytes[6..<15] {
            let d = digitValues[Int(c)]
            guard d >= 0 else { return nil }
            value = value * 62 + Int(d)
        }
        return value
    }

    static let digitValues: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (value, c) in digits.enumerated() { table[Int(c)] = Int8(value) }
        return table
    }()
}
