/// Counts requests in a rolling window, in 100 slots so memory and time stay bounded however fast requests come.
struct HubSpotRollingCounter: Sendable {
    private static let slotCount = 100
    private var slots: [(index: Int64, count: Int)] = Array(repeating: (Int64.min, 0), count: slotCount)

    /// Requests counted in the window of `windowMs` ending at `nowMs`.
    func count(nowMs: Int64, windowMs: Int64) -> Int {
        let width = max(1, windowMs / Int64(Self.slotCount))
        let current = nowMs / width
        var total = 0
        for slot in slots where slot.index > current - Int64(Self.slotCount) && slot.index <= current {
            total += slot.count
        }
        return total
    }

    mutating func add(nowMs: Int64, windowMs: Int64) {
        let width = max(1, windowMs / Int64(Self.slotCount))
        let current = nowMs / width
        let position = Int(((current % Int64(Self.slotCount)) + Int64(Self.slotCount)) % Int64(Self.slotCount))
        if slots[position].index == current {
            slots[position].count += 1
        } else {
            slots[position] = (current, 1)
        }
    }
}

/// Per-token request counts against the burst, search and daily budgets.
///
/// Days are counted from `dayStartMs` (the simulation's start), not from midnight UTC: HubSpot resets the daily
/// count at midnight in the account's time zone, and a simulation that started at 23:59 must not see its count reset
/// a minute later.
struct HubSpotRateLedger: Sendable {
    let dayStartMs: Int64
    init(dayStartMs: Int64) { self.dayStartMs = dayStartMs }

    private var burst: [String: HubSpotRollingCounter] = [:]
    private var search: [String: HubSpotRollingCounter] = [:]
    private var daily: [String: (day: Int64, count: Int)] = [:]

    struct Admission {
        /// The policy that refused the request (`TEN_SECONDLY_ROLLING`, `SECONDLY`, `DAILY`), or nil.
        var refusedBy: String?
        var burstRemaining: Int
        var dailyRemaining: Int
    }

    /// Counts a request by `key` unless a budget is spent. Searches have their own per-second budget and do not
    /// use the burst budget (HubSpot exempts them from the ten-secondly limit).
    mutating func admit(key: String, isSearch: Bool, nowMs: Int64, budgets: HubSpotFaults.Budgets) -> Admission {
        let day = Int64((Double(nowMs - dayStartMs) / Double(HubSpotTime.dayMs)).rounded(.down))
        var used = daily[key].map { $0.day == day ? $0.count : 0 } ?? 0
        var burstCount = burst[key, default: HubSpotRollingCounter()].count(
            nowMs: nowMs, windowMs: budgets.burstIntervalMs)
        func admission(_ refusal: String?) -> Admission {
            Admission(
                refusedBy: refusal, burstRemaining: max(0, budgets.burstLimit - burstCount),
                dailyRemaining: max(0, budgets.dailyLimit - used))
        }
        if used >= budgets.dailyLimit { return admission("DAILY") }
        if isSearch {
            let searches = search[key, default: HubSpotRollingCounter()].count(nowMs: nowMs, windowMs: 1_000)
            if searches >= budgets.searchPerSecond { return admission("SECONDLY") }
            search[key, default: HubSpotRollingCounter()].add(nowMs: nowMs, windowMs: 1_000)
        } else {
            if burstCount >= budgets.burstLimit { return admission("TEN_SECONDLY_ROLLING") }
            burst[key, default: HubSpotRollingCounter()].add(nowMs: nowMs, windowMs: budgets.burstIntervalMs)
            burstCount += 1
        }
        used += 1
        daily[key] = (day, used)
        return admission(nil)
    }
}
