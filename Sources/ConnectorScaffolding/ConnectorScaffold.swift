/// The files of a new connector module, its tests and fixtures, generated from its name.
///
/// ```swift
/// let scaffold = try ConnectorScaffold(name: "Pipedrive")
/// for file in scaffold.files { write(file.contents, to: packageDirectory + "/" + file.path) }
/// print(scaffold.packageLine)   // "Pipedrive": the entry to add to Package.swift's `connectors` list
/// ```
public struct ConnectorScaffold: Sendable {
    /// Why a name cannot be used, with a suggestion when there is one.
    public struct NameError: Error, Sendable, CustomStringConvertible {
        public var name: String
        public var reason: String
        public var suggestion: String?

        public var description: String {
            "`\(name)` cannot name a connector: \(reason)" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        }
    }

    /// Names taken by synchub's own modules and protocols (compared ignoring case): `<Name>Connector` would clash.
    public static let reservedNames: Set<String> = [
        "file", "core", "synchub", "connector", "connectors", "source", "feedback", "registry", "testing", "store",
        "identity", "configuration", "scaffold", "scaffolding", "sampledata", "cli", "http", "swift", "foundation",
        "test", "tests",
    ]

    /// The connector's name in UpperCamelCase: `Pipedrive`.
    public let name: String

    /// Checks `name`: ASCII letters and digits in UpperCamelCase, at most 40 characters, not reserved.
    /// - Throws: ``NameError``.
    public init(name: String) throws {
        try Self.validate(name)
        self.name = name
    }

    /// The module: `PipedriveConnector`.
    public var moduleName: String { "\(name)Connector" }
    /// The value of `type:` in `connectors.yml`: `pipedrive`.
    public var typeName: String { name.lowercased() }
    /// The entry to add to `Package.swift`'s `connectors` list: `"Pipedrive"`.
    public var packageLine: String { "\"\(name)\"" }

    /// The `connectors` declaration of `Package.swift` with this connector added to `existing`:
    /// `let connectors = ["File", "Pipedrive"]`.
    public func connectorsDeclaration(adding existing: [String]) -> String {
        let names = existing.contains(name) ? existing : existing + [name]
        return "let connectors = [\(names.map { "\"\($0)\"" }.joined(separator: ", "))]"
    }

    /// The names in a manifest's `let connectors = [...]` line, or `nil` when it has none on one line.
    public static func connectorNames(inManifest manifest: String) -> [String]? {
        for line in manifest.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("let connectors"), let equals = trimmed.firstIndex(of: "="),
                let open = trimmed[equals...].firstIndex(of: "["), let close = trimmed.lastIndex(of: "]"), open < close
            else { continue }
            let list = trimmed[trimmed.index(after: open)..<close]
            return list.split(separator: ",").compactMap { item in
                let name = item.filter { $0 != "\"" && $0 != " " }
                return name.isEmpty ? nil : String(name)
            }
        }
        return nil
    }

    /// Every generated file, with its path relative to the package root.
    public var files: [(path: String, contents: String)] {
        [
            ("Sources/Connectors/\(name)/\(moduleName).swift", Templates.connector(self)),
            ("Sources/Connectors/\(name)/README.md", Templates.readme(self)),
            ("Tests/Connectors/\(name)/\(moduleName)Tests.swift", Templates.tests(self)),
            ("Tests/Connectors/\(name)/Fixtures/contacts.jsonl", Templates.fixture),
        ]
    }

    /// The folders the files go in; a scaffold never writes into existing ones.
    public var directories: [String] { ["Sources/Connectors/\(name)", "Tests/Connectors/\(name)"] }

    /// Checks `name`; a suggestion is offered only when it is itself a valid name.
    static func validate(_ name: String, suggesting: Bool = true) throws(NameError) {
        func fail(_ reason: String, suggesting suggestion: String? = nil) -> NameError {
            let valid = suggestion.flatMap { candidate in
                suggesting && candidate != name && (try? validate(candidate, suggesting: false)) != nil ? candidate : nil
            }
            return NameError(name: name, reason: reason, suggestion: valid)
        }
        guard let first = name.unicodeScalars.first else {
            throw NameError(name: name, reason: "give a name in UpperCamelCase, such as Pipedrive")
        }
        let isAlphanumeric = name.unicodeScalars.allSatisfy { isASCIILetter($0) || ("0"..."9").contains($0) }
        guard isAlphanumeric else {
            throw fail("use only ASCII letters and digits, in UpperCamelCase", suggesting: upperCamelCase(name))
        }
        guard ("A"..."Z").contains(first) else {
            throw fail("it must start with an upper-case letter (UpperCamelCase)", suggesting: upperCamelCase(name))
        }
        guard name.count <= 40 else { throw fail("use at most 40 characters") }
        if name.hasSuffix("Connector"), name != "Connector" {
            throw fail("leave out the `Connector` suffix; it is added to the module name", suggesting: String(name.dropLast(9)))
        }
        guard !reservedNames.contains(name.lowercased()) else {
            throw fail("synchub already uses this name; choose another")
        }
    }

    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar)
    }

    /// `pipe-drive crm` → `PipeDriveCrm`.
    static func upperCamelCase(_ text: String) -> String {
        var words: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if isASCIILetter(scalar) || ("0"..."9").contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
