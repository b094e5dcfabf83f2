#if canImport(FoundationNetworking)
import Foundation
public import FoundationNetworking
#else
public import Foundation
#endif
public import Logging
import SyncHubCore
import Synchronization

/// How an ``APIClient`` times out and retries.
public struct HTTPClientConfiguration: Sendable {
    /// Longest silence while waiting for a response.
    public var timeout: Duration = .seconds(30)
    /// Tries per request, the first included (5xx, 408, 429, timeouts, resets, truncated bodies).
    public var maxAttempts = 5
    /// Backoff before the first retry; doubles each retry up to ``maxBackoff``.
    public var initialBackoff: Duration = .milliseconds(500)
    /// Longest backoff; also the longest `Retry-After` waited out in place (a longer one is handed to the engine
    /// as ``ConnectorError/retryAfter`` instead of holding the request).
    public var maxBackoff: Duration = .seconds(60)
    /// Full jitter: each backoff is a random duration up to the exponential one (off: exactly the exponential one).
    public var jitter = true
    public var userAgent = "synchub/0.1"

    public init(
        timeout: Duration = .seconds(30), maxAttempts: Int = 5, initialBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(60), jitter: Bool = true, userAgent: String = "synchub/0.1"
    ) {
        self.timeout = timeout
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.jitter = jitter
        self.userAgent = userAgent
    }

    /// The backoff before retry number `retry` (1-based), before jitter.
    func backoff(retry: Int) -> Duration {
        var delay = initialBackoff
        for _ in 1..<max(1, retry) {
            delay = delay * 2
            if delay >= maxBackoff { return maxBackoff }
        }
        return min(delay, maxBackoff)
    }
}

/// The HTTP client every API connector uses: credentials, request budget, retries with backoff, rate-limit
/// handling, and errors that say what to do.
///
/// ```swift
/// let client = APIClient(connector: "hubspot", auth: BearerToken(token), budget: budget, logger: logger)
/// let page = try await client.send(.get(url), stream: "contacts").json()
/// ```
public struct APIClient: Sendable {
    /// The connector instance's name, used in errors and logs.
    public let connector: String
    public let configuration: HTTPClientConfiguration
    public let auth: (any AuthProvider)?
    public let budget: RequestBudget?
    public let logger: Logger
    public let session: URLSession
    private let sleep: @Sendable (Duration) async throws -> Void
    private let counter = Counter()
    /// Set on the client of a token endpoint: refusals there are credential problems naming these settings.
    var tokenEndpointSettings: [String]?

    /// A session that keeps no cache, cookies or credentials on disk (responses hold personal data).
    public static let defaultSession: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCredentialStorage = nil
        return URLSession(configuration: configuration)
    }()

    /// - Parameters:
    ///   - session: defaults to ``defaultSession``, which caches nothing (the shared session would cache
    ///     response bodies, which hold personal data, on disk).
    ///   - sleep: waits between retries; tests inject one that records the durations.
    public init(
        connector: String, configuration: HTTPClientConfiguration = .init(), auth: (any AuthProvider)? = nil,
        budget: RequestBudget? = nil, logger: Logger, session: URLSession = APIClient.defaultSession,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.connector = connector
        self.configuration = configuration
        self.auth = auth
        self.budget = budget
        self.logger = logger
        self.session = session
        self.sleep = sleep
    }

    /// Requests put on the wire so far, retries and replays included.
    public var requestCount: Int { counter.value.load(ordering: .relaxed) }

    /// Sends `request` with credentials and within the budget, retrying what may pass on a second try, and returns
    /// the 2xx response. Everything else throws a classified ``ConnectorError``: 401/403 `authentication`,
    /// 404 `notFound`, 429 after retries `rateLimited` (with `retryAfter`), 5xx and network failures after retries
    /// `unavailable`, other 4xx `rejected`; a system's daily limit (HubSpot `DAILY` policy, Salesforce
    /// `REQUEST_LIMIT_EXCEEDED`) `budgetExhausted`. Messages name the method, the path (never the query), the
    /// status, the system's own error text, and what to do; never credentials.
    public func send(_ request: HTTPRequest, stream: String? = nil) async throws -> HTTPResponse {
        let path = loggablePath(request.url)
        var attempt = 0
        var replayedAfterRefresh = false
        while true {
            attempt += 1
            try Task.checkCancellation()
            if let budget {
                do { try await budget.acquire() } catch var error as ConnectorError {
                    error.connector = connector
                    error.stream = stream
                    error.message = "\(request.method) \(path): " + error.message
                    throw error
                }
            }
            var prepared = request
            if prepared.header("User-Agent") == nil { prepared.setHeader("User-Agent", configuration.userAgent) }
            if let auth {
                do { try await auth.authorize(&prepared) } catch var error as ConnectorError {
                    if error.stream == nil { error.stream = stream }
                    throw error
                }
            }

            let started = ContinuousClock.now
            let outcome = await perform(prepared)
            let milliseconds = (ContinuousClock.now - started).milliseconds

            let response: HTTPResponse
            switch outcome {
            case .failure(let failure):
                logger.debug(
                    "HTTP request failed",
                    metadata: metadata(prepared.method, path, stream: stream, attempt: attempt, milliseconds: milliseconds)
                        .merging(["http.error": "\(failure.kind)"]) { $1 })
                guard failure.isRetryable else {
                    throw ConnectorError(
                        failure.isConfiguration ? .invalidConfiguration : .unavailable,
                        "\(request.method) \(path): \(failure.kind) for \(request.url.host ?? "the host"); "
                            + (failure.isConfiguration
                                ? "check the connector's base URL in connectors.yml"
                                : "check the network and the connector's base URL in connectors.yml"),
                        connector: connector, stream: stream, cause: failure)
                }
                if attempt < configuration.maxAttempts {
                    let delay = backoff(retry: attempt)
                    logger.info(
                        "HTTP retry after a network failure",
                        metadata: metadata(request.method, path, stream: stream, attempt: attempt, milliseconds: nil)
                            .merging(["http.error": "\(failure.kind)", "http.retry_in_ms": "\(delay.milliseconds)"]) { $1 })
                    try await sleep(delay)
                    continue
                }
                throw ConnectorError(
                    .unavailable,
                    "\(request.method) \(path): \(failure.kind) for \(request.url.host ?? "the host") after \(attempt) "
                        + "attempts; check the network, or run again later (the sync resumes from its last checkpoint)",
                    connector: connector, stream: stream, cause: failure)
            case .success(let received):
                response = received
            }

            logger.debug(
                "HTTP request",
                metadata: metadata(prepared.method, path, stream: stream, attempt: attempt, milliseconds: milliseconds)
                    .merging(["http.status": "\(response.status)"]) { $1 })
            let limits = RateLimitHeaders(response)
            APIUsageMeter.current?.recordRequest(connector: connector, dailyRemaining: limits.dailyRemaining, dailyLimit: limits.dailyLimit)
            if let budget, !limits.isEmpty { budget.observe(limits) }

            let status = response.status
            if (200..<300).contains(status) { return response }

            let problem = SystemError(response)
            if status == 401, !replayedAfterRefresh, let auth, tokenEndpointSettings == nil,
                try await auth.refresh(after: response, to: prepared)
            {
                replayedAfterRefresh = true
                attempt -= 1
                logger.info(
                    "HTTP credentials renewed; replaying the request",
                    metadata: metadata(request.method, path, stream: stream, attempt: attempt, milliseconds: nil))
                continue
            }

            if status == 429 || (status == 403 && problem.code == "REQUEST_LIMIT_EXCEEDED") {
                if problem.isDailyLimit || problem.code == "REQUEST_LIMIT_EXCEEDED" {
                    budget?.observeDaily(remaining: 0, limit: nil)
                    throw failure(.budgetExhausted, request, path, response, problem, stream: stream)
                }
                let wait = retryAfter(response, limits: limits) ?? backoff(retry: attempt)
                // Hold the connector's other requests too: they would only be refused.
                budget?.observe(remaining: 0, limit: nil, resetAfter: wait)
                if attempt < configuration.maxAttempts && wait <= configuration.maxBackoff {
                    logRetry(request.method, path, stream: stream, attempt: attempt, status: status, wait: wait)
                    try await sleep(wait)
                    continue
                }
                throw failure(.rateLimited, request, path, response, problem, stream: stream, retryAfter: wait)
            }
            if status >= 500 || status == 408 {
                if attempt < configuration.maxAttempts {
                    let wait = status == 503 ? retryAfter(response, limits: nil) ?? backoff(retry: attempt)
                        : backoff(retry: attempt)
                    if wait <= configuration.maxBackoff {
                        logRetry(request.method, path, stream: stream, attempt: attempt, status: status, wait: wait)
                        try await sleep(wait)
                        continue
                    }
                }
                throw failure(.unavailable, request, path, response, problem, stream: stream, attempts: attempt)
            }
            let code: ConnectorError.Code =
                if tokenEndpointSettings != nil, status < 500 { .authentication }
                else if status == 401 || status == 403 { .authentication }
                else if status == 404 { .notFound }
                else { .rejected }
            throw failure(code, request, path, response, problem, stream: stream)
        }
    }

    // MARK: - Pieces

    private func backoff(retry: Int) -> Duration {
        let ceiling = configuration.backoff(retry: retry)
        guard configuration.jitter else { return ceiling }
        let nanoseconds = max(0, ceiling.nanoseconds)
        return .nanoseconds(Int64.random(in: 0...nanoseconds))
    }

    /// `Retry-After` (seconds or an HTTP date), else the system's window header.
    private func retryAfter(_ response: HTTPResponse, limits: RateLimitHeaders?) -> Duration? {
        if let value = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces) {
            if let seconds = Double(value), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
            if let date = parseHTTPDate(value) {
                return .milliseconds(Int64(max(0, date.timeIntervalSinceNow) * 1000))
            }
        }
        return limits?.resetAfter
    }

    private func logRetry(_ method: String, _ path: String, stream: String?, attempt: Int, status: Int, wait: Duration) {
        logger.info(
            "HTTP retry after status \(status)",
            metadata: metadata(method, path, stream: stream, attempt: attempt, milliseconds: nil)
                .merging(["http.status": "\(status)", "http.retry_in_ms": "\(wait.milliseconds)"]) { $1 })
    }

    private func metadata(
        _ method: String, _ path: String, stream: String?, attempt: Int, milliseconds: Int64?
    ) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "connector": "\(connector)", "http.method": "\(method)", "http.path": "\(path)",
            "http.attempt": "\(attempt)",
        ]
        if let stream { metadata["stream"] = "\(stream)" }
        if let milliseconds { metadata["http.duration_ms"] = "\(milliseconds)" }
        return metadata
    }

    private func failure(
        _ code: ConnectorError.Code, _ request: HTTPRequest, _ path: String, _ response: HTTPResponse,
        _ problem: SystemError, stream: String?, retryAfter: Duration? = nil, attempts: Int? = nil
    ) -> ConnectorError {
        var message = "\(request.method) \(path): HTTP \(response.status)"
        if let text = problem.text { message += ": the system says \(text)" }
        message += "; " + hint(code, status: response.status, problem: problem, attempts: attempts)
        return ConnectorError(code, message, connector: connector, stream: stream, retryAfter: retryAfter)
    }

    private func hint(_ code: ConnectorError.Code, status: Int, problem: SystemError, attempts: Int?) -> String {
        if let settings = tokenEndpointSettings {
            return "check \(settingsList(settings, connector: connector)) (the refresh token may be revoked or expired)"
        }
        let credentials = settingsList(auth?.credentialSettings ?? [], connector: connector)
        switch code {
        case .authentication where status == 403:
            return "the credentials lack a permission this needs; check \(credentials) and its scopes"
        case .authentication:
            return "check \(credentials) and its scopes (it may be expired or revoked)"
        case .notFound:
            return "the object or endpoint does not exist; check the connector's base URL and API version in connectors.yml"
        case .rateLimited:
            return "the system kept asking to slow down; lower the connector's request budget in connectors.yml "
                + "or run again later"
        case .budgetExhausted:
            return "the system's API allowance is spent; the stream stops here and resumes on the next run"
        case .unavailable:
            return "the system kept failing after \(attempts ?? configuration.maxAttempts) attempts; run again later "
                + "(the sync resumes from its last checkpoint)"
        default:
            return "the system refused the request; fix what its message names, or report it as a connector bug"
        }
    }

    // MARK: - Transport

    private func perform(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportFailure> {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = Double(configuration.timeout.milliseconds) / 1000
        urlRequest.cachePolicy = .reloadIgnoringLocalCacheData
        urlRequest.httpShouldHandleCookies = false
        for (name, value) in request.headers { urlRequest.addValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body
        counter.value.add(1, ordering: .relaxed)
        let data: Data
        let urlResponse: URLResponse
        do {
            (data, urlResponse) = try await session.data(for: urlRequest)
        } catch let error as URLError {
            return .failure(TransportFailure(error))
        } catch {
            return .failure(TransportFailure(kind: "transport error (\(type(of: error)))", isRetryable: true))
        }
        guard let http = urlResponse as? HTTPURLResponse else {
            return .failure(TransportFailure(kind: "not an HTTP response", isRetryable: false))
        }
        var headers: [(String, String)] = []
        for (name, value) in http.allHeaderFields {
            headers.append((String(describing: name), String(describing: value)))
        }
        let response = HTTPResponse(status: http.statusCode, headers: headers, body: data)
        // A body shorter than its declared length was cut off (decoded bodies have another length: skip those).
        if request.method != "HEAD", response.status != 204, response.status != 304,
            let declared = response.header("Content-Length").flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
            response.header("Content-Encoding").map({ $0.lowercased() == "identity" }) ?? true,
            declared != data.count
        {
            return .failure(
                TransportFailure(kind: "truncated body (\(data.count) of \(declared) bytes)", isRetryable: true))
        }
        return .success(response)
    }
}

/// A network failure, described without the URL (whose query may hold a key).
struct TransportFailure: Error, CustomStringConvertible {
    var kind: String
    var isRetryable: Bool
    var isConfiguration = false

    init(kind: String, isRetryable: Bool) {
        self.kind = kind
        self.isRetryable = isRetryable
    }

    init(_ error: URLError) {
        isRetryable = false
        switch error.code {
        case .timedOut: kind = "timed out"; isRetryable = true
        case .networkConnectionLost: kind = "connection lost"; isRetryable = true
        case .cannotConnectToHost: kind = "connection refused"; isRetryable = true
        case .cannotFindHost, .dnsLookupFailed: kind = "host not found"; isRetryable = true
        case .notConnectedToInternet: kind = "no network"; isRetryable = true
        case .badServerResponse, .cannotParseResponse, .zeroByteResource: kind = "bad response"; isRetryable = true
        case .resourceUnavailable, .cannotLoadFromNetwork, .dataNotAllowed: kind = "resource unavailable"; isRetryable = true
        case .secureConnectionFailed: kind = "TLS connection failed"; isRetryable = true
        case .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
            .serverCertificateHasUnknownRoot:
            kind = "TLS certificate not trusted"
        case .badURL, .unsupportedURL: kind = "bad URL"; isConfiguration = true
        case .cancelled: kind = "cancelled"
        default: kind = "network error \(error.code.rawValue)"; isRetryable = true
        }
    }

    var description: String { kind }
}

/// The error text a system put in a refusal's body.
struct SystemError {
    /// Safe, short text: `INVALID_SESSION_ID: Session expired or invalid`.
    var text: String?
    /// The system's error code, when it has one (`INVALID_SESSION_ID`, `VALIDATION_ERROR`, `invalid_grant`).
    var code: String?
    /// HubSpot's `policyName: DAILY`.
    var isDailyLimit = false

    init(_ response: HTTPResponse) {
        guard !response.body.isEmpty, let json = try? response.json() else { return }
        var message: String?
        switch json {
        case .array(let items):
            // Salesforce: [{"message": "...", "errorCode": "..."}]
            if let first = items.first {
                message = first["message"]?.text
                code = first["errorCode"]?.text
                if items.count > 1, message != nil { message! += " (and \(items.count - 1) more)" }
            }
        case .object:
            if let error = json["error"]?.text {
                // OAuth: {"error": "invalid_grant", "error_description": "..."}; Pipedrive {"error": "..."}
                code = json["error_description"] == nil ? nil : error
                message = json["error_description"]?.text ?? error
            } else if let nested = json["error"], let text = nested["message"]?.text {
                message = text
                code = nested["code"]?.text ?? nested["status"]?.text
            } else if let errors = json["errors"], case .array(let items) = errors, let first = items.first,
                json["message"] == nil
            {
                // Marketo {"errors": [{"code": "601", "message": "..."}]}
                message = first["message"]?.text
                code = first["code"]?.text ?? first["errorCode"]?.text
            } else {
                // HubSpot {"status": "error", "message": "...", "category": "..."}; Mailchimp {"title", "detail"}
                message = json["message"]?.text ?? json["detail"]?.text ?? json["title"]?.text
                code = json["category"]?.text ?? json["errorCode"]?.text ?? json["errorType"]?.text
                isDailyLimit = json["policyName"]?.text?.uppercased() == "DAILY"
            }
        default:
            return
        }
        guard let message, !message.isEmpty else { return }
        var text = redactEmails(message)
        if text.count > 300 { text = String(text.prefix(300)) + "…" }
        text = "\"\(text)\""
        if let code, !text.contains(code) { text += " (\(code))" }
        self.text = text
    }
}

/// Replaces anything shaped like an email address (systems echo rejected values) with `<email>`.
func redactEmails(_ text: String) -> String {
    guard text.contains("@") else { return text }
    let separators = Set<Character>(" \t\n\r\"'<>()[]{},;:")
    var out = ""
    var word = ""
    func flush() {
        if let at = word.firstIndex(of: "@"), at != word.startIndex, word[word.index(after: at)...].contains(".") {
            out += "<email>"
        } else {
            out += word
        }
        word = ""
    }
    for character in text {
        if separators.contains(character) {
            flush()
            out.append(character)
        } else {
            word.append(character)
        }
    }
    flush()
    return out
}

private func parseHTTPDate(_ text: String) -> Date? {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
        formatter.dateFormat = format
        if let date = formatter.date(from: text) { return date }
    }
    return nil
}

private final class Counter: Sendable {
    let value = Atomic<Int>(0)
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
