public import Logging

/// How often and how long the engine retries a stream after a retryable failure.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var initialDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 5, initialDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(60)) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    /// The delay before attempt `attempt` (1-based retry count), with full jitter, at least `retryAfter`.
    public func delay(forRetry attempt: Int, retryAfter: Duration?, jitter: Double) -> Duration {
        let exponent = min(attempt - 1, 20)
        var delay = initialDelay * (1 << exponent)
        if delay > maxDelay { delay = maxDelay }
        delay = delay * max(0.5, min(1, jitter))
        if let retryAfter, retryAfter > delay { delay = retryAfter }
        return delay
    }
}

/// A progress report while a stream is pulled.
public struct PullProgress: Sendable {
    public var connector: String
    public var stream: String
    public var counts: CommitCounts
    public var seconds: Double
    public var isFinished: Bool
}

/// Pulls streams from sources into a store, committing each batch with its checkpoint.
///
/// The engine commits each batch's records and checkpoint in one transaction, in order, so a checkpoint never runs
/// ahead of its data. While a batch commits, the engine reads the next one (never more than one page ahead), so
/// parsing and SQLite work on two cores and a slow store still slows the reads. A retryable failure restarts the stream from the
/// last committed checkpoint after a backoff; a non-retryable one fails that stream and the others go on.
public struct SyncEngine: Sendable {
    public var store: any SyncStore
    public var logger: Logger
    public var retryPolicy: RetryPolicy
    public var sleep: @Sendable (Duration) async throws -> Void
    public var jitter: @Sendable () -> Double
    public var now: @Sendable () -> ContinuousClock.Instant
    public var progress: (@Sendable (PullProgress) -> Void)?

    public init(
        store: any SyncStore, logger: Logger, retryPolicy: RetryPolicy = .init(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0.5...1) },
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        progress: (@Sendable (PullProgress) -> Void)? = nil
    ) {
        self.store = store
        self.logger = logger
        self.retryPolicy = retryPolicy
        self.sleep = sleep
        self.jitter = jitter
        self.now = now
        self.progress = progress
    }

    /// Pulls the selected streams of one connector.
    /// - Parameters:
    ///   - connector: the instance name, the key of its checkpoints.
    ///   - streamNames: the streams to pull; all when `nil`.
    ///   - fullRefresh: forget saved checkpoints first and read everything again.
    public func pull(
        connector: String, source: any SourceConnector, streams streamNames: [String]? = nil, fullRefresh: Bool = false,
        runID: RunID? = nil
    ) async -> [StreamResult] {
        let available: [StreamDescriptor]
        do {
            available = try await withRetries(connector: connector, stream: nil) { try await source.streams() }
        } catch {
            return [StreamResult(connector: connector, stream: "*", status: .failed, error: Self.describe(error))]
        }
        var selected = available
        if let streamNames {
            selected = available.filter { streamNames.contains($0.name) }
        }
        // Every selected stream is logged as running before any is read, and each row is replaced by its outcome: a
        // process killed midway (SIGKILL, no handler runs) leaves them running, and the next command that takes the
        // store's lock counts them as unfinished.
        if let runID {
            for stream in selected { try? store.recordStream(StreamResult(connector: connector, stream: stream.name, status: .running), runID: runID) }
        }
        var results: [StreamResult] = []
        for stream in selected {
            if Task.isCancelled {
                // Recorded like a stream stopped midway: the connector's pull is unfinished until it runs.
                let skipped = StreamResult(connector: connector, stream: stream.name, status: .paused, error: "interrupted before it started")
                results.append(skipped)
                if let runID { try? store.recordStream(skipped, runID: runID) }
                continue
            }
            let result = await pull(connector: connector, source: source, stream: stream, fullRefresh: fullRefresh, runID: runID)
            results.append(result)
            if let runID { try? store.recordStream(result, runID: runID) }
            if result.status == .paused, result.error?.contains("budget") == true {
                // The connector's API budget is spent: its other streams would fail the same way.
                for rest in selected.drop(while: { $0.name != stream.name }).dropFirst() {
                    let skipped = StreamResult(connector: connector, stream: rest.name, status: .paused, error: "skipped: API budget exhausted; resumes next run")
                    results.append(skipped)
                    if let runID { try? store.recordStream(skipped, runID: runID) }
                }
                break
            }
        }
        return results
    }

    /// Pulls one stream to its end, retrying retryable failures from the last committed checkpoint.
    public func pull(connector: String, source: any SourceConnector, stream: StreamDescriptor, fullRefresh: Bool, runID: RunID?) async -> StreamResult {
        let started = now()
        var counts = CommitCounts()
        var batches = 0
        var attempt = 0
        var seen: Set<String>? = nil
        var streamLogger = logger
        streamLogger[metadataKey: "sync.connector"] = "\(connector)"
        streamLogger[metadataKey: "sync.stream"] = "\(stream.name)"
        func elapsed() -> Double { DurationText.seconds(now() - started) }

        if fullRefresh {
            do { try store.resetCheckpoint(connector: connector, stream: stream.name) } catch {
                return StreamResult(connector: connector, stream: stream.name, status: .failed, error: Self.describe(error))
            }
        }
        while true {
            do {
                let checkpoint = try store.checkpoint(connector: connector, stream: stream.name)
                streamLogger.debug("pulling", metadata: ["sync.resuming": "\(checkpoint != nil)"])
                var pages = source.pull(stream, resumingAfter: checkpoint).makeAsyncIterator()
                var next = try await pages.next()
                while let batch = next {
                    if batch.startsSnapshot { seen = [] }
                    if seen != nil {
                        for record in batch.records where !record.isDeleted { seen!.insert(record.externalID) }
                        // A rejected row still exists upstream: its stored record must not be marked deleted.
                        for rejected in batch.rejected { if let id = rejected.externalID { seen!.insert(id) } }
                    }
                    let missing = batch.completesSnapshot ? seen : nil
                    // Commit this page while the next one is read: at most one page ahead, and commits stay in
                    // order, so a checkpoint is saved only with its own page and after every earlier one.
                    let store = self.store
                    let commit = Task {
                        try store.commit(batch, connector: connector, stream: stream, deletingAllExcept: missing, runID: runID)
                    }
                    let fetched: Result<RecordBatch?, any Error>
                    if Task.isCancelled {
                        fetched = .success(nil)
                    } else {
                        do { fetched = .success(try await pages.next()) } catch { fetched = .failure(error) }
                    }
                    let committed = try await commit.value
                    if batch.completesSnapshot { seen = nil }
                    counts += committed
                    batches += 1
                    attempt = 0
                    streamLogger.trace("committed batch", metadata: ["sync.records": "\(committed.received)"])
                    progress?(PullProgress(connector: connector, stream: stream.name, counts: counts, seconds: elapsed(), isFinished: false))
                    if Task.isCancelled {
                        progress?(PullProgress(connector: connector, stream: stream.name, counts: counts, seconds: elapsed(), isFinished: true))
                        return StreamResult(connector: connector, stream: stream.name, status: .paused, counts: counts, batches: batches, seconds: elapsed(), error: "interrupted; resumes from its checkpoint next run")
                    }
                    next = try fetched.get()
                }
                progress?(PullProgress(connector: connector, stream: stream.name, counts: counts, seconds: elapsed(), isFinished: true))
                return StreamResult(connector: connector, stream: stream.name, status: .succeeded, counts: counts, batches: batches, seconds: elapsed())
            } catch let error as ConnectorError where error.code == .budgetExhausted {
                streamLogger.notice("API budget exhausted; stopping cleanly", metadata: ["sync.records": "\(counts.received)"])
                progress?(PullProgress(connector: connector, stream: stream.name, counts: counts, seconds: elapsed(), isFinished: true))
                return StreamResult(connector: connector, stream: stream.name, status: .paused, counts: counts, batches: batches, seconds: elapsed(), error: "API budget exhausted: \(error.message); resumes from its checkpoint next run")
            } catch let error as ConnectorError where error.isRetryable && attempt + 1 < retryPolicy.maxAttempts && !Task.isCancelled {
                attempt += 1
                let delay = retryPolicy.delay(forRetry: attempt, retryAfter: error.retryAfter, jitter: jitter())
                streamLogger.info("retrying after a transient failure", metadata: ["sync.attempt": "\(attempt)", "sync.delay": "\(delay)", "error.code": "\(error.code)"])
                do { try await sleep(delay) } catch {
                    return StreamResult(connector: connector, stream: stream.name, status: .paused, counts: counts, batches: batches, seconds: elapsed(), error: "interrupted while waiting to retry")
                }
            } catch {
                streamLogger.error("stream failed", metadata: ["error": "\(Self.describe(error))"])
                progress?(PullProgress(connector: connector, stream: stream.name, counts: counts, seconds: elapsed(), isFinished: true))
                return StreamResult(connector: connector, stream: stream.name, status: .failed, counts: counts, batches: batches, seconds: elapsed(), error: Self.describe(error))
            }
        }
    }

    func withRetries<T>(connector: String, stream: String?, _ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do { return try await body() } catch let error as ConnectorError where error.isRetryable && attempt + 1 < retryPolicy.maxAttempts {
                attempt += 1
                try await sleep(retryPolicy.delay(forRetry: attempt, retryAfter: error.retryAfter, jitter: jitter()))
            }
        }
    }

    /// One line for people: the error's own description, never its payload.
    public static func describe(_ error: any Error) -> String {
        String(describing: error)
    }
}
