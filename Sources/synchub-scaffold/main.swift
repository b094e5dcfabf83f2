// Writes a new connector module, its tests and fixtures: `synchub-scaffold --name Foo [--package-dir DIR]`.
// Run by the ScaffoldConnector plugin (`swift package scaffold-connector --name Foo`). Never overwrites a file.
import ConnectorScaffolding
import Foundation

let usage = """
    usage: synchub-scaffold --name <Name> [--package-dir <directory>]

      --name          the connector's name in UpperCamelCase, such as Pipedrive
      --package-dir   the package root (default: the current directory)
    """

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(status)
}

var name: String?
var packageDirectory = FileManager.default.currentDirectoryPath
var arguments = CommandLine.arguments.dropFirst()[...]
while let argument = arguments.popFirst() {
    let (option, inlineValue): (String, String?) =
        if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
            (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
        } else {
            (argument, nil)
        }
    switch option {
    case "--name", "--package-dir":
        guard let value = inlineValue ?? arguments.popFirst() else { fail("\(option) needs a value\n\(usage)", status: 2) }
        if option == "--name" { name = value } else { packageDirectory = value }
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        fail("unexpected argument '\(argument)'\n\(usage)", status: 2)
    }
}
guard let name else { fail("--name is required\n\(usage)", status: 2) }

let scaffold: ConnectorScaffold
do {
    scaffold = try ConnectorScaffold(name: name)
} catch {
    fail("\(error)")
}

let root = URL(fileURLWithPath: packageDirectory, isDirectory: true)
let fileManager = FileManager.default
guard fileManager.fileExists(atPath: root.appendingPathComponent("Package.swift").path) else {
    fail("no Package.swift in \(root.path); pass the package root with --package-dir")
}

func exists(_ path: String) -> Bool { fileManager.fileExists(atPath: root.appendingPathComponent(path).path) }
let existingFiles = scaffold.files.map(\.path).filter(exists)
let existing = existingFiles.isEmpty ? scaffold.directories.filter(exists) : existingFiles
guard existing.isEmpty else {
    fail("not overwriting what already exists:\n" + existing.map { "  \($0)" }.joined(separator: "\n")
        + "\nchoose another name, or remove them first")
}

for file in scaffold.files {
    let url = root.appendingPathComponent(file.path)
    do {
        try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(file.contents.utf8).write(to: url, options: .withoutOverwriting)
    } catch {
        fail("cannot write \(file.path): \(error.localizedDescription)")
    }
    print("Created \(file.path)")
}

let manifest = (try? String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)) ?? ""
print("")
if let current = ConnectorScaffold.connectorNames(inManifest: manifest) {
    if current.contains(scaffold.name) {
        print("\(scaffold.packageLine) is already in Package.swift's connectors list.")
    } else {
        print("Next, add \(scaffold.packageLine) to the connectors list in Package.swift:")
        print("    \(scaffold.connectorsDeclaration(adding: current))")
    }
} else {
    print("Next, add \(scaffold.packageLine) to the `connectors` list in Package.swift.")
}
print("""
    Then build and test it:
        swift build --target \(scaffold.moduleName)
        swift test --filter \(scaffold.moduleName)Tests
    """)
