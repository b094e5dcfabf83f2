/// Person names for matching: accents folded, case and punctuation dropped, titles and generational suffixes
/// removed (`Dr. José O'Brien-Smith Jr.` → `joseobriensmith`).
public enum PersonName {
    static let titles: Set<String> = ["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "herr", "frau", "mme", "mlle", "m"]
    static let suffixes: Set<String> = ["jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "mba", "cpa", "dds", "jd"]

    /// The matching form of a name, `nil` when nothing is left.
    public static func normalize(_ raw: String) -> String? {
        var scratch: [UInt8] = []
        var output: [UInt8] = []
        normalize(raw, scratch: &scratch, into: &output)
        return output.isEmpty ? nil : String(decoding: output, as: UTF8.self)
    }

    static let titleHashes = Set(titles.map { TextFolding.hash($0.utf8) })
    static let suffixHashes = Set(suffixes.map { TextFolding.hash($0.utf8) })

    /// Appends the matching form of `raw` to `output` (letters only, no spaces). Allocation-free with reused buffers.
    static func normalize(_ raw: String, scratch: inout [UInt8], into output: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        TextFolding.fold(raw, into: &scratch)
        let count = scratch.count
        guard count > 0 else { return }
        // Word bounds: titles lead, suffixes trail; keep at least one word.
        var start = 0, end = count
        while true {
            guard let space = scratch[start..<end].firstIndex(of: 0x20) else { break }
            guard titleHashes.contains(TextFolding.hash(scratch[start..<space])) else { break }
            start = space + 1
        }
        while true {
            guard let space = scratch[start..<end].lastIndex(of: 0x20) else { break }
            guard suffixHashes.contains(TextFolding.hash(scratch[(space + 1)..<end])) else { break }
            end = space
        }
        for index in start..<end {
            let byte = scratch[index]
            if byte != 0x20, !(byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) { output.append(byte) }
        }
    }
}

/// Phone numbers in E.164 (`+14155550123`).
public enum PhoneNumber {
    /// Country calling codes by ISO 3166 alpha-2 code.
    public static let callingCodes: [String: String] = [
        "US": "1", "CA": "1", "PR": "1", "GB": "44", "UK": "44", "IE": "353", "FR": "33", "DE": "49", "ES": "34", "IT": "39",
        "NL": "31", "BE": "32", "LU": "352", "CH": "41", "AT": "43", "SE": "46", "NO": "47", "DK": "45", "FI": "358",
        "PT": "351", "PL": "48", "CZ": "420", "HU": "36", "GR": "30", "RO": "40", "AU": "61", "NZ": "64", "IN": "91",
        "JP": "81", "CN": "86", "HK": "852", "SG": "65", "KR": "82", "BR": "55", "MX": "52", "AR": "54", "CL": "56",
        "CO": "57", "ZA": "27", "IL": "972", "AE": "971", "TR": "90", "RU": "7", "UA": "380", "IS": "354", "EE": "372",
    ]
    /// Countries whose national numbers keep their leading 0 after the country code.
    static let keepsTrunkZero: Set<String> = ["IT"]

    /// `raw` in E.164, reading numbers without a country code as numbers of `defaultCountry`; `nil` when it cannot
    /// be a phone number. Extensions (`x123`, `ext. 4`) are dropped.
    public static func e164(_ raw: String, defaultCountry: String = "US") -> String? {
        let digits = e164Digits(raw, defaultCountry: defaultCountry)
        return digits == 0 ? nil : "+\(digits)"
    }

    /// The digits of the E.164 form as a number (E.164 has at most 15 digits), 0 when not a phone number.
    /// The default country of numbers without a country code, resolved once.
    struct Context: Sendable {
        let countryCode: [UInt8]
        let keepsTrunkZero: Bool
        var isNANP: Bool { countryCode == [1] }

        init(defaultCountry: String) {
            let country = defaultCountry.uppercased()
            countryCode = (callingCodes[country] ?? "1").utf8.map { $0 - UInt8(ascii: "0") }
            keepsTrunkZero = PhoneNumber.keepsTrunkZero.contains(country)
        }
    }

    static func e164Digits(_ raw: String, defaultCountry: String) -> UInt64 {
        e164Digits(raw, context: Context(defaultCountry: defaultCountry))
    }

    static func e164Digits(_ raw: String, context: Context) -> UInt64 {
        var raw = raw
        return raw.withUTF8 { bytes -> UInt64 in
            // Up to 20 digits, without allocating.
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // three packs of up to 8 digits, 8 bits each
            var count = 0
            @inline(__always) func digit(_ index: Int) -> UInt8 {
                let pack = index < 8 ? digits.0 : index < 16 ? digits.1 : digits.2
                return UInt8(truncatingIfNeeded: pack >> UInt64(8 * (index % 8)))
            }
            var plus = false
            var seenDigit = false
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                // "+44 (0)20 …": the bracketed trunk zero is not dialled from abroad.
                if byte == UInt8(ascii: "("), index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "0"), bytes[index + 2] == UInt8(ascii: ")") {
                    index += 3
                    continue
                }
                index += 1
                if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                    guard count < 20 else { return 0 }
                    let value = UInt64(byte - UInt8(ascii: "0")) << UInt64(8 * (count % 8))
                    if count < 8 { digits.0 |= value } else if count < 16 { digits.1 |= value } else { digits.2 |= value }
                    count += 1
                    seenDigit = true
                } else if byte == UInt8(ascii: "+"), !seenDigit {
                    plus = true
                } else if seenDigit, byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X") || byte == UInt8(ascii: "#") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                    break  // extension
                } else if byte >= UInt8(ascii: "A"), byte < 0x80 {
                    if !seenDigit { continue }
                    break
                }
            }
            // The international digits: a prefix to add, and the range of the digits read to keep.
            var prefix: [UInt8] = []
            var start = 0
            if plus {
                start = 0
            } else if count > 2, digit(0) == 0, digit(1) == 0 {
                start = 2
            } else if context.isNANP, count > 3, digit(0) == 0, digit(1) == 1, digit(2) == 1 {
                start = 3
            } else if context.isNANP {
                if count == 11, digit(0) == 1 {
                    start = 0
                } else if count == 10, digit(0) >= 2 {
                    prefix = [1]
                } else {
                    return 0
                }
            } else {
                if count > 0, digit(0) == 0, !context.keepsTrunkZero { start = 1 }
                guard count - start >= 6 else { return 0 }
                prefix = context.countryCode
            }
            let length = prefix.count + count - start
            guard length >= 8, length <= 15 else { return 0 }
            let first = prefix.first ?? digit(start)
            guard first != 0, !(first == 1 && length != 11) else { return 0 }
            var value: UInt64 = 0
            for digitValue in prefix { value = value * 10 + UInt64(digitValue) }
            for position in start..<count { value = value * 10 + UInt64(digit(position)) }
            return value
        }
    }
}

extension PhoneNumber {
    /// The extension of a phone number (`x204`, `ext. 9`, `#12`), 0 when none.
    static func extensionDigits(_ raw: String) -> UInt32 {
        var value: UInt32 = 0
        var seenDigit = false, inExtension = false, digits = 0
        for byte in raw.utf8 {
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if inExtension {
                if isDigit {
                    value = value &* 10 &+ UInt32(byte - UInt8(ascii: "0"))
                    digits += 1
                    if digits > 6 { return 0 }
                } else if digits > 0 {
                    break
                }
            } else if isDigit {
                seenDigit = true
            } else if seenDigit, byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X") || byte == UInt8(ascii: "#") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                inExtension = true
            }
        }
        return value
    }
}

/// Company names for matching: accents, case and punctuation folded, a leading "The" and trailing legal forms
/// dropped (`The Acme Company, Inc.` → `acme`).
public enum CompanyName {
    static let legalForms: Set<String> = [
        "inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "company", "gmbh", "ag", "sa", "sas",
        "sarl", "srl", "spa", "bv", "nv", "plc", "pty", "pte", "llp", "lp", "oy", "oyj", "ab", "as", "asa", "kk", "kg", "ohg",
        "ug", "se", "lda", "sl", "sro", "pvt", "private", "gbr", "ev", "mbh", "cv", "sab", "de", "and",
    ]

    public static func normalize(_ raw: String) -> String? {
        var output: [UInt8] = []
        var scratch: [UInt8] = []
        normalize(raw, scratch: &scratch, into: &output)
        return output.isEmpty ? nil : String(decoding: output, as: UTF8.self)
    }

    static let legalFormHashes = Set(legalForms.map { TextFolding.hash($0.utf8) })
    static let theHash = TextFolding.hash("the".utf8)

    /// Appends the matching form (words separated by spaces) to `output`, allocation-free with reused buffers.
    static func normalize(_ raw: String, scratch: inout [UInt8], into output: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        TextFolding.fold(raw, into: &scratch)
        // Runs of single letters are one word: "L.L.C." is "llc", "I.B.M." is "ibm". Joined in place (the write
        // position never passes the read position).
        let count = scratch.count
        var write = 0, read = 0
        var inLetterRun = false
        while read < count {
            var end = read
            while end < count, scratch[end] != 0x20 { end += 1 }
            let single = end - read == 1
            if single, inLetterRun {
                scratch[write] = scratch[read]
                write += 1
            } else {
                if write > 0 {
                    scratch[write] = 0x20
                    write += 1
                }
                for index in read..<end {
                    scratch[write] = scratch[index]
                    write += 1
                }
                inLetterRun = single
            }
            read = end + 1
        }
        scratch.removeLast(count - write)
        // A leading "the" and trailing legal forms go; at least one word stays.
        var start = 0, end = scratch.count
        if let space = scratch.firstIndex(of: 0x20), TextFolding.hash(scratch[0..<space]) == theHash { start = space + 1 }
        while true {
            guard let space = scratch[start..<end].lastIndex(of: 0x20) else { break }
            guard legalFormHashes.contains(TextFolding.hash(scratch[(space + 1)..<end])) else { break }
            end = space
        }
        output.append(contentsOf: scratch[start..<end])
    }
}

/// Web domains: of a website (`https://www.Acme.com/about` → `acme.com`) or of an email address. Free mail
/// providers are never company evidence.
public enum WebDomain {
    /// The domain of a website address, without scheme, `www.`, port or path; `nil` when implausible.
    public static func normalize(website raw: String) -> String? {
        var bytes = Array(raw.utf8)
        // Lower-case and trim.
        for index in bytes.indices where bytes[index] >= UInt8(ascii: "A") && bytes[index] <= UInt8(ascii: "Z") { bytes[index] += 32 }
        var text = String(decoding: bytes, as: UTF8.self).trimmingSpaces
        if let scheme = text.firstRange(of: "://") { text = String(text[scheme.upperBound...]) }
        if let at = text.lastIndex(of: "@") { text = String(text[text.index(after: at)...]) }
        if let end = text.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" || $0 == ":" }) { text = String(text[..<end]) }
        while text.hasSuffix(".") { text.removeLast() }
        for prefix in ["www.", "www2.", "www3.", "m."] where text.hasPrefix(prefix) {
            text.removeFirst(prefix.count)
            break
        }
        guard text.contains("."), !text.hasPrefix("."), !text.contains(".."),
            text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") })
        else { return nil }
        return text
    }

    /// The company domain a website or email gives, `nil` for free mail providers.
    public static func companyDomain(website raw: String) -> String? {
        guard let domain = normalize(website: raw), !EmailAddress.freeMailDomains.contains(domain) else { return nil }
        return domain
    }

    /// The company domain of an email address, `nil` for free mail providers.
    public static func companyDomain(email raw: String) -> String? {
        guard let normalized = EmailAddress.normalize(raw), let domain = EmailAddress.domain(of: normalized),
            !EmailAddress.freeMailDomains.contains(domain)
        else { return nil }
        return domain
    }
}

/// Street lines for matching: folded, secondary units (`Suite 800`, `Apt 4B`) dropped, common words abbreviated
/// the USPS way (`Street` → `st`, `North` → `n`).
public enum StreetAddress {
    static let abbreviations: [String: String] = [
        "street": "st", "str": "st", "avenue": "ave", "av": "ave", "aven": "ave", "road": "rd", "boulevard": "blvd",
        "boul": "blvd", "drive": "dr", "drv": "dr", "lane": "ln", "court": "ct", "place": "pl", "square": "sq",
        "parkway": "pkwy", "pky": "pkwy", "highway": "hwy", "terrace": "ter", "circle": "cir", "trail": "trl",
        "north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne", "northwest": "nw", "southeast": "se",
        "southwest": "sw", "mount": "mt", "fort": "ft", "saint": "st", "center": "ctr", "centre": "ctr", "plaza": "plz",
        "expressway": "expy", "freeway": "fwy", "alley": "aly", "crescent": "cres", "heights": "hts", "point": "pt",
        "route": "rte", "turnpike": "tpke", "way": "way", "first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th",
        "fifth": "5th", "sixth": "6th", "seventh": "7th", "eighth": "8th", "ninth": "9th", "tenth": "10th",
    ]
    static let units: Set<String> = ["apt", "apartment", "suite", "ste", "unit", "fl", "floor", "rm", "room", "bldg", "building", "po", "dept", "no"]

    public static func normalize(_ raw: String) -> String? {
        var output: [UInt8] = []
        var scratch: [UInt8] = []
        normalize(raw, scratch: &scratch, into: &output)
        return output.isEmpty ? nil : String(decoding: output, as: UTF8.self)
    }

    static let abbreviationsByHash: [UInt64: [UInt8]] = Dictionary(uniqueKeysWithValues: abbreviations.map { (TextFolding.hash($0.key.utf8), Array($0.value.utf8)) })
    static let unitHashes = Set(units.map { TextFolding.hash($0.utf8) })

    static func normalize(_ raw: String, scratch: inout [UInt8], into output: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        // A comma or "#" starts a secondary part ("1553 Elm Road, Suite 800"): cut at the first one after a word.
        var raw = raw
        raw.withUTF8 { bytes in
            var end = bytes.count
            var sawLetter = false
            for (index, byte) in bytes.enumerated() {
                if (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) { sawLetter = true }
                if sawLetter, byte == UInt8(ascii: ",") || byte == UInt8(ascii: "#") || byte == 0x0A {
                    end = index
                    break
                }
            }
            TextFolding.fold(UnsafeBufferPointer(rebasing: bytes[0..<end]), into: &scratch)
        }
        let start = output.count
        var wordStart = 0
        let count = scratch.count
        while wordStart < count {
            var wordEnd = wordStart
            while wordEnd < count, scratch[wordEnd] != 0x20 { wordEnd += 1 }
            let hash = TextFolding.hash(scratch[wordStart..<wordEnd])
            if output.count > start {
                if unitHashes.contains(hash) { break }
                output.append(0x20)
            }
            if let short = abbreviationsByHash[hash] { output.append(contentsOf: short) } else { output.append(contentsOf: scratch[wordStart..<wordEnd]) }
            wordStart = wordEnd + 1
        }
    }
}

/// Postal codes for matching: letters and digits only, lower-case; a US ZIP+4 is its ZIP.
public enum PostalCode {
    public static func normalize(_ raw: String) -> String? {
        var bytes: [UInt8] = []
        for byte in raw.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") || byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") {
                bytes.append(byte)
            } else if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                bytes.append(byte + 32)
            }
        }
        if bytes.count == 9, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), raw.contains("-") { bytes.removeLast(4) }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}

/// Dates of birth: `YYYY-MM-DD` (or `YYYY/MM/DD`, `MM/DD/YYYY`, `DD.MM.YYYY`), as `YYYYMMDD`.
public enum BirthDate {
    public static func parse(_ raw: String) -> Int? {
        var numbers: [Int] = []
        var separators: [UInt8] = []
        var current = -1
        var digits = 0
        for byte in raw.utf8 {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                current = (current < 0 ? 0 : current) * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                if digits > 8 { return nil }
            } else {
                if current >= 0 { numbers.append(current); separators.append(byte) }
                current = -1
                digits = 0
                if byte == UInt8(ascii: "T") || byte == 0x20, numbers.count == 3 { break }
                if numbers.count == 3 { break }
            }
        }
        if current >= 0, numbers.count < 3 { numbers.append(current) }
        var year = 0, month = 0, day = 0
        if numbers.count == 1, numbers[0] >= 1000_0101 {
            year = numbers[0] / 10000; month = numbers[0] / 100 % 100; day = numbers[0] % 100
        } else if numbers.count == 3 {
            if numbers[0] >= 1000 {
                (year, month, day) = (numbers[0], numbers[1], numbers[2])
            } else if numbers[2] >= 1000 {
                let dotted = separators.first == UInt8(ascii: ".")
                (year, month, day) = dotted ? (numbers[2], numbers[1], numbers[0]) : (numbers[2], numbers[0], numbers[1])
            } else {
                return nil
            }
        } else {
            return nil
        }
        guard year >= 1880, year <= 2100, month >= 1, month <= 12, day >= 1, day <= 31 else { return nil }
        return year * 10000 + month * 100 + day
    }
}

/// National, tax, membership and customer numbers: `123-45-6789`, `123 45 6789` and `123456789` are one number.
public enum PersonalID {
    /// The letters (lower-cased) and digits of `raw`, into `output`; empty when fewer than four remain or all are one
    /// character (`000000000`, `xxxx`: a placeholder, not a number).
    public static func normalize(_ raw: String, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        for byte in raw.utf8 {
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if isDigit || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) {
                output.append(byte)
            } else if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                output.append(byte + 32)
            }
        }
        if output.count < 4 || output.allSatisfy({ $0 == output[0] }) { output.removeAll(keepingCapacity: true) }
    }

    /// The normalized number, `nil` when there is none.
    public static func normalized(_ raw: String) -> String? {
        var bytes: [UInt8] = []
        normalize(raw, into: &bytes)
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
