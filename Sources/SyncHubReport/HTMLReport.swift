public import Foundation

/// Renders a ``ReportPage`` as one self-contained HTML page: inline CSS and inline SVG, no script, no fonts or
/// images from the network. The same page always renders to the same bytes.
public enum HTMLReport {
    /// The page as an HTML document.
    public static func render(_ page: ReportPage) -> String {
        fatalError("not yet")
    }

    /// Writes the rendered page to `url`, created with mode 0600 (reports name people and owners), replacing any
    /// file there.
    public static func write(_ page: ReportPage, to url: URL) throws {
        fatalError("not yet")
    }
}
