import SyncHubCore
import Testing

@Suite struct JSONTests {
    @Test func parsesNestedDocumentsKeepingMemberOrder() throws {
        let value = try JSONValue.parse(#"{"b": 1, "a": [true, null, "x\"y\u00e9\n"], "c": {"d": -2.5e3}}"#)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["b", "a", "c"])
        #expect(value["b"]?.text == "1")
        #expect(value["a"] == .array([.bool(true), .null, .string("x\"yé\n")]))
        #expect(value["c"]?["d"]?.text == "-2.5e3")
    }

    @Test func roundTripsThroughTheWriter() throws {
        let original = JSONValue.object([("name", .string("Zoë \"Z\" \u{1}")), ("n", .number("3")), ("list", .array([.null]))])
        #expect(try JSONValue.parse(original.serialized) == original)
    }

    @Test(arguments: ["", "{", #"{"a" 1}"#, "[1,]", "tru", #""\x""#, "{} x"])
    func rejectsMalformedInputWithAnOffset(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSONValue.parse(#""\ud83d\ude00""#) == .string("😀"))
    }
}

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2025-03-04T05:06:07Z", "2025-03-04T05:06:07Z"),
        ("2025-03-04T05:06:07.250Z", "2025-03-04T05:06:07.250Z"),
        ("2025-03-04T05:06:07.000+0000", "2025-03-04T05:06:07Z"),
        ("2025-03-04T07:06:07+02:00", "2025-03-04T05:06:07Z"),
        ("2025-03-04 05:06", "2025-03-04T05:06:00Z"),
        ("2025-03-04", "2025-03-04T00:00:00Z"),
        ("3/4/2025 5:06", "2025-03-04T05:06:00Z"),
        ("1741064767000", "2025-03-04T05:06:07Z"),
        ("19810223", "1981-02-23T00:00:00Z"),
        ("20240229", "2024-02-29T00:00:00Z"),
        ("20230229", "2023-03-01T00:00:00Z"),  // as `2023-02-29`: day overflow rolls into the next month
    ])
    func normalizesCommonSpellings(input: String, expected: String) {
        #expect(Timestamps.normalize(input) == expected)
    }

    @Test(arguments: ["", "yesterday", "2025-13-01", "2025-03-04T25:00:00Z", "12", "19231164", "19231301", "20231200"])
    func rejectsUnreadableDates(input: String) {
        #expect(Timestamps.normalize(input) == nil)
    }

    @Test func datesDropTheTime() {
        #expect(Timestamps.date("2024-02-29T23:59:59-01:00") == "2024-03-01")
    }
}

@Suite struct RetryPolicyTests {
    @Test func backsOffExponentiallyUpToTheCapAndHonoursRetryAfter() {
        let policy = RetryPolicy(maxAttempts: 5, initialDelay: .seconds(1), maxDelay: .seconds(10))
        #expect(policy.delay(forRetry: 1, retryAfter: nil, jitter: 1) == .seconds(1))
        #expect(policy.delay(forRetry: 3, retryAfter: nil, jitter: 1) == .seconds(4))
        #expect(policy.delay(forRetry: 9, retryAfter: nil, jitter: 1) == .seconds(10))
        #expect(policy.delay(forRetry: 1, retryAfter: .seconds(30), jitter: 1) == .seconds(30))
        #expect(policy.delay(forRetry: 2, retryAfter: nil, jitter: 0.5) == .seconds(1))
    }
}

@Suite struct ContentHashTests {
    @Test func differsOnEditsAndIsStable() {
        #expect(ContentHash.of("abc") == ContentHash.of("abc"))
        #expect(ContentHash.of("abc") != ContentHash.of("abd"))
        #expect(ContentHash.hex(ContentHash.of("")) == "cbf29ce484222325")
    }
}
