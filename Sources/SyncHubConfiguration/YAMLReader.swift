import Foundation
import SyncHubCore
import Yams

/// Turns YAML text into a ``SettingNode`` tree with source locations, interpolating `${VAR}` references.
struct YAMLReader {
    let file: String
    let environment: [String: String]
    var errors: [ConfigurationError] = []
    /// Key paths of values whose `${...}` references failed; they are not checked further.
    var failedKeyPaths: Set<String> = []

    init(file: String, environment: [String: String]) {
        self.file = file
        self.environment = environment
    }

    /// The document's root, `nil` after a syntax error (recorded in ``errors``), or a null node for an empty file.
    mutating func read(_ text: String) -> SettingNode? {
        let document: Yams.Node?
        do {
            document = try Yams.Parser(yaml: text).singleRoot()
        } catch let error as YamlError {
            errors.append(syntaxError(error, in: text))
            return nil
        } catch {
            errors.append(ConfigurationError("cannot read YAML: \(error)", location: SourceLocation(file: file, line: 1, column: 1)))
            return nil
        }
        guard let document else { return SettingNode(.null, location: SourceLocation(file: file, line: 1, column: 1)) }
        return convert(document, keyPath: "")
    }

    func location(_ mark: Mark?) -> SourceLocation? {
        mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }

    mutating func convert(_ node: Yams.Node, keyPath: String) -> SettingNode {
        let here = location(node.mark)
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                return SettingNode(.null, location: here)
            }
            let (text, isSecret) = interpolate(scalar.string, keyPath: keyPath, location: here)
            return SettingNode(.scalar(text), location: here, isSecret: isSecret)
        case .mapping(let mapping):
            var entries: [(key: String, keyLocation: SourceLocation?, value: SettingNode)] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    errors.append(ConfigurationError(
                        "a key must be a single value, not a list or map", keyPath: keyPath.isEmpty ? nil : keyPath,
                        location: location(key.mark)))
                    continue
                }
                let child = keyPath.isEmpty ? keyScalar.string : "\(keyPath).\(keyScalar.string)"
                entries.append((key: keyScalar.string, keyLocation: location(key.mark), value: convert(value, keyPath: child)))
            }
            return SettingNode(.map(entries), location: here)
        case .sequence(let sequence):
            var items: [SettingNode] = []
            for (index, item) in sequence.enumerated() {
                items.append(convert(item, keyPath: "\(keyPath)[\(index)]"))
            }
            return SettingNode(.list(items), location: here)
        case .alias:
            // The parser replaces aliases with the nodes they name; nothing else produces one.
            return SettingNode(.null, location: here)
        }
    }

    /// Replaces `${VAR}` and `${VAR:-default}` with values from the environment and `$$` with `$`.
    ///
    /// A value is secret when any part of it came from the environment. Errors name variables, never values.
    mutating func interpolate(_ text: String, keyPath: String, location: SourceLocation?) -> (String, isSecret: Bool) {
        guard text.contains("$") else { return (text, false) }
        var output = ""
        var isSecret = false
        let errorCount = errors.count
        defer { if errors.count > errorCount { failedKeyPaths.insert(keyPath) } }
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            guard character == "$", next < text.endIndex else {
                output.append(character)
                index = next
                continue
            }
            if text[next] == "$" {
                output.append("$")
                index = text.index(after: next)
                continue
            }
            guard text[next] == "{" else {
                output.append(character)
                index = next
                continue
            }
            let bodyStart = text.index(after: next)
            guard let close = text[bodyStart...].firstIndex(of: "}") else {
                errors.append(ConfigurationError(
                    "`${` is not closed by `}`; write `$${` for a literal `${`", keyPath: keyPath, location: location))
                return (output, isSecret)
            }
            let body = text[bodyStart..<close]
            let name: Substring
            let fallback: Substring?
            if let separator = body.range(of: ":-") {
                name = body[..<separator.lowerBound]
                fallback = body[separator.upperBound...]
            } else {
                name = body
                fallback = nil
            }
            if !Self.isVariableName(name) {
                errors.append(ConfigurationError(
                    "`${\(name)}` is not a variable reference; use letters, digits and `_`, or `$$` for a literal `$`",
                    keyPath: keyPath, location: location))
            } else if let value = environment[String(name)], fallback == nil || !value.isEmpty {
                output += value
                isSecret = true
            } else if let fallback {
                output += fallback
            } else {
                errors.append(ConfigurationError(
                    "environment variable \(name) is not set; set it, or write `${\(name):-default}`",
                    keyPath: keyPath, location: location))
            }
            index = text.index(after: close)
        }
        return (output, isSecret)
    }

    static func isVariableName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// A YAML syntax error, located, with libyaml's wording and none of the document's text.
    func syntaxError(_ error: YamlError, in text: String) -> ConfigurationError {
        func context(_ context: YamlError.Context?) -> String {
            guard let context else { return "" }
            return " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch error {
        case .scanner(let ctx, let problem, let mark, _), .parser(let ctx, let problem, let mark, _),
            .composer(let ctx, let problem, let mark, _):
            return ConfigurationError("invalid YAML: \(problem)\(context(ctx))", location: location(mark))
        case .reader(let problem, let offset, _, _):
            var at = SourceLocation(file: file, line: 1, column: 1)
            if let offset {
                let prefix = text.prefix(offset)
                at.line = prefix.count(where: { $0 == "\n" }) + 1
                at.column = prefix.distance(from: prefix.lastIndex(of: "\n").map(prefix.index(after:)) ?? prefix.startIndex, to: prefix.endIndex) + 1
            }
            return ConfigurationError("invalid YAML: \(problem)", location: at)
        case .duplicatedKeysInMapping(let duplicates, let ctx):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return ConfigurationError(
                "duplicate key \(keys) in one map; keep one of each", location: location(ctx.mark))
        default:
            return ConfigurationError("invalid YAML: \(error)", location: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}
