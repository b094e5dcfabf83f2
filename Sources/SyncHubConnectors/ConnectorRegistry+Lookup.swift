public import SyncHubCore

/// Finds connector types by their `type:` name in `connectors.yml`.
public enum ConnectorRegistry {
    /// Every registered connector type.
    public static var all: [any ConnectorType.Type] { registeredConnectorTypes }

    /// The connector type named `typeName`, or `nil`.
    public static func type(named typeName: String) -> (any ConnectorType.Type)? {
        all.first { $0.typeName == typeName }
    }
}
