public import Logging
import Foundation

/// A system synchub reads records from.
///
/// ```swift
/// for stream in try await source.streams() {
///     for try await batch in source.pull(stream, resumingAfter: savedCheckpoint) {
///         try store.commit(batch, ...)   // records and batch.checkpoint in one transaction
///     }
/// }
/// ```
public protocol SourceConnector: Sendable {
    /// Checks settings, credentials and reachability; reads no records.
    func check() async throws
    /// The streams this source offers with its current settings.
    func streams() async throws -> [StreamDescriptor]
    /// Reads `stream` after `checkpoint`, or from the start when it is `nil`, one batch per page.
    ///
    /// Delivery is at least once: a batch may repeat records of an earlier one (the store upserts),
    /// but no record changed after `checkpoint` may be missed.
    func pull(_ stream: StreamDescriptor, resumingAfter checkpoint: Checkpoint?) -> any AsyncSequence<RecordBatch, any Error> & Sendable
}

/// A system synchub writes closed-loop feedback to.
public protocol FeedbackConnector: Sendable {
    /// How this target addresses people.
    var addressing: FeedbackAddressing { get }
    /// Applies `items`, returning one receipt per item in the same order.
    /// Sending an item twice must equal sending it once; one item's failure must not fail the others.
    func push(_ items: [FeedbackItem]) async throws -> [PushReceipt]
}

/// What a configured connector can do: read, receive feedback, or both.
public struct ConnectorInstance: Sendable {
    public var source: (any SourceConnector)?
    public var feedback: (any FeedbackConnector)?

    public init(source: (any SourceConnector)? = nil, feedback: (any FeedbackConnector)? = nil) {
        self.source = source
        self.feedback = feedback
    }
}

/// What a connector type gets to build an instance.
public struct ConnectorContext: Sendable {
    /// The instance's name in `connectors.yml` (`marketing`, `crm`); the key of its stored state.
    public var name: String
    /// Its section of `connectors.yml`, already checked against the type's ``ConnectorType/settings``.
    public var settings: Settings
    /// The folder relative paths are resolved against (the configuration file's folder).
    public var baseDirectory: String
    public var logger: Logger

    public init(name: String, settings: Settings, baseDirectory: String, logger: Logger) {
        self.name = name
        self.settings = settings
        self.baseDirectory = baseDirectory
        self.logger = logger
    }

    /// Resolves a configured path against ``baseDirectory``.
    public func resolvePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            return home + path.dropFirst(1)
        }
        return baseDirectory.hasSuffix("/") ? baseDirectory + path : baseDirectory + "/" + path
    }
}


/// A kind of connector (`file`, `hubspot`): its settings and how to build one from them.
///
/// Each connector module declares one public type named after the module (`FileConnector` in module
/// `FileConnector`); the registry plugin lists it, and `connectors.yml` selects it with `type:`.
public protocol ConnectorType: Sendable {
    /// The value of `type:` in `connectors.yml`.
    static var typeName: String { get }
    /// One line on what it connects to.
    static var summary: String { get }
    /// Every setting it accepts.
    static var settings: [SettingSpec] { get }
    /// Builds an instance; throws ``ConfigurationError`` for settings that are wrong. Does no network I/O.
    static func make(_ context: ConnectorContext) throws -> ConnectorInstance
}
