public import SyncHubCore

/// Placeholder: replaced by the real connector.
public enum SalesforceConnector: ConnectorType {
    public static let typeName = "salesforce"
    public static let summary = "Salesforce (work in progress)"
    public static let settings: [SettingSpec] = []
    public static func make(_ context: ConnectorContext) throws -> ConnectorInstance { ConnectorInstance() }
}
