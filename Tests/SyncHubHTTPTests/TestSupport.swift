import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
@testable import SyncHubHTTP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Hummingbird exports its own HTTPRequest and HTTPResponse; these name ours.
typealias APIRequest = SyncHubHTTP.HTTPRequest
typealias APIResponse = SyncHubHTTP.HTTPResponse

/// A response from a test route.
func reply(_ status: Int, _ body: String = "", headers: [(String, String)] = []) -> Response {
    var fields = HTTPFields()
    for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
    if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
        fields[.contentType] = "application/json"
    }
    return Response(
        status: HTTPTypes.HTTPResponse.Status(code: status), headers: fields,
        body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
}

/// A header of a request a test route received.
func header(_ request: Request, _ name: String) -> String? {
    request.headers[HTTPField.Name(name)!]
}

/// The host and port a request was sent to (its Host header).
func authority(_ request: Request) -> String? {
    request.head.authority
}

/// The body of a request a test route received.
func bodyText(_ request: Request) async throws -> String {
    String(buffer: try await request.body.collect(upTo: 1 << 20))
}

/// Form fields of an `application/x-www-form-urlencoded` body.
func formFields(_ text: String) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in text.split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1).map {
            String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
        }
        fields[parts[0]] = parts.count > 1 ? parts[1] : ""
    }
    return fields
}

/// Counts calls across concurrent route handlers.
final class Counter: Sendable {
    private let value = Mutex(0)
    /// Adds one and returns the new count.
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
    var count: Int { value.withLock { $0 } }
}

/// Records the durations a client or budget asked to sleep, without sleeping.
final class SleepRecorder: Sendable {
    private let values = Mutex<[Duration]>([])
    let clock: ManualClock?

    init(clock: ManualClock? = nil) { self.clock = clock }

    var sleep: @Sendable (Duration) async throws -> Void {
        { duration in
            self.values.withLock { $0.append(duration) }
            self.clock?.advance(by: duration)
        }
    }
    var durations: [Duration] { values.withLock { $0 } }
}

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let start = ContinuousClock.now
    private let offset = Mutex<Duration>(.zero)

    var now: @Sendable () -> ContinuousClock.Instant { { self.start + self.offset.withLock { $0 } } }
    func advance(by duration: Duration) { offset.withLock { $0 += duration } }
}

/// Keeps every log entry, rendered with its metadata, for assertions.
final class LogRecorder: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let storage = Mutex<[Entry]>([])
    var entries: [Entry] { storage.withLock { $0 } }

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ entry: Entry) { storage.withLock { $0.append(entry) } }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            var rendered: [String: String] = [:]
            for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
                rendered[key] = "\(value)"
            }
            recorder.append(Entry(level: event.level, message: "\(event.message)", metadata: rendered))
        }
    }
}

/// A one-connection-at-a-time HTTP/1.1 server on raw sockets, for failures Hummingbird won't produce: a body cut
/// short of its Content-Length, a connection reset. `respond` gets the 1-based connection number.
final class RawServer: Sendable {
    enum Action: Sendable {
        /// Write these bytes, then close.
        case send(String)
        /// Close with a reset (SO_LINGER 0) right after reading the request.
        case reset
    }

    let port: Int
    private let listener: Int32
    let connections = Counter()
    /// Signalled by the accept thread once it has closed the listener: only then may its descriptor number be
    /// reused. (Closing it from `stop()` raced: a recycled descriptor let a stopped server's thread accept, and
    /// reset, another test's connections.)
    private let finished = DispatchSemaphore(value: 0)

    init(respond: @escaping @Sendable (Int) -> Action) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        let connections = self.connections
        let finished = self.finished
        let thread = Thread {
            defer {
                close(fd)
                finished.signal()
            }
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                let number = connections.next()
                RawServer.readRequest(client)
                switch respond(number) {
                case .send(let text):
                    var bytes = Array(text.utf8)
                    var offset = 0
                    while offset < bytes.count {
                        let written = bytes[offset...].withUnsafeMutableBytes { write(client, $0.baseAddress, $0.count) }
                        if written <= 0 { break }
                        offset += written
                    }
                    bytes.removeAll()
                    shutdown(client, Int32(SHUT_WR))
                    close(client)
                case .reset:
                    var option = linger(l_onoff: 1, l_linger: 0)
                    setsockopt(client, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
                    close(client)
                }
            }
        }
        thread.start()
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Stops accepting and waits for the thread to close the listener. Idempotent.
    func stop() {
        guard stopped.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        finished.wait()
    }
    private let stopped = Atomic<Bool>(false)

    /// Reads until the end of the request head (the tests send no bodies).
    private static func readRequest(_ fd: Int32) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { return }
            received += buffer[0..<count]
            if received.count >= 4, received.suffix(4) == [13, 10, 13, 10] { return }
            if let text = String(bytes: received, encoding: .utf8), text.contains("\r\n\r\n") { return }
        }
    }
}

/// An HTTP/1.1 response as raw text.
func rawResponse(status: Int, body: String, declaredLength: Int? = nil) -> String {
    "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(declaredLength ?? body.utf8.count)\r\n"
        + "Connection: close\r\n\r\n\(body)"
}
