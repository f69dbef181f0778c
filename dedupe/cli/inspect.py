"""`dedupe explain` and `dedupe eval`: why a pair is linked, and how good the clusters are."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..errors import InputError
from ..evaluate import evaluate_clusters, gold_from_records, read_clusters
from ..explain import check_ids, explain_pair
from ..output import cluster_records
from ..pipeline import run
from .common import (
    config_options,
    handle_errors,
    input_options,
    load_config,
    main,
    read_all,
)


def _config(config_file: str | None, kwargs: dict[str, Any]) -> Any:
    """The config from --config and the shared setting options (popped from kwargs)."""
    return load_config(config_file, threshold=kwargs.pop("threshold"), shingle_size=kwargs.pop("shingle_size"),
                       num_perm=kwargs.pop("num_perm"), relations=kwargs.pop("relations"),
                         workers=kwargs.pop("workers"))


@main.command("explain")
@click.argument("first", metavar="A")
@click.argument("second", metavar="B")
@input_options
@config_options
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@handle_errors
def explain_command(first: str, second: str, as_json: bool, config_file: str | None, **kwargs: Any) -> None:
    """Show why articles A and B are (or are not) one story, field by field."""
    config = _config(config_file, kwargs)
    articles = read_all(kwargs)
    check_ids({article.id for article in articles}, first, second)  # a mistyped id costs no run
    result = run(articles, config)
    report = explain_pair(result, first, second, config)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(render_explanation(report))


#: The field value shown beside a comparison whose own field is not displayed as such.
_SHOWN_AS = {"people": "lead"}


def render_explanation(report: dict[str, Any]) -> str:
    """The explanation as text for a terminal."""
    lines = [f"A: {report['a']['id']}  {report['a']['title'] or ''}".rstrip(),
             f"B: {report['b']['id']}  {report['b']['title'] or ''}".rstrip(),
             f"relation: {report['relation']} ({report['why']})",
             f"same cluster: {'yes' if report['same_cluster'] else 'no'}",
             (f"exact copy: {'yes' if report['exact_copy'] else 'no'}; shingle Jaccard "
              f"{report['shingle_jaccard']:.2f} (near-duplicate at >= {report['near_duplicate_threshold']})")]
    if "comparisons" in report:
        lines.append("")
        lines.append(f"{'field':<10} {'score':>6} {'log-odds':>8}  A | B")
        values_a, values_b = report["fields"]["a"], report["fields"]["b"]
        for part in report["comparisons"]:
            score = "-" if part["score"] is None else f"{part['score']:.2f}"
            shown = _SHOWN_AS.get(part["field"], part["field"])
            shown_a, shown_b = _show(values_a.get(shown)), _show(values_b.get(shown))
            lines.append(f"{part['field']:<10} {score:>6} {part['logodds']:>+8.2f}  {shown_a} | {shown_b}")
        gap, rank = report["publication_gap_days"], report["neighbour_rank"]
        lines.append(f"prior: {report['prior_logodds']:+.2f}; publication gap: "
                     f"{'unknown' if gap is None else f'{gap} days'} ({report['gap_logodds']:+.2f}); neighbour rank: "
                     f"{'not candidates' if rank is None else rank} ({report['rank_logodds']:+.2f})")
        specific = report["specific_overlap"]
        when = (f"not counted: published {gap} days apart" if gap is not None and gap > 0
                else "counted: published on one day, or a day unknown")
        lines.append(f"term specificity overlap: {'-' if specific is None else f'{specific:.2f}'} "
                     f"({report['specific_logodds']:+.2f}; {when})")
        lines.append(f"combined: {report['story_score']:.3f} (same story at >= {report['story_threshold']})")
        for kind, values in report["shared"].items():
            if values:
                lines.append(f"shared {kind}: {', '.join(values)}")
        for kind in ("people", "organisations"):
            a, b = set(values_a.get(kind, [])), set(values_b.get(kind, []))
            if a | b:
                lines.append(f"{kind}: both {sorted(a & b)}; only A {sorted(a - b)}; only B {sorted(b - a)}")
    return "\n".join(lines)


def _show(value: Any, limit: int = 60) -> str:
    """A field value shortened for one table cell."""
    text = ", ".join(value) if isinstance(value, list) else str(value or "-")
    return text if len(text) <= limit else text[: limit - 3] + "..."


@main.command("eval")
@input_options
@config_options
@click.option("--gold-field", default="cluster", show_default=True, metavar="NAME",
              help="Record field holding the gold story label.")
@click.option("--run-dir", type=click.Path(file_okay=False, exists=True), default=None,
              help="Score this run's clusters.jsonl instead of clustering the inputs again.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@handle_errors
def eval_command(gold_field: str, run_dir: str | None, as_json: bool, config_file: str | None, **kwargs: Any) -> None:
    """Score clusters against gold labels: pairwise and B-cubed P/R/F1 and ARI."""
    config = _config(config_file, kwargs)
    articles = read_all(kwargs)
    gold = gold_from_records(articles, gold_field)
    if not gold:
        held = sorted({str(key) for article in articles[:100] for key in article.record})
        raise InputError(f"none of the {len(articles)} records holds a gold label (their fields: {', '.join(held)}).",
                         field=gold_field, hint="pass --gold-field NAME naming the field that holds the labels.")
    clusters = read_clusters(run_dir) if run_dir else list(cluster_records(run(articles, config)))
    report = evaluate_clusters(clusters, gold)
    if run_dir and not report["overall"]["articles"]:  # every score would read 1.0 for nothing scored
        raise InputError(f"none of the run's {report['unlabelled']} articles is among the inputs' {len(gold)} records "
                         f"with a gold label in field {gold_field!r}.", file=str(Path(run_dir) / "clusters.jsonl"),
                         hint="give the inputs that run read, or the directory of a run of these inputs.")
    click.echo(json.dumps(report, indent=2) if as_json else render_scores(report))


def render_scores(report: dict[str, Any]) -> str:
    """The scores as a table: overall, per relation level, and edge precision per relation."""
    columns = ("pair_precision", "pair_recall", "pair_f1", "bcubed_precision", "bcubed_recall", "bcubed_f1", "ari")
    header = f"{'level':<16}" + "".join(f"{c:>17}" for c in columns)
    rows = [header, f"{'overall':<16}" + "".join(f"{report['overall'][c]:>17.4f}" for c in columns)]
    for level, scores in report["levels"].items():
        rows.append(f"{level:<16}" + "".join(f"{scores[c]:>17.4f}" for c in columns))
    rows.append("")
    rows.append(f"articles scored: {report['overall']['articles']}; without a gold label: {report['unlabelled']}")
    for relation, stats in report["edge_precision"].items():
        rows.append(f"{relation} edges in clusters: {stats['edges']}, precision {stats['precision']:.4f}")
    return "\n".join(rows)
