/// What one committed batch changed in the store.
public struct CommitCounts: Sendable, Hashable, Codable {
    /// Records the batch carried.
    public var received = 0
    public var inserted = 0
    public var updated = 0
    /// Records identical to what the store held; nothing was written for them.
    public var unchanged = 0
    /// Records marked deleted (by the source, or missing from a complete snapshot).
    public var deleted = 0
    public var quarantined = 0

    public init(received: Int = 0, inserted: Int = 0, updated: Int = 0, unchanged: Int = 0, deleted: Int = 0, quarantined: Int = 0) {
        self.received = received
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.deleted = deleted
        self.quarantined = quarantined
    }

    public static func += (lhs: inout CommitCounts, rhs: CommitCounts) {
        lhs.received += rhs.received
        lhs.inserted += rhs.inserted
        lhs.updated += rhs.updated
        lhs.unchanged += rhs.unchanged
        lhs.deleted += rhs.deleted
        lhs.quarantined += rhs.quarantined
    }
}

/// Identifies one run of a command in the store's run log.
public typealias RunID = Int64

/// Where the engine lands records. Every method is one transaction.
public protocol SyncStore: Sendable {
    /// The checkpoint saved for a stream, or `nil` if it has never committed.
    func checkpoint(connector: String, stream: String) throws -> Checkpoint?
    /// Forgets a stream's checkpoint so the next pull reads from the start (data is kept).
    func resetCheckpoint(connector: String, stream: String) throws
    /// Lands a batch: upserts its records, quarantines its rejects, and saves its checkpoint, atomically.
    ///
    /// When `seen` is given (the end of a complete snapshot pass), records of this stream's object type that
    /// are not in it, nor in this batch, are marked deleted in the same transaction.
    func commit(_ batch: RecordBatch, connector: String, stream: StreamDescriptor, deletingAllExcept seen: Set<String>?, runID: RunID?) throws -> CommitCounts

    /// Starts a run in the run log.
    func beginRun(command: String) throws -> RunID
    /// Records the outcome of one stream within a run.
    func recordStream(_ result: StreamResult, runID: RunID) throws
    /// Ends a run with its status and, if it failed, why.
    func finishRun(_ runID: RunID, status: RunStatus, error: String?) throws
}

/// How a run or stream ended.
public enum RunStatus: String, Sendable, Hashable, Codable {
    case running, succeeded, failed
    /// Some streams failed, others succeeded.
    case partial
    /// Stopped early on purpose (API budget, interruption); resumes from its checkpoint next run.
    case paused
}

/// The outcome of pulling one stream.
public struct StreamResult: Sendable, Hashable, Codable {
    public var connector: String
    public var stream: String
    public var status: RunStatus
    public var counts: CommitCounts
    public var batches: Int
    public var seconds: Double
    /// What went wrong and what to do; never field values.
    public var error: String?

    public init(connector: String, stream: String, status: RunStatus, counts: CommitCounts = .init(), batches: Int = 0, seconds: Double = 0, error: String? = nil) {
        self.connector = connector
        self.stream = stream
        self.status = status
        self.counts = counts
        self.batches = batches
        self.seconds = seconds
        self.error = error
    }
}
