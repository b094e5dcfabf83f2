import SyncHubCore

/// A connector type for tests: a few settings of each kind, including a secret and wildcard keys.
enum FakeConnector: ConnectorType {
    static let typeName = "fake"
    static let summary = "A connector for configuration tests"
    static let settings: [SettingSpec] = [
        SettingSpec("token", .string, required: true, secret: true, help: "API token."),
        SettingSpec("pageSize", .int, default: "100", help: "Records per page."),
        SettingSpec("ratio", .double, help: "A fraction."),
        SettingSpec("verbose", .bool, help: "Log more."),
        SettingSpec("interval", .duration, help: "How often."),
        SettingSpec("streams.*.path", .path, required: true, help: "The file to read."),
        SettingSpec("streams.*.format", .string, allowed: ["csv", "jsonl"], help: "File format."),
        SettingSpec("streams.*.columns", .map, help: "Column mapping."),
        SettingSpec("streams.*.wonStages", .list, help: "Won stage values."),
        SettingSpec("feedback.path", .path, help: "Where feedback goes."),
    ]
    static func make(_ context: ConnectorContext) throws -> ConnectorInstance { ConnectorInstance() }
}

/// A second type, so suggestions choose among several.
enum HubConnector: ConnectorType {
    static let typeName = "hubspot"
    static let summary = "Another connector for configuration tests"
    static let settings: [SettingSpec] = [SettingSpec("portal", .string, help: "Portal id.")]
    static func make(_ context: ConnectorContext) throws -> ConnectorInstance { ConnectorInstance() }
}

let testTypes: [any ConnectorType.Type] = [FakeConnector.self, HubConnector.self]
