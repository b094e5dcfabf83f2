/// Email normalization for identity: one spelling per mailbox.
public enum EmailAddress {
    /// How a mail provider treats variations of the local part.
    struct ProviderRule {
        /// `j.doe` and `jdoe` reach the same mailbox.
        var ignoresDots: Bool
        /// `jdoe+news` reaches `jdoe`.
        var ignoresPlusTags: Bool
        /// The canonical domain (`googlemail.com` is `gmail.com`).
        var canonicalDomain: String?
    }

    static let providers: [String: ProviderRule] = [
        "gmail.com": ProviderRule(ignoresDots: true, ignoresPlusTags: true, canonicalDomain: nil),
        "googlemail.com": ProviderRule(ignoresDots: true, ignoresPlusTags: true, canonicalDomain: "gmail.com"),
        "outlook.com": ProviderRule(ignoresDots: false, ignoresPlusTags: true, canonicalDomain: nil),
        "hotmail.com": ProviderRule(ignoresDots: false, ignoresPlusTags: true, canonicalDomain: nil),
        "live.com": ProviderRule(ignoresDots: false, ignoresPlusTags: true, canonicalDomain: nil),
        "icloud.com": ProviderRule(ignoresDots: false, ignoresPlusTags: true, canonicalDomain: nil),
        "me.com": ProviderRule(ignoresDots: false, ignoresPlusTags: true, canonicalDomain: nil),
        "fastmail.com": ProviderRule(ignoresDots: false, ignoresPlusTags: true, canonicalDomain: nil),
        "protonmail.com": ProviderRule(ignoresDots: false, ignoresPlusTags: true, canonicalDomain: nil),
        "proton.me": ProviderRule(ignoresDots: false, ignoresPlusTags: true, canonicalDomain: nil),
    ]

    /// Local parts that name a role or shared inbox rather than a person; never identity evidence.
    public static let roleLocalParts: Set<String> = [
        "info", "sales", "admin", "contact", "hello", "support", "office", "team", "marketing", "billing", "accounts",
        "enquiries", "inquiries", "noreply", "no-reply", "help", "hr", "jobs", "careers", "webmaster", "postmaster",
    ]

    /// Free mail providers: their domains say nothing about a person's company.
    public static let freeMailDomains: Set<String> = [
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "hotmail.com", "outlook.com", "live.com", "aol.com",
        "icloud.com", "me.com", "mail.com", "gmx.de", "gmx.net", "web.de", "protonmail.com", "proton.me", "fastmail.com",
        "yandex.ru", "zoho.com", "msn.com", "hotmail.co.uk", "orange.fr", "free.fr", "t-online.de",
    ]

    /// The mailbox key of `raw`: trimmed and lower-cased, with dots and `+tags` folded for providers that ignore
    /// them. `nil` when `raw` is not a plausible address.
    public static func normalize(_ raw: String) -> String? {
        var bytes = Array(raw.utf8)
        // Trim ASCII whitespace and the angle brackets of "Name <a@b>" forms.
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0A || last == 0x0D || last == UInt8(ascii: ">") { bytes.removeLast() }
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 || bytes[start] == 0x0A || bytes[start] == 0x0D || bytes[start] == UInt8(ascii: "<") { start += 1 }
        guard start < bytes.count else { return nil }
        var at = -1
        for index in start..<bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "@") {
                if at >= 0 { return nil }
                at = index
            } else if byte <= 0x20 || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") {
                return nil
            } else if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                bytes[index] = byte + 32
            }
        }
        guard at > start, at < bytes.count - 1 else { return nil }
        let domainBytes = bytes[(at + 1)...]
        guard let dot = domainBytes.lastIndex(of: UInt8(ascii: ".")), dot > at + 1, dot < bytes.count - 1,
            domainBytes.first != UInt8(ascii: "."), !domainBytes.contains(where: { $0 == UInt8(ascii: "@") })
        else { return nil }
        var local = Array(bytes[start..<at])
        var domain = String(decoding: domainBytes, as: UTF8.self)
        if let rule = providers[domain] {
            if rule.ignoresPlusTags, let plus = local.firstIndex(of: UInt8(ascii: "+")) { local.removeSubrange(plus...) }
            if rule.ignoresDots { local.removeAll { $0 == UInt8(ascii: ".") } }
            if let canonical = rule.canonicalDomain { domain = canonical }
            guard !local.isEmpty else { return nil }
        }
        return String(decoding: local, as: UTF8.self) + "@" + domain
    }

    /// Whether a normalized address names a role or shared inbox (`info@`, `sales@`).
    public static func isRoleAddress(_ normalized: String) -> Bool {
        guard let at = normalized.firstIndex(of: "@") else { return false }
        return roleLocalParts.contains(String(normalized[..<at]))
    }

    /// The domain of a normalized address.
    public static func domain(of normalized: String) -> String? {
        guard let at = normalized.firstIndex(of: "@") else { return nil }
        return String(normalized[normalized.index(after: at)...])
    }
}
