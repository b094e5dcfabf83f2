import Foundation
public import Logging
public import SyncHubCore
import Synchronization

/// Secret values (from `${ENV}` references and settings declared secret) and personal data (email addresses, values
/// of metadata keys naming a person's field) that must never reach a log line.
public final class LogRedactor: Sendable {
    /// The process's redactor, which ``JSONLogHandler`` uses by default.
    public static let shared = LogRedactor()

    /// What replaces a secret.
    public static let mask = "[redacted]"
    /// Metadata keys whose values are always masked.
    static let secretKeyWords = ["token", "secret", "password", "authorization", "apikey", "api_key", "cookie", "credential"]

    private let secrets = Mutex<[String]>([])

    public init() {}

    /// Adds secret values; values shorter than 4 characters are not worth masking (they would mask everything).
    public func register(_ values: some Sequence<String>) {
        let useful = values.filter { $0.count >= 4 }
        guard !useful.isEmpty else { return }
        secrets.withLock { secrets in
            secrets = Array(Set(secrets + useful)).sorted { $0.count > $1.count }
        }
    }

    /// Adds every secret value of a configuration tree.
    public func register(secretsIn node: SettingNode) {
        var found: [String] = []
        func walk(_ node: SettingNode) {
            switch node.value {
            case .scalar(let text): if node.isSecret { found.append(text) }
            case .list(let items): items.forEach(walk)
            case .map(let entries): entries.forEach { walk($0.value) }
            case .null: break
            }
        }
        walk(node)
        register(found)
    }

    /// `text` with every registered secret and every email address masked.
    public func redact(_ text: String) -> String {
        let secrets = secrets.withLock { $0 }
        var out = text
        for secret in secrets where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: Self.mask)
        }
        return Self.maskingEmailAddresses(out)
    }

    /// Whether a metadata key's value is masked whatever it holds: it names a secret (`token`, `password`, ...) or
    /// a person's field (`email`, `firstName`, `phone`, a person's or contact's `name`, ...).
    public static func isMaskedKey(_ key: String) -> Bool {
        isSecretKey(key) || isPersonalKey(key)
    }

    static func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return secretKeyWords.contains { lowered.contains($0) }
    }

    /// Metadata keys naming a person's field.
    static let personalKeyWords = [
        "email", "firstname", "first_name", "lastname", "last_name", "fullname", "full_name", "phone", "birthdate",
        "birth_date", "street", "postalcode", "postal_code", "personalid", "personal_id",
    ]

    static func isPersonalKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        if personalKeyWords.contains(where: { lowered.contains($0) }) { return true }
        // `person.name`, `contact.name`: a name of a person (a stream's or lock's name is not).
        let parts = lowered.split(separator: ".")
        return parts.last == "name" && parts.dropLast().contains { ["person", "contact", "lead", "golden"].contains($0) }
    }

    /// `text` with every email address (`local@domain.tld`) replaced by the mask.
    static func maskingEmailAddresses(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "@")) else { return text }
        func isLocal(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "'"): true
            default: byte >= 0x80
            }
        }
        func isDomain(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            case UInt8(ascii: "."), UInt8(ascii: "-"): true
            default: byte >= 0x80
            }
        }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var copied = 0
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "@") else { index += 1; continue }
            var start = index
            while start > copied, isLocal(bytes[start - 1]) { start -= 1 }
            var end = index + 1
            while end < bytes.count, isDomain(bytes[end]) { end += 1 }
            // Trailing dots and hyphens end the sentence, not the domain.
            while end > index + 1, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
            let domain = bytes[(index + 1)..<end]
            if start < index, let dot = domain.lastIndex(of: UInt8(ascii: ".")), dot > index + 1, dot < end - 1 {
                out += bytes[copied..<start]
                out += Array(mask.utf8)
                copied = end
                index = end
            } else {
                index += 1
            }
        }
        guard copied > 0 else { return text }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }
}

/// Writes one JSON object per line: `timestamp` (ISO-8601 UTC), `level`, `message`, `label`, then `connector`,
/// `stream` and `run_id` when the metadata has them (`sync.connector`, `sync.stream`, `sync.run_id`), and the rest
/// of the metadata under `metadata`. Registered secrets and email addresses are masked everywhere, and metadata keys
/// that name a secret (`token`, `password`, ...) or a person's field (`email`, `firstName`, ...) are always masked.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let redactor: LogRedactor
    let write: @Sendable (String) -> Void

    /// Top-level fields taken from metadata keys.
    static let promoted: [(key: String, field: String)] = [
        ("sync.connector", "connector"), ("sync.stream", "stream"), ("sync.run_id", "run_id"),
    ]

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
        let milliseconds = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        var line = "{\"timestamp\":" + Self.quote(Timestamps.format(millisecondsSinceEpoch: milliseconds, withMilliseconds: true))
        line += ",\"level\":" + Self.quote(event.level.rawValue)
        line += ",\"message\":" + Self.quote(redactor.redact(event.message.description))
        line += ",\"label\":" + Self.quote(label)
        for (key, field) in Self.promoted {
            if let value = merged.removeValue(forKey: key) { line += ",\"\(field)\":" + encode(value, key: key) }
        }
        if let error = event.error, merged["error"] == nil {
            line += ",\"error\":" + Self.quote(redactor.redact(String(describing: error)))
        }
        if !merged.isEmpty {
            line += ",\"metadata\":{"
            line += merged.keys.sorted().map { Self.quote($0) + ":" + encode(merged[$0]!, key: $0) }.joined(separator: ",")
            line += "}"
        }
        write(line + "}\n")
    }

    func encode(_ value: Logger.Metadata.Value, key: String) -> String {
        if LogRedactor.isMaskedKey(key) { return Self.quote(LogRedactor.mask) }
        switch value {
        case .string(let text): return Self.quote(redactor.redact(text))
        case .stringConvertible(let convertible): return Self.quote(redactor.redact(convertible.description))
        case .array(let items): return "[" + items.map { encode($0, key: key) }.joined(separator: ",") + "]"
        case .dictionary(let entries):
            return "{" + entries.keys.sorted().map { Self.quote($0) + ":" + encode(entries[$0]!, key: $0) }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Writes a line to standard error in one `write`, so lines of concurrent tasks never interleave.
    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }
}

extension Logger.Metadata {
    /// The metadata a handler writes for `event`: its provider's, then the handler's own, then the event's (a later
    /// value wins).
    public static func merged(provider: Logger.MetadataProvider?, handler: Logger.Metadata, event: LogEvent) -> Logger.Metadata {
        var merged = provider?.get() ?? [:]
        merged.merge(handler) { $1 }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        return merged
    }
}
