public import SyncHubCore

/// The alignment sections of `connectors.yml`, checked: shared stage definitions (`stages:`), the service level
/// agreement and check limits (`sla:`), report settings (`report:`) and the stage each feedback target is sent
/// (`push:`).
public struct AlignmentConfiguration: Sendable {
    /// What synchub knows of a configured connector, to check references to it.
    public struct ConnectorInfo: Sendable, Hashable {
        public var name: String
        /// `system: sales` in its section: its contact records are sales assignments and its owners sales reps.
        public var isSales: Bool
        /// It accepts feedback (a `push:` entry may name it).
        public var isFeedbackTarget: Bool

        public init(name: String, isSales: Bool, isFeedbackTarget: Bool) {
            self.name = name
            self.isSales = isSales
            self.isFeedbackTarget = isFeedbackTarget
        }
    }

    public var stages: StageDefinitions
    public var sla: ServiceLevel
    public var report: ReportSettings
    /// Per feedback target: how shared stages are spelled there.
    public var push: [String: StagePushMapping]

    public init(
        stages: StageDefinitions = StageDefinitions(), sla: ServiceLevel = ServiceLevel(),
        report: ReportSettings = ReportSettings(), push: [String: StagePushMapping] = [:]
    ) {
        self.stages = stages
        self.sla = sla
        self.report = report
        self.push = push
    }

    /// Reads and checks the sections; `nil` sections take their defaults.
    ///
    /// - Throws: ``AlignmentConfigurationError`` listing every problem, each naming its file, line and key.
    public init(
        stages: Settings?, sla: Settings?, report: Settings?, push: Settings?, connectors: [ConnectorInfo]
    ) throws(AlignmentConfigurationError) {
        var reader = SectionReader(connectors: connectors)
        self.stages = stages.map { reader.stageDefinitions($0) } ?? StageDefinitions()
        self.sla = reader.serviceLevel(sla)
        self.report = report.map { reader.reportSettings($0) } ?? ReportSettings()
        self.push = push.map { reader.pushMappings($0) } ?? [:]
        guard reader.errors.isEmpty else { throw AlignmentConfigurationError(errors: reader.errors) }
    }
}

/// Every problem found in the alignment sections of `connectors.yml`, one a line.
public struct AlignmentConfigurationError: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigurationError]

    public init(errors: [ConfigurationError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

// MARK: - Stages

/// How one system's records say a person is at one shared stage.
///
/// A contact record matches when any listed field holds one of the listed values (compared ignoring case, spaces
/// and punctuation, so `Marketing Qualified Lead` equals `marketingqualifiedlead`). A deal matches by outcome or
/// stage name; deals carry their own times (open from creation, won or lost at their close date).
public struct StageRule: Sendable, Hashable {
    /// Where a contact record's entry date into the stage comes from.
    public enum EntrySource: Sendable, Hashable {
        /// A date field of the record as its source delivered it (HubSpot's `Became a Marketing Qualified Lead
        /// Date`): the record entered the stage then, whatever its stage is now.
        case field(String)
        /// The record's creation: a record at this stage now has been at it since it was created.
        case createdAt
    }

    public var stage: Stage
    /// The connector instance whose records this rule reads.
    public var connector: String
    /// Normalized values (see ``StageRule/normalize(_:)``).
    public var lifecycleStages: Set<String> = []
    public var leadStatuses: Set<String> = []
    /// `lead` or `contact`.
    public var kinds: Set<String> = []
    public var dealOutcomes: Set<DealOutcome> = []
    public var dealStages: Set<String> = []
    /// Sales activity types (normalized; `any` for all): a person with a completed activity of one of them is at the
    /// stage, since their first.
    public var activityTypes: Set<String> = []
    /// Tried in order; the first that gives a date wins.
    public var enteredAt: [EntrySource] = []
    /// Where the rule is written, for messages.
    public var location: SourceLocation?

    public init(stage: Stage, connector: String) {
        self.stage = stage
        self.connector = connector
    }

    public var readsContacts: Bool { !lifecycleStages.isEmpty || !leadStatuses.isEmpty || !kinds.isEmpty }
    public var readsActivities: Bool { !activityTypes.isEmpty }
    public var readsDeals: Bool { !dealOutcomes.isEmpty || !dealStages.isEmpty }

    /// The fields named in ``enteredAt``.
    public var dateFields: [String] {
        enteredAt.compactMap { if case .field(let name) = $0 { name } else { nil } }
    }

    /// `Marketing Qualified Lead`, `marketing-qualified-lead` and `marketingqualifiedlead` compare equal: lower
    /// case, letters and digits only.
    public static func normalize(_ value: String) -> String {
        String(
            String.UnicodeScalarView(
                value.lowercased().unicodeScalars.filter {
                    $0.properties.isAlphabetic || ("0"..."9").contains($0)
                }))
    }
}

/// The shared stage definitions: for each stage, how each system's records say a person is there.
public struct StageDefinitions: Sendable {
    /// Every rule, by stage then connector in file order.
    public var rules: [StageRule]

    public init(rules: [StageRule] = []) { self.rules = rules }

    public var isEmpty: Bool { rules.isEmpty }

    public func rules(for connector: String) -> [StageRule] { rules.filter { $0.connector == connector } }

    /// Connectors any rule reads.
    public var connectors: [String] {
        var seen: [String] = []
        for rule in rules where !seen.contains(rule.connector) { seen.append(rule.connector) }
        return seen
    }
}

// MARK: - Service level

/// Alignment checks `synchub check` runs.
public enum CheckKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// People at MQL whom no record gives an owner.
    case mqlWithoutOwner
    /// Assigned people with no sales activity since, past the follow-up time, still in the funnel below opportunity.
    case followUpOverdue
    /// People whose stages in two systems are more than `maxStageGap` funnel steps apart, or in the pipeline in one
    /// and recycled or disqualified in the other.
    case stageDrift
    /// Open opportunities none of whose people had a marketing touch before the opportunity was created.
    case opportunityWithoutTouch
    /// People who unsubscribed in marketing and whom sales still works: an open deal or a sales activity since.
    case unsubscribedButActive

    /// What the check counts, for tables.
    public var title: String {
        switch self {
        case .mqlWithoutOwner: "MQLs with no owner"
        case .followUpOverdue: "leads past the follow-up SLA"
        case .stageDrift: "stage drift between systems"
        case .opportunityWithoutTouch: "opportunities with no marketing touch"
        case .unsubscribedButActive: "unsubscribed in marketing, active in sales"
        }
    }
}

/// The service level agreement between marketing and sales (`sla:`).
public struct ServiceLevel: Sendable {
    /// The stage whose entries count as qualified leads (`leadStage`, default `mql`).
    public var leadStage: Stage = .mql
    /// Qualified leads marketing commits to a month (`leadsPerMonth`).
    public var leadsPerMonth: Int?
    /// How soon sales follows up an assigned lead (`followUpWithin`, default 24h), in milliseconds.
    public var followUpWithin: Int64 = 24 * 3_600_000
    /// The share of assigned leads to follow up within ``followUpWithin`` (`followUpShare`, default 0.9).
    public var followUpShare: Double = 0.9
    /// Connectors whose contact records are sales assignments (`salesConnectors`; default: `system: sales`).
    public var salesConnectors: [String] = []
    /// The most each check may count before `synchub check --strict` fails (`limits`); unlisted checks allow 0.
    public var limits: [CheckKind: Int] = [:]
    /// Funnel steps two systems' stages may differ before it is drift (`maxStageGap`, default 2: a system a step or
    /// two behind is sync lag; a customer who is still a lead elsewhere is drift).
    public var maxStageGap: Int = 2

    public init() {}

    public func limit(for check: CheckKind) -> Int { limits[check] ?? 0 }
}

// MARK: - Report

/// How reports count money, name owners and classify touches and activities (`report:`).
public struct ReportSettings: Sendable {
    /// Amounts are reported in this currency (`currency`); by default the one most deals use.
    public var currency: String?
    /// Units of the report currency per unit of another (`exchangeRates: { EUR: 1.08 }`). Deals in a currency
    /// without a rate are left out of amounts (and counted as such).
    public var exchangeRates: [String: Double] = [:]
    /// Display names of owner ids (`owners`), such as a CRM user id to the rep's name.
    public var owners: [String: String] = [:]
    /// Touch types that earn no attribution credit and make no first touch (`attributionExcludes`; normalized).
    public var excludedTouchTypes: Set<String> = [
        "emailsend", "unsubscribe", "emailunsubscribe", "bounce", "emailbounce",
    ]
    /// Touch types that mean the person unsubscribed (`unsubscribeTypes`; normalized).
    public var unsubscribeTouchTypes: Set<String> = ["unsubscribe", "emailunsubscribe", "unsubscribed", "optout"]
    /// Activity statuses that mean it has not happened (`ignoreActivityStatuses`; normalized).
    public var ignoredActivityStatuses: Set<String> = [
        "open", "notstarted", "deferred", "cancelled", "canceled", "planned",
    ]

    public init() {}

    /// The display name of an owner id.
    public func ownerName(_ owner: String) -> String { owners[owner] ?? owner }
}

// MARK: - Push

/// How one feedback target spells the shared stages (`push.<target>`).
public struct StagePushMapping: Sendable, Hashable {
    public var target: String
    /// The target's value for each mapped stage; unmapped stages are not sent.
    public var values: [Stage: String]
    /// Send a stage behind what the target holds (`allowBackwards`, default false).
    public var allowBackwards: Bool

    public init(target: String, values: [Stage: String], allowBackwards: Bool = false) {
        self.target = target
        self.values = values
        self.allowBackwards = allowBackwards
    }

    /// The shared stage a target value stands for (compared normalized), or `nil`.
    public func stage(forValue value: String) -> Stage? {
        let wanted = StageRule.normalize(value)
        return Stage.allCases.first { values[$0].map(StageRule.normalize) == wanted }
    }
}

// MARK: - Reading

/// Reads the sections, collecting every problem.
struct SectionReader {
    let connectors: [AlignmentConfiguration.ConnectorInfo]
    var errors: [ConfigurationError] = []

    init(connectors: [AlignmentConfiguration.ConnectorInfo]) { self.connectors = connectors }

    var connectorNames: [String] { connectors.map(\.name) }

    mutating func fail(_ message: String, _ keyPath: String, _ location: SourceLocation?) {
        errors.append(ConfigurationError(message, keyPath: keyPath, location: location))
    }

    static let ruleKeys = [
        "lifecycleStage", "leadStatus", "kind", "dealOutcome", "dealStage", "activityType", "enteredAt",
    ]

    mutating func stageDefinitions(_ settings: Settings) -> StageDefinitions {
        var rules: [StageRule] = []
        guard case .map(let stages) = settings.node.value else { return StageDefinitions() }
        for (name, keyLocation, node) in stages {
            let stagePath = "stages.\(name)"
            guard let stage = Stage(rawValue: name) else {
                let known = Stage.allCases.map(\.rawValue)
                let hint = Suggestions.didYouMean(name, among: known)
                fail(
                    "unknown stage\(hint.isEmpty ? "; the shared stages are \(known.joined(separator: ", "))" : hint)",
                    stagePath, keyLocation ?? node.location)
                continue
            }
            guard case .map(let systems) = node.value else {
                if case .null = node.value { continue }
                fail("expected a map of connectors to their rules", stagePath, node.location ?? keyLocation)
                continue
            }
            for (connector, connectorLocation, block) in systems {
                let path = "\(stagePath).\(connector)"
                if connector == "description" { continue }
                guard connectorNames.contains(connector) else {
                    let hint = Suggestions.didYouMean(connector, among: connectorNames)
                    fail(
                        "no connector named '\(connector)'\(hint.isEmpty ? "; connectors: \(connectorNames.joined(separator: ", "))" : hint)",
                        path, connectorLocation ?? block.location)
                    continue
                }
                if let rule = stageRule(
                    stage: stage, connector: connector, node: block, path: path,
                    location: connectorLocation ?? block.location)
                {
                    rules.append(rule)
                }
            }
        }
        return StageDefinitions(rules: rules)
    }

    mutating func stageRule(stage: Stage, connector: String, node: SettingNode, path: String, location: SourceLocation?)
        -> StageRule?
    {
        guard case .map(let entries) = node.value else {
            fail("expected rules such as `lifecycleStage: [marketingqualifiedlead]`", path, node.location ?? location)
            return nil
        }
        var rule = StageRule(stage: stage, connector: connector)
        rule.location = location
        let errorsBefore = errors.count
        for (key, keyLocation, value) in entries {
            let keyPath = "\(path).\(key)"
            let at = keyLocation ?? value.location
            guard let values = list(value, keyPath: keyPath, location: at) else { continue }
            switch key {
            case "lifecycleStage": rule.lifecycleStages.formUnion(values.map(StageRule.normalize))
            case "leadStatus": rule.leadStatuses.formUnion(values.map(StageRule.normalize))
            case "dealStage": rule.dealStages.formUnion(values.map(StageRule.normalize))
            case "activityType": rule.activityTypes.formUnion(values.map(StageRule.normalize))
            case "kind":
                for value in values {
                    let kind = value.lowercased()
                    guard ["lead", "contact"].contains(kind) else {
                        fail("`\(value)` is not a record kind; use lead or contact", keyPath, at)
                        continue
                    }
                    rule.kinds.insert(kind)
                }
            case "dealOutcome":
                for value in values {
                    guard let outcome = DealOutcome(rawValue: value.lowercased()) else {
                        fail("`\(value)` is not a deal outcome; use open, won or lost", keyPath, at)
                        continue
                    }
                    rule.dealOutcomes.insert(outcome)
                }
            case "enteredAt":
                rule.enteredAt = values.map { $0 == "createdAt" ? .createdAt : .field($0) }
            default:
                let hint = Suggestions.didYouMean(key, among: Self.ruleKeys)
                fail(
                    "unknown rule\(hint.isEmpty ? "; rules: \(Self.ruleKeys.joined(separator: ", "))" : hint)", keyPath,
                    at)
            }
        }
        if rule.readsDeals && (rule.readsContacts || rule.readsActivities || !rule.enteredAt.isEmpty) {
            fail(
                "deal rules (dealOutcome, dealStage) carry their own times and cannot be mixed with contact or "
                    + "activity rules or enteredAt in one block; write the other rules under another stage or connector",
                path, location)
        }
        if !rule.readsDeals && !rule.readsContacts && !rule.readsActivities && rule.enteredAt.isEmpty {
            guard errors.count == errorsBefore else { return nil }
            fail(
                "no rules; add lifecycleStage, leadStatus, kind, dealOutcome, dealStage, activityType or enteredAt",
                path, location)
            return nil
        }
        return rule
    }

    /// A scalar or a list of scalars.
    mutating func list(_ node: SettingNode, keyPath: String, location: SourceLocation?) -> [String]? {
        switch node.value {
        case .scalar(let text): return [text]
        case .null: return []
        case .list(let items):
            var out: [String] = []
            for item in items {
                guard case .scalar(let text) = item.value else {
                    fail("expected a list of values", keyPath, item.location ?? location)
                    return nil
                }
                out.append(text)
            }
            return out
        case .map:
            fail("expected a value or a list of values, found a map", keyPath, node.location ?? location)
            return nil
        }
    }

    static let slaKeys = [
        "leadStage", "leadsPerMonth", "followUpWithin", "followUpShare", "salesConnectors", "limits", "maxStageGap",
    ]

    mutating func serviceLevel(_ settings: Settings?) -> ServiceLevel {
        var sla = ServiceLevel()
        sla.salesConnectors = connectors.filter(\.isSales).map(\.name)
        guard let settings else { return sla }
        checkKeys(settings, allowed: Self.slaKeys)
        do {
            if let text = try settings.string("leadStage") {
                if let stage = Stage(rawValue: text) {
                    sla.leadStage = stage
                } else {
                    errors.append(
                        settings.error(
                            "`\(text)` is not a shared stage\(Suggestions.didYouMean(text, among: Stage.allCases.map(\.rawValue)))",
                            key: "leadStage"))
                }
            }
            if settings.contains("leadsPerMonth") {
                sla.leadsPerMonth = try settings.int("leadsPerMonth", default: 0, range: 0...10_000_000)
            }
            if let text = try settings.string("followUpWithin") {
                if let ms = Self.milliseconds(text), ms > 0 {
                    sla.followUpWithin = ms
                } else {
                    errors.append(
                        settings.error("expected a duration such as 30m, 4h, 24h or 2d", key: "followUpWithin"))
                }
            }
            sla.followUpShare = try settings.double("followUpShare", default: 0.9)
            if !(0...1).contains(sla.followUpShare) {
                errors.append(settings.error("expected a share between 0 and 1, such as 0.9", key: "followUpShare"))
            }
            sla.maxStageGap = try settings.int("maxStageGap", default: 2, range: 0...5)
            if settings.contains("salesConnectors") {
                sla.salesConnectors = try settings.stringList("salesConnectors")
                for name in sla.salesConnectors where !connectorNames.contains(name) {
                    errors.append(
                        settings.error(
                            "no connector named '\(name)'\(Suggestions.didYouMean(name, among: connectorNames))",
                            key: "salesConnectors"))
                }
            }
            if let limits = try settings.section("limits") {
                let known = CheckKind.allCases.map(\.rawValue)
                for key in limits.keys {
                    guard let check = CheckKind(rawValue: key) else {
                        let hint = Suggestions.didYouMean(key, among: known)
                        errors.append(
                            limits.error(
                                "unknown check\(hint.isEmpty ? "; checks: \(known.joined(separator: ", "))" : hint)",
                                key: key))
                        continue
                    }
                    sla.limits[check] = try limits.int(key, default: 0, range: 0...Int.max)
                }
            }
        } catch {
            record(error)
        }
        return sla
    }

    static let reportKeys = [
        "currency", "exchangeRates", "owners", "attributionExcludes", "unsubscribeTypes", "ignoreActivityStatuses",
    ]

    mutating func reportSettings(_ settings: Settings) -> ReportSettings {
        var report = ReportSettings()
        checkKeys(settings, allowed: Self.reportKeys)
        do {
            report.currency = try settings.string("currency")?.uppercased()
            for (code, rate) in try settings.stringMap("exchangeRates") {
                guard let value = Double(rate), value > 0 else {
                    errors.append(
                        ConfigurationError(
                            "expected a positive number", keyPath: "report.exchangeRates.\(code)",
                            location: settings.node["exchangeRates"]?[code]?.location))
                    continue
                }
                report.exchangeRates[code.uppercased()] = value
            }
            for (id, name) in try settings.stringMap("owners") { report.owners[id] = name }
            if settings.contains("attributionExcludes") {
                report.excludedTouchTypes = Set(try settings.stringList("attributionExcludes").map(StageRule.normalize))
            }
            if settings.contains("unsubscribeTypes") {
                report.unsubscribeTouchTypes = Set(try settings.stringList("unsubscribeTypes").map(StageRule.normalize))
            }
            if settings.contains("ignoreActivityStatuses") {
                report.ignoredActivityStatuses = Set(
                    try settings.stringList("ignoreActivityStatuses").map(StageRule.normalize))
            }
        } catch {
            record(error)
        }
        return report
    }

    mutating func pushMappings(_ settings: Settings) -> [String: StagePushMapping] {
        var mappings: [String: StagePushMapping] = [:]
        let targets = connectors.filter(\.isFeedbackTarget).map(\.name)
        for target in settings.keys {
            let location = settings.node[target]?.location
            guard targets.contains(target) else {
                let hint = Suggestions.didYouMean(target, among: targets)
                fail(
                    "no feedback target named '\(target)'\(hint.isEmpty ? "; targets: \(targets.isEmpty ? "none (add `feedback:` to a connector)" : targets.joined(separator: ", "))" : hint)",
                    "push.\(target)", location)
                continue
            }
            do {
                guard let section = try settings.section(target) else { continue }
                checkKeys(section, allowed: ["stages", "allowBackwards"])
                var mapping = StagePushMapping(target: target, values: [:])
                mapping.allowBackwards = try section.bool("allowBackwards", default: false)
                guard let stages = try section.section("stages") else {
                    errors.append(
                        section.error(
                            "add `stages:` mapping shared stages to this target's values, such as `customer: customer`")
                    )
                    continue
                }
                for key in stages.keys {
                    guard let stage = Stage(rawValue: key) else {
                        errors.append(
                            stages.error(
                                "unknown stage\(Suggestions.didYouMean(key, among: Stage.allCases.map(\.rawValue)))",
                                key: key))
                        continue
                    }
                    guard let value = try stages.string(key), !value.isEmpty else {
                        errors.append(stages.error("expected the target's value for \(key)", key: key))
                        continue
                    }
                    mapping.values[stage] = value
                }
                mappings[target] = mapping
            } catch {
                record(error)
            }
        }
        return mappings
    }

    mutating func record(_ error: any Error) {
        if let error = error as? ConfigurationError {
            errors.append(error)
        } else {
            errors.append(ConfigurationError(String(describing: error)))
        }
    }

    mutating func checkKeys(_ settings: Settings, allowed: [String]) {
        for key in settings.keys where !allowed.contains(key) {
            let hint = Suggestions.didYouMean(key, among: allowed)
            errors.append(
                settings.error(
                    "unknown setting\(hint.isEmpty ? "; settings: \(allowed.joined(separator: ", "))" : hint)", key: key
                ))
        }
    }

    /// `30s`, `15m`, `24h`, `2d`, `1h30m` in milliseconds; `nil` when unreadable (``DurationText``).
    static func milliseconds(_ text: String) -> Int64? {
        DurationText.parse(text).map(DurationText.milliseconds)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let drop = Set(set.unicodeScalars)
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, drop.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, drop.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}
