"""For ``bench/scale_pairs.py``: the salient keys a run's pair shares, and every head pair of its hot stories."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from loss_causes import partition
from pair_evidence import Captured
from scale_loss import Gold

from dedupe import Config
from dedupe.blocking import salient_codes
from dedupe.capping import Evidence, key_matrix, nth_best


class KeyView:
    """A run's salient keys again (as its blocking chose them): what a pair shares, and each article's
    ``max_candidates``-th best evidence (what a candidate had to beat to be kept)."""

    def __init__(self, run: Captured, config: Config) -> None:
        ids = sorted(run.profiles)
        self.place = {i: n for n, i in enumerate(ids)}
        positions, keys = salient_codes(run.profiles, ids, config.block_keys)
        self.holders = np.bincount(keys)
        self.keys: dict[int, set[int]] = defaultdict(set)
        for p, k in zip(positions.tolist(), keys.tolist()):
            self.keys[p].add(k)
        evidence = Evidence(key_matrix(positions, keys, len(ids), config.max_block))
        self.nth = nth_best(evidence, len(ids), config.max_candidates)[0] if config.max_candidates else None
        self.max_block = config.max_block
        self.past = round(float(np.mean(self.holders[keys] > config.max_block)), 4) if len(keys) else 0.0

    def of(self, a: str, b: str) -> dict[str, float]:
        """Keys shared, of them usable (2 to ``max_block`` holders), their evidence, their median holders, and
        the better of the two sides' ``max_candidates``-th best evidence (-1: fewer candidates)."""
        i, j = self.place[a], self.place[b]
        shared = sorted(self.holders[k] for k in self.keys[i] & self.keys[j])
        usable = [h for h in shared if h <= self.max_block]
        bar = -1.0 if self.nth is None else float(min(self.nth[i], self.nth[j]))
        return {"shared": len(shared), "usable": len(usable),
                "evidence": round(float(sum(1 / np.log(max(h, 2)) for h in usable)), 4),
                "holders": float(np.median(shared)) if shared else 0.0, "bar": max(bar, -1.0)}


def hot_pairs(run: Captured, gold: Gold) -> dict[str, dict[str, Any]]:
    """Every head pair of the run's hot stories, by type: how many are scored (and their mean score), left out
    by the cap or never candidates, and how many the run's clusters keep together."""
    cluster = partition(run, run.similarity.values, config=Config())
    stories: dict[str, list[str]] = defaultdict(list)
    for head in run.by_head:
        if gold.story[head] in gold.hot:
            stories[gold.story[head]].append(head)
    found: dict[str, Counter[str]] = defaultdict(Counter)
    scores: dict[str, list[float]] = defaultdict(list)
    for members in stories.values():
        for a, b in combinations(sorted(members), 2):
            kind = "rewrite-rewrite" if {gold.group[a], gold.group[b]} <= gold.rewrites else "original-rewrite"
            row = run.similarity.table.row(a, b)
            if row is not None:
                scores[kind].append(float(run.similarity.values[row]))
            status = "scored" if row is not None else "left out by the cap" if run.capped is not None and \
                run.capped.row(a, b) is not None else "never a candidate"
            found[kind].update([status, "pairs"] + (["together"] if cluster[a] == cluster[b] else []))
    return {k: {**c, "mean score": round(float(np.mean(scores[k])), 4) if scores[k] else None,
                "scored >= 0.6": int(np.sum(np.array(scores[k]) >= 0.6))} for k, c in found.items()}


