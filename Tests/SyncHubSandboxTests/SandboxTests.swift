import Hummingbird
import HummingbirdTesting
import SyncHubSandbox
import Testing

@Suite struct SandboxTests {
    @Test(.timeLimit(.minutes(10))) func servesBothSimulationsOnOneRouter() async throws {
        let sandbox = Sandbox(seed: 3, contacts: 20, people: 20)
        let app = Application(router: sandbox.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/_sandbox/health", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/crm/v3/objects/contacts?limit=5", method: .get, headers: [.authorization: "Bearer sandbox-token"]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"results\""))
            }
            try await client.execute(uri: "/services/data/", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
