import Foundation
import SyncHubConfiguration
import SyncHubCore

extension SyncHubApp {
    /// `synchub validate`: loads and checks the configuration; with `check`, also asks each source to check itself.
    static func validate(_ global: GlobalOptions, check: Bool) async throws {
        let app = try SyncHubApp(global)
        // Sections read by other commands are checked here too, so a typo fails `validate`, not a 3 a.m. run.
        let schedules = try app.schedules()
        _ = try app.alignmentConfiguration()
        _ = try app.identitySettings()
        var problems: [String] = []
        if check {
            for (entry, instance) in app.instances {
                guard let source = instance.source else { continue }
                do { try await source.check() } catch { problems.append("\(entry.name): \(error)") }
            }
        }
        let summary = app.instances.map { "\($0.entry.name) (\($0.entry.typeName)\(Self.roles($0.instance)))" }.joined(separator: ", ")
        if global.json {
            struct Report: Encodable { var valid: Bool; var connectors: [String]; var problems: [String] }
            app.console.printJSON(Report(valid: problems.isEmpty, connectors: app.instances.map(\.entry.name), problems: problems))
        } else if problems.isEmpty {
            print("\(global.config) is valid: \(app.instances.count) connector(s): \(summary)"
                + (schedules.isEmpty ? "" : "; \(schedules.count) schedule(s)") + (check ? "; every source checked" : "") + ".")
        } else {
            for problem in problems { print("error: \(problem)") }
        }
        if !problems.isEmpty { throw ExitCodes.failure }
    }

    static func roles(_ instance: ConnectorInstance) -> String {
        var roles: [String] = []
        if instance.source != nil { roles.append("source") }
        if instance.feedback != nil { roles.append("feedback target") }
        return roles.isEmpty ? "" : ": " + roles.joined(separator: " and ")
    }
}
