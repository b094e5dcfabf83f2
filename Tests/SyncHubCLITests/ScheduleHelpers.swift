import Foundation

/// Reads a pipe line by line while the process writes it; each read blocks until data or end of file.
final class LineReader {
    let handle: FileHandle
    private var buffer = Data()
    /// Every line read so far.
    private(set) var lines: [String] = []

    init(_ pipe: Pipe) {
        handle = pipe.fileHandleForReading
    }

    /// Reads until a line satisfies `predicate` and returns it; `nil` at end of file.
    func next(where predicate: (String) -> Bool) -> String? {
        while true {
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = Data(buffer[(newline + 1)...])
                lines.append(line)
                if predicate(line) { return line }
            }
            let chunk = handle.availableData
            if chunk.isEmpty {
                if !buffer.isEmpty {
                    let line = String(decoding: buffer, as: UTF8.self)
                    buffer = Data()
                    lines.append(line)
                    if predicate(line) { return line }
                }
                return nil
            }
            buffer.append(chunk)
        }
    }

    /// Reads to end of file; returns every line read, from the start.
    func readToEnd() -> [String] {
        _ = next { _ in false }
        return lines
    }
}

/// A JSON log line as a dictionary, or `nil` if the line is not one JSON object.
func jsonLine(_ line: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
}

extension SampleWorkspace {
    /// Appends `text` to the workspace's connectors.yml.
    func appendToConfiguration(_ text: String) throws {
        let path = self.path + "/connectors.yml"
        let config = try String(contentsOfFile: path, encoding: .utf8)
        try (config + "\n" + text).write(toFile: path, atomically: true, encoding: .utf8)
    }

    func replaceInConfiguration(_ old: String, with new: String) throws {
        let path = self.path + "/connectors.yml"
        let config = try String(contentsOfFile: path, encoding: .utf8)
        try config.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
    }

    var storePath: String { path + "/synchub.sqlite" }
}

/// This machine's name, as the store's lock records it.
func currentHostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    gethostname(&buffer, buffer.count - 1)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
