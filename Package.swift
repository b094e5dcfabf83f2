// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Every connector module. Adding a connector is one entry here: the registry plugin finds it,
/// and `synchub` lists and runs it. Each lives in `Sources/Connectors/<Name>/` as module `<Name>Connector`
/// with its tests in `Tests/Connectors/<Name>/`.
let connectors = ["File", "HubSpot", "Salesforce"]

let package = Package(
    name: "synchub",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "synchub", targets: ["synchub"]),
        .executable(name: "synchub-bench", targets: ["synchub-bench"]),
        .executable(name: "synchub-sandbox", targets: ["synchub-sandbox"]),
        .library(name: "SyncHubCore", targets: ["SyncHubCore"]),
        .library(name: "SyncHubTesting", targets: ["SyncHubTesting"]),
        .plugin(name: "ScaffoldConnector", targets: ["ScaffoldConnector"]),
    ] + connectors.map { .library(name: "\($0)Connector", targets: ["\($0)Connector"]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // The vocabulary every other module shares: records, streams, checkpoints, connector protocols, the engine.
        .target(name: "SyncHubCore", dependencies: [.product(name: "Logging", package: "swift-log")]),
        // connectors.yml: parsing with source locations, ${ENV} interpolation, validation against declared settings.
        .target(name: "SyncHubConfiguration", dependencies: ["SyncHubCore", "Yams"]),
        // The SQLite store (GRDB on the system libsqlite3).
        .target(
            name: "SyncHubStore",
            dependencies: ["SyncHubCore", "SyncHubIdentity", .product(name: "GRDB", package: "GRDB.swift")]),
        // Connector plumbing over HTTP (URLSession on libcurl): retries, backoff, rate limits, budgets, redaction.
        .target(name: "SyncHubHTTP", dependencies: ["SyncHubCore", .product(name: "Logging", package: "swift-log")]),
        // Local simulations of the HubSpot and Salesforce APIs (their real wire formats), with fault injection.
        .target(
            name: "SyncHubSandbox",
            dependencies: ["SyncHubCore", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log")]),
        .executableTarget(
            name: "synchub-sandbox",
            dependencies: ["SyncHubSandbox", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Identity resolution: normalizers and matchers (no I/O).
        .target(name: "SyncHubIdentity", dependencies: ["SyncHubCore"]),
        // Seeded generator of sample companies (the shipped sample and the bench's data).
        .target(name: "SyncHubSampleData", dependencies: ["SyncHubCore"]),
        // Shared stages, the stage ledger, SLAs, funnel metrics, attribution and alignment checks over the store.
        .target(
            name: "SyncHubAlignment",
            dependencies: ["SyncHubCore", "SyncHubStore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Self-contained HTML pages with SVG charts (no network at view time).
        .target(name: "SyncHubReport"),
        // Unattended runs: schedules (intervals, cron), backoff, graceful stop, health and Prometheus metrics.
        .target(
            name: "SyncHubSchedule",
            dependencies: [
                "SyncHubCore", "SyncHubStore",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The registry of connector types, generated from this target's dependencies by a build-tool plugin.
        .target(
            name: "SyncHubConnectors",
            dependencies: ["SyncHubCore"] + connectors.map { .target(name: "\($0)Connector") },
            plugins: [.plugin(name: "ConnectorRegistryPlugin")]),
        .executableTarget(name: "synchub-registry-gen", path: "Sources/synchub-registry-gen"),
        .plugin(
            name: "ConnectorRegistryPlugin", capability: .buildTool(),
            dependencies: ["synchub-registry-gen"], path: "Plugins/ConnectorRegistryPlugin"),
        // The command-line app, as a library so tests can drive it; `synchub` is its thin entry point.
        .target(
            name: "SyncHubCLI",
            dependencies: [
                "SyncHubCore", "SyncHubConfiguration", "SyncHubStore", "SyncHubIdentity", "SyncHubConnectors",
                "SyncHubSampleData", "SyncHubAlignment", "SyncHubReport", "SyncHubSchedule",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(name: "synchub", dependencies: ["SyncHubCLI"]),
        .executableTarget(
            name: "synchub-bench",
            dependencies: ["SyncHubCLI", "SyncHubCore", "SyncHubStore", "SyncHubIdentity", "SyncHubSampleData",
                           "SyncHubConnectors", "SyncHubConfiguration", "SyncHubSandbox", "SyncHubHTTP", "HubSpotConnector",
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Hummingbird", package: "hummingbird")]),
        // Test support for connector authors: conformance kit, scripted sources, fixtures.
        .target(name: "SyncHubTesting", dependencies: ["SyncHubCore", "SyncHubStore"]),
        // Scaffolding of new connectors: templates (tested) and the tool the plugin runs.
        .target(name: "ConnectorScaffolding"),
        .executableTarget(name: "synchub-scaffold", dependencies: ["ConnectorScaffolding"]),
        .plugin(
            name: "ScaffoldConnector",
            capability: .command(
                intent: .custom(verb: "scaffold-connector", description: "Create a new connector module and its tests."),
                permissions: [.writeToPackageDirectory(reason: "Writes Sources/Connectors/<Name> and Tests/Connectors/<Name>.")]),
            dependencies: ["synchub-scaffold"]),

        .testTarget(name: "SyncHubCoreTests", dependencies: [
            "SyncHubCore", "SyncHubTesting", "SyncHubStore", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SyncHubConfigurationTests", dependencies: ["SyncHubConfiguration", "SyncHubCore"]),
        .testTarget(name: "SyncHubStoreTests", dependencies: ["SyncHubStore", "SyncHubCore", "SyncHubTesting",
                                                               .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SyncHubIdentityTests", dependencies: ["SyncHubIdentity", "SyncHubCore", "SyncHubSampleData"]),
        .testTarget(name: "SyncHubSampleDataTests", dependencies: ["SyncHubSampleData", "SyncHubCore"]),
        .testTarget(name: "SyncHubCLITests", dependencies: ["SyncHubCLI", "SyncHubAlignment", "SyncHubCore", "SyncHubStore", "SyncHubTesting",
                                                             "SyncHubSampleData", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                                             .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ConnectorScaffoldingTests", dependencies: ["ConnectorScaffolding"]),
        .testTarget(name: "SyncHubAlignmentTests", dependencies: [
            "SyncHubAlignment", "SyncHubCore", "SyncHubStore", "SyncHubTesting", "SyncHubSampleData",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "SyncHubReportTests", dependencies: ["SyncHubReport"]),
        .testTarget(name: "SyncHubScheduleTests", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            "SyncHubSchedule", "SyncHubCore", "SyncHubStore", "SyncHubTesting",
            .product(name: "Metrics", package: "swift-metrics"), .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SyncHubSandboxTests", dependencies: [
            "SyncHubSandbox", "SyncHubCore", .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "SyncHubHTTPTests", dependencies: [
            "SyncHubHTTP", "SyncHubCore", "SyncHubSandbox", .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)

package.targets += connectors.flatMap { name -> [Target] in [
    .target(
        name: "\(name)Connector", dependencies: ["SyncHubCore", "SyncHubHTTP"], path: "Sources/Connectors/\(name)",
        exclude: FileManager.default.fileExists(atPath: "\(Context.packageDirectory)/Sources/Connectors/\(name)/README.md")
            ? ["README.md"] : []),
    .testTarget(
        name: "\(name)ConnectorTests",
        dependencies: [
            .target(name: "\(name)Connector"), "SyncHubCore", "SyncHubHTTP", "SyncHubTesting", "SyncHubSandbox", "SyncHubStore",
            .product(name: "Logging", package: "swift-log"), .product(name: "Hummingbird", package: "hummingbird"),
        ],
        path: "Tests/Connectors/\(name)", resources: [.copy("Fixtures")]),
] }

for target in package.targets where target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ]
}
