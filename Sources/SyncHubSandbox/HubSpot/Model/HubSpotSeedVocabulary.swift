/// Words the seeded data is built from. Every name and address is invented; domains are under `.example`.
enum HubSpotSeedVocabulary {
    static let firstNames = [
        "Ada", "Alan", "Amara", "Ana", "Arjun", "Beatriz", "Ben", "Carla", "Chen", "Chloe", "Dario", "Dana", "Elena",
        "Emeka", "Erik", "Farah", "Felix", "Grace", "Hana", "Hugo", "Ines", "Isaac", "Jamal", "Jana", "Jonas", "Kai",
        "Kenji", "Lara", "Leo", "Lina", "Luca", "Maya", "Mateo", "Mei", "Mila", "Nadia", "Noah", "Nora", "Omar", "Olga",
        "Paolo", "Priya", "Quinn", "Rafael", "Rosa", "Sami", "Sara", "Sofia", "Tariq", "Tess", "Uma", "Victor", "Vera",
        "Wei", "Yara", "Yusuf", "Zoe", "Zane",
    ]
    static let lastNames = [
        "Abbott", "Adeyemi", "Alvarez", "Bauer", "Becker", "Bianchi", "Brennan", "Castro", "Chowdhury", "Costa", "Dubois",
        "Eriksen", "Fischer", "Fontaine", "Garcia", "Gupta", "Haddad", "Hansen", "Ivanova", "Jensen", "Kaur", "Keller",
        "Kowalski", "Larsen", "Lopez", "Moreau", "Mueller", "Nakamura", "Novak", "Okafor", "Olsen", "Park", "Patel",
        "Petrov", "Quinn", "Rossi", "Sato", "Schmidt", "Silva", "Sokolov", "Tanaka", "Torres", "Varga", "Vogel",
        "Wagner", "Walsh", "Weber", "Yilmaz", "Zhang", "Zimmermann",
    ]
    static let companyWords = [
        "Acme", "Apex", "Aurora", "Beacon", "Birch", "Blue", "Bright", "Cedar", "Cobalt", "Crest", "Delta", "Ember",
        "Evergreen", "Falcon", "Granite", "Harbor", "Helix", "Indigo", "Juniper", "Keystone", "Lumen", "Maple",
        "Meridian", "Nimbus", "North", "Oak", "Orbit", "Pine", "Prism", "Quartz", "Redwood", "River", "Sage", "Summit",
        "Terra", "Tidal", "Vector", "Willow", "Zenith",
    ]
    static let companySuffixes = [
        "Analytics", "Labs", "Logistics", "Systems", "Health", "Foods", "Robotics", "Energy", "Capital", "Software",
        "Media", "Works", "Partners", "Retail", "Bio",
    ]
    static let industries = [
        "COMPUTER_SOFTWARE", "FINANCIAL_SERVICES", "HOSPITAL_HEALTH_CARE", "LOGISTICS_AND_SUPPLY_CHAIN", "RETAIL",
        "MARKETING_AND_ADVERTISING", "RENEWABLES_ENVIRONMENT", "FOOD_PRODUCTION", "BIOTECHNOLOGY", "MACHINERY",
    ]
    static let cities = [
        ("Boston", "MA", "United States"), ("Austin", "TX", "United States"), ("Denver", "CO", "United States"),
        ("Seattle", "WA", "United States"), ("Toronto", "ON", "Canada"), ("London", "", "United Kingdom"),
        ("Berlin", "", "Germany"), ("Paris", "", "France"), ("Madrid", "", "Spain"), ("Dublin", "", "Ireland"),
        ("Sydney", "NSW", "Australia"), ("Singapore", "", "Singapore"),
    ]
    static let jobTitles = [
        "Marketing Manager", "VP Marketing", "Head of Growth", "Sales Director", "Account Executive", "CTO",
        "Software Engineer", "Operations Lead", "Procurement Manager", "CFO", "Product Manager", "Data Analyst",
        "Customer Success Manager", "CEO", "Demand Generation Manager",
    ]
    static let lifecycleStages = [
        "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist",
        "other",
    ]
    static let leadStatuses = [
        "NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING",
    ]
    static let owners = ["31245671", "31245672", "31245673", "40987114", "40987115", "52011930"]
    /// The default sales pipeline's stages, with their probability of closing.
    static let dealStages: [(value: String, label: String, isClosed: Bool, isWon: Bool)] = [
        ("appointmentscheduled", "Appointment Scheduled", false, false),
        ("qualifiedtobuy", "Qualified To Buy", false, false),
        ("presentationscheduled", "Presentation Scheduled", false, false),
        ("decisionmakerboughtin", "Decision Maker Bought-In", false, false),
        ("contractsent", "Contract Sent", false, false),
        ("closedwon", "Closed Won", true, true),
        ("closedlost", "Closed Lost", true, false),
    ]
    static let lossReasons = [
        "Price too high", "Chose a competitor", "No budget this year", "No decision / went dark", "Missing feature",
        "Timing", "Champion left the company",
    ]
    static let products = ["Platform", "Analytics add-on", "Enterprise plan", "Renewal", "Expansion", "Pilot"]
    static let campaignThemes = [
        "Product newsletter", "Webinar invite", "Case study", "Feature launch", "Event follow-up", "Nurture step",
        "Customer survey", "Holiday offer",
    ]
    static let bounceCategories = ["UNKNOWN_USER", "MAILBOX_FULL", "POLICY", "DNS_FAILURE", "SPAM"]
    static let userAgents = [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    ]

    // Engagement values (HubSpot's internal option values).
    static let callStatuses = ["COMPLETED", "BUSY", "NO_ANSWER", "FAILED", "CANCELED"]
    static let meetingOutcomes = ["SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED"]
    static let emailStatuses = ["SENT", "BOUNCED", "FAILED", "SCHEDULED", "SENDING"]
    static let taskStatuses = ["NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"]
    static let callTitles = ["Intro call", "Discovery call", "Follow-up call", "Demo debrief", "Pricing call"]
    static let meetingTitles = ["Discovery meeting", "Product demo", "Technical deep dive", "Proposal review"]
    static let emailSubjects = ["Following up", "Quick question", "Resources from our call", "Next steps"]
    static let taskSubjects = ["Call back", "Send proposal", "Follow up on demo", "Check in"]
    static let eventTypes = ["WEBINAR", "CONFERENCE", "WORKSHOP"]
    static let eventThemes = ["Product launch", "Customer summit", "Data masterclass", "Roadmap preview", "Partner day"]
}
