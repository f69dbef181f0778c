"""Hand-written word lists for the entity and quote extractors (lower-cased, no dots)."""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    """The white-space separated words of ``text``, lower-cased, as a frozen set."""
    return frozenset(text.lower().split())


def alternation(choices: frozenset[str] | set[str]) -> str:
    """A regex matching any of ``choices``, as a prefix tree: ``said|says`` -> ``sa(?:id|ys)``.

    Python's regex engine tries the branches of a flat alternation one by one at
    every position; a tree fails on the first letter instead.
    """
    tree: dict = {}
    for choice in choices:
        node = tree
        for char in choice:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branch(tree)


def _branch(node: dict) -> str:
    """The regex for one node of the tree built by :func:`alternation`."""
    branches = [re.escape(char) + _branch(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def words_as_written(text: str) -> frozenset[str]:
    """The white-space separated words of ``text``, case kept, as a frozen set."""
    return frozenset(text.split())


#: Words that start a sentence without being a name: determiners, pronouns,
#: prepositions, conjunctions, sentence adverbs and a few frequent openers.
FUNCTION = words(
    """a an the this that these those there here it its he she they we i you me him her
    them us our their his my your who whom whose which what when where why how whether
    and or but nor so yet if then than though although while whilst because since unless
    until till after before during following despite without within with by from into
    onto upon about above below under over across through throughout between among
    against toward towards around near at in on of off for to as per via like unlike
    all any both each every either neither no none not some many much more most few
    several such other another same one two three four five six seven eight nine ten
    is are was were be been being am do does did has have had will would shall should
    can could may might must also only even just still however meanwhile moreover
    furthermore nevertheless instead otherwise indeed perhaps yes earlier later today
    yesterday tomorrow tonight now then once again already soon recently currently
    meanwhile overall elsewhere additionally finally first firstly second secondly
    last lastly next according asked speaking given based having being read watch
    share click follow subscribe sign photo video image caption copyright related
    advertisement please note update updated breaking live exclusive
    it's that's there's here's we're they're i'm don't can't won't isn't wasn't i've
    i'd i'll we've we'll you're you've he's she's let's what's who's"""
)

#: Months: not names, except after a name word (``Theresa May``).
MONTHS = words(
    """january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec"""
)
#: Week days and holidays: capitalised, never an entity here.
WEEKDAYS = words(
    """monday tuesday wednesday thursday friday saturday sunday tues thur thurs
    christmas easter"""
)
CALENDAR = MONTHS | WEEKDAYS

#: Words that stand before a person's name as a title, rank or role (capitalised form).
TITLES = words(
    """mr mrs ms miss mx dr prof professor sir dame lord lady baroness baron rev reverend
    asst comm commr father fr sister brother pastor pope cardinal bishop archbishop rabbi imam sheikh
    ayatollah pc dc ds di dci dcs dcc acc pcso det detective supt superintendent
    chief insp inspector sgt sergeant constable commissioner commander cmdr deputy
    assistant acting officer trooper marshal sheriff agent special president pres vice
    senator sen rep representative congressman congresswoman governor gov lieutenant lt
    mayor judge justice magistrate minister premier chancellor secretary ambassador
    general gen colonel col capt captain major maj cpl corporal sgt private pvt admiral
    adm brigadier lance staff king queen prince princess duke duchess emperor councillor
    cllr councilman councilwoman alderman director chairman chairwoman chair spokesman
    spokeswoman spokesperson coach mp mep msp mla ceo cfo coo founder attorney atty
    prosecutor solicitor barrister counsel manager dean provost principal headteacher
    headmaster executive leader speaker first senior regional national state district
    former late interim opposition foreign home defence defense health prime"""
)

#: Short ranks that are titles only when written in capitals (``DI`` but not ``Di``).
CAPITAL_TITLES = words("pc dc ds di dci dcs dcc acc pcso mp mep msp mla ceo cfo coo")

#: Titles that only a person bears (unlike King or Prince in King County).
RANKS = words(
    """mr mrs ms miss dr lt sgt det detective officer deputy sheriff judge president senator
    sen rep gov governor mayor chief captain capt col gen general major maj cpl pc dc insp
    inspector supt superintendent constable trooper agent"""
)

#: Title words that only count as a title when followed by a name, never alone.
WEAK_TITLES = words(
    "special first senior regional national state district former late interim "
    "opposition foreign home defence defense health prime acting vice staff lance"
)

#: Lower-case role nouns that, right before a capitalised name, mark it as a person.
ROLES = words(
    """senator governor director president minister spokesman spokeswoman spokesperson
    officer constable sergeant chief judge reporter deputy commander ambassador
    secretary chairman chairwoman chair leader mayor lawyer attorney prosecutor
    detective inspector superintendent captain lieutenant sheriff coach manager
    executive founder actor actress singer player striker goalkeeper star author
    writer professor doctor nurse teacher student pastor priest bishop councillor
    councilman councilwoman analyst economist researcher scientist campaigner
    activist victim suspect son daughter wife husband mother father brother sister
    grandfather grandmother uncle aunt cousin friend neighbour neighbor colleague
    boyfriend girlfriend partner resident witness owner chef candidate nominee rapper
    musician comedian journalist editor photographer presenter host producer
    correspondent prince princess king queen general colonel agent trooper marshal
    commissioner representative congressman congresswoman lawmaker legislator mp
    ceo boss head chancellor premier defendant accused gunman shooter"""
)

#: Last words that make a capitalised run an organisation.
ORG_SUFFIX = words(
    """police constabulary council court service services department dept office agency
    university college school academy institute institution party inc ltd llc plc corp
    corporation co company companies group bank commission committee association
    authority board bureau ministry network news times post journal press herald
    tribune telegraph chronicle gazette guardian observer independent express mirror
    mail standard reporter magazine radio tv television broadcasting foundation trust
    club union federation league society organisation organization parliament
    congress senate assembly government administration army navy forces force corps
    guard guards brigade regiment church cathedral mosque hospital clinic airlines
    airline airways motors industries holdings partners systems technologies labs
    centre center tribunal cabinet council fund team fc commission unit squad
    directorate secretariat alliance coalition movement front network office hotel
    restaurant casino store stores patrol telecom telecoms energy electric oil petroleum
    pharmaceuticals media entertainment foods capital securities insurance aviation
    advisors advisers associates consulting management solutions enterprises ventures
    llp newspaper channel broadcaster website
    department division prison jail penitentiary studios records"""
)

#: First words that make "X of Y" / "X for Y" an organisation.
ORG_HEADS = words(
    """university college bank department ministry office church house board court
    institute school academy museum commission committee council federation union
    association society league party army navy centre center foundation bureau agency
    service division chamber assembly order archdiocese diocese friends
    campaign coalition alliance organisation organization federal"""
)

#: Last words that make a capitalised run a place.
PLACE_SUFFIX = words(
    """county parish borough township province region district valley river lake
    sea ocean gulf bay strait channel island islands isles peninsula mountains mountain
    hills hill desert forest coast beach harbor harbour port canyon creek falls heights
    street st road rd avenue ave drive dr lane ln boulevard blvd way highway hwy
    interstate square place terrace crescent close park plaza mile auditorium stadium arena
    theatre theater cinema mall bridge airport
    station village town city estate"""
)

#: First words that make a capitalised run a place ("Mount X", "Gulf of X").
PLACE_HEADS = words(
    """mount mt lake gulf bay isle sea strait cape fort port river north south east west
    northern southern eastern western central upper lower greater"""
)

#: Words that join two capitalised words inside one name.
PARTICLES = words("de del della der den van von du da dos das di la le al el bin ibn y")

#: Reporting words: a capitalised run right before one of these is a speaker.
SPEECH = words(
    """said says say told tells added adds continued explained stated wrote writes
    warned insisted claimed urged admitted replied noted commented announced argued
    recalled remarked declared testified confirmed acknowledged described concluded
    stressed emphasised emphasized maintained suggested agreed conceded vowed pledged
    promised predicted reiterated responded revealed alleged tweeted posted asked
    shouted cried believes believed thinks thought saying telling adding quoted quoting
    warning insisting claiming"""
)

#: Acronyms that are not organisations (or are places, titles, units).
NOT_ORG_ACRONYMS = words(
    """i a ok tv am pm gmt bst est edt pst pdt cst cdt utc bc ad ceo cfo coo md phd
    mp mep msp mla pc dc ds di dci dcs dcc acc pcso cctv dna hiv aids covid sars mph
    kg km cm mm ft lbs gdp usd gbp eur vs ii iii iv vi vii viii ix xi xii pdf faq ps
    rip lgbt lgbtq id ceo uk us usa uae eu dr mr mrs ms jr sr st no et pt ct mt ok cpr mps
    dui dwi gps atm suv icu er mri rpg ied ak ar end new more day say now top yes"""
)

#: Organisations commonly named without a suffix word.
KNOWN_ORGS = words(
    """reuters bbc cnn afp ap bloomberg nbc abc cbs fox msnbc npr pbs itv sky
    associated google apple microsoft facebook meta twitter amazon youtube instagram
    whatsapp tiktok netflix uber tesla boeing airbus nasa nato fbi cia nsa un unicef
    who interpol europol congress senate parliament pentagon kremlin hamas hezbollah
    taliban isis isil fifa uefa ioc labour conservatives tories democrats republicans
    gop ukip snp"""
) | frozenset(
    [
        "red cross",
        "red crescent",
        "amnesty international",
        "human rights watch",
        "al-qaeda",
        "al-shabab",
        "islamic state",
        "white house",
        "scotland yard",
        "associated press",
        "united nations",
        "european union",
        "supreme court",
    ]
)

#: Last words that end the name of a thing, never a person's: a given name before one ("Pandora Papers", "Monte
#: Carlo Star") makes no person. Documents, events, awards, laws and plans, buildings; left out are words that are
#: also common surnames ("Law", "Case", "Tower", "Ferry", "Storm", "March") and plurals that a headline's capitals
#: make verbs ("Chris Harrison Talks", "Files", "Leaks", "Protests").
THING_HEADS = words(
    """papers memos documents dossier games olympics paralympics award awards prize prizes cup trophy championship
    championships series festival accords accord agreement treaty pact protocol act amendment doctrine project
    program programme initiative scheme strategy complex building apartments condos residences estates star
    uprising affair scandal inquiry summit conference convention forum marathon prix classic memorial variant
    pandemic hurricane"""
)

#: Nationality and language adjectives: capitalised, but neither a place nor a name.
DEMONYMS = words(
    """american british english scottish welsh irish french german italian spanish
    portuguese dutch belgian swiss austrian swedish norwegian danish finnish polish
    russian ukrainian greek turkish syrian iraqi iranian israeli palestinian lebanese
    egyptian saudi afghan pakistani indian chinese japanese korean vietnamese thai
    filipino indonesian malaysian australian canadian mexican brazilian argentine
    colombian venezuelan cuban african nigerian kenyan somali ethiopian libyan
    european asian arab arabic muslim christian jewish catholic protestant islamic
    sunni shia shiite kurdish hispanic latino black white democrat republican
    democratic conservative liberal"""
)
