public import SyncHubCore

extension GoldenRules {
    /// The keys a field's map accepts.
    static let ruleKeys = ["rule", "sourcePriority", "overwriteWithBlank"]

    /// Reads `identity: golden:`: one entry per field, each a rule name or a map.
    ///
    /// ```yaml
    /// golden:
    ///   email: { sourcePriority: [crm, marketing] }   # the first source with a value; most recent within one
    ///   title: mostRecent                             # the record changed last
    ///   phone: { rule: mostRecent, overwriteWithBlank: true }
    /// ```
    /// - Parameter systems: the system (`sales`, `marketing`) of each connector instance; sources must name one of
    ///   these connectors or systems.
    /// - Throws: ``GoldenRuleErrors`` naming the line and key of every problem, with did-you-mean hints.
    public init(settings: Settings?, systems: [String: String]) throws {
        var rules: [GoldenField: GoldenRule] = [:]
        var errors: [ConfigurationError] = []
        guard let settings else {
            self.init()
            return
        }
        let names = GoldenField.allCases.map(\.rawValue)
        let knownSources = Array(Set(systems.keys).union(systems.values).union(["sales", "marketing"])).sorted()
        for key in settings.keys {
            guard let field = GoldenField(rawValue: key) else {
                let hint = Suggestions.didYouMean(key, among: names)
                errors.append(settings.error(
                    "unknown golden field\(hint.isEmpty ? "; fields: \(names.joined(separator: ", "))" : hint)", key: key))
                continue
            }
            do {
                rules[field] = try Self.rule(settings, key: key, knownSources: knownSources, errors: &errors)
            } catch let error as ConfigurationError {
                errors.append(error)
            }
        }
        if !errors.isEmpty { throw GoldenRuleErrors(errors: errors) }
        self.init(rules: rules)
    }

    static func rule(_ settings: Settings, key: String, knownSources: [String], errors: inout [ConfigurationError]) throws -> GoldenRule? {
        let kinds = GoldenRule.Kind.allCases.map(\.rawValue)
        if let section = try? settings.section(key) {
            for entry in section.keys where !ruleKeys.contains(entry) {
                let hint = Suggestions.didYouMean(entry, among: ruleKeys)
                errors.append(section.error(
                    "unknown setting\(hint.isEmpty ? "; expected one of \(ruleKeys.joined(separator: ", "))" : hint)", key: entry))
            }
            let sources = try section.stringList("sourcePriority")
            for (index, source) in sources.enumerated() where !knownSources.contains(source) {
                let hint = Suggestions.didYouMean(source, among: knownSources)
                let location = section.node["sourcePriority"].flatMap { node -> SourceLocation? in
                    if case .list(let items) = node.value, items.indices.contains(index) { return items[index].location }
                    return node.location
                }
                errors.append(ConfigurationError(
                    "unknown source `\(source)`\(hint.isEmpty ? "; sources are connector names or systems: \(knownSources.joined(separator: ", "))" : hint)",
                    keyPath: "\(section.path).sourcePriority", location: location))
            }
            var kind: GoldenRule.Kind = sources.isEmpty ? .mostRecent : .sourcePriority
            if let name = try section.string("rule") {
                guard let parsed = GoldenRule.Kind(rawValue: name) else {
                    throw section.error("`\(name)` is not one of \(kinds.joined(separator: ", "))\(Suggestions.didYouMean(name, among: kinds))", key: "rule")
                }
                kind = parsed
            }
            let standardSources = GoldenRules.standard[.email].sources
            return GoldenRule(
                kind, sources: sources.isEmpty && kind == .sourcePriority ? standardSources : sources,
                overwriteWithBlank: try section.bool("overwriteWithBlank", default: false))
        }
        guard let name = try settings.string(key) else { return nil }
        guard let kind = GoldenRule.Kind(rawValue: name) else {
            throw settings.error(
                "`\(name)` is not a rule; write one of \(kinds.joined(separator: ", ")) or a map such as `{ sourcePriority: [crm, marketing] }`\(Suggestions.didYouMean(name, among: kinds))",
                key: key)
        }
        return GoldenRule(kind, sources: kind == .sourcePriority ? GoldenRules.standard[.email].sources : [])
    }
}

/// Every problem found in `identity: golden:`; its description has one line per problem.
public struct GoldenRuleErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigurationError]
    public init(errors: [ConfigurationError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
