"""Build a deterministic scale corpus with planted copies from real sentences, and its gold labels.

Usage: python bench/make_corpus.py OUT_DIR [--size 100000] [--seed 1] [--words 600]
Writes OUT_DIR/articles.jsonl (``id, title, text, source, published``) and OUT_DIR/gold.jsonl
(``id, kind, story, copy_group, source_id, jaccard``). ``kind`` is ``original``, ``exact`` (the
same text with other case, spacing or quotes), ``near`` (truncated, boilerplate added, a few words
or a sentence changed) or ``rewrite`` (the same story mostly in other sentences). Copies share their
original's ``copy_group``; rewrites share only its ``story``. ``jaccard`` is the 5-word-shingle
Jaccard with the original. The sentences are recombined from ``../shared/data/*/data.jsonl``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dedupe.normalize import sentences
from dedupe.signatures import jaccard, shingle_hashes

DEFAULT_DATA = ROOT.parent / "shared" / "data"
MIXES = {"exact": 0.05, "near": 0.15, "rewrite": 0.10}
#: Share of derived articles that copy one of the first ``HOT`` originals (wire stories reprinted widely).
HOT, HOT_SHARE = 50, 0.2
BOILERPLATE = (
    ("Copyright The Associated Press. All rights reserved. This material may not be published, broadcast, "
     "rewritten or redistributed."),
    "Sign up for our daily newsletter to get the latest headlines delivered to your inbox every morning.",
    "Follow us on Twitter and Facebook for breaking news, weather and sports updates from around the region.",
    "Have a news tip? Email our newsroom or call the tip line; you can remain anonymous.",
)


@dataclass(frozen=True)
class Planted:
    """One generated article and its gold labels."""

    id: str
    text: str
    kind: str
    story: str
    copy_group: str
    source_id: str | None
    day: int


def sentence_pool(data: Path) -> list[str]:
    """Distinct sentences of 6 to 60 words from every corpus with full texts, in a fixed order."""
    seen: dict[str, None] = {}
    for path in sorted(data.glob("*/data.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                for sentence in sentences(json.loads(line).get("text") or ""):
                    if 6 <= len(sentence.split()) <= 60:
                        seen.setdefault(" ".join(sentence.split()), None)
    if not seen:
        raise SystemExit(f"no sentences found under {data}: pass --data")
    return list(seen)


def compose(rng: random.Random, pool: list[str], words: int) -> str:
    """About ``words`` words of sentences drawn from the pool, in paragraphs of three."""
    chosen, count = [], 0
    while count < words:
        chosen.append(pool[rng.randrange(len(pool))])
        count += len(chosen[-1].split())
    return "\n\n".join(" ".join(chosen[i : i + 3]) for i in range(0, len(chosen), 3))


def exact_copy(rng: random.Random, text: str) -> str:
    """The same text as another outlet prints it: other case, spacing or quotes."""
    how = rng.randrange(3)
    if how == 2 and text.upper().lower() != text.lower():
        how = 1
    if how == 0:
        return text.replace("'", "\u2019").replace('"', "\u201c")
    if how == 1:
        return "  " + text.replace(" ", "  ").replace("\n\n", "\n \n") + "\n"
    return text.upper()


def near_copy(rng: random.Random, text: str, pool: list[str]) -> str:
    """A light edit: truncated, boilerplate added, a few words replaced or one sentence swapped."""
    words = text.split(" ")
    how = rng.randrange(4)
    if how == 0:
        return " ".join(words[: int(len(words) * rng.uniform(0.88, 0.97))])
    if how == 1:
        extra = rng.choice(BOILERPLATE)
        return f"{extra}\n\n{text}" if rng.random() < 0.5 else f"{text}\n\n{extra}"
    if how == 2:
        for _ in range(rng.randint(2, 5)):
            words[rng.randrange(len(words))] = rng.choice(pool).split()[0]
        return " ".join(words)
    parts = sentences(text)
    parts[rng.randrange(len(parts))] = rng.choice(pool)
    return " ".join(parts)


def rewrite(rng: random.Random, text: str, pool: list[str], words: int) -> str:
    """The same story mostly in other words: a third of its sentences, shuffled among new ones."""
    kept = [s for s in sentences(text) if rng.random() < 0.35]
    fresh = sentences(compose(rng, pool, max(words - sum(len(s.split()) for s in kept), 50)))
    mixed = kept + fresh
    rng.shuffle(mixed)
    return "\n\n".join(" ".join(mixed[i : i + 3]) for i in range(0, len(mixed), 3))


def plant(size: int, seed: int, words: int, pool: list[str]) -> Iterator[Planted]:
    """``size`` articles: originals, then copies and rewrites of earlier originals, interleaved."""
    rng = random.Random(seed)
    originals: list[Planted] = []
    width = len(str(size))
    for number in range(size):
        ident = f"a{number:0{width}d}"
        roll, kind = rng.random(), "original"
        for name, share in MIXES.items():
            if originals and roll < share:
                kind = name
                break
            roll -= share
        if kind == "original":
            article = Planted(ident, compose(rng, pool, words), kind, ident, ident, None, rng.randrange(3650))
            originals.append(article)
            yield article
            continue
        hot = rng.random() < HOT_SHARE
        source = originals[rng.randrange(min(HOT, len(originals)))] if hot else rng.choice(originals)
        text = {"exact": lambda t: exact_copy(rng, t), "near": lambda t: near_copy(rng, t, pool),
                "rewrite": lambda t: rewrite(rng, t, pool, words)}[kind](source.text)
        group = ident if kind == "rewrite" else source.copy_group
        yield Planted(ident, text, kind, source.story, group, source.id, source.day + rng.randrange(4))


def headline(text: str) -> str:
    """The first words of the first sentence, as a headline."""
    return " ".join(text.split()[:9]).rstrip(".,;:")


def write(out: Path, articles: Iterator[Planted], by_id: dict[str, str]) -> int:
    """Write ``articles.jsonl`` and ``gold.jsonl``; return how many articles were written."""
    out.mkdir(parents=True, exist_ok=True)
    epoch, count = datetime.date(2010, 1, 1), 0
    with (out / "articles.jsonl").open("w", encoding="utf-8") as texts, \
         (out / "gold.jsonl").open("w", encoding="utf-8") as gold:
        for a in articles:
            published = (epoch + datetime.timedelta(days=a.day)).isoformat()
            record = {"id": a.id, "title": headline(a.text), "text": a.text,
                      "source": f"outlet-{int(a.id[1:]) * 7919 % 97}", "published": published}
            texts.write(json.dumps(record, ensure_ascii=False) + "\n")
            score = None
            if a.source_id is not None:
                score = round(jaccard(shingle_hashes(a.text, 5), shingle_hashes(by_id[a.source_id], 5)), 4)
            else:
                by_id[a.id] = a.text
            gold.write(json.dumps({"id": a.id, "kind": a.kind, "story": a.story, "copy_group": a.copy_group,
                                   "source_id": a.source_id, "jaccard": score}) + "\n")
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="output folder (created)")
    parser.add_argument("--size", type=int, default=100_000, help="articles to write [100000]")
    parser.add_argument("--seed", type=int, default=1, help="random seed [1]")
    parser.add_argument("--words", type=int, default=600, help="words per original article [600]")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"corpora folder [{DEFAULT_DATA}]")
    args = parser.parse_args(argv)
    pool = sentence_pool(args.data)
    count = write(args.out, plant(args.size, args.seed, args.words, pool), {})
    print(f"wrote {count} articles from {len(pool)} sentences to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
