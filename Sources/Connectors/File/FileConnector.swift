public import SyncHubCore

/// Reads CSV and JSONL exports (HubSpot, Salesforce, Marketo or your own columns) and writes feedback files.
///
/// ## Configuration keys
/// - `system` (marketing | sales, optional): which side the files come from; informational.
/// - `streams.<name>.path` (path, required): the file, relative to the configuration file's folder.
/// - `streams.<name>.format` (csv | jsonl, optional): default from the file's extension.
/// - `streams.<name>.objectType` (optional): needed when the stream name is not one of `contacts`, `leads`,
///   `accounts`, `campaigns`, `touches`, `deals`, `deal_contacts`.
/// - `streams.<name>.preset` (hubspot | salesforce | marketo | none, default none): the export's header names.
/// - `streams.<name>.columns` (map): canonical field to header, overriding the preset.
/// - `streams.<name>.sameAs` (map, contacts only): other connector instance to the column holding its ids.
/// - `streams.<name>.delimiter` (CSV, default `,`), `streams.<name>.batchSize` (default 5000).
/// - `streams.<name>.wonStages`, `streams.<name>.lostStages` (deals): stage values meaning won or lost.
/// - `feedback.path` (path): where feedback is written, one line per person; `.jsonl` or `.csv`.
public enum FileConnector: ConnectorType {
    public static let typeName = "file"
    public static let summary = "CSV and JSONL exports (HubSpot, Salesforce, Marketo presets); writes feedback files"

    public static let settings: [SettingSpec] = [
        SettingSpec("system", .string, allowed: ["marketing", "sales"], help: "Which side the files come from (informational)."),
        SettingSpec("streams", .map, help: "The files to read, by stream name (contacts, leads, accounts, campaigns, touches, deals, deal_contacts)."),
        SettingSpec("streams.*", .map, help: "One stream: its file and how to read it."),
        SettingSpec("streams.*.path", .path, required: true, help: "The file, relative to the configuration file's folder."),
        SettingSpec("streams.*.format", .string, allowed: FileFormat.allCases.map(\.rawValue), help: "csv or jsonl; default from the file's extension."),
        SettingSpec("streams.*.objectType", .string, allowed: ObjectType.allCases.map(\.rawValue), help: "The kind of records, when the stream name does not say."),
        SettingSpec("streams.*.preset", .string, default: "none", allowed: Preset.names, help: "The export's header names: hubspot, salesforce, marketo, or none (headers are canonical field names)."),
        SettingSpec("streams.*.columns", .map, help: "Canonical field to column header, overriding the preset, e.g. { email: \"Email\" }."),
        SettingSpec("streams.*.sameAs", .map, help: "Contacts: other connector instance to the column holding its ids for the same person."),
        SettingSpec("streams.*.delimiter", .string, default: ",", help: "CSV field delimiter: one character, or `tab`."),
        SettingSpec("streams.*.batchSize", .int, default: "5000", help: "Rows per batch (1 to 1,000,000)."),
        SettingSpec("streams.*.wonStages", .list, help: "Deals: stage values meaning won, when the file has no outcome, isWon or isClosed column."),
        SettingSpec("streams.*.lostStages", .list, help: "Deals: stage values meaning lost, when the file has no outcome, isWon or isClosed column."),
        SettingSpec("feedback", .map, help: "Write win/loss feedback to a file, one line per person."),
        SettingSpec("feedback.path", .path, required: true, help: "The feedback file, .jsonl or .csv; written with mode 0600."),
        SettingSpec("feedback.format", .string, allowed: FileFormat.allCases.map(\.rawValue), help: "csv or jsonl; default from the file's extension."),
    ]

    public static func make(_ context: ConnectorContext) throws -> ConnectorInstance {
        let settings = context.settings
        _ = try settings.choice("system", among: ["marketing", "sales"])
        var source: (any SourceConnector)?
        if let streams = try settings.section("streams") {
            var configurations: [FileStreamConfiguration] = []
            for name in streams.keys {
                guard let section = try streams.section(name) else {
                    throw streams.error("stream `\(name)` has no settings; add `path: ...`", key: name)
                }
                configurations.append(try FileStreamConfiguration(name: name, settings: section, resolvePath: context.resolvePath))
            }
            guard !configurations.isEmpty else {
                throw settings.error("`streams` is empty; add a stream such as `contacts: { path: contacts.csv }`", key: "streams")
            }
            source = FileSource(connector: context.name, streamConfigurations: configurations)
        }
        var feedback: (any FeedbackConnector)?
        if let section = try settings.section("feedback") {
            for key in section.keys where !["path", "format"].contains(key) {
                var message = "`\(key)` is not a setting of a feedback file"
                if let guess = Suggestions.closest(to: key, among: ["path", "format"]) { message += "; did you mean `\(guess)`?" }
                throw section.error(message, key: key)
            }
            let path = try section.requiredString("path")
            let format: FileFormat
            if let written = try section.choice("format", among: FileFormat.allCases.map(\.rawValue)) {
                format = FileFormat(rawValue: written)!
            } else if let implied = FileFormat.fromExtension(of: path) {
                format = implied
            } else {
                throw section.error("cannot tell the format of `\(path)` from its extension; name it .jsonl or .csv, or add `format:`", key: "path")
            }
            feedback = FeedbackFile(
                connector: context.name, path: path, resolvedPath: context.resolvePath(path), format: format,
                keyPath: "\(section.path).path")
        }
        guard source != nil || feedback != nil else {
            throw settings.error("a file connector needs `streams:` to read or `feedback:` to write; add one of them")
        }
        return ConnectorInstance(source: source, feedback: feedback)
    }
}
