import Foundation
import SyncHubSampleData

/// `synchub sample`: writes a generated company and a configuration that reads it.
enum SampleCommand {
    static func run(people: Int, seed: UInt64, out: String, contactsFormat: String, clean: Bool) throws {
        var options = SampleCompanyOptions()
        options.people = people
        options.seed = seed
        options.contactsFormat = contactsFormat == "jsonl" ? .jsonl : .csv
        options.includeMalformedRows = !clean
        let started = ContinuousClock.now
        let summary = try SampleCompany.write(to: out, options: options)
        let elapsed = ContinuousClock.now - started
        for (file, rows) in summary.files.sorted(by: { $0.key < $1.key }) {
            print("  \(out)/\(file): \(Format.count(rows)) rows")
        }
        let configPath = (out as NSString).appendingPathComponent("connectors.yml")
        let text = SampleCompany.configuration(dataDirectory: ".", feedbackPath: "out/feedback.jsonl", store: "synchub.sqlite")
        if !FileManager.default.fileExists(atPath: configPath) {
            try text.write(toFile: configPath, atomically: true, encoding: .utf8)
            print("  \(configPath): a configuration reading these files")
        }
        print("Wrote a sample company of \(Format.count(summary.people)) people in \(elapsed). Try: synchub sync --config \(configPath)")
    }
}
