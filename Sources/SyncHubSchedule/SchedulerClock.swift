public import Foundation
import SyncHubCore

/// The clock the scheduler waits on, and what its instants are in calendar time (cron works on calendar time).
///
/// `ContinuousClock` is the real one; tests drive a manual clock so a day of schedules passes without sleeping.
public protocol SchedulerClock: Clock where Duration == Swift.Duration {
    /// The calendar time of `instant`.
    func date(of instant: Instant) -> Date
}

extension ContinuousClock: SchedulerClock {
    public func date(of instant: Instant) -> Date {
        Date().addingTimeInterval(DurationText.seconds(now.duration(to: instant)))
    }
}

extension SchedulerClock {
    /// The calendar time now.
    public var currentDate: Date { date(of: now) }

    /// The instant of calendar time `date` (rounded to the millisecond).
    public func instant(of date: Date) -> Instant {
        let current = now
        let milliseconds = Int64((date.timeIntervalSince(self.date(of: current)) * 1000).rounded())
        return current.advanced(by: .milliseconds(milliseconds))
    }
}
