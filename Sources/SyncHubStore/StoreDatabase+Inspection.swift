import GRDB
public import SyncHubCore

/// One landed record, without its payload.
public struct LandedRecord: Sendable, Hashable {
    public var externalID: String
    public var stream: String
    public var isDeleted: Bool
    public var mergedInto: String?
    /// How many times the record was written with a change (1 for a record never changed since it landed).
    public var version: Int
}

extension StoreDatabase {
    /// Every record landed for a connector and object type, deleted and merged ones included, by id.
    public func landedRecords(connector: String, objectType: ObjectType) throws -> [LandedRecord] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT external_id, stream, is_deleted, merged_into, version FROM raw_record
                    WHERE connector = ? AND object_type = ? ORDER BY external_id
                    """,
                arguments: [connector, objectType.rawValue]
            ).map { LandedRecord(externalID: $0[0], stream: $0[1], isDeleted: $0[2], mergedInto: $0[3], version: $0[4]) }
        }
    }
}
