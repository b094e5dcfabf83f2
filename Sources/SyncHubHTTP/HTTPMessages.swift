public import Foundation
public import SyncHubCore

/// One HTTP request to a system's API.
///
/// ```swift
/// var request = HTTPRequest.get(baseURL.appending(path: "crm/v3/objects/contacts"))
/// request.setHeader("Accept", "application/json")
/// ```
///
/// Its `description` redacts credentials, so printing a request is safe.
public struct HTTPRequest: Sendable, CustomStringConvertible {
    public var method: String
    public var url: URL
    /// Header fields in order; names compare case-insensitively.
    public var headers: [(String, String)]
    public var body: Data?

    public init(method: String = "GET", url: URL, headers: [(String, String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// A `GET` of `url`.
    public static func get(_ url: URL, headers: [(String, String)] = []) -> HTTPRequest {
        HTTPRequest(method: "GET", url: url, headers: headers)
    }

    /// A `POST` of a JSON document.
    public static func post(_ url: URL, json: JSONValue, headers: [(String, String)] = []) -> HTTPRequest {
        post(url, json: json.serialized, headers: headers)
    }

    /// A `POST` of already serialized JSON (for example from ``JSONWriter``).
    public static func post(_ url: URL, json: [UInt8], headers: [(String, String)] = []) -> HTTPRequest {
        HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")] + headers, body: Data(json))
    }

    /// A `PATCH` of a JSON document (Salesforce sObject Collections, HubSpot updates).
    public static func patch(_ url: URL, json: JSONValue, headers: [(String, String)] = []) -> HTTPRequest {
        HTTPRequest(
            method: "PATCH", url: url, headers: [("Content-Type", "application/json")] + headers,
            body: Data(json.serialized))
    }

    /// A `POST` of `application/x-www-form-urlencoded` fields (OAuth token endpoints).
    public static func post(_ url: URL, form fields: [(String, String)], headers: [(String, String)] = []) -> HTTPRequest {
        let body = fields.map { formEncode($0.0) + "=" + formEncode($0.1) }.joined(separator: "&")
        return HTTPRequest(
            method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers,
            body: Data(body.utf8))
    }

    /// The value of the first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// Sets header `name`, replacing any fields of that name.
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.0.caseInsensitiveCompare(name) == .orderedSame }
        headers.append((name, value))
    }

    /// The URL's path as safe to log: no query string, no segment that looks like an email address.
    public var loggablePath: String { SyncHubHTTP.loggablePath(url) }

    public var description: String {
        let fields = redactedHeaders(headers).map { "\($0.0): \($0.1)" }.joined(separator: ", ")
        return "\(method) \(loggablePath) [\(fields)]"
    }
}

/// A system's answer.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header fields as received; use ``header(_:)`` to look one up.
    public var headers: [(String, String)]
    public var body: Data

    public init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// The body parsed as JSON with Core's fast parser.
    public func json() throws -> JSONValue {
        try body.withUnsafeBytes { raw in
            try JSONValue.parse(raw.bindMemory(to: UInt8.self))
        }
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// Header field names whose values are credentials.
private let secretHeaderNames: Set<String> = [
    "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "apikey",
]

/// `headers` with the values of credential-bearing fields replaced by `<redacted>`
/// (the auth scheme, such as `Bearer`, is kept). Use it whenever headers are logged or shown.
public func redactedHeaders(_ headers: [(String, String)]) -> [(String, String)] {
    headers.map { name, value in
        let lower = name.lowercased()
        let secret = secretHeaderNames.contains(lower) || lower.contains("token") || lower.contains("secret")
            || lower.contains("password") || lower.hasSuffix("key") || lower.contains("session")
        guard secret else { return (name, value) }
        if let space = value.firstIndex(of: " "), lower.hasSuffix("authorization") {
            return (name, value[..<space] + " <redacted>")
        }
        return (name, "<redacted>")
    }
}

/// The path of `url` as safe for logs and error messages: the query string (which can hold keys) is dropped,
/// and path segments that hold an email address are replaced by `<redacted>`.
func loggablePath(_ url: URL) -> String {
    let path = URLComponents(url: url, resolvingAgainstBaseURL: true)?.percentEncodedPath ?? url.path
    if path.isEmpty { return "/" }
    guard path.contains("@") || path.localizedCaseInsensitiveContains("%40") else { return path }
    return path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
        segment.contains("@") || segment.localizedCaseInsensitiveContains("%40") ? "<redacted>" : String(segment)
    }.joined(separator: "/")
}

private let formAllowed = CharacterSet(
    charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._*")

private func formEncode(_ text: String) -> String {
    (text.addingPercentEncoding(withAllowedCharacters: formAllowed) ?? text)
}
