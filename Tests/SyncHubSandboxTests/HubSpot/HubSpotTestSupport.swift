import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncHubCore
import Synchronization
import Testing

@testable import SyncHubSandbox

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A clock tests move by hand.
final class HubSpotTestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_767_225_600)) { current = Mutex(start) }  // 2026-01-01

    var now: Date { current.withLock { $0 } }

    func advance(seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    var sendableNow: @Sendable () -> Date { { self.now } }
}

/// Runs `body` against a router holding the simulator's routes.
func withHubSpot<Value: Sendable>(
    _ simulator: HubSpotSimulator, _ setup: TestingSetup = .router,
    _ body: @Sendable (any TestClientProtocol) async throws -> Value
) async throws -> Value {
    let router = Router()
    simulator.addRoutes(to: router)
    let app = Application(router: router)
    return try await app.test(setup) { client in try await body(client) }
}

/// A decoded response.
struct HubSpotTestResponse {
    var status: Int
    var headers: HTTPFields
    var bytes: [UInt8]
    var json: JSONValue

    func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
}

extension TestClientProtocol {
    /// Sends a request with the simulator's token (unless `token` is nil) and decodes the answer.
    func hubSpot(
        _ method: HTTPRequest.Method, _ uri: String, json body: String? = nil, token: String? = "sandbox-token",
        headers extra: HTTPFields = [:], rawBody: String? = nil
    ) async throws -> HubSpotTestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let body {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(string: body)
        } else if let rawBody {
            headers[.contentType] = "application/x-www-form-urlencoded"
            buffer = ByteBuffer(string: rawBody)
        }
        let response = try await executeRequest(uri: uri, method: method, headers: headers, body: buffer)
        let bytes = Array(response.body.readableBytesView)
        let json = (try? JSONValue.parse(bytes)) ?? .null
        return HubSpotTestResponse(status: Int(response.status.code), headers: response.headers, bytes: bytes, json: json)
    }
}

extension JSONValue {
    var hubSpotArray: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }
}

/// What a plain HTTP/1.1 client saw on the wire: the head, the declared length, and the body bytes that arrived
/// before the server closed the connection.
struct HubSpotWireResponse {
    var statusLine: String
    var headers: [String: String]
    var body: [UInt8]

    var contentLength: Int? { headers["content-length"].flatMap { Int($0) } }
}

/// Sends one request over a fresh TCP connection to 127.0.0.1:`port` and reads until the server closes.
///
/// The socket calls block, so they run on a thread of their own: blocking one of the few threads of Swift's
/// cooperative pool, while tests run in parallel, can starve the server's handlers until the read times out.
func hubSpotRawHTTPRequest(port: Int, _ request: String) async throws -> HubSpotWireResponse {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try blockingRawHTTPRequest(port: port, request) })
        }
    }
}

func blockingRawHTTPRequest(port: Int, _ request: String) throws -> HubSpotWireResponse {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw HubSpotPOSIXFailure(message: "socket") }
    defer { close(descriptor) }
    // A hang guard, not a speed limit: the whole suite shares two cores, and a reply can take a while.
    var timeout = timeval(tv_sec: 180, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { throw HubSpotPOSIXFailure(message: "connect") }
    let bytes = Array(request.utf8)
    var sent = 0
    while sent < bytes.count {
        let count = bytes[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw HubSpotPOSIXFailure(message: "send") }
        sent += count
    }
    var received: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count <= 0 { break }
        received.append(contentsOf: chunk[0..<count])
    }
    guard let split = hubSpotHeaderEnd(received) else {
        return HubSpotWireResponse(statusLine: String(decoding: received, as: UTF8.self), headers: [:], body: [])
    }
    let lines = String(decoding: received[..<split], as: UTF8.self).components(separatedBy: "\r\n")
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return HubSpotWireResponse(statusLine: lines.first ?? "", headers: headers, body: Array(received[(split + 4)...]))
}

private func hubSpotHeaderEnd(_ bytes: [UInt8]) -> Int? {
    guard bytes.count >= 4 else { return nil }
    for index in 0...(bytes.count - 4)
    where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
        return index
    }
    return nil
}

struct HubSpotPOSIXFailure: Error { var message: String }
