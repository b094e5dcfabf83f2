/// A slice of the text arena: offset and length.
struct TextRef: Sendable {
    var offset: UInt32
    var length: UInt32
    /// The letters a–z the text contains, one bit each: a cheap bound on how alike two texts can be.
    var letters: UInt32 = 0
    static let none = TextRef(offset: 0, length: 0)
    var isEmpty: Bool { length == 0 }
}

/// The normalized fields of one record, as numbers and slices of a shared byte arena: computed once, compared
/// many times without touching a `String`. 0 means missing for every hash.
struct RecordFeatures: Sendable {
    var first: UInt64 = 0
    var last: UInt64 = 0
    /// Hash of the formal name of the first name's first nickname group (or of the name itself).
    var canonicalFirst: UInt64 = 0
    /// Up to four nickname group ids of the first name, 16 bits each (and of the last name, for swapped names).
    var nicknames: UInt64 = 0
    var lastNicknames: UInt64 = 0
    var street: UInt64 = 0
    var city: UInt64 = 0
    var company: UInt64 = 0
    /// The company name without spaces (`bluepeaksoftware`), to compare with domain labels.
    var companyCompact: UInt64 = 0
    /// Company domain (from a non-free email or the website), and its first label without hyphens
    /// (`bluepeak-software.com` → `bluepeaksoftware`).
    var domain: UInt64 = 0
    var domainLabel: UInt64 = 0
    /// Street with postal code (or city): one address, for how often addresses are shared.
    var addressKey: UInt64 = 0
    /// Personal (non-role) mailbox keys.
    var email1: UInt64 = 0
    var email2: UInt64 = 0
    /// Domain of `email1` (free mail included) and its local part.
    var emailDomain: UInt64 = 0
    var emailDomainIsFree = false
    var emailLocal: UInt64 = 0
    /// E.164 digits, and the extension (0: none): colleagues share a switchboard number, not an extension.
    var phone: UInt64 = 0
    var phoneExtension: UInt32 = 0
    /// Postal code bytes (up to 8, packed; longer codes hashed).
    var postal: UInt64 = 0
    var firstText = TextRef.none
    var lastText = TextRef.none
    var streetText = TextRef.none
    var cityText = TextRef.none
    var companyText = TextRef.none
    /// A national, tax, membership or customer number (``PersonalID``), and its text for typos.
    var personalID: UInt64 = 0
    var personalIDText = TextRef.none
    /// YYYYMMDD.
    var birthDate: Int32 = 0
    var firstSoundex: UInt32 = 0
    var lastSoundex: UInt32 = 0
    var houseNumber: UInt32 = 0
    /// Deleted records are no probabilistic evidence.
    var active = true
}

/// Hash seeds per kind of value, so equal text in different fields never shares a key.
enum FieldSeed {
    static let first: UInt64 = 1, last: UInt64 = 2, street: UInt64 = 3, city: UInt64 = 4, company: UInt64 = 5
    static let domain: UInt64 = 6, email: UInt64 = 7, local: UInt64 = 8, postal: UInt64 = 9, compact: UInt64 = 10
    static let personalID: UInt64 = 11
}

/// The features of every record and the arena their text lives in.
struct MatchFeatures: Sendable {
    var records: [RecordFeatures]
    var arena: [UInt8]
    /// A fingerprint of each record's reference: pairs are compared in the order of these, so the outcome does not
    /// depend on the order of the input.
    var orientation: [UInt64] = []

    var count: Int { records.count }

    init(records: [RecordFeatures], arena: [UInt8]) {
        self.records = records
        self.arena = arena
    }

    /// Extracts the features of `records` (in parallel, deterministic).
    init(_ records: [IdentityRecord], defaultCountry: String) {
        let parts = Parallel.chunks(records.count, minimumChunk: 8192) { range -> ([RecordFeatures], [UInt8]) in
            var extractor = FeatureExtractor(defaultCountry: defaultCountry)
            var output: [RecordFeatures] = []
            output.reserveCapacity(range.count)
            for index in range { output.append(extractor.extract(records[index])) }
            return (output, extractor.arena)
        }
        let orientation = Parallel.chunks(records.count, minimumChunk: 65536) { range in range.map { IdentityResolver.referenceHash(records[$0].reference) } }
        defer { self.orientation = Array(orientation.joined()) }
        if parts.count == 1 {
            self.init(records: parts[0].0, arena: parts[0].1)
            return
        }
        var all: [RecordFeatures] = []
        all.reserveCapacity(records.count)
        var arena: [UInt8] = []
        arena.reserveCapacity(parts.reduce(0) { $0 + $1.1.count })
        for (features, text) in parts {
            let base = UInt32(arena.count)
            arena.append(contentsOf: text)
            for var feature in features {
                feature.firstText.offset += base
                feature.lastText.offset += base
                feature.streetText.offset += base
                feature.cityText.offset += base
                feature.companyText.offset += base
                feature.personalIDText.offset += base
                all.append(feature)
            }
        }
        self.init(records: all, arena: arena)
    }
}

/// Normalizes records into ``RecordFeatures``, reusing its buffers.
struct FeatureExtractor {
    let defaultCountry: String
    var arena: [UInt8] = []
    /// Nickname groups of given names seen, misspellings included (looked up once per name).
    var nicknameCache: [UInt64: [UInt16]?] = [:]
    var scratch: [UInt8] = []
    var field: [UInt8] = []
    var email: [UInt8] = []
    var firstName: [UInt8] = []
    var lastName: [UInt8] = []

    let phoneContext: PhoneNumber.Context

    init(defaultCountry: String) {
        self.defaultCountry = defaultCountry
        phoneContext = PhoneNumber.Context(defaultCountry: defaultCountry)
        arena.reserveCapacity(1 << 16)
    }

    mutating func extract(_ record: IdentityRecord) -> RecordFeatures {
        var features = RecordFeatures()
        features.active = !record.isDeleted
        let profile = record.profile
        firstName.removeAll(keepingCapacity: true)
        lastName.removeAll(keepingCapacity: true)
        if let raw = profile.firstName { PersonName.normalize(raw, scratch: &scratch, into: &firstName) }
        if let raw = profile.lastName { PersonName.normalize(raw, scratch: &scratch, into: &lastName) }
        // A missing given or family name can be read from a personal email of the form `given.family`, when the
        // part the record does have agrees with it.
        if firstName.isEmpty != lastName.isEmpty {
            for raw in record.emails {
                guard let at = EmailAddress.normalize(raw, into: &email) else { continue }
                if EmailNames.fill(first: &firstName, last: &lastName, local: email[..<at]) { break }
            }
        }
        if !firstName.isEmpty {
            let field = firstName
            features.first = TextFolding.hash(field, seed: FieldSeed.first)
            features.firstText = store(field)
            if let groups = nicknameGroups(field) {
                var packed: UInt64 = 0
                for (slot, group) in groups.prefix(4).enumerated() { packed |= UInt64(group) << (16 * UInt64(slot)) }
                features.nicknames = packed
                let formal = Nicknames.formalNames[Int(groups[0])]
                features.canonicalFirst = TextFolding.hash(formal.utf8, seed: FieldSeed.first)
            } else {
                features.canonicalFirst = features.first
            }
            features.firstSoundex = field.withUnsafeBufferPointer { Soundex.code($0) }
        }
        if !lastName.isEmpty {
            let field = lastName
            features.last = TextFolding.hash(field, seed: FieldSeed.last)
            features.lastText = store(field)
            features.lastSoundex = field.withUnsafeBufferPointer { Soundex.code($0) }
            // A given name in the family-name field (swapped names) still has its nicknames.
            if let groups = Nicknames.groupsByHash[TextFolding.hash(field)] {
                var packed: UInt64 = 0
                for (slot, group) in groups.prefix(4).enumerated() { packed |= UInt64(group) << (16 * UInt64(slot)) }
                features.lastNicknames = packed
            }
        }
        if let raw = profile.street {
            field.removeAll(keepingCapacity: true)
            StreetAddress.normalize(raw, scratch: &scratch, into: &field)
            if !field.isEmpty {
                features.street = TextFolding.hash(field, seed: FieldSeed.street)
                features.streetText = store(field)
                var number: UInt32 = 0
                for byte in field {
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
                    number = number &* 10 &+ UInt32(byte - UInt8(ascii: "0"))
                }
                features.houseNumber = number
            }
        }
        if let raw = profile.city {
            field.removeAll(keepingCapacity: true)
            TextFolding.fold(raw, into: &field)
            if !field.isEmpty {
                features.city = TextFolding.hash(field, seed: FieldSeed.city)
                features.cityText = store(field)
            }
        }
        if let raw = profile.company {
            field.removeAll(keepingCapacity: true)
            CompanyName.normalize(raw, scratch: &scratch, into: &field)
            if !field.isEmpty {
                features.company = TextFolding.hash(field, seed: FieldSeed.company)
                features.companyText = store(field)
                features.companyCompact = TextFolding.hash(field.lazy.filter { $0 != 0x20 }, seed: FieldSeed.compact)
            }
        }
        if let raw = profile.postalCode {
            features.postal = Self.postalKey(raw)
        }
        if let raw = profile.phone {
            features.phone = PhoneNumber.e164Digits(raw, context: phoneContext)
            if features.phone != 0 { features.phoneExtension = PhoneNumber.extensionDigits(raw) }
        }
        if let raw = profile.birthDate, let date = BirthDate.parse(raw) {
            features.birthDate = Int32(date)
        }
        if let raw = profile.personalID {
            PersonalID.normalize(raw, into: &field)
            if !field.isEmpty {
                features.personalID = TextFolding.hash(field, seed: FieldSeed.personalID)
                features.personalIDText = store(field)
            }
        }
        // Emails: personal mailboxes; the first one's domain and local part; company domain from a non-free one.
        for raw in record.emails {
            guard let at = EmailAddress.normalize(raw, into: &email) else { continue }
            let domainHash = TextFolding.hash(email[(at + 1)...])
            let isFree = EmailAddress.freeMailHashes.contains(domainHash)
            if !isFree, features.domain == 0 {
                features.domain = TextFolding.hash(email[(at + 1)...], seed: FieldSeed.domain)
                features.domainLabel = Self.domainLabel(email[(at + 1)...])
            }
            if EmailAddress.roleHashes.contains(TextFolding.hash(email[..<at])) { continue }
            let key = TextFolding.hash(email, seed: FieldSeed.email)
            if features.email1 == 0 {
                features.email1 = key
                features.emailDomain = domainHash
                features.emailDomainIsFree = isFree
                features.emailLocal = TextFolding.hash(email[..<at], seed: FieldSeed.local)
            } else if features.email2 == 0, key != features.email1 {
                features.email2 = key
            }
        }
        if features.domain == 0, let website = profile.website, let domain = WebDomain.companyDomain(website: website) {
            features.domain = TextFolding.hash(domain.utf8, seed: FieldSeed.domain)
            features.domainLabel = Self.domainLabel(Array(domain.utf8)[...])
        }
        if features.street != 0, features.postal != 0 || features.city != 0 {
            features.addressKey = TextFolding.mix(features.street ^ TextFolding.mix(features.postal != 0 ? features.postal : features.city))
        }
        return features
    }

    /// The first label of a domain without hyphens, hashed like a compact company name.
    static func domainLabel(_ domain: ArraySlice<UInt8>) -> UInt64 {
        let label = domain.prefix { $0 != UInt8(ascii: ".") }
        guard label.count >= 2 else { return 0 }
        return TextFolding.hash(label.lazy.filter { $0 != UInt8(ascii: "-") }, seed: FieldSeed.compact)
    }

    private mutating func nicknameGroups(_ name: [UInt8]) -> [UInt16]? {
        let key = TextFolding.hash(name)
        if let cached = nicknameCache[key] { return cached }
        let groups = Nicknames.groups(ofNormalized: name)
        nicknameCache[key] = groups
        return groups
    }

    private mutating func store(_ bytes: [UInt8]) -> TextRef {
        var letters: UInt32 = 0
        for byte in bytes.prefix(255) where byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { letters |= 1 << UInt32(byte - UInt8(ascii: "a")) }
        let ref = TextRef(offset: UInt32(arena.count), length: UInt32(min(bytes.count, 255)), letters: letters)
        arena.append(contentsOf: bytes.prefix(255))
        return ref
    }

    /// Letters and digits of a postal code, lower-case, packed into 64 bits (hashed when longer than 8);
    /// a US ZIP+4 is its ZIP.
    static func postalKey(_ raw: String) -> UInt64 {
        var packed: UInt64 = 0
        var count = 0
        var digitsOnly = true
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var sawDash = false
        for byte in raw.utf8 {
            var byte = byte
            if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { byte += 32 }
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if byte == UInt8(ascii: "-") { sawDash = true }
            guard isDigit || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) else { continue }
            if !isDigit { digitsOnly = false }
            // ZIP+4: stop after five digits followed by a dash.
            if sawDash, digitsOnly, count == 5 { break }
            if count < 8 { packed = packed << 8 | UInt64(byte) }
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            count += 1
        }
        if count == 0 { return 0 }
        return count <= 8 ? packed : (hash | 1 << 63)
    }
}

/// Names in email addresses: `jennifer.reyes@…` says Jennifer Reyes.
enum EmailNames {
    /// Fills the missing one of `first` and `last` from `local` when it has exactly two words of letters (digits
    /// at their end ignored: `amy.garcia37`) and the word for the name the record has agrees with it (equal, or one
    /// typo away). Returns whether it filled.
    static func fill(first: inout [UInt8], last: inout [UInt8], local: ArraySlice<UInt8>) -> Bool {
        var words: [[UInt8]] = [[]]
        for byte in local {
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") {
                words.append([])
            } else if byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") {
                guard words[words.count - 1].allSatisfy({ $0 >= UInt8(ascii: "a") }) else { return false }
                words[words.count - 1].append(byte)
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                words[words.count - 1].append(0)  // a digit: only at the end of a word
            } else {
                return false
            }
        }
        words = words.map { word in Array(word.prefix { $0 != 0 }) }
        guard words.count == 2, words.allSatisfy({ $0.count >= 2 }) else { return false }
        func agree(_ a: [UInt8], _ b: [UInt8]) -> Bool {
            a == b || a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in StringSimilarity.withinOneEdit(pa, pb) } }
        }
        if first.isEmpty, !last.isEmpty, agree(words[1], last) {
            first = words[0]
            return true
        }
        if last.isEmpty, !first.isEmpty, agree(words[0], first) || Nicknames.areEquivalent(String(decoding: words[0], as: UTF8.self), String(decoding: first, as: UTF8.self)) {
            last = words[1]
            return true
        }
        return false
    }
}
