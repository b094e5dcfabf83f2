/// One generated contact record and the person it truly belongs to.
public struct LabeledRecord: Sendable, Hashable {
    /// `marketing` or `crm`.
    public var connector: String
    public var id: String
    /// The true person (ground truth for scoring identity resolution).
    public var person: Int
    public var firstName: String?
    public var lastName: String?
    public var emails: [String]
    public var company: String?
    public var title: String?
    public var phone: String?
    public var website: String?
    public var street: String?
    public var city: String?
    public var state: String?
    public var postalCode: String?
    public var country: String?
    /// `YYYY-MM-DD`.
    public var birthDate: String?
    /// A national or membership number (`LabeledPeopleOptions/personalIDsPerMille`).
    public var personalID: String?
}

public struct LabeledPeopleOptions: Sendable, Hashable {
    public enum Scenario: String, Sendable, Hashable {
        /// Most records carry an email (work or personal); companies, titles, phones, some addresses and birth dates.
        case mostlyEmail
        /// No email at all: names, home addresses, dates of birth and phones only.
        case noEmail
    }

    public var people: Int
    public var seed: UInt64
    public var scenario: Scenario
    /// People (per mille) given one of the 300 commonest surnames, drawn by rank (Zipf-like); the others get rarer
    /// generated names. The default, 280, matches the 2010 US census: there the 25 commonest surnames cover 8.7% of
    /// people and the 239 commonest a quarter (here 9% and 26%; Smith 0.6% against 0.8%). The generator used 550
    /// before, twice the census's concentration, which makes namesakes about twice as common: keep it to test harsher
    /// data (`SYNCHUB_COMMON_SURNAMES` in the bench).
    public var commonSurnamesPerMille: Int
    /// Records (per mille) that carry their person's personal number (every person has one of their own, family
    /// members too); of those, 4% mistyped by a digit and 1% someone else's number (a data-entry mistake). 0, the
    /// default, generates the same records as before the option existed (it draws from its own random stream).
    public var personalIDsPerMille: Int

    public init(
        people: Int = 5000, seed: UInt64 = 1, scenario: Scenario = .mostlyEmail, commonSurnamesPerMille: Int = 280,
        personalIDsPerMille: Int = 0
    ) {
        self.people = people
        self.seed = seed
        self.scenario = scenario
        self.commonSurnamesPerMille = commonSurnamesPerMille
        self.personalIDsPerMille = personalIDsPerMille
    }
}

/// A seeded generator of contact records with known true persons, carrying the corruptions real data has: typos
/// (keyboard neighbors, transpositions, deletions, doubled letters), nicknames, swapped first and last names, initials,
/// missing fields, job changes (a new email at a new company), shared inboxes (`info@`), different people with the
/// same name at different companies, family members at one address, Gmail dots and `+tags`, phone formats, street
/// abbreviations and suites, transposed dates of birth. The same options give the same records on every machine.
public enum LabeledPeople {
    public static func generate(_ options: LabeledPeopleOptions) -> [LabeledRecord] {
        var world = World(options)
        var records: [LabeledRecord] = []
        records.reserveCapacity(options.people * 19 / 10)
        var persons: [Person] = []
        persons.reserveCapacity(options.people)
        for index in 0..<options.people {
            var random = SampleRandom(seed: SampleRandom.mix(options.seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(index) &+ 0x1AB_E1ED))
            let person = world.person(index, random: &random, earlier: persons)
            persons.append(person)
            let count = [1, 2, 3, 4][random.weighted([45, 35, 15, 5])]
            for copy in 0..<count {
                var record = world.record(of: person, copy: copy, random: &random)
                if options.personalIDsPerMille > 0 { record.personalID = personalID(of: index, copy: copy, options) }
                records.append(record)
            }
        }
        return records
    }

    /// The personal number record `copy` of person `index` carries, if any, from a random stream of its own.
    static func personalID(of index: Int, copy: Int, _ options: LabeledPeopleOptions) -> String? {
        func number(_ person: Int) -> String {
            var random = SampleRandom(seed: SampleRandom.mix(options.seed ^ 0x5151_D000 ^ UInt64(person) &* 0x9E37_79B9_7F4A_7C15))
            return String(random.int(1...8)) + (0..<8).map { _ in String(random.below(10)) }.joined()
        }
        var random = SampleRandom(seed: SampleRandom.mix(options.seed ^ 0x1D_C0DE ^ UInt64(index) &* 0xD6E8_FEB8_6659_FD93 &+ UInt64(copy)))
        guard random.chance(options.personalIDsPerMille) else { return nil }
        var digits = number(index)
        if random.chance(40) {
            digits = typo(digits, &random, digits: true)
        } else if random.chance(10) {
            digits = number(random.below(max(options.people, 1)))
        }
        guard random.chance(500), digits.count == 9 else { return digits }
        let characters = Array(digits)
        return String(characters[0..<3]) + "-" + String(characters[3..<5]) + "-" + String(characters[5...])
    }

    // MARK: - The world people live in

    struct Company {
        var name: String
        var domain: String
        /// How the company builds addresses: 0 first.last, 1 flast, 2 firstl, 3 first, 4 first_last.
        var emailPattern: Int
        var city: Int
        var street: String
        var postalCode: String
        var phone: String
    }

    struct Person {
        var index: Int
        var first: Int
        var firstName: String
        var lastName: String
        var birthDate: (Int, Int, Int)
        var city: Int
        var street: String
        var postalCode: String
        var mobile: String
        var employers: [Int]
        var personalEmail: String?
    }

    struct World {
        let options: LabeledPeopleOptions
        var companies: [Company] = []
        let firstWeights: CumulativeWeights
        let surnameWeights: CumulativeWeights
        let cityWeights: CumulativeWeights
        let companyWeights: CumulativeWeights
        let commonSurnameRank: [String: Int] = Dictionary(
            LabeledPeopleWords.commonSurnames.enumerated().map { ($1, $0) }, uniquingKeysWith: min)
        var serial = 0
        /// Addresses given out (work and personal), and to whom.
        var workAddresses: [String: Int] = [:]

        init(_ options: LabeledPeopleOptions) {
            self.options = options
            firstWeights = CumulativeWeights(LabeledPeopleWords.firstNames.indices.map { 100_000 / ($0 + 8) })
            surnameWeights = CumulativeWeights(LabeledPeopleWords.commonSurnames.indices.map { 100_000 / ($0 + 15) })
            cityWeights = CumulativeWeights(LabeledPeopleWords.cities.indices.map { 100_000 / ($0 + 10) })
            let companyCount = max(20, options.people / 8)
            companyWeights = CumulativeWeights((0..<companyCount).map { 1_000_000 / ($0 + 20) })
            var random = SampleRandom(seed: SampleRandom.mix(options.seed ^ 0xC0_4A_11E5))
            var usedDomains = Set<String>()
            for index in 0..<companyCount {
                let words = LabeledPeopleWords.self
                let brand = random.pick(words.brandStarts) + random.pick(words.brandEnds)
                let industry = random.chance(600) ? random.pick(words.industries) : nil
                var name = industry.map { "\(brand) \($0)" } ?? brand
                var base = (industry.map { "\(brand)-\($0)" } ?? brand).lowercased()
                if usedDomains.contains(base + ".com") {
                    name += " \(index)"
                    base += "\(index)"
                }
                let domain = base + "." + random.pick(words.topLevelDomains)
                usedDomains.insert(base + ".com")
                let city = cityWeights.pick(&random)
                let street = "\(random.int(1...2500)) \(random.pick(words.streetNames)) \(random.pick(words.streetTypes).0)"
                let zip = words.cities[city].2 + String(format2(random.below(50)))
                let area = words.cities[city].3
                let phone = "\(area)\(random.int(200...999))\(String(format4(random.below(10000))))"
                companies.append(Company(name: name, domain: domain, emailPattern: random.weighted([50, 20, 10, 10, 10]), city: city, street: street, postalCode: zip, phone: phone))
            }
        }

        func surname(_ random: inout SampleRandom) -> String {
            let words = LabeledPeopleWords.self
            if random.chance(options.commonSurnamesPerMille) { return words.commonSurnames[surnameWeights.pick(&random)] }
            // The long tail: real populations have hundreds of thousands of rarer surnames.
            var name = random.pick(words.surnameOnsets) + random.pick(words.surnameMiddles) + random.pick(words.surnameCodas)
            if random.chance(600) { name += random.pick(words.surnameMiddles) + random.pick(words.surnameCodas).dropFirst() }
            return name
        }

        mutating func person(_ index: Int, random: inout SampleRandom, earlier: [Person]) -> Person {
            let words = LabeledPeopleWords.self
            let first = firstWeights.pick(&random)
            var person = Person(
                index: index, first: first, firstName: words.firstNames[first].0, lastName: surname(&random),
                birthDate: (random.int(1950...2002), random.int(1...12), random.int(1...28)),
                city: cityWeights.pick(&random), street: "", postalCode: "", mobile: "", employers: [])
            person.street = "\(random.int(1...9999)) \(random.chance(100) ? random.pick(words.directions).0 + " " : "")\(random.pick(words.streetNames)) \(random.pick(words.streetTypes).0)"
            person.postalCode = words.cities[person.city].2 + format2(random.below(50))
            let area = random.chance(800) ? words.cities[person.city].3 : words.cities[random.below(words.cities.count)].3
            person.mobile = "\(area)\(random.int(200...999))\(format4(random.below(10000)))"
            person.employers = [companyWeights.pick(&random)]
            // Job changes: a second employer (and sometimes a move).
            if options.scenario == .mostlyEmail, random.chance(50) {
                var next = companyWeights.pick(&random)
                if next == person.employers[0] { next = (next + 1) % companies.count }
                person.employers.append(next)
            }
            // Different people with the same name (at other companies, elsewhere): as in real populations, the
            // names two people share are common ones (a common given name and one of the 100 commonest surnames).
            if !earlier.isEmpty, random.chance(10) {
                for _ in 0..<20 {
                    let namesake = earlier[random.below(earlier.count)]
                    guard namesake.first < 100, commonSurnameRank[namesake.lastName].map({ $0 < 100 }) ?? false else { continue }
                    person.first = namesake.first
                    person.firstName = namesake.firstName
                    person.lastName = namesake.lastName
                    break
                }
            }
            // Family members: the same surname and home as an earlier person, another first name and birth date.
            if !earlier.isEmpty, random.chance(options.scenario == .noEmail ? 80 : 30) {
                let relative = earlier[random.below(earlier.count)]
                person.lastName = relative.lastName
                person.street = relative.street
                person.city = relative.city
                person.postalCode = relative.postalCode
                if person.first == relative.first {
                    person.first = (person.first + 1) % words.firstNames.count
                    person.firstName = words.firstNames[person.first].0
                }
            }
            if random.chance(400) {
                let domain = random.pick(words.freeMail)
                let local = [
                    "\(ascii(person.firstName)).\(ascii(person.lastName))", "\(ascii(person.firstName))\(ascii(person.lastName))",
                    "\(ascii(person.firstName)).\(ascii(person.lastName))\(random.int(1...99))",
                    "\(ascii(person.firstName).prefix(1))\(ascii(person.lastName))\(random.int(50...99))",
                ][random.below(4)]
                // Mailbox providers give an address once: the next John Smith is john.smith7.
                // (Gmail ignores dots: `jane.doe` and `janedoe` are one mailbox.)
                func mailbox(_ address: String) -> String { domain == "gmail.com" ? String(address.filter { $0 != "." }) + "@" : address }
                var address = "\(local)@\(domain)"
                while workAddresses[mailbox(address)] != nil { address = "\(local)\(random.int(2...999))@\(domain)" }
                workAddresses[mailbox(address)] = index
                person.personalEmail = address
            }
            return person
        }

        mutating func record(of person: Person, copy: Int, random: inout SampleRandom) -> LabeledRecord {
            let words = LabeledPeopleWords.self
            serial += 1
            let connector = copy == 0 ? (random.chance(600) ? "marketing" : "crm") : (random.chance(500) ? "marketing" : "crm")
            let id = connector == "marketing" ? String(51_000_000 + serial) : "003" + format7(serial)
            var record = LabeledRecord(connector: connector, id: id, person: person.index, emails: [])
            let employer = companies[person.employers[person.employers.count == 1 ? 0 : random.below(2)]]

            // Names.
            var first: String? = person.firstName
            let nicknames = words.firstNames[person.first].1
            if !nicknames.isEmpty, random.chance(90) { first = random.pick(nicknames) }
            if random.chance(250) { first = stripAccents(first!) }
            if random.chance(35) { first = typo(first!, &random) }
            if random.chance(8) { first = String(first!.prefix(1)) + "." }
            if random.chance(10) { first = nil }
            var last: String? = random.chance(400) ? stripAccents(person.lastName) : person.lastName
            if random.chance(35) { last = typo(last!, &random) }
            if random.chance(5) { last = nil }
            if random.chance(30) { first = first.map(uppercased); last = last.map(uppercased) }
            if random.chance(20) { first = first.map(lowercased); last = last.map(lowercased) }
            if random.chance(15) { swap(&first, &last) }
            record.firstName = first
            record.lastName = last

            switch options.scenario {
            case .mostlyEmail:
                if random.chance(880) {
                    if random.chance(20) {
                        record.emails.append("\(random.pick(words.roleLocalParts))@\(employer.domain)")
                    } else if let personal = person.personalEmail, random.chance(300) {
                        record.emails.append(variant(ofPersonal: personal, &random))
                    } else {
                        let work = workEmail(person, employer)
                        record.emails.append(variant(ofWork: work, &random))
                    }
                    if connector == "marketing", let personal = person.personalEmail, random.chance(100), !record.emails.contains(personal) {
                        record.emails.append(personal)
                    }
                }
                if random.chance(850) { record.company = variant(ofCompany: employer.name, &random) }
                if random.chance(600) { record.title = random.pick(words.titles) }
                if random.chance(150) {
                    record.website = ["https://www.\(employer.domain)", employer.domain, "http://\(employer.domain)/", "www.\(employer.domain)"][random.below(4)]
                }
                // A job changer's records keep the mobile phone across employers most of the time: it is what
                // tells a job change from a namesake (without it, no matcher can).
                if person.employers.count > 1, random.chance(850) {
                    record.phone = format(phone: person.mobile, &random)
                } else if random.chance(550) {
                    record.phone = random.chance(800) ? format(phone: person.mobile, &random) : format(phone: employer.phone, &random) + " x\(100 + person.index % 900)"
                }
                if random.chance(500) {
                    if random.chance(700) {
                        address(&record, street: employer.street, city: employer.city, postal: employer.postalCode, &random)
                    } else {
                        address(&record, street: person.street, city: person.city, postal: person.postalCode, &random)
                    }
                }
                if random.chance(250) { record.birthDate = birthDate(person.birthDate, &random) }
            case .noEmail:
                if random.chance(900) { address(&record, street: person.street, city: person.city, postal: person.postalCode, &random) }
                if random.chance(600) { record.phone = format(phone: person.mobile, &random) }
                if random.chance(800) { record.birthDate = birthDate(person.birthDate, &random) }
            }
            // Systems keep a way to reach a contact: a record with none of email, phone or street gets a phone.
            if record.emails.isEmpty, record.phone == nil, record.street == nil {
                record.phone = format(phone: person.mobile, &random)
            }
            return record
        }

        /// The person's address at the company; a company never gives two people one address (the second
        /// John gets `john2@`).
        mutating func workEmail(_ person: Person, _ company: Company) -> String {
            let first = ascii(person.firstName), last = ascii(person.lastName)
            let local: String
            switch company.emailPattern {
            case 0: local = "\(first).\(last)"
            case 1: local = "\(first.prefix(1))\(last)"
            case 2: local = "\(first)\(last.prefix(1))"
            case 3: local = first
            default: local = "\(first)_\(last)"
            }
            var address = "\(local)@\(company.domain)"
            var suffix = 2
            while let holder = workAddresses[address], holder != person.index {
                address = "\(local)\(suffix)@\(company.domain)"
                suffix += 1
            }
            workAddresses[address] = person.index
            return address
        }

        func variant(ofWork email: String, _ random: inout SampleRandom) -> String {
            if random.chance(100) { return capitalizedWords(email) }
            if random.chance(30) { return email.uppercased() }
            if random.chance(30) { return " \(email) " }
            return email
        }

        func variant(ofPersonal email: String, _ random: inout SampleRandom) -> String {
            guard email.hasSuffix("@gmail.com") else { return random.chance(100) ? capitalizedWords(email) : email }
            let local = String(email.dropLast("@gmail.com".count))
            if random.chance(200) { return local.replacingDots() + "@gmail.com" }
            if random.chance(200) { return local + "+" + random.pick(["news", "events", "work", "crm", "webinar"]) + "@gmail.com" }
            if random.chance(100) { return local + "@googlemail.com" }
            return email
        }

        func variant(ofCompany name: String, _ random: inout SampleRandom) -> String {
            var text = name
            let form = random.pick(LabeledPeopleWords.legalForms)
            if !form.isEmpty { text += random.chance(500) ? ", \(form)" : " \(form)" }
            if random.chance(40) { text = "The " + text }
            if random.chance(30) { text = text.uppercased() }
            if random.chance(15) { text = typo(text, &random) }
            return text
        }

        func format(phone digits: String, _ random: inout SampleRandom) -> String {
            var digits = Array(digits)
            if random.chance(20) {
                let position = random.int(3...9)
                digits[position] = Character(String((Int(String(digits[position]))! + random.int(1...9)) % 10))
            }
            let area = String(digits[0..<3]), exchange = String(digits[3..<6]), line = String(digits[6..<10])
            switch random.below(7) {
            case 0: return "(\(area)) \(exchange)-\(line)"
            case 1: return "\(area)-\(exchange)-\(line)"
            case 2: return "\(area).\(exchange).\(line)"
            case 3: return "+1 \(area) \(exchange) \(line)"
            case 4: return "\(area)\(exchange)\(line)"
            case 5: return "1-\(area)-\(exchange)-\(line)"
            default: return "+1 (\(area)) \(exchange)-\(line)"
            }
        }

        func address(_ record: inout LabeledRecord, street: String, city: Int, postal: String, _ random: inout SampleRandom) {
            let words = LabeledPeopleWords.self
            var line = street
            // Street type and direction, long or short.
            if random.chance(400) {
                for (long, short) in words.streetTypes + words.directions where line.hasSuffix(" " + long) || line.contains(" \(long) ") {
                    line = line.replacingWord(long, with: random.chance(800) ? short : short + ".")
                }
            }
            if random.chance(20) { line = typo(line, &random) }
            if random.chance(100) { line += random.pick([", Suite \(random.int(100...900))", " Apt \(random.int(1...40))", " #\(random.int(2...30))", ", Floor \(random.int(2...20))"]) }
            record.street = random.chance(30) ? line.uppercased() : line
            var cityName = words.cities[city].0
            if random.chance(15) { cityName = typo(cityName, &random) }
            if random.chance(15) { cityName = cityName.uppercased() }
            record.city = random.chance(30) ? nil : cityName
            record.state = words.cities[city].1
            var zip = postal
            if random.chance(10) { zip = typo(zip, &random, digits: true) }
            if random.chance(100) { zip += "-\(format4(random.below(10000)))" }
            record.postalCode = random.chance(20) ? nil : zip
            record.country = random.pick(["United States", "US", "USA", "United States", nil])
        }

        func birthDate(_ date: (Int, Int, Int), _ random: inout SampleRandom) -> String {
            var (year, month, day) = date
            if random.chance(10), day <= 12 { swap(&month, &day) }
            if random.chance(10) { year += random.chance(500) ? 1 : -1 }
            return "\(year)-\(format2(month))-\(format2(day))"
        }
    }

    // MARK: - Corruptions

    /// One typo: a keyboard neighbor, two letters swapped, a letter dropped or doubled (rarely the first letter).
    static func typo(_ text: String, _ random: inout SampleRandom, digits: Bool = false) -> String {
        var characters = Array(text)
        let letters = characters.indices.filter { digits ? characters[$0].isNumber : characters[$0].isLetter }
        guard letters.count >= 3 else { return text }
        let position = random.chance(100) ? letters[0] : letters[random.int(1...(letters.count - 1))]
        let previous = max(0, position - 1) == position ? position + 1 : position - 1
        switch random.below(4) {
        case 0:
            let lower = Character(characters[position].lowercased())
            if digits {
                characters[position] = Character(String(((characters[position].wholeNumberValue ?? 0) + random.int(1...9)) % 10))
            } else if let neighbors = LabeledPeopleWords.keyboardNeighbors[lower] {
                var replacement = random.pick(Array(neighbors))
                if characters[position].isUppercase { replacement = Character(replacement.uppercased()) }
                characters[position] = replacement
            }
        case 1:
            if position + 1 < characters.count { characters.swapAt(position, position + 1) } else { characters.swapAt(previous, position) }
        case 2:
            if !digits { characters.remove(at: position) } else { characters.swapAt(previous, position) }
        default:
            if !digits { characters.insert(characters[position], at: position) } else { characters.swapAt(previous, position) }
        }
        return String(characters)
    }

    static func stripAccents(_ text: String) -> String {
        let map: [Character: Character] = [
            "é": "e", "è": "e", "ë": "e", "ê": "e", "á": "a", "à": "a", "ä": "a", "å": "a", "ó": "o", "ö": "o", "ø": "o",
            "ü": "u", "ú": "u", "í": "i", "ï": "i", "ñ": "n", "ç": "c", "Ø": "O", "É": "E", "Ö": "O", "Ü": "U",
        ]
        return String(text.map { map[$0] ?? $0 })
    }

    static func ascii(_ text: String) -> String {
        String(stripAccents(text).lowercased().filter { $0.isLetter && $0.isASCII })
    }

    static func uppercased(_ text: String) -> String { text.uppercased() }
    static func lowercased(_ text: String) -> String { text.lowercased() }
    static func capitalizedWords(_ text: String) -> String {
        var result = ""
        var startOfWord = true
        for character in text {
            result += startOfWord ? character.uppercased() : String(character)
            startOfWord = !character.isLetter
        }
        return result
    }
}

func format2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
func format4(_ value: Int) -> String { String(repeating: "0", count: max(0, 4 - String(value).count)) + String(value) }
func format7(_ value: Int) -> String { String(repeating: "0", count: max(0, 7 - String(value).count)) + String(value) }
private func ascii(_ text: String) -> String { LabeledPeople.ascii(text) }
private func typo(_ text: String, _ random: inout SampleRandom, digits: Bool = false) -> String { LabeledPeople.typo(text, &random, digits: digits) }
private func stripAccents(_ text: String) -> String { LabeledPeople.stripAccents(text) }
private func uppercased(_ text: String) -> String { text.uppercased() }
private func lowercased(_ text: String) -> String { text.lowercased() }
private func capitalizedWords(_ text: String) -> String { LabeledPeople.capitalizedWords(text) }

extension String {
    fileprivate func replacingDots() -> String { String(filter { $0 != "." }) }

    /// Replaces whole-word occurrences of `word`.
    fileprivate func replacingWord(_ word: String, with replacement: String) -> String {
        split(separator: " ", omittingEmptySubsequences: false).map { $0 == word ? replacement : String($0) }.joined(separator: " ")
    }
}

/// Pairwise quality of a clustering against the truth: precision and recall over pairs of records.
public struct PairwiseQuality: Sendable, Hashable, CustomStringConvertible {
    /// Pairs of records of one true person.
    public var truePairs: Int
    /// Pairs of records put in one cluster.
    public var predictedPairs: Int
    /// Pairs both.
    public var correctPairs: Int

    public init<Label: Hashable>(truth: [Int], predicted: [Label]) {
        precondition(truth.count == predicted.count)
        var truthSizes: [Int: Int] = [:], predictedSizes: [Label: Int] = [:]
        var cells: [PairKey<Label>: Int] = [:]
        for (t, p) in zip(truth, predicted) {
            truthSizes[t, default: 0] += 1
            predictedSizes[p, default: 0] += 1
            cells[PairKey(truth: t, predicted: p), default: 0] += 1
        }
        func pairs(_ n: Int) -> Int { n * (n - 1) / 2 }
        truePairs = truthSizes.values.reduce(0) { $0 + pairs($1) }
        predictedPairs = predictedSizes.values.reduce(0) { $0 + pairs($1) }
        correctPairs = cells.values.reduce(0) { $0 + pairs($1) }
    }

    public var precision: Double { predictedPairs == 0 ? 1 : Double(correctPairs) / Double(predictedPairs) }
    public var recall: Double { truePairs == 0 ? 1 : Double(correctPairs) / Double(truePairs) }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    public var description: String {
        "precision \(rounded(precision)) recall \(rounded(recall)) F1 \(rounded(f1)) (\(correctPairs) of \(predictedPairs) predicted pairs correct, \(truePairs) true pairs)"
    }

    private func rounded(_ value: Double) -> String {
        let scaled = Int((value * 10000).rounded())
        return "\(scaled / 10000).\(format4(scaled % 10000))"
    }
}

private struct PairKey<Label: Hashable>: Hashable {
    var truth: Int
    var predicted: Label
}

/// Weighted draws in O(log n): cumulative weights and a binary search.
struct CumulativeWeights: Sendable {
    let totals: [Int]

    init(_ weights: [Int]) {
        var running = 0
        totals = weights.map { running += $0; return running }
    }

    func pick(_ random: inout SampleRandom) -> Int {
        let roll = random.below(totals[totals.count - 1])
        var low = 0, high = totals.count - 1
        while low < high {
            let middle = (low + high) / 2
            if totals[middle] > roll { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
