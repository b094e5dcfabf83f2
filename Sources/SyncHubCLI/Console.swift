public import ArgumentParser
import Foundation
import Logging
import Synchronization
import SyncHubCore
import SyncHubSchedule

/// Where the commands write for people: tables and summaries on standard output, live progress on standard error
/// when it is a terminal. With `--json`, only the JSON document goes to standard output.
struct Console: Sendable {
    let json: Bool

    /// Set for runs nobody watches (`synchub schedule`): no tables or progress, only logs.
    @TaskLocal static var isQuiet = false

    /// Whether tables and summaries are left out: `--json`, or a scheduled run.
    var isSilent: Bool { json || Self.isQuiet }

    var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    func line(_ text: String = "") {
        guard !isSilent else { return }
        print(text)
        fflush(nil)
    }

    func printJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let data = try? encoder.encode(value) { print(String(decoding: data, as: UTF8.self)) }
    }

    /// Progress on standard error: not with `--json`, nor in scheduled runs, nor between JSON log lines.
    func progressReporter() -> ProgressReporter {
        let shown = !isSilent && Self.logFormat.withLock { $0 } == .text
        return ProgressReporter(live: shown && isTerminal, plain: shown)
    }

    // MARK: Summaries

    func printPullSummary(_ report: PullReport) {
        guard !isSilent else { return }
        let rows = report.streams.map { result -> [String] in
            let rate = result.seconds > 0 ? Int(Double(result.counts.received) / result.seconds) : 0
            return [
                "\(result.connector)/\(result.stream)", Format.count(result.counts.received), Format.count(result.counts.inserted),
                Format.count(result.counts.updated), Format.count(result.counts.unchanged), Format.count(result.counts.deleted),
                Format.count(result.counts.quarantined), "\(Format.count(rate))/s", result.status.rawValue,
            ]
        }
        print("")
        print(Format.table(header: ["stream", "read", "new", "changed", "unchanged", "deleted", "quarantined", "rate", "status"], rows: rows))
        for result in report.streams where result.error != nil {
            print("  \(result.connector)/\(result.stream): \(result.error!)")
        }
        let quarantined = report.streams.reduce(0) { $0 + $1.counts.quarantined }
        if quarantined > 0 {
            print("  \(quarantined) record(s) quarantined with their location and reason: see `synchub status`.")
        }
        if let identity = report.identity {
            print("Identity: \(Format.count(identity.recordsExamined)) contact records -> \(Format.count(identity.persons)) persons "
                + "(\(Format.count(identity.newPersons)) new, \(Format.count(identity.changedLinks)) links changed, "
                + "\(Format.count(identity.mergedPersons)) merged) in \(String(format: "%.2f", identity.seconds)) s")
        }
        print("Pull run \(report.runID): \(report.status).")
    }

    func printPushSummary(_ report: PushReport) {
        guard !isSilent else { return }
        if report.dryRun {
            print("Push plan for \(report.target) (dry run, nothing sent): \(Format.count(report.create)) create, "
                + "\(Format.count(report.update)) update, \(report.retract > 0 ? "\(Format.count(report.retract)) retract, " : "")"
                + "\(Format.count(report.unchanged)) unchanged")
            for sample in report.sample {
                let changes = sample.changes.map { "\($0.field): \($0.old ?? "∅") -> \($0.new ?? "∅")" }.joined(separator: ", ")
                print("  \(sample.action) \(sample.recordKey): \(changes)")
            }
        } else {
            var text = "Pushed to \(report.target): \(Format.count(report.create)) created, \(Format.count(report.update)) updated, "
                + (report.retract > 0 ? "\(Format.count(report.retract)) retracted, " : "") + "\(Format.count(report.unchanged)) unchanged"
            if report.alreadyApplied > 0 { text += ", \(Format.count(report.alreadyApplied)) already applied" }
            if report.failed > 0 { text += ", \(Format.count(report.failed)) FAILED (dead-lettered; see `synchub status`, retried next push)" }
            print(text)
        }
    }
}

// MARK: - Logs

/// How log lines look on standard error: `--log-format text` (human lines) or `json` (one object per line).
public enum LogFormatOption: String, ExpressibleByArgument, Sendable, CaseIterable {
    case text, json
}

extension Console {
    /// The process's log format, set once from the command line before anything logs.
    static let logFormat = Mutex(LogFormatOption.text)

    /// The log handler for `format`: ``TextLogHandler`` for people, ``JSONLogHandler`` for machines; both mask
    /// secrets and personal data the same way.
    static func logHandler(label: String, format: LogFormatOption) -> any LogHandler {
        switch format {
        case .text: TextLogHandler(label: label)
        case .json: JSONLogHandler(label: label)
        }
    }

    /// Reads `--log-format` from raw arguments, before parsing (parse errors are logged in that format too).
    static func logFormat(in arguments: [String]) -> LogFormatOption {
        for (index, argument) in arguments.enumerated() {
            if argument == "--log-format", index + 1 < arguments.count {
                return LogFormatOption(rawValue: arguments[index + 1]) ?? .text
            }
            if argument.hasPrefix("--log-format=") {
                return LogFormatOption(rawValue: String(argument.dropFirst("--log-format=".count))) ?? .text
            }
        }
        return .text
    }

    /// A message for people on standard error (`synchub: ...`), or a JSON log line with `--log-format json`.
    /// - Parameter breakingLine: start a new line first (a progress line may be in the way).
    static func notice(_ message: String, level: Logger.Level = .notice, breakingLine: Bool = false) {
        switch logFormat.withLock({ $0 }) {
        case .text:
            let text = "\(breakingLine ? "\n" : "")\(level >= .error ? "error" : "synchub"): \(LogRedactor.shared.redact(message))\n"
            FileHandle.standardError.write(Data(text.utf8))
        case .json:
            var logger = Logger(label: "synchub") { JSONLogHandler(label: $0) }
            logger.logLevel = .trace
            logger.log(level: level, "\(message)")
        }
    }
}

/// Live per-stream progress: a redrawn line on a terminal, one plain line per finished stream otherwise.
final class ProgressReporter: Sendable {
    let live: Bool
    let plain: Bool
    let lastDraw = Mutex<ContinuousClock.Instant?>(nil)

    init(live: Bool, plain: Bool) {
        self.live = live
        self.plain = plain
    }

    var report: @Sendable (PullProgress) -> Void {
        { [self] progress in self.handle(progress) }
    }

    func handle(_ progress: PullProgress) {
        let rate = progress.seconds > 0 ? Int(Double(progress.counts.received) / progress.seconds) : 0
        let text = "  \(progress.connector)/\(progress.stream): \(Format.count(progress.counts.received)) records, \(Format.count(rate))/s"
        if live {
            let now = ContinuousClock.now
            let draw = lastDraw.withLock { last -> Bool in
                if progress.isFinished || last == nil || now - last! > .milliseconds(100) { last = now; return true }
                return false
            }
            guard draw else { return }
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text + (progress.isFinished ? "\n" : "")).utf8))
        } else if plain, progress.isFinished {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    func finish() {}
}

enum Format {
    /// `12,345`.
    static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// A plain text table; the first column left-aligned, the others right-aligned.
    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        func render(_ row: [String]) -> String {
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: max(0, widths[column] - cell.count))
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        return ([render(header)] + rows.map(render)).map { "  " + $0 }.joined(separator: "\n")
    }
}
