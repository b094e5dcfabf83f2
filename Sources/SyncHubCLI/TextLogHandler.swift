import Foundation
public import Logging
import SyncHubCore
public import SyncHubSchedule

/// Human log lines (`--log-format text`, the default): `timestamp level label: message key=value ...`, masked as
/// ``JSONLogHandler`` masks its lines (the same ``LogRedactor``): registered secrets and email addresses everywhere,
/// and the values of metadata keys naming a secret or a person's field.
public struct TextLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let redactor: LogRedactor
    let write: @Sendable (String) -> Void

    public init(
        label: String, redactor: LogRedactor = .shared, metadataProvider: Logger.MetadataProvider? = nil,
        write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError
    ) {
        self.label = label
        self.redactor = redactor
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = Logger.Metadata.merged(provider: metadataProvider, handler: metadata, event: event)
        if let error = event.error, merged["error"] == nil { merged["error"] = "\(String(describing: error))" }
        let milliseconds = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        var line = Timestamps.format(millisecondsSinceEpoch: milliseconds, withMilliseconds: true)
        line += " \(event.level.rawValue) \(label): " + redactor.redact(event.message.description)
        for key in merged.keys.sorted() {
            line += " \(key)=" + render(merged[key]!, key: key)
        }
        write(line + "\n")
    }

    func render(_ value: Logger.Metadata.Value, key: String) -> String {
        if LogRedactor.isMaskedKey(key) { return LogRedactor.mask }
        switch value {
        case .string(let text): return redactor.redact(text)
        case .stringConvertible(let convertible): return redactor.redact(convertible.description)
        case .array(let items): return "[" + items.map { render($0, key: key) }.joined(separator: ", ") + "]"
        case .dictionary(let entries):
            return "[" + entries.keys.sorted().map { "\($0): " + render(entries[$0]!, key: $0) }.joined(separator: ", ") + "]"
        }
    }
}
