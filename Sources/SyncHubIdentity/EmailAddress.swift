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
        var output: [UInt8] = []
        guard normalize(raw, into: &output) != nil else { return nil }
        return String(decoding: output, as: UTF8.self)
    }

    /// Provider rules by the hash of their domain, for byte-level normalization.
    static let providersByHash: [UInt64: ProviderRule] = Dictionary(uniqueKeysWithValues: providers.map { (TextFolding.hash($0.key.utf8), $0.value) })
    static let freeMailHashes: Set<UInt64> = Set(freeMailDomains.map { TextFolding.hash($0.utf8) })
    static let roleHashes: Set<UInt64> = Set(roleLocalParts.map { TextFolding.hash($0.utf8) })

    /// Writes the mailbox key of `raw` to `output` (replacing its contents) and returns the offset of its `@`;
    /// `nil` (and `output` undefined) when `raw` is not a plausible address.
    static func normalize(_ raw: String, into output: inout [UInt8]) -> Int? {
        output.removeAll(keepingCapacity: true)
        var raw = raw
        return raw.withUTF8 { bytes -> Int? in
            var end = bytes.count
            while end > 0, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D || bytes[end - 1] == UInt8(ascii: ">") { end -= 1 }
            var start = 0
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 || bytes[start] == 0x0A || bytes[start] == 0x0D || bytes[start] == UInt8(ascii: "<") { start += 1 }
            guard start < end else { return nil }
            var at = -1
            for index in start..<end {
                var byte = bytes[index]
                if byte == UInt8(ascii: "@") {
                    if at >= 0 { return nil }
                    at = index - start
                } else if byte <= 0x20 || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") {
                    return nil
                } else if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                    byte += 32
                }
                output.append(byte)
            }
            let count = output.count
            guard at > 0, at < count - 1 else { return nil }
            // The domain: a dot after its first byte and before its last, no leading dot.
            var lastDot = -1
            for index in (at + 1)..<count where output[index] == UInt8(ascii: ".") { lastDot = index }
            guard lastDot > at + 1, lastDot < count - 1, output[at + 1] != UInt8(ascii: ".") else { return nil }
            let domainHash = TextFolding.hash(output[(at + 1)...])
            guard let rule = providersByHash[domainHash] else { return at }
            var local = Array(output[..<at])
            if rule.ignoresPlusTags, let plus = local.firstIndex(of: UInt8(ascii: "+")) { local.removeSubrange(plus...) }
            if rule.ignoresDots { local.removeAll { $0 == UInt8(ascii: ".") } }
            guard !local.isEmpty else { return nil }
            let domain: [UInt8] = rule.canonicalDomain.map { Array($0.utf8) } ?? Array(output[(at + 1)...])
            output = local + [UInt8(ascii: "@")] + domain
            return local.count
        }
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
