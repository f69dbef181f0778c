"""How far the story assignments of two ``add`` runs (or a run and the batch clusters) agree, on the added articles.

Usage: python bench/fast_agree.py ADDED.jsonl A B [C ...] [--gold GOLD.jsonl [--field story]]
Each of A, B, ... is a labelling of every indexed article: a ``members`` JSON (``{id: story}``, as
``bench/fast_trees.py --members`` writes it) or a ``clusters.jsonl`` of ``dedupe run`` (the exact answer:
an exact ``add`` leaves the partition batch gives). For each pair of labellings it prints the adjusted
Rand index and pair F1 over every article (:func:`dedupe.evaluate.score`), the same on the added articles
alone (the partition they induce), and over the pairs that hold an added article and are together in
either labelling: how many are together in both (Jaccard), and the share of added articles whose whole
story (the articles it is with) is the same in both. ``--gold`` adds each labelling against the gold stories
(JSONL with ``id`` and the story in ``--field``).
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections import defaultdict
from pathlib import Path

from dedupe.evaluate import score


def labelling(path: str) -> dict[str, str]:
    """``{article id: story}`` from a members JSON or a ``clusters.jsonl``."""
    if path.endswith(".jsonl"):
        found = {}
        for line in Path(path).read_text().splitlines():
            cluster = json.loads(line)
            found.update(dict.fromkeys(cluster["members"], cluster["cluster_id"]))
        return found
    return json.loads(Path(path).read_text())


def together(labels: dict[str, str], added: set[str]) -> dict[str, frozenset[str]]:
    """For each added article, the other articles in its story."""
    stories: dict[str, set[str]] = defaultdict(set)
    for article, story in labels.items():
        stories[story].add(article)
    return {a: frozenset(stories[labels[a]] - {a}) for a in added if a in labels}


def compare(one: dict[str, str], two: dict[str, str], added: set[str]) -> str:
    """One Markdown row's cells: ARI / pair F1 over all, over the added, pair Jaccard, same stories."""
    whole, mine = score(one, two), score({a: one[a] for a in added}, {a: two[a] for a in added})
    first, second = together(one, added), together(two, added)
    pairs_one = {tuple(sorted((a, b))) for a, others in first.items() for b in others}
    pairs_two = {tuple(sorted((a, b))) for a, others in second.items() for b in others}
    union = pairs_one | pairs_two
    jaccard = len(pairs_one & pairs_two) / len(union) if union else 1.0
    same = sum(first[a] == second[a] for a in added) / len(added)
    return (f"{whole.ari:.4f} / {whole.pair_f1:.4f} | {mine.ari:.4f} / {mine.pair_f1:.4f} | "
            f"{jaccard:.4f} ({len(union)} pairs) | {same:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("added")
    parser.add_argument("labellings", nargs="+")
    parser.add_argument("--gold")
    parser.add_argument("--field", default="story")
    args = parser.parse_args()
    added = {json.loads(line)["id"] for line in Path(args.added).read_text().splitlines() if line.strip()}
    labels = {path: labelling(path) for path in args.labellings}
    print("| A | B | ARI / pair F1, all | ARI / pair F1, added | pairs with an added article together in both "
          "(Jaccard) | added articles with the same story |\n|---|---|---|---|---|---|")
    for a, b in itertools.combinations(args.labellings, 2):
        print(f"| {Path(a).name} | {Path(b).name} | {compare(labels[a], labels[b], added)} |")
    if args.gold:
        gold = {}
        for line in Path(args.gold).read_text().splitlines():
            record = json.loads(line)
            gold[record["id"]] = str(record[args.field])
        for path, found in labels.items():
            print(f"| {Path(path).name} | gold | {compare(found, gold, added)} |")


if __name__ == "__main__":
    main()
