import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Work split over the machine's cores, results in chunk order (so the output does not depend on scheduling).
enum Parallel {
    static let cores: Int = max(1, min(16, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))

    /// `body` over `0..<count` cut into contiguous ranges; results in range order.
    static func chunks<T>(_ count: Int, minimumChunk: Int = 4096, _ body: (Range<Int>) -> T) -> [T] {
        let chunkCount = count <= minimumChunk || cores == 1 ? 1 : min(cores * 4, (count + minimumChunk - 1) / minimumChunk)
        if chunkCount == 1 { return [body(0..<count)] }
        let size = (count + chunkCount - 1) / chunkCount
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: chunkCount)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedBox(body: body, results: results)
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                let range = min(count, chunk * size)..<min(count, (chunk + 1) * size)
                box.results[chunk] = range.isEmpty ? nil : box.body(range)
            }
        }
        return results.compactMap { $0 }
    }
}

/// Hands non-Sendable state to `concurrentPerform`: each chunk writes only its own slot and reads shared input.
private struct UncheckedBox<T>: @unchecked Sendable {
    let body: (Range<Int>) -> T
    let results: UnsafeMutableBufferPointer<T?>
}
