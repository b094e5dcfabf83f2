import ArgumentParser
import Foundation
import SyncHubAlignment
import SyncHubCore

/// `synchub check --strict` found a check over its limit.
enum CheckExitCode {
    static let overLimit = ExitCode(4)
}

extension SyncHubApp {
    /// `synchub check`: alignment health checks with counts and example ids; with `strict`, exit 4 when any is over
    /// its limit.
    func check(strict: Bool, asOf: String?, examples: Int) throws {
        let alignment = try alignmentConfiguration()
        let store = try openExistingStore()
        let analysis = try AlignmentAnalysis.load(store: store, configuration: alignment)
        var moment = analysis.asOf
        if let asOf {
            guard let day = Timestamps.milliseconds(asOf) else {
                throw ValidationError("--as-of: `\(asOf)` is not a date; write it as YYYY-MM-DD")
            }
            // The whole day: as of its last moment.
            moment = asOf.count == 10 ? day + 86_400_000 - 1 : day
        }
        let results = analysis.checks(asOf: moment, examples: examples)
        let asOfText = Timestamps.format(millisecondsSinceEpoch: moment)
        if global.json {
            struct Output: Encodable {
                var asOf: String
                var strict: Bool
                var passed: Bool
                var checks: [CheckResult]
            }
            console.printJSON(
                Output(asOf: asOfText, strict: strict, passed: results.allSatisfy(\.passed), checks: results))
        } else {
            if alignment.stages.isEmpty {
                print(
                    "No shared stages in \(global.config): stage checks count nothing until `stages:` is added (docs/alignment.md)."
                )
            }
            print(ReportText.checks(results, asOf: asOfText, strict: strict))
        }
        if strict && results.contains(where: { !$0.passed }) { throw CheckExitCode.overLimit }
    }
}
