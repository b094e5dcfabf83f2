/// The fields probabilistic matching compares and the outcomes each comparison can have.
///
/// A comparison vector ("gamma") packs one level per field in 4 bits: 0 is missing (either side has no value),
/// 1... index the field's outcomes (1 is the best agreement, the last is disagreement). Bit 63 marks a pair whose
/// first and last names matched crosswise (swapped).
enum MatchField: Int, CaseIterable, Sendable {
    case firstName, lastName, email, phone, birthDate, address, company, personalID

    var name: String {
        switch self {
        case .firstName: "firstName"
        case .lastName: "lastName"
        case .email: "email"
        case .phone: "phone"
        case .birthDate: "birthDate"
        case .address: "address"
        case .company: "company"
        case .personalID: "personalID"
        }
    }

    /// Outcome names from best agreement to disagreement (level 1...count).
    var outcomes: [String] {
        switch self {
        case .firstName: ["exact", "nickname", "fuzzy", "similar", "initial", "different"]
        case .lastName: ["exact", "fuzzy", "similar", "different"]
        case .email: ["exact", "sameDomain", "different"]
        case .phone: ["exact", "fuzzy", "different"]
        case .birthDate: ["exact", "transposed", "close", "different"]
        case .address: ["exact", "fuzzy", "postalCode", "city", "different"]
        case .company: ["exact", "fuzzy", "different"]
        case .personalID: ["exact", "typo", "different"]
        }
    }

    var levelCount: Int { outcomes.count }
    /// The level of disagreement (the last outcome).
    var differentLevel: Int { outcomes.count }

    static let count = allCases.count
    static let swappedBit: UInt64 = 1 << 63

    @inline(__always) static func level(_ gamma: UInt64, _ field: Int) -> Int { Int((gamma >> UInt64(4 * field)) & 0xF) }
    @inline(__always) static func level(_ gamma: UInt64, _ field: MatchField) -> Int { level(gamma, field.rawValue) }

    /// Whether the names of a pair rule out one person: both records have both names and one of them disagrees
    /// outright (not a nickname, typo, initial or swap).
    static func namesConflict(_ gamma: UInt64) -> Bool {
        let first = level(gamma, .firstName), last = level(gamma, .lastName)
        return first == MatchField.firstName.differentLevel || last == MatchField.lastName.differentLevel
    }

    /// Whether something specific to the person agrees besides the names: an email, a phone, a date of birth, a
    /// personal id, an address outside a shared company (an office is shared), or the company when both names agree
    /// (a family name alone, or a given name alone, at one company is a colleague as often as not).
    static func corroborated(_ gamma: UInt64) -> Bool {
        let company = level(gamma, .company)
        if level(gamma, .email) == 1 { return true }
        let personalID = level(gamma, .personalID)
        if personalID == 1 || personalID == 2 { return true }
        let phone = level(gamma, .phone)
        if phone == 1 || phone == 2 { return true }
        let birth = level(gamma, .birthDate)
        if birth >= 1, birth <= 3 { return true }
        let address = level(gamma, .address)
        if address == 1 || address == 2, company != 1 { return true }
        let first = level(gamma, .firstName), last = level(gamma, .lastName)
        if company == 1 || company == 2, first >= 1, first <= 3, last >= 1, last <= 2 { return true }
        return false
    }

    /// Whether both names disagree outright (no review either: these are two people).
    static func bothNamesDiffer(_ gamma: UInt64) -> Bool {
        level(gamma, .firstName) == MatchField.firstName.differentLevel && level(gamma, .lastName) == MatchField.lastName.differentLevel
    }
}

/// Compares two records' features into a comparison vector.
struct FieldComparator {
    let arena: UnsafeBufferPointer<UInt8>

    @inline(__always) func text(_ ref: TextRef) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: arena[Int(ref.offset)..<Int(ref.offset + ref.length)])
    }

    @inline(__always) func jaroWinkler(_ a: TextRef, _ b: TextRef) -> Double {
        StringSimilarity.jaroWinkler(text(a), text(b))
    }

    /// Jaro–Winkler of two texts, or 0 when it cannot reach `threshold`: a letter only one text has cannot match,
    /// which bounds the matches, hence the similarity, before any comparison.
    @inline(__always) func jaroWinkler(_ a: TextRef, _ b: TextRef, atLeast threshold: Double) -> Double {
        let la = Int(a.length), lb = Int(b.length)
        guard la > 0, lb > 0 else { return 0 }
        let matches = min(la - (a.letters & ~b.letters).nonzeroBitCount, lb - (b.letters & ~a.letters).nonzeroBitCount)
        guard matches > 0 else { return 0 }
        let m = Double(matches)
        let jaroBound = (m / Double(la) + m / Double(lb) + 1) / 3
        guard jaroBound + 0.4 * (1 - jaroBound) >= threshold else { return 0 }
        return StringSimilarity.jaroWinkler(text(a), text(b))
    }

    func compare(_ a: RecordFeatures, _ b: RecordFeatures) -> UInt64 {
        var gamma: UInt64 = 0
        @inline(__always) func set(_ field: MatchField, _ level: Int) { gamma |= UInt64(level) << UInt64(4 * field.rawValue) }

        // Names, straight and (when the straight comparison disagrees) crosswise.
        var firstLevel = firstNameLevel(a, b)
        var lastLevel = lastNameLevel(a.last, a.lastText, b.last, b.lastText)
        // (Only when a crosswise Soundex or nickname agrees: the swap needs one name to agree crosswise.)
        if firstLevel >= 4 || lastLevel >= 3,
            a.firstSoundex == b.lastSoundex || a.lastSoundex == b.firstSoundex
                || (a.lastNicknames != 0 && b.nicknames != 0 && Self.sharesGroup(a.lastNicknames, b.nicknames))
                || (a.nicknames != 0 && b.lastNicknames != 0 && Self.sharesGroup(a.nicknames, b.lastNicknames))
        {
            // a's first name is b's last name and the other way round (a nickname counts).
            var crossFirst = lastNameLevel(a.first, a.firstText, b.last, b.lastText)
            var crossLast = lastNameLevel(a.last, a.lastText, b.first, b.firstText)
            if crossFirst > 1, a.nicknames != 0, b.lastNicknames != 0, Self.sharesGroup(a.nicknames, b.lastNicknames) { crossFirst = 1 }
            if crossLast > 1, a.lastNicknames != 0, b.nicknames != 0, Self.sharesGroup(a.lastNicknames, b.nicknames) { crossLast = 1 }
            let bothPresent = crossFirst != 0 && crossLast != 0
            let oneExactOtherClose = (crossFirst == 1 && crossLast != 0 && crossLast <= 3) || (crossLast == 1 && crossFirst != 0 && crossFirst <= 3)
            if bothPresent, (crossFirst <= 2 && crossLast <= 2) || oneExactOtherClose, !(firstLevel != 0 && firstLevel <= 3 && lastLevel != 0 && lastLevel <= 2) {
                firstLevel = crossLast == 1 ? 1 : 3
                lastLevel = crossFirst <= 2 ? crossFirst : 2
                gamma |= MatchField.swappedBit
            } else if lastLevel == 4, (a.first == 0) != (b.first == 0) {
                // One record lacks the given name and has the other's given name as family name.
                let lone = a.first == 0 ? lastNameLevel(b.first, b.firstText, a.last, a.lastText) : lastNameLevel(a.first, a.firstText, b.last, b.lastText)
                if lone == 1 {
                    lastLevel = 1
                    gamma |= MatchField.swappedBit
                }
            }
        }
        set(.firstName, firstLevel)
        set(.lastName, lastLevel)

        // Email: personal mailboxes only (role addresses were dropped).
        if a.email1 != 0, b.email1 != 0 {
            let same = a.email1 == b.email1 || (b.email2 != 0 && a.email1 == b.email2) || (a.email2 != 0 && (a.email2 == b.email1 || a.email2 == b.email2))
            // Two addresses at one company domain are usually two colleagues.
            let sameDomain = !same && a.emailDomain == b.emailDomain && !a.emailDomainIsFree
            set(.email, same ? 1 : sameDomain ? 2 : 3)
        }
        if a.phone != 0, b.phone != 0 {
            let extensionsDiffer = a.phoneExtension != 0 && b.phoneExtension != 0 && a.phoneExtension != b.phoneExtension
            set(.phone, extensionsDiffer ? MatchField.phone.differentLevel : phoneLevel(a.phone, b.phone))
        }
        if a.birthDate != 0, b.birthDate != 0 { set(.birthDate, birthDateLevel(a.birthDate, b.birthDate)) }
        if a.personalID != 0, b.personalID != 0 { set(.personalID, personalIDLevel(a, b)) }
        set(.address, addressLevel(a, b))
        set(.company, companyLevel(a, b))
        return gamma
    }

    /// Street, postal code and city as one comparison (they are not independent): exact 1 (same street and
    /// postal code or city), fuzzy 2 (street alike), postalCode 3, city 4, different 5; 0 when nothing compares.
    func addressLevel(_ a: RecordFeatures, _ b: RecordFeatures) -> Int {
        let streets = a.street != 0 && b.street != 0
        let postals = a.postal != 0 && b.postal != 0
        let cities = a.city != 0 && b.city != 0
        guard streets || postals || cities else { return 0 }
        let postalLevel = postals ? self.postalLevel(a.postal, b.postal) : 0
        // The city and the street are compared only when they can change the outcome.
        var cityLevel = -1
        func city() -> Int {
            if cityLevel < 0 { cityLevel = cities ? (a.city == b.city ? 1 : jaroWinkler(a.cityText, b.cityText, atLeast: 0.9) >= 0.9 ? 2 : 3) : 0 }
            return cityLevel
        }
        if streets {
            let placeAgrees = postalLevel == 1 || postalLevel == 2 || (postalLevel != 3 && (city() == 1 || city() == 2))
            let noPlace = postalLevel == 0 && !cities
            if a.street == b.street {
                // (The same street in the same city with another postal code is a typo in the postal code.)
                if postalLevel == 1 || (postalLevel == 0 && city() == 1) { return 1 }
                if placeAgrees || noPlace || city() == 1 { return 2 }
            } else if placeAgrees || noPlace, a.houseNumber == 0 || b.houseNumber == 0 || a.houseNumber == b.houseNumber,
                jaroWinkler(a.streetText, b.streetText, atLeast: 0.88) >= 0.88
            {
                return 2
            }
        }
        if postalLevel == 1 { return 3 }
        if postalLevel != 3, city() == 1 { return 4 }
        return 5
    }

    /// Company names and company domains as one comparison: exact 1 (a name or domain in common, also a name
    /// against a domain: `Bluepeak Software` and `bluepeak-software.com`), fuzzy 2, different 3; 0 when nothing compares.
    func companyLevel(_ a: RecordFeatures, _ b: RecordFeatures) -> Int {
        let names = a.company != 0 && b.company != 0
        let domains = a.domain != 0 && b.domain != 0
        let crossAB = a.companyCompact != 0 && b.domainLabel != 0
        let crossBA = b.companyCompact != 0 && a.domainLabel != 0
        guard names || domains || crossAB || crossBA else { return 0 }
        if names, a.company == b.company { return 1 }
        if domains, a.domain == b.domain { return 1 }
        if crossAB, a.companyCompact == b.domainLabel { return 1 }
        if crossBA, b.companyCompact == a.domainLabel { return 1 }
        if names, companyFuzzy(a.companyText, b.companyText) { return 2 }
        return 3
    }

    func firstNameLevel(_ a: RecordFeatures, _ b: RecordFeatures) -> Int {
        guard a.first != 0, b.first != 0 else { return 0 }
        // An initial says little, even when both records have the same one.
        if a.firstText.length == 1 || b.firstText.length == 1 {
            let initialA = arena[Int(a.firstText.offset)], initialB = arena[Int(b.firstText.offset)]
            if initialA == initialB { return 5 }
            // `L.` for Elizabeth (Liz), `B.` for William (Bill).
            if a.firstText.length == 1, Nicknames.initial(initialA, abbreviates: b.nicknames) { return 5 }
            if b.firstText.length == 1, Nicknames.initial(initialB, abbreviates: a.nicknames) { return 5 }
            return 6
        }
        if a.first == b.first { return 1 }
        if a.nicknames != 0, b.nicknames != 0, Self.sharesGroup(a.nicknames, b.nicknames) { return 2 }
        let similarity = jaroWinkler(a.firstText, b.firstText, atLeast: 0.85)
        if similarity >= 0.92 { return 3 }
        let ta = text(a.firstText), tb = text(b.firstText)
        // One typo is fuzzy too, whatever Jaro–Winkler says of short strings (Mei, Mi); in short names only a
        // dropped, doubled or swapped letter (Mary and Mark are two names).
        if Self.oneTypo(ta, tb) { return 3 }
        if Self.anyGroup(b.nicknames, { Self.typo(ta, known: a.nicknames != 0, ofAnyNameOf: $0) })
            || Self.anyGroup(a.nicknames, { Self.typo(tb, known: b.nicknames != 0, ofAnyNameOf: $0) }) {
            return 3
        }
        return similarity >= 0.85 ? 4 : 6
    }

    /// Whether `name` (`known`: a name of some nickname group) is a typo of a name of nickname group `group`:
    /// - one typo (``oneTypo(_:_:)``) from one of them: a mistyped nickname or first letter (`Dbe` and Deborah
    ///   through Deb, `Jaes` and Jim through James, `Nargaret` and Maggie through Margaret);
    /// - for a name no group knows, also one changed letter after its first (`Jom` and James through Jim, `Dkt` and
    ///   Dorothy through Dot). A known name one letter from another (`Tim`, `Tom`), or another first letter (`Jill`,
    ///   `Bill`), is another name.
    static func typo(_ name: UnsafeBufferPointer<UInt8>, known: Bool, ofAnyNameOf group: UInt16) -> Bool {
        oneTypo(name, fromAnyNameOf: group) || (!known && oneEdit(name, fromAnyNameOf: group))
    }

    /// Whether `name` (three letters or more) is one edit, a changed letter too, from a name of nickname group
    /// `group` with its first letter.
    static func oneEdit(_ name: UnsafeBufferPointer<UInt8>, fromAnyNameOf group: UInt16) -> Bool {
        guard name.count >= 3 else { return false }
        for member in Nicknames.groupMembers[Int(group)] where abs(member.count - name.count) <= 1 && member.count >= 3 && member[0] == name[0] {
            if member.withUnsafeBufferPointer({ StringSimilarity.withinOneEdit(name, $0) }) { return true }
        }
        return false
    }

    /// Whether `test` holds for one of the packed nickname groups (16 bits each).
    @inline(__always) static func anyGroup(_ packedGroups: UInt64, _ test: (UInt16) -> Bool) -> Bool {
        var groups = packedGroups
        while groups != 0 {
            if test(UInt16(groups & 0xFFFF)) { return true }
            groups >>= 16
        }
        return false
    }

    /// Whether `name` is one typo (``oneTypo(_:_:)``) from a name of nickname group `group`.
    static func oneTypo(_ name: UnsafeBufferPointer<UInt8>, fromAnyNameOf group: UInt16) -> Bool {
        for member in Nicknames.groupMembers[Int(group)] where abs(member.count - name.count) <= 1 {
            if member.withUnsafeBufferPointer({ oneTypo(name, $0) }) { return true }
        }
        return false
    }

    /// exact 1, fuzzy 2, similar 3, different 4 (also the levels of crosswise comparisons).
    func lastNameLevel(_ hashA: UInt64, _ textA: TextRef, _ hashB: UInt64, _ textB: TextRef) -> Int {
        guard hashA != 0, hashB != 0 else { return 0 }
        let ta = text(textA), tb = text(textB)
        if ta.count == tb.count, memcmpEqual(ta, tb) { return 1 }
        let similarity = jaroWinkler(textA, textB, atLeast: 0.85)
        if similarity == 0 { return 4 }
        if similarity >= 0.92 { return 2 }
        if Self.oneTypo(ta, tb) { return 2 }
        return similarity >= 0.85 ? 3 : 4
    }

    /// One typo between two names: any single edit from five letters on; below, a letter dropped, doubled or
    /// two letters swapped (not changed).
    static func oneTypo(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard min(a.count, b.count) >= 2, StringSimilarity.withinOneEdit(a, b) else { return false }
        if min(a.count, b.count) >= 5 || a.count != b.count { return true }
        var differing = 0
        for index in 0..<a.count where a[index] != b[index] { differing += 1 }
        return differing == 2  // a swap of neighbours (one edit apart with two positions differing)
    }

    @inline(__always) func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in 0..<a.count where a[index] != b[index] { return false }
        return true
    }

    static func sharesGroup(_ a: UInt64, _ b: UInt64) -> Bool {
        var x = a
        while x != 0 {
            let group = x & 0xFFFF
            var y = b
            while y != 0 {
                if y & 0xFFFF == group { return true }
                y >>= 16
            }
            x >>= 16
        }
        return false
    }

    func companyFuzzy(_ a: TextRef, _ b: TextRef) -> Bool {
        let ta = text(a), tb = text(b)
        if jaroWinkler(a, b, atLeast: 0.92) >= 0.92 { return true }
        // One name is the other's leading words ("acme" and "acme software").
        let (short, long) = ta.count <= tb.count ? (ta, tb) : (tb, ta)
        guard short.count >= 4, long.count > short.count, long[short.count] == 0x20 else { return false }
        return memcmpEqual(short, UnsafeBufferPointer(rebasing: long[0..<short.count]))
    }

    /// exact 1; fuzzy 2 (one digit substituted or two adjacent digits swapped, or the same last 7 digits); 3.
    func phoneLevel(_ a: UInt64, _ b: UInt64) -> Int {
        if a == b { return 1 }
        if a % 10_000_000 == b % 10_000_000 { return 2 }
        var x = a, y = b
        var differences = 0
        var previous: (UInt64, UInt64) = (10, 10)
        var swapped = false
        while x != 0 || y != 0 {
            let dx = x % 10, dy = y % 10
            if dx != dy {
                if differences == 1, previous.0 == dy, previous.1 == dx, !swapped {
                    swapped = true
                } else {
                    differences += 1
                    if differences > 1 { return 3 }
                }
                previous = (dx, dy)
            } else {
                previous = (10, 10)
            }
            x /= 10
            y /= 10
        }
        return 2
    }

    /// Whether two dates of birth are too different to be one person's (not equal, swapped or one typo apart).
    static func birthDateConflict(_ a: Int32, _ b: Int32) -> Bool { birthDateLevel(a, b) == MatchField.birthDate.differentLevel }

    func birthDateLevel(_ a: Int32, _ b: Int32) -> Int { Self.birthDateLevel(a, b) }

    /// exact 1; day and month swapped 2; year off by one or one digit different 3; different 4.
    static func birthDateLevel(_ a: Int32, _ b: Int32) -> Int {
        if a == b { return 1 }
        let ya = a / 10000, ma = a / 100 % 100, da = a % 100
        let yb = b / 10000, mb = b / 100 % 100, db = b % 100
        if ya == yb, ma == db, da == mb { return 2 }
        if ma == mb, da == db, abs(ya - yb) == 1 { return 3 }
        var x = a, y = b, differences = 0
        for _ in 0..<8 {
            if x % 10 != y % 10 { differences += 1 }
            x /= 10
            y /= 10
        }
        return differences == 1 ? 3 : 4
    }

    /// exact 1; typo 2 (one character added, dropped, changed, or two neighbours swapped); different 3.
    func personalIDLevel(_ a: RecordFeatures, _ b: RecordFeatures) -> Int {
        if a.personalID == b.personalID { return 1 }
        return StringSimilarity.withinOneEdit(text(a.personalIDText), text(b.personalIDText)) ? 2 : 3
    }

    /// exact 1; partial 2 (same first three characters, or one character different); different 3.
    func postalLevel(_ a: UInt64, _ b: UInt64) -> Int {
        if a == b { return 1 }
        guard a >> 63 == 0, b >> 63 == 0 else { return 3 }
        let la = (64 - a.leadingZeroBitCount + 7) / 8, lb = (64 - b.leadingZeroBitCount + 7) / 8
        if la >= 3, lb >= 3, a >> UInt64(8 * (la - 3)) == b >> UInt64(8 * (lb - 3)) { return 2 }
        if la == lb {
            var x = a ^ b, differing = 0
            while x != 0 {
                if x & 0xFF != 0 { differing += 1 }
                x >>= 8
            }
            if differing == 1 { return 2 }
            // Two neighbouring characters swapped.
            if differing == 2 {
                for shift in stride(from: 0, to: 8 * (la - 1), by: 8) {
                    let swapped = (a & ~(0xFFFF << UInt64(shift))) | ((a >> UInt64(shift)) & 0xFF) << UInt64(shift + 8) | ((a >> UInt64(shift + 8)) & 0xFF) << UInt64(shift)
                    if swapped == b { return 2 }
                }
            }
        }
        return 3
    }
}
