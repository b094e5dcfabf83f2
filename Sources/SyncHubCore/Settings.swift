import Foundation

/// A place in a configuration file, for messages such as `connectors.yml:12:5: error: ...`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A configuration value with the place it was written.
public struct SettingNode: Sendable {
    public indirect enum Value: Sendable {
        case scalar(String)
        case list([SettingNode])
        /// Keys in file order.
        case map([(key: String, keyLocation: SourceLocation?, value: SettingNode)])
        case null
    }

    public var value: Value
    public var location: SourceLocation?
    /// The value came from an environment variable or is declared secret: never show it.
    public var isSecret: Bool

    public init(_ value: Value, location: SourceLocation? = nil, isSecret: Bool = false) {
        self.value = value
        self.location = location
        self.isSecret = isSecret
    }

    public subscript(key: String) -> SettingNode? {
        guard case .map(let entries) = value else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// The map's keys in file order; empty for other values.
    public var keys: [String] {
        guard case .map(let entries) = value else { return [] }
        return entries.map(\.key)
    }
}

/// A configuration problem, pointing at the file, line and key.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// Dotted key path, such as `connectors.marketing.streams.contacts.path`.
    public var keyPath: String?
    public var location: SourceLocation?

    public init(_ message: String, keyPath: String? = nil, location: SourceLocation? = nil) {
        self.message = message
        self.keyPath = keyPath
        self.location = location
    }

    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += "error: "
        if let keyPath { text += "\(keyPath): " }
        return text + message
    }
}

/// A connector's section of `connectors.yml`, read with types and checked against its declared settings.
public struct Settings: Sendable {
    /// The section itself (a map).
    public let node: SettingNode
    /// Its dotted key path in the file, such as `connectors.marketing`.
    public let path: String

    public init(node: SettingNode, path: String) {
        self.node = node
        self.path = path
    }

    /// An empty section, for tests and defaults.
    public static func empty(path: String = "") -> Settings { Settings(node: SettingNode(.map([])), path: path) }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The keys present in this section.
    public var keys: [String] { node.keys }

    public func contains(_ key: String) -> Bool { node[key] != nil }

    /// A nested section, or `nil` when absent.
    public func section(_ key: String) throws -> Settings? {
        guard let child = node[key] else { return nil }
        switch child.value {
        case .map: return Settings(node: child, path: keyPath(key))
        case .null: return nil
        default: throw ConfigurationError("expected a map of settings", keyPath: keyPath(key), location: child.location)
        }
    }

    public func string(_ key: String) throws -> String? {
        guard let child = node[key] else { return nil }
        switch child.value {
        case .scalar(let text): return text
        case .null: return nil
        default: throw ConfigurationError("expected a single value, found a list or map", keyPath: keyPath(key), location: child.location)
        }
    }

    public func requiredString(_ key: String) throws -> String {
        guard let text = try string(key), !text.isEmpty else {
            throw ConfigurationError("required setting is missing; add `\(key): ...`", keyPath: keyPath(key), location: node.location)
        }
        return text
    }

    public func string(_ key: String, default fallback: String) throws -> String { try string(key) ?? fallback }

    /// A string that must be one of `allowed`.
    public func choice(_ key: String, among allowed: [String], default fallback: String? = nil) throws -> String? {
        guard let text = try string(key) else { return fallback }
        guard allowed.contains(text) else {
            let shown = node[key]?.isSecret == true ? "the value" : "`\(text)`"
            throw ConfigurationError("\(shown) is not one of \(allowed.joined(separator: ", "))", keyPath: keyPath(key), location: node[key]?.location)
        }
        return text
    }

    public func int(_ key: String, default fallback: Int, range: ClosedRange<Int>? = nil) throws -> Int {
        guard let text = try string(key) else { return fallback }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw ConfigurationError("expected a whole number", keyPath: keyPath(key), location: node[key]?.location)
        }
        if let range, !range.contains(value) {
            throw ConfigurationError("must be between \(range.lowerBound) and \(range.upperBound), found \(value)", keyPath: keyPath(key), location: node[key]?.location)
        }
        return value
    }

    /// The number at `key`; nil when it is absent or empty.
    public func double(_ key: String) throws -> Double? {
        guard let text = try string(key) else { return nil }
        guard let value = Double(text) else {
            throw ConfigurationError("expected a number", keyPath: keyPath(key), location: node[key]?.location)
        }
        return value
    }

    public func double(_ key: String, default fallback: Double) throws -> Double { try double(key) ?? fallback }

    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let text = try string(key) else { return fallback }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw ConfigurationError("expected true or false", keyPath: keyPath(key), location: node[key]?.location)
        }
    }

    /// A list of strings; a single value is read as a list of one.
    public func stringList(_ key: String) throws -> [String] {
        guard let child = node[key] else { return [] }
        switch child.value {
        case .scalar(let text): return [text]
        case .null: return []
        case .list(let items):
            return try items.map { item in
                guard case .scalar(let text) = item.value else {
                    throw ConfigurationError("expected a list of values", keyPath: keyPath(key), location: item.location)
                }
                return text
            }
        case .map: throw ConfigurationError("expected a list of values, found a map", keyPath: keyPath(key), location: child.location)
        }
    }

    /// A map of string to string (such as a column mapping).
    public func stringMap(_ key: String) throws -> [(key: String, value: String)] {
        guard let child = node[key] else { return [] }
        switch child.value {
        case .null: return []
        case .map(let entries):
            return try entries.map { entry in
                guard case .scalar(let text) = entry.value.value else {
                    if case .null = entry.value.value { return (entry.key, "") }
                    throw ConfigurationError("expected a single value", keyPath: keyPath("\(key).\(entry.key)"), location: entry.value.location)
                }
                return (entry.key, text)
            }
        default: throw ConfigurationError("expected a map", keyPath: keyPath(key), location: child.location)
        }
    }

    /// An error about `key`, pointing at it.
    public func error(_ message: String, key: String? = nil) -> ConfigurationError {
        let location = key.flatMap { node[$0]?.location } ?? node.location
        return ConfigurationError(message, keyPath: key.map(keyPath) ?? path, location: location)
    }
}

/// A setting a connector type accepts, for `synchub connectors` and `synchub validate`.
public struct SettingSpec: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case string, int, double, bool, list, map, path, duration
    }

    /// Dotted key under the connector's section; `*` matches any one key (`streams.*.path`).
    public var key: String
    public var kind: Kind
    public var isRequired: Bool
    public var defaultValue: String?
    /// Allowed values, when only some are.
    public var allowed: [String]
    public var isSecret: Bool
    public var help: String

    public init(
        _ key: String, _ kind: Kind, required: Bool = false, default defaultValue: String? = nil,
        allowed: [String] = [], secret: Bool = false, help: String
    ) {
        self.key = key
        self.kind = kind
        self.isRequired = required
        self.defaultValue = defaultValue
        self.allowed = allowed
        self.isSecret = secret
        self.help = help
    }
}
