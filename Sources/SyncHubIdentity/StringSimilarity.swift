/// Similarity of short byte strings (names, streets, cities), allocation-free.
enum StringSimilarity {
    /// Jaro–Winkler similarity in 0...1 (prefix scale 0.1, up to 4 common leading bytes). Strings longer than 64
    /// bytes are compared on their first 64.
    static func jaroWinkler(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        let jaro = jaro(a, b)
        guard jaro > 0.7 else { return jaro }
        var prefix = 0
        let limit = min(4, min(a.count, b.count))
        while prefix < limit, a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    static func jaro(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        let lengthA = min(a.count, 64), lengthB = min(b.count, 64)
        if lengthA == 0 || lengthB == 0 { return lengthA == lengthB ? 1 : 0 }
        let window = max(0, max(lengthA, lengthB) / 2 - 1)
        var matchedA: UInt64 = 0, matchedB: UInt64 = 0
        var matches = 0
        for i in 0..<lengthA {
            let low = max(0, i - window), high = min(lengthB - 1, i + window)
            if low > high { continue }
            let byte = a[i]
            for j in low...high where matchedB & (1 << UInt64(j)) == 0 && b[j] == byte {
                matchedA |= 1 << UInt64(i)
                matchedB |= 1 << UInt64(j)
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0
        var j = 0
        for i in 0..<lengthA where matchedA & (1 << UInt64(i)) != 0 {
            while matchedB & (1 << UInt64(j)) == 0 { j += 1 }
            if a[i] != b[j] { transpositions += 1 }
            j += 1
        }
        let m = Double(matches)
        return (m / Double(lengthA) + m / Double(lengthB) + (m - Double(transpositions / 2)) / m) / 3
    }

    static func jaroWinkler(_ a: String, _ b: String) -> Double {
        var a = a, b = b
        return a.withUTF8 { pa in b.withUTF8 { pb in jaroWinkler(pa, pb) } }
    }

    /// Whether `a` and `b` are at most two edits apart (insertions, deletions, substitutions, swaps of neighbours).
    static func withinTwoEdits(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = a.count, m = b.count
        guard abs(n - m) <= 2 else { return false }
        guard n > 0, m > 0 else { return max(n, m) <= 2 }
        // Optimal string alignment distance, three rows.
        var beforePrevious = [Int](repeating: 0, count: m + 1), previous = [Int](0...m), current = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            current[0] = i
            var rowMinimum = i
            for j in 1...m {
                var cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { cost = min(cost, beforePrevious[j - 2] + 1) }
                current[j] = cost
                rowMinimum = min(rowMinimum, cost)
            }
            if rowMinimum > 2 { return false }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[m] <= 2
    }

    /// Whether `a` and `b` differ by at most one substitution, insertion, deletion or adjacent transposition.
    static func withinOneEdit(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let la = a.count, lb = b.count
        if abs(la - lb) > 1 { return false }
        var i = 0
        while i < la, i < lb, a[i] == b[i] { i += 1 }
        if i == la && i == lb { return true }
        if la == lb {
            // Substitution, or transposition of i and i+1.
            var k = i + 1
            while k < la, a[k] == b[k] { k += 1 }
            if k == la { return true }
            if i + 1 < la, a[i] == b[i + 1], a[i + 1] == b[i] {
                k = i + 2
                while k < la, a[k] == b[k] { k += 1 }
                return k == la
            }
            return false
        }
        // Insertion/deletion at i.
        let (long, short) = la > lb ? (a, b) : (b, a)
        var k = i
        while k < short.count, long[k + 1] == short[k] { k += 1 }
        return k == short.count
    }
}

/// American Soundex of folded names, packed in 32 bits (`robert` → R163); 0 for an empty name.
enum Soundex {
    static let codes: [UInt8] = {
        var codes = [UInt8](repeating: 0, count: 256)
        for (letters, code) in [("bfpv", 1), ("cgjkqsxz", 2), ("dt", 3), ("l", 4), ("mn", 5), ("r", 6)] {
            for byte in letters.utf8 { codes[Int(byte)] = UInt8(code) }
        }
        // h and w do not separate equal codes; vowels (code 0) do.
        codes[Int(UInt8(ascii: "h"))] = 7
        codes[Int(UInt8(ascii: "w"))] = 7
        return codes
    }()

    static func code(_ name: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var first: UInt8 = 0
        var result: UInt32 = 0
        var length = 0
        var last: UInt8 = 0
        for byte in name where byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") {
            let code = codes[Int(byte)]
            if first == 0 {
                first = byte
                last = code
                continue
            }
            if code == 7 { continue }
            if code != 0, code != last {
                result = result * 10 + UInt32(code)
                length += 1
                if length == 3 { break }
            }
            last = code
        }
        guard first != 0 else { return 0 }
        while length < 3 { result *= 10; length += 1 }
        return UInt32(first) << 16 | result
    }
}
