import Foundation
import Hummingbird
import SyncHubCore
import Synchronization

extension HubSpotSimulator {
    func addOAuthRoutes(to router: Router<BasicRequestContext>) {
        router.post("/oauth/v1/token") { request, _ in
            try await self.serve(request, kind: .oauth) { request, _ in
                self.token(HubSpotRequestParsing.form(try await HubSpotRequestParsing.bytes(&request)))
            }
        }
    }

    /// `POST /oauth/v1/token` (form-encoded): `grant_type=refresh_token` or `authorization_code`.
    func token(_ form: [String: String]) -> HubSpotReply {
        func failure(_ status: String, _ message: String) -> HubSpotReply {
            .json(
                .badRequest,
                .object([
                    ("status", .string(status)), ("message", .string(message)),
                    ("correlationId", .string(HubSpotErrors.correlationID())),
                    ("requestId", .string(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))),
                ]))
        }
        let grant: HubSpotAccessTokens.Grant
        switch form["grant_type"] {
        case "refresh_token": grant = .refreshToken(form["refresh_token"] ?? "")
        case "authorization_code": grant = .authorizationCode(form["code"] ?? "")
        default: return failure("BAD_GRANT_TYPE", "missing or unsupported grant_type")
        }
        let lifetime = faults.accessTokenLifetimeSeconds
        do {
            let (access, refresh) = try accessTokens.exchange(
                clientID: form["client_id"] ?? "", clientSecret: form["client_secret"] ?? "", grant: grant,
                nowMs: nowMs, lifetimeSeconds: lifetime)
            return .json(
                .ok,
                .object([
                    ("token_type", .string("bearer")), ("refresh_token", .string(refresh)),
                    ("access_token", .string(access)), ("expires_in", .number(String(lifetime))),
                ]))
        } catch {
            switch error {
            case .badClient: return failure("BAD_CLIENT_ID", "missing or unknown client id, or wrong client secret")
            case .badRefreshToken: return failure("BAD_REFRESH_TOKEN", "missing or unknown refresh token")
            case .badAuthorizationCode: return failure("BAD_AUTH_CODE", "missing or unknown auth code")
            }
        }
    }
}
