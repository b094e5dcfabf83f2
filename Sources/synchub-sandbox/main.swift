// synchub-sandbox: local simulations of the HubSpot and Salesforce APIs, for trying the connectors offline.
import ArgumentParser
import Foundation
import Hummingbird
import SyncHubSandbox

@main
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synchub-sandbox",
        abstract: "Serve local simulations of the HubSpot and Salesforce APIs (their real wire formats).",
        discussion: """
            HubSpot: base URL http://HOST:PORT, private-app token `sandbox-token`.
            Salesforce: login URL http://HOST:PORT, client id `synchub-sandbox-client`, client secret \
            `synchub-sandbox-secret`, refresh token `synchub-sandbox-refresh-token`.
            Faults and changes between pulls: POST /_sandbox/hubspot/{faults,touch,archive,merge,add,submit,participate,rename}
            (touch and archive take an objectType: contacts, companies, deals, calls, meetings, emails, tasks) and
            /_sandbox/salesforce/{faults,touch,delete,merge,add} (any sobject, Task and Event included).
            """)

    @Option(help: "Address to listen on; loopback by default.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @Option(help: "Seed of the generated data.") var seed: UInt64 = 1
    @Option(help: "HubSpot contacts to generate.") var contacts = 1000
    @Option(help: "People in the Salesforce org.") var people = 1000

    func run() async throws {
        let sandbox = Sandbox(seed: seed, contacts: contacts, people: people)
        let host = self.host
        let app = sandbox.application(host: host, port: port) { port in
            print("synchub-sandbox listening on http://\(host):\(port)")
            print("  HubSpot:    baseURL http://\(host):\(port), token sandbox-token")
            print("  Salesforce: loginURL http://\(host):\(port), client synchub-sandbox-client / synchub-sandbox-secret, refresh token synchub-sandbox-refresh-token")
            fflush(nil)
        }
        try await app.runService()
    }
}
