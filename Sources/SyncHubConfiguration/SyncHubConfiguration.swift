public import SyncHubCore

/// One entry of the `connectors:` section: an instance name, its type and its settings.
public struct ConnectorEntry: Sendable {
    /// The instance name (`marketing`, `crm`): the key of its checkpoints and stored records.
    public var name: String
    /// The value of `type:`, a known ``ConnectorType/typeName``.
    public var typeName: String
    /// The instance's section, at key path `connectors.<name>`, already checked against its type's settings.
    public var settings: Settings
    /// Where the instance name is written.
    public var location: SourceLocation?

    public init(name: String, typeName: String, settings: Settings, location: SourceLocation?) {
        self.name = name
        self.typeName = typeName
        self.settings = settings
        self.location = location
    }
}

/// A checked `connectors.yml`: where the store is, the connectors in file order, and the whole document.
public struct SyncHubConfiguration: Sendable {
    /// The configuration file, as given.
    public var path: String
    /// The configuration file's folder, absolute; relative paths in the file are resolved against it.
    public var baseDirectory: String
    /// The SQLite store: `SYNCHUB_STORE`, else `store:` resolved against ``baseDirectory``, else `synchub.sqlite` there.
    public var storePath: String
    /// The connectors, in file order.
    public var connectors: [ConnectorEntry]
    /// The whole document, for sections other modules read (`identity`, `stages`, `schedules`, ...).
    public var root: SettingNode

    public init(path: String, baseDirectory: String, storePath: String, connectors: [ConnectorEntry], root: SettingNode) {
        self.path = path
        self.baseDirectory = baseDirectory
        self.storePath = storePath
        self.connectors = connectors
        self.root = root
    }

    /// The connector named `name`, or `nil`.
    public func connector(named name: String) -> ConnectorEntry? {
        connectors.first { $0.name == name }
    }

    /// A top-level section (`identity`, `stages`, ...) as settings at its own key path, or `nil` when absent or empty.
    public func section(_ key: String) throws -> Settings? {
        try Settings(node: root, path: "").section(key)
    }
}

/// Every problem found in a configuration file; its description has one line per problem.
public struct ConfigurationErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigurationError]

    public init(errors: [ConfigurationError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
