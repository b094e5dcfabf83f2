import Synchronization

/// Lines written from any thread (a log handler's output, say), kept in order for a test to read.
public final class CapturedLines: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    public func append(_ line: String) { lines.withLock { $0.append(line) } }

    /// Every line so far.
    public var all: [String] { lines.withLock { $0 } }
}
