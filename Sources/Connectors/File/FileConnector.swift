public import SyncHubCore

public enum FileConnector: ConnectorType {
    public static let typeName = "file"
    public static let summary = "CSV and JSONL exports"
    public static let settings: [SettingSpec] = []
    public static func make(_ context: ConnectorContext) throws -> ConnectorInstance { ConnectorInstance() }
}
