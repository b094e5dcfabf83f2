import HTTPTypes
import Hummingbird
import SyncHubCore
import Synchronization

/// A response before it goes on the wire, so an injected fault can cut its body.
typealias HeaderName = HTTPFields.Element.Name

struct SFReply: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields = [:]
    var body: [UInt8]

    static let limitInfo = HeaderName("Sforce-Limit-Info")!
    static let queryOptions = HeaderName("Sforce-Query-Options")!

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> SFReply {
        SFReply(status: status, body: value.serialized)
    }

    /// Salesforce's REST error body: `[{"message": …, "errorCode": …}]`.
    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> SFReply {
        json(.array([.object([("message", .string(message)), ("errorCode", .string(code))])]), status: status)
    }

    static func notFound() -> SFReply { error(.notFound, "NOT_FOUND", "The requested resource does not exist") }

    /// An OAuth error body: `{"error": …, "error_description": …}`.
    static func oauthError(_ code: String, _ description: String, status: HTTPResponse.Status = .badRequest) -> SFReply
    {
        json(.object([("error", .string(code)), ("error_description", .string(description))]), status: status)
    }

    /// The body Salesforce sends with an injected HTTP status.
    static func injected(status code: Int) -> SFReply {
        let status = HTTPResponse.Status(code: code)
        switch code {
        case 401: return error(status, "INVALID_SESSION_ID", "Session expired or invalid")
        case 403: return error(status, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
        case 404: return notFound()
        case 503:
            return error(status, "SERVER_UNAVAILABLE", "Server is temporarily unavailable. Please try again later.")
        default:
            return error(
                status, "UNKNOWN_EXCEPTION",
                "An unexpected error occurred. Please include this ErrorId if you contact support: 1538464720-57612 (1283017545)"
            )
        }
    }

    func response() -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json;charset=UTF-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The head with the full `Content-Length`, about half of the body, then the connection closes.
    func truncatedResponse() -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json;charset=UTF-8"
        let half = ByteBuffer(bytes: body.prefix(body.count / 2))
        return Response(
            status: status, headers: headers,
            body: ResponseBody(contentLength: body.count) { writer in
                try await writer.write(half)
                throw SandboxConnectionFault()
            })
    }

    /// A head announcing a body that never comes: the connection closes first.
    static func resetResponse() -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json;charset=UTF-8"],
            body: ResponseBody(contentLength: 512) { _ in throw SandboxConnectionFault() })
    }
}

/// Thrown by a response body to make the server drop the connection.
struct SandboxConnectionFault: Error {}

/// Request-side helpers.
enum SFRequest {
    /// The value of query parameter `name`, decoded (`+` is a space, `%XX` a byte).
    static func parameter(_ name: String, in query: String?) -> String? {
        form(query ?? "")[name]
    }

    /// Decodes `application/x-www-form-urlencoded` text; the first value of a name wins.
    static func form(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            if out[key] == nil { out[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return out
    }

    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if byte == UInt8(ascii: "%"), utf8.count >= 2, let high = hex(utf8[utf8.startIndex]),
                let low = hex(utf8[utf8.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 65...70: c - 55
        case 97...102: c - 87
        default: nil
        }
    }

    /// `batchSize` from `Sforce-Query-Options`, kept within 200…2000.
    static func batchSize(_ request: Request) -> Int? {
        guard let header = request.headers[SFReply.queryOptions] else { return nil }
        for option in header.split(separator: ",") {
            let parts = option.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingSpaces.lowercased() == "batchsize",
                let size = Int(parts[1].trimmingSpaces)
            else { continue }
            return min(2000, max(200, size))
        }
        return nil
    }

    /// The client's view of this server: `X-Forwarded-Proto`/`X-Forwarded-Host` when a proxy set them, else the
    /// Host header.
    static func baseURL(_ request: Request) -> String {
        let scheme = request.headers[HeaderName("X-Forwarded-Proto")!] ?? "http"
        let host =
            request.headers[HeaderName("X-Forwarded-Host")!] ?? request.head.authority
            ?? request.headers[HeaderName("Host")!] ?? "localhost"
        return "\(scheme)://\(host)"
    }

    /// The bearer token of the `Authorization` header (`Bearer` or the older `OAuth` scheme).
    static func accessToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        for scheme in ["Bearer ", "OAuth "] where header.hasPrefix(scheme) {
            let token = header.dropFirst(scheme.count).trimmingSpaces
            return token.isEmpty ? nil : String(token)
        }
        return nil
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return text
    }
}

extension String {
    var trimmingSpaces: Substring { self[...].trimmingSpaces }
}
