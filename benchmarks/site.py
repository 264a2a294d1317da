"""The static site of the shipped knowledge base: building it in memory and writing it, against
loading the knowledge base in the same run.

python benchmarks/site.py [--runs 3]

Reference: opening the shipped knowledge base (``len(open_kg())``, parsing the shipped Turtle).
Measured: smartcity_kg.site.build (every page in both languages, the RDF views, the named
queries run, the graph view) and build plus write as a user of the API writes a site
(``kg.site(folder)``, into a fresh folder each round). The table gives medians over the rounds;
the JSON also records the site's file count and size.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from benchmarks.common import row, save, settle, table, time_rounds


def main() -> None:
    # site and KnowledgeBase: internal on purpose, to time the build alone, in memory (the API
    # builds only to write)
    from smartcity_kg import open_kg, site
    from smartcity_kg.dataset import KnowledgeBase

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    kg = open_kg()
    kb = KnowledgeBase.load()
    built = site.build(kb)
    settle()
    scratch = Path(tempfile.mkdtemp(prefix="sckg-bench-site-"))
    counter = iter(range(10**6))

    def build_and_write():
        kg.site(scratch / f"site{next(counter)}")

    cases = {
        "load the knowledge base": lambda: len(open_kg()),
        "site.build": lambda: site.build(kb),
        "site.build + site.write": build_and_write,
    }
    try:
        samples = time_rounds(cases, args.runs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    extra = {"files": len(built.files), "bytes": built.size, "pages": len(built.pages)}
    rows = [row(name, s, **extra) for name, s in samples.items()]
    print(table(rows, reference="load the knowledge base"))
    print(f"\n{len(built.pages)} IRIs, {len(built.files)} files, {built.size / 1e6:.1f} MB")
    print(f"written: {save('site', rows)}")


if __name__ == "__main__":
    main()
