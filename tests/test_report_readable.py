"""Reports write out the ISO forms editors do not read at a glance; the data files keep them as they are."""

from __future__ import annotations

import copy
import csv
import io

import pytest
from test_reports import evidence, story

from dedupe.report import render_csv, render_html, render_markdown
from dedupe.report.views import conflict_view, readable


@pytest.mark.parametrize(("text", "shown"), [
    ("--11", "November (year not given)"),
    ("early --12", "early December (year not given)"),
    ("--07-08", "8 July (year not given)"),
    ("--02-29", "29 February (year not given)"),
    ("2016-W26", "the week of 27 June 2016"),
    ("2020-W53", "the week of 28 December 2020"),
    ("nearly 1000000000000", "nearly 1,000,000,000,000"),
    ("more than 31000 / about 31000", "more than 31,000 / about 31,000"),
    ("$1800000000", "$1,800,000,000"),
    # left as they are: full dates, months of a year, years, short or written figures, decimals, ids, no such day
    ("2016-07-30", "2016-07-30"),
    ("2018-10", "2018-10"),
    ("2004", "2004"),
    ("at least 22", "at least 22"),
    ("1,400", "1,400"),
    ("3.14159", "3.14159"),
    ("S000042", "S000042"),
    ("a-12345", "a-12345"),
    ("--13", "--13"),
    ("--02-30", "--02-30"),
    ("2021-W53", "2021-W53"),
])
def test_readable_writes_out_yearless_dates_weeks_and_long_figures(text: str, shown: str) -> None:
    assert readable(text) == shown


def _yearless() -> dict:
    """The seeds' story with its date conflict as ecbplus's reports gave it: months without a year."""
    record = story()
    record["conflicts"][0].update(
        explanation="Sources disagree on the date (suspended): --10 (1 source) vs early --11 (1 source).",
        values=[{"value": "--10", "label": "--10", "sources": [evidence("002", "Suspended in October.", "--10")]},
                {"value": "--11", "label": "early --11", "sources": [evidence("003", "Suspended early November.",
                                                                              "--11")]}])
    return record


def test_reports_show_yearless_dates_in_words_and_data_keeps_them() -> None:
    record = _yearless()
    kept = copy.deepcopy(record)
    html, markdown = render_html([record]), render_markdown([record])
    for report in (html, markdown):
        assert "October (year not given)" in report and "early November (year not given)" in report
        assert "--10" not in report and "--11" not in report
    assert record == kept  # the views copy; the record a run writes to stories.jsonl is untouched
    rows = list(csv.DictReader(io.StringIO(render_csv(record["conflicts"]).removeprefix("\ufeff"))))
    # the spreadsheet keeps the data (a leading '-' neutralised against formulas, as every CSV value is)
    assert (rows[0]["value_1"], rows[0]["value_2"]) == ("'--10", "early --11")


def test_the_view_writes_out_explanation_and_labels_only() -> None:
    view = conflict_view(_yearless()["conflicts"][0])
    assert view["explanation"].endswith("October (year not given) (1 source) vs early November (year not given) "
                                        "(1 source).")
    assert [value["label"] for value in view["values"]] == ["October (year not given)",
                                                          "early November (year not given)"]
    assert view["values"][0]["sources"][0]["value"] == "--10"


def test_facts_tables_write_out_dates_and_figures_but_not_quotes() -> None:
    record = story(conflicts=False)
    record["facts"] = [
        {"kind": "date", "about": "suspended", "subject": "", "value": "--11", "corroboration": 2,
         "single_source": False, "sources": [evidence("002", "Suspended in November.", "--11")]},
        {"kind": "number", "about": "USD", "subject": "", "value": "1800000000", "corroboration": 2,
         "single_source": False, "sources": [evidence("002", "A $1.8 billion loss.", "1800000000")]},
        {"kind": "quote", "about": "", "subject": "Jim Nye", "value": "Room --11 was 100000 strong", "corroboration": 1,
         "single_source": True, "sources": [evidence("002", '"Room --11 was 100000 strong."', "q")]},
    ]
    for report in (render_html([record]), render_markdown([record])):
        assert "November (year not given)" in report and "1,800,000,000" in report
        assert "Room --11 was 100000 strong" in report  # a quote is the source's text


def test_a_quote_conflict_keeps_the_quotes_words() -> None:
    quote = story()["conflicts"][1]
    quote["values"][0]["label"] = quote["values"][0]["value"] = "We paid 100000 pounds on --11"
    quote["explanation"] = "Jim Nye is quoted in nearly the same words, but the versions differ in a number ('100000')."
    view = conflict_view(quote)
    assert view["values"][0]["label"] == "We paid 100000 pounds on --11"
    assert view["explanation"] == quote["explanation"]
