"""A fact's evidence is a whole sentence, read from the corpora's own paragraphs (article ids beside each).

The splitter the extractors read ends a sentence at an abbreviation before a closing bracket ("(D-Calif.)"), at
a title its list lacks ("Const. Fanning") and at ECB+'s tokenised decimal point ("39. 9 million"); the evidence a
fact shows is widened over those full stops (``extract._text.evidence``), while the spans the extractors reason
over, and so every same-story score, stay as they were.
"""

from __future__ import annotations

import pytest

from dedupe.extract import extract
from dedupe.graph import cluster_id
from dedupe.merge import default_extract, merge_cluster
from dedupe.normalize import no_sentence_end
from dedupe.types import Article, Cluster


@pytest.mark.parametrize(("article", "text", "value", "sentence"), [
    ("as-5757-left", ("The 220-to-212 party-line vote came after days of delays as House Speaker Nancy Pelosi "
     "(D-Calif.) scrambled to stave off a revolt from her party’s moderate-leaning lawmakers. With the frenzy "
     "resolved, the chamber averted what would have been an embarrassing defeat."), "Nancy Pelosi",
     ("The 220-to-212 party-line vote came after days of delays as House Speaker Nancy Pelosi (D-Calif.) scrambled "
     "to stave off a revolt from her party’s moderate-leaning lawmakers.")),
    ("as-5639-center", ("Democratic senators on Wednesday signaled they will accept a proposal by Senate Minority "
     "Leader Mitch McConnell (R-Ky.) to raise the debt limit for two months to avoid a potential economic crisis."),
     "2", ("Democratic senators on Wednesday signaled they will accept a proposal by Senate Minority Leader Mitch "
     "McConnell (R-Ky.) to raise the debt limit for two months to avoid a potential economic crisis.")),
    ("ecb-2_9ecbplus", ("Her previous Oscar gig, in which Martin Scorsese's The Departed took home the top prize, was "
     "watched by 39. 9 million people.\nDeGeneres made the announcement on Twitter on Friday."), "9000000",
     ("Her previous Oscar gig, in which Martin Scorsese's The Departed took home the top prize, was watched by 39. 9 "
     "million people.")),
    ("ecb-18_6ecb", ("Work place killings are rare, police say.\n“It's something no business can prepare for,” "
     "Const. Fanning said."), "It's something no business can prepare for",
     "“It's something no business can prepare for,” Const. Fanning said."),
])
def test_evidence_is_a_whole_sentence(article: str, text: str, value: str, sentence: str) -> None:
    mentions = [m for m in extract(Article(article, text)).mentions if m.value == value]
    assert mentions and {m.sentence for m in mentions} == {sentence}, article


@pytest.mark.parametrize(("text", "expected"), [
    ("Pelosi (D-Calif.) scrambled", True),  # a bracket, then a lower-case word
    ("by Sens. Kyrsten Sinema", True),
    ("with a €2 million ($2. 6 - million) booty", True),
    ("Pelosi (D-Calif.) The vote", False),  # a capital after the bracket: a sentence may end there
    ("in 2016. 57 per cent said", False),  # a year, then a new sentence starting with a figure
    ("It cost $5. The next", False),
])
def test_full_stops_that_end_no_sentence(text: str, expected: bool) -> None:
    dot = text.index(". ") if ". " in text else text.index(".)")
    assert no_sentence_end(text, dot) is expected


def test_one_statement_with_and_without_its_closing_quote_is_no_conflict() -> None:
    """gva's Penn Hills shooting: two pages quote the school board's statement a day apart, one ending it with
    ”. "tomorrow" resolves to two days, but it is one sentence, not two facts."""
    sentence = "The Board will hold a prayer vigil tomorrow at 6 pm at Linton Middle School."
    reports = [("gva-805619-6de690ea25", "2017-03-29", sentence + " All are welcome to attend."),
               ("gva-805619-db4e24b655", "2017-03-28", sentence + "\u201d\n\nThe Allegheny County Police said more.")]
    articles = {key: Article(key, text, published=day) for key, day, text in reports}
    members = tuple(sorted(articles))
    story = merge_cluster(Cluster(cluster_id(members), members, members[0]), articles, {}, default_extract)
    assert [c.field for c in story.conflicts] == []
