import Foundation
import SyncHubCore
import Testing

@testable import SyncHubSampleData

/// The sample's lifecycle history, sales activities and unsubscribes: what the alignment report and checks read.
@Suite struct SampleAlignmentTests {
    func withSample<Result>(_ body: (TemporaryFolder) throws -> Result) throws -> Result {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try SampleCompany.write(to: folder.path, options: .init(people: 2000))
        return try body(folder)
    }

    static let becameColumns = [
        "Became a Lead Date", "Became a Marketing Qualified Lead Date", "Became a Sales Qualified Lead Date",
        "Became an Opportunity Date", "Became a Customer Date",
    ]

    @Test func lifecycleDatesFollowTheStageInOrder() throws {
        try withSample { folder in
            let ladder = [
                "Subscriber", "Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity", "Customer",
            ]
            var withHistory = 0
            for row in try folder.table("marketing/contacts.csv") where row["Record ID"] != "49999999" {
                let step = try #require(ladder.firstIndex(of: row["Lifecycle Stage"]!), "\(row["Lifecycle Stage"]!)")
                let dates = Self.becameColumns.map { row[$0]! }
                // A date for every stage up to the current one, none beyond.
                #expect(
                    dates.enumerated().allSatisfy { $0.element.isEmpty == ($0.offset >= step) }, "\(row["Record ID"]!)")
                let present = dates.filter { !$0.isEmpty }
                #expect(present == present.sorted(), "stage dates in order")
                #expect(present.allSatisfy { ("2025-05-01"..."2026-10-31 23:59").contains($0) })
                if present.count >= 3 { withHistory += 1 }
            }
            #expect(withHistory > 300, "people with MQL and later history: \(withHistory)")
        }
    }

    @Test func salesFollowsUpAfterAssignmentSomeLateSomeNever() throws {
        try withSample { folder in
            let leads = try folder.table("crm/leads.csv")
            let contacts = try folder.table("crm/contacts.csv")
            var created: [String: String] = [:]
            for row in leads + contacts { created[row["Id"]!] = row["CreatedDate"]! }
            let activities = try folder.table("crm/activities.csv")
            #expect((4_000...6_000).contains(activities.count), "\(activities.count)")
            #expect(Set(activities.map { $0["Type"]! }) == ["Call", "Email", "Meeting"])
            #expect(Set(activities.map { $0["Status"]! }) == ["Completed", "Open"])
            #expect(activities.allSatisfy { $0["ActivityDateTime"]! <= "2026-10-31T23:59:59.000Z" })
            for activity in activities {
                let who = activity["WhoId"]!
                #expect(who.hasPrefix("00Q") || who.hasPrefix("003"))
                #expect(activity["Id"]!.hasPrefix(activity["Type"] == "Meeting" ? "00U" : "00T"))
            }

            // First completed activity per lead, and the delay since the lead was created (its assignment).
            var first: [String: String] = [:]
            for activity in activities where activity["Status"] == "Completed" {
                let who = activity["WhoId"]!
                if first[who].map({ activity["ActivityDateTime"]! < $0 }) ?? true {
                    first[who] = activity["ActivityDateTime"]!
                }
            }
            var within = 0
            var late = 0
            for lead in leads where lead["Status"] != "Closed - Converted" {
                let id = lead["Id"]!
                if lead["Status"] == "Open - Not Contacted" {
                    #expect(first[id] == nil, "a lead nobody contacted has no activity")
                    continue
                }
                let followUp = try #require(first[id], "\(lead["Status"]!) without an activity")
                #expect(followUp >= lead["CreatedDate"]!)
                let hours =
                    Double(Timestamps.milliseconds(followUp)! - Timestamps.milliseconds(lead["CreatedDate"]!)!)
                    / 3_600_000
                if hours <= 24 { within += 1 } else { late += 1 }
            }
            #expect(within > late && late > 20, "within \(within), late \(late)")
            #expect(leads.filter { $0["Status"] == "Open - Not Contacted" }.count > 5)
            #expect(leads.contains { $0["Status"] == "Recycled" })
        }
    }

    @Test func somePeopleUnsubscribeAndGetNoEmailAfterwards() throws {
        try withSample { folder in
            var byContact: [String: [(type: String, time: String)]] = [:]
            for line in try folder.lines("marketing/touches.jsonl") {
                guard let touch = try? JSONValue.parse(line), let contact = touch["contact_id"]?.text else { continue }
                byContact[contact, default: []].append((touch["type"]?.text ?? "", touch["occurred_at"]?.text ?? ""))
            }
            let unsubscribed = byContact.filter { $0.value.contains { $0.type == "unsubscribe" } }
            #expect((30...120).contains(unsubscribed.count), "\(unsubscribed.count)")
            for (_, touches) in unsubscribed {
                let time = touches.first { $0.type == "unsubscribe" }!.time
                #expect(!touches.contains { $0.type.hasPrefix("email_") && $0.time > time })
            }
        }
    }

    @Test func theRootConfigurationCarriesTheSampleAlignmentSections() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("connectors.yml").path
        let text = String(decoding: try #require(FileManager.default.contents(atPath: root)), as: UTF8.self)
        #expect(
            text.hasSuffix(SampleCompany.alignmentSections), "connectors.yml ends with SampleCompany.alignmentSections")
        #expect(text.contains("path: sample/crm/activities.csv"))
        let generated = SampleCompany.configuration(
            dataDirectory: "sample", feedbackPath: "out/feedback.jsonl", store: "s")
        #expect(generated.contains("activities:\n        path: \"sample/crm/activities.csv\""))
        #expect(generated.hasSuffix(SampleCompany.alignmentSections))
        // Every sales rep's CRM user id has a name for reports.
        for (index, name) in SampleWords.owners.enumerated() {
            #expect(text.contains("\"\(SalesforceID.make("005", index))\": \(name)"))
        }
    }
}
