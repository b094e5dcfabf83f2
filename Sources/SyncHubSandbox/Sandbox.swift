public import Hummingbird
import Foundation

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
