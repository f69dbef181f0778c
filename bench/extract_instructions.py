"""A fixed extraction workload to count instructions with ``valgrind --tool=callgrind``.

Usage (the difference of the two runs is what the articles after the first cost):

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python bench/extract_instructions.py --first-only
    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python bench/extract_instructions.py

Reads the first 40 articles of ``/tmp/corpus10k/articles.jsonl`` and the first 20 of
``gva_incidents_dev`` and of ``wikinews_clusters`` (stripped of furniture as ``dedupe run`` strips
them) and extracts their fields. The first extraction loads the gazetteer and the word lists
(about 1,270 M instructions, as much as ~75 articles): ``--first-only`` extracts that one article
alone, so that the difference of the two counts is the per-article work. Instruction counts do not
move with the machine's load, timings do; a fixed hash seed keeps set orders, so the count repeats.

``--sample 120 40 40`` takes other numbers of articles from the three corpora; ``--worker`` also does what
an extraction worker of ``dedupe run`` does with the fields (``fieldspool.fields_line`` and
``profile.profile_source``, as ``fieldstream.extract_encoded`` calls them).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from extract_speed import DEFAULT_CORPORA, corpus_path, load

SAMPLE = (40, 20, 20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--first-only", action="store_true", help="extract the first article only (the baseline)")
    parser.add_argument("--sample", type=int, nargs=3, default=SAMPLE, metavar="N",
                        help="articles of corpus10k, gva_incidents_dev and wikinews_clusters (default: 40 20 20)")
    parser.add_argument("--worker", action="store_true", help="also encode the fields and make the profile source")
    args = parser.parse_args(argv)
    articles = [a for path, size in zip(DEFAULT_CORPORA, args.sample) for a in load(corpus_path(path), size)]
    from dedupe.extract import extract
    from dedupe.fieldspool import fields_line
    from dedupe.profile import profile_source

    for article in articles[:1] if args.first_only else articles:
        fields = extract(article)
        if args.worker:
            fields_line(fields)
            profile_source(article, fields)
    return 0


if __name__ == "__main__":
    sys.exit(main())
