"""The reports' facts tables, with each repeated text escaped once a story, equal the renderings they replace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape as markup_escape

from dedupe.report.html import environment, escaped_text, fact_rows
from dedupe.report.markdown import _code, _facts, escape
from dedupe.report.views import shown_value

#: The loop of ``story.html.j2`` that :func:`fact_rows` replaces, as the template held it, the value shown as
#: ``views.shown_value`` writes it (the oracle).
TEMPLATE_ROWS = (
    """<tbody>
    {%- for fact in facts %}
      <tr><td>{{ fact.kind }}</td><td>{{ fact.about }}{% if fact.subject %} &middot; {{ fact.subject }}{% endif %}</td>
        <td class="value">{{ shown_value(fact) }}</td>
        <td>{% if fact.single_source %}<span class="badge single">single source</span>{% else %}"""
    """<span class="badge corroborated">{{ fact.corroboration }} reports</span>{% endif %}</td>
        <td><details><summary>{{ fact.sources|length }} sentence{{ "s" if fact.sources|length != 1 }}</summary>
          {%- for source in fact.sources %}<p><code>{{ source.id }}</code>: """
    """{{ source.sentence or source.text }}</p>{% endfor %}
        </details></td></tr>
    {%- endfor %}
    </tbody>"""
)


def markdown_rows(facts: Sequence[Mapping[str, Any]]) -> list[str]:
    """The lines ``markdown._facts`` wrote before it kept texts, restated cell by cell (the oracle)."""
    if not facts:
        return ["No facts were extracted."]
    lines = ["| Kind | About | Value | Reports | Articles |", "|---|---|---|---|---|"]
    for fact in facts:
        cells = [escape(fact.get("kind")), escape(" / ".join(t for t in (fact.get("about"), fact.get("subject")) if t)),
                 escape(shown_value(fact)),
                 "single source" if fact.get("single_source") else str(fact.get("corroboration")),
                 ", ".join("`" + _code(source.get("id")) + "`" for source in fact.get("sources") or [])]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


#: Texts with what either report escapes (HTML's five characters, Markdown's, white space, backticks, pipes).
TEXT = st.lists(st.sampled_from([*"ab <>&'\"`|*_[]#\n\t-1.:/@w", "www", "\u00e9", "\U0001f600"]), max_size=12).map(
    "".join
)
#: Some texts come back (an article cited by several facts, one sentence stating several): drawn from a few.
SHARED = st.sampled_from(["a1", "a<2>", "x`|y", "", "He said \"no\" & 'yes'."]) | TEXT
SOURCES = st.lists(st.fixed_dictionaries({"id": SHARED, "sentence": SHARED, "text": TEXT}), max_size=4)
FACTS = st.lists(st.fixed_dictionaries({
    "kind": st.sampled_from(["date", "number", "quote", "a&b"]) | TEXT, "about": SHARED, "subject": SHARED,
    "value": TEXT, "corroboration": st.integers(0, 12), "single_source": st.booleans(), "sources": SOURCES,
}), max_size=6)


@settings(max_examples=300, deadline=None)
@given(FACTS)
def test_html_fact_rows_are_the_template_loops_bytes(facts: list[dict]) -> None:
    expected = environment().from_string(TEMPLATE_ROWS).render(facts=facts)
    got = environment().from_string("<tbody>\n    {{- fact_rows(facts) }}\n    </tbody>").render(facts=facts)
    assert got == expected == f"<tbody>{fact_rows(facts)}\n    </tbody>"


@settings(max_examples=300, deadline=None)
@given(FACTS)
def test_markdown_fact_rows_are_the_old_rows(facts: list[dict]) -> None:
    assert list(_facts(facts)) == list(markdown_rows(facts))


@given(st.one_of(TEXT, st.text(), st.integers(), st.none(), st.booleans()))
def test_escaped_text_is_markupsafes_escape(value: object) -> None:
    assert escaped_text(value) == str(markup_escape(value))
