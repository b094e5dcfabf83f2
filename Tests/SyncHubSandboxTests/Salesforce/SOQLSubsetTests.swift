import Foundation
import HTTPTypes
import SyncHubCore
import SyncHubSandbox
import Testing

/// The SOQL subset beyond the cursor query: each filtered query is checked against the same filter applied to a
/// full read.
@Suite struct SOQLSubsetTests {
    static let clock = ManualClock()

    @Test func filtersOrderingAndPagingAgreeWithAFullRead() async throws {
        let simulator = SalesforceSimulator(seed: 5, people: 800, now: Self.clock.now)
        try await withSalesforce(simulator) { client in try await Self.check(client) }
    }

    static func check(_ client: SalesforceClient) async throws {
        let token = try await client.accessToken()
        let leads = try await client.queryAll(
            "SELECT Id, Email, Status, CreatedDate, NumberOfEmployees, IsConverted, LastName FROM Lead", token: token,
            all: false
        ).records
        #expect(leads.count == 400)
        func ids(_ soql: String) async throws -> [String] {
            let reply = try await client.query(soql, token: token)
            #expect(reply.status == .ok, "\(soql): \(reply.text.prefix(300))")
            return reply.json["records"]?.array.compactMap { $0["Id"]?.text } ?? []
        }
        func field(_ record: JSONValue, _ name: String) -> String? { record[name]?.text }

        // LIKE is case-insensitive; NOT IN keeps other values (and nulls).
        let example = try await ids(
            "SELECT Id FROM Lead WHERE Email LIKE '%.EXAMPLE' AND Status NOT IN ('Closed - Converted', 'Open - Not Contacted')"
        )
        let expected = leads.filter {
            (field($0, "Email")?.lowercased().hasSuffix(".example") ?? false)
                && !["Closed - Converted", "Open - Not Contacted"].contains(field($0, "Status") ?? "")
        }.compactMap { field($0, "Id") }
        #expect(example == expected)
        #expect(!example.isEmpty)

        // Numbers and NOT over a parenthesised OR.
        let sized = try await ids(
            "SELECT Id FROM Lead WHERE NOT (NumberOfEmployees >= 200 OR NumberOfEmployees = null)")
        let wantSized = leads.filter {
            guard let n = field($0, "NumberOfEmployees").flatMap(Double.init) else { return false }
            return n < 200
        }.compactMap { field($0, "Id") }
        #expect(sized == wantSized)

        // Relative dates: LAST_N_DAYS:90 on a datetime field.
        let today = Int(Self.clock.now().timeIntervalSince1970) / 86400
        let recent = try await ids("SELECT Id FROM Lead WHERE CreatedDate = LAST_N_DAYS:90")
        let wantRecent = leads.filter { lead in
            guard let text = field(lead, "CreatedDate"),
                let date = ISO8601DateFormatter().date(from: text.replacingOccurrences(of: ".000+0000", with: "Z"))
            else { return false }
            let day = Int(date.timeIntervalSince1970) / 86400
            return day >= today - 90 && day <= today
        }.compactMap { field($0, "Id") }
        #expect(recent == wantRecent)

        // ORDER BY text DESC, then Id; OFFSET and LIMIT.
        let ordered = try await ids("SELECT Id FROM Lead ORDER BY LastName DESC, Id ASC LIMIT 7 OFFSET 3")
        let wantOrdered = leads.sorted {
            let a = field($0, "LastName")!.lowercased()
            let b = field($1, "LastName")!.lowercased()
            return a != b ? a > b : field($0, "Id")! < field($1, "Id")!
        }.compactMap { field($0, "Id") }
        #expect(ordered == Array(wantOrdered[3..<10]))

        // Booleans, and a date compared with a date literal.
        let converted = try await ids("SELECT Id FROM Lead WHERE IsConverted = true AND ConvertedDate > 2000-01-01")
        #expect(converted == leads.filter { $0["IsConverted"] == .bool(true) }.compactMap { field($0, "Id") })

        // The owner relationship reaches User.
        let owners = try await client.query("SELECT Id, Owner.Name, Owner.Email FROM Lead LIMIT 1", token: token)
        #expect(owners.json["records"]?.array.first?["Owner"]?["attributes"]?["type"]?.text == "User")
    }

    @Test func anOpenCursorKeepsTheResultAsItWasWhenTheQueryRan() async throws {
        let simulator = SalesforceSimulator(people: 5000, now: Self.clock.now)
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            let soql = "SELECT Id, Title FROM Contact ORDER BY Id"
            let first = try await client.query(soql, token: token)
            let next = try #require(first.json["nextRecordsUrl"]?.text)
            let all = simulator.ids("Contact")
            simulator.delete("Contact", ids: [all[2400]])
            simulator.add("Contact", count: 5)
            let second = try await client.get(next, token: token)
            let ids = (first.json["records"]?.array ?? []) + (second.json["records"]?.array ?? [])
            #expect(ids.compactMap { $0["Id"]?.text } == all)
            #expect(second.json["done"] == .bool(true))
            // A new query sees the changes.
            let again = try await client.queryAll(soql, token: token)
            #expect(again.records.count == all.count - 1 + 5)
        }
    }
}
