/// A fictional company of the sample: everybody in the sample works at one.
struct SampleFirm {
    enum LegalForm: CaseIterable {
        case none, inc, llc, corp, ltd, plc, gmbh, ag, sas, sa

        /// The spellings people use, the first being the one the CRM's account carries.
        var spellings: [String] {
            switch self {
            case .none: []
            case .inc: ["Inc.", ", Inc.", "Inc", ", Inc", "Incorporated"]
            case .llc: ["LLC", ", LLC", "L.L.C."]
            case .corp: ["Corp.", "Corporation", "Corp"]
            case .ltd: ["Ltd", "Ltd.", "Limited"]
            case .plc: ["plc", "PLC"]
            case .gmbh: ["GmbH", "Gmbh"]
            case .ag: ["AG"]
            case .sas: ["SAS", "S.A.S."]
            case .sa: ["SA", "S.A."]
            }
        }
    }

    var index: Int
    /// "Northwind Analytics", without a legal form.
    var baseName: String
    var legalForm: LegalForm
    /// "northwind-analytics.example": `.example` is reserved (RFC 2606), so no address here can reach anybody.
    var domain: String
    var industry: String
    var country: SampleWords.Country
    var city: Int
    var employees: Int
    var owner: Int
    /// How the firm spells work addresses: 0 first.last, 1 flast, 2 first, 3 firstl.
    var emailPattern: Int
    /// People of the sample working here.
    var size: Int

    static let nameSlots = SampleWords.companyPrefixes.count * SampleWords.companyCores.count

    init(seed: UInt64, index: Int) {
        var random = SampleRandom(seed: seed, stream: .company, index: index)
        self.index = index
        // A permutation of every prefix/core pair, then qualified names once all pairs are taken: names never repeat.
        let slot = (index % Self.nameSlots * 1_543 + Int(seed % UInt64(Self.nameSlots))) % Self.nameSlots
        let round = index / Self.nameSlots
        let prefix = SampleWords.companyPrefixes[slot / SampleWords.companyCores.count]
        let core = SampleWords.companyCores[slot % SampleWords.companyCores.count]
        var words = [prefix, core.word]
        if round > 0 {
            let qualifiers = SampleWords.companyQualifiers
            words.append(qualifiers[(round - 1) % qualifiers.count])
            if round > qualifiers.count { words.append(String((round - 1) / qualifiers.count + 1)) }
        }
        baseName = words.joined(separator: " ")
        domain = words.map { $0.lowercased() }.joined(separator: "-") + ".example"
        industry = random.chance(850) ? core.industry : random.pick(SampleWords.industries)
        country = SampleWords.Country.allCases[random.weighted([80, 8, 6, 6])]
        city = random.pick(SampleWords.citiesByCountry[country.rawValue])
        switch country {
        case .us: legalForm = [.inc, .llc, .corp, .none][random.weighted([50, 25, 10, 15])]
        case .uk: legalForm = [.ltd, .plc, .none][random.weighted([70, 10, 20])]
        case .de: legalForm = [.gmbh, .ag, .none][random.weighted([75, 10, 15])]
        case .fr: legalForm = [.sas, .sa, .none][random.weighted([60, 20, 20])]
        }
        employees =
            switch random.weighted([30, 30, 25, 10, 5]) {
            case 0: random.int(10...50)
            case 1: random.int(51...200)
            case 2: random.int(201...1_000)
            case 3: random.int(1_001...5_000)
            default: random.int(5_001...20_000)
            }
        owner = random.below(SampleWords.owners.count)
        emailPattern = random.weighted([60, 20, 10, 10])
        size =
            switch random.weighted([20, 35, 35, 10]) {
            case 0: 1
            case 1: random.int(2...3)
            case 2: random.int(4...8)
            default: random.int(9...25)
            }
    }

    /// The name as the CRM's account carries it: "Northwind Analytics Inc.".
    var accountName: String {
        guard let suffix = legalForm.spellings.first else { return baseName }
        return baseName + " " + suffix
    }

    /// The name as somebody typed it: suffix spelled differently or dropped, a leading "The ", odd case.
    func typedName(_ random: inout SampleRandom) -> String {
        let spellings = legalForm.spellings
        var name: String
        switch random.weighted([50, 20, 15, 8, 4, 3]) {
        case 0: name = accountName
        case 1:
            guard let spelling = spellings.isEmpty ? nil : random.pick(spellings) else {
                name = baseName
                break
            }
            name = spelling.hasPrefix(",") ? baseName + spelling : baseName + " " + spelling
        case 2: name = baseName
        case 3: name = "The " + (random.chance(500) ? baseName : accountName)
        case 4: name = accountName.uppercased()
        default: name = baseName.lowercased()
        }
        return name
    }

    var website: String { "https://www." + domain }
}

/// A person of the sample: the truth every exported record of theirs derives from.
struct SamplePerson {
    enum Membership { case marketingOnly, both, crmOnly }
    enum CRMForm { case lead, contact, convertedLead }

    var index: Int
    var random: SampleRandom
    var firstName: SampleWords.FirstName
    var lastName: SampleWords.LastName
    var membership: Membership
    var crmForm: CRMForm
    var workEmail: String = ""
    var personalEmail: String?
    var marketingUsesPersonal = false
    var crmUsesPersonal = false
    var crmHasNoEmail: Bool
    var hasDuplicate: Bool
    var city: Int
    var phoneLine: Int
    var title: String
    var streetNumber: Int
    var street: String
    var suite: Int?
    var birthDate: Int64?
    var marketingCreated: Int64
    var leadCreated: Int64
    var contactCreated: Int64
    var duplicateCreated: Int64
    var owner: Int

    var inMarketing: Bool { membership != .crmOnly }
    var inCRM: Bool { membership != .marketingOnly }
    var isLead: Bool { inCRM && crmForm != .contact }
    var isContact: Bool { inCRM && crmForm != .lead }

    init(seed: UInt64, index: Int, firm: SampleFirm) {
        var random = SampleRandom(seed: seed, stream: .person, index: index)
        self.index = index
        firstName = random.pick(SampleWords.firstNames)
        lastName = random.pick(SampleWords.lastNames)
        // 45% marketing only, 40% in both systems, 15% CRM only: 85% in marketing, 55% in the CRM.
        membership = [.marketingOnly, .both, .crmOnly][random.weighted([45, 40, 15])]
        crmForm = [.lead, .contact, .convertedLead][random.weighted([35, 45, 20])]
        crmHasNoEmail = random.chance(50)
        hasDuplicate = membership != .crmOnly && random.chance(25)
        city = random.chance(750) ? firm.city : random.pick(SampleWords.citiesByCountry[firm.country.rawValue])
        phoneLine = random.below(10_000)
        title = random.pick(SampleWords.titles)
        streetNumber = random.int(1...2_400)
        let streets: [String] =
            switch firm.country {
            case .us: SampleWords.streetsUS
            case .uk: SampleWords.streetsUK
            case .de: SampleWords.streetsDE
            case .fr: SampleWords.streetsFR
            }
        street = random.pick(streets)
        suite = firm.country == .us && random.chance(250) ? random.int(1...9) * 100 : nil
        birthDate =
            random.chance(150)
            ? SampleTime.days(
                fromCivil: Int64(random.int(1960...2000)), Int64(random.int(1...12)),
                Int64(random.int(1...28))) * SampleTime.day
            : nil
        let latest = SampleTime.end - 30 * SampleTime.day
        marketingCreated = random.int64(SampleTime.start...latest)
        if membership == .both {
            leadCreated = min(marketingCreated + random.int64(SampleTime.hour...60 * SampleTime.day), latest)
        } else {
            leadCreated = random.int64(SampleTime.start...latest)
        }
        contactCreated =
            crmForm == .convertedLead
            ? min(leadCreated + random.int64(SampleTime.day...90 * SampleTime.day), SampleTime.end - SampleTime.day)
            : leadCreated
        duplicateCreated = min(marketingCreated + random.int64(SampleTime.day...200 * SampleTime.day), latest)
        owner = random.chance(800) ? firm.owner : random.below(SampleWords.owners.count)
        self.random = random
    }

    var personID: String { "P" + SampleTime.pad(Int64(index + 1), 7) }
}

/// A marketing campaign of the sample.
struct SampleCampaign {
    enum Channel: String { case email, webinar, event, paid, content }

    var id: String
    var name: String
    var channel: Channel
    var start: Int64
    var end: Int64
    var cost: Int

    var isActive: Bool { end > SampleTime.end }

    /// 30 to 60 campaigns over the 18 months, by start date.
    static func make(seed: UInt64) -> [SampleCampaign] {
        var random = SampleRandom(seed: seed, stream: .campaigns, index: 0)
        let count = random.int(30...60)
        var campaigns: [SampleCampaign] = []
        for _ in 0..<count {
            let channel = [Channel.email, .webinar, .event, .paid, .content][random.weighted([40, 20, 10, 15, 15])]
            let day = SampleTime.day
            let startDay = random.int64(0...(SampleTime.end - SampleTime.start) / day - 10)
            let start = SampleTime.start + startDay * day + 14 * SampleTime.hour
            let (year, month, _) = SampleTime.civil(fromDays: start / day)
            let yearText = String(year)
            let name: String
            let duration: Int64
            let cost: Int
            switch channel {
            case .email:
                name = yearText + "-" + SampleTime.pad(month, 2) + " " + random.pick(SampleWords.emailTopics)
                duration = 7 * day
                cost = random.int(200...2_500)
            case .webinar:
                name = "Webinar: " + random.pick(SampleWords.webinarTopics)
                duration = random.int64(14...28) * day
                cost = random.int(1_500...9_000)
            case .event:
                let city = SampleWords.cities[random.below(SampleWords.cities.count)].name
                name = random.pick(SampleWords.eventNames) + " " + city + " " + yearText
                duration = random.int64(21...60) * day
                cost = random.int(8_000...85_000)
            case .paid:
                name = random.pick(SampleWords.paidTopics) + " Q" + String((month + 2) / 3) + " " + yearText
                duration = random.int64(30...90) * day
                cost = random.int(3_000...45_000)
            case .content:
                name = random.pick(SampleWords.contentTopics) + " " + yearText
                // Some content stays up: still active when the export was taken.
                duration = random.int64(random.chance(300) ? 400...600 : 30...180) * day
                cost = random.int(1_000...12_000)
            }
            campaigns.append(
                SampleCampaign(
                    id: "", name: name, channel: channel, start: start, end: start + duration,
                    cost: cost))
        }
        // By start date, then name, then draw order: a total order, so the ids never depend on the sort algorithm.
        var ordered = campaigns.enumerated().sorted {
            ($0.element.start, $0.element.name, $0.offset) < ($1.element.start, $1.element.name, $1.offset)
        }.map(\.element)
        for index in ordered.indices { ordered[index].id = "cmp-" + SampleTime.pad(Int64(index + 1), 3) }
        return ordered
    }
}

/// Salesforce-style ids: a 3-character key prefix, 12 characters of record number, and the 3-character case suffix.
enum SalesforceID {
    static let digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    static let suffixAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".utf8)

    /// The 18-character id of record `number` (from 0) of the object with `prefix` (`003`, `00Q`, …).
    static func make(_ prefix: StaticString, _ number: Int) -> String {
        var bytes = [UInt8](UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
        bytes.append(contentsOf: "5g0000".utf8)
        var value = number + 1_000_000
        var tail = [UInt8](repeating: 48, count: 6)
        for position in stride(from: 5, through: 0, by: -1) {
            tail[position] = digits[value % 62]
            value /= 62
        }
        bytes.append(contentsOf: tail)
        return String(decoding: bytes, as: UTF8.self) + caseSuffix(bytes)
    }

    /// The three characters Salesforce appends to a 15-character id: which of each 5 characters are capitals.
    static func caseSuffix(_ id15: [UInt8]) -> String {
        var suffix: [UInt8] = []
        for chunk in 0..<3 {
            var flags = 0
            for offset in 0..<5 where (65...90).contains(id15[chunk * 5 + offset]) { flags |= 1 << offset }
            suffix.append(suffixAlphabet[flags])
        }
        return String(decoding: suffix, as: UTF8.self)
    }
}
