public import SyncHubCore

/// Placeholder: replaced by the real connector.
public enum HubSpotConnector: ConnectorType {
    public static let typeName = "hubspot"
    public static let summary = "HubSpot (work in progress)"
    public static let settings: [SettingSpec] = []
    public static func make(_ context: ConnectorContext) throws -> ConnectorInstance { ConnectorInstance() }
}
