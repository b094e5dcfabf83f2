import Foundation
import SyncHubCore
import Testing
@testable import SyncHubHTTP

@Suite struct RedactionTests {
    @Test func redactedHeadersHidesCredentialsOnly() {
        let headers = redactedHeaders([
            ("Authorization", "Bearer pat-na1-secret"), ("Content-Type", "application/json"),
            ("X-API-Key", "k-123"), ("Cookie", "sid=abc"), ("X-Auth-Token", "t-1"), ("Proxy-Authorization", "Basic dXNlcg=="),
            ("X-HubSpot-RateLimit-Remaining", "10"), ("Sforce-Limit-Info", "api-usage=1/5"),
        ])
        #expect(headers.map(\.0) == [
            "Authorization", "Content-Type", "X-API-Key", "Cookie", "X-Auth-Token", "Proxy-Authorization",
            "X-HubSpot-RateLimit-Remaining", "Sforce-Limit-Info",
        ])
        #expect(headers.map(\.1) == [
            "Bearer <redacted>", "application/json", "<redacted>", "<redacted>", "<redacted>", "Basic <redacted>",
            "10", "api-usage=1/5",
        ])
    }

    @Test func loggablePathDropsTheQueryAndEmails() throws {
        let url = try #require(URL(string: "https://api.hubapi.com/crm/v3/objects/contacts/jane%40example.com?idProperty=email&hapikey=secret"))
        #expect(loggablePath(url) == "/crm/v3/objects/contacts/<redacted>")
        let plain = try #require(URL(string: "https://x.my.salesforce.com/services/data/v60.0/query/01gD0000002HU6KIAW-2000?q=1"))
        #expect(loggablePath(plain) == "/services/data/v60.0/query/01gD0000002HU6KIAW-2000")
        #expect(loggablePath(try #require(URL(string: "https://example.com"))) == "/")
    }

    @Test func systemErrorTextIsShortAndHasNoEmails() {
        let long = String(repeating: "x", count: 500)
        let hubspot = SystemError(APIResponse(status: 400, body: Data(#"{"status":"error","message":"\#(long)","category":"VALIDATION_ERROR"}"#.utf8)))
        #expect(hubspot.code == "VALIDATION_ERROR")
        #expect(hubspot.text!.count < 330)
        let salesforce = SystemError(APIResponse(status: 400, body: Data(#"[{"message":"bad value a.b@c.io; see","errorCode":"FIELD_INTEGRITY_EXCEPTION"},{"message":"x","errorCode":"Y"}]"#.utf8)))
        #expect(salesforce.text == #""bad value <email>; see (and 1 more)" (FIELD_INTEGRITY_EXCEPTION)"#)
        #expect(SystemError(APIResponse(status: 500, body: Data("<html>oops</html>".utf8))).text == nil)
        #expect(redactEmails("user @ host, x@y.z and (a@b.co)") == "user @ host, <email> and (<email>)")
    }

    @Test func requestHelpersBuildBodiesAndHeaders() throws {
        let url = try #require(URL(string: "https://login.salesforce.com/services/oauth2/token"))
        let form = APIRequest.post(url, form: [("grant_type", "refresh_token"), ("refresh_token", "a+b/c=d&e f")])
        #expect(form.method == "POST")
        #expect(form.header("content-type") == "application/x-www-form-urlencoded")
        #expect(String(decoding: form.body ?? Data(), as: UTF8.self) == "grant_type=refresh_token&refresh_token=a%2Bb%2Fc%3Dd%26e%20f")
        #expect(!form.description.contains("a+b"))
        let json = APIRequest.post(url, json: .object([("limit", .number("100"))]))
        #expect(String(decoding: json.body ?? Data(), as: UTF8.self) == #"{"limit":100}"#)
        var request = APIRequest.get(url, headers: [("accept", "text/plain")])
        request.setHeader("Accept", "application/json")
        #expect(request.headers.count == 1)
        #expect(request.header("ACCEPT") == "application/json")
        let response = APIResponse(status: 200, headers: [("Content-Type", "application/json")], body: Data("[1,true]".utf8))
        #expect(try response.json() == .array([.number("1"), .bool(true)]))
        #expect(response.header("content-type") == "application/json")
        #expect(throws: JSONParseError.self) { try APIResponse(status: 200, body: Data("{".utf8)).json() }
    }
}
