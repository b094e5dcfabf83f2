import Foundation
import SyncHubConnectors
import SyncHubCore

/// `synchub connectors`: the connector types this build knows and their settings.
enum ConnectorCatalog {
    struct Entry: Encodable {
        var type: String
        var summary: String
        var settings: [Setting]
    }

    struct Setting: Encodable {
        var key: String
        var kind: String
        var required: Bool
        var defaultValue: String?
        var allowed: [String]
        var secret: Bool
        var help: String
    }

    static var entries: [Entry] {
        ConnectorRegistry.all.map { type in
            Entry(type: type.typeName, summary: type.summary, settings: type.settings.map {
                Setting(key: $0.key, kind: $0.kind.rawValue, required: $0.isRequired, defaultValue: $0.defaultValue, allowed: $0.allowed, secret: $0.isSecret, help: $0.help)
            })
        }
    }

    static func print(json: Bool) {
        if json {
            Console(json: true).printJSON(entries)
            return
        }
        for entry in entries {
            Swift.print("\(entry.type): \(entry.summary)")
            for setting in entry.settings {
                var facts = [setting.kind]
                if setting.required { facts.append("required") }
                if let value = setting.defaultValue { facts.append("default \(value)") }
                if !setting.allowed.isEmpty { facts.append("one of \(setting.allowed.joined(separator: "|"))") }
                if setting.secret { facts.append("secret") }
                Swift.print("  \(setting.key) (\(facts.joined(separator: ", "))): \(setting.help)")
            }
            Swift.print("")
        }
    }
}
