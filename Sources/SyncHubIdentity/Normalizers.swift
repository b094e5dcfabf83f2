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

    /// Appends the matching form of `raw` to `output` (letters only, no spaces).
    static func normalize(_ raw: String, scratch: inout [UInt8], into output: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        TextFolding.fold(raw, into: &scratch)
        var words = scratch.split(separator: 0x20)
        // Titles lead; suffixes trail. Keep at least one word.
        while words.count > 1, titles.contains(String(decoding: words[0], as: UTF8.self)) { words.removeFirst() }
        while words.count > 1, suffixes.contains(String(decoding: words[words.count - 1], as: UTF8.self)) { words.removeLast() }
        for word in words {
            for byte in word where !(byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) { output.append(byte) }
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
    static func e164Digits(_ raw: String, defaultCountry: String) -> UInt64 {
        let country = defaultCountry.uppercased()
        let countryCode = callingCodes[country] ?? "1"
        // "+44 (0)20 …": the bracketed trunk zero is not dialled from abroad.
        var raw = raw.contains("(0)") ? String(raw.split(separator: "(0)", omittingEmptySubsequences: false).joined()) : raw
        return raw.withUTF8 { bytes -> UInt64 in
            var digits: [UInt8] = []
            digits.reserveCapacity(16)
            var plus = false
            var seenDigit = false
            for byte in bytes {
                if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                    digits.append(byte - UInt8(ascii: "0"))
                    seenDigit = true
                    if digits.count > 20 { return 0 }
                } else if byte == UInt8(ascii: "+"), !seenDigit {
                    plus = true
                } else if seenDigit, byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X") || byte == UInt8(ascii: "#") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                    break  // extension
                } else if byte >= UInt8(ascii: "A"), !(byte >= 0x80) {
                    if !seenDigit { continue }
                    break
                }
            }
            var international: ArraySlice<UInt8>
            if plus {
                international = digits[...]
            } else if digits.count > 2, digits[0] == 0, digits[1] == 0 {
                international = digits.dropFirst(2)
            } else if countryCode == "1", digits.count > 3, digits[0] == 0, digits[1] == 1, digits[2] == 1 {
                international = digits.dropFirst(3)
            } else if countryCode == "1" {
                if digits.count == 11, digits[0] == 1 {
                    international = digits[...]
                } else if digits.count == 10, digits[0] >= 2 {
                    international = ([1] + digits)[...]
                } else {
                    return 0
                }
            } else {
                var national = digits[...]
                if national.first == 0, !keepsTrunkZero.contains(country) { national = national.dropFirst() }
                guard national.count >= 6 else { return 0 }
                international = (countryCode.utf8.map { $0 - UInt8(ascii: "0") } + national)[...]
            }
            guard international.count >= 8, international.count <= 15, international.first != 0 else { return 0 }
            if international.first == 1, international.count != 11 { return 0 }
            var value: UInt64 = 0
            for digit in international { value = value * 10 + UInt64(digit) }
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

    /// Appends the matching form (words separated by spaces) to `output`.
    static func normalize(_ raw: String, scratch: inout [UInt8], into output: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        TextFolding.fold(raw, into: &scratch)
        var words: [[UInt8]] = []
        // Runs of single letters are one word: "L.L.C." is "llc", "I.B.M." is "ibm".
        var lastIsLetterRun = false
        for word in scratch.split(separator: 0x20) {
            if word.count == 1, lastIsLetterRun {
                words[words.count - 1].append(word[word.startIndex])
            } else {
                words.append(Array(word))
                lastIsLetterRun = word.count == 1
            }
        }
        if words.count > 1, words[0] == Array("the".utf8) { words.removeFirst() }
        while words.count > 1, legalForms.contains(String(decoding: words[words.count - 1], as: UTF8.self)) { words.removeLast() }
        for (index, word) in words.enumerated() {
            if index > 0 { output.append(0x20) }
            output.append(contentsOf: word)
        }
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

    static func normalize(_ raw: String, scratch: inout [UInt8], into output: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        // A comma or "#" starts a secondary part ("1553 Elm Road, Suite 800"): cut at the first comma after a word.
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
        for word in scratch.split(separator: 0x20) {
            let text = String(decoding: word, as: UTF8.self)
            if units.contains(text), output.count > start { break }
            if output.count > start { output.append(0x20) }
            if let short = abbreviations[text] { output.append(contentsOf: short.utf8) } else { output.append(contentsOf: word) }
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

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
