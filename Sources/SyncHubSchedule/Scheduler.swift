public import Foundation
public import Logging
public import ServiceLifecycle
public import SyncHubCore
public import SyncHubStore
import Synchronization
import UnixSignals

/// One run the scheduler starts.
public struct ScheduledRun: Sendable, Hashable {
    public var connector: String
    /// Push feedback after the pull.
    public var push: Bool
    /// When the run was due (jitter and backoff included).
    public var dueAt: Date
    /// Failures in a row before this run.
    public var consecutiveFailures: Int

    public init(connector: String, push: Bool, dueAt: Date, consecutiveFailures: Int) {
        self.connector = connector
        self.push = push
        self.dueAt = dueAt
        self.consecutiveFailures = consecutiveFailures
    }
}

/// What a scheduled run did.
public struct ScheduledRunResult: Sendable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Every stream (and the push) succeeded.
        case succeeded
        /// Some streams or targets failed; the rest was committed. Counts as a failure for backoff.
        case partial
        case failed
        /// Stopped early on purpose (API budget); resumes next run. Not a failure.
        case paused
        /// Stopped by a shutdown after the batch in flight; the scheduler stops too.
        case interrupted
        /// Not run: another synchub process held the store. The next occurrence runs as usual.
        case skipped

        /// Whether it counts as a failure (for backoff).
        public var isFailure: Bool { self == .failed || self == .partial }
    }

    public var outcome: Outcome
    /// What went wrong; never field values.
    public var error: String?
    /// The run's id in the store's run log.
    public var runID: Int64?
    public var streams: [StreamResult]
    public var apiUsage: [APIUsageMeter.Usage]
    /// Quarantined records per connector after the run, when known.
    public var quarantined: [String: Int]?
    /// Dead-lettered feedback per target after the run, when known.
    public var deadLettered: [String: Int]?
    /// Wall-clock seconds the run took.
    public var seconds: Double

    public init(
        outcome: Outcome, error: String? = nil, runID: Int64? = nil, streams: [StreamResult] = [],
        apiUsage: [APIUsageMeter.Usage] = [], quarantined: [String: Int]? = nil, deadLettered: [String: Int]? = nil,
        seconds: Double = 0
    ) {
        self.outcome = outcome
        self.error = error
        self.runID = runID
        self.streams = streams
        self.apiUsage = apiUsage
        self.quarantined = quarantined
        self.deadLettered = deadLettered
        self.seconds = seconds
    }
}

/// Runs each connector's sync on its schedule until it is cancelled or the service group shuts down gracefully.
///
/// - One loop per connector, so a connector never runs twice at once; at most `maxConcurrentRuns` runs at once
///   overall (1 by default: the store takes one writer at a time anyway).
/// - Each run starts up to the schedule's `jitter` after its time. An interval counts from the previous run's
///   time, not its end, and occurrences a long run overlapped are skipped, not queued.
/// - After a failure the next run waits `backoff.initial`, doubling with each further failure up to `backoff.max`,
///   instead of the schedule; the first success returns to the schedule.
/// - The state (next run, last success and failure, failures in a row, backoff) is saved in the store after every
///   change, so `synchub status` shows it and a restarted scheduler continues: a run missed while stopped runs
///   once at start.
/// - A graceful shutdown cancels the runs in flight (the engine commits the batch it holds, then stops) and saves
///   the interrupted connectors as due, so they run first after a restart.
public final class Scheduler<C: SchedulerClock>: Service, Sendable {
    public typealias Job = @Sendable (ScheduledRun) async -> ScheduledRunResult

    public let schedules: [ConnectorSchedule]
    let clock: C
    let store: StoreDatabase?
    let slots: RunSlots
    let random: @Sendable () -> Double
    let logger: Logger
    let metrics: SchedulerMetrics?
    let job: Job
    private let states: Mutex<[String: ScheduleState]>
    private let running = Mutex<Set<String>>([])

    /// - Parameters:
    ///   - store: where the state is saved and read back at start; `nil` keeps it in memory.
    ///   - random: a number in `0..<1` for jitter.
    ///   - job: runs one connector's sync; called with the task cancelled on shutdown.
    public init(
        schedules: [ConnectorSchedule], clock: C, store: StoreDatabase?, maxConcurrentRuns: Int = 1,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger,
        metrics: SchedulerMetrics? = nil, job: @escaping Job
    ) {
        self.schedules = schedules
        self.clock = clock
        self.store = store
        self.slots = RunSlots(maxConcurrentRuns)
        self.random = random
        self.logger = logger
        self.metrics = metrics
        self.job = job
        var initial: [String: ScheduleState] = [:]
        for schedule in schedules {
            initial[schedule.connector] = (try? store?.scheduleState(connector: schedule.connector))
                ?? ScheduleState(connector: schedule.connector, spec: schedule.spec)
        }
        self.states = Mutex(initial)
    }

    /// Runs until a graceful shutdown (or cancellation).
    public func run() async throws {
        let logger = logger
        await withGracefulShutdownHandler {
            await cancelWhenGracefulShutdown { await self.runUntilCancelled() }
        } onGracefulShutdown: {
            logger.notice("stopping: runs in flight stop after the batch they are committing")
        }
    }

    /// Runs until the task is cancelled.
    public func runUntilCancelled() async {
        await withDiscardingTaskGroup { group in
            for schedule in schedules {
                group.addTask { await self.loop(schedule) }
            }
        }
    }

    /// Each connector's state, by connector.
    public var snapshot: [ScheduleState] {
        let states = states.withLock { $0 }
        return schedules.compactMap { states[$0.connector] }
    }

    /// Connectors with a run in flight.
    public var runningConnectors: Set<String> { running.withLock { $0 } }

    // MARK: The loop

    func loop(_ schedule: ConnectorSchedule) async {
        var connectorLogger = logger
        connectorLogger[metadataKey: "sync.connector"] = "\(schedule.connector)"
        var state = states.withLock { $0[schedule.connector] } ?? ScheduleState(connector: schedule.connector, spec: schedule.spec)
        let start = clock.currentDate
        var nominal: Date
        var due: Date
        if state.spec == schedule.spec, let saved = state.nextRunAt {
            // Continue: a run missed while stopped runs now, once.
            nominal = saved
            due = max(saved, start)
        } else {
            if state.spec != schedule.spec {
                state = ScheduleState(
                    connector: schedule.connector, spec: schedule.spec, lastStartedAt: state.lastStartedAt,
                    lastFinishedAt: state.lastFinishedAt, lastOutcome: state.lastOutcome, lastSuccessAt: state.lastSuccessAt,
                    lastFailureAt: state.lastFailureAt, lastError: state.lastError)
            }
            nominal = schedule.trigger.first(from: start)
            due = nominal.addingTimeInterval(jitter(schedule))
        }
        while true {
            state.nextRunAt = due
            publish(state)
            connectorLogger.info("next run scheduled", metadata: ["schedule.next_run": "\(StoreTime.text(due))"])
            do {
                try await clock.sleep(until: clock.instant(of: due), tolerance: nil)
                try await slots.acquire()
            } catch {
                return
            }
            let started = clock.currentDate
            state.lastStartedAt = started
            publish(state)
            running.withLock { _ = $0.insert(schedule.connector) }
            connectorLogger.notice("run started", metadata: ["schedule.consecutive_failures": "\(state.consecutiveFailures)"])
            let result = await job(
                ScheduledRun(connector: schedule.connector, push: schedule.push, dueAt: due, consecutiveFailures: state.consecutiveFailures))
            running.withLock { _ = $0.remove(schedule.connector) }
            slots.release()
            let finished = clock.currentDate
            state.lastFinishedAt = finished
            state.lastOutcome = result.outcome.rawValue
            metrics?.recordRun(connector: schedule.connector, result: result)
            var runMetadata: Logger.Metadata = [
                "schedule.outcome": "\(result.outcome.rawValue)",
                "sync.seconds": "\(String(format: "%.2f", result.seconds))",
                "sync.records": "\(result.streams.reduce(0) { $0 + $1.counts.received })",
            ]
            if let runID = result.runID { runMetadata["sync.run_id"] = "\(runID)" }
            switch result.outcome {
            case .succeeded, .paused:
                state.lastSuccessAt = finished
                state.consecutiveFailures = 0
                state.backoffUntil = nil
                nominal = schedule.trigger.next(after: nominal, now: finished)
                due = nominal.addingTimeInterval(jitter(schedule))
                connectorLogger.notice("run finished", metadata: runMetadata)
            case .failed, .partial:
                state.consecutiveFailures += 1
                state.lastFailureAt = finished
                state.lastError = result.error ?? result.outcome.rawValue
                let delay = schedule.backoff.delay(afterFailures: state.consecutiveFailures)
                let until = finished.addingTimeInterval(DurationText.seconds(delay))
                state.backoffUntil = until
                due = until.addingTimeInterval(jitter(schedule))
                runMetadata["schedule.consecutive_failures"] = "\(state.consecutiveFailures)"
                runMetadata["schedule.backoff"] = "\(DurationText.format(delay))"
                if let error = result.error { runMetadata["error"] = "\(error)" }
                connectorLogger.error("run failed; backing off", metadata: runMetadata)
            case .skipped:
                nominal = schedule.trigger.next(after: nominal, now: finished)
                due = nominal.addingTimeInterval(jitter(schedule))
                if let error = result.error { runMetadata["reason"] = "\(error)" }
                connectorLogger.notice("run skipped", metadata: runMetadata)
            case .interrupted:
                // Due again right away: the next start resumes it from its checkpoints.
                state.nextRunAt = finished
                publish(state)
                connectorLogger.notice("run interrupted by shutdown; resumes at the next start", metadata: runMetadata)
                return
            }
        }
    }

    func jitter(_ schedule: ConnectorSchedule) -> TimeInterval {
        let milliseconds = DurationText.milliseconds(schedule.jitter)
        guard milliseconds > 0 else { return 0 }
        let fraction = min(max(random(), 0), 0.999_999)
        return (Double(milliseconds) * fraction).rounded(.down) / 1000
    }

    func publish(_ state: ScheduleState) {
        states.withLock { $0[state.connector] = state }
        metrics?.recordSchedule(state)
        do {
            try store?.saveScheduleState(state)
        } catch {
            logger.warning(
                "could not save the schedule state", metadata: ["sync.connector": "\(state.connector)", "error": "\(error)"])
        }
    }
}

/// Runs a scheduler, and the monitoring server if there is one, as one service group until SIGTERM or SIGINT.
public enum ScheduleService {
    /// Returns after a graceful shutdown: the scheduler stops first (its runs commit their batch in flight), then
    /// the server. A server that cannot listen stops everything with its error.
    public static func run<C: SchedulerClock>(_ scheduler: Scheduler<C>, server: MonitoringServer?, logger: Logger) async throws {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let server { services.append(.init(service: server)) }
        // Services shut down in reverse order: the scheduler first.
        services.append(.init(service: scheduler, successTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
