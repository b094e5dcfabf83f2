import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncHubCore
import SyncHubSandbox
import Testing

@Suite struct SalesforceOAuthTests {
    @Test func refreshReturnsTokenAndInstanceURLOfThisServer() async throws {
        let simulator = SalesforceSimulator(people: 40)
        try await withSalesforce(simulator) { client in
            let reply = try await client.refresh()
            #expect(reply.status == .ok)
            let json = reply.json
            #expect(json["instance_url"]?.text == "http://localhost")
            #expect(json["token_type"]?.text == "Bearer")
            #expect(json["scope"]?.text == "api refresh_token")
            #expect(json["access_token"]?.text?.hasPrefix("00D") == true)
            #expect(json["issued_at"]?.text.flatMap { Int64($0) } != nil)
            #expect(json["id"]?.text?.hasPrefix("http://localhost/id/00D") == true)
            #expect(json["signature"]?.text?.isEmpty == false)

            let proxied = try await client.refresh(headers: [
                HTTPField.Name("X-Forwarded-Host")!: "crm.internal:8443", HTTPField.Name("X-Forwarded-Proto")!: "https",
            ])
            #expect(proxied.json["instance_url"]?.text == "https://crm.internal:8443")
        }
    }

    @Test func instanceURLCarriesTheHostAndPortTheClientUsed() async throws {
        let simulator = SalesforceSimulator(people: 20)
        let router = Router()
        simulator.addRoutes(to: router)
        try await Application(router: router).test(.live) { client in
            let port = try #require(client.port)
            let form =
                "grant_type=refresh_token&client_id=\(SalesforceSimulator.clientID)&refresh_token=\(SalesforceSimulator.refreshToken)"
            let response = try await TestClient.withClient(host: "localhost", port: port) { raw in
                try await raw.execute(
                    TestClient.Request(
                        "/services/oauth2/token", method: .post, authority: "localhost:\(port)",
                        headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form)))
            }
            let json = try JSONValue.parse(String(buffer: response.body ?? ByteBuffer()))
            #expect(json["instance_url"]?.text == "http://localhost:\(port)")
        }
    }

    @Test func badGrantsAnswerWithOAuthErrors() async throws {
        let simulator = SalesforceSimulator(people: 20)
        try await withSalesforce(simulator) { client in
            let expired = try await client.refresh(refreshToken: "stale")
            #expect(expired.status == .badRequest)
            #expect(
                expired.json
                    == .object([
                        ("error", .string("invalid_grant")),
                        ("error_description", .string("expired access/refresh token")),
                    ]))

            let wrongGrant = try await client.send(
                "/services/oauth2/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: "grant_type=password&client_id=\(SalesforceSimulator.clientID)")
            #expect(wrongGrant.json["error"]?.text == "unsupported_grant_type")

            simulator.faults.revokeRefreshToken()
            #expect(try await client.refresh().json["error"]?.text == "invalid_grant")
            simulator.faults.revokeRefreshToken(false)
            #expect(try await client.refresh().status == .ok)
        }
    }

    @Test func expiredAccessTokenGets401InvalidSessionIDUntilRefreshed() async throws {
        let clock = ManualClock()
        let simulator = SalesforceSimulator(people: 20, now: clock.now)
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            #expect(try await client.query("SELECT Id FROM Account", token: token).status == .ok)

            clock.advance(seconds: 2 * 3600 + 1)
            let expired = try await client.query("SELECT Id FROM Account", token: token)
            #expect(expired.status == .unauthorized)
            #expect(expired.text == #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#)

            let fresh = try await client.accessToken()
            #expect(try await client.query("SELECT Id FROM Account", token: fresh).status == .ok)

            simulator.faults.expireTokensNow()
            #expect(try await client.query("SELECT Id FROM Account", token: fresh).status == .unauthorized)
            #expect(
                try await client.query("SELECT Id FROM Account", token: try await client.accessToken()).status == .ok)

            let missing = try await client.send("/services/data/v62.0/query?q=SELECT+Id+FROM+Account")
            #expect(missing.status == .unauthorized)
        }
    }
}

@Suite struct SalesforceQueryTests {
    @Test func pagingWithNextRecordsUrlReturnsEveryRowOnce() async throws {
        let simulator = SalesforceSimulator(seed: 7, people: 5000)
        let expected = simulator.ids("Contact")
        #expect(expected.count == 2500)
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            let first = try await client.query("SELECT Id, Email FROM Contact", token: token)
            #expect(first.json["done"] == .bool(false))
            #expect(first.json["totalSize"]?.text == "2500")
            let next = try #require(first.json["nextRecordsUrl"]?.text)
            #expect(next.hasPrefix("/services/data/v62.0/query/01g"))
            #expect(next.hasSuffix("-2000"))

            let all = try await client.queryAll("SELECT Id, Email FROM Contact", token: token)
            #expect(all.pages == [2000, 500])
            let ids = all.records.compactMap { $0["Id"]?.text }
            #expect(ids.count == 2500)
            #expect(Set(ids).count == 2500)
            #expect(ids == expected)
            #expect(all.totalSize == 2500)
            let attributes = try #require(all.records.first?["attributes"])
            #expect(attributes["type"]?.text == "Contact")
            #expect(attributes["url"]?.text == "/services/data/v62.0/sobjects/Contact/\(ids[0])")

            // The last page has no nextRecordsUrl.
            let last = try await client.get(next, token: token)
            #expect(last.json["done"] == .bool(true))
            #expect(last.json["nextRecordsUrl"] == nil)

            let unknown = try await client.get("/services/data/v62.0/query/01gHs0000000zzzAAA-2000", token: token)
            #expect(unknown.status == .badRequest)
            #expect(unknown.json.array.first?["errorCode"]?.text == "INVALID_QUERY_LOCATOR")
        }
    }

    @Test func batchSizeHeaderSetsThePageSizeWithin200To2000() async throws {
        let simulator = SalesforceSimulator(people: 1200)
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            let options = HTTPField.Name("Sforce-Query-Options")!
            let five = try await client.queryAll(
                "SELECT Id FROM Lead", token: token, headers: [options: "batchSize=250"])
            #expect(five.pages == [250, 250, 100])
            let tiny = try await client.queryAll(
                "SELECT Id FROM Lead", token: token, headers: [options: "batchSize=10"])
            #expect(tiny.pages == [200, 200, 200])
            let first = try await client.query("SELECT Id FROM Lead", token: token, headers: [options: "batchSize=250"])
            #expect(first.json["nextRecordsUrl"]?.text?.hasSuffix("-250") == true)
        }
    }

    @Test func modstampCursorReturnsLaterRowsInOrderWithTiesBrokenByID() async throws {
        let simulator = SalesforceSimulator(seed: 3, people: 3000)
        try await withSalesforce(simulator) { client in try await Self.checkModstampCursor(client) }
    }

    static func checkModstampCursor(_ client: SalesforceClient) async throws {
        let token = try await client.accessToken()
        let everything = try await client.queryAll("SELECT Id, SystemModstamp FROM Contact", token: token)
        let rows = everything.records.map { ($0["SystemModstamp"]?.text ?? "", $0["Id"]?.text ?? "") }
        #expect(rows.allSatisfy { $0.0.count == 28 && $0.0.hasSuffix(".000+0000") })
        let sorted = rows.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        // Many records share a second, and some runs exceed the smallest batch.
        let runs = Dictionary(grouping: rows, by: \.0).values.map(\.count)
        #expect(runs.filter { $0 > 1 }.count > 50)
        let longest = runs.max() ?? 0
        #expect(longest > 200)

        let cut = sorted[sorted.count / 2]
        let later = try await client.queryAll(
            "SELECT Id, SystemModstamp FROM Contact WHERE SystemModstamp > \(cut.0) ORDER BY SystemModstamp, Id",
            token: token)
        let got = later.records.map { ($0["SystemModstamp"]?.text ?? "", $0["Id"]?.text ?? "") }
        let want = sorted.filter { $0.0 > cut.0 }
        #expect(got.map(\.1) == want.map(\.1))

        // The tie-safe resume: same second with a larger id, or a later second.
        let resumed = try await client.queryAll(
            "SELECT Id FROM Contact WHERE (SystemModstamp = \(cut.0) AND Id > '\(cut.1)') OR SystemModstamp > \(cut.0) ORDER BY SystemModstamp ASC, Id ASC",
            token: token, headers: [HTTPField.Name("Sforce-Query-Options")!: "batchSize=200"])
        let wantResumed = sorted.filter { $0.0 > cut.0 || ($0.0 == cut.0 && $0.1 > cut.1) }
        #expect(resumed.records.compactMap { $0["Id"]?.text } == wantResumed.map(\.1))

        // Z and offset spellings of the same instant select the same rows.
        let zulu = String(cut.0.prefix(19)) + "Z"
        let inZ = try await client.query("SELECT COUNT() FROM Contact WHERE SystemModstamp >= \(zulu)", token: token)
        let inOffset = try await client.query(
            "SELECT COUNT() FROM Contact WHERE SystemModstamp >= \(cut.0)", token: token)
        #expect(inZ.json["totalSize"] == inOffset.json["totalSize"])
        #expect(inZ.json["records"] == .array([]))
    }

    @Test func queryAllShowsDeletedAndMergedRows() async throws {
        let simulator = SalesforceSimulator(people: 200)
        let ids = simulator.ids("Contact")
        let (gone, loser, master) = (ids[3], ids[4], ids[5])
        #expect(simulator.delete("Contact", ids: [gone]).contains(gone))
        #expect(simulator.merge("Contact", loser: loser, into: master))
        #expect(!simulator.merge("Contact", loser: loser, into: master))
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            let soql =
                "SELECT Id, IsDeleted, MasterRecordId FROM Contact WHERE Id IN ('\(gone)', '\(loser)', '\(master.prefix(15))') ORDER BY Id"
            let live = try await client.query(soql, token: token).json["records"]?.array ?? []
            #expect(live.compactMap { $0["Id"]?.text } == [master])

            let all = try await client.query(soql, token: token, all: true)
            #expect(all.status == .ok)
            let rows = all.json["records"]?.array ?? []
            #expect(rows.compactMap { $0["Id"]?.text } == [gone, loser, master])
            #expect(rows.map { $0["IsDeleted"] } == [.bool(true), .bool(true), .bool(false)])
            #expect(rows.map { $0["MasterRecordId"] } == [.null, .string(master), .null])
        }
    }

    @Test func deletingAnAccountCascadesToItsContacts() async throws {
        let simulator = SalesforceSimulator(people: 200)
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            let withContacts = try await client.query(
                "SELECT AccountId FROM Contact WHERE AccountId != null LIMIT 1", token: token)
            let account = try #require(withContacts.json["records"]?.array.first?["AccountId"]?.text)
            let before = try await client.query(
                "SELECT COUNT() FROM Contact WHERE AccountId = '\(account)'", token: token)
            #expect((Int(before.json["totalSize"]?.text ?? "") ?? 0) >= 1)
            simulator.delete("Account", ids: [account])
            let after = try await client.query(
                "SELECT COUNT() FROM Contact WHERE AccountId = '\(account)'", token: token)
            #expect(after.json["totalSize"]?.text == "0")
            let binned = try await client.query(
                "SELECT COUNT() FROM Contact WHERE AccountId = '\(account)' AND IsDeleted = true", token: token,
                all: true)
            #expect(binned.json["totalSize"] == before.json["totalSize"])
        }
    }

    @Test func recordsUseSalesforceSpellingsAndRelationshipsNest() async throws {
        let simulator = SalesforceSimulator(people: 600)
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            let lost = try await client.query(
                "SELECT Id, Name, StageName, Amount, CloseDate, IsWon, IsClosed, Loss_Reason__c, Account.Name, CreatedDate FROM Opportunity WHERE StageName = 'Closed Lost' AND Loss_Reason__c != null LIMIT 3",
                token: token)
            #expect(lost.status == .ok)
            let deal = try #require(lost.json["records"]?.array.first)
            #expect(deal["IsWon"] == .bool(false))
            #expect(deal["IsClosed"] == .bool(true))
            #expect(deal["CloseDate"]?.text?.count == 10)
            if case .number(let amount)? = deal["Amount"] {
                #expect(amount.hasSuffix(".0"))
            } else {
                #expect(deal["Amount"] == .null)
            }
            #expect(deal["Loss_Reason__c"]?.text != nil)
            #expect(deal["Account"]?["attributes"]?["type"]?.text == "Account")
            #expect(deal["Account"]?["Name"]?.text != nil)
            let keys: [String] = if case .object(let members) = deal { members.map(\.0) } else { [] }
            #expect(
                keys == [
                    "attributes", "Id", "Name", "StageName", "Amount", "CloseDate", "IsWon", "IsClosed",
                    "Loss_Reason__c", "Account", "CreatedDate",
                ])

            let won = try await client.query("SELECT COUNT() FROM Opportunity WHERE IsWon = true", token: token)
            #expect((Int(won.json["totalSize"]?.text ?? "") ?? 0) > 0)

            let converted = try await client.query(
                "SELECT Id, ConvertedContactId, ConvertedContact.Email, Email FROM Lead WHERE IsConverted = true LIMIT 5",
                token: token)
            let lead = try #require(converted.json["records"]?.array.first)
            #expect(lead["ConvertedContactId"]?.text?.hasPrefix("003") == true)
            #expect(lead["ConvertedContact"]?["Email"] == lead["Email"])

            let roles = try await client.query(
                "SELECT OpportunityId, ContactId, Role, IsPrimary FROM OpportunityContactRole WHERE IsPrimary = true LIMIT 1",
                token: token)
            #expect(roles.json["records"]?.array.first?["OpportunityId"]?.text?.hasPrefix("006") == true)
            let members = try await client.query(
                "SELECT CampaignId, LeadId, ContactId, Status, HasResponded, FirstRespondedDate, CreatedDate FROM CampaignMember WHERE HasResponded = true LIMIT 1",
                token: token)
            let member = try #require(members.json["records"]?.array.first)
            #expect(member["CampaignId"]?.text?.hasPrefix("701") == true)
            #expect(member["FirstRespondedDate"]?.text?.count == 10)
            let campaignID = try #require(member["CampaignId"]?.text)
            let campaign = try await client.get("/services/data/v62.0/sobjects/Campaign/\(campaignID)", token: token)
            #expect(campaign.json["Id"]?.text == campaignID)
        }
    }

    @Test func sameSeedAndDayGiveTheSameOrg() async throws {
        let clock = ManualClock()
        let a = SalesforceSimulator(seed: 11, people: 300, now: clock.now)
        let b = SalesforceSimulator(seed: 11, people: 300, now: clock.now)
        let c = SalesforceSimulator(seed: 12, people: 300, now: clock.now)
        let soql = "SELECT Id, Email, SystemModstamp, AccountId FROM Contact ORDER BY SystemModstamp, Id"
        let pageA = try await withSalesforce(a) { client in
            try await client.query(soql, token: try await client.accessToken()).text
        }
        let pageB = try await withSalesforce(b) { client in
            try await client.query(soql, token: try await client.accessToken()).text
        }
        let pageC = try await withSalesforce(c) { client in
            try await client.query(soql, token: try await client.accessToken()).text
        }
        #expect(pageA == pageB)
        #expect(pageA != pageC)
        for (object, prefix) in [
            ("Account", "001"), ("Lead", "00Q"), ("Contact", "003"), ("Opportunity", "006"),
            ("OpportunityContactRole", "00K"), ("Campaign", "701"), ("CampaignMember", "00v"),
        ] {
            let ids = a.ids(object)
            #expect(!ids.isEmpty)
            #expect(ids.allSatisfy { $0.count == 18 && $0.hasPrefix(prefix) })
        }
    }
}

@Suite struct SalesforceErrorTests {
    @Test func invalidFieldAndMalformedQueryBodies() async throws {
        let simulator = SalesforceSimulator(people: 20)
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            let unknown = try await client.query("SELECT Foo FROM Contact", token: token)
            #expect(unknown.status == .badRequest)
            let error = try #require(unknown.json.array.first)
            #expect(error["errorCode"]?.text == "INVALID_FIELD")
            #expect(
                error["message"]?.text?.hasPrefix(
                    "\nSELECT Foo FROM Contact\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'Contact'."
                ) == true)

            let relation = try await client.query("SELECT Id, Acount.Name FROM Contact", token: token)
            #expect(
                relation.json.array.first?["message"]?.text?.contains("Didn't understand relationship 'Acount'") == true
            )

            for malformed in [
                "SELECT Id FROM", "SELECT Id Contact",
                "SELECT Id FROM Contact WHERE Email = 'a' AND Title = 'b' OR Phone = 'c'",
                "SELECT Id FROM Contact LIMIT x",
            ] {
                let reply = try await client.query(malformed, token: token)
                #expect(reply.status == .badRequest)
                #expect(reply.json.array.first?["errorCode"]?.text == "MALFORMED_QUERY", "\(malformed)")
            }
            let grouped = try await client.query(
                "SELECT Id FROM Contact WHERE (Email = 'a' AND Title = 'b') OR Phone = 'c'", token: token)
            #expect(grouped.status == .ok)

            let quoted = try await client.query(
                "SELECT Id FROM Contact WHERE SystemModstamp > '2025-01-01T00:00:00Z'", token: token)
            #expect(quoted.json.array.first?["errorCode"]?.text == "INVALID_FIELD")
            #expect(
                quoted.json.array.first?["message"]?.text?.hasSuffix(
                    "value of filter criterion for field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes"
                ) == true)

            let object = try await client.query("SELECT Id FROM Contacts", token: token)
            #expect(object.json.array.first?["errorCode"]?.text == "INVALID_TYPE")
            let badID = try await client.query("SELECT Id FROM Contact WHERE Id = 'nope'", token: token)
            #expect(badID.json.array.first?["errorCode"]?.text == "INVALID_QUERY_FILTER_OPERATOR")
            let noQ = try await client.get("/services/data/v62.0/query", token: token)
            #expect(noQ.json.array.first?["errorCode"]?.text == "MALFORMED_QUERY")
            let oldVersion = try await client.query("SELECT Id FROM Contact", token: token).status
            #expect(oldVersion == .ok)
            let trailingSlash = try await client.get(
                "/services/data/v62.0/query/?q=SELECT+Id+FROM+Contact+LIMIT+2", token: token)
            #expect(trailingSlash.json["totalSize"]?.text == "2")
            let unknownResource = try await client.get("/services/data/v62.0/sobjectz/Contact", token: token)
            #expect(unknownResource.status == .notFound)
            #expect(
                unknownResource.text
                    == #"[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]"#)
            let unknownVersion = try await client.get(
                "/services/data/v99.0/query?q=SELECT+Id+FROM+Contact", token: token)
            #expect(unknownVersion.status == .notFound)
            #expect(unknownVersion.json.array.first?["errorCode"]?.text == "NOT_FOUND")
        }
    }

    @Test func limitInfoCountsCallsAndRefusesPastTheDailyLimit() async throws {
        let simulator = SalesforceSimulator(people: 20)
        try await withSalesforce(simulator) { client in
            let versions = try await client.send("/services/data/")
            #expect(versions.status == .ok)
            #expect(
                versions.json.array.last
                    == .object([
                        ("label", .string("Winter '25")), ("url", .string("/services/data/v62.0")),
                        ("version", .string("62.0")),
                    ]))
            #expect(versions.limitInfo == nil)

            let token = try await client.accessToken()
            #expect(try await client.query("SELECT Id FROM Account", token: token).limitInfo == "api-usage=1/15000")
            #expect(try await client.query("SELECT Id FROM Account", token: token).limitInfo == "api-usage=2/15000")
            #expect(simulator.apiCallsUsed == 2)

            simulator.faults.setDailyLimit(4, used: 3)
            let last = try await client.query("SELECT Id FROM Account", token: token)
            #expect(last.status == .ok)
            #expect(last.limitInfo == "api-usage=4/4")
            let refused = try await client.query("SELECT Id FROM Account", token: token)
            #expect(refused.status == .forbidden)
            #expect(
                refused.text == #"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#)
            #expect(refused.limitInfo == "api-usage=4/4")
            #expect(simulator.apiCallsUsed == 4)
        }
    }

    /// The daily count runs 24 hours from the simulation's start (Salesforce's limit is a rolling 24 hours), so a run
    /// that crosses midnight UTC keeps its count; a full day later it starts again.
    @Test func theDailyCountRunsFromTheStartNotFromMidnight() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_767_225_600 - 60))  // 2025-12-31 23:59 UTC
        let simulator = SalesforceSimulator(people: 20, now: clock.now)
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            #expect(try await client.query("SELECT Id FROM Account", token: token).limitInfo == "api-usage=1/15000")
            clock.advance(seconds: 120)
            #expect(try await client.query("SELECT Id FROM Account", token: token).limitInfo == "api-usage=2/15000")
            clock.advance(seconds: 86_400)
            let nextDay = try await client.accessToken()  // the first session has expired by then
            #expect(try await client.query("SELECT Id FROM Account", token: nextDay).limitInfo == "api-usage=1/15000")
        }
    }

    @Test func injected503sFailTheNextRequestsThenStop() async throws {
        let simulator = SalesforceSimulator(people: 20)
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            simulator.faults.failNext(2, with: .status(503), pathPrefix: "/services/data")
            for _ in 0..<2 {
                let failed = try await client.query("SELECT Id FROM Account", token: token)
                #expect(failed.status == .serviceUnavailable)
                #expect(failed.json.array.first?["errorCode"]?.text == "SERVER_UNAVAILABLE")
            }
            #expect(try await client.query("SELECT Id FROM Account", token: token).status == .ok)

            // Over HTTP, scoped to a path: the token endpoint is unaffected.
            let set = try await client.send(
                "/_sandbox/salesforce/faults", method: .post,
                body: #"{"failNext":{"count":1,"status":500,"pathPrefix":"/services/data/v62.0/query"}}"#)
            #expect(set.json["pendingFailures"]?.text == "1")
            #expect(try await client.refresh().status == .ok)
            let failed = try await client.query("SELECT Id FROM Account", token: token)
            #expect(failed.status == .internalServerError)
            #expect(failed.json.array.first?["errorCode"]?.text == "UNKNOWN_EXCEPTION")
            #expect(try await client.query("SELECT Id FROM Account", token: token).status == .ok)
            #expect(simulator.faults.pendingFailures == 0)
        }
    }

    @Test func truncatedBodyAndResetBreakTheConnection() async throws {
        let simulator = SalesforceSimulator(people: 20)
        let router = Router()
        simulator.addRoutes(to: router)
        try await Application(router: router).test(.live) { client in
            simulator.faults.failNext(1, with: .truncatedBody, pathPrefix: "/services/data/")
            await #expect(throws: (any Error).self) {
                _ = try await client.execute(uri: "/services/data/v62.0/query?q=SELECT+Id+FROM+Contact", method: .get)
            }
        }
        try await Application(router: router).test(.live) { client in
            simulator.faults.failNext(1, with: .connectionReset)
            await #expect(throws: (any Error).self) {
                _ = try await client.execute(uri: "/services/data/", method: .get)
            }
        }
    }
}

@Suite struct SalesforceCollectionsTests {
    static func patch(_ client: SalesforceClient, token: String, _ body: String) async throws -> SalesforceClient.Reply
    {
        try await client.send(
            "/services/data/v62.0/composite/sobjects", method: .patch,
            headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: body)
    }

    @Test func patchReturnsOneResultPerRecordInOrder() async throws {
        let clock = ManualClock()
        let simulator = SalesforceSimulator(people: 100, now: clock.now)
        let contacts = simulator.ids("Contact")
        let leads = simulator.ids("Lead")
        simulator.delete("Contact", ids: [contacts[1]])
        clock.advance(seconds: 90)
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            let body = """
                {"allOrNone":false,"records":[
                  {"attributes":{"type":"Contact"},"id":"\(contacts[0])","SyncHub_Deal_Outcome__c":"Won","SyncHub_Deal_Amount__c":12500,"SyncHub_Close_Date__c":"2025-05-01"},
                  {"attributes":{"type":"Contact"},"id":"\(contacts[1])","SyncHub_Deal_Outcome__c":"Lost"},
                  {"attributes":{"type":"Lead"},"id":"\(leads[0].prefix(15))","SyncHub_Loss_Reason__c":"Price"},
                  {"attributes":{"type":"Contact"},"id":"\(leads[1])","Title":"x"},
                  {"attributes":{"type":"Contact"},"id":"\(contacts[2])","Nope__c":"x"},
                  {"attributes":{"type":"Contact"},"id":"\(contacts[3])","CreatedDate":"2020-01-01T00:00:00Z"}
                ]}
                """
            let reply = try await Self.patch(client, token: token, body)
            #expect(reply.status == .ok)
            let results = reply.json.array
            #expect(results.count == 6)
            #expect(
                results[0] == .object([("id", .string(contacts[0])), ("success", .bool(true)), ("errors", .array([]))]))
            #expect(results[1]["success"] == .bool(false))
            #expect(results[1]["id"] == nil)
            #expect(results[1]["errors"]?.array.first?["statusCode"]?.text == "ENTITY_IS_DELETED")
            #expect(results[2]["id"]?.text == leads[0])
            #expect(results[3]["errors"]?.array.first?["statusCode"]?.text == "MALFORMED_ID")
            #expect(results[4]["errors"]?.array.first?["statusCode"]?.text == "INVALID_FIELD")
            #expect(
                results[4]["errors"]?.array.first?["message"]?.text
                    == "No such column 'Nope__c' on sobject of type Contact")
            #expect(results[5]["errors"]?.array.first?["statusCode"]?.text == "INVALID_FIELD_FOR_INSERT_UPDATE")
            #expect(results[5]["errors"]?.array.first?["fields"] == .array([.string("CreatedDate")]))

            let now = "2025-06-15T15:08:10.000+0000"
            let stored = try await client.query(
                "SELECT SyncHub_Deal_Outcome__c, SyncHub_Deal_Amount__c, SyncHub_Close_Date__c, SystemModstamp FROM Contact WHERE Id = '\(contacts[0])'",
                token: token)
            let row = try #require(stored.json["records"]?.array.first)
            #expect(row["SyncHub_Deal_Outcome__c"]?.text == "Won")
            #expect(row["SyncHub_Deal_Amount__c"] == .number("12500.0"))
            #expect(row["SyncHub_Close_Date__c"]?.text == "2025-05-01")
            #expect(row["SystemModstamp"]?.text == now)
            let changed = try await client.query("SELECT Id FROM Contact WHERE SystemModstamp >= \(now)", token: token)
            #expect(changed.json["records"]?.array.compactMap { $0["Id"]?.text } == [contacts[0]])
        }
    }

    @Test func allOrNoneRollsBackAndOversizedRequestsAreRefused() async throws {
        let simulator = SalesforceSimulator(people: 100)
        let contacts = simulator.ids("Contact")
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            let body = """
                {"allOrNone":true,"records":[
                  {"attributes":{"type":"Contact"},"id":"\(contacts[0])","Title":"Changed"},
                  {"attributes":{"type":"Contact"},"id":"003Hs0000000zzzAAA","Title":"Changed"}
                ]}
                """
            let results = try await Self.patch(client, token: token, body).json.array
            #expect(results[0]["id"]?.text == contacts[0])
            #expect(results[0]["errors"]?.array.first?["statusCode"]?.text == "ALL_OR_NONE_OPERATION_ROLLED_BACK")
            #expect(results[1]["errors"]?.array.first?["statusCode"]?.text == "INVALID_CROSS_REFERENCE_KEY")
            let title = try await client.query("SELECT Title FROM Contact WHERE Id = '\(contacts[0])'", token: token)
            #expect(title.json["records"]?.array.first?["Title"]?.text != "Changed")

            let many = (0..<201).map { _ in #"{"attributes":{"type":"Contact"},"id":"\#(contacts[0])","Title":"x"}"# }
            let tooMany = try await Self.patch(client, token: token, #"{"records":[\#(many.joined(separator: ","))]}"#)
            #expect(tooMany.status == .badRequest)
            #expect(
                tooMany.text
                    == #"[{"message":"record limit reached. cannot submit more than 200 records into this call","errorCode":"EXCEEDED_ID_LIMIT"}]"#
            )
        }
    }
}

@Suite struct SalesforceSandboxControlTests {
    @Test func touchAddAndDescribeOverHTTP() async throws {
        let clock = ManualClock()
        let simulator = SalesforceSimulator(people: 100, now: clock.now)
        clock.advance(seconds: 3600)
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            let touched = try await client.send(
                "/_sandbox/salesforce/touch", method: .post, body: #"{"sobject":"Lead","count":3}"#)
            let touchedIDs = touched.json["ids"]?.array.compactMap(\.text) ?? []
            #expect(touchedIDs.count == 3)
            let added = try await client.send(
                "/_sandbox/salesforce/add", method: .post, body: #"{"sobject":"Lead","count":2}"#)
            let addedIDs = added.json["ids"]?.array.compactMap(\.text) ?? []
            #expect(addedIDs.count == 2)
            let recent = try await client.query(
                "SELECT Id FROM Lead WHERE SystemModstamp = LAST_N_DAYS:0 ORDER BY SystemModstamp, Id", token: token)
            let recentIDs = Set(recent.json["records"]?.array.compactMap { $0["Id"]?.text } ?? [])
            #expect(recentIDs == Set(touchedIDs + addedIDs))

            let describe = try await client.get("/services/data/v62.0/sobjects/Opportunity/describe", token: token)
            let fields = describe.json["fields"]?.array ?? []
            let lossReason = fields.first { $0["name"]?.text == "Loss_Reason__c" }
            #expect(lossReason?["custom"] == .bool(true))
            #expect(fields.first { $0["name"]?.text == "AccountId" }?["referenceTo"] == .array([.string("Account")]))
            #expect(describe.json["keyPrefix"]?.text == "006")
        }
    }

    @Test func anEmptyOrgAnswersQueriesAndTheLatestAlias() async throws {
        let simulator = SalesforceSimulator(people: 0)
        #expect(simulator.ids("Contact").isEmpty)
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            let reply = try await client.get("/services/data/latest/query?q=SELECT+Id+FROM+Contact", token: token)
            #expect(reply.text == #"{"totalSize":0,"done":true,"records":[]}"#)
            let resources = try await client.get("/services/data/latest", token: token)
            #expect(resources.json["query"]?.text == "/services/data/v62.0/query")
            let added = simulator.add("Contact", count: 2)
            #expect(simulator.ids("Contact") == added)
        }
    }
}
