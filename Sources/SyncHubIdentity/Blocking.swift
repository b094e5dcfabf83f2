/// Keys that put records likely to be the same person in the same block. Only pairs sharing a block are
/// compared, which keeps the work near-linear; each kind of key covers the errors the others miss.
enum BlockingKey: Int, CaseIterable, Sendable {
    /// Soundex of the first name and of the last name, in either order (swapped names).
    case names
    /// Soundex of the last name and the first letter of the first name.
    case lastSoundexFirstInitial
    /// The nickname-resolved first name and the first two letters of the last name.
    case firstLastPrefix
    case phone
    /// Postal code and the first two letters of the last name.
    case postalLastPrefix
    /// Postal code and the first two letters of the first name.
    case postalFirstPrefix
    /// Date of birth and the first letter of the last name; date of birth and the first letter of the first name.
    /// One namespace: a record with swapped names (`Smith John`) meets `John Smith` through the other kind. (Not so
    /// the postal keys: many people share a postal code (an office), and first and last names share their first two
    /// letters often enough that one namespace would multiply the pairs; few people share a date of birth.)
    case birthLastInitial
    case birthFirstInitial
    /// Local part of a personal email (job changes keep it: `jane.doe@old.com`, `jane.doe@new.com`).
    case emailLocal
    /// Company (its name without spaces, or its domain's first label: `bluepeaksoftware` either way) and the first
    /// two letters of the last name; company and the nickname-resolved first name.
    case companyLastPrefix
    case domainLastPrefix
    case companyFirst
    case domainFirst
    /// House number and postal code.
    case address
    /// Street (with its number) and date of birth: a moved or mistyped postal code and a misspelt name.
    case streetBirth
    /// For a record whose family name is a known given name (`Smith John`, names swapped): the company (or domain
    /// label) with that name resolved like a given name. It shares `companyFirst`'s namespace, so the swapped record
    /// meets `John Smith` of the same company: every other key combining a name and a field reads the names
    /// straight, and the `names` key alone (order-free) is over its cap for common names in a large store.
    case companySwapped
    /// The whole family name: records of a rare family name meet whatever else differs (a nickname, a mistyped
    /// first name, a new job), where the soundex and prefix keys above put them in one block with a common name
    /// (`Smythe` with `Smith`) that is over its cap.
    case surname
    /// The company (or domain label) and the `names` key: swapped names, and names mistyped both (`Jon Smyth` for
    /// `John Smith`), at one company.
    case companyNames
    /// A national, tax, membership or customer number: records of one person under names, addresses and dates that
    /// all differ.
    case personalID

    static let count = allCases.count

    /// A key of kinds in `namespace`, mixed with the namespace: equal keys of different namespaces never meet.
    @inline(__always) static func hash(_ key: UInt64, namespace: Int) -> UInt64 {
        TextFolding.mix(key ^ (UInt64(namespace + 1) &* 0xD6E8_FEB8_6659_FD93))
    }

    /// The largest block of this kind that is paired, for a configured `maxBlockSize`: keys that many unrelated
    /// people share (a common name, a big company, a local part like `john`) get smaller blocks.
    func cap(_ maxBlockSize: Int) -> Int {
        switch self {
        case .emailLocal: max(2, maxBlockSize / 5)
        case .names, .lastSoundexFirstInitial, .firstLastPrefix, .companyLastPrefix, .domainLastPrefix, .companyFirst, .domainFirst, .companySwapped,
            .surname, .companyNames:
            max(2, maxBlockSize * 2 / 5)
        default: maxBlockSize
        }
    }

    /// Keys of kinds that compare with each other share a namespace (a company name against a domain label).
    /// Namespaces are four bits, and 14 and 15 are the identity index's reference and email keys
    /// (`IdentityIndex.links`): `streetBirth` takes 10, which `domainLastPrefix` leaves free, and `surname` 7, which
    /// `birthFirstInitial` leaves free, and `companyNames` 12, which `domainFirst` leaves free. `personalID` shares
    /// `phone`'s: both are a number of the person, and a phone's digits never equal a personal id's hash.
    var namespace: Int {
        switch self {
        case .domainLastPrefix: BlockingKey.companyLastPrefix.rawValue
        case .domainFirst, .companySwapped: BlockingKey.companyFirst.rawValue
        case .birthFirstInitial: BlockingKey.birthLastInitial.rawValue
        case .streetBirth: BlockingKey.domainLastPrefix.rawValue
        case .surname: BlockingKey.birthFirstInitial.rawValue
        case .companyNames: BlockingKey.domainFirst.rawValue
        case .personalID: BlockingKey.phone.rawValue
        default: rawValue
        }
    }

    func key(_ f: RecordFeatures, arena: UnsafeBufferPointer<UInt8>) -> UInt64 {
        @inline(__always) func prefix(_ ref: TextRef, _ length: Int) -> UInt64 {
            guard ref.length >= UInt32(length) else { return ref.length == 0 ? 0 : prefix(ref, Int(ref.length)) }
            var value: UInt64 = 0xFF
            for i in 0..<length { value = value << 8 | UInt64(arena[Int(ref.offset) + i]) }
            return value
        }
        @inline(__always) func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
            guard a != 0, b != 0 else { return 0 }
            return TextFolding.mix(a &* 0x9E37_79B9_7F4A_7C15 ^ TextFolding.mix(b))
        }
        /// The company, or without one the company domain's label (`bluepeaksoftware` either way).
        @inline(__always) func companyOrDomain() -> UInt64 { f.companyCompact != 0 ? f.companyCompact : f.domainLabel }
        switch self {
        case .names:
            guard f.firstSoundex != 0, f.lastSoundex != 0 else { return 0 }
            let low = min(f.firstSoundex, f.lastSoundex), high = max(f.firstSoundex, f.lastSoundex)
            return UInt64(low) << 32 | UInt64(high)
        case .lastSoundexFirstInitial:
            return combine(UInt64(f.lastSoundex), prefix(f.firstText, 1))
        case .firstLastPrefix:
            return combine(f.canonicalFirst, prefix(f.lastText, 2))
        case .phone:
            return f.phone
        case .postalLastPrefix:
            return combine(f.postal, prefix(f.lastText, 2))
        case .postalFirstPrefix:
            return combine(f.postal, prefix(f.firstText, 2))
        case .birthLastInitial:
            return combine(UInt64(f.birthDate), prefix(f.lastText, 1))
        case .birthFirstInitial:
            return combine(UInt64(f.birthDate), prefix(f.firstText, 1))
        case .emailLocal:
            return f.emailLocal
        case .companyLastPrefix:
            return combine(f.companyCompact, prefix(f.lastText, 2))
        case .domainLastPrefix:
            return f.domainLabel == f.companyCompact ? 0 : combine(f.domainLabel, prefix(f.lastText, 2))
        case .companyFirst:
            return combine(f.companyCompact, f.canonicalFirst)
        case .domainFirst:
            return f.domainLabel == f.companyCompact ? 0 : combine(f.domainLabel, f.canonicalFirst)
        case .address:
            return combine(UInt64(f.houseNumber), f.postal)
        case .streetBirth:
            return combine(f.street, UInt64(f.birthDate))
        case .surname:
            return f.last
        case .companyNames:
            return combine(companyOrDomain(), BlockingKey.names.key(f, arena: arena))
        case .personalID:
            return f.personalID
        case .companySwapped:
            guard f.lastNicknames != 0 else { return 0 }
            let formal = Nicknames.formalNames[Int(f.lastNicknames & 0xFFFF)]
            return combine(companyOrDomain(), TextFolding.hash(formal.utf8, seed: FieldSeed.first))
        }
    }
}

/// Sorting and grouping of `(key, record)` entries packed in one `UInt64`: the key's hash in the high bits, the
/// record index in the low `indexBits`.
struct PackedEntries {
    let indexBits: Int
    var keyMask: UInt64 { ~UInt64(0) << UInt64(indexBits) }
    var indexMask: UInt64 { ~keyMask }

    init(recordCount: Int) {
        indexBits = max(16, UInt64(max(recordCount, 1)).bitWidth - UInt64(max(recordCount, 1)).leadingZeroBitCount)
    }

    /// `kind`'s `key` for `record`; never 0 for a present key. The low four bits of the key part hold the kind.
    @inline(__always) func pack(kind: Int, key: UInt64, record: Int) -> UInt64 {
        let hashed = BlockingKey.hash(key, namespace: kind)
        let kindBits = UInt64(kind & 0xF) << UInt64(indexBits)
        return (hashed & keyMask & ~(UInt64(0xF) << UInt64(indexBits))) | kindBits | UInt64(record)
    }

    @inline(__always) func kind(_ entry: UInt64) -> Int { Int((entry >> UInt64(indexBits)) & 0xF) }

    @inline(__always) func record(_ entry: UInt64) -> Int { Int(entry & indexMask) }
    @inline(__always) func key(_ entry: UInt64) -> UInt64 { entry & keyMask }

    /// LSD radix sort (11-bit digits).
    static func sort(_ values: inout [UInt64]) {
        let count = values.count
        guard count > 1 else { return }
        if count < 4096 { values.sort(); return }
        var buffer = [UInt64](repeating: 0, count: count)
        let radix = 11, buckets = 1 << radix, mask = UInt64(buckets - 1)
        var counts = [Int](repeating: 0, count: buckets)
        var shift: UInt64 = 0
        var inValues = true
        while shift < 64 {
            values.withUnsafeMutableBufferPointer { v in
                buffer.withUnsafeMutableBufferPointer { b in
                    let source = inValues ? v : b
                    let target = inValues ? b : v
                    for i in 0..<buckets { counts[i] = 0 }
                    var allSame = true
                    let firstDigit = (source[0] >> shift) & mask
                    for value in source {
                        let digit = Int((value >> shift) & mask)
                        counts[digit] += 1
                        if UInt64(digit) != firstDigit { allSame = false }
                    }
                    if allSame { return }
                    var total = 0
                    for i in 0..<buckets {
                        let c = counts[i]
                        counts[i] = total
                        total += c
                    }
                    for value in source {
                        let digit = Int((value >> shift) & mask)
                        target[counts[digit]] = value
                        counts[digit] += 1
                    }
                    inValues.toggle()
                }
            }
            shift += UInt64(radix)
        }
        if !inValues { values = buffer }
    }
}

/// The blocks: which records share a key, and which blocks each record is in (only blocks of 2 to
/// `maxBlockSize` records).
struct Blocks {
    /// Members of block b: `members[blockStart[b]..<blockStart[b+1]]`, ascending record indices.
    var blockStart: [Int32] = [0]
    var members: [Int32] = []
    /// Blocks of record r: `recordBlocks[recordStart[r]..<recordStart[r+1]]`.
    var recordStart: [Int32] = []
    var recordBlocks: [Int32] = []
    /// Blocks too large to pair, and the records they held.
    var skippedBlocks = 0
    var skippedMemberships = 0

    var blockCount: Int { blockStart.count - 1 }

    /// Blocks of `features`; with `focus`, only the blocks holding a focus record; keys in `skipping` (packed) are
    /// never paired (blocks over the cap in a whole store of which `features` are a subset).
    init(_ features: MatchFeatures, maxBlockSize: Int, focus: [Bool]?, skipping: Set<UInt64> = []) {
        let count = features.count
        let packing = PackedEntries(recordCount: count)
        let kinds = BlockingKey.allCases
        var entries: [UInt64] = features.arena.withUnsafeBufferPointer { arena in
            let parts = Parallel.chunks(count, minimumChunk: 16384) { range -> [UInt64] in
                var part: [UInt64] = []
                part.reserveCapacity(range.count * kinds.count)
                for index in range where features.records[index].active {
                    let record = features.records[index]
                    for kind in kinds {
                        let key = kind.key(record, arena: arena)
                        if key != 0 { part.append(packing.pack(kind: kind.namespace, key: key, record: index)) }
                    }
                }
                return part
            }
            return parts.count == 1 ? parts[0] : Array(parts.joined())
        }
        if let focus {
            var wanted = Set<UInt64>()
            for entry in entries where focus[packing.record(entry)] { wanted.insert(packing.key(entry)) }
            let filter = KeyFilter(wanted)
            entries.removeAll { !filter.contains(packing.key($0)) }
        }
        if !skipping.isEmpty { entries.removeAll { skipping.contains(packing.key($0)) } }
        PackedEntries.sort(&entries)
        var caps = [Int](repeating: maxBlockSize, count: 16)
        for kind in kinds { caps[kind.namespace] = kind.cap(maxBlockSize) }

        var start = 0
        while start < entries.count {
            let key = packing.key(entries[start])
            var end = start + 1
            while end < entries.count, packing.key(entries[end]) == key { end += 1 }
            let size = end - start
            if size > caps[packing.kind(entries[start])] {
                skippedBlocks += 1
                skippedMemberships += size
            } else if size >= 2 {
                var previous = -1
                for position in start..<end {
                    let record = packing.record(entries[position])
                    if record == previous { continue }  // a record with two keys hashing alike
                    members.append(Int32(record))
                    previous = record
                }
                if members.count - Int(blockStart[blockStart.count - 1]) >= 2 {
                    blockStart.append(Int32(members.count))
                } else {
                    members.removeLast(members.count - Int(blockStart[blockStart.count - 1]))
                }
            }
            start = end
        }
        // Record → blocks, by counting.
        recordStart = [Int32](repeating: 0, count: count + 1)
        for member in members { recordStart[Int(member) + 1] += 1 }
        for index in 0..<count { recordStart[index + 1] += recordStart[index] }
        recordBlocks = [Int32](repeating: 0, count: members.count)
        var cursor = recordStart
        for block in 0..<blockCount {
            for position in Int(blockStart[block])..<Int(blockStart[block + 1]) {
                let record = Int(members[position])
                recordBlocks[Int(cursor[record])] = Int32(block)
                cursor[record] += 1
            }
        }
    }

    /// Records sharing a block with `record` (excluding it), sorted and unique, into `output`; with `after`,
    /// only records of a higher index.
    func candidates(of record: Int, greaterOnly: Bool, into output: inout [Int32]) {
        output.removeAll(keepingCapacity: true)
        for slot in Int(recordStart[record])..<Int(recordStart[record + 1]) {
            let block = Int(recordBlocks[slot])
            for position in Int(blockStart[block])..<Int(blockStart[block + 1]) {
                let other = members[position]
                if greaterOnly ? Int(other) > record : Int(other) != record { output.append(other) }
            }
        }
        if output.count > 1 {
            output.sort()
            var write = 1
            for read in 1..<output.count where output[read] != output[write - 1] {
                output[write] = output[read]
                write += 1
            }
            output.removeLast(output.count - write)
        }
    }
}

/// Membership of a few keys among many lookups: a bitmap rejects most misses before the set is asked.
struct KeyFilter {
    private var bits: [UInt64]
    private let shift: UInt64
    private let keys: Set<UInt64>

    init(_ keys: Set<UInt64>) {
        self.keys = keys
        var width = 12
        while (1 << width) < keys.count * 32, width < 30 { width += 1 }
        shift = UInt64(64 - width)
        bits = [UInt64](repeating: 0, count: max(1, (1 << width) / 64))
        for key in keys {
            let slot = Int(TextFolding.mix(key) >> shift)
            bits[slot >> 6] |= 1 << UInt64(slot & 63)
        }
    }

    @inline(__always) func contains(_ key: UInt64) -> Bool {
        let slot = Int(TextFolding.mix(key) >> shift)
        guard bits[slot >> 6] & (1 << UInt64(slot & 63)) != 0 else { return false }
        return keys.contains(key)
    }
}

extension Blocks {
    /// Pairs each kind of key would make on its own (blocks over `maxBlockSize` skipped), for tuning.
    static func pairsByKind(_ features: MatchFeatures, maxBlockSize: Int) -> [(String, Int)] {
        features.arena.withUnsafeBufferPointer { arena in
            BlockingKey.allCases.map { kind in
                var sizes: [UInt64: Int] = [:]
                for record in features.records where record.active {
                    let key = kind.key(record, arena: arena)
                    if key != 0 { sizes[key, default: 0] += 1 }
                }
                let cap = kind.cap(maxBlockSize)
                return ("\(kind)", sizes.values.reduce(0) { $0 + ($1 <= cap ? $1 * ($1 - 1) / 2 : 0) })
            }
        }
    }
}
