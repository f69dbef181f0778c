"""Casualties the reader already knows of: "he died", "Jo Reid was shot", "the death of a 15-year-old".

Such a statement tells that someone was killed (or shot) without saying how many: its
victim counts ``1`` with the hedge ``at least``. A headline's bare noun ("Man, 21, killed
in crash") counts exactly one.
"""

from __future__ import annotations

import re

from ._counted import casualty
from ._people import AGE, MODIFIER, SINGULAR, is_person_name
from ._stems import Stems
from ._text import word_set
from ._victims import OBJECT_AFTER, SHOT_AT, Victim, keep

_NAME = (
    r"(?<![\w'\u2019.-])(?:[A-Z][a-z'\u2019]+(?:-[A-Z][a-z]+)?\s+(?:[A-Z]\.\s+)?){0,2}"
    r"[A-Z][a-z'\u2019]+(?:-[A-Z][a-z]+)?"
)
_AUX = r"(?:(?:was|is|has|had|has\s+been|had\s+been|got|later|also|then|eventually|reportedly)\s+)"
_ADVERBS = r"(?:(?:fatally|mortally|critically|seriously|severely|badly|gravely|accidentally)\s+)*"
# What may stand between a subject and its verb: ", 42,", ", a 17-year-old Latino male,", ", who".
_APPOSITION = r"(?:,\s+(?:aged\s+)?[0-9]{1,2},|,\s+(?:an?|the)\s+[^,.;]{1,40},)?(?:,?\s+who)?"
# The look-ahead names the first letters of the three subjects: the search skips other characters at once.
_SUBJECT_BEFORE = re.compile(
    rf"(?=[A-Zhst])(?:\b(?P<pronoun>[Hh]e|[Ss]he)|\b(?P<the>[Tt]he\s+{MODIFIER}{{0,3}}?(?:{SINGULAR})|\b[Tt]he\s+{AGE})"
    rf"|(?P<name>{_NAME}))(?P<end>){_APPOSITION}\s*(?P<aux>{_AUX}*){_ADVERBS}"
    r"(?:(?:found|pronounced|declared)\s+)?$"
)
_PREDICATE = re.compile(
    rf"{_APPOSITION}\s*{_AUX}*(?P<adverbs>{_ADVERBS})"
    r"(?P<verb>shot\s+(?:dead|and\s+killed|to\s+death|and\s+wounded|and\s+injured)|shot\s+and\s+died"
    r"|(?:found|pronounced|declared|confirmed)\s+(?:dead|deceased)|stabbed\s+to\s+death|(?:found\s+)?shot|killed|died"
    r"|dies|injured|wounded|hospitali[sz]ed|slain|murdered|dead|deceased|succumbed|passed\s+away)\b"
)
_NOT_SUBJECTS = word_set(
    """It They We You I This That There Police Officers Authorities Investigators Detectives Deputies
    Sheriff Witnesses Neighbors Family Friends Both All One Nobody Someone Everyone Anyone Nothing Who
    What When Where Why How And But If As After Before While Since Although Though According"""
)
# Verbs a subject takes with no auxiliary: intransitive ones ("Jo Reid died").
_INTRANSITIVE = frozenset({"died", "dies", "found dead", "pronounced dead", "declared dead", "dead", "deceased",
                           "found deceased", "pronounced deceased"})
# An active verb and the victim it names: "fatally shot Isis Allen", "killing him", "shot his wife".
_ACTIVE = re.compile(
    r"(?P<verb>(?:shot|shooting)\s+and\s+(?:killed|killing|wounded|wounding)"
    r"|(?:fatally|mortally)\s+(?:shot|shooting|wounded|wounding)|killed|killing|kills|murdered|shot|shooting"
    r"|wounded|wounding|(?:the\s+)?(?:(?:fatal\s+)?shooting\s+)?(?:deaths?|murders?|killings?|slayings?)\s+of"
    r"|claimed\s+the\s+(?:life|lives)\s+of)\s+"
    rf"(?P<victim>(?:(?:his|her|their|the|an?)\s+{MODIFIER}{{0,2}}?(?:{SINGULAR})(?![\w'\u2019])"
    rf"|(?:an?\s+)?{AGE}(?:\s+{_NAME}|\s+(?:{SINGULAR})\b)?|{_NAME}|him(?:self)?|her(?:self)?|another)\b)"
)
_PARTICIPLE = {"killing": "killed", "kills": "killed", "murdered": "killed", "shooting": "shot",
               "wounding": "wounded"}
# A count of dead with no victim named: "a fatal shooting", "a murder-suicide" (two at least),
# "a teen shot on Friday has died"; a shooter's suicide: "turned the gun on himself".
# Matched on the lower-cased text, at the offsets where one of ``_CUE_STARTS`` is found.
_CUE = re.compile(
    r"(?:(?:fatal|deadly)\s+(?:shooting|gunfire|attack|ambush|shootout)|murder-suicide"
    r"|turn(?:ed|ing)\s+the\s+(?:gun|weapon|rifle|shotgun|handgun|pistol)\s+on\s+(?:himself|herself)"
    r"|t(?:ook|aking)\s+(?:his|her)\s+own\s+life"
    r"|(?:has|have)\s+(?:since\s+|now\s+)?died|dies)\b"
)
# "killed his wife and then himself", "kills 7-year-old daughter, himself".
_SELF_AFTER_KILLING = re.compile(r"\bkill(?:ed|s|ing)?\b[^.;]*(?:,|\band|\bthen)\s+$")
_CUE_STARTS = ("fatal", "deadly", "murder-suicide", "turn", "took", "taking", "has", "have", "dies")
_NOBODY = re.compile(r"\b(?:no\s+one|nobody|none|no\s+victims?)\b[^.]{0,20}$")
# A headline's bare victim: "Man, 21, killed in accidental shooting", "Teen shot on East Side".
_CLAUSE_MARKS = (":", "|", "\n", "\u2014", "\u2013", " - ")
_BARE = re.compile(
    rf" *(?P<victim>(?:[A-Z][\w'\u2019-]*\s+){{0,3}}?(?i:{SINGULAR}))"
    r"(?:,\s+[0-9]{1,2},)?\s+(?P<adverbs>(?:(?:fatally|critically|seriously|accidentally)\s+)?)"
    r"(?P<verb>shot\s+(?:dead|and\s+killed|to\s+death|and\s+wounded|and\s+injured)|shot|killed|dies|died|dead"
    r"|injured|wounded|hurt)\b"
    r"(?!\s+(?:his|her|their|its|a|an|the|him|them|and|or|[0-9])\b|\s+[A-Z][a-z]+\s+[A-Z])"
)
# What may follow a headline's transitive verb when its noun is the victim: "Man shot in ...".
_BARE_AFTER = re.compile(
    r"\s*$|\s*[,.;:!?\u2014\u2013|-]|\s+(?:in|at|on|by|during|after|while|near|outside|inside|early|late|overnight"
    r"|when|as|following|with|from|for|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today"
    r"|tonight|this|last|accidentally|playing)\b"
)
_DETERMINERS = word_set("The A An His Her Their This That")
# Verbs a victim may be the subject of ("he died", "Teen shot"); other triggers only take objects.
_VERB_START = re.compile(
    r"(?i:shot|killed|died|dies|dead|injured|wounded|hurt|hospitali[sz]ed|slain|murdered|succumbed|passed|deceased)\b"
)
_PLACE_BEFORE = re.compile(r"\b(?:of|in|at|from|near|on)\s+$")
_HYPOTHETICAL = re.compile(r"\b(?:if|whether|unless)\s+$")
_MODAL = re.compile(r"\b(?:could|would|might|may|should|must)\s+(?:\w+\s+)?have\s+(?:\w+ly\s+)?$")
_TRIGGERS = ("shot", "kill", "murder", "died", "dies", "injur", "wound", "hospital", "slain", "dead", "succumb",
             "passed", "death", "slaying", "deceased", "claimed", "fatal", "mortal")
_SELF = frozenset({"himself", "herself"})


def _named(text: str, start: int, name: str, subject: bool = True) -> bool:
    """True when capitalised words at ``start`` name a person: not a day, a group or, for a
    subject, a place ("of Coloma was shot")."""
    if name.split()[0] in _NOT_SUBJECTS or not is_person_name(name):
        return False
    return not (subject and _PLACE_BEFORE.search(text, max(0, start - 6), start))


def _subject(text: str, verb: int) -> Victim | None:
    """The "he died", "the victim was shot", "Jo Reid was pronounced dead" victim of the verb at ``verb``."""
    victim = _SUBJECT_BEFORE.search(text, max(0, verb - 70), verb)
    predicate = _PREDICATE.match(text, victim.end("end")) if victim else None
    if victim is None or predicate is None or predicate.end("verb") <= verb:
        return None
    verb_text = " ".join(predicate.group("verb").split())
    verb_text = "died" if verb_text in ("succumbed", "passed away") else verb_text
    if not victim.group("aux").strip() and verb_text not in _INTRANSITIVE:
        return None  # "he shot his wife": active, the subject is the shooter
    if OBJECT_AFTER.match(text, predicate.end()) or (verb_text == "shot" and SHOT_AT.match(text, predicate.end())):
        return None
    subject = victim.group("pronoun") or victim.group("the") or victim.group("name") or ""
    if victim.group("name") and not _named(text, victim.start(), subject):
        return None
    if _HYPOTHETICAL.search(text, max(0, victim.start() - 12), victim.start()):
        return None
    kind = "killed" if verb_text == "shot and died" else casualty(verb_text, predicate.group("adverbs"))
    subject = subject.lower() if victim.group("pronoun") else subject.replace(" - ", "-")  # "The 35 - year - old"
    return Victim(victim.start(), victim.end("end"), kind, subject, "at least") if kind else None


def _object(text: str, at: int) -> Victim | None:
    """The victim named after an active verb or a death noun at ``at``: "killing him", "the death of Jo Reid"."""
    match = _ACTIVE.match(text, at)
    if match is None:
        return None
    verb = " ".join(match.group("verb").split())
    if verb.endswith(" of") or text.startswith((" to death", " dead"), match.end()):
        kind = "killed"  # "the death of Jo Reid", "shot his daughter to death"
    else:
        adverbs, _, verb = verb.rpartition(" ") if verb.startswith(("fatally", "mortally")) else ("", "", verb)
        kind = casualty(_PARTICIPLE.get(verb.split()[-1], verb), adverbs)
    victim = match.group("victim")
    if not kind or (victim[:1].isupper() and not _named(text, match.start("victim"), victim, subject=False)):
        return None
    if _MODAL.search(text, max(0, at - 30), at):
        return None
    subject = "himself" if victim in _SELF else victim.replace(" - ", "-")  # "a 16 - year - old": as joined
    return Victim(match.start("victim"), match.end("victim"), kind, subject, "at least")


def _bare(text: str, at: int) -> Victim | None:
    """A headline's victim with no article before its verb at ``at``: "Man, 21, killed".

    The victim opens the text or a clause after a colon, a bar, a dash or a line break.
    """
    low = max(0, at - 60)
    marks = [found + len(mark) for mark in _CLAUSE_MARKS if (found := text.rfind(mark, low, at)) != -1]
    if not marks and low > 0:
        return None
    match = _BARE.match(text, max(marks, default=0))
    if match is None or match.start("verb") != at:
        return None
    if match.group("victim").split()[0] in _DETERMINERS:
        return None  # "The toddler ...": a sentence, not a headline
    verb = " ".join(match.group("verb").split())
    if verb.startswith(("shot", "killed")) and not verb.endswith(("dead", "death")) and not _BARE_AFTER.match(
        text, match.end()
    ):
        return None  # "Neighbor killed man, grandmother": an object follows, the noun is the shooter
    kind = casualty(verb.replace("dies", "died"), match.group("adverbs"))
    return Victim(match.start("victim"), match.end("victim"), kind) if kind else None


def _cues(stems: Stems) -> list[Victim]:
    """Deaths told with no victim named: "a fatal shooting", "a murder-suicide", "has died",
    and a shooter's suicide after a list of his dead: "killed two children, herself"."""
    lower = stems.lower
    found = [Victim(at, at + 7, "killed", "himself", "at least") for at in stems.each(("himself", "herself"))
             if _SELF_AFTER_KILLING.search(lower, max(0, at - 90), at)]
    for at in stems.each(_CUE_STARTS):
        cue = _CUE.match(lower, at)
        if cue is not None and not _denied(lower, at):
            words = cue.group()
            count = 2 if words == "murder-suicide" else 1
            subject = "himself" if words.endswith(("himself", "herself", "own life")) else ""
            found.append(Victim(at, cue.end(), "killed", subject, "at least", count))
    return found


def _denied(lower: str, at: int) -> bool:
    """True for a cue that is negated or another's: "non-fatal", "no one has died"."""
    return lower.endswith(("non-", "non "), 0, at) or _NOBODY.search(lower, max(0, at - 30), at) is not None


def known_victims(text: str, stems: Stems | None = None) -> list[Victim]:
    """The casualties of ``text`` named without a count, in text order (see the module docstring).

    ``stems`` shares the casualty words' offsets with the other readers of ``text``.
    """
    stems = stems or Stems(text)
    found: dict[int, Victim] = {}
    for at in stems.each(_TRIGGERS):
        verb = _VERB_START.match(text, at) is not None
        readings = (_bare(text, at), _subject(text, at)) if verb else ()
        for victim in (*readings, _object(text, at)):
            if victim is not None and victim.kind:
                keep(found, victim)
    for cue in _cues(stems):
        found.setdefault(cue.start, cue)
    return sorted(found.values(), key=lambda victim: victim.start)
