"""run(articles, config) -> Result: the stages in order, timed, with every article accounted for."""

from __future__ import annotations

import itertools
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .articlespool import ArticleSpool
from .cappedlinks import Pairs, PairSpool, adjacency
from .clusterdays import GroupDays, head_days
from .config import Config
from .copystage import Lone, copy_clusters, copy_edges, early_signer, shingle_store
from .engine import Engine, LocalEngine, paused_gc
from .errors import AccountingError, DuplicateIdError, NoArticlesError
from .graph import (
    HeadGroups,
    build_graph,
    copy_groups,
    heads_of,
    make_clusters,
    starting_units,
)
from .linkage import as_pair_values, average_linkage, head_weights, joined_pieces
from .records import Rejects
from .storytypes import Result
from .types import Article, Cluster, Edge

if TYPE_CHECKING:
    import networkx as nx

#: ``progress(stage, done, total)`` is called as a run advances; the CLI draws a bar.
Progress = Callable[[str, int, int], None]


class _Timer:
    """Collects wall-clock seconds per stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Add the wall-clock seconds of the ``with`` block to stage ``name``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - start, 4)


def _no_progress(stage: str, done: int, total: int) -> None:
    """The default progress callback: does nothing."""


def prepare(articles: Iterable[Article], spool: ArticleSpool | None = None) -> tuple[Article, ...]:
    """Articles sorted by id, so later stages see the same order whatever the input order; with a ``spool``,
    each article's text is written there as it is read and the article holds its place instead."""
    ordered = sorted(articles if spool is None else map(spool.keep, articles), key=lambda a: a.id)
    if spool is not None:
        spool.ready()
    for before, after in itertools.pairwise(ordered):
        if before.id == after.id:
            places = f" (also at {before.origin})" if before.origin else " (two articles given hold it)"
            raise DuplicateIdError(f"duplicate id {after.id!r}{places}.", file=after.origin or None,
                                   field="id", hint="give every article its own id.")
    if not ordered:
        raise NoArticlesError("no articles to process.", hint="check the inputs: they hold no records.")
    return tuple(ordered)


def run(
    articles: Iterable[Article],
    config: Config | None = None,
    progress: Progress | None = None,
    *,
    rejects: Rejects | None = None,
    engine: Engine | None = None,
    stories: bool = True,
    details: bool = True,
    on_profiles: Callable[[Mapping[str, Any]], None] | None = None,
    reports: bool = False,
    output_dir: str | os.PathLike[str] | None = None,
) -> Result:
    """Detect, cluster and merge; the same as ``dedupe run`` without the file writing.

    ``rejects`` is the collector given to ``read_articles``: its records read and set
    aside enter the summary and the check ``read == clustered + rejected``; it is kept in
    ``extras["rejects"]`` for the writer of ``rejects.jsonl``. ``engine`` runs the per-article
    work (signatures, extraction); by default a :class:`LocalEngine` of ``config.workers`` processes.
    ``stories=False`` skips the merge stage (no stories or conflicts, ``summary["stories"]`` None), for
    callers that need only the clusters: with copies only, no field is then extracted at all.
    ``details=False`` keeps neither the profiles and neighbour ranks nor the fields in ``extras`` (what
    ``dedupe explain`` and the index read), so each is freed as soon as the run is done with it
    (profiles after scoring, fields after merging; until then the fields wait in a temporary file, see
    :class:`dedupe.fieldspool.FieldSpool`): ``dedupe run`` writes none of them. The stories are
    then a :class:`dedupe.storyfile.StoryFile`, written to a temporary file as they are merged: a sequence of
    :class:`Story` read back on each access, so no run holds them all; with ``details`` they are a list.
    Without ``details`` the articles' texts, too, wait in a temporary file from the moment they are read: the
    ``articles`` of the result are :class:`dedupe.articlespool.SpooledArticle`, each reading its text back on
    access (pass the articles as an iterator, or through :func:`dedupe.articlespool.drained`, to let the
    originals go). ``on_profiles`` is handed the profiles (by article id) as soon as the same-story stage has
    built them, whatever ``details`` says: ``dedupe index`` stores them then, so a run without details serves it.
    ``reports`` (for a caller that writes report.html and report.md, without ``details``) has the merge workers
    render each story's report sections as they merge it, so writing the reports only joins them.
    ``output_dir`` (without ``details``: the directory the caller will write ``stories.jsonl`` into, as
    ``dedupe run -o`` does; created if needed when the merge starts) has the stories' lines spooled there rather than
    in ``TMPDIR``, in a hidden ``.stories.jsonl.spool.XXXXXXXX.tmp`` that writing ``stories.jsonl`` renames into place
    (no copy); spools of that name a killed run left there are deleted first. By default nothing can be left behind.
    """
    config = config or Config()
    with paused_gc():
        return _run(articles, config, progress or _no_progress, rejects, engine or LocalEngine(config.workers),
                    stories, details, on_profiles, reports, output_dir)


def _run(articles: Iterable[Article], config: Config, progress: Progress, rejects: Rejects | None,
         engine: Engine, stories: bool, details: bool,
         on_profiles: Callable[[Mapping[str, Any]], None] | None = None, reports: bool = False,
         output_dir: str | os.PathLike[str] | None = None) -> Result:
    """The body of :func:`run`, defaults filled in."""
    timer = _Timer()
    with shingle_store(engine) as store, early_signer(config, engine, store) as signer:
        with timer.stage("read"):
            ordered = prepare(articles if signer is None else signer.reading(articles),
                              None if details else ArticleSpool())
        alone = None if "same_story" in config.relations else Lone()
        edges = copy_edges(ordered, config, progress, engine, timer, None if signer is None else signer.known(ordered),
                           store, alone)
    extras: dict[str, Any] = {}
    if "same_story" in config.relations:
        clusters = _story_clusters(ordered, edges, config, progress, engine, timer, extras,
                                   stories=stories, details=details, on_profiles=on_profiles)
    else:
        with timer.stage("cluster"):
            clusters, extras["heads"] = copy_clusters([a.id for a in ordered], edges, _tiebreak(ordered), alone)
            check_partition(ordered, clusters)
    result = Result(ordered, tuple(clusters), tuple(sorted(edges, key=lambda e: (e.a, e.b))), {}, extras)
    if stories:
        from .merge import merge_stories
        from .storyfile import spool_stories

        with timer.stage("merge"):
            extras["stories"], extras["conflicts"] = (merge_stories(result, engine=engine) if details
                                                      else spool_stories(result, engine, sections=reports,
                                                                         directory=output_dir))
    if not details and hasattr(spooled := extras.pop("fields", None), "close"):  # a FieldSpool's file goes now
        spooled.close()
    if rejects is not None:
        extras["rejects"] = rejects
    result.summary = summarise(ordered, clusters, edges, timer.seconds, extras)
    check_accounting(result.summary)
    return result


def _story_clusters(ordered: tuple[Article, ...], edges: list[Edge], config: Config, progress: Progress,
                    engine: Engine, timer: _Timer, extras: dict[str, Any], *, stories: bool, details: bool,
                    on_profiles: Callable[[Mapping[str, Any]], None] | None) -> list[Cluster]:
    """Copy groups, the same-story links between their heads (added to ``edges``; fields, profiles and ranks
    to ``extras`` as ``details`` says), and the clusters they make. Only this imports the extractors and scipy."""
    from .match import same_story

    extras["heads"] = heads_of(copy_groups(build_graph((a.id for a in ordered), edges)))
    by_head = HeadGroups(extras["heads"])  # the graph goes until clustering: it is rebuilt, links and all, then

    with timer.stage("same_story"):
        links = same_story(tuple(a for a in ordered if a.id in by_head), config, progress, engine,
                           spool_fields=not details and stories, keep_ranks=details,
                           keep_profiles=details, on_profiles=on_profiles)
        edges.extend(links.edges)
        extras["fields"] = links.fields
        if details:
            extras.update(profiles=links.profiles, ranks=links.ranks)
        similarity, groups, capped, told = links.similarity, links.groups, links.capped, links.days
        del links  # without details, the profiles go now
    with timer.stage("cluster"):
        graph = build_graph((a.id for a in ordered), edges)  # the copy edges, then the links, as they came
        try:
            return cluster(ordered, graph, by_head, similarity, config, groups, capped, told)
        finally:
            if isinstance(capped, PairSpool):  # its file goes now, not when the garbage collector finds it
                capped.close()


def _tiebreak(articles: tuple[Article, ...]) -> Callable[[str], tuple]:
    """The representative's order among equals (smaller first): longest content, earliest date, then id."""
    info = {a.id: a for a in articles}
    return lambda m: (-info[m].content_length, info[m].published or "~", m)


def cluster(
    articles: tuple[Article, ...],
    graph: nx.Graph,
    by_head: Mapping[str, frozenset[str]],
    similarity: Mapping[tuple[str, str], float],
    config: Config,
    groups: Sequence[frozenset[str]] = (),
    capped: Pairs | None = None,
    told: Mapping[str, tuple[int, ...]] | None = None,
) -> list[Cluster]:
    """Copies stay together; copy groups (keyed by their head, the smallest id) join by average
    linkage of their heads' story scores; only heads are compared field by field. ``groups`` (heads'
    headline communities) start as one unit each; ``capped`` (heads' pairs the candidate cap left
    unscored) weigh ``capped_weight`` in the linkage between groups of more than ``capped_size`` heads
    together; when the cap left pairs out, a second pass joins the pieces of stories larger than it (see
    :func:`~dedupe.linkage.joined_pieces`). ``told`` (each head's :func:`~dedupe.clusterdays.text_days`) lets
    time weigh in: a link loses ``config.day_link_weight`` per ``log(1 + days)`` between the two clusters' nearest
    days (publication days and the days their texts give; None: time does not weigh)."""
    units = starting_units(by_head, groups)
    if similarity:  # imported here: scipy loads only when a run links stories
        from .neighbours import with_shared_neighbours

        similarity = with_shared_neighbours(as_pair_values(similarity), config.neighbours, config.neighbour_floor,
                                            config.neighbour_weight, config.neighbour_neutral)
    shared = adjacency(capped) if similarity and capped is not None and len(capped) else None  # both passes read it
    weights = head_weights(by_head, config.copy_weight) if similarity else None
    days = cluster_days(articles, by_head, told) if similarity and told is not None and config.day_link_weight else None
    merged = (average_linkage(units, similarity, config.link_threshold, config.unscored_weight, capped,
                              config.capped_weight, config.capped_size, capped_adjacency=shared, weights=weights,
                              days=days, day_weight=config.day_link_weight)
              if similarity else units)
    if shared is not None and config.piece_support > 0:
        merged = joined_pieces(merged, similarity, config, capped, shared, weights, days)
    del shared
    partition = [frozenset().union(*(by_head[h] for h in part)) for part in merged]
    clusters = make_clusters(partition, graph, _tiebreak(articles))
    check_partition(articles, clusters)
    return clusters


def cluster_days(articles: Iterable[Article], by_head: Mapping[str, frozenset[str]],
                 told: Mapping[str, tuple[int, ...]]) -> dict[str, GroupDays]:
    """Each head's days for average linkage (see :func:`~dedupe.clusterdays.head_days`): its publication day and
    ``told``, the days its text gives."""
    return head_days(((a.id, a.day) for a in articles if a.id in by_head), told)


def check_partition(articles: tuple[Article, ...], clusters: list[Cluster]) -> None:
    """Raise AccountingError unless every article is in exactly one cluster."""
    ids = {a.id for a in articles}
    listed = [member for c in clusters for member in c.members]
    if len(listed) == len(ids) and set(listed) == ids:  # each id a member, and no more members than ids: once each
        return
    members = Counter(listed)
    doubled = sorted(m for m, n in members.items() if n > 1)
    lost = sorted(ids - set(members))
    if doubled or lost or set(members) - ids:
        raise AccountingError(f"clusters do not partition the input: lost {lost[:5]}, doubled {doubled[:5]}.",
                              hint="this is a bug in dedupe; please report it with the input.")


def check_accounting(summary: dict[str, Any]) -> None:
    """Raise AccountingError unless every record read was clustered or rejected, exactly once."""
    counts = summary["articles"]
    if counts["read"] != counts["clustered"] + counts["rejected"]:
        raise AccountingError(
            f"records do not add up: read {counts['read']}, clustered {counts['clustered']}, "
            f"rejected {counts['rejected']}.", hint="this is a bug in dedupe; please report it with the input.")


def summarise(articles: tuple[Article, ...], clusters: list[Cluster], edges: list[Edge], seconds: dict[str, float],
              extras: dict[str, Any]) -> dict[str, Any]:
    """The counts and timings written to ``summary.json``."""
    sizes = Counter(len(c.members) for c in clusters)
    conflicts = extras.get("conflicts", [])
    rejects: Rejects | None = extras.get("rejects")
    read, rejected = (len(articles), 0) if rejects is None else (rejects.read, len(rejects))
    return {
        "articles": {"read": read, "rejected": rejected, "clustered": sum(len(c.members) for c in clusters)},
        "clusters": {"total": len(clusters), "by_size": {str(k): sizes[k] for k in sorted(sizes)}},
        "edges": dict(sorted(Counter(e.relation for e in edges).items())),
        "stories": {"total": len(extras["stories"]),
                    "with_conflicts": len({c.story_id for c in conflicts}),
                    "conflicts": dict(sorted(Counter(c.kind for c in conflicts).items()))}
        if "stories" in extras else None,
        "seconds": seconds,
    }
