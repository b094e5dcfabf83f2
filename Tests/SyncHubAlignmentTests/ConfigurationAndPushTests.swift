import SyncHubAlignment
import SyncHubCore
import Testing

@Suite struct AlignmentConfigurationTests {
    func errors(stages: SettingNode? = nil, sla: SettingNode? = nil, push: SettingNode? = nil) -> [String] {
        do {
            _ = try AlignmentConfiguration(
                stages: stages.map { section("stages", $0) }, sla: sla.map { section("sla", $0) }, report: nil,
                push: push.map { section("push", $0) }, connectors: marketingAndCRM)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func readsRulesPerConnectorNormalizingValues() throws {
        let configuration = try testConfiguration()
        let mql = try #require(configuration.stages.rules.first { $0.stage == .mql })
        #expect(mql.connector == "marketing")
        #expect(mql.lifecycleStages == ["marketingqualifiedlead"])
        #expect(mql.enteredAt == [.field("Became a Marketing Qualified Lead Date")])
        #expect(StageRule.normalize("Marketing Qualified Lead") == "marketingqualifiedlead")
        #expect(
            configuration.stages.rules.first { $0.stage == .customer && $0.connector == "crm" }?.dealOutcomes == [.won])
        #expect(configuration.sla.salesConnectors == ["crm"])
        #expect(configuration.sla.followUpWithin == 86_400_000)
    }

    @Test func errorsNameTheLineAndSuggestTheKey() {
        let stageTypo = errors(
            stages: node(["mqll": node(["marketing": node(["lifecycleStage": node("x")])], line: 7)]))
        #expect(stageTypo == ["connectors.yml:7:3: error: stages.mqll: unknown stage; did you mean 'mql'?"])

        let connectorTypo = errors(
            stages: node(["mql": node(["marketting": node(["lifecycleStage": node("x")], line: 9)])]))
        #expect(
            connectorTypo.first?.hasPrefix(
                "connectors.yml:9:3: error: stages.mql.marketting: no connector named 'marketting'") == true)
        #expect(connectorTypo.first?.contains("did you mean 'marketing'") == true)

        let ruleTypo = errors(stages: node(["mql": node(["marketing": node(["lifecycleStag": node("x", line: 11)])])]))
        #expect(
            ruleTypo == [
                "connectors.yml:11:5: error: stages.mql.marketing.lifecycleStag: unknown rule; did you mean 'lifecycleStage'?"
            ])

        let badOutcome = errors(
            stages: node(["customer": node(["crm": node(["dealOutcome": node("closedwon", line: 12)])])]))
        #expect(badOutcome.first?.contains("is not a deal outcome; use open, won or lost") == true)

        let mixed = errors(
            stages: node([
                "customer": node(["crm": node(["dealOutcome": node("won"), "kind": node("contact")], line: 14)])
            ]))
        #expect(mixed.first?.contains("cannot be mixed") == true)

        let duration = errors(sla: node(["followUpWithin": node("a day", line: 20)]))
        #expect(
            duration == [
                "connectors.yml:20:5: error: sla.followUpWithin: expected a duration such as 30m, 4h, 24h or 2d"
            ])

        let limit = errors(sla: node(["limits": node(["stageDrfit": node("2", line: 22)])]))
        #expect(limit.first?.contains("did you mean 'stageDrift'") == true)

        let pushTarget = errors(push: node(["crm": node(["stages": node(["customer": node("customer")])], line: 30)]))
        #expect(
            pushTarget.first?.hasPrefix("connectors.yml:30:3: error: push.crm: no feedback target named 'crm'") == true)
    }
}

@Suite struct StagePushTests {
    let mapping = StagePushMapping(
        target: "marketing",
        values: [
            .lead: "lead", .mql: "marketingqualifiedlead", .opportunity: "opportunity", .customer: "customer",
            .disqualified: "other",
        ])

    @Test func sendsTheStageAsTheTargetSpellsIt() {
        let policy = StagePushPolicy(mapping: mapping, stages: ["P1": .opportunity, "P2": .sal])
        #expect(policy.value(for: "P1", previous: nil) == "opportunity")
        #expect(policy.value(for: "P1", previous: "marketingqualifiedlead") == "opportunity")
        // SAL is not mapped: whatever was pushed stays.
        #expect(policy.value(for: "P2", previous: "marketingqualifiedlead") == "marketingqualifiedlead")
        #expect(policy.value(for: "P2", previous: nil) == nil)
        #expect(policy.value(for: "nobody", previous: "lead") == "lead")
    }

    @Test func neverMovesATargetBackwards() {
        let policy = StagePushPolicy(
            mapping: mapping, stages: ["P1": .opportunity, "P2": .disqualified, "P3": .mql],
            targetStages: ["P3": .customer])
        // Pushed customer before; the person is an opportunity again (a new deal): customer stays.
        #expect(policy.value(for: "P1", previous: "customer") == "customer")
        // A customer is never turned disqualified.
        #expect(policy.value(for: "P2", previous: "Customer") == "Customer")
        #expect(policy.value(for: "P2", previous: "marketingqualifiedlead") == "other")
        // The target's own records say customer: nothing is sent to move it back.
        #expect(policy.value(for: "P3", previous: nil) == nil)

        var backwards = mapping
        backwards.allowBackwards = true
        let allowing = StagePushPolicy(mapping: backwards, stages: ["P1": .opportunity], targetStages: [:])
        #expect(allowing.value(for: "P1", previous: "customer") == "opportunity")
    }

    @Test func backwardsFollowsTheSharedOrder() {
        #expect(Stage.isBackwards(from: .customer, to: .opportunity))
        #expect(!Stage.isBackwards(from: .mql, to: .sql))
        #expect(Stage.isBackwards(from: .opportunity, to: .recycled))
        #expect(!Stage.isBackwards(from: .sal, to: .recycled))
        #expect(!Stage.isBackwards(from: .disqualified, to: .mql))
    }
}
