/// SplitMix64: a small, fast generator whose numbers depend only on its seed, on every platform.
///
/// Every entity (a company, a person, a campaign) gets its own generator from the run's seed, a stream and its index,
/// so what one entity draws never shifts what another gets.
struct SampleRandom {
    private var state: UInt64

    /// The independent streams of numbers one run draws from.
    enum Stream: UInt64 {
        case campaigns = 1
        case company, person, touches, deals, accounts, activities, lifecycle
    }

    init(seed: UInt64) { state = seed }

    init(seed: UInt64, stream: Stream, index: Int) {
        let key = Self.mix(stream.rawValue &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: index))
        state = Self.mix(seed ^ key)
    }

    /// The SplitMix64 finalizer: a bijective scramble of 64 bits.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A number in `0..<count` (multiply-shift; the bias is far below anything a sample can show).
    mutating func below(_ count: Int) -> Int {
        precondition(count > 0)
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(count)).high)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    mutating func int64(_ range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(range.upperBound - range.lowerBound) &+ 1
        if span == 0 { return Int64(bitPattern: next()) }
        return range.lowerBound + Int64(next().multipliedFullWidth(by: span).high)
    }

    /// `true` with probability `permille / 1000`.
    mutating func chance(_ permille: Int) -> Bool { below(1000) < permille }

    mutating func pick<Element>(_ elements: [Element]) -> Element { elements[below(elements.count)] }

    /// An index of `weights`, each drawn in proportion to its weight.
    mutating func weighted(_ weights: [Int]) -> Int {
        var roll = below(weights.reduce(0, +))
        for (index, weight) in weights.enumerated() {
            if roll < weight { return index }
            roll -= weight
        }
        return weights.count - 1
    }
}
