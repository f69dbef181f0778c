"""People as news names casualties: person nouns, list members ("two men", "a woman", "Jo Reid, 42") as regex parts."""

from __future__ import annotations

import re

from ._numwords import words_value
from ._text import word_list, word_set

_SINGULAR = word_list(
    """man woman boy girl teen teenager child kid person student officer victim toddler infant baby juvenile
    youth adult resident driver passenger bystander motorist pedestrian father mother son daughter brother
    sister husband wife parent deputy trooper suspect gunman shooter customer employee worker clerk guard
    soldier friend cousin relative nephew niece uncle aunt grandmother grandfather grandson granddaughter
    girlfriend boyfriend fiancee fiance roommate neighbor neighbour classmate sibling twin female male
    stepfather stepson stepdaughter stepmother grandchild homeowner owner manager patron
    hostage inmate passerby civilian firefighter agent teacher pastor worshipper shopper fan protester reporter
    sergeant detective lieutenant constable marshal bouncer cashier attendant"""
)
_PLURAL = word_list(
    """men women boys girls teens teenagers children kids people persons students officers victims toddlers
    infants babies juveniles youths adults residents drivers passengers bystanders motorists pedestrians
    fathers mothers sons daughters brothers sisters parents deputies troopers suspects gunmen shooters
    customers employees workers clerks guards soldiers friends cousins relatives nephews nieces
    grandchildren siblings twins females males classmates neighbors neighbours others hostages inmates
    patrons passersby civilians firefighters agents teachers worshippers shoppers fans protesters reporters
    detectives members"""
)

#: One person noun, singular (``man``) or plural (``men``), as a regex alternation.
SINGULAR = "|".join(sorted(_SINGULAR, key=len, reverse=True))
PLURAL = "|".join(sorted(_PLURAL, key=len, reverse=True))
#: Every person noun, as a set.
PERSON_NOUNS = frozenset(_SINGULAR) | frozenset(_PLURAL)
_FUNCTION = (
    r"in|of|which|who|that|and|or|with|from|for|at|on|to|by|the|a|an|one|was|were|is|are|has|have|had"
    r"|his|her|their|its|both|all|after|before|as|but|when|while|said|says"
)
#: The hyphens of an age as a tokeniser splits them ("a 26 - year - old man", as ECB+ writes): read as joined.
SPLIT_AGE = r"[0-9]{1,2} - (?:year|month|week)s? - old"
#: An age: "17-year-old", "six-month-old", "12-year old", "26 - year - old".
AGE = rf"(?:(?:[0-9]{{1,2}}|[a-z]+(?:-[a-z]+)?)[- ](?:year|month|week)s?[- ]old|{SPLIT_AGE})"
#: A modifier word between a determiner and the noun: "17-year-old", "Gary", "unidentified", "26 - year - old".
MODIFIER = rf"(?:{SPLIT_AGE}[ -]|(?!(?:{_FUNCTION})\b)[\w'\u2019.-]+[ -])"
#: A count: digits or a small number in words.
COUNT = (
    r"(?:[0-9]{1,3}|(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty))"
)
_ONE = r"(?:an?|one|another|his|her|their|its|the|a\s+(?:second|third|fourth)|the\s+other)"
_NAME = (
    r"(?<![\w'\u2019.-])(?:[A-Z][a-z'\u2019]+(?:-[A-Z][a-z]+)?\s+(?:[A-Z]\.\s+)?){1,2}"
    r"[A-Z][a-z'\u2019]+(?:-[A-Z][a-z]+)?"
)
#: One person or group in a list: "a woman", "two men", "his two kids", "a 17-year-old", "Jo Reid, 42,".
PERSON_PHRASE = (
    rf"(?:(?i:{_ONE})\s+{MODIFIER}{{0,3}}?(?:{SINGULAR})\b"
    rf"|(?:(?:his|her|their|the|its)\s+)?{COUNT}\s+{MODIFIER}{{0,2}}?(?:{PLURAL})\b"
    rf"|(?i:an?\s+){AGE}\b(?:\s+{MODIFIER}{{0,1}}?(?:{SINGULAR})\b)?"
    rf"|{_NAME}(?:,\s+[0-9]{{1,2}},?)?)"
)
#: What a ``PERSON_PHRASE`` or a ``COUNTED_PHRASE`` starts with (a digit, a capital, the first letter of
#: a determiner or a number word), as a look-ahead: a search for a list then skips other characters at once.
PHRASE_START = r"(?=[0-9A-Z]|(?i:[aohtifsen]))"
#: A counted member, as headlines list them with commas alone: "3 men, 1 woman wounded".
COUNTED_PHRASE = rf"(?:{COUNT}\s+{MODIFIER}{{0,2}}?(?i:{PLURAL}|{SINGULAR})\b)"
#: A later member of a list may drop its determiner: "a mother and son".
BARE_PERSON = rf"(?:{MODIFIER}{{0,1}}?(?:{SINGULAR})\b)"
_COUNT_START = re.compile(COUNT)
_POSSESSIVES = frozenset({"his", "her", "their", "the", "its"})
_NAME_START = re.compile(_NAME)
_NOT_NAMES = word_set(
    """Police Officers Officer Authorities Investigators Deputies Detectives Sheriff Witnesses Neighbors
    Family Relatives Friends Both All The Two Three Four Five Several Many Others Officials"""
)
#: Words that end the names of places and organisations, and the names of days and months.
NOT_PERSON_WORDS = word_set(
    """Street St Avenue Ave Road Rd Drive Boulevard Lane Way Court Place Highway Parkway Park County City
    Courthouse Court School College University Hospital Center Centre Church Mall Club Bar Station Airport
    Apartments Department Office Police Township Village Town Valley Heights Square Market Store Restaurant
    Motel Hotel Bridge River Lake Beach Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December Christmas"""
)


def is_person_name(name: str) -> bool:
    """False for capitalised words that name a place, a day or a group ("Hearne Avenue", "Tuesday")."""
    words = name.split()
    return bool(words) and words[0] not in _NOT_NAMES and not any(
        w.rstrip(",.") in NOT_PERSON_WORDS or w.endswith(("'s", "\u2019s")) for w in words
    )


def is_name(phrase: str) -> bool:
    """True when a list member is a person's name ("Jo Reid, 42"), not "A man"."""
    return _NAME_START.match(phrase) is not None and is_person_name(phrase.split(",")[0])


def phrase_count(phrase: str) -> int | None:
    """How many people one list member names: "two men" 2, "a woman" 1, "his two kids" 2.

    None when the phrase is not a person after all ("Police said").
    """
    words = phrase.split()
    if "unborn" in words:
        return 0  # tallies count the born: "five people and an unborn baby" is five
    if len(words) > 1 and words[0].lower() in _POSSESSIVES and _COUNT_START.fullmatch(words[1]):
        words = words[1:]  # "his two kids"
    if words and _COUNT_START.fullmatch(words[0]) and not _NAME_START.match(phrase):
        first = words[0]
        return int(first) if first.isdigit() else words_value(first)
    if _NAME_START.match(phrase) and not is_person_name(phrase.split(",")[0]):
        return None
    return 1
