import SyncHubCore

/// The format of a stream's file.
enum FileFormat: String, Sendable, Hashable, CaseIterable {
    /// Comma-separated values (RFC 4180) with a header row.
    case csv
    /// One JSON object per line.
    case jsonl

    /// The format a file name implies, if any.
    static func fromExtension(of path: String) -> FileFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") { return .csv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        return nil
    }
}

/// One column a stream reads: a canonical field, or a cross-system id (`sameAs`).
struct ColumnSlot: Sendable {
    /// The field the column feeds; `nil` for a `sameAs` column.
    var field: CanonicalField?
    /// For a `sameAs` column: the other connector instance the id belongs to.
    var sameAsConnector: String?
    /// Headers (CSV) or member names (JSONL) to try, in order; empty when nothing maps the field.
    var candidates: [String]
    /// Named in `columns:` or `sameAs:`: a CSV without it is a configuration error, not an absent value.
    var isConfigured: Bool
    /// The dotted key that chose the column, for messages.
    var settingKey: String
}

/// One configured stream of a file connector, validated.
struct FileStreamConfiguration: Sendable {
    var name: String
    /// The path as written in `connectors.yml`, for messages and record locations.
    var path: String
    /// The path on disk.
    var resolvedPath: String
    /// `connectors.<instance>.streams.<name>`.
    var keyPath: String
    var format: FileFormat
    var objectType: ObjectType
    /// `lead` or `contact` for contact streams.
    var defaultKind: String
    var preset: Preset
    var delimiter: UInt8
    var batchSize: Int
    /// Slots `0..<CanonicalField.allCases.count` are the canonical fields (by raw value); `sameAs` columns follow.
    var slots: [ColumnSlot]
    var wonStages: Set<String>
    var lostStages: Set<String>

    var pathKey: String { "\(keyPath).path" }

    /// The fields a row cannot do without.
    var requiredFields: [CanonicalField] { objectType == .dealContact ? [.dealID, .contactID] : [.id] }

    static let keys = [
        "path", "format", "objectType", "preset", "columns", "sameAs", "delimiter", "batchSize", "wonStages",
        "lostStages",
    ]

    init(name: String, settings: Settings, resolvePath: (String) -> String) throws {
        self.name = name
        self.keyPath = settings.path
        for key in settings.keys where !Self.keys.contains(key) {
            var message = "`\(key)` is not a setting of a file stream"
            if let guess = Suggestions.closest(to: key, among: Self.keys) { message += "; did you mean `\(guess)`?" }
            message += " Settings: \(Self.keys.joined(separator: ", "))"
            throw settings.error(message, key: key)
        }

        path = try settings.requiredString("path")
        resolvedPath = resolvePath(path)

        if let written = try settings.string("format") {
            guard let format = FileFormat(rawValue: written.lowercased()) else {
                throw settings.error("`\(written)` is not a file format; use csv or jsonl", key: "format")
            }
            self.format = format
        } else if let format = FileFormat.fromExtension(of: path) {
            self.format = format
        } else {
            throw settings.error(
                "cannot tell the format of `\(path)` from its extension; add `format: csv` or `format: jsonl`",
                key: "path")
        }

        if let written = try settings.string("objectType") {
            let normalized = written == "dealContact" ? "deal_contact" : written
            guard let type = ObjectType(rawValue: normalized) else {
                let allowed = ObjectType.allCases.map(\.rawValue)
                var message = "`\(written)` is not an object type"
                if let guess = Suggestions.closest(to: written, among: allowed) { message += "; did you mean `\(guess)`?" }
                throw settings.error(message + " Types: \(allowed.joined(separator: ", "))", key: "objectType")
            }
            objectType = type
        } else if let type = StreamNames.objectTypes[name] {
            objectType = type
        } else {
            var message = "stream `\(name)` is not a known stream name"
            if let guess = Suggestions.closest(to: name, among: StreamNames.known) { message += "; did you mean `\(guess)`?" }
            message += " Name it one of \(StreamNames.known.joined(separator: ", ")), or add `objectType:`"
            message += " (\(ObjectType.allCases.map(\.rawValue).joined(separator: ", ")))"
            throw ConfigurationError(message, keyPath: settings.path, location: settings.node.location)
        }
        defaultKind = name == "leads" ? "lead" : "contact"

        let presetName = try settings.string("preset") ?? "none"
        guard let preset = Preset.named(presetName) else {
            var message = "`\(presetName)` is not a preset"
            if let guess = Suggestions.closest(to: presetName, among: Preset.names) { message += "; did you mean `\(guess)`?" }
            throw settings.error(message + " Presets: \(Preset.names.joined(separator: ", "))", key: "preset")
        }
        self.preset = preset

        let delimiterText = try settings.string("delimiter") ?? (path.lowercased().hasSuffix(".tsv") ? "\t" : ",")
        switch delimiterText {
        case "\\t", "tab", "\t": delimiter = 9
        default:
            let bytes = Array(delimiterText.utf8)
            guard bytes.count == 1, bytes[0] != UInt8(ascii: "\""), bytes[0] != 10, bytes[0] != 13 else {
                throw settings.error(
                    "the delimiter must be a single character other than a quote or newline, such as `;` or `tab`",
                    key: "delimiter")
            }
            delimiter = bytes[0]
        }
        if settings.contains("delimiter"), format != .csv {
            throw settings.error("`delimiter` applies only to CSV files; remove it", key: "delimiter")
        }
        batchSize = try settings.int("batchSize", default: 5000, range: 1...1_000_000)

        // Columns: the preset's, overridden by `columns:`.
        let objectType = self.objectType
        let fields = CanonicalField.fields(of: objectType)
        let presetKey = "\(settings.path).preset"
        var slots = CanonicalField.allCases.map { field in
            ColumnSlot(
                field: field, sameAsConnector: nil,
                candidates: fields.contains(field) ? preset.candidates(for: field, of: objectType) : [],
                isConfigured: false, settingKey: presetKey)
        }
        if let columns = try settings.section("columns") {
            guard case .map(let entries) = columns.node.value else { throw columns.error("expected a map") }
            for entry in entries {
                let key = "\(columns.path).\(entry.key)"
                guard let field = CanonicalField(name: entry.key), fields.contains(field) else {
                    let names = fields.map(\.name)
                    var message = "`\(entry.key)` is not a field of \(name) (\(objectType.rawValue))"
                    if let guess = Suggestions.closest(to: entry.key, among: names) {
                        message += "; did you mean `\(guess)`?"
                    }
                    message += " Fields: \(names.joined(separator: ", "))"
                    throw ConfigurationError(message, keyPath: key, location: entry.keyLocation ?? entry.value.location)
                }
                // `null`: the field is not read, though a column has one of its default names (`ssn`).
                if case .null = entry.value.value {
                    slots[field.rawValue] = ColumnSlot(field: field, sameAsConnector: nil, candidates: [], isConfigured: false, settingKey: key)
                    continue
                }
                guard case .scalar(let header) = entry.value.value, !header.isEmpty else {
                    throw ConfigurationError(
                        "expected the column's header name, such as `\(entry.key): \"Email\"`, or null not to read it", keyPath: key,
                        location: entry.value.location ?? entry.keyLocation)
                }
                slots[field.rawValue] = ColumnSlot(
                    field: field, sameAsConnector: nil, candidates: [header], isConfigured: true, settingKey: key)
            }
        }
        if let sameAs = try settings.section("sameAs") {
            guard objectType == .contact else {
                throw settings.error("`sameAs` applies only to contact streams; remove it", key: "sameAs")
            }
            guard case .map(let entries) = sameAs.node.value else { throw sameAs.error("expected a map") }
            for entry in entries {
                let key = "\(sameAs.path).\(entry.key)"
                guard case .scalar(let header) = entry.value.value, !header.isEmpty else {
                    throw ConfigurationError(
                        "expected the header of the column holding `\(entry.key)` ids, such as "
                            + "`\(entry.key): \"Salesforce Contact ID\"`", keyPath: key,
                        location: entry.value.location ?? entry.keyLocation)
                }
                slots.append(
                    ColumnSlot(
                        field: nil, sameAsConnector: entry.key, candidates: [header], isConfigured: true,
                        settingKey: key))
            }
        }
        self.slots = slots

        let won = try settings.stringList("wonStages")
        let lost = try settings.stringList("lostStages")
        if objectType != .deal {
            for key in ["wonStages", "lostStages"] where settings.contains(key) {
                throw settings.error("`\(key)` applies only to deal streams; remove it", key: key)
            }
        }
        if won.isEmpty && lost.isEmpty {
            wonStages = Set(preset.wonStages.map { $0.lowercased() })
            lostStages = Set(preset.lostStages.map { $0.lowercased() })
        } else {
            wonStages = Set(won.map { $0.lowercased() })
            lostStages = Set(lost.map { $0.lowercased() })
        }
    }

    var descriptor: StreamDescriptor {
        StreamDescriptor(name: name, objectType: objectType, cursorField: "offset", isSorted: true, isSnapshot: true)
    }
}

