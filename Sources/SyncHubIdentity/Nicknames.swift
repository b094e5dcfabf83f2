/// Equivalent given names: nicknames, short forms and common spelling variants (Bob and Robert, Liz and Elizabeth,
/// Bill and William). A name may belong to several groups (Al: Albert, Alan, Alfred, Alexander).
public enum Nicknames {
    /// `formal: variants`, lower-case ASCII. Groups of one formal name and its nicknames and variants.
    static let table: [(String, String)] = [
        ("aaron", "ron ronnie erin"), ("abigail", "abby abbie gail"), ("abraham", "abe bram"),
        ("adam", "ad addy"), ("adelaide", "addie della heidi"), ("adrian", "ade adrien"),
        ("agnes", "aggie nessa"), ("albert", "al bert bertie"), ("alan", "al allan allen"),
        ("alexander", "al alex alec sandy xander lex alexandr"), ("alexandra", "alex alexa sandra sandy lexi allie"),
        ("alfred", "al alf alfie fred freddie"), ("alice", "allie ali alicia"), ("alison", "ali allie allison alyson"),
        ("amanda", "mandy manda"), ("amelia", "amy millie mel"), ("andrew", "andy drew andre"),
        ("angela", "angie angel"), ("anthony", "tony ant antony anton"), ("antonio", "tony toni"),
        ("arthur", "art artie"), ("augustus", "gus august augie"), ("barbara", "barb barbie babs bobbie"),
        ("benjamin", "ben benji benny"), ("bernard", "bernie barney"), ("beverly", "bev"),
        ("bradley", "brad"), ("brandon", "bran brandy"), ("bridget", "biddy bridgette brigid"),
        ("calvin", "cal"), ("cameron", "cam"), ("caroline", "carrie carol carolyn lina"),
        ("catherine", "cathy cate kate katie kathy cat katherine kathryn kat cathryn katy kit"),
        ("charles", "charlie chuck chas chaz"), ("charlotte", "charlie lottie char"),
        ("christian", "chris christy"), ("christina", "chris chrissy tina christy kristina kristine christine"),
        ("christopher", "chris kit topher cristopher kristopher"), ("clarence", "clare"), ("clifford", "cliff"),
        ("constance", "connie"), ("cornelius", "neil connie"), ("cynthia", "cindy cyndi"),
        ("daniel", "dan danny dani"), ("danielle", "dani elle"), ("david", "dave davey davy"),
        ("deborah", "deb debbie debra"), ("dennis", "denny"), ("dominic", "dom nick dominick"),
        ("donald", "don donnie donny"), ("dorothy", "dot dottie dolly dora"), ("douglas", "doug"),
        ("edward", "ed eddie ned ted teddy"), ("edwin", "ed eddie win"), ("eleanor", "ellie nell nora elle"),
        ("elizabeth", "liz lizzie beth betty betsy eliza liza libby lisa bess bessie elisabeth lizbeth ellie"),
        ("emily", "em emmy millie"), ("emma", "em emmy"), ("eric", "rick ricky erik"),
        ("eugene", "gene"), ("evelyn", "eve evie"), ("florence", "flo flossie"), ("frances", "fran frannie franny"),
        ("francis", "frank fran frankie"), ("francisco", "paco frank cisco pancho"), ("franklin", "frank frankie"),
        ("frederick", "fred freddie fritz rick frederic fredrick"), ("gabriel", "gabe gabby"),
        ("gabrielle", "gabby gabi brie"), ("geoffrey", "geoff jeff jeffrey"), ("gerald", "gerry jerry"),
        ("gertrude", "gertie trudy"), ("gilbert", "gil bert"), ("gregory", "greg"), ("harold", "hal harry"),
        ("harriet", "hattie"), ("helen", "nell ellie lena"), ("henry", "hank harry hal"),
        ("herbert", "herb bert"), ("howard", "howie"), ("isaac", "ike zack"), ("isabel", "izzy bella isabelle isabella belle"),
        ("jacob", "jake jack coby"), ("jacqueline", "jackie jacky jacquie"), ("james", "jim jimmy jamie jas jem"),
        ("janet", "jan jen"), ("jason", "jay jace"), ("jeffrey", "jeff geoff"), ("jennifer", "jen jenny jenn jenna"),
        ("jeremy", "jerry jeremiah"), ("jessica", "jess jessie"), ("joanna", "jo joanne joann"),
        ("john", "jack johnny jon jonny jonnie"), ("jonathan", "jon jonny nathan jonathon"),
        ("joseph", "joe joey jos"), ("josephine", "jo josie"), ("joshua", "josh"),
        ("judith", "judy jude"), ("julia", "julie jules"), ("katherine", "kate katie kathy kat kay kit"),
        ("kenneth", "ken kenny"), ("kathleen", "kathy kath kate katie kay"), ("linda", "lindy lin"), ("kimberly", "kim kimmy kimberley"), ("lawrence", "larry laurence lars"),
        ("leonard", "leo len lenny leon"), ("leslie", "les"), ("lillian", "lily lil lilly"),
        ("louis", "lou louie lewis"), ("louise", "lou lulu louisa"), ("lucas", "luke luc"),
        ("madeline", "maddie maddy madeleine madelyn"), ("margaret", "maggie meg peggy marge margie greta rita madge peg margo"),
        ("marilyn", "lynn"), ("martha", "marty mattie patty"), ("martin", "marty"), ("mary", "molly polly mae mamie"),
        ("matthew", "matt matty mat"), ("maureen", "mo"), ("maxwell", "max"), ("maximilian", "max"),
        ("melissa", "mel missy lisa"), ("michael", "mike mikey mick mickey mich"), ("michelle", "shelly micki"),
        ("mitchell", "mitch"), ("montgomery", "monty"), ("nathaniel", "nate nat nathan"), ("nicholas", "nick nicky nico nic"),
        ("nicole", "nikki nicky nic"), ("oliver", "ollie"), ("olivia", "liv livvy ollie"), ("pamela", "pam"),
        ("patricia", "pat patty trish tricia patsy"), ("patrick", "pat paddy rick"), ("peter", "pete"),
        ("philip", "phil pip phillip"), ("rachel", "rae shelly"), ("raymond", "ray"), ("rebecca", "becky becca reba"),
        ("reginald", "reggie reg"), ("richard", "rick dick rich richie ricky"), ("robert", "bob bobby rob robbie bert"),
        ("roberta", "bobbie robbie"), ("rodney", "rod"), ("ronald", "ron ronnie"), ("rosalind", "roz ros"),
        ("rosemary", "rose rosie"), ("russell", "russ rusty"), ("samantha", "sam sammy"), ("samuel", "sam sammy"),
        ("sandra", "sandy sandi"), ("sarah", "sara sally sadie"), ("sebastian", "seb bastian"), ("sharon", "shari"),
        ("sophia", "sophie"), ("stanley", "stan"), ("stephanie", "steph stephie"), ("stephen", "steve stevie steven"),
        ("steven", "steve stevie"), ("susan", "sue susie suzy suzanne"), ("suzanne", "sue suzy"),
        ("terence", "terry"), ("theodore", "ted teddy theo"), ("theresa", "terry tess tessa teresa tracy"),
        ("thomas", "tom tommy thom"), ("timothy", "tim timmy"), ("valerie", "val"), ("veronica", "ronnie vera"),
        ("victor", "vic"), ("victoria", "vicky tori vic"), ("vincent", "vince vinny"), ("virginia", "ginny ginger"),
        ("walter", "walt wally"), ("william", "bill billy will willie liam wil"), ("winifred", "winnie freda"),
        ("zachary", "zach zack zak"), ("dimitri", "dima dmitri dmitry"), ("aleksandr", "sasha sanya"),
        ("ekaterina", "katya katia"), ("yevgeny", "zhenya evgeny evgeni"), ("natalia", "natasha nata natalie"),
        ("mikhail", "misha"), ("ivan", "vanya"), ("johann", "hans johannes jan"), ("wolfgang", "wolf"),
        ("friedrich", "fritz"), ("guillermo", "memo"), ("roberto", "beto"), ("alejandro", "alex alejo"),
        ("jose", "pepe"), ("manuel", "manny manolo"), ("enrique", "kike"), ("giuseppe", "beppe pino"),
        ("giovanni", "gianni vanni"), ("francesca", "fran frankie"), ("pierre", "pierrot"), ("jacques", "jacquot"),
        ("guillaume", "guille"), ("henri", "riri"), ("sean", "shaun shawn"), ("shaun", "shawn"),
        ("allison", "allie ali"), ("ashley", "ash"), ("brittany", "britt"), ("courtney", "court"),
        ("dylan", "dillon"), ("geraldine", "gerry dina"), ("gwendolyn", "gwen wendy"), ("lindsay", "lindsey"),
        ("meredith", "merry"), ("priscilla", "cilla prissy"), ("tabitha", "tabby"), ("wendy", "gwendolyn"),
        ("zoe", "zoey"), ("kristen", "kristin kirsten kris"), ("kristopher", "kris"), ("christine", "chris tina"),
        ("marcus", "marc mark"), ("mark", "marc marcus"), ("jeffery", "jeff"), ("tobias", "toby"),
        ("ezekiel", "zeke"), ("elijah", "eli"), ("solomon", "sol"), ("cecilia", "cece cissy"),
        ("dominique", "dom"), ("frederica", "freddie"), ("penelope", "penny"), ("prudence", "prue"),
        ("rupert", "bert"), ("sylvester", "sly"), ("wilhelmina", "mina willa"), ("mohammed", "muhammad mohammad mohamed mo"),
        ("aleksander", "olek alek"), ("kazimierz", "kazik"), ("katarzyna", "kasia"), ("malgorzata", "gosia"),
        ("wojciech", "wojtek"), ("priya", "pri"), ("rajesh", "raj"), ("venkatesh", "venky"),
    ]

    /// Group ids by name (a name may belong to several groups).
    static let groups: [String: [UInt16]] = {
        var groups: [String: [UInt16]] = [:]
        for (index, (formal, variants)) in table.enumerated() {
            let id = UInt16(index + 1)
            for name in [formal] + variants.split(separator: " ").map(String.init) where !(groups[name]?.contains(id) ?? false) {
                groups[name, default: []].append(id)
            }
        }
        return groups
    }()

    /// The first letters of each group's names, by group id (an initial `L.` can stand for Elizabeth: Liz).
    static let groupInitials: [Set<UInt8>] = {
        var initials = [Set<UInt8>](repeating: [], count: table.count + 1)
        for (name, ids) in groups { for id in ids { initials[Int(id)].insert(name.utf8.first!) } }
        return initials
    }()

    /// Whether `initial` can abbreviate a name of the packed nickname groups (16 bits each).
    static func initial(_ initial: UInt8, abbreviates packedGroups: UInt64) -> Bool {
        var groups = packedGroups
        while groups != 0 {
            if groupInitials[Int(groups & 0xFFFF)].contains(initial) { return true }
            groups >>= 16
        }
        return false
    }

    /// The names of each group (formal name and variants, as bytes), by group id (index 0 unused).
    static let groupMembers: [[[UInt8]]] = {
        var members = [[[UInt8]]](repeating: [], count: table.count + 1)
        for (name, ids) in groups { for id in ids { members[Int(id)].append(Array(name.utf8)) } }
        return members.map { $0.sorted { $0.lexicographicallyPrecedes($1) } }
    }()

    /// Group ids by the hash of the name's bytes (lookups without building a `String`).
    static let groupsByHash: [UInt64: [UInt16]] = Dictionary(uniqueKeysWithValues: groups.map { (TextFolding.hash($0.key.utf8), $0.value) })

    /// The formal name of each group, by group id (index 0 unused).
    static let formalNames: [String] = [""] + table.map(\.0)

    /// Whether two normalized given names are the same name or nicknames of each other.
    public static func areEquivalent(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let ga = groups[a], let gb = groups[b] else { return false }
        return ga.contains { gb.contains($0) }
    }

    /// Names of the table by first letter, for finding the table name a misspelled name stands for.
    static let namesByInitial: [UInt8: [(String, [UInt8])]] = {
        var byInitial: [UInt8: [(String, [UInt8])]] = [:]
        for name in groups.keys.sorted() where name.utf8.count >= 3 { byInitial[name.utf8.first!, default: []].append((name, Array(name.utf8))) }
        return byInitial
    }()

    /// The nickname groups of `name`, or of the table name it is one typo away from (a letter changed, dropped,
    /// added, or two swapped; same first letter; both five letters or more): `Amgie` is Angie and `Dnald` Donald,
    /// while `Miller` is not taken for `Millie`, `Keith` for `Kit` nor `Brian` for `Bran`. When several names are one typo away, the first in
    /// alphabetical order wins.
    static func groups(ofNormalized name: [UInt8]) -> [UInt16]? {
        if let found = groupsByHash[TextFolding.hash(name)] { return found }
        guard name.count >= 5, let first = name.first, let candidates = namesByInitial[first] else { return nil }
        return name.withUnsafeBufferPointer { a -> [UInt16]? in
            for (candidate, bytes) in candidates where bytes.count >= 5 && abs(bytes.count - name.count) <= 1 {
                if bytes.withUnsafeBufferPointer({ StringSimilarity.withinOneEdit(a, $0) }) { return groups[candidate] }
            }
            return nil
        }
    }

    /// The formal name a normalized given name stands for (its first group), or the name itself.
    public static func canonical(_ name: String) -> String {
        guard let group = groups[name]?.first else { return name }
        return formalNames[Int(group)]
    }

    /// How many name pairs the table holds.
    public static var pairCount: Int { table.reduce(0) { $0 + $1.1.split(separator: " ").count } }
}
