public import SyncHubCore
import Foundation

/// Reads and checks `connectors.yml`.
///
/// Scalars may hold `${VAR}` or `${VAR:-default}` references, replaced from `environment` (values taken from it are
/// secret: never shown); `$$` writes a literal `$`. `SYNCHUB_STORE` in `environment` overrides `store:`.
/// Every problem is collected and thrown together as ``ConfigurationErrors``, before anything is built.
public enum ConfigurationLoader {
    /// Reads, parses and checks the file at `path`.
    /// - Parameters:
    ///   - environment: supplies `${VAR}` values and `SYNCHUB_*` overrides.
    ///   - connectorTypes: the known connector types; each connector section is checked against its type's settings.
    /// - Throws: ``ConfigurationErrors`` listing every problem found.
    public static func load(
        path: String, environment: [String: String], connectorTypes: [any ConnectorType.Type]
    ) throws -> SyncHubConfiguration {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigurationErrors(errors: [ConfigurationError("cannot read \(path): no such file")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationErrors(errors: [ConfigurationError("cannot read \(path): permission denied or not a file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationErrors(errors: [ConfigurationError("cannot read \(path): not UTF-8 text")])
        }
        return try parse(text: text, path: path, environment: environment, connectorTypes: connectorTypes)
    }

    /// Parses and checks `text`, read from `path` (used for locations and to resolve relative paths).
    /// - Throws: ``ConfigurationErrors`` listing every problem found.
    public static func parse(
        text: String, path: String, environment: [String: String], connectorTypes: [any ConnectorType.Type]
    ) throws -> SyncHubConfiguration {
        var reader = YAMLReader(file: path, environment: environment)
        guard var root = reader.read(text) else { throw ConfigurationErrors(errors: reader.errors) }
        var validator = Validator(file: path, connectorTypes: connectorTypes, failedKeyPaths: reader.failedKeyPaths)
        validator.validate(root: &root)

        let errors = reader.errors + validator.errors
        guard errors.isEmpty else { throw ConfigurationErrors(errors: sortedByLocation(errors)) }

        let baseDirectory = directory(of: absolute(path, against: FileManager.default.currentDirectoryPath))
        let storePath: String
        if let override = environment["SYNCHUB_STORE"], !override.isEmpty {
            storePath = absolute(override, against: FileManager.default.currentDirectoryPath)
        } else if case .scalar(let store)? = root["store"]?.value {
            storePath = absolute(store, against: baseDirectory)
        } else {
            storePath = baseDirectory + "/synchub.sqlite"
        }
        return SyncHubConfiguration(
            path: path, baseDirectory: baseDirectory, storePath: storePath, connectors: validator.connectors, root: root)
    }

    /// Reads a duration such as `30s`, `15m`, `1h`, `1d`, `250ms` or `1h30m`; `nil` when unreadable
    /// (``DurationText/parse(_:)``).
    public static func parseDuration(_ text: String) -> Duration? { DurationText.parse(text) }

    static func sortedByLocation(_ errors: [ConfigurationError]) -> [ConfigurationError] {
        errors.enumerated().sorted { a, b in
            let left = (a.element.location?.line ?? 0, a.element.location?.column ?? 0, a.offset)
            let right = (b.element.location?.line ?? 0, b.element.location?.column ?? 0, b.offset)
            return left < right
        }.map(\.element)
    }

    /// `path` made absolute against `directory`, with `~/` expanded and `.`/`..` removed.
    static func absolute(_ path: String, against directory: String) -> String {
        var full = path
        if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            full = home + path.dropFirst(1)
        } else if !path.hasPrefix("/") {
            full = directory.hasSuffix("/") ? directory + path : directory + "/" + path
        }
        var parts: [Substring] = []
        for part in full.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}

extension Settings {
    /// A duration such as `30s`, `15m`, `1h` or `1d` (see ``ConfigurationLoader/parseDuration(_:)``).
    public func duration(_ key: String, default fallback: Duration) throws -> Duration {
        guard let text = try string(key) else { return fallback }
        guard let value = ConfigurationLoader.parseDuration(text) else {
            throw error("expected a duration such as 30s, 15m, 1h or 1d", key: key)
        }
        return value
    }
}
