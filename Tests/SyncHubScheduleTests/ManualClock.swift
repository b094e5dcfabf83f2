import Foundation
import SyncHubSchedule
import Synchronization

/// A clock that moves only when a test moves it. Tasks sleeping on it wake in deadline order; `run(until:)`
/// advances step by step and lets the woken tasks go back to sleep before the next step, so a day of schedules runs
/// in milliseconds without any real sleeping.
final class ManualClock: SchedulerClock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var id: UInt64
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    /// The calendar time of the clock's zero.
    let start: Date
    private let state = Mutex(State())

    init(start: Date) {
        self.start = start
    }

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .zero }

    func date(of instant: Instant) -> Date {
        let (seconds, attoseconds) = instant.offset.components
        return start.addingTimeInterval(Double(seconds) + Double(attoseconds / 1_000_000_000_000_000) / 1000)
    }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                        return []
                    }
                    if deadline <= state.now {
                        continuation.resume()
                        return []
                    }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return Self.readyWatchers(&state)
                }
                for watcher in ready { watcher.resume() }
            }
        } onCancel: {
            state.withLock { state in
                if let index = state.sleepers.firstIndex(where: { $0.id == id }) {
                    state.sleepers.remove(at: index).continuation.resume(throwing: CancellationError())
                }
            }
        }
    }

    /// Tasks asleep on the clock now.
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Waits (without time passing) until at least `count` tasks sleep on the clock.
    func waitForSleepers(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.sleepers.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Moves time to `target`, waking sleepers deadline by deadline; before each step it waits until `sleepers`
    /// tasks sleep on the clock (every loop of the scheduler under test, or its jobs).
    func run(until target: Instant, sleepers: Int) async {
        while true {
            await waitForSleepers(sleepers)
            let woken = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
                guard let earliest = state.sleepers.map(\.deadline).min(), earliest <= target else {
                    if state.now < target { state.now = target }
                    return []
                }
                state.now = max(state.now, earliest)
                let now = state.now
                let due = state.sleepers.filter { $0.deadline <= now }
                state.sleepers.removeAll { $0.deadline <= now }
                return due.map(\.continuation)
            }
            if woken.isEmpty { return }
            for continuation in woken { continuation.resume() }
        }
    }

    /// Moves time by `duration` (see ``run(until:sleepers:)``).
    func run(for duration: Duration, sleepers: Int) async {
        await run(until: now.advanced(by: duration), sleepers: sleepers)
    }

    private static func readyWatchers(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        let count = state.sleepers.count
        let ready = state.watchers.filter { $0.count <= count }.map(\.continuation)
        state.watchers.removeAll { $0.count <= count }
        return ready
    }
}
