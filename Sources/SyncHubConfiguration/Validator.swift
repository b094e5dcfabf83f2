import Foundation
import SyncHubCore

/// Checks a configuration tree: top-level sections, connector instances and each connector's settings.
///
/// Collects every problem instead of stopping at the first. Marks values of settings declared secret as secret.
struct Validator {
    static let sections = ["version", "store", "connectors", "identity", "push", "stages", "sla", "schedules", "report"]
    /// Keys every connector section accepts besides its type's settings.
    static let commonConnectorKeys = ["type", "system"]

    let file: String
    let connectorTypes: [any ConnectorType.Type]
    /// Values whose `${...}` references failed (already reported): not checked again.
    let failedKeyPaths: Set<String>
    var errors: [ConfigurationError] = []
    var connectors: [ConnectorEntry] = []

    init(file: String, connectorTypes: [any ConnectorType.Type], failedKeyPaths: Set<String> = []) {
        self.file = file
        self.connectorTypes = connectorTypes
        self.failedKeyPaths = failedKeyPaths
    }

    var start: SourceLocation { SourceLocation(file: file, line: 1, column: 1) }

    mutating func fail(_ message: String, _ keyPath: String?, _ location: SourceLocation?) {
        errors.append(ConfigurationError(message, keyPath: keyPath, location: location))
    }

    /// How to show a value in a message: quoted, or "the value" when it is secret.
    static func shown(_ text: String, _ node: SettingNode) -> String { node.isSecret ? "the value" : "`\(text)`" }

    // MARK: Top level

    mutating func validate(root: inout SettingNode) {
        guard case .map(var entries) = root.value else {
            if case .null = root.value {
                fail("the file is empty; it needs a `connectors:` section", nil, root.location ?? start)
            } else {
                fail("expected a map of sections (version, store, connectors, ...)", nil, root.location ?? start)
            }
            return
        }
        for index in entries.indices {
            let key = entries[index].key
            let keyLocation = entries[index].keyLocation ?? entries[index].value.location
            switch key {
            case "version":
                let node = entries[index].value
                if case .scalar(let text) = node.value, text == "1" { break }
                fail("unsupported version; this synchub reads `version: 1`", key, node.location ?? keyLocation)
            case "store":
                let node = entries[index].value
                switch node.value {
                case .scalar(let text) where !text.isEmpty: break
                case .null: break
                default: fail("expected the path of the SQLite store", key, node.location ?? keyLocation)
                }
            case "connectors":
                validateConnectors(&entries[index].value, keyLocation: keyLocation)
            case _ where Self.sections.contains(key):
                break
            default:
                let hint = Suggestions.didYouMean(key, among: Self.sections)
                fail("unknown section\(hint.isEmpty ? "; expected one of \(Self.sections.joined(separator: ", "))" : hint)",
                     key, keyLocation)
            }
        }
        if !entries.contains(where: { $0.key == "connectors" }) {
            fail("no `connectors:` section; add one with at least one connector", nil, root.location ?? start)
        }
        root.value = .map(entries)
    }

    // MARK: Connectors

    static func isInstanceName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
    }

    mutating func validateConnectors(_ node: inout SettingNode, keyLocation: SourceLocation?) {
        guard case .map(var entries) = node.value else {
            if case .null = node.value { return }
            fail("expected a map of connector instances (name: settings)", "connectors", node.location ?? keyLocation)
            return
        }
        let knownTypes = connectorTypes.map { $0.typeName }
        for index in entries.indices {
            let name = entries[index].key
            let path = "connectors.\(name)"
            let nameLocation = entries[index].keyLocation ?? entries[index].value.location
            if !Self.isInstanceName(name) {
                let lowered = name.lowercased().replacingOccurrences(of: " ", with: "-")
                let hint = Self.isInstanceName(lowered) ? "; did you mean '\(lowered)'?" : ""
                fail("an instance name may contain only lower-case letters, digits, `-` and `_`\(hint)", path, nameLocation)
            }
            let section = entries[index].value
            guard case .map = section.value else {
                fail("expected the connector's settings, with at least `type:`", path, section.location ?? nameLocation)
                continue
            }
            guard let typeNode = section["type"] else {
                fail("missing `type:`; known types: \(knownTypes.joined(separator: ", "))", path, nameLocation)
                continue
            }
            guard case .scalar(let typeName) = typeNode.value else {
                fail("expected a connector type; known types: \(knownTypes.joined(separator: ", "))",
                     "\(path).type", typeNode.location)
                continue
            }
            guard let type = connectorTypes.first(where: { $0.typeName == typeName }) else {
                if failedKeyPaths.contains("\(path).type") { continue }
                let hint = typeNode.isSecret ? "" : Suggestions.didYouMean(typeName, among: knownTypes)
                fail("unknown connector type \(Self.shown(typeName, typeNode))\(hint); known types: \(knownTypes.joined(separator: ", "))",
                     "\(path).type", typeNode.location)
                continue
            }
            let specs = type.settings.map(Pattern.init)
            walk(&entries[index].value, relative: [], specs: specs, keyPath: path)
            for spec in specs where spec.spec.isRequired && spec.spec.defaultValue == nil {
                require(spec, in: entries[index].value, components: spec.components[...], keyPath: path, location: nameLocation)
            }
            connectors.append(ConnectorEntry(
                name: name, typeName: typeName, settings: Settings(node: entries[index].value, path: path),
                location: nameLocation))
        }
        node.value = .map(entries)
    }

    // MARK: Connector settings

    /// A setting spec's dotted key, split.
    struct Pattern {
        var spec: SettingSpec
        var components: [String]
        init(_ spec: SettingSpec) {
            self.spec = spec
            self.components = spec.key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        }
        var wildcards: Int { components.count(where: { $0 == "*" }) }

        func matches(_ path: [String]) -> Bool {
            components.count == path.count && zip(components, path).allSatisfy { $0 == "*" || $0 == $1 }
        }
        /// The pattern continues below `path`.
        func extends(_ path: [String]) -> Bool {
            components.count > path.count && zip(components, path).allSatisfy { $0 == "*" || $0 == $1 }
        }
    }

    mutating func walk(_ node: inout SettingNode, relative: [String], specs: [Pattern], keyPath: String) {
        guard case .map(var entries) = node.value else { return }
        for index in entries.indices {
            let key = entries[index].key
            let path = relative + [key]
            let childPath = "\(keyPath).\(key)"
            let keyLocation = entries[index].keyLocation ?? entries[index].value.location
            if relative.isEmpty, Self.commonConnectorKeys.contains(key) {
                if key == "system", case .list = entries[index].value.value {
                    fail("expected a single value such as `marketing` or `sales`", childPath, entries[index].value.location)
                } else if key == "system", case .map = entries[index].value.value {
                    fail("expected a single value such as `marketing` or `sales`", childPath, entries[index].value.location)
                }
                continue
            }
            if let pattern = specs.filter({ $0.matches(path) }).min(by: { $0.wildcards < $1.wildcards }) {
                check(pattern.spec, &entries[index].value, keyPath: childPath, keyLocation: keyLocation)
                // A map whose keys are declared further down (`streams.*` then `streams.*.path`) is checked key by
                // key; a map with nothing declared below it (`streams.*.columns`) is free-form.
                if pattern.spec.kind == .map, specs.contains(where: { $0.extends(path) }),
                    case .map = entries[index].value.value
                {
                    walk(&entries[index].value, relative: path, specs: specs, keyPath: childPath)
                }
            } else if specs.contains(where: { $0.extends(path) }) {
                switch entries[index].value.value {
                case .map: walk(&entries[index].value, relative: path, specs: specs, keyPath: childPath)
                case .null: break
                default: fail("expected a map of settings", childPath, entries[index].value.location ?? keyLocation)
                }
            } else {
                var candidates: [String] = relative.isEmpty ? Self.commonConnectorKeys : []
                for spec in specs where spec.extends(relative) {
                    let name = spec.components[relative.count]
                    if name != "*", !candidates.contains(name) { candidates.append(name) }
                }
                var hint = Suggestions.didYouMean(key, among: candidates)
                if hint.isEmpty, !candidates.isEmpty { hint = "; expected one of \(candidates.joined(separator: ", "))" }
                fail("unknown setting\(hint)", childPath, keyLocation)
            }
        }
        node.value = .map(entries)
    }

    /// Checks a value against its spec's kind and allowed values.
    mutating func check(_ spec: SettingSpec, _ node: inout SettingNode, keyPath: String, keyLocation: SourceLocation?) {
        if spec.isSecret { node.isSecret = true }
        if failedKeyPaths.contains(keyPath) { return }
        let at = node.location ?? keyLocation
        switch (node.value, spec.kind) {
        case (.null, _):
            return  // absent; `require` reports required settings without a value
        case (.map, .map), (.list, .list):
            break
        case (.map, _):
            fail(spec.kind == .list ? "expected a list, found a map" : "expected a single value, found a map", keyPath, at)
            return
        case (.list, .map):
            fail("expected a map, found a list", keyPath, at)
            return
        case (.list, _):
            fail("expected a single value, found a list", keyPath, at)
            return
        case (.scalar, .map):
            fail("expected a map", keyPath, at)
            return
        case (.scalar(let text), _):
            if let problem = Self.kindProblem(text, spec.kind) {
                fail(problem, keyPath, at)
                return
            }
        }
        guard !spec.allowed.isEmpty else { return }
        let values: [(node: SettingNode, keyPath: String)] =
            if case .list(let items) = node.value {
                items.enumerated().map { ($1, "\(keyPath)[\($0)]") }
            } else {
                [(node, keyPath)]
            }
        for (value, valuePath) in values {
            guard case .scalar(let text) = value.value, !spec.allowed.contains(text),
                !failedKeyPaths.contains(valuePath)
            else { continue }
            let secret = value.isSecret || node.isSecret
            let hint = secret ? "" : Suggestions.didYouMean(text, among: spec.allowed)
            fail("\(secret ? "the value" : "`\(text)`") is not one of \(spec.allowed.joined(separator: ", "))\(hint)",
                 keyPath, value.location ?? at)
        }
    }

    /// Why `text` is not a valid `kind`, or `nil`. Never quotes the value.
    static func kindProblem(_ text: String, _ kind: SettingSpec.Kind) -> String? {
        switch kind {
        case .string, .list: nil
        case .path: text.isEmpty ? "expected a path, found an empty value" : nil
        case .int: Int(text.replacingOccurrences(of: "_", with: "")) == nil ? "expected a whole number" : nil
        case .double: Double(text.replacingOccurrences(of: "_", with: "")) == nil ? "expected a number" : nil
        case .bool: ["true", "false", "yes", "no", "on", "off"].contains(text.lowercased()) ? nil : "expected true or false"
        case .duration:
            ConfigurationLoader.parseDuration(text) == nil ? "expected a duration such as 30s, 15m, 1h or 1d" : nil
        case .map: "expected a map"
        }
    }

    /// Reports a required setting missing under `node`, expanding `*` over the keys present.
    mutating func require(
        _ pattern: Pattern, in node: SettingNode, components: ArraySlice<String>, keyPath: String,
        location: SourceLocation?
    ) {
        guard let head = components.first else { return }
        let rest = components.dropFirst()
        guard case .map(let entries) = node.value else {
            if case .null = node.value, components.count == 1 {
                let missing = components.joined(separator: ".")
                fail("required setting is missing; add `\(missing): ...`", "\(keyPath).\(missing)", location)
            }
            return
        }
        if head == "*" {
            for entry in entries where !rest.isEmpty {
                require(pattern, in: entry.value, components: rest, keyPath: "\(keyPath).\(entry.key)",
                        location: entry.keyLocation ?? entry.value.location)
            }
            return
        }
        guard let entry = entries.first(where: { $0.key == head }) else {
            // A required key inside an optional section (`feedback.path`) is required only when the section is there.
            if rest.isEmpty {
                let missing = components.joined(separator: ".")
                fail("required setting is missing; add `\(missing): ...`", "\(keyPath).\(missing)", location)
            }
            return
        }
        if rest.isEmpty {
            if case .null = entry.value.value {
                fail("required setting has no value", "\(keyPath).\(head)", entry.keyLocation ?? location)
            }
            return
        }
        require(pattern, in: entry.value, components: rest, keyPath: "\(keyPath).\(head)",
                location: entry.keyLocation ?? entry.value.location)
    }
}
