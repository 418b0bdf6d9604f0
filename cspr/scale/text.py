"""Fictional words for the seed: places, people and what a chronology says. Nobody here
is real; the places are made up."""

from cspr.models import AgencyType

AREAS = [
    "Ashcombe",
    "Brackenford",
    "Caldermoor",
    "Dunmere",
    "Elmsworth",
    "Fenwold",
    "Glenhurst",
    "Harrowvale",
    "Inglemarsh",
    "Juniper Vale",
    "Kestrelton",
    "Larchfield",
    "Marrowby",
    "Northbridge",
    "Oakhaven",
    "Pennywell",
    "Quarrydale",
    "Rookmoor",
    "Stonebrook",
    "Thistleford",
]

# (name pattern, type); the first three are the safeguarding partners.
AGENCIES = [
    ("{area} Council Children's Services", AgencyType.LOCAL_AUTHORITY),
    ("{area} Police", AgencyType.POLICE),
    ("{area} Integrated Care Board", AgencyType.INTEGRATED_CARE_BOARD),
    ("{area} Hospitals NHS Foundation Trust", AgencyType.HEALTH_PROVIDER),
    ("{area} Community Health NHS Trust", AgencyType.HEALTH_PROVIDER),
    ("{area} Mental Health NHS Trust", AgencyType.HEALTH_PROVIDER),
    ("{area} Education Services", AgencyType.EDUCATION),
    ("{area} Academies Trust", AgencyType.EDUCATION),
    ("{area} Probation Delivery Unit", AgencyType.PROBATION),
    ("{area} Youth Justice Service", AgencyType.OTHER),
    ("{area} Housing Partnership", AgencyType.OTHER),
    ("{area} Early Help Service", AgencyType.OTHER),
]

GIVEN = [
    "Alex", "Amara", "Ben", "Bea", "Callum", "Chloe", "Dev", "Daisy", "Eli", "Esme",
    "Finn", "Freya", "Gus", "Hana", "Isaac", "Isla", "Jai", "Jude", "Kai", "Lena",
    "Leo", "Maya", "Milo", "Nia", "Noor", "Oli", "Orla", "Priya", "Rafi", "Rosa",
    "Sami", "Skye", "Theo", "Tia", "Umar", "Vida", "Wren", "Yusuf", "Zara", "Zed",
]  # fmt: skip
FAMILY = [
    "Ashby", "Bramwell", "Carrow", "Dunley", "Elston", "Farrant", "Gilder", "Hollins",
    "Ireton", "Jessop", "Kember", "Lowther", "Marlow", "Nettles", "Orme", "Pardew",
    "Quayle", "Rensby", "Stallard", "Tranter", "Upcott", "Venning", "Wardle", "Yeoell",
]  # fmt: skip
STREETS = ["Mill Lane", "Chapel Row", "Station Road", "Orchard Close", "Quarry Hill"]

SOURCES = {
    AgencyType.LOCAL_AUTHORITY: [
        "Children's social care case notes",
        "Child protection conference minutes",
        "Strategy discussion record",
        "Early help assessment",
    ],
    AgencyType.POLICE: [
        "Police incident log",
        "Domestic abuse risk assessment",
        "Custody record",
        "Police crime report",
    ],
    AgencyType.INTEGRATED_CARE_BOARD: [
        "GP practice records",
        "Designated nurse's records",
        "Out-of-hours GP record",
    ],
    AgencyType.HEALTH_PROVIDER: [
        "Health visitor records",
        "Emergency department attendance record",
        "Paediatric clinic letter",
        "Midwifery records",
        "School nursing records",
    ],
    AgencyType.EDUCATION: [
        "School attendance register",
        "Designated safeguarding lead's log",
        "Nursery key worker notes",
    ],
    AgencyType.PROBATION: ["Probation case management record", "OASys assessment"],
    AgencyType.OTHER: ["Case management record", "Tenancy file", "Referral form"],
}

EVENTS = [
    "Home visit: {who} seen with {child}. The home was {state}.",
    "{child} brought to the {place} by {who} with {injury}; explanation given was {explanation}.",
    "Telephone call from {who} raising concerns about {concern}.",
    "{child} did not attend the planned {appointment}; no follow-up recorded.",
    "Referral received about {concern}; screened and passed to the {team}.",
    "Multi-agency meeting held about {concern}; {who} attended.",
    "{who} reported that {child} had {injury} and seemed {mood}.",
    "Information shared with the {team} about {concern}.",
    "Assessment completed: {concern} noted; no further action agreed.",
    "Letter sent to {who} offering a further {appointment}.",
]
FILL = {
    "who": ["the mother", "the father", "the mother's partner", "a grandparent", "a neighbour"],
    "child": ["the child", "the baby", "the young person"],
    "state": ["cluttered but warm", "cold and untidy", "clean and well kept", "sparsely furnished"],
    "place": ["emergency department", "GP surgery", "walk-in centre", "school office"],
    "injury": ["a bruise to the cheek", "a burn to the hand", "a head injury", "scratches"],
    "explanation": ["a fall from the sofa", "rough play with a sibling", "not known"],
    "concern": [
        "neglect at home",
        "domestic abuse between the adults",
        "parental alcohol misuse",
        "missed health appointments",
        "school absence",
        "the adults' mental health",
    ],
    "appointment": ["health review", "clinic appointment", "home visit", "school meeting"],
    "team": ["front door team", "safeguarding hub", "early help team", "health visiting team"],
    "mood": ["withdrawn", "anxious", "hungry", "tired", "settled"],
}
SIGNIFICANCE = [
    "",
    "Missed opportunity to ask about the home situation.",
    "Shows a pattern of missed appointments.",
    "The child's voice was not recorded.",
    "Information was not shared with other agencies.",
    "Good practice: concerns escalated promptly.",
]
ACTIONS_TAKEN = [
    "",
    "Advice given.",
    "Referral made to children's social care.",
    "Safeguarding lead informed.",
    "No action taken.",
]

FINDINGS = [
    "Agencies did not share what they knew of the home situation.",
    "Practitioners accepted explanations of injuries without question.",
    "Missed appointments were not followed up.",
    "The child's lived experience was not recorded.",
    "Escalation between agencies was slow.",
    "The risks from adults in the household were not assessed.",
]
CHANGES = [
    "Every practitioner is briefed on the information sharing protocol.",
    "Professional curiosity training for frontline staff.",
    "A follow-up process for children not brought to appointments.",
    "Supervision records the child's voice at every review.",
    "The escalation policy is revised and relaunched.",
    "A multi-agency audit of assessments of adults in the household.",
]
