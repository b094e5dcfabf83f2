public import Hummingbird
public import Foundation
import Logging

/// Local simulations of HubSpot and Salesforce on one loopback server: their paths do not overlap
/// (`/crm`, `/email`, `/oauth` for HubSpot; `/services` for Salesforce), so one base URL serves both.
public struct Sandbox: Sendable {
    public let hubspot: HubSpotSimulator
    public let salesforce: SalesforceSimulator

    /// A sandbox seeded with `contacts` HubSpot contacts and a Salesforce org of `people` people.
    public init(seed: UInt64 = 1, contacts: Int = 1000, people: Int = 1000) {
        hubspot = HubSpotSimulator(seed: seed, contacts: contacts)
        salesforce = SalesforceSimulator(seed: seed, people: people)
    }

    /// Every route of both simulations, plus `GET /_sandbox/health`.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/_sandbox/health") { _, _ in "ok" }
        hubspot.addRoutes(to: router)
        salesforce.addRoutes(to: router)
        return router
    }

    /// An HTTP server for the sandbox, bound to `host` (loopback unless told otherwise).
    public func application(host: String = "127.0.0.1", port: Int = 8080, onServerRunning: (@Sendable (Int) async -> Void)? = nil) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "synchub-sandbox"),
            onServerRunning: { channel in await onServerRunning?(channel.localAddress?.port ?? port) })
    }
}

/// Serves `router` on 127.0.0.1 (a free port) for the duration of `body`, which gets the server's base URL; the
/// server stops when `body` returns or throws. For tests and benches that talk to a simulation over real HTTP.
public func withLoopbackServer<T>(
    _ router: Router<BasicRequestContext>, _ body: (URL) async throws -> T
) async throws -> T {
    let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
    var serverLogger = Logger(label: "synchub-sandbox")
    serverLogger.logLevel = .critical
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            portSink.yield(channel.localAddress?.port ?? 0)
            portSink.finish()
        }, logger: serverLogger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.run() }
        defer { group.cancelAll() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw SandboxError.serverDidNotStart }
        return try await body(URL(string: "http://127.0.0.1:\(port)")!)
    }
}

/// The sandbox server could not start.
public enum SandboxError: Error { case serverDidNotStart }
