"""Reading the index back: the last add's result (for ``dedupe index export``), story ids, and counts."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from ..output import atomic_write
from ..output import dumps as line
from ..pipeline import Result, summarise
from ..types import Cluster, Edge
from .codec import StoredRecord, dumps, unpack
from .store import Index
from .update import stored_articles


def cluster_from(text: str) -> Cluster:
    """A Cluster from its stored ``clusters.jsonl`` form."""
    data = json.loads(text)
    edges = tuple(Edge(e["a"], e["b"], e["relation"], e["score"]) for e in data["edges"])
    return Cluster(data["cluster_id"], tuple(data["members"]), data["representative"], edges)


def stored_result(index: Index) -> Result:
    """The result of the last add, as ``dedupe run`` on the same articles returns it.

    Clusters, stories and conflicts are the stored records, so ``write_outputs`` writes the same files
    (``summary.json`` carries the timings of that add). After ``add --fast`` the summary is counted from
    the stored stories.
    """
    with index.reading():
        articles = tuple(sorted(stored_articles(index).values(), key=lambda a: a.id))
        rows = index.db.execute("SELECT cluster, record FROM stories").fetchall()
        summary, exact = index.meta("summary"), is_exact(index)
    clusters = sorted((cluster_from(cluster) for cluster, _ in rows), key=lambda c: c.cluster_id)
    stories = sorted((StoredRecord(unpack(record)) for _, record in rows), key=lambda s: s["story_id"])
    conflicts = [StoredRecord(c) for story in stories for c in story["conflicts"]]
    edges = tuple(sorted((e for c in clusters for e in c.edges), key=lambda e: (e.a, e.b)))
    extras: dict[str, Any] = {"stories": stories, "conflicts": conflicts}
    if not exact:  # after `add --fast`: counts from the stored stories (edges inside clusters only)
        summary = summarise(articles, clusters, list(edges), summary.get("seconds", {}), extras)
    return Result(articles, tuple(clusters), edges, summary, extras)


def is_exact(index: Index) -> bool:
    """True unless an ``add --fast`` placed articles since the last exact add."""
    try:
        return bool(index.meta("exact"))
    except KeyError:
        return True


def story_id_records(index: Index) -> list[dict[str, Any]]:
    """One record per story: its stable id, when it was created, its cluster and story ids, its members."""
    records = []
    for story, created, cluster in index.db.execute("SELECT story, created, cluster FROM stories ORDER BY story"):
        data = json.loads(cluster)
        records.append({"story": story, "created_batch": created, "cluster_id": data["cluster_id"],
                        "story_id": "s" + data["cluster_id"][1:], "members": data["members"]})
    return records


def write_story_ids(index: Index, path: Path) -> None:
    """``story_ids.jsonl``: the stable id of every story, beside the files ``dedupe run`` writes."""
    atomic_write(path, (line(r) + "\n" for r in story_id_records(index)))


def placed_since_exact(index: Index) -> int:
    """How many indexed articles ``add --fast`` placed since the last exact add (0 in an exact index)."""
    try:
        return int(index.meta("placed"))
    except KeyError:
        return 0


def stats(index: Index) -> dict[str, Any]:
    """Counts of the index: articles, stories by size, batches, merges and splits, whether the state is exact
    and how many articles ``add --fast`` placed since it was, and the file size."""
    with index.reading():
        sizes = Counter(n for (n,) in index.db.execute("SELECT COUNT(*) FROM members GROUP BY story"))
        events = dict(index.db.execute("SELECT kind, COUNT(*) FROM events GROUP BY kind").fetchall())
        last = index.db.execute("SELECT batch, added, skipped, seconds FROM batches ORDER BY batch DESC").fetchone()
        data = {
            "index": str(index.path),
            "articles": index.count("articles"),
            "stories": {"total": sum(sizes.values()), "by_size": {str(k): sizes[k] for k in sorted(sizes)}},
            "batches": index.count("batches"),
            "last_batch": dict(zip(("batch", "added", "skipped", "seconds"), last)) if last else None,
            "exact": is_exact(index),
            "placed": placed_since_exact(index),
            "merges": events.get("merge", 0),
            "splits": events.get("split", 0),
            "edges": index.meta("summary").get("edges", {}),
            "config": json.loads(dumps(index.meta("config"))),
        }
    data["bytes"] = index.path.stat().st_size
    return data
