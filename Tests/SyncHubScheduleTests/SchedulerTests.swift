import Foundation
import Logging
import ServiceLifecycle
import SyncHubCore
import SyncHubSchedule
import SyncHubStore
import Synchronization
import Testing

/// What a test job saw: which connector ran, when (milliseconds after the clock's start), and how many runs of the
/// same connector were in flight at that moment.
final class RunLog: Sendable {
    struct Entry: Sendable, Hashable {
        var connector: String
        var minute: Double
        var concurrentSameConnector: Int
    }

    private let state = Mutex<(entries: [Entry], active: [String: Int])>(([], [:]))

    func begin(_ connector: String, at minute: Double) {
        state.withLock { state in
            state.active[connector, default: 0] += 1
            state.entries.append(Entry(connector: connector, minute: minute, concurrentSameConnector: state.active[connector]!))
        }
    }

    func end(_ connector: String) {
        state.withLock { $0.active[connector, default: 0] -= 1 }
    }

    var entries: [Entry] { state.withLock { $0.entries } }

    func minutes(of connector: String) -> [Double] { entries.filter { $0.connector == connector }.map(\.minute) }
}

/// A seeded random source (SplitMix64), so jitter is reproducible.
final class SeededRandom: Sendable {
    private let state: Mutex<UInt64>
    init(seed: UInt64) { state = Mutex(seed) }

    func next() -> Double {
        state.withLock { state in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z = z ^ (z >> 31)
            return Double(z >> 11) / Double(1 << 53)
        }
    }
}

@Suite struct SchedulerTests {
    /// Monday 2026-01-05 10:07:00 UTC.
    static let monday = Date(timeIntervalSince1970: 1_767_607_620)
    static let utc = TimeZone(identifier: "UTC")!

    var logger: Logger {
        var logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        logger.logLevel = .critical
        return logger
    }

    func minutes(_ clock: ManualClock, _ date: Date) -> Double {
        (date.timeIntervalSince(clock.start) / 60 * 1000).rounded() / 1000
    }

    /// A scheduler whose jobs record their start and succeed (or do what `outcome` says).
    func scheduler(
        _ schedules: [ConnectorSchedule], clock: ManualClock, log: RunLog, store: StoreDatabase? = nil, concurrency: Int = 1,
        random: @escaping @Sendable () -> Double = { 0 },
        outcome: @escaping @Sendable (String, Int) async -> ScheduledRunResult.Outcome = { _, _ in .succeeded }
    ) -> Scheduler<ManualClock> {
        let counter = Mutex<[String: Int]>([:])
        return Scheduler(
            schedules: schedules, clock: clock, store: store, maxConcurrentRuns: concurrency, random: random, logger: logger
        ) { run in
            log.begin(run.connector, at: (clock.currentDate.timeIntervalSince(clock.start) / 60 * 1000).rounded() / 1000)
            let index = counter.withLock { counter -> Int in
                counter[run.connector, default: 0] += 1
                return counter[run.connector]!
            }
            let result = await outcome(run.connector, index)
            log.end(run.connector)
            return ScheduledRunResult(outcome: result, error: result.isFailure ? "contacts: HTTP 503 from the source" : nil)
        }
    }

    /// Runs `scheduler` while the clock moves `duration`, then stops it.
    func drive(_ scheduler: Scheduler<ManualClock>, _ clock: ManualClock, for duration: Duration, sleepers: Int) async {
        let task = Task { await scheduler.runUntilCancelled() }
        await clock.run(for: duration, sleepers: sleepers)
        task.cancel()
        await task.value
    }

    @Test func intervalsRunOnTimeAndCountFromTheirStart() async throws {
        let clock = ManualClock(start: Self.monday)
        let log = RunLog()
        let scheduler = scheduler(
            [
                ConnectorSchedule(connector: "marketing", trigger: .every(.seconds(900))),
                ConnectorSchedule(connector: "crm", trigger: .every(.seconds(3600))),
            ], clock: clock, log: log)
        await drive(scheduler, clock, for: .seconds(2 * 3600), sleepers: 2)
        #expect(log.minutes(of: "marketing") == [0, 15, 30, 45, 60, 75, 90, 105, 120])
        #expect(log.minutes(of: "crm") == [0, 60, 120])
        let states = scheduler.snapshot
        #expect(states.map(\.connector) == ["marketing", "crm"])
        #expect(states.allSatisfy { $0.consecutiveFailures == 0 && $0.lastOutcome == "succeeded" })
        #expect(states.first.flatMap(\.nextRunAt).map { minutes(clock, $0) } == 135)
    }

    @Test func cronSchedulesRunAtTheirMinutesAcrossAWeekend() async throws {
        // Friday 2026-01-09 10:07 UTC, for three days.
        let friday = Self.monday.addingTimeInterval(4 * 86_400)
        let clock = ManualClock(start: friday)
        let log = RunLog()
        let scheduler = scheduler(
            [
                ConnectorSchedule(connector: "marketing", trigger: .cron(try CronExpression("*/20 * * * *"))),
                ConnectorSchedule(connector: "crm", trigger: .cron(try CronExpression("0 9 * * MON-FRI"))),
            ], clock: clock, log: log)
        await drive(scheduler, clock, for: .seconds(3 * 86_400), sleepers: 2)
        let marketing = log.minutes(of: "marketing")
        #expect(marketing.prefix(4) == [13, 33, 53, 73], "10:20, 10:40, 11:00, 11:20")
        #expect(marketing.count == 3 * 72)
        #expect(zip(marketing, marketing.dropFirst()).allSatisfy { $1 - $0 == 20 })
        // The weekday schedule skips Saturday and Sunday: Monday 09:00 is 2 days 22 h 53 min after Friday 10:07.
        let mondayNine: Double = 2 * 1440 + 22 * 60 + 53
        #expect(log.minutes(of: "crm") == [mondayNine])
    }

    @Test func jitterDelaysEachRunWithinItsBoundWithoutDrift() async throws {
        let clock = ManualClock(start: Self.monday)
        let log = RunLog()
        let random = SeededRandom(seed: 42)
        let scheduler = scheduler(
            [ConnectorSchedule(connector: "marketing", trigger: .every(.seconds(600)), jitter: .seconds(120))],
            clock: clock, log: log, random: { random.next() })
        await drive(scheduler, clock, for: .seconds(3 * 3600), sleepers: 1)
        let runs = log.minutes(of: "marketing")
        #expect((18...19).contains(runs.count))
        let offsets = runs.enumerated().map { index, minute in minute - Double(index * 10) }
        #expect(offsets.allSatisfy { $0 >= 0 && $0 < 2 }, "every run starts within 2 minutes after its time: \(offsets)")
        #expect(Set(offsets).count > runs.count / 2, "the offsets vary: \(offsets)")
    }

    @Test func failuresBackOffExponentiallyAndASuccessResetsTheBackoff() async throws {
        let clock = ManualClock(start: Self.monday)
        let log = RunLog()
        let store = try StoreDatabase.inMemory()
        // Fails five times, succeeds, fails once more, then succeeds.
        let outcomes: [ScheduledRunResult.Outcome] = [.failed, .failed, .partial, .failed, .failed, .succeeded, .failed, .succeeded, .succeeded]
        let scheduler = scheduler(
            [ConnectorSchedule(connector: "crm", trigger: .every(.seconds(3600)), backoff: BackoffPolicy(initial: .seconds(60), max: .seconds(300)))],
            clock: clock, log: log, store: store, outcome: { _, index in outcomes[min(index, outcomes.count) - 1] })

        let task = Task { await scheduler.runUntilCancelled() }
        await clock.run(for: .seconds(12 * 60 + 30), sleepers: 1)
        // Backing off after the 5th failure in a row: 1, 2, 4, 5 (the cap), 5 minutes.
        #expect(log.minutes(of: "crm") == [0, 1, 3, 7, 12])
        let backingOff = try #require(try store.scheduleState(connector: "crm"))
        #expect(backingOff.consecutiveFailures == 5)
        #expect(backingOff.backoffUntil.map { minutes(clock, $0) } == 17)
        #expect(backingOff.nextRunAt.map { minutes(clock, $0) } == 17)
        #expect(backingOff.lastError == "contacts: HTTP 503 from the source")

        await clock.run(for: .seconds(2 * 3600), sleepers: 1)
        task.cancel()
        await task.value
        // The success at 17 returns to the hourly schedule (counted from the first run); the next failure backs off
        // 1 minute again, not 10.
        #expect(log.minutes(of: "crm") == [0, 1, 3, 7, 12, 17, 60, 61, 120])
        let recovered = try #require(try store.scheduleState(connector: "crm"))
        #expect(recovered.consecutiveFailures == 0)
        #expect(recovered.backoffUntil == nil)
        #expect(recovered.lastSuccessAt.map { minutes(clock, $0) } == 120)
        #expect(recovered.lastFailureAt.map { minutes(clock, $0) } == 60)
    }

    @Test func aConnectorNeverRunsTwiceAtOnceAndOverlappedTimesAreSkipped() async throws {
        let clock = ManualClock(start: Self.monday)
        let log = RunLog()
        // marketing's run takes 2.5 minutes of its 1-minute interval; crm's are instant. Two runs may go at once.
        let scheduler = scheduler(
            [
                ConnectorSchedule(connector: "marketing", trigger: .every(.seconds(60))),
                ConnectorSchedule(connector: "crm", trigger: .every(.seconds(60))),
            ], clock: clock, log: log, concurrency: 2,
            outcome: { connector, _ in
                if connector == "marketing" {
                    do { try await clock.sleep(for: .seconds(150)) } catch { return .interrupted }
                }
                return .succeeded
            })
        await drive(scheduler, clock, for: .seconds(600), sleepers: 2)
        #expect(log.minutes(of: "marketing") == [0, 3, 6, 9])
        #expect(log.minutes(of: "crm") == Array(0...10).map(Double.init))
        #expect(log.entries.allSatisfy { $0.concurrentSameConnector == 1 })
    }

    @Test func oneRunAtATimeOverallQueuesTheOthers() async throws {
        let clock = ManualClock(start: Self.monday)
        let log = RunLog()
        let overall = Mutex((active: 0, peak: 0))
        let scheduler = scheduler(
            ["a", "b", "c"].map { ConnectorSchedule(connector: $0, trigger: .every(.seconds(300))) }, clock: clock, log: log,
            outcome: { _, _ in
                overall.withLock { $0.active += 1; $0.peak = max($0.peak, $0.active) }
                await Task.yield()
                overall.withLock { $0.active -= 1 }
                return .succeeded
            })
        await drive(scheduler, clock, for: .seconds(900), sleepers: 3)
        #expect(overall.withLock { $0.peak } == 1)
        for connector in ["a", "b", "c"] { #expect(log.minutes(of: connector) == [0, 5, 10, 15]) }
    }

    @Test func aRestartContinuesTheSavedScheduleAndBackoff() async throws {
        let store = try StoreDatabase.inMemory()
        let schedule = ConnectorSchedule(
            connector: "crm", trigger: .every(.seconds(3600)), backoff: BackoffPolicy(initial: .seconds(60), max: .seconds(3600)))
        let first = ManualClock(start: Self.monday)
        let firstLog = RunLog()
        await drive(scheduler([schedule], clock: first, log: firstLog, store: store, outcome: { _, _ in .failed }), first, for: .seconds(30), sleepers: 1)
        #expect(firstLog.minutes(of: "crm") == [0])

        // Restarted 30 s later: the saved backoff holds (no run at once), and the failure count goes on growing.
        let second = ManualClock(start: Self.monday.addingTimeInterval(30))
        let secondLog = RunLog()
        let restarted = scheduler([schedule], clock: second, log: secondLog, store: store, outcome: { _, _ in .failed })
        await drive(restarted, second, for: .seconds(200), sleepers: 1)
        #expect(secondLog.minutes(of: "crm") == [0.5, 2.5], "at 10:08 and 10:10, 1 then 2 minutes after the failures")
        #expect(try store.scheduleState(connector: "crm")?.consecutiveFailures == 3)

        // Restarted much later: the missed run goes once, at start; a changed schedule starts afresh.
        let third = ManualClock(start: Self.monday.addingTimeInterval(5 * 3600))
        let thirdLog = RunLog()
        await drive(scheduler([schedule], clock: third, log: thirdLog, store: store), third, for: .seconds(60), sleepers: 1)
        #expect(thirdLog.minutes(of: "crm") == [0])
        let changed = ConnectorSchedule(connector: "crm", trigger: .cron(try CronExpression("30 * * * *")))
        let fourth = ManualClock(start: Self.monday.addingTimeInterval(6 * 3600))
        let fourthLog = RunLog()
        await drive(scheduler([changed], clock: fourth, log: fourthLog, store: store), fourth, for: .seconds(3600), sleepers: 1)
        #expect(fourthLog.minutes(of: "crm") == [23], "16:07 + 23 min = 16:30")
        let state = try #require(try store.scheduleState(connector: "crm"))
        #expect(state.spec == "cron 30 * * * * (UTC)")
        #expect(state.consecutiveFailures == 0)
    }

    @Test func aGracefulShutdownInterruptsTheRunInFlightAndSavesItAsDue() async throws {
        let clock = ManualClock(start: Self.monday)
        let store = try StoreDatabase.inMemory()
        let sawCancellation = Mutex(false)
        let scheduler = Scheduler(
            schedules: [ConnectorSchedule(connector: "marketing", trigger: .every(.seconds(900)))], clock: clock, store: store,
            logger: logger
        ) { _ in
            // A long pull: it ends when cancelled, as the engine does after its batch in flight.
            do {
                try await clock.sleep(for: .seconds(3600))
                return ScheduledRunResult(outcome: .succeeded)
            } catch {
                sawCancellation.withLock { $0 = true }
                return ScheduledRunResult(outcome: .interrupted)
            }
        }
        let group = ServiceGroup(configuration: .init(services: [scheduler], logger: logger))
        let running = Task { try await group.run() }
        await clock.waitForSleepers(1)
        await clock.run(for: .seconds(120), sleepers: 1)
        #expect(scheduler.runningConnectors == ["marketing"])
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(sawCancellation.withLock { $0 })
        let state = try #require(try store.scheduleState(connector: "marketing"))
        #expect(state.lastOutcome == "interrupted")
        #expect(state.nextRunAt.map { minutes(clock, $0) } == 2, "due again at once: the next start resumes it")
        #expect(state.consecutiveFailures == 0, "an interruption is not a failure")
        #expect(scheduler.runningConnectors.isEmpty)
    }

    @Test func backoffDoublesUpToItsCap() {
        let policy = BackoffPolicy(initial: .seconds(60), max: .seconds(3600))
        #expect((1...8).map { DurationText.format(policy.delay(afterFailures: $0)) } == ["1m", "2m", "4m", "8m", "16m", "32m", "1h", "1h"])
        #expect(policy.delay(afterFailures: 0) == .zero)
        #expect(policy.delay(afterFailures: 1000) == .seconds(3600))
    }

    @Test func intervalTriggersSkipOverlappedOccurrences() {
        let trigger = ScheduleTrigger.every(.seconds(600))
        let start = Self.monday
        #expect(trigger.next(after: start, now: start) == start.addingTimeInterval(600))
        #expect(trigger.next(after: start, now: start.addingTimeInterval(600)) == start.addingTimeInterval(1200))
        #expect(trigger.next(after: start, now: start.addingTimeInterval(1799)) == start.addingTimeInterval(1800))
        #expect(trigger.first(from: start) == start)
    }
}
