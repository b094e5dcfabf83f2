public import SyncHubCore

/// Checks that a source keeps the contract every connector must keep, against a source it can read.
///
/// ```swift
/// let failures = try await SourceConformance(connector: "acme", source: source).run()
/// #expect(failures.isEmpty, "\(failures)")
/// ```
/// It checks: `check()` passes; streams have unique names; a full read of each stream has records of the stream's
/// object type with ids and JSON-object payloads and no id twice; resuming from every checkpoint of that read
/// misses nothing; reading again after the last checkpoint returns nothing that was not already read.
public struct SourceConformance: Sendable {
    public var connector: String
    public var source: any SourceConnector
    /// Streams to check; all when `nil`.
    public var streamNames: [String]?

    public init(connector: String, source: any SourceConnector, streams: [String]? = nil) {
        self.connector = connector
        self.source = source
        self.streamNames = streams
    }

    /// Runs every check; returns one message per failure (empty when the source conforms).
    public func run() async throws -> [String] {
        var failures: [String] = []
        do { try await source.check() } catch { failures.append("check() failed: \(error)") }
        let streams = try await source.streams()
        if streams.isEmpty { failures.append("streams() returned no stream") }
        if Set(streams.map(\.name)).count != streams.count { failures.append("stream names are not unique: \(streams.map(\.name))") }
        for stream in streams where streamNames?.contains(stream.name) ?? true {
            failures += try await check(stream)
        }
        return failures
    }

    func check(_ stream: StreamDescriptor) async throws -> [String] {
        var failures: [String] = []
        let place = "\(connector)/\(stream.name)"
        let full = try await Self.read(source, stream, after: nil)
        var seen = Set<String>()
        for (batchIndex, batch) in full.enumerated() {
            for record in batch.records {
                if record.externalID.isEmpty { failures.append("\(place): batch \(batchIndex) has a record with an empty id") }
                if record.objectType != stream.objectType {
                    failures.append("\(place): record \(record.externalID) is a \(record.objectType.rawValue), the stream declares \(stream.objectType.rawValue)")
                }
                if case .object = (try? JSONValue.parse(record.payload)) {} else {
                    failures.append("\(place): record \(record.externalID) payload is not a JSON object")
                }
                if !seen.insert(record.externalID).inserted {
                    failures.append("\(place): record \(record.externalID) appears twice in one full read")
                }
            }
            if stream.isSorted, batch.checkpoint == nil, batchIndex == full.count - 1, !batch.records.isEmpty {
                failures.append("\(place): the last batch of a sorted stream carries no checkpoint")
            }
        }
        // Resuming from each checkpoint misses nothing.
        var before = Set<String>()
        for (batchIndex, batch) in full.enumerated() {
            before.formUnion(batch.records.map(\.externalID))
            guard let checkpoint = batch.checkpoint, batchIndex < full.count - 1 else { continue }
            let rest = try await Self.read(source, stream, after: checkpoint)
            let union = before.union(rest.flatMap { $0.records.map(\.externalID) })
            let missed = seen.subtracting(union)
            if !missed.isEmpty {
                failures.append("\(place): resuming after batch \(batchIndex) missed \(missed.count) record(s), e.g. \(missed.sorted().prefix(3))")
            }
        }
        // Reading again after the final checkpoint brings nothing new.
        if let last = full.last(where: { $0.checkpoint != nil })?.checkpoint {
            let again = try await Self.read(source, stream, after: last)
            let unknown = Set(again.flatMap { $0.records.map(\.externalID) }).subtracting(seen)
            if !unknown.isEmpty {
                failures.append("\(place): reading after the final checkpoint returned \(unknown.count) record(s) never read before")
            }
        }
        return failures
    }

    /// Reads a stream to its end.
    public static func read(_ source: any SourceConnector, _ stream: StreamDescriptor, after checkpoint: Checkpoint?) async throws -> [RecordBatch] {
        var batches: [RecordBatch] = []
        for try await batch in source.pull(stream, resumingAfter: checkpoint) { batches.append(batch) }
        return batches
    }
}

/// Checks that a feedback target is idempotent and answers every item.
public struct FeedbackConformance: Sendable {
    public var target: any FeedbackConnector

    public init(target: any FeedbackConnector) { self.target = target }

    /// Pushes `items` twice; returns one message per failure.
    public func run(_ items: [FeedbackItem]) async throws -> [String] {
        var failures: [String] = []
        let first = try await target.push(items)
        if first.count != items.count { failures.append("first push returned \(first.count) receipts for \(items.count) items") }
        for (item, receipt) in zip(items, first) where receipt.idempotencyKey != item.idempotencyKey {
            failures.append("receipt for \(item.recordKey) is out of order or carries another idempotency key")
        }
        let second = try await target.push(items)
        for receipt in second where receipt.status != .alreadyApplied {
            failures.append("pushing \(receipt.recordKey) a second time was \(receipt.status.rawValue), expected alreadyApplied")
        }
        return failures
    }
}
