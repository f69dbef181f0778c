"""A given name opening the name of a thing (a leak, a building, an award, a law) makes no person: the run's last
word says what it names. Real sentences from allsides, gva, wikinews and ecbplus."""

from __future__ import annotations

import pytest

from dedupe.extract.entities import find_entities

# Each read a person from its first word, a given name ("Pandora", "Monte", "Tony", "Eden"), before the change.
THINGS = [
    (("Dubbed the \u201cPandora Papers,\u201d the records consist of nearly 12 million documents detailing "
     "systematic tax-dodging by 14 firms."), "Pandora Papers"),
    (("For this, the buyer got a luxury fourth-floor flat, two parking spaces, a storeroom, and the use of a pool in "
     "the Monte Carlo Star complex."), "Monte Carlo Star"),
    (("He has done well hosting the Tony Awards, the Broadway version of the Oscars, but the Oscars' audience is used "
     "to comedians on the show."), "Tony Awards"),
    (("It created a \u201cspecial rule\u201d for polar bears, allowing oil and gas drilling, as long as oil companies "
     "obey the Marine Mammal Protection Act."), "Marine Mammal Protection Act"),
    (("Just last Sunday night, Putin was sitting in Sochi\u2019s Fisht Stadium for the Closing Ceremonies of the "
     "Winter Olympics."), "Winter Olympics"),
    ("Memphis Police responded to a shooting inside the Eden Pointe Apartments at 3254 W.", "Eden Pointe Apartments"),
    (
        (
            "Tyler Perry urged the global Oscars audience to \u201crefuse hate\u201d and work harder to uplift those "
            "on the margins as he accepted the Jean Hersholt Humanitarian Award on Sunday night at the 93rd annual "
            "Academy Awards.\nPerry, the mogul who built a thriving studio in Atlanta from humble beginnings that "
            "include periods of living out of his car, spoke of the lessons he learned from his mother who grew up "
            "under harsh conditions in Mississippi in an earlier generation of civil rights strife such as the 1955 "
            "murder of Emmett..."
        ),
        "Jean Hersholt Humanitarian Award",
    ),
]


@pytest.mark.parametrize(("sentence", "thing"), THINGS)
def test_a_thing_named_after_a_given_name_is_no_person(sentence: str, thing: str) -> None:
    people = {m.value for m in find_entities(sentence) if m.kind == "person"}
    assert thing not in people


# People whose surname is also a common word ("Law", "Gates") and people beside a thing stay people.
PEOPLE = [
    ("\u201cIt just doesn't add up,\u201d said Cole Law who is representing the Roupe family.", "Cole Law"),
    ("Bill and Melinda Gates\u2019s divorce could rock the world of charity", "Melinda Gates"),
    (("Lucrative tax havens for some of the world\u2019s most rich and powerful figures, from Jordan\u2019s king to "
     "former British Prime Minister Tony Blair and spicy pop singer Shakira."), "Tony Blair"),
    ("Prince Charles Adversary Richard Rogers Wins Stirling Prize", "Richard Rogers"),
]


@pytest.mark.parametrize(("sentence", "person"), PEOPLE)
def test_people_beside_things_stay_people(sentence: str, person: str) -> None:
    assert person in {m.value for m in find_entities(sentence) if m.kind == "person"}
