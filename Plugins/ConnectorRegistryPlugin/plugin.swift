import PackagePlugin

/// Generates `ConnectorRegistry.swift` for the target it is applied to, listing the connector type of every
/// `<Name>Connector` module the target depends on. Adding a connector to `Package.swift` adds it here.
@main
struct ConnectorRegistryPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let modules = target.dependencies.compactMap { dependency -> String? in
            switch dependency {
            case .target(let dependency): dependency.name
            case .product(let product): product.targets.first?.name
            @unknown default: nil
            }
        }.filter { $0.hasSuffix("Connector") && $0 != "Connector" }.sorted()
        let output = context.pluginWorkDirectoryURL.appending(path: "ConnectorRegistry.swift")
        return [
            .buildCommand(
                displayName: "Generating the connector registry (\(modules.joined(separator: ", ")))",
                executable: try context.tool(named: "synchub-registry-gen").url,
                arguments: [output.path()] + modules,
                inputFiles: [],
                outputFiles: [output])
        ]
    }
}
