/// The fixed vocabularies the sample company is drawn from. Every name here is generic; combinations are fictional.
enum SampleWords {
    /// A given name as written, its ASCII form for email addresses, and the nickname people also go by.
    struct FirstName {
        var name: String
        var ascii: String
        var nickname: String?

        /// The name typed on a keyboard without accents ("Jose" for "José").
        var plain: String { ascii.prefix(1).uppercased() + ascii.dropFirst() }
    }

    static let firstNames: [FirstName] = [
        .init(name: "Robert", ascii: "robert", nickname: "Bob"),
        .init(name: "Elizabeth", ascii: "elizabeth", nickname: "Liz"),
        .init(name: "William", ascii: "william", nickname: "Bill"),
        .init(name: "Katherine", ascii: "katherine", nickname: "Kate"),
        .init(name: "Michael", ascii: "michael", nickname: "Mike"),
        .init(name: "James", ascii: "james", nickname: "Jim"),
        .init(name: "Jennifer", ascii: "jennifer", nickname: "Jen"),
        .init(name: "Richard", ascii: "richard", nickname: "Rick"),
        .init(name: "Thomas", ascii: "thomas", nickname: "Tom"),
        .init(name: "Christopher", ascii: "christopher", nickname: "Chris"),
        .init(name: "Margaret", ascii: "margaret", nickname: "Maggie"),
        .init(name: "Daniel", ascii: "daniel", nickname: "Dan"),
        .init(name: "Joseph", ascii: "joseph", nickname: "Joe"),
        .init(name: "Patricia", ascii: "patricia", nickname: "Patty"),
        .init(name: "Susan", ascii: "susan", nickname: "Sue"),
        .init(name: "Anthony", ascii: "anthony", nickname: "Tony"),
        .init(name: "Matthew", ascii: "matthew", nickname: "Matt"),
        .init(name: "Jonathan", ascii: "jonathan", nickname: "Jon"),
        .init(name: "Rebecca", ascii: "rebecca", nickname: "Becky"),
        .init(name: "Samantha", ascii: "samantha", nickname: "Sam"),
        .init(name: "Alexander", ascii: "alexander", nickname: "Alex"),
        .init(name: "Victoria", ascii: "victoria", nickname: "Vicky"),
        .init(name: "Nicholas", ascii: "nicholas", nickname: "Nick"),
        .init(name: "Steven", ascii: "steven", nickname: "Steve"),
        .init(name: "Andrew", ascii: "andrew", nickname: "Andy"),
        .init(name: "Benjamin", ascii: "benjamin", nickname: "Ben"),
        .init(name: "Deborah", ascii: "deborah", nickname: "Debbie"),
        .init(name: "Edward", ascii: "edward", nickname: "Ed"),
        .init(name: "Kimberly", ascii: "kimberly", nickname: "Kim"),
        .init(name: "Timothy", ascii: "timothy", nickname: "Tim"),
        .init(name: "Jane", ascii: "jane"),
        .init(name: "Laura", ascii: "laura"),
        .init(name: "Olivia", ascii: "olivia"),
        .init(name: "Emma", ascii: "emma"),
        .init(name: "Sophia", ascii: "sophia"),
        .init(name: "Grace", ascii: "grace"),
        .init(name: "Chloe", ascii: "chloe"),
        .init(name: "Nora", ascii: "nora"),
        .init(name: "Hannah", ascii: "hannah"),
        .init(name: "Aisha", ascii: "aisha"),
        .init(name: "Priya", ascii: "priya"),
        .init(name: "Mei", ascii: "mei"),
        .init(name: "Wei", ascii: "wei"),
        .init(name: "Hiroshi", ascii: "hiroshi"),
        .init(name: "Carlos", ascii: "carlos"),
        .init(name: "Diego", ascii: "diego"),
        .init(name: "Lucas", ascii: "lucas"),
        .init(name: "Noah", ascii: "noah"),
        .init(name: "Ethan", ascii: "ethan"),
        .init(name: "Omar", ascii: "omar"),
        .init(name: "Fatima", ascii: "fatima"),
        .init(name: "Ingrid", ascii: "ingrid"),
        .init(name: "Lukas", ascii: "lukas"),
        .init(name: "Marie", ascii: "marie"),
        .init(name: "Camille", ascii: "camille"),
        .init(name: "José", ascii: "jose"),
        .init(name: "Zoë", ascii: "zoe"),
        .init(name: "Renée", ascii: "renee"),
        .init(name: "François", ascii: "francois"),
        .init(name: "Jürgen", ascii: "juergen"),
        .init(name: "Søren", ascii: "soren"),
        .init(name: "Siobhán", ascii: "siobhan"),
    ]

    /// A family name as written, its ASCII form for email addresses, and how people type it without care.
    struct LastName {
        var name: String
        var ascii: String
        var plain: String

        init(name: String, ascii: String, plain: String? = nil) {
            self.name = name
            self.ascii = ascii
            self.plain = plain ?? name
        }
    }

    static let lastNames: [LastName] =
        [
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
            "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
            "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker",
            "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards",
            "Collins", "Stewart", "Morris", "Rogers", "Reed", "Cook", "Morgan", "Bell", "Murphy", "Bailey",
            "Cooper", "Richardson", "Cox", "Howard", "Ward", "Peterson", "Gray", "Watson", "Brooks", "Kelly",
            "Sanders", "Price", "Bennett", "Wood", "Barnes", "Ross", "Henderson", "Coleman", "Jenkins", "Perry",
            "Powell", "Long", "Patterson", "Hughes", "Flores", "Washington", "Butler", "Simmons", "Foster", "Bryant",
            "Nguyen", "Patel", "Kim", "Chen", "Wang", "Singh", "Khan", "Tanaka", "Kowalski", "Novak",
            "Schmidt", "Schneider", "Fischer", "Weber", "Dubois", "Moreau", "Laurent", "Rossi", "Jensen", "Larsen",
        ].map { LastName(name: $0, ascii: $0.lowercased()) } + [
            LastName(name: "O'Brien", ascii: "obrien", plain: "O\u{2019}Brien"),
            LastName(name: "García", ascii: "garcia", plain: "Garcia"),
            LastName(name: "Müller", ascii: "mueller", plain: "Mueller"),
            LastName(name: "van der Berg", ascii: "vanderberg", plain: "Van der Berg"),
            LastName(name: "Smith-Jones", ascii: "smithjones", plain: "Smith Jones"),
            LastName(name: "Hernández", ascii: "hernandez", plain: "Hernandez"),
            LastName(name: "Lefèvre", ascii: "lefevre", plain: "Lefevre"),
            LastName(name: "MacLeod", ascii: "macleod", plain: "Macleod"),
        ]

    /// First words of company names.
    static let companyPrefixes = [
        "Northwind", "Bluepeak", "Ironbridge", "Silverline", "Clearwater", "Redwood", "Brightfield", "Stonegate",
        "Harborview", "Lakeshore", "Summitry", "Evergreen", "Granite", "Copperleaf", "Oakridge", "Pinecrest",
        "Riverbend", "Sunrise", "Westbrook", "Eastgate", "Highland", "Maplewood", "Foxglove", "Cedarline",
        "Falconry", "Meridian", "Aurora", "Beacon", "Crescent", "Driftwood", "Emberly", "Fairhaven",
        "Goldcrest", "Hollowbrook", "Juniper", "Kestrel", "Larkspur", "Moonstone", "Nimbus", "Orchard",
        "Palisade", "Quarry", "Ravenwood", "Saltmarsh", "Tidewater", "Umberfield", "Vantage", "Willowmere",
        "Yarrow", "Zephyr", "Alderbank", "Birchway", "Cobalt", "Dunmore", "Elmstead", "Fernhill",
        "Glenrock", "Heronsgate", "Indigo", "Jasperton", "Kingsford", "Lumenar", "Marlow", "Nettlebed",
    ]

    /// Second words of company names, with the industry they suggest.
    static let companyCores: [(word: String, industry: String)] = [
        ("Analytics", "Software"), ("Logistics", "Transportation"), ("Software", "Software"),
        ("Systems", "Technology"), ("Robotics", "Manufacturing"), ("Health", "Healthcare"),
        ("Biotech", "Biotechnology"), ("Capital", "Financial Services"), ("Foods", "Food & Beverage"),
        ("Energy", "Energy"), ("Networks", "Telecommunications"), ("Labs", "Technology"),
        ("Dynamics", "Manufacturing"), ("Media", "Media"), ("Consulting", "Professional Services"),
        ("Manufacturing", "Manufacturing"), ("Freight", "Transportation"), ("Retail", "Retail"),
        ("Learning", "Education"), ("Security", "Technology"), ("Cloud", "Software"),
        ("Data", "Software"), ("Payments", "Financial Services"), ("Insurance", "Insurance"),
        ("Devices", "Technology"), ("Materials", "Manufacturing"), ("Pharma", "Healthcare"),
        ("Studios", "Media"), ("Outfitters", "Retail"), ("Engineering", "Professional Services"),
        ("Telecom", "Telecommunications"), ("Hospitality", "Hospitality"), ("Partners", "Professional Services"),
        ("Solutions", "Technology"), ("Supply", "Wholesale"), ("Instruments", "Manufacturing"),
        ("Aerospace", "Aerospace"), ("Marine", "Transportation"), ("Textiles", "Manufacturing"),
        ("Ventures", "Financial Services"),
    ]

    /// Words that tell apart companies once every prefix/core pair is taken (only in very large samples).
    static let companyQualifiers = [
        "Group", "Holdings", "International", "Global", "West", "East", "North", "South", "Pacific", "Atlantic",
        "Europe", "Americas", "Digital", "Works", "Collective", "Company", "Industries", "Enterprises", "Associates",
        "Technologies", "Services", "Direct", "Online", "Worldwide",
    ]

    /// A city with its region, postal code, country and telephone area code.
    struct City {
        var name: String
        var state: String
        var postalCode: String
        var country: Country
        var areaCode: String
    }

    enum Country: Int, CaseIterable {
        case us, uk, de, fr

        /// How HubSpot exports spell the country.
        var name: String {
            switch self {
            case .us: "United States"
            case .uk: "United Kingdom"
            case .de: "Germany"
            case .fr: "France"
            }
        }

        /// How people type it into Salesforce.
        var salesforceSpellings: [String] {
            switch self {
            case .us: ["United States", "US", "USA", "United States"]
            case .uk: ["United Kingdom", "UK", "GB"]
            case .de: ["Germany", "DE", "Deutschland"]
            case .fr: ["France", "FR"]
            }
        }
    }

    static let cities: [City] = [
        City(name: "Austin", state: "TX", postalCode: "78701", country: .us, areaCode: "512"),
        City(name: "Denver", state: "CO", postalCode: "80202", country: .us, areaCode: "303"),
        City(name: "Portland", state: "OR", postalCode: "97204", country: .us, areaCode: "503"),
        City(name: "Seattle", state: "WA", postalCode: "98101", country: .us, areaCode: "206"),
        City(name: "San Francisco", state: "CA", postalCode: "94105", country: .us, areaCode: "415"),
        City(name: "San Jose", state: "CA", postalCode: "95113", country: .us, areaCode: "408"),
        City(name: "Los Angeles", state: "CA", postalCode: "90017", country: .us, areaCode: "213"),
        City(name: "San Diego", state: "CA", postalCode: "92101", country: .us, areaCode: "619"),
        City(name: "Phoenix", state: "AZ", postalCode: "85004", country: .us, areaCode: "602"),
        City(name: "Salt Lake City", state: "UT", postalCode: "84111", country: .us, areaCode: "801"),
        City(name: "Chicago", state: "IL", postalCode: "60606", country: .us, areaCode: "312"),
        City(name: "Minneapolis", state: "MN", postalCode: "55402", country: .us, areaCode: "612"),
        City(name: "Kansas City", state: "MO", postalCode: "64106", country: .us, areaCode: "816"),
        City(name: "St. Louis", state: "MO", postalCode: "63101", country: .us, areaCode: "314"),
        City(name: "Dallas", state: "TX", postalCode: "75201", country: .us, areaCode: "214"),
        City(name: "Houston", state: "TX", postalCode: "77002", country: .us, areaCode: "713"),
        City(name: "Atlanta", state: "GA", postalCode: "30303", country: .us, areaCode: "404"),
        City(name: "Miami", state: "FL", postalCode: "33131", country: .us, areaCode: "305"),
        City(name: "Tampa", state: "FL", postalCode: "33602", country: .us, areaCode: "813"),
        City(name: "Charlotte", state: "NC", postalCode: "28202", country: .us, areaCode: "704"),
        City(name: "Raleigh", state: "NC", postalCode: "27601", country: .us, areaCode: "919"),
        City(name: "Nashville", state: "TN", postalCode: "37203", country: .us, areaCode: "615"),
        City(name: "Columbus", state: "OH", postalCode: "43215", country: .us, areaCode: "614"),
        City(name: "Cleveland", state: "OH", postalCode: "44114", country: .us, areaCode: "216"),
        City(name: "Detroit", state: "MI", postalCode: "48226", country: .us, areaCode: "313"),
        City(name: "Pittsburgh", state: "PA", postalCode: "15222", country: .us, areaCode: "412"),
        City(name: "Philadelphia", state: "PA", postalCode: "19103", country: .us, areaCode: "215"),
        City(name: "New York", state: "NY", postalCode: "10001", country: .us, areaCode: "212"),
        City(name: "Boston", state: "MA", postalCode: "02110", country: .us, areaCode: "617"),
        City(name: "Hartford", state: "CT", postalCode: "06103", country: .us, areaCode: "860"),
        City(name: "Baltimore", state: "MD", postalCode: "21202", country: .us, areaCode: "410"),
        City(name: "Washington", state: "DC", postalCode: "20005", country: .us, areaCode: "202"),
        City(name: "Richmond", state: "VA", postalCode: "23219", country: .us, areaCode: "804"),
        City(name: "Madison", state: "WI", postalCode: "53703", country: .us, areaCode: "608"),
        City(name: "Omaha", state: "NE", postalCode: "68102", country: .us, areaCode: "402"),
        City(name: "Boise", state: "ID", postalCode: "83702", country: .us, areaCode: "208"),
        City(name: "Albuquerque", state: "NM", postalCode: "87102", country: .us, areaCode: "505"),
        City(name: "Las Vegas", state: "NV", postalCode: "89101", country: .us, areaCode: "702"),
        City(name: "Indianapolis", state: "IN", postalCode: "46204", country: .us, areaCode: "317"),
        City(name: "New Orleans", state: "LA", postalCode: "70112", country: .us, areaCode: "504"),
        City(name: "London", state: "England", postalCode: "EC2A 4NE", country: .uk, areaCode: "20"),
        City(name: "Manchester", state: "England", postalCode: "M1 1AE", country: .uk, areaCode: "161"),
        City(name: "Edinburgh", state: "Scotland", postalCode: "EH1 1YZ", country: .uk, areaCode: "131"),
        City(name: "Bristol", state: "England", postalCode: "BS1 4DJ", country: .uk, areaCode: "117"),
        City(name: "Leeds", state: "England", postalCode: "LS1 4AP", country: .uk, areaCode: "113"),
        City(name: "Berlin", state: "Berlin", postalCode: "10115", country: .de, areaCode: "30"),
        City(name: "München", state: "Bayern", postalCode: "80331", country: .de, areaCode: "89"),
        City(name: "Hamburg", state: "Hamburg", postalCode: "20095", country: .de, areaCode: "40"),
        City(name: "Frankfurt am Main", state: "Hessen", postalCode: "60311", country: .de, areaCode: "69"),
        City(name: "Paris", state: "Île-de-France", postalCode: "75002", country: .fr, areaCode: "1"),
        City(name: "Lyon", state: "Auvergne-Rhône-Alpes", postalCode: "69002", country: .fr, areaCode: "4"),
        City(name: "Toulouse", state: "Occitanie", postalCode: "31000", country: .fr, areaCode: "5"),
        City(name: "Nantes", state: "Pays de la Loire", postalCode: "44000", country: .fr, areaCode: "2"),
    ]

    /// Indexes of `cities` by country, in `Country` order.
    static let citiesByCountry: [[Int]] = Country.allCases.map { country in
        cities.indices.filter { cities[$0].country == country }
    }

    static let streetsUS = [
        "Maple Street", "Oak Avenue", "Market Street", "Harbor Way", "Elm Road", "Cedar Lane", "Park Avenue",
        "Mill Road", "Lakeview Drive", "Commerce Boulevard", "Innovation Way", "Main Street", "Pine Street",
        "Washington Avenue", "River Road", "Industrial Parkway", "Hillcrest Drive", "Sunset Boulevard",
    ]
    static let streetsUK = ["High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane", "Queen Street"]
    static let streetsDE = [
        "Hauptstraße", "Bahnhofstraße", "Gartenweg", "Lindenallee", "Schulstraße", "Industriestraße",
    ]
    static let streetsFR = [
        "rue des Lilas", "avenue des Tilleuls", "rue du Moulin", "boulevard de la Gare", "rue Neuve",
    ]

    static let titles = [
        "VP of Marketing", "Marketing Manager", "Director, Demand Generation", "Marketing Operations Manager",
        "Head of Growth", "Content Marketing Lead", "Chief Marketing Officer", "Chief Revenue Officer",
        "VP of Sales", "Sales Operations Manager", "Account Executive", "Sales Development Representative",
        "RevOps Analyst", "Head of Revenue Operations", "CFO", "Controller", "Procurement Specialist",
        "IT Director", "CTO", "Software Engineer", "Data Analyst", "Data Engineer", "Product Manager",
        "Operations Manager", "Customer Success Manager", "CEO", "Founder", "COO", "Office Manager",
        "Director of Finance", "Business Analyst", "Engineering Manager", "Solutions Architect",
    ]

    static let industries = [
        "Software", "Technology", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Education",
        "Media", "Transportation", "Energy", "Telecommunications", "Professional Services", "Hospitality",
    ]

    /// The sales team: display name (HubSpot's "Contact owner") and the Salesforce user id counter.
    static let owners = [
        "Dana Whitfield", "Marcus Oyelaran", "Priya Raman", "Tom Kessler", "Elena Vasquez", "Jordan Blake",
        "Hannah Lindqvist", "Samuel Okafor",
    ]

    static let personalDomains = ["gmail.com", "gmail.com", "gmail.com", "outlook.com", "yahoo.com", "icloud.com"]

    static let gmailTags = ["news", "webinar", "events", "work", "hubspot", "mkt"]

    static let lossReasons = ["Price", "Competitor", "No budget", "No decision", "Timing", "Missing feature"]

    static let openStages = [
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Proposal/Price Quote",
        "Negotiation/Review",
    ]

    static let contactRoles = [
        "Decision Maker", "Economic Buyer", "Technical Buyer", "Evaluator", "Influencer", "Executive Sponsor",
    ]

    static let dealProducts = [
        "Platform", "Analytics Add-on", "Enterprise Licence", "Expansion", "Renewal", "Pilot", "Services",
        "Team Plan",
    ]

    /// Campaign topics by channel.
    static let emailTopics = [
        "Monthly Newsletter", "Product Update", "Customer Stories Digest", "Pricing Announcement",
        "Revenue Operations Digest", "Feature Spotlight", "Holiday Offer", "Re-engagement, Part 1",
    ]
    static let webinarTopics = [
        "Forecasting Without Spreadsheets", "Attribution 101", "Pipeline Reviews That Work",
        "Data Quality for RevOps", "From MQL to Revenue", "Building a Lead SLA", "Win/Loss Analysis in Practice",
    ]
    static let eventNames = [
        "RevOps Summit", "SaaS Connect", "Marketing Leaders Dinner", "Pipeline Forum", "Customer Day",
        "Data & Growth Expo",
    ]
    static let paidTopics = [
        "LinkedIn Retargeting", "Search Brand Terms", "Search Competitor Terms", "Display Prospecting",
        "Paid Social Lookalikes",
    ]
    static let contentTopics = [
        "State of Pipeline Report", "RevOps Playbook", "Buyer's Guide", "ROI Calculator", "Benchmark Study",
        "Attribution Handbook",
    ]
}
