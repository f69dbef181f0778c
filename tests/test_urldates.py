"""Publication days read from article URLs: the path shapes news sites use, and what is not a date."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedupe.extract import extract
from dedupe.types import Article, url_day

# URLs of the kind found in the shared corpora (wikinews_clusters, ecbplus_dev, gva_incidents_dev).
DATED = [
    ("http://www.theguardian.com/world/2014/jul/17/malaysia-airlines-plane-missile-attack-ukraine", "2014-07-17"),
    ("http://www.guardian.co.uk/world/us-news-blog/2012/sep/30/gay-cure-ban-california", "2012-09-30"),
    ("http://www.reuters.com/article/2014/05/08/us-syria-crisis-homs-idUSBREA470IF20140508", "2014-05-08"),
    ("https://www.nytimes.com/2012/11/07/us/politics/same-sex-marriage-voting-election.html", "2012-11-07"),
    ("http://www.csmonitor.com/World/Asia-South-Central/2011/0401/UN-staff-killed-by-Afghan-mob", "2011-04-01"),
    ("http://www.baltimoresun.com/sports/bal-jeff-gordons-first-win-20140511,0,6760796.story", "2014-05-11"),
    ("http://www.chicagotribune.com/news/local/breaking/ct-man-64-found-shot-dead-20161230-story.html",
     "2016-12-30"),
    ("http://www.cnn.com/2007/POLITICS/09/10/iraq.petraeus/index.html", None),  # year and day apart: no day
    ("http://www.nytimes.com/1917/10/08/archives/war-news.html", "1917-10-08"),  # separated: an archive's day
    ("http://news.example.org/story-19900101.html", "1990-01-01"),  # eight digits from 1990 on: a day
]
UNDATED = [
    "http://www.bbc.co.uk/news/uk-20174081",  # an article number, not 2017-40-81
    "http://www.bbc.co.uk/sport/0/olympics/19171008",  # an article number, not 1917-10-08
    "http://www.staradvertiser.com/news/19040101_Auto_regulators_dismissed_defect_tied_to_13_deaths.html",
    "http://www.aljazeera.com/news/asia-pacific/2014/02/students-killed-thailand-bus-crash.html",  # month only
    "http://www.foxcarolina.com/story/20346133/reports-27-dead",
    "http://20140508.example.com/story",  # the host is never read
    "http://example.com/2014/13/45/story",  # no such day
    "",
    None,
]


@pytest.mark.parametrize(("url", "day"), DATED)
def test_days_in_paths(url: str, day: str | None) -> None:
    assert url_day(url) == day


@pytest.mark.parametrize("url", UNDATED)
def test_no_day(url: str | None) -> None:
    assert url_day(url) is None


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(["/", "-", "_"]))
def test_any_real_day_reads_back(day: date, separator: str) -> None:
    path = separator.join((f"{day.year}", f"{day.month:02d}", f"{day.day:02d}"))
    assert url_day(f"https://news.example.org/world/{path}/a-story") == day.isoformat()


def test_article_day_falls_back_to_the_url() -> None:
    dated = Article(id="a", text="x", published="2020-11-21T09:00:00Z", url="http://x.org/2014/07/17/s")
    undated = Article(id="b", text="x", url="http://x.org/2014/07/17/s")
    assert (dated.day, undated.day, Article(id="c", text="x").day) == ("2020-11-21", "2014-07-17", None)


def test_relative_dates_resolve_against_the_url_day() -> None:
    # A sentence from wikinews_clusters (theguardian.com, no publication date in the record).
    text = "Israel killed the military commander of Hamas in an airstrike on the Gaza Strip on Wednesday."
    undated = Article(id="a", text=text, url="http://www.theguardian.com/world/2012/nov/15/gaza-strike")
    assert "2012-11-14" in extract(undated).values("date")
    assert not any(value[:1].isdigit() for value in extract(Article(id="b", text=text)).values("date"))
