import Foundation
import SyncHubCore
import SyncHubSchedule
import Testing

/// `schedules:` sections built as the configuration loader builds them: every value with its line.
@Suite struct ScheduleConfigurationTests {
    /// A tiny YAML subset: `key: value` and nested maps by two-space indentation; `{ a: 1, b: 2 }` flow maps.
    /// Locations are line and column in the text, as the loader gives them.
    static func section(_ text: String) -> Settings {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        func location(_ line: Int, _ column: Int) -> SyncHubCore.SourceLocation { SyncHubCore.SourceLocation(file: "connectors.yml", line: line, column: column) }
        func flow(_ value: String, line: Int, column: Int) -> SettingNode {
            let inner = value.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return SettingNode(.map(inner.map { pair in
                let parts = pair.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return (key: parts[0], keyLocation: location(line, column), value: SettingNode(.scalar(parts[1]), location: location(line, column)))
            }), location: location(line, column))
        }
        func parse(indent: Int) -> SettingNode {
            var entries: [(key: String, keyLocation: SyncHubCore.SourceLocation?, value: SettingNode)] = []
            let first = index + 1
            while index < lines.count {
                let line = lines[index]
                let spaces = line.prefix { $0 == " " }.count
                if line.trimmingCharacters(in: .whitespaces).isEmpty { index += 1; continue }
                if spaces < indent { break }
                let content = line.dropFirst(spaces)
                let parts = content.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                let lineNumber = index + 1
                index += 1
                let keyLocation = location(lineNumber, spaces + 1)
                if parts.count == 1 || parts[1].isEmpty {
                    entries.append((parts[0], keyLocation, parse(indent: spaces + 2)))
                } else {
                    let column = line.count - parts[1].count + 1
                    var value = parts[1]
                    if value.hasPrefix("{") {
                        entries.append((parts[0], keyLocation, flow(value, line: lineNumber, column: column)))
                    } else {
                        if value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                        entries.append((parts[0], keyLocation, SettingNode(.scalar(value), location: location(lineNumber, column))))
                    }
                }
            }
            return SettingNode(.map(entries), location: location(first, indent + 1))
        }
        return Settings(node: parse(indent: 0), path: "schedules")
    }

    func parse(_ text: String, sources: [String] = ["marketing", "crm"], targets: [String] = ["marketing"]) throws -> [ConnectorSchedule] {
        try ScheduleConfiguration.parse(Self.section(text), sources: sources, targets: targets)
    }

    func errors(_ text: String, sources: [String] = ["marketing", "crm"], targets: [String] = ["marketing"]) -> [String] {
        do {
            _ = try parse(text, sources: sources, targets: targets)
            return []
        } catch {
            return (error as? ScheduleConfigurationError)?.errors.map(\.description) ?? ["\(error)"]
        }
    }

    @Test func readsIntervalsCronTimeZonesJitterPushAndBackoff() throws {
        let schedules = try parse("""
            marketing:
              every: 15m
              jitter: 30s
              push: true
            crm:
              cron: "*/20 7-19 * * MON-FRI"
              timezone: Europe/Berlin
              backoff: { initial: 2m, max: 2h }
            """)
        #expect(schedules.count == 2)
        let marketing = schedules[0]
        #expect(marketing.connector == "marketing")
        #expect(marketing.trigger == .every(.seconds(900)))
        #expect(marketing.jitter == .seconds(30))
        #expect(marketing.push)
        #expect(marketing.backoff == BackoffPolicy(initial: .seconds(60), max: .seconds(3600)))
        #expect(marketing.spec == "every 15m, then push")
        let crm = schedules[1]
        #expect(crm.spec == "cron */20 7-19 * * MON-FRI (Europe/Berlin)")
        #expect(crm.backoff == BackoffPolicy(initial: .seconds(120), max: .seconds(7200)))
        #expect(!crm.push)
        #expect(crm.jitter == .zero)
    }

    @Test func anAbsentSectionHasNoSchedules() throws {
        #expect(try ScheduleConfiguration.parse(nil, sources: ["crm"], targets: []).isEmpty)
    }

    @Test func errorsNameTheLineAndKeyAndSuggestTheLikelyWord() {
        let found = errors("""
            markting:
              every: 15m
            crm:
              evry: 15m
            """)
        #expect(found == [
            "connectors.yml:1:1: error: schedules.markting: no connector to pull named 'markting' in `connectors:`; did you mean 'marketing'?",
            "connectors.yml:4:3: error: schedules.crm.evry: unknown setting; did you mean 'every'?",
            "connectors.yml:4:3: error: schedules.crm: no schedule; add `every: 15m` or `cron: \"*/15 * * * *\"`",
        ])
    }

    @Test(arguments: [
        ("crm:\n  every: 15", "connectors.yml:2:10: error: schedules.crm.every: expected a duration such as 15m, 1h or 1d"),
        ("crm:\n  every: 30s", "schedules.crm.every: must be at least 1m, found 30s"),
        ("crm:\n  every: 15m\n  cron: \"* * * * *\"", "schedules.crm.cron: give either `every:` or `cron:`, not both"),
        ("crm:\n  cron: \"61 * * * *\"", "connectors.yml:2:9: error: schedules.crm.cron: minute field: 61 is out of range 0-59"),
        ("crm:\n  cron: \"0 9 * * *\"\n  timezone: Europe/Berln", "schedules.crm.timezone: unknown time zone 'Europe/Berln'; did you mean 'Europe/Berlin'?"),
        ("crm:\n  every: 15m\n  timezone: UTC", "schedules.crm.timezone: a time zone applies to `cron:` schedules only"),
        ("crm:\n  every: 10m\n  jitter: 10m", "schedules.crm.jitter: must be shorter than the interval (10m)"),
        ("crm:\n  every: 10m\n  jitter: soon", "schedules.crm.jitter: expected a duration such as 30s, 15m, 1h or 1d"),
        ("crm:\n  every: 10m\n  push: maybe", "schedules.crm.push: expected true or false"),
        ("crm:\n  every: 10m\n  backoff: { initial: 1h, max: 1m }", "schedules.crm.backoff.max: must be at least `initial` (1h)"),
        ("crm:\n  every: 10m\n  backoff: { inital: 1m }", "schedules.crm.backoff.inital: unknown setting; did you mean 'initial'?"),
        ("crm: 15m", "connectors.yml:1:6: error: schedules.crm: expected the connector's schedule, such as `{ every: 15m }`"),
    ])
    func eachProblemIsReported(text: String, message: String) {
        let found = errors(text)
        #expect(found.contains { $0.contains(message) }, "\(found)")
    }

    @Test func pushNeedsAFeedbackTargetAndAScheduleNeedsASource() {
        #expect(errors("crm:\n  every: 15m\n  push: true", targets: []) == [
            "connectors.yml:3:9: error: schedules.crm.push: no connector has `feedback:` to push to; remove `push: true` or add a feedback target",
        ])
        #expect(errors("outbox:\n  every: 15m", sources: ["crm"]) == [
            "connectors.yml:1:1: error: schedules.outbox: no connector to pull named 'outbox' in `connectors:`; connectors that pull: crm",
        ])
    }

    @Test func durationsReadAndPrintTheSameWay() {
        #expect(DurationText.parse("15m") == .seconds(900))
        #expect(DurationText.parse("1h30m") == .seconds(5400))
        #expect(DurationText.parse("250ms") == .milliseconds(250))
        #expect(DurationText.parse("1d") == .seconds(86_400))
        #expect(DurationText.parse("10") == nil)
        #expect(DurationText.parse("") == nil)
        #expect(DurationText.parse("5 parsecs") == nil)
        #expect(DurationText.format(.seconds(5400)) == "1h30m")
        #expect(DurationText.format(.milliseconds(1500)) == "1s500ms")
        #expect(DurationText.format(.zero) == "0s")
    }
}
