import Foundation

/// Reads elements and their attributes back out of rendered HTML, to check geometry without a browser.
struct RenderedElement {
    var name: String
    var attributes: [String: String]

    func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }

    /// Every start tag `<name …>` whose class list contains `cssClass`, in document order.
    static func all(_ name: String, withClass cssClass: String, in html: String) -> [RenderedElement] {
        var result: [RenderedElement] = []
        var rest = html[...]
        while let start = rest.range(of: "<\(name) ") {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            let attributes = parseAttributes(String(rest[start.upperBound..<end]))
            if (attributes["class"] ?? "").split(separator: " ").contains(Substring(cssClass)) {
                result.append(RenderedElement(name: name, attributes: attributes))
            }
            rest = rest[end...]
        }
        return result
    }

    private static func parseAttributes(_ text: String) -> [String: String] {
        var attributes: [String: String] = [:]
        var rest = text[...]
        while let equals = rest.firstIndex(of: "=") {
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces)
            let afterQuote = rest.index(equals, offsetBy: 2)
            guard afterQuote <= rest.endIndex, let close = rest[afterQuote...].firstIndex(of: "\"") else { break }
            attributes[key] = String(rest[afterQuote..<close])
            rest = rest[rest.index(after: close)...]
        }
        return attributes
    }
}

extension String {
    /// The number of times `needle` occurs.
    func occurrences(of needle: String) -> Int { components(separatedBy: needle).count - 1 }
}
