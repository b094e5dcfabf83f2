/// Vocabularies of the labeled-people generator: common given names (with the nicknames people use), surnames by
/// frequency rank with a long tail of rarer ones, US cities, streets and company name parts. All fictional
/// combinations.
enum LabeledPeopleWords {
    /// Given names by rough frequency rank, and nicknames (some not in any matcher's table, as in real data).
    static let firstNames: [(String, [String])] = [
        ("James", ["Jim", "Jimmy", "Jamie"]), ("Mary", ["Molly"]), ("Robert", ["Bob", "Rob", "Bobby"]), ("Patricia", ["Pat", "Patty", "Trish"]),
        ("John", ["Jack", "Johnny"]), ("Jennifer", ["Jen", "Jenny"]), ("Michael", ["Mike", "Mikey"]), ("Linda", ["Lindy"]),
        ("David", ["Dave"]), ("Elizabeth", ["Liz", "Beth", "Betty", "Lizzie"]), ("William", ["Bill", "Will", "Billy", "Liam"]),
        ("Barbara", ["Barb"]), ("Richard", ["Rick", "Rich", "Dick"]), ("Susan", ["Sue", "Susie"]), ("Joseph", ["Joe", "Joey"]),
        ("Jessica", ["Jess"]), ("Thomas", ["Tom", "Tommy"]), ("Sarah", ["Sally"]), ("Christopher", ["Chris", "Kit"]),
        ("Karen", []), ("Charles", ["Charlie", "Chuck"]), ("Lisa", []), ("Daniel", ["Dan", "Danny"]), ("Nancy", []),
        ("Matthew", ["Matt"]), ("Betty", []), ("Anthony", ["Tony"]), ("Sandra", ["Sandy"]), ("Mark", []), ("Margaret", ["Maggie", "Peggy", "Meg"]),
        ("Donald", ["Don"]), ("Ashley", ["Ash"]), ("Steven", ["Steve"]), ("Kimberly", ["Kim"]), ("Andrew", ["Andy", "Drew"]),
        ("Emily", ["Em"]), ("Paul", []), ("Donna", []), ("Joshua", ["Josh"]), ("Michelle", ["Shelly"]), ("Kenneth", ["Ken", "Kenny"]),
        ("Carol", []), ("Kevin", []), ("Amanda", ["Mandy"]), ("Brian", []), ("Melissa", ["Mel", "Missy"]), ("George", []),
        ("Deborah", ["Deb", "Debbie"]), ("Timothy", ["Tim"]), ("Stephanie", ["Steph"]), ("Ronald", ["Ron"]), ("Rebecca", ["Becky", "Becca"]),
        ("Jason", []), ("Sharon", []), ("Edward", ["Ed", "Ted", "Eddie"]), ("Laura", []), ("Jeffrey", ["Jeff"]), ("Cynthia", ["Cindy"]),
        ("Ryan", []), ("Dorothy", ["Dot"]), ("Jacob", ["Jake"]), ("Amy", []), ("Nicholas", ["Nick"]), ("Kathleen", ["Kathy", "Kate"]),
        ("Gary", []), ("Angela", ["Angie"]), ("Eric", []), ("Shirley", []), ("Jonathan", ["Jon"]), ("Emma", []), ("Stephen", ["Steve"]),
        ("Brenda", []), ("Larry", []), ("Pamela", ["Pam"]), ("Justin", []), ("Nicole", ["Nikki"]), ("Scott", []), ("Anna", []),
        ("Brandon", []), ("Samantha", ["Sam"]), ("Benjamin", ["Ben"]), ("Katherine", ["Kate", "Katie", "Kathy"]), ("Samuel", ["Sam"]),
        ("Christine", ["Chris"]), ("Gregory", ["Greg"]), ("Debra", ["Deb"]), ("Alexander", ["Alex"]), ("Rachel", []),
        ("Patrick", ["Pat"]), ("Carolyn", []), ("Frank", []), ("Janet", []), ("Raymond", ["Ray"]), ("Catherine", ["Cathy", "Cate"]),
        ("Jack", []), ("Maria", []), ("Dennis", []), ("Heather", []), ("Jerry", []), ("Diane", []), ("Tyler", []), ("Olivia", ["Liv"]),
        ("Aaron", []), ("Julie", []), ("Jose", []), ("Joyce", []), ("Adam", []), ("Victoria", ["Vicky", "Tori"]), ("Nathan", ["Nate"]),
        ("Ruth", []), ("Henry", ["Hank"]), ("Virginia", ["Ginny"]), ("Zachary", ["Zach"]), ("Lauren", []), ("Douglas", ["Doug"]),
        ("Kelly", []), ("Peter", ["Pete"]), ("Christina", ["Tina", "Chris"]), ("Kyle", []), ("Joan", []), ("Noah", []),
        ("Evelyn", []), ("Ethan", []), ("Judith", ["Judy"]), ("Jeremy", []), ("Andrea", []), ("Walter", ["Walt"]), ("Hannah", []),
        ("Christian", []), ("Megan", []), ("Keith", []), ("Cheryl", []), ("Roger", []), ("Jacqueline", ["Jackie"]), ("Terry", []),
        ("Martha", []), ("Austin", []), ("Gloria", []), ("Sean", []), ("Teresa", ["Terry"]), ("Gerald", ["Gerry"]), ("Ann", []),
        ("Carl", []), ("Sara", []), ("Harold", ["Harry"]), ("Madison", []), ("Dylan", []), ("Frances", ["Fran"]), ("Arthur", ["Art"]),
        ("Kathryn", ["Kate"]), ("Lawrence", ["Larry"]), ("Janice", []), ("Jordan", []), ("Jean", []), ("Jesse", []), ("Abigail", ["Abby"]),
        ("Bryan", []), ("Alice", []), ("Billy", []), ("Judy", []), ("Bruce", []), ("Sophia", ["Sophie"]), ("Gabriel", ["Gabe"]),
        ("Grace", []), ("Joe", []), ("Denise", []), ("Logan", []), ("Amber", []), ("Albert", ["Al"]), ("Doris", []), ("Willie", []),
        ("Marilyn", []), ("Alan", ["Al"]), ("Danielle", []), ("Juan", []), ("Beverly", ["Bev"]), ("Wayne", []), ("Isabella", ["Bella"]),
        ("Elijah", []), ("Theresa", ["Tess"]), ("Randy", []), ("Diana", []), ("Roy", []), ("Natalie", []), ("Vincent", ["Vince"]),
        ("Brittany", []), ("Ralph", []), ("Charlotte", []), ("Eugene", ["Gene"]), ("Marie", []), ("Russell", ["Russ"]), ("Kayla", []),
        ("Bobby", []), ("Alexis", []), ("Mason", []), ("Lori", []), ("Philip", ["Phil"]), ("Priya", []), ("Wei", []), ("Mei", []),
        ("Hiroshi", []), ("Aisha", []), ("Fatima", []), ("Omar", []), ("Mohammed", []), ("Raj", []), ("Ananya", []), ("Yuki", []),
        ("Carlos", []), ("Diego", []), ("Lucía", []), ("José", []), ("Zoë", []), ("Renée", []), ("François", []), ("Jürgen", []),
        ("Søren", []), ("Siobhán", []), ("Björn", []), ("Chloé", []), ("Ingrid", []), ("Lukas", []), ("Mateo", []), ("Santiago", []),
    ]

    /// The most common surnames by rank (the rest of the population gets generated rarer names).
    static let commonSurnames: [String] = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
        "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
        "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
        "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
        "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
        "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
        "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
        "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes",
        "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham",
        "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson",
        "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens",
        "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen",
        "Freeman", "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter",
        "Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks",
        "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox",
        "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens",
        "Soto", "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins",
        "Arnold", "Pierce", "Vazquez", "Hansen", "Peters", "Santos", "Hart", "Bradley", "Knight", "Elliott",
        "Cunningham", "Duncan", "Armstrong", "Hudson", "Carroll", "Lane", "Riley", "Andrews", "Alvarado", "Ray",
        "Delgado", "Berry", "Perkins", "Hoffman", "Johnston", "Matthews", "Pena", "Richards", "Contreras", "Willis",
        "Carpenter", "Lawrence", "Sandoval", "Guerrero", "George", "Chapman", "Rios", "Estrada", "Ortega", "Watkins",
        "Greene", "Nunez", "Wheeler", "Valdez", "Harper", "Burke", "Larson", "Santiago", "Maldonado", "Morrison",
        "Franklin", "Carlson", "Austin", "Dominguez", "Carr", "Lawson", "Jacobs", "O'Brien", "Lynch", "Singh",
        "Vega", "Bishop", "Montgomery", "Oliver", "Jensen", "Harvey", "Williamson", "Gilbert", "Dean", "Sims",
        "Espinoza", "Howell", "Li", "Wong", "Reid", "Hanson", "Le", "McCoy", "Garrett", "Burton",
        "Fuller", "Wang", "Weber", "Welch", "Rojas", "Lucas", "Marquez", "Fields", "Park", "Yang",
        "Müller", "Schneider", "Fischer", "Dubois", "Lefèvre", "Rossi", "Kowalski", "Novak", "Tanaka", "Nakamura",
    ]

    /// Parts of generated surnames (a long tail of rarer names, as real populations have).
    static let surnameOnsets = [
        "Hal", "Ber", "Kra", "Mor", "Lind", "Wes", "Ash", "Dun", "Fair", "Gold", "Hart", "Kirk", "Lang", "Mac", "Stein",
        "Thorn", "Whit", "Brad", "Carl", "Dal", "Eck", "Fen", "Gar", "Hol", "Ing", "Jan", "Kell", "Lar", "Mal", "Nor",
        "Ost", "Pen", "Quin", "Ros", "Sel", "Tal", "Ulf", "Van", "Wil", "Yor", "Zim", "Bel", "Cor", "Dra", "Esk",
        "Fal", "Gre", "Hav", "Ives", "Jor", "Kas", "Lev", "Mer", "Nes", "Orm", "Pal", "Rad", "Sten", "Tor", "Vel",
        "Ald", "Bram", "Cald", "Dorn", "Elm", "Frost", "Grim", "Hund", "Isen", "Karl", "Lock", "Mott", "Nash", "Oak",
        "Prit", "Rook", "Shel", "Tren", "Upton", "Vorn", "Wex", "Yar", "Zell", "Blan", "Crom", "Dext", "Evers", "Fitz",
    ]
    static let surnameMiddles = ["", "", "", "", "a", "e", "i", "o", "en", "er", "in", "an", "ow", "el"]
    static let surnameCodas = [
        "berg", "son", "ley", "ford", "man", "well", "wood", "ski", "ton", "stein", "more", "field", "ham", "ridge",
        "er", "ing", "sen", "vich", "ez", "ini", "ova", "ard", "by", "croft", "dale", "hurst", "worth", "wick", "land",
        "mann", "quist", "strom", "holm", "ock", "ett", "ay", "ough", "ander", "ovic", "escu", "elli", "oni", "ado",
    ]

    /// US cities: name, state, first three digits of their ZIP codes, area code.
    static let cities: [(String, String, String, String)] = [
        ("New York", "NY", "100", "212"), ("Brooklyn", "NY", "112", "718"), ("Los Angeles", "CA", "900", "213"),
        ("Chicago", "IL", "606", "312"), ("Houston", "TX", "770", "713"), ("Phoenix", "AZ", "850", "602"),
        ("Philadelphia", "PA", "191", "215"), ("San Antonio", "TX", "782", "210"), ("San Diego", "CA", "921", "619"),
        ("Dallas", "TX", "752", "214"), ("San Jose", "CA", "951", "408"), ("Austin", "TX", "787", "512"),
        ("Jacksonville", "FL", "322", "904"), ("Fort Worth", "TX", "761", "817"), ("Columbus", "OH", "432", "614"),
        ("Charlotte", "NC", "282", "704"), ("San Francisco", "CA", "941", "415"), ("Indianapolis", "IN", "462", "317"),
        ("Seattle", "WA", "981", "206"), ("Denver", "CO", "802", "303"), ("Washington", "DC", "200", "202"),
        ("Boston", "MA", "021", "617"), ("El Paso", "TX", "799", "915"), ("Nashville", "TN", "372", "615"),
        ("Detroit", "MI", "482", "313"), ("Oklahoma City", "OK", "731", "405"), ("Portland", "OR", "972", "503"),
        ("Las Vegas", "NV", "891", "702"), ("Memphis", "TN", "381", "901"), ("Louisville", "KY", "402", "502"),
        ("Baltimore", "MD", "212", "410"), ("Milwaukee", "WI", "532", "414"), ("Albuquerque", "NM", "871", "505"),
        ("Tucson", "AZ", "857", "520"), ("Fresno", "CA", "937", "559"), ("Sacramento", "CA", "958", "916"),
        ("Kansas City", "MO", "641", "816"), ("Mesa", "AZ", "852", "480"), ("Atlanta", "GA", "303", "404"),
        ("Omaha", "NE", "681", "402"), ("Colorado Springs", "CO", "809", "719"), ("Raleigh", "NC", "276", "919"),
        ("Long Beach", "CA", "908", "562"), ("Virginia Beach", "VA", "234", "757"), ("Miami", "FL", "331", "305"),
        ("Oakland", "CA", "946", "510"), ("Minneapolis", "MN", "554", "612"), ("Tulsa", "OK", "741", "918"),
        ("Bakersfield", "CA", "933", "661"), ("Wichita", "KS", "672", "316"), ("Arlington", "TX", "760", "817"),
        ("Aurora", "CO", "800", "720"), ("Tampa", "FL", "336", "813"), ("New Orleans", "LA", "701", "504"),
        ("Cleveland", "OH", "441", "216"), ("Honolulu", "HI", "968", "808"), ("Anaheim", "CA", "928", "714"),
        ("Lexington", "KY", "405", "859"), ("Stockton", "CA", "952", "209"), ("Henderson", "NV", "890", "702"),
        ("Saint Paul", "MN", "551", "651"), ("St. Louis", "MO", "631", "314"), ("Cincinnati", "OH", "452", "513"),
        ("Pittsburgh", "PA", "152", "412"), ("Greensboro", "NC", "274", "336"), ("Anchorage", "AK", "995", "907"),
        ("Plano", "TX", "750", "972"), ("Lincoln", "NE", "685", "402"), ("Orlando", "FL", "328", "407"),
        ("Irvine", "CA", "926", "949"), ("Newark", "NJ", "071", "973"), ("Durham", "NC", "277", "919"),
        ("Chula Vista", "CA", "919", "619"), ("Toledo", "OH", "436", "419"), ("Fort Wayne", "IN", "468", "260"),
        ("St. Petersburg", "FL", "337", "727"), ("Laredo", "TX", "780", "956"), ("Jersey City", "NJ", "073", "201"),
        ("Chandler", "AZ", "852", "480"), ("Madison", "WI", "537", "608"), ("Lubbock", "TX", "794", "806"),
        ("Scottsdale", "AZ", "852", "480"), ("Reno", "NV", "895", "775"), ("Buffalo", "NY", "142", "716"),
        ("Gilbert", "AZ", "852", "480"), ("Glendale", "AZ", "853", "623"), ("North Las Vegas", "NV", "890", "702"),
        ("Winston-Salem", "NC", "271", "336"), ("Chesapeake", "VA", "233", "757"), ("Norfolk", "VA", "235", "757"),
        ("Fremont", "CA", "945", "510"), ("Garland", "TX", "750", "972"), ("Irving", "TX", "750", "972"),
        ("Hialeah", "FL", "330", "305"), ("Richmond", "VA", "232", "804"), ("Boise", "ID", "837", "208"),
        ("Spokane", "WA", "992", "509"), ("Baton Rouge", "LA", "708", "225"), ("Tacoma", "WA", "984", "253"),
        ("San Bernardino", "CA", "924", "909"), ("Modesto", "CA", "953", "209"), ("Fontana", "CA", "923", "909"),
        ("Des Moines", "IA", "503", "515"), ("Moreno Valley", "CA", "925", "951"), ("Santa Clarita", "CA", "913", "661"),
        ("Fayetteville", "NC", "283", "910"), ("Birmingham", "AL", "352", "205"), ("Oxnard", "CA", "930", "805"),
        ("Rochester", "NY", "146", "585"), ("Port St. Lucie", "FL", "349", "772"), ("Grand Rapids", "MI", "495", "616"),
        ("Huntsville", "AL", "358", "256"), ("Salt Lake City", "UT", "841", "801"), ("Frisco", "TX", "750", "469"),
        ("Yonkers", "NY", "107", "914"), ("Amarillo", "TX", "791", "806"), ("Glendale", "CA", "912", "818"),
        ("Huntington Beach", "CA", "926", "714"), ("McKinney", "TX", "750", "469"), ("Montgomery", "AL", "361", "334"),
        ("Augusta", "GA", "309", "706"), ("Aurora", "IL", "605", "630"), ("Akron", "OH", "443", "330"),
        ("Little Rock", "AR", "722", "501"), ("Tempe", "AZ", "852", "480"), ("Columbus", "GA", "319", "706"),
        ("Overland Park", "KS", "662", "913"), ("Grand Prairie", "TX", "750", "972"), ("Tallahassee", "FL", "323", "850"),
        ("Cape Coral", "FL", "339", "239"), ("Mobile", "AL", "366", "251"), ("Knoxville", "TN", "379", "865"),
        ("Shreveport", "LA", "711", "318"), ("Worcester", "MA", "016", "508"), ("Ontario", "CA", "917", "909"),
        ("Vancouver", "WA", "986", "360"), ("Sioux Falls", "SD", "571", "605"), ("Chattanooga", "TN", "374", "423"),
        ("Brownsville", "TX", "785", "956"), ("Fort Lauderdale", "FL", "333", "954"), ("Providence", "RI", "029", "401"),
        ("Newport News", "VA", "236", "757"), ("Rancho Cucamonga", "CA", "917", "909"), ("Santa Rosa", "CA", "954", "707"),
        ("Peoria", "AZ", "853", "623"), ("Oceanside", "CA", "920", "760"), ("Elk Grove", "CA", "956", "916"),
        ("Salem", "OR", "973", "503"), ("Pembroke Pines", "FL", "330", "954"), ("Eugene", "OR", "974", "541"),
        ("Garden Grove", "CA", "928", "714"), ("Cary", "NC", "275", "919"), ("Fort Collins", "CO", "805", "970"),
        ("Corona", "CA", "928", "951"), ("Springfield", "MO", "658", "417"), ("Jackson", "MS", "392", "601"),
        ("Alexandria", "VA", "223", "703"), ("Hayward", "CA", "945", "510"), ("Clarksville", "TN", "370", "931"),
        ("Lakewood", "CO", "802", "303"), ("Lancaster", "CA", "935", "661"), ("Salinas", "CA", "939", "831"),
        ("Palmdale", "CA", "935", "661"), ("Hollywood", "FL", "330", "954"), ("Springfield", "MA", "011", "413"),
        ("Macon", "GA", "312", "478"), ("Sunnyvale", "CA", "940", "408"), ("Pomona", "CA", "917", "909"),
        ("Killeen", "TX", "765", "254"), ("Escondido", "CA", "920", "760"), ("Pasadena", "TX", "775", "281"),
        ("Naperville", "IL", "605", "630"), ("Bellevue", "WA", "980", "425"), ("Joliet", "IL", "604", "815"),
        ("Murfreesboro", "TN", "371", "615"), ("Midland", "TX", "797", "432"), ("Rockford", "IL", "611", "815"),
        ("Paterson", "NJ", "075", "973"), ("Savannah", "GA", "314", "912"), ("Bridgeport", "CT", "066", "203"),
        ("Torrance", "CA", "905", "310"), ("McAllen", "TX", "785", "956"), ("Syracuse", "NY", "132", "315"),
        ("Surprise", "AZ", "853", "623"), ("Denton", "TX", "762", "940"), ("Roseville", "CA", "956", "916"),
        ("Thornton", "CO", "802", "303"), ("Miramar", "FL", "330", "954"), ("Pasadena", "CA", "911", "626"),
        ("Mesquite", "TX", "751", "972"), ("Olathe", "KS", "660", "913"), ("Dayton", "OH", "454", "937"),
        ("Carrollton", "TX", "750", "972"), ("Waco", "TX", "767", "254"), ("Orange", "CA", "928", "714"),
        ("Fullerton", "CA", "928", "714"), ("Charleston", "SC", "294", "843"), ("West Valley City", "UT", "841", "801"),
        ("Visalia", "CA", "932", "559"), ("Hampton", "VA", "236", "757"), ("Gainesville", "FL", "326", "352"),
        ("Warren", "MI", "480", "586"), ("Coral Springs", "FL", "330", "954"), ("Cedar Rapids", "IA", "524", "319"),
        ("Round Rock", "TX", "786", "512"), ("Sterling Heights", "MI", "483", "586"), ("Kent", "WA", "980", "253"),
        ("Columbia", "SC", "292", "803"), ("Santa Clara", "CA", "950", "408"), ("New Haven", "CT", "065", "203"),
        ("Stamford", "CT", "069", "203"), ("Concord", "CA", "945", "925"), ("Elizabeth", "NJ", "072", "908"),
        ("Athens", "GA", "306", "706"), ("Thousand Oaks", "CA", "913", "805"), ("Lafayette", "LA", "705", "337"),
        ("Simi Valley", "CA", "930", "805"), ("Topeka", "KS", "666", "785"), ("Norman", "OK", "730", "405"),
        ("Fargo", "ND", "581", "701"), ("Wilmington", "NC", "284", "910"), ("Abilene", "TX", "796", "325"),
        ("Odessa", "TX", "797", "432"), ("Columbia", "MO", "652", "573"), ("Pearland", "TX", "775", "281"),
        ("Victorville", "CA", "923", "760"), ("Hartford", "CT", "061", "860"), ("Vallejo", "CA", "945", "707"),
        ("Allentown", "PA", "181", "610"), ("Berkeley", "CA", "947", "510"), ("Richardson", "TX", "750", "972"),
        ("Arvada", "CO", "800", "303"), ("Ann Arbor", "MI", "481", "734"), ("Rochester", "MN", "559", "507"),
        ("Cambridge", "MA", "021", "617"), ("Sugar Land", "TX", "774", "281"), ("Lansing", "MI", "489", "517"),
        ("Evansville", "IN", "477", "812"), ("College Station", "TX", "778", "979"), ("Fairfield", "CA", "945", "707"),
        ("Clearwater", "FL", "337", "727"), ("Beaumont", "TX", "777", "409"), ("Independence", "MO", "640", "816"),
        ("Provo", "UT", "846", "801"), ("West Jordan", "UT", "840", "801"), ("Murrieta", "CA", "925", "951"),
        ("Palm Bay", "FL", "329", "321"), ("El Monte", "CA", "917", "626"), ("Carlsbad", "CA", "920", "760"),
        ("Charleston", "WV", "253", "304"), ("Temecula", "CA", "925", "951"), ("Costa Mesa", "CA", "926", "714"),
        ("Miami Gardens", "FL", "330", "305"), ("Manchester", "NH", "031", "603"), ("Burlington", "VT", "054", "802"),
        ("Portland", "ME", "041", "207"), ("Wilmington", "DE", "198", "302"), ("Billings", "MT", "591", "406"),
        ("Cheyenne", "WY", "820", "307"), ("Boulder", "CO", "803", "303"), ("Santa Fe", "NM", "875", "505"),
    ]

    static let streetNames = [
        "Maple", "Oak", "Market", "Harbor", "Elm", "Cedar", "Park", "Mill", "Lakeview", "Commerce", "Innovation", "Main",
        "Pine", "Washington", "River", "Industrial", "Hillcrest", "Sunset", "Walnut", "Chestnut", "Spruce", "Willow",
        "Birch", "Highland", "Meadow", "Forest", "Church", "School", "Spring", "Ridge", "Valley", "Lincoln", "Jefferson",
        "Madison", "Franklin", "Jackson", "Adams", "Monroe", "Wilson", "Center", "Union", "Liberty", "Prospect",
        "Grove", "Summit", "Broad", "Front", "Water", "Bridge", "Railroad", "Academy", "Orchard", "Dogwood", "Magnolia",
        "Sycamore", "Hickory", "Poplar", "Laurel", "Holly", "Juniper", "Aspen", "Sequoia", "Redwood", "Cypress",
        "Colonial", "Heritage", "Pleasant", "Fairview", "Bay", "Lake", "Hill", "Creek", "Brook", "Glen", "Canyon",
        "Mesa", "Vista", "Ocean", "Beach", "Shore", "Harbour", "Pier", "Dock", "Mountain", "Sierra", "Prairie",
        "Cherry", "Peach", "Apple", "Plum", "Rose", "Lilac", "Tulip", "Daisy", "Violet", "Ivy", "Fern", "Moss",
        "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
        "Kings", "Queens", "Princeton", "Yale", "Harvard", "Stanford", "Cambridge", "Oxford", "Windsor", "Kensington",
        "Albany", "Boston", "Denver", "Austin", "Dakota", "Cherokee", "Mohawk", "Seneca", "Shawnee", "Apache",
    ]
    /// Street types, long and USPS short forms.
    static let streetTypes: [(String, String)] = [
        ("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("Boulevard", "Blvd"), ("Drive", "Dr"), ("Lane", "Ln"),
        ("Court", "Ct"), ("Place", "Pl"), ("Way", "Way"), ("Parkway", "Pkwy"), ("Terrace", "Ter"), ("Circle", "Cir"),
    ]
    static let directions: [(String, String)] = [("North", "N"), ("South", "S"), ("East", "E"), ("West", "W")]

    /// Company name parts: made-up brand syllables, industry words, legal forms.
    static let brandStarts = [
        "Blue", "Bright", "Clear", "Silver", "Iron", "North", "Summit", "Crest", "Nova", "Terra", "Apex", "Vertex",
        "Cobalt", "Amber", "Cedar", "Falcon", "Harbor", "Quantum", "Stellar", "Vivid", "Zen", "Atlas", "Pioneer", "Evergreen",
        "Granite", "Lumen", "Orbit", "Prism", "Radiant", "Sable", "Titan", "Urban", "Velvet", "Willow", "Zephyr", "Aero",
        "Bold", "Core", "Delta", "Echo", "Flux", "Golden", "Hyper", "Indigo", "Jade", "Keystone", "Lunar", "Metro",
    ]
    static let brandEnds = [
        "peak", "wave", "stone", "field", "bridge", "point", "line", "works", "path", "gate", "forge", "leaf", "port",
        "sight", "scale", "shift", "spark", "stack", "view", "wind", "grid", "loop", "mark", "nest", "ridge", "sphere",
        "craft", "flow", "hub", "lab", "logic", "mind", "net", "pulse", "river", "soft", "tide", "vault", "yard", "zone",
    ]
    static let industries = [
        "Software", "Analytics", "Systems", "Labs", "Health", "Logistics", "Energy", "Media", "Partners", "Consulting",
        "Capital", "Robotics", "Foods", "Retail", "Security", "Networks", "Bio", "Materials", "Design", "Solutions",
    ]
    static let legalForms = ["Inc.", "Inc", "LLC", "L.L.C.", "Ltd", "Corp.", "Corporation", "Co.", "", "", "", ""]
    static let topLevelDomains = ["com", "com", "com", "io", "co", "net", "ai"]
    static let freeMail = ["gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com"]
    static let roleLocalParts = ["info", "sales", "contact", "hello", "office", "team", "marketing", "admin"]
    static let titles = [
        "VP of Marketing", "Marketing Manager", "Director of Sales", "Account Executive", "Software Engineer", "CFO",
        "Operations Manager", "Product Manager", "Head of Growth", "Founder", "CTO", "Sales Development Rep",
    ]

    /// Neighbors of each letter on a QWERTY keyboard, for typos.
    static let keyboardNeighbors: [Character: String] = [
        "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc", "g": "ftyhbv", "h": "gyujnb",
        "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop", "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol",
        "q": "wa", "r": "edft", "s": "awedxz", "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc",
        "y": "tghu", "z": "asx",
    ]
}
