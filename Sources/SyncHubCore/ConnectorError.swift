/// A connector's failure, classified so the engine knows whether to retry.
public struct ConnectorError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is. New codes can be added without breaking anyone.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case authentication, rateLimited, unavailable, rejected, invalidConfiguration, invalidData, budgetExhausted
            case notFound
        }
        private let wrapped: Wrapped
        /// Credentials were refused.
        public static let authentication = Code(wrapped: .authentication)
        /// The system asked us to slow down; retry after ``ConnectorError/retryAfter``.
        public static let rateLimited = Code(wrapped: .rateLimited)
        /// The system or network failed transiently (5xx, timeout, reset).
        public static let unavailable = Code(wrapped: .unavailable)
        /// The system refused the request as invalid; retrying will not help.
        public static let rejected = Code(wrapped: .rejected)
        /// The connector's settings are wrong.
        public static let invalidConfiguration = Code(wrapped: .invalidConfiguration)
        /// The data read cannot be understood as a whole (a single bad row is quarantined instead).
        public static let invalidData = Code(wrapped: .invalidData)
        /// The configured API budget is used up; the stream stops cleanly and resumes next run.
        public static let budgetExhausted = Code(wrapped: .budgetExhausted)
        /// A file, object or endpoint does not exist.
        public static let notFound = Code(wrapped: .notFound)

        public var description: String {
            switch wrapped {
            case .authentication: "authentication failed"
            case .rateLimited: "rate limited"
            case .unavailable: "unavailable"
            case .rejected: "request rejected"
            case .invalidConfiguration: "invalid configuration"
            case .invalidData: "invalid data"
            case .budgetExhausted: "API budget exhausted"
            case .notFound: "not found"
            }
        }
    }

    public var code: Code
    /// What happened and what to do; never secrets or field values.
    public var message: String
    public var connector: String
    public var stream: String?
    public var retryAfter: Duration?
    public var cause: (any Error)?
    public var fileID: String
    public var line: Int

    public init(
        _ code: Code, _ message: String, connector: String, stream: String? = nil, retryAfter: Duration? = nil,
        cause: (any Error)? = nil, fileID: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.connector = connector
        self.stream = stream
        self.retryAfter = retryAfter
        self.cause = cause
        self.fileID = fileID
        self.line = line
    }

    /// Whether trying the same request again later may succeed.
    public var isRetryable: Bool { code == .rateLimited || code == .unavailable }

    public var description: String {
        let place = stream.map { "\(connector)/\($0)" } ?? connector
        return "\(place): \(code): \(message)"
    }

    public var debugDescription: String {
        var text = "\(description) [\(fileID):\(line)]"
        if let cause { text += "\n  caused by: \(String(reflecting: cause))" }
        return text
    }
}
