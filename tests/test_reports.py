"""Reports from story records: escaping in HTML and Markdown, CSV formula neutralisation, re-rendering."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jinja2
import pytest
from conftest import SEEDS

from dedupe.errors import InputError
from dedupe.report import (
    COLUMNS,
    REPORT_FILES,
    neutralise,
    read_stories,
    render_csv,
    render_html,
    render_markdown,
    write_reports,
)
from dedupe.report.html import TEMPLATES, environment
from dedupe.report.markdown import escape

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
LINK = "[click here](http://evil.example/phish)"


def evidence(article: str, sentence: str, value: str, text: str = "", **extra: str) -> dict:
    """One source record of a fact or a conflicting value, as in stories.jsonl."""
    return {"id": article, "outlet": extra.get("outlet", "Gazette"), "published": "2020-11-19", "value": value,
            "qualifier": "", "about": "", "subject": "", "text": text or value, "sentence": sentence}


def story(story_id: str = "s1", *, hostile: bool = False, conflicts: bool = True) -> dict:
    """A story record like merge_stories writes, optionally full of hostile corpus text."""
    bad = f" {SCRIPT} {IMG} {LINK}" if hostile else ""
    quote_a = "The behaviour was unacceptable and will be tolerated by the force" + bad
    quote_b = "The behaviour was unacceptable and will not be tolerated by the force" + bad
    records = [
        {"conflict_id": f"x{story_id}1", "story_id": story_id, "field": "date:suspended", "kind": "date_conflict",
         "severity": "hard", "explanation": "Sources disagree on the date (suspended): 2018-10 vs 2018-11.",
         "values": [{"value": "2018-10", "label": "2018-10", "sources": [evidence(
             "002", "The officer was suspended in October 2018." + bad, "2018-10", "October 2018")]},
             {"value": "2018-11", "label": "2018-11", "sources": [evidence(
                 "003", "The officer was first suspended in November 2018.", "2018-11", "November 2018")]}]},
        {"conflict_id": f"x{story_id}2", "story_id": story_id, "field": "quote:Jim Nye",
         "kind": "quote_discrepancy", "severity": "hard",
         "explanation": "Jim Nye is quoted in nearly the same words, but the versions differ in a negation ('not').",
         "values": [{"value": quote_a, "label": quote_a, "sources": [evidence("002", f'"{quote_a}."', quote_a)]},
                    {"value": quote_b, "label": quote_b, "sources": [evidence("003", f'"{quote_b}."', quote_b)]}]},
    ] if conflicts else []
    return {
        "story_id": story_id, "cluster_id": "c" + story_id[1:], "headline": "Officer sacked" + bad,
        "representative": "002", "representative_rule": "most corroborated facts",
        "sources": [{"id": "002", "outlet": "Gazette" + bad, "published": "2020-11-21", "url": "javascript:alert(1)",
                     "title": "Officer sacked" + bad, "copy_of": None},
                    {"id": "003", "outlet": "", "published": "2020-11-19", "url": "https://news.example/a?b=1&c=2",
                     "title": None, "copy_of": None}],
        "counts": {},
        "facts": [{"kind": "date", "about": "hearing", "subject": "", "value": "2020-11-05", "corroboration": 2,
                   "single_source": False, "sources": [evidence("002", "On 5 November a hearing was held." + bad,
                                                                "2020-11-05"),
                                                       evidence("003", "A hearing on 5 November.", "2020-11-05")]},
                  {"kind": "person", "about": "", "subject": "", "value": "Jim Nye" + bad, "corroboration": 1,
                   "single_source": True, "sources": [evidence("002", "Jim Nye said." + bad, "Jim Nye")]}],
        "conflicts": records,
        "updates": [],
    }


# --- HTML ------------------------------------------------------------------------------------------

def test_html_escapes_corpus_text() -> None:
    html = render_html([story(hostile=True)])
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert not re.search(r"<[^>]*\son\w+\s*=", html, re.IGNORECASE)  # no inline event handler in any tag
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;window.__pwned=2&#34;&gt;" in html
    assert 'href="http://evil.example' not in html
    assert "javascript:" not in html.split("<body>")[1].split("javascript:alert(1)")[0]  # shown, never a link
    assert 'href="javascript' not in html


def test_html_is_self_contained() -> None:
    html = render_html([story()])
    assert "<style>" in html and "Content-Security-Policy" in html
    assert not re.search(r"<(script|link|iframe|object|embed)\b", html, re.IGNORECASE)
    assert not re.search(r"\bsrc\s*=", html, re.IGNORECASE)
    assert "@import" not in html and "url(" not in html
    assert 'href="https://news.example/a?b=1&amp;c=2"' in html  # plain http(s) source links only


def test_html_puts_conflicts_first_and_marks_the_difference() -> None:
    html = render_html([story("s0", conflicts=False), story("s9")])
    assert html.index('id="s9"') < html.index('id="s0"')
    assert "will <mark>not</mark> be tolerated" in html
    assert "<mark>October 2018</mark>" in html and "<mark>November 2018</mark>" in html
    assert "No conflicts found" in html


def test_template_is_a_file_with_autoescape() -> None:
    assert (TEMPLATES / "report.html.j2").is_file()
    assert environment().autoescape is True
    assert "|safe" not in (TEMPLATES / "report.html.j2").read_text(encoding="utf-8")


def test_empty_report() -> None:
    assert "No stories." in render_html([])
    assert render_markdown([]).startswith("# Story report")


# --- Markdown -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "escaped"), [
    (LINK, r"\[click here\](http\://evil.example/phish)"),
    (SCRIPT, r"\<script\>window.\_\_pwned=1\</script\>"),
    ("a | b *c* `d`", r"a \| b \*c\* \`d\`"),
    ("- not a list", r"\- not a list"),
    ("12. not a list", r"12\. not a list"),
    ("&lt; stays", r"\&lt; stays"),
    ("visit www.evil.example or mail me@evil.example", r"visit www\.evil.example or mail me\@evil.example"),
    ("two\nlines", "two lines"),
])
def test_markdown_escape(text: str, escaped: str) -> None:
    assert escape(text) == escaped


def test_markdown_report_shows_corpus_markup_as_text() -> None:
    md = render_markdown([story(hostile=True)])
    assert not re.search(r"(?<!\\)[<\[]", md)  # every < and [ of the corpus is escaped
    assert not re.search(r"(?<!\\)\]\(", md)  # no unescaped "](" that would make a link
    assert r"\<script\>" in md and r"\[click here\]" in md
    assert "will **not** be tolerated" in md
    assert "in **October 2018**" in md
    for line in md.splitlines():
        if line.startswith("|"):
            assert len(re.findall(r"(?<!\\)\|", line)) in (4, 6)  # only the table's own pipes


# --- CSV ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


def test_plain_cells_are_kept() -> None:
    assert neutralise("Sources disagree") == "Sources disagree" and neutralise(None) == ""


def test_csv_has_one_row_per_conflict_and_no_formulas() -> None:
    record = story()
    record["conflicts"][0]["values"][0]["label"] = "=cmd|' /C calc'!A0"
    record["conflicts"][0]["explanation"] = "@evil"
    rows = list(csv.reader(io.StringIO(render_csv(record["conflicts"]).removeprefix("\ufeff"))))
    assert rows[0] == list(COLUMNS) and len(rows) == 3
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    first = dict(zip(COLUMNS, rows[1]))
    assert first["value_1"] == "'=cmd|' /C calc'!A0" and first["explanation"] == "'@evil"
    assert first["sources_2"] == "003 (Gazette, 2020-11-19)"


def test_csv_opens_in_excel_as_utf8() -> None:
    """Excel reads a CSV without a byte order mark as cp1252: the file starts with one, and read as Excel
    reads it (the mark, then UTF-8) gives a real sentence's euro and pound signs back (allsides
    ``as-5649-left``)."""
    record = story()
    record["conflicts"][0]["values"][0]["sources"][0]["sentence"] = "Purchase price: \u20ac3.6m (\u00a33.1m)."
    data = render_csv(record["conflicts"]).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(COLUMNS) and "Purchase price: \u20ac3.6m (\u00a33.1m)." in rows[1]


# --- write_reports --------------------------------------------------------------------------------

def test_write_reports_from_stories_jsonl(tmp_path: Path) -> None:
    records = [story("s1"), story("s2", conflicts=False)]
    (tmp_path / "stories.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    written = write_reports(tmp_path)
    assert [p.name for p in written] == ["report.html", "report.md", "conflicts.csv"]
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == render_html(records)
    assert len(list(csv.reader(io.StringIO((tmp_path / "conflicts.csv").read_text(encoding="utf-8-sig"))))) == 3
    assert set(REPORT_FILES) == {"report.html", "report.md"}


def test_write_reports_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no stories.jsonl"):
        write_reports(tmp_path)
    (tmp_path / "stories.jsonl").write_text('{"story_id": "s1"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError) as error:
        write_reports(tmp_path)
    assert error.value.line == 2 and "stories.jsonl" in str(error.value)


def lone(story_id: str, *, hostile: bool = False) -> dict:
    """A story told by one article with nothing contested (its one fact is a person)."""
    record = story(story_id, hostile=hostile, conflicts=False)
    record["sources"] = record["sources"][:1]
    record["facts"] = record["facts"][1:]
    return record


def test_single_source_stories_are_one_row_each_after_the_full_stories() -> None:
    html = render_html([lone("s1"), story("s2", conflicts=False), story("s3")])
    single = html.split('<section id="single-source">')[1]
    assert '<tr id="s1"><td><code>s1</code></td><td>Officer sacked</td>' in single
    assert "<td>1</td></tr>" in single  # its fact count; the facts themselves stay in stories.jsonl
    assert "Jim Nye" not in single and 'id="s2"' not in single and html.index('id="s3"') < html.index('id="s2"')
    assert '<a href="#single-source">1 single-source story</a>' in html
    markdown = render_markdown([lone("s1"), story("s3")])
    assert "## 1. Officer sacked" in markdown and "## 2." not in markdown
    assert markdown.rstrip().endswith("| `s1` | Officer sacked | `002` | Gazette | 2020-11-21 | 1 |")


def test_single_source_rows_escape_corpus_text() -> None:
    html = render_html([lone("s1", hostile=True)])
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "Officer sacked &lt;script&gt;" in html
    row = render_markdown([lone("s1", hostile=True)]).rstrip().splitlines()[-1]
    assert escape(SCRIPT) in row and escape(LINK) in row and LINK not in row


def test_record_fields_are_read_as_keys_first() -> None:
    env = environment()
    assert env.from_string("{{ r.items }}/{{ r.title }}").render(r={"items": "3 items", "title": "T"}) == "3 items/T"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ r.missing }}").render(r={"title": "T"})


def test_outputs_stream_the_reports_the_records_give(tmp_path: Path) -> None:
    from dedupe import Config, read_articles, run
    from dedupe.output import story_outline, write_outputs
    from dedupe.report import html_chunks
    from dedupe.report.views import outline

    result = run(read_articles([SEEDS]), Config(workers=1))
    stories = result.extras["stories"]
    assert [story_outline(s) for s in stories] == [outline(s.as_dict()) for s in stories]
    write_outputs(result, tmp_path)
    records = read_stories(tmp_path / "stories.jsonl")
    assert [r["story_id"] for r in records] == [s.story_id for s in stories]
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == render_html(records)
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == render_markdown(records)
    built: list[int] = []
    outlines = [outline(r) for r in records]
    "".join(html_chunks(outlines, lambda i: built.append(i) or ""))
    full = [i for i, o in enumerate(outlines) if o.sources > 1 or o.conflicts or o.updates]
    assert sorted(built) == full  # only the full stories' sections are asked for, each once
