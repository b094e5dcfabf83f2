public import Foundation
public import SyncHubCore

/// When a connector's sync runs: at a fixed interval or at the minutes a cron expression matches.
public enum ScheduleTrigger: Sendable, Hashable, CustomStringConvertible {
    case every(Duration)
    case cron(CronExpression)

    /// The first occurrence for a schedule without saved state: right away for an interval, the next match for cron.
    public func first(from now: Date) -> Date {
        switch self {
        case .every: now
        case .cron(let expression): expression.next(after: now) ?? .distantFuture
        }
    }

    /// The next occurrence after the one at `nominal`, skipping every occurrence at or before `now`: a run that took
    /// longer than the interval does not queue the runs it overlapped.
    public func next(after nominal: Date, now: Date) -> Date {
        switch self {
        case .every(let interval):
            let step = Double(DurationText.milliseconds(interval)) / 1000
            guard step > 0 else { return now }
            var next = nominal.addingTimeInterval(step)
            if next <= now {
                let missed = ((now.timeIntervalSince(next)) / step).rounded(.down) + 1
                next = next.addingTimeInterval(missed * step)
            }
            return next
        case .cron(let expression):
            return expression.next(after: max(nominal, now)) ?? .distantFuture
        }
    }

    public var description: String {
        switch self {
        case .every(let interval): "every \(DurationText.format(interval))"
        case .cron(let expression): "cron \(expression.text) (\(expression.timeZoneName))"
        }
    }
}

/// How long to wait after failures in a row: `initial`, doubling with each further failure, at most `max`.
public struct BackoffPolicy: Sendable, Hashable {
    public var initial: Duration
    public var max: Duration

    public init(initial: Duration = .seconds(60), max: Duration = .seconds(3600)) {
        self.initial = initial
        self.max = Swift.max(initial, max)
    }

    /// The wait after `failures` failures in a row (1 for the first).
    public func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = initial
        for _ in 1..<Swift.min(failures, 64) {
            delay = delay * 2
            if delay >= max { return max }
        }
        return Swift.min(delay, max)
    }
}

/// One connector's schedule from `connectors.yml`.
public struct ConnectorSchedule: Sendable, Hashable {
    public var connector: String
    public var trigger: ScheduleTrigger
    /// Push feedback to every target after a pull that did not fail.
    public var push: Bool
    /// Each run starts up to this much after its time, at random, so many schedulers don't hit an API at once.
    public var jitter: Duration
    public var backoff: BackoffPolicy

    public init(connector: String, trigger: ScheduleTrigger, push: Bool = false, jitter: Duration = .zero, backoff: BackoffPolicy = .init()) {
        self.connector = connector
        self.trigger = trigger
        self.push = push
        self.jitter = jitter
        self.backoff = backoff
    }

    /// The schedule in words; saved with the scheduler's state, so a changed schedule starts afresh.
    public var spec: String {
        "\(trigger)" + (push ? ", then push" : "")
    }
}

/// Reads the `schedules:` section of `connectors.yml`:
///
/// ```yaml
/// schedules:
///   marketing: { every: 15m, jitter: 30s, push: true }
///   crm:
///     cron: "*/20 7-19 * * MON-FRI"
///     timezone: Europe/Berlin
///     backoff: { initial: 1m, max: 1h }
/// ```
public enum ScheduleConfiguration {
    public static let keys = ["every", "cron", "timezone", "push", "jitter", "backoff"]
    public static let backoffKeys = ["initial", "max"]
    /// The shortest interval `every:` takes.
    public static let minimumInterval: Duration = .seconds(60)

    /// Every schedule in `section` (the `schedules:` section, `nil` when absent), checked against the configured
    /// connectors: `sources` (connectors that can be pulled) and `targets` (feedback targets, for `push: true`).
    /// Throws every problem at once, each naming its line.
    public static func parse(_ section: Settings?, sources: [String], targets: [String]) throws(ScheduleConfigurationError) -> [ConnectorSchedule] {
        guard let section else { return [] }
        var errors: [ConfigurationError] = []
        var schedules: [ConnectorSchedule] = []
        guard case .map(let entries) = section.node.value else { return [] }
        for entry in entries {
            let keyPath = "\(section.path).\(entry.key)"
            let location = entry.keyLocation ?? entry.value.location
            guard sources.contains(entry.key) else {
                let hint = Suggestions.closest(to: entry.key, among: sources).map { "; did you mean '\($0)'?" }
                    ?? (sources.isEmpty ? "" : "; connectors that pull: \(sources.joined(separator: ", "))")
                errors.append(ConfigurationError("no connector to pull named '\(entry.key)' in `connectors:`\(hint)", keyPath: keyPath, location: location))
                continue
            }
            guard case .map = entry.value.value else {
                errors.append(ConfigurationError(
                    "expected the connector's schedule, such as `{ every: 15m }` or `{ cron: \"*/15 * * * *\" }`",
                    keyPath: keyPath, location: entry.value.location ?? location))
                continue
            }
            let settings = Settings(node: entry.value, path: keyPath)
            do {
                schedules.append(try schedule(entry.key, settings, targets: targets, errors: &errors))
            } catch {
                errors.append(error)
            }
        }
        guard errors.isEmpty else { throw ScheduleConfigurationError(errors: errors) }
        return schedules
    }

    static func schedule(_ connector: String, _ settings: Settings, targets: [String], errors: inout [ConfigurationError]) throws(ConfigurationError) -> ConnectorSchedule {
        for key in settings.keys where !keys.contains(key) {
            let hint = Suggestions.closest(to: key, among: keys).map { "; did you mean '\($0)'?" } ?? "; a schedule takes \(keys.joined(separator: ", "))"
            errors.append(unknownKey(settings, key, hint))
        }
        let every = try wrap { try settings.string("every") }
        let cron = try wrap { try settings.string("cron") }
        let zone = try wrap { try settings.string("timezone") }
        let trigger: ScheduleTrigger
        switch (every, cron) {
        case (let every?, nil):
            guard let interval = DurationText.parse(every) else {
                throw settings.error("expected a duration such as 15m, 1h or 1d", key: "every")
            }
            guard interval >= minimumInterval else {
                throw settings.error("must be at least \(DurationText.format(minimumInterval)), found \(DurationText.format(interval))", key: "every")
            }
            if zone != nil { errors.append(settings.error("a time zone applies to `cron:` schedules only", key: "timezone")) }
            trigger = .every(interval)
        case (nil, let cron?):
            var timeZone = TimeZone(identifier: "UTC")!
            if let zone {
                guard let found = TimeZone(identifier: zone) else {
                    let hint = Suggestions.closest(to: zone, among: TimeZone.knownTimeZoneIdentifiers).map { "; did you mean '\($0)'?" }
                        ?? "; use an IANA name such as Europe/Berlin or America/New_York"
                    throw settings.error("unknown time zone '\(zone)'\(hint)", key: "timezone")
                }
                timeZone = found
            }
            do {
                trigger = .cron(try CronExpression(cron, timeZone: timeZone))
            } catch {
                throw settings.error(error.message, key: "cron")
            }
        case (_?, _?):
            throw settings.error("give either `every:` or `cron:`, not both", key: "cron")
        case (nil, nil):
            throw settings.error("no schedule; add `every: 15m` or `cron: \"*/15 * * * *\"`")
        }
        let push = try wrap { try settings.bool("push", default: false) }
        if push && targets.isEmpty {
            errors.append(settings.error("no connector has `feedback:` to push to; remove `push: true` or add a feedback target", key: "push"))
        }
        let jitter = try duration(settings, "jitter", default: .zero)
        if case .every(let interval) = trigger, jitter >= interval {
            errors.append(settings.error("must be shorter than the interval (\(DurationText.format(interval)))", key: "jitter"))
        }
        var backoff = BackoffPolicy()
        if settings.contains("backoff") {
            guard let section = try wrap({ try settings.section("backoff") }) else {
                throw settings.error("expected `{ initial: 1m, max: 1h }`", key: "backoff")
            }
            for key in section.keys where !backoffKeys.contains(key) {
                let hint = Suggestions.closest(to: key, among: backoffKeys).map { "; did you mean '\($0)'?" } ?? "; backoff takes initial and max"
                errors.append(unknownKey(section, key, hint))
            }
            let initial = try duration(section, "initial", default: backoff.initial)
            let max = try duration(section, "max", default: Swift.max(backoff.max, initial))
            if initial <= .zero { errors.append(section.error("must be longer than 0s", key: "initial")) }
            if max < initial { errors.append(section.error("must be at least `initial` (\(DurationText.format(initial)))", key: "max")) }
            backoff = BackoffPolicy(initial: initial, max: max)
        }
        return ConnectorSchedule(connector: connector, trigger: trigger, push: push, jitter: jitter, backoff: backoff)
    }

    /// An unknown key, pointing at the key itself.
    static func unknownKey(_ settings: Settings, _ key: String, _ hint: String) -> ConfigurationError {
        var location = settings.node[key]?.location ?? settings.node.location
        if case .map(let entries) = settings.node.value, let entry = entries.first(where: { $0.key == key }), let at = entry.keyLocation {
            location = at
        }
        return ConfigurationError("unknown setting\(hint)", keyPath: "\(settings.path).\(key)", location: location)
    }

    static func duration(_ settings: Settings, _ key: String, default fallback: Duration) throws(ConfigurationError) -> Duration {
        guard let text = try wrap({ try settings.string(key) }) else { return fallback }
        guard let value = DurationText.parse(text) else {
            throw settings.error("expected a duration such as 30s, 15m, 1h or 1d", key: key)
        }
        return value
    }

    /// Settings throw untyped errors, always ``ConfigurationError``.
    static func wrap<T>(_ body: () throws -> T) throws(ConfigurationError) -> T {
        do { return try body() } catch let error as ConfigurationError { throw error } catch {
            throw ConfigurationError(String(describing: error))
        }
    }
}

/// Problems in the `schedules:` section; one line each, naming the file, line and key.
public struct ScheduleConfigurationError: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigurationError]
    public init(errors: [ConfigurationError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
