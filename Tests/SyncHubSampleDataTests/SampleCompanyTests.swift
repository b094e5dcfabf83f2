import Foundation
import SyncHubCore
import Testing

@testable import SyncHubSampleData

@Suite struct SampleCompanyTests {
    static let csvFiles = [
        "marketing/contacts.csv", "marketing/campaigns.csv", "crm/leads.csv", "crm/contacts.csv", "crm/accounts.csv",
        "crm/opportunities.csv", "crm/opportunity_contact_roles.csv", "crm/activities.csv", "truth.csv",
    ]

    /// The default sample (2,000 people, seed 42), written once per test.
    func withDefaultSample<Result>(
        _ options: SampleCompanyOptions = .init(), _ body: (TemporaryFolder, SampleSummary) throws -> Result
    ) throws -> Result {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let summary = try SampleCompany.write(to: folder.path, options: options)
        return try body(folder, summary)
    }

    // MARK: Determinism

    @Test func sameSeedWritesIdenticalBytes() throws {
        let first = try TemporaryFolder()
        let second = try TemporaryFolder()
        defer {
            first.remove()
            second.remove()
        }
        let options = SampleCompanyOptions(people: 600, seed: 7)
        let firstSummary = try SampleCompany.write(to: first.path, options: options)
        let secondSummary = try SampleCompany.write(to: second.path, options: options)
        #expect(firstSummary == secondSummary)
        for path in SampleCompany.relativePaths() {
            let bytes = try first.bytes(path)
            #expect(!bytes.isEmpty, "\(path) is empty")
            #expect(try bytes == second.bytes(path), "\(path) differs between two runs with the same seed")
        }
    }

    @Test func differentSeedWritesDifferentFiles() throws {
        let first = try TemporaryFolder()
        let second = try TemporaryFolder()
        defer {
            first.remove()
            second.remove()
        }
        _ = try SampleCompany.write(to: first.path, options: .init(people: 300, seed: 1))
        _ = try SampleCompany.write(to: second.path, options: .init(people: 300, seed: 2))
        for path in SampleCompany.relativePaths() {
            #expect(try first.bytes(path) != second.bytes(path), "\(path) is the same for seeds 1 and 2")
        }
    }

    @Test func rerunningOverAnEarlierSampleReplacesIt() throws {
        try withDefaultSample(.init(people: 400)) { folder, summary in
            let before = try folder.bytes("marketing/touches.jsonl")
            let again = try SampleCompany.write(to: folder.path, options: .init(people: 50))
            #expect(again.files["marketing/touches.jsonl"]! < summary.files["marketing/touches.jsonl"]!)
            #expect(try folder.bytes("marketing/touches.jsonl").count < before.count)
        }
    }

    // MARK: Counts

    @Test func countsMatchTheSpecification() throws {
        try withDefaultSample { folder, summary in
            #expect(summary.people == 2000)
            let truth = try folder.table("truth.csv")
            let marketingPeople = Set(truth.filter { $0["source"] == "marketing" }.map { $0["person_id"]! })
            let crmPeople = Set(truth.filter { $0["source"] == "crm" }.map { $0["person_id"]! })
            #expect((1_600...1_800).contains(marketingPeople.count), "~85% in marketing: \(marketingPeople.count)")
            #expect((1_000...1_200).contains(crmPeople.count), "~55% in the CRM: \(crmPeople.count)")
            let both = marketingPeople.intersection(crmPeople).count
            #expect((700...900).contains(both), "~40% in both: \(both)")
            #expect(marketingPeople.union(crmPeople).count == 2000)

            let contacts = try folder.table("marketing/contacts.csv")
            #expect(contacts.count > marketingPeople.count, "a few people are in marketing twice")
            #expect(contacts.count < marketingPeople.count + 100)
            let crossIDs = contacts.filter { !$0["Salesforce Contact ID"]!.isEmpty }.count
            #expect((120...230).contains(crossIDs), "~10% carry the Salesforce Contact ID: \(crossIDs)")

            let campaigns = try folder.table("marketing/campaigns.csv")
            #expect((30...60).contains(campaigns.count))
            #expect(Set(campaigns.map { $0["channel"]! }) == ["email", "webinar", "event", "paid", "content"])

            let touches = summary.files["marketing/touches.jsonl"]! - 1
            let perContact = Double(touches) / Double(contacts.count)
            #expect((13.0...17.0).contains(perContact), "~15 touches per marketing contact: \(perContact)")

            let deals = try folder.table("crm/opportunities.csv")
            #expect((250...350).contains(deals.count), "~300 deals: \(deals.count)")
            let won = deals.filter { $0["IsWon"] == "true" }
            let lost = deals.filter { $0["IsClosed"] == "true" && $0["IsWon"] == "false" }
            #expect((0.28...0.42).contains(Double(won.count) / Double(deals.count)), "~35% won: \(won.count)")
            #expect((0.33...0.50).contains(Double(lost.count) / Double(deals.count)), "~40% lost: \(lost.count)")
            #expect(Set(won.map { $0["StageName"]! }) == ["Closed Won"])
            #expect(Set(lost.map { $0["StageName"]! }) == ["Closed Lost"])
            #expect(
                Set(lost.map { $0["Loss_Reason__c"]! })
                    == ["Price", "Competitor", "No budget", "No decision", "Timing", "Missing feature"])
            #expect(
                deals.filter { $0["IsClosed"] == "false" || $0["IsWon"] == "true" }
                    .allSatisfy { $0["Loss_Reason__c"]!.isEmpty })
            for deal in deals {
                let amount = Double(deal["Amount"]!)!
                #expect((5_000...250_000).contains(amount))
                #expect(("2025-05-01"..."2026-10-31").contains(deal["CloseDate"]!))
                #expect(deal["CreatedDate"]!.prefix(10) <= deal["CloseDate"]!)
            }
            let euros = deals.filter { $0["CurrencyIsoCode"] == "EUR" }.count
            #expect(euros > 0 && euros < deals.count / 5, "a few EUR deals: \(euros)")

            let roles = try folder.table("crm/opportunity_contact_roles.csv")
            let rolesPerDeal = Dictionary(grouping: roles, by: { $0["OpportunityId"]! })
            #expect(rolesPerDeal.count == deals.count, "every deal has contact roles")
            #expect(rolesPerDeal.values.allSatisfy { (1...3).contains($0.count) })
            #expect(rolesPerDeal.values.allSatisfy { $0.filter { $0["IsPrimary"] == "true" }.count == 1 })
        }
    }

    @Test func summaryCountsTheRowsOnDisk() throws {
        try withDefaultSample { folder, summary in
            #expect(Set(summary.files.keys) == Set(SampleCompany.relativePaths()))
            for path in Self.csvFiles {
                let records = try folder.csv(path)
                #expect(summary.files[path] == records.count - 1, "\(path)")
            }
            let touches = try folder.lines("marketing/touches.jsonl")
            #expect(summary.files["marketing/touches.jsonl"] == touches.count)
            #expect(
                summary.malformedRows
                    == ["crm/contacts.csv": 1, "marketing/contacts.csv": 1, "marketing/touches.jsonl": 1])
        }
    }

    // MARK: Malformed rows

    @Test func exactlyThreeRowsAreMalformed() throws {
        try withDefaultSample { folder, _ in
            for path in Self.csvFiles {
                let records = try folder.csv(path)
                let wrong = records.dropFirst().filter { $0.count != records[0].count }
                #expect(
                    wrong.count == (path == "crm/contacts.csv" ? 1 : 0), "\(path): \(wrong.count) rows of another width"
                )
                #expect(wrong.allSatisfy { $0.count == records[0].count + 1 })
            }
            let badTouches = try folder.lines("marketing/touches.jsonl").filter { !JSONValue.parses($0) }
            #expect(badTouches.count == 1)
            // Every other address has a domain with a dot after its at sign.
            let invalidEmails = try folder.table("marketing/contacts.csv").filter { row in
                let email = row["Email"]!
                guard let at = email.lastIndex(of: "@") else { return true }
                return !email[email.index(after: at)...].contains(".")
            }
            #expect(invalidEmails.map { $0["Email"]! } == ["jane.doe@"])
            // It belongs to no person.
            let truth = try folder.truth()
            let invalid = try #require(invalidEmails.first)
            #expect(truth["marketing:" + invalid["Record ID"]!] == nil)
        }
    }

    @Test func withoutMalformedRowsEveryOtherByteIsTheSame() throws {
        let with = try TemporaryFolder()
        let without = try TemporaryFolder()
        defer {
            with.remove()
            without.remove()
        }
        _ = try SampleCompany.write(to: with.path, options: .init(people: 800, includeMalformedRows: true))
        let summary = try SampleCompany.write(
            to: without.path, options: .init(people: 800, includeMalformedRows: false))
        #expect(summary.malformedRows.isEmpty)
        var removed = 0
        for path in SampleCompany.relativePaths() {
            let withLines = try with.text(path).split(separator: "\n", omittingEmptySubsequences: false)
            let kept = withLines.filter { !$0.contains("jane.doe@") }
            removed += withLines.count - kept.count
            #expect(
                try kept == without.text(path).split(separator: "\n", omittingEmptySubsequences: false),
                "\(path) differs beyond the malformed rows")
        }
        #expect(removed == 3)
        for path in Self.csvFiles {
            let records = try without.csv(path)
            #expect(records.allSatisfy { $0.count == records[0].count }, "\(path)")
        }
        #expect(try without.lines("marketing/touches.jsonl").allSatisfy(JSONValue.parses))
    }

    // MARK: Shape of the data

    @Test func recordsReferToEachOther() throws {
        try withDefaultSample { folder, _ in
            let truth = try folder.truth()
            let crmContacts = try folder.table("crm/contacts.csv")
            let contactIDs = Set(crmContacts.map { $0["Id"]! })
            let accountIDs = Set(try folder.table("crm/accounts.csv").map { $0["Id"]! })
            #expect(crmContacts.allSatisfy { accountIDs.contains($0["AccountId"]!) })

            let leads = try folder.table("crm/leads.csv")
            let converted = leads.filter { !$0["ConvertedContactId"]!.isEmpty }
            #expect(converted.count > 100)
            for lead in converted {
                #expect(contactIDs.contains(lead["ConvertedContactId"]!))
                #expect(truth["crm:" + lead["Id"]!] == truth["crm:" + lead["ConvertedContactId"]!])
                #expect(lead["Status"] == "Closed - Converted")
            }

            for contact in try folder.table("marketing/contacts.csv") where !contact["Salesforce Contact ID"]!.isEmpty {
                let crossID = contact["Salesforce Contact ID"]!
                #expect(contactIDs.contains(crossID))
                #expect(truth["marketing:" + contact["Record ID"]!] == truth["crm:" + crossID])
            }

            let deals = try folder.table("crm/opportunities.csv")
            let dealIDs = Set(deals.map { $0["Id"]! })
            #expect(deals.allSatisfy { accountIDs.contains($0["AccountId"]!) })
            for role in try folder.table("crm/opportunity_contact_roles.csv") {
                #expect(dealIDs.contains(role["OpportunityId"]!))
                #expect(contactIDs.contains(role["ContactId"]!))
            }

            let campaignIDs = Set(try folder.table("marketing/campaigns.csv").map { $0["id"]! })
            let marketingIDs = Set(try folder.table("marketing/contacts.csv").map { $0["Record ID"]! })
            for line in try folder.lines("marketing/touches.jsonl") {
                guard let touch = try? JSONValue.parse(line) else { continue }
                #expect(marketingIDs.contains(touch["contact_id"]?.text ?? ""))
                #expect(campaignIDs.contains(touch["campaign_id"]?.text ?? ""))
                #expect(Timestamps.normalize(touch["occurred_at"]?.text ?? "") == touch["occurred_at"]?.text)
            }

            let multiContactAccounts = Dictionary(grouping: crmContacts, by: { $0["AccountId"]! }).values
                .filter { $0.count > 1 }
            #expect(multiContactAccounts.count > 50)
        }
    }

    @Test func idsLookLikeTheSystemsIDs() throws {
        #expect(SalesforceID.caseSuffix(Array("0015000000Gv7qJ".utf8)) == "AAR")
        try withDefaultSample { folder, _ in
            let prefixes = [
                "crm/leads.csv": "00Q", "crm/contacts.csv": "003", "crm/accounts.csv": "001",
                "crm/opportunities.csv": "006", "crm/opportunity_contact_roles.csv": "00K",
            ]
            for (path, prefix) in prefixes {
                let ids = try folder.table(path).map { $0["Id"]! }
                #expect(Set(ids).count == ids.count, "\(path) ids repeat")
                for id in ids {
                    #expect(id.utf8.count == 18 && id.hasPrefix(prefix))
                    #expect(id.suffix(3) == SalesforceID.caseSuffix(Array(id.utf8.prefix(15))))
                }
            }
            let marketingIDs = try folder.table("marketing/contacts.csv").map { $0["Record ID"]! }
            #expect(Set(marketingIDs).count == marketingIDs.count)
            #expect(marketingIDs.allSatisfy { Int($0) != nil })
        }
    }

    @Test func systemsDisagreeTheWayRealOnesDo() throws {
        try withDefaultSample { folder, _ in
            let truth = try folder.truth()
            let marketing = try folder.table("marketing/contacts.csv")
            let crm = try folder.table("crm/contacts.csv") + folder.table("crm/leads.csv")
            let marketingEmails = marketing.map { $0["Email"]! }
            let crmEmails = crm.map { $0["Email"]! }
            #expect(crmEmails.filter(\.isEmpty).count > 20, "some CRM people have no email")
            #expect(crmEmails.contains { $0 != $0.lowercased() }, "CRM email case differs")
            #expect((marketingEmails + crmEmails).contains { $0 != $0.trimmingCharacters(in: .whitespaces) })
            #expect((marketingEmails + crmEmails).contains { $0.lowercased().hasSuffix("@googlemail.com") })
            #expect(marketingEmails.contains { $0.contains("+") && $0.lowercased().contains("@gmail.com") })

            // The same person under a nickname in one system and the formal name in the other.
            let nicknames = Dictionary(
                uniqueKeysWithValues: SampleWords.firstNames.compactMap { name in
                    name.nickname.map { ($0, name.name) }
                })
            var firstNames: [String: (marketing: Set<String>, crm: Set<String>)] = [:]
            for row in marketing {
                guard let person = truth["marketing:" + row["Record ID"]!] else { continue }
                firstNames[person, default: ([], [])].marketing.insert(row["First Name"]!)
            }
            for row in crm {
                guard let person = truth["crm:" + row["Id"]!] else { continue }
                firstNames[person, default: ([], [])].crm.insert(row["FirstName"]!)
            }
            let nicknamed = firstNames.values.filter { names in
                names.marketing.contains { nickname in names.crm.contains { nicknames[nickname] == $0 } }
            }
            #expect(nicknamed.count > 30, "nicknames across systems: \(nicknamed.count)")
            for pair in [("Bob", "Robert"), ("Liz", "Elizabeth"), ("Bill", "William"), ("Kate", "Katherine")] {
                #expect(nicknames[pair.0] == pair.1)
            }

            let companies = marketing.map { $0["Company Name"]! } + crm.compactMap { $0["Company"] }
            #expect(companies.contains { $0.hasPrefix("The ") })
            #expect(companies.contains { $0.hasSuffix(", Inc.") || $0.hasSuffix(", Inc") })
            #expect(companies.contains { $0.hasSuffix(" Inc") })
            #expect(companies.contains { $0.hasSuffix(" GmbH") })
            #expect(companies.contains { $0.hasSuffix(" Ltd") })
            #expect(marketing.contains { $0["Phone Number"]!.isEmpty } && crm.contains { $0["Phone"]!.isEmpty })
            #expect(crm.contains { $0["Title"]!.isEmpty })
            #expect(crm.contains { ($0["MailingCity"] ?? $0["City"])!.isEmpty })

            let duplicated = Dictionary(grouping: marketing, by: { truth["marketing:" + $0["Record ID"]!] ?? "" })
                .filter { !$0.key.isEmpty && $0.value.count > 1 }
            #expect((10...80).contains(duplicated.count), "a few people twice in marketing: \(duplicated.count)")
        }
    }

    @Test func filesAreForTheirOwnerOnly() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // A file left world-readable by something else becomes 0600 too.
        try FileManager.default.createDirectory(atPath: folder.path + "/crm", withIntermediateDirectories: true)
        #expect(
            FileManager.default.createFile(
                atPath: folder.path + "/crm/leads.csv", contents: Data("old".utf8),
                attributes: [.posixPermissions: 0o644]))
        _ = try SampleCompany.write(to: folder.path, options: .init(people: 50))
        for path in SampleCompany.relativePaths() {
            #expect(try folder.permissions(path) == 0o600, "\(path)")
        }
    }

    @Test func writingIntoAFileInsteadOfAFolderFails() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(FileManager.default.createFile(atPath: folder.path + "/taken", contents: Data()))
        #expect(throws: SampleDataError.self) {
            try SampleCompany.write(to: folder.path + "/taken", options: .init(people: 10))
        }
    }

    // MARK: Formats

    @Test func jsonlContactsCarryTheSameFieldsAsCSV() throws {
        let csvFolder = try TemporaryFolder()
        let jsonFolder = try TemporaryFolder()
        defer {
            csvFolder.remove()
            jsonFolder.remove()
        }
        _ = try SampleCompany.write(to: csvFolder.path, options: .init(people: 400))
        let summary = try SampleCompany.write(to: jsonFolder.path, options: .init(people: 400, contactsFormat: .jsonl))
        #expect(summary.files["marketing/contacts.jsonl"] != nil && summary.files["marketing/contacts.csv"] == nil)
        #expect(!FileManager.default.fileExists(atPath: jsonFolder.path + "/marketing/contacts.csv"))

        let records = try csvFolder.csv("marketing/contacts.csv")
        let header = records[0]
        let lines = try jsonFolder.lines("marketing/contacts.jsonl")
        #expect(lines.count == records.count - 1)
        for (line, row) in zip(lines, records.dropFirst()) {
            let object = try JSONValue.parse(line)
            guard case .object(let members) = object else {
                Issue.record("not an object")
                continue
            }
            #expect(members.map(\.0) == header)
            #expect(members.map { $0.1.text ?? "" } == row)
        }
        for path in SampleCompany.relativePaths() where path != "marketing/contacts.csv" {
            guard path != "marketing/contacts.jsonl" else { continue }
            #expect(try csvFolder.bytes(path) == jsonFolder.bytes(path), "\(path) depends on the contacts format")
        }
    }

    @Test func csvQuotesFieldsThatNeedIt() throws {
        try withDefaultSample { folder, _ in
            let text = try folder.text("crm/leads.csv")
            #expect(text.contains("\", Suite") || text.contains(", Suite"))
            // Multi-line streets and names with commas survive a round trip through an RFC 4180 reader.
            let leads = try folder.table("crm/leads.csv") + folder.table("crm/contacts.csv")
            #expect(leads.contains { ($0["Street"] ?? $0["MailingStreet"])!.contains("\n") })
            #expect(try folder.table("marketing/contacts.csv").contains { $0["Company Name"]!.contains(",") })
        }
    }

    @Test func scalesToAHundredThousandPeople() throws {
        try withDefaultSample(.init(people: 100_000, includeMalformedRows: false)) { folder, summary in
            #expect(summary.people == 100_000)
            let contacts = summary.files["marketing/contacts.csv"]!
            #expect((84_000...88_500).contains(contacts), "\(contacts)")
            let leads = summary.files["crm/leads.csv"]!
            let crmContacts = summary.files["crm/contacts.csv"]!
            #expect((28_000...33_000).contains(leads) && (33_000...38_500).contains(crmContacts))
            let touches = summary.files["marketing/touches.jsonl"]!
            #expect((13.0...17.0).contains(Double(touches) / Double(contacts)))
            #expect((13_500...18_500).contains(summary.files["crm/opportunities.csv"]!))
            #expect(try folder.lineCount("marketing/touches.jsonl") == touches)
            // truth.csv has no quoted fields: one record a line, the person id last.
            let truth = try folder.text("truth.csv").split(separator: "\n").dropFirst()
            #expect(truth.count == contacts + leads + crmContacts)
            #expect(Set(truth.map { $0.split(separator: ",").last! }).count == 100_000)
        }
    }

    // MARK: Configuration

    @Test func configurationReadsEveryExport() {
        let text = SampleCompany.configuration(
            dataDirectory: "sample/", feedbackPath: "out/feedback.jsonl", store: "./synchub.sqlite")
        #expect(text.hasPrefix("# ") && text.contains("\nversion: 1\n"))
        #expect(text.contains("store: \"./synchub.sqlite\""))
        for path in SampleCompany.relativePaths() where path != "truth.csv" {
            #expect(text.contains("path: \"sample/\(path)\""), "\(path)")
        }
        #expect(!text.contains("truth.csv"))
        #expect(text.contains("preset: hubspot") && text.contains("sameAs: { crm: \"Salesforce Contact ID\" }"))
        #expect(text.contains("columns: { contactID: contact_id, campaignID: campaign_id, occurredAt: occurred_at }"))
        #expect(text.contains("feedback:\n      path: \"out/feedback.jsonl\""))
        #expect(
            text.contains("deal_contacts: { path: \"sample/crm/opportunity_contact_roles.csv\", preset: salesforce }"))
        #expect(!text.contains("\t"))

        let jsonl = SampleCompany.configuration(
            dataDirectory: "/data/my \"sample\"", feedbackPath: "f.csv", store: "s.sqlite", contactsFormat: .jsonl)
        #expect(jsonl.contains("path: \"/data/my \\\"sample\\\"/marketing/contacts.jsonl\""))
    }

    // MARK: The shipped sample

    /// `sample/` at the repository root is exactly what the defaults generate.
    @Test func shippedSampleMatchesTheGenerator() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sample").path
        try withDefaultSample { folder, _ in
            for path in SampleCompany.relativePaths() {
                let shipped = try #require(FileManager.default.contents(atPath: root + "/" + path), "sample/\(path)")
                #expect(try [UInt8](shipped) == folder.bytes(path), "sample/\(path) is out of date")
            }
        }
    }
}
