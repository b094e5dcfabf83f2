public import Foundation

/// What a source offers to read: one kind of object, and how it can be read incrementally.
public struct StreamDescriptor: Sendable, Hashable, Codable {
    /// The stream's name, unique within its connector: `contacts`, `deals`.
    public var name: String
    public var objectType: ObjectType
    /// The field the connector's cursor follows (`lastmodifieddate`, a byte offset); `nil` for full refresh.
    public var cursorField: String?
    /// Batches arrive in cursor order, so each batch's checkpoint is safe to save.
    public var isSorted: Bool
    /// A complete pass lists every live record: a record missing from one is deleted upstream.
    public var isSnapshot: Bool

    public init(name: String, objectType: ObjectType, cursorField: String? = nil, isSorted: Bool = true, isSnapshot: Bool = false) {
        self.name = name
        self.objectType = objectType
        self.cursorField = cursorField
        self.isSorted = isSorted
        self.isSnapshot = isSnapshot
    }
}

/// Where a stream's reading got to. Only the connector that wrote it reads its payload.
public struct Checkpoint: Sendable, Hashable, Codable {
    public var payload: Data

    public init(payload: Data) { self.payload = payload }

    /// Encodes a connector's own cursor type.
    public init<State: Encodable>(encoding state: State) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        self.payload = try encoder.encode(state)
    }

    /// Decodes a connector's own cursor type.
    public func decode<State: Decodable>(as type: State.Type) throws -> State {
        try JSONDecoder().decode(type, from: payload)
    }
}

/// One page of a stream: its records, what was rejected, and the checkpoint reached after it.
public struct RecordBatch: Sendable {
    public var records: [SourceRecord]
    public var rejected: [RejectedRecord]
    /// The position after this batch; `nil` when it is not yet safe to save one (unsorted streams).
    public var checkpoint: Checkpoint?
    /// This batch begins a complete pass over a snapshot stream.
    public var startsSnapshot: Bool
    /// This batch ends a complete pass over a snapshot stream: what the pass did not deliver is deleted.
    public var completesSnapshot: Bool

    public init(
        records: [SourceRecord], rejected: [RejectedRecord] = [], checkpoint: Checkpoint?,
        startsSnapshot: Bool = false, completesSnapshot: Bool = false
    ) {
        self.records = records
        self.rejected = rejected
        self.checkpoint = checkpoint
        self.startsSnapshot = startsSnapshot
        self.completesSnapshot = completesSnapshot
    }
}
