import SyncHubIdentity
import Testing

@Suite struct NormalizerTests {
    @Test(arguments: [
        ("José", "jose"), ("  O'Brien ", "obrien"), ("O\u{2019}Brien", "obrien"), ("MÜLLER", "muller"), ("Smith-Jones", "smithjones"),
        ("Dr. Jane", "jane"), ("Robert Jr.", "robert"), ("van der Berg", "vanderberg"), ("Søren", "soren"), ("Straße", "strasse"),
        ("Jose\u{301}", "jose"), ("Ł", "l"),
    ])
    func foldsPersonNames(raw: String, expected: String) {
        #expect(PersonName.normalize(raw) == expected)
    }

    @Test func emptyNamesAreNil() {
        #expect(PersonName.normalize(" .- ") == nil)
        #expect(PersonName.normalize("") == nil)
    }

    @Test func nicknamesAreEquivalent() {
        for (a, b) in [("bob", "robert"), ("liz", "elizabeth"), ("bill", "william"), ("kate", "katherine"), ("jim", "james"), ("peggy", "margaret"), ("al", "alan"), ("al", "albert")] {
            #expect(Nicknames.areEquivalent(a, b), "\(a) ~ \(b)")
        }
        #expect(!Nicknames.areEquivalent("john", "sean"))
        #expect(!Nicknames.areEquivalent("alan", "albert"), "sharing a nickname does not make two formal names equal")
        #expect(Nicknames.canonical("bob") == "robert")
        #expect(Nicknames.canonical("zebulon") == "zebulon")
        #expect(Nicknames.pairCount >= 300)
    }

    @Test(arguments: [
        ("(415) 555-0134", "US", "+14155550134"), ("415.555.0134", "US", "+14155550134"), ("+1 415 555 0134", "US", "+14155550134"),
        ("1-415-555-0134", "US", "+14155550134"), ("415-555-0134 x204", "US", "+14155550134"), ("415 555 0134 ext. 9", "US", "+14155550134"),
        ("020 7946 0018", "GB", "+442079460018"), ("+44 (0)20 7946 0018", "US", "+442079460018"), ("0044 20 7946 0018", "US", "+442079460018"),
        ("030 901820", "DE", "+4930901820"), ("06 12 34 56 78", "FR", "+33612345678"), ("02 1234 5678", "IT", "+390212345678"),
        ("011 44 20 7946 0018", "US", "+442079460018"),
    ])
    func phonesBecomeE164(raw: String, country: String, expected: String) {
        #expect(PhoneNumber.e164(raw, defaultCountry: country) == expected)
    }

    @Test(arguments: ["555-0134", "", "n/a", "12", "+1 415 555 01345 999 1", "0000000000"])
    func implausiblePhonesAreNil(raw: String) {
        #expect(PhoneNumber.e164(raw) == nil)
    }

    @Test(arguments: [
        ("The Acme Company, Inc.", "acme"), ("ACME INC", "acme"), ("Acme, L.L.C.", "acme"), ("Bluepeak Software LLC", "bluepeak software"),
        ("Müller GmbH", "muller"), ("Société Générale SA", "societe generale"), ("I.B.M. Corp.", "ibm"), ("The Company", "company"),
        ("Grupo Bimbo SAB de CV", "grupo bimbo"),
    ])
    func companyNamesDropLegalFormsAndThe(raw: String, expected: String) {
        #expect(CompanyName.normalize(raw) == expected)
    }

    @Test func webDomainsOfWebsitesAndEmails() {
        #expect(WebDomain.normalize(website: "https://www.Acme.com/about?x=1") == "acme.com")
        #expect(WebDomain.normalize(website: "acme.co.uk") == "acme.co.uk")
        #expect(WebDomain.normalize(website: "http://acme.io:8080") == "acme.io")
        #expect(WebDomain.normalize(website: "not a site") == nil)
        #expect(WebDomain.companyDomain(email: "Jane@Acme.com") == "acme.com")
        #expect(WebDomain.companyDomain(email: "jane@gmail.com") == nil, "free mail is never company evidence")
        #expect(WebDomain.companyDomain(website: "https://gmail.com") == nil)
    }

    @Test(arguments: [
        ("1553 Elm Road, Suite 800", "1553 elm rd"), ("1553 ELM RD", "1553 elm rd"), ("12 North Main Street Apt 4", "12 n main st"),
        ("77 Sunset Boulevard #5", "77 sunset blvd"), ("9 Park Ave.", "9 park ave"),
    ])
    func streetsAreAbbreviated(raw: String, expected: String) {
        #expect(StreetAddress.normalize(raw) == expected)
    }

    @Test func postalCodesAndBirthDates() {
        #expect(PostalCode.normalize("02110-1234") == "02110")
        #expect(PostalCode.normalize("SW1A 1AA") == "sw1a1aa")
        #expect(BirthDate.parse("1984-03-07") == 19840307)
        #expect(BirthDate.parse("1984-03-07T00:00:00Z") == 19840307)
        #expect(BirthDate.parse("03/07/1984") == 19840307)
        #expect(BirthDate.parse("07.03.1984") == 19840307)
        #expect(BirthDate.parse("1984-13-07") == nil)
        #expect(BirthDate.parse("yesterday") == nil)
    }
}
