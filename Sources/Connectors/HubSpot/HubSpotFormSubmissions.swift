import Foundation
import SyncHubCore

/// Where the `form_submissions` stream stands. Saved in checkpoints.
struct FormSubmissionsCursor: Codable, Sendable, Hashable {
    /// Form id → the newest `submittedAt` a complete pass over the form delivered.
    var newest: [String: Int64] = [:]
    /// The pass under way: the forms still to read (the first is being read); `nil` between passes.
    var pending: [String]?
    /// The submissions API's paging token within the first pending form.
    var after: String?
    /// The newest `submittedAt` the pass has seen in the form being read.
    var passNewest: Int64?
}

/// Form submissions as `form_fill` touches: the forms from `GET /marketing/v3/forms/` (or the configured
/// `forms`), then each form's submissions from `GET /form-integrations/v1/submissions/forms/{guid}`
/// (https://developers.hubspot.com/docs/api-reference/legacy/marketing/forms/v1/get-form-integrations-v1-submissions-forms-form_guid),
/// 50 per page with `after`. Submissions come newest first, so a pass over a form stops at the first one older
/// than the newest the previous pass delivered, minus the overlap: later passes read only what is new.
struct HubSpotFormSubmissionsStream: Sendable {
    let api: HubSpotAPI
    let configuration: HubSpotConfiguration

    static let stream = HubSpotStream.formSubmissions.rawValue
    static let scope = "forms"
    /// The submissions API's largest page.
    static let pageLimit = 50
    static let formsPageLimit = 50

    var overlap: Int64 { Int64(configuration.overlapSeconds) * 1000 }

    func pull(from checkpoint: FormSubmissionsCursor?) -> Paginated<FormSubmissionsCursor> {
        let first = checkpoint ?? FormSubmissionsCursor()
        return Paginated(startingAt: first) { token in try await page(token ?? first) }
    }

    /// The forms to read: the configured ones, or every form HubSpot lists.
    func forms() async throws -> [String] {
        if let configured = configuration.formIDs { return configured }
        return try await api.listAll("/marketing/v3/forms/", limit: Self.formsPageLimit, stream: Self.stream, scope: Self.scope)
            .compactMap { $0["id"]?.text }.filter { !$0.isEmpty }
    }

    private func page(_ cursor: FormSubmissionsCursor) async throws -> (RecordBatch, FormSubmissionsCursor?) {
        var next = cursor
        if next.pending == nil {
            next.pending = try await forms()
            next.after = nil
            next.passNewest = nil
        }
        guard let form = next.pending?.first else {
            next.pending = nil
            return (RecordBatch(records: [], checkpoint: try Checkpoint(encoding: next)), nil)
        }
        let path = "/form-integrations/v1/submissions/forms/\(form)"
        let query = [("limit", String(Self.pageLimit))]
        let reply: HubSpotReply
        do {
            reply = try await api.get(path, query: query + (next.after.map { [("after", $0)] } ?? []), stream: Self.stream, scope: Self.scope)
        } catch let error as ConnectorError where error.code == .notFound {
            // The form was deleted: nothing more to read from it.
            return try finishForm(form, next, records: [], rejected: [])
        } catch let error as ConnectorError where error.code == .rejected && next.after != nil {
            // A paging token HubSpot no longer accepts: read the form again from its newest submission.
            next.after = nil
            reply = try await api.get(path, query: query, stream: Self.stream, scope: Self.scope)
        }
        let floor = cursor.newest[form].map { $0 - overlap }
        let location = "GET \(path)"
        var records: [SourceRecord] = []
        var rejected: [RejectedRecord] = []
        var reachedRead = false
        for submission in reply.json["results"]?.items ?? [] {
            guard let id = submission["conversionId"]?.text, !id.isEmpty,
                let submitted = submission["submittedAt"]?.text.flatMap(hubSpotMilliseconds)
            else {
                rejected.append(RejectedRecord(
                    location: location, reason: "a form submission has no conversionId or submittedAt",
                    payload: submission.serialized))
                continue
            }
            if let floor, submitted < floor {
                reachedRead = true
                break
            }
            next.passNewest = max(next.passNewest ?? submitted, submitted)
            records.append(Self.record(submission, id: id, form: form, submittedAt: submitted, location: location))
        }
        if !reachedRead, let after = reply.json["paging"]?["next"]?["after"]?.text, !after.isEmpty, after != next.after {
            next.after = after
            return (RecordBatch(records: records, rejected: rejected, checkpoint: try Checkpoint(encoding: next)), next)
        }
        return try finishForm(form, next, records: records, rejected: rejected)
    }

    /// Ends the pass over `form`: its newest submission is remembered and the next form comes up.
    private func finishForm(
        _ form: String, _ cursor: FormSubmissionsCursor, records: [SourceRecord], rejected: [RejectedRecord]
    ) throws -> (RecordBatch, FormSubmissionsCursor?) {
        var next = cursor
        if let newest = next.passNewest { next.newest[form] = max(next.newest[form] ?? newest, newest) }
        next.pending?.removeFirst()
        next.after = nil
        next.passNewest = nil
        let done = next.pending?.isEmpty ?? true
        if done { next.pending = nil }
        return (RecordBatch(records: records, rejected: rejected, checkpoint: try Checkpoint(encoding: next)), done ? nil : next)
    }

    /// A submission as a touch: the submitter's `email` field, the form as its campaign (`form:<guid>`).
    static func record(_ submission: JSONValue, id: String, form: String, submittedAt: Int64, location: String) -> SourceRecord {
        var touch = Touch()
        for field in submission["values"]?.items ?? [] where field["name"]?.text?.lowercased() == "email" {
            touch.email = HubSpotMapping.value(field, "value")
        }
        touch.campaignID = "form:\(form)"
        touch.type = "form_fill"
        touch.occurredAt = isoTime(submittedAt)
        var payload = submission
        if case .object(var members) = submission {
            members.append(("formId", .string(form)))
            payload = .object(members)
        }
        return SourceRecord(
            objectType: .touch, externalID: id, payload: payload.serialized, sourceUpdatedAt: isoTime(submittedAt),
            normalized: .touch(touch), location: location)
    }
}
