import ArgumentParser
import Foundation
import Logging
import SyncHubConfiguration
import SyncHubConnectors
import SyncHubCore
import SyncHubIdentity
import SyncHubSchedule
import SyncHubStore

/// What a command did, for its exit code and `--json` output.
struct RunOutcome: Encodable {
    var pull: PullReport?
    var push: [PushReport] = []
    var exitCode: Int32 = 0

    mutating func merge(_ other: RunOutcome) {
        if other.pull != nil { pull = other.pull }
        push += other.push
        exitCode = Self.worse(exitCode, other.exitCode)
    }

    static func worse(_ a: Int32, _ b: Int32) -> Int32 {
        func rank(_ code: Int32) -> Int { code == 0 ? 0 : code == 3 ? 1 : 2 }
        return rank(a) >= rank(b) ? a : b
    }
}

/// The application behind the commands: configuration, connectors, store, engine and identity, wired together.
struct SyncHubApp: Sendable {
    let global: GlobalOptions
    let configuration: SyncHubConfiguration
    let instances: [(entry: ConnectorEntry, instance: ConnectorInstance)]
    let logger: Logger
    let console: Console
    /// How long to wait for another run's store lock (`--wait-for-lock`); zero fails at once.
    var lockWait: Duration = .zero

    init(_ global: GlobalOptions) throws {
        self.global = global
        self.logger = Self.makeLogger(global)
        self.console = Console(json: global.json)
        let (configuration, instances) = try Self.loadConfiguration(global, logger: logger)
        self.configuration = configuration
        self.instances = instances
        LogRedactor.shared.register(secretsIn: configuration.root)
    }

    static func makeLogger(_ global: GlobalOptions) -> Logger {
        var logger = Logger(label: "synchub") { Console.logHandler(label: $0, format: global.logFormat) }
        logger.logLevel = Logger.Level(rawValue: global.logLevel.rawValue) ?? .notice
        return logger
    }

    /// Reads `connectors.yml` and builds every connector; configuration problems exit with code 78.
    static func loadConfiguration(_ global: GlobalOptions, logger: Logger) throws -> (SyncHubConfiguration, [(entry: ConnectorEntry, instance: ConnectorInstance)]) {
        do {
            let configuration = try ConfigurationLoader.load(
                path: global.config, environment: ProcessInfo.processInfo.environment, connectorTypes: ConnectorRegistry.all)
            var instances: [(entry: ConnectorEntry, instance: ConnectorInstance)] = []
            var errors: [String] = []
            for entry in configuration.connectors {
                guard let type = ConnectorRegistry.type(named: entry.typeName) else {
                    errors.append("\(entry.location.map { "\($0): " } ?? "")error: connectors.\(entry.name).type: unknown connector type '\(entry.typeName)'")
                    continue
                }
                var connectorLogger = logger
                connectorLogger[metadataKey: "sync.connector"] = "\(entry.name)"
                let context = ConnectorContext(name: entry.name, settings: entry.settings, baseDirectory: configuration.baseDirectory, logger: connectorLogger)
                do {
                    instances.append((entry, try type.make(context)))
                } catch {
                    errors.append(String(describing: error))
                }
            }
            if !errors.isEmpty { throw ConfigurationProblem(errors.joined(separator: "\n")) }
            return (configuration, instances)
        } catch let error as ConfigurationProblem {
            throw error
        } catch {
            throw ConfigurationProblem(String(describing: error))
        }
    }

    /// The store path: `--db`, else `SYNCHUB_STORE` or `store:` (resolved by the loader).
    var storePath: String { global.db ?? configuration.storePath }

    func openStore() throws -> StoreDatabase {
        do { return try StoreDatabase(path: storePath) } catch {
            throw CommandFailure("cannot open the store at \(storePath): \(error). Check the path and its folder's permissions.")
        }
    }

    /// The store for commands that only read what pulls wrote (`report`, `check`, `people`): it must exist.
    func openExistingStore() throws -> StoreDatabase {
        guard FileManager.default.fileExists(atPath: storePath) else {
            throw CommandFailure("no store at \(storePath) yet: run `synchub pull` first.")
        }
        return try openStore()
    }

    /// Runs `body` holding the store's sync lock, so two runs never write at once (see `runLocked`).
    func withLock<T: Sendable>(_ store: StoreDatabase, command: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await runLocked(store, command: command, body)
    }

    /// Runs `body` so that SIGINT or SIGTERM cancel it: the engine finishes the batch it is committing, then stops.
    func withInterruptHandling(_ body: @escaping @Sendable () async throws -> RunOutcome) async throws -> RunOutcome {
        // The handlers go in before the work starts, so a signal that arrives in its first instant is not lost
        // (or fatal): it cancels the task as soon as the task exists.
        let interrupt = InterruptLatch()
        let signals = [SIGINT, SIGTERM].map { signalNumber -> any DispatchSourceSignal in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                Console.notice("stopping after the batch in flight is committed...", breakingLine: true)
                interrupt.fire()
            }
            source.resume()
            return source
        }
        defer {
            for source in signals { source.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        let task = Task { try await body() }
        interrupt.attach(task)
        return try await task.value
    }

    /// Prints the JSON outcome if asked, and exits with the outcome's code.
    func finish(_ outcome: RunOutcome) throws {
        if global.json { console.printJSON(outcome) }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }

    // MARK: - Sources and targets

    func sources(named names: [String]) throws -> [(name: String, source: any SourceConnector)] {
        let all = instances.compactMap { item in item.instance.source.map { (name: item.entry.name, source: $0) } }
        return try select(all, names: names, kind: "source")
    }

    func targets(named names: [String]) throws -> [(name: String, target: any FeedbackConnector)] {
        let all = instances.compactMap { item in item.instance.feedback.map { (name: item.entry.name, target: $0) } }
        return try select(all, names: names, kind: "feedback target")
    }

    func select<T>(_ all: [(name: String, T)], names: [String], kind: String) throws -> [(name: String, T)] {
        guard !names.isEmpty else { return all }
        for name in names where !all.contains(where: { $0.name == name }) {
            let known = all.map(\.name)
            let hint = Suggestions.closest(to: name, among: known).map { " Did you mean '\($0)'?" } ?? ""
            throw ValidationError("no \(kind) named '\(name)' in \(global.config); \(kind)s: \(known.joined(separator: ", ")).\(hint)")
        }
        return all.filter { names.contains($0.name) }
    }
}

/// A configuration problem: printed as is, exit code 78.
struct ConfigurationProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Another synchub run holds the store: exit code 75.
struct StoreBusy: Error, CustomStringConvertible {
    var description: String
}

/// A failure with a message for the user: exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Cancels a task when a signal fires, whether the signal comes before or after the task is attached.
private final class InterruptLatch: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var cancel: (@Sendable () -> Void)?

    func fire() {
        lock.lock()
        fired = true
        let cancel = self.cancel
        lock.unlock()
        cancel?()
    }

    func attach<T>(_ task: Task<T, any Error>) {
        lock.lock()
        cancel = { task.cancel() }
        let fired = self.fired
        lock.unlock()
        if fired { task.cancel() }
    }
}
