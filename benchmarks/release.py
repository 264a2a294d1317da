"""A release of the shipped knowledge base: the time of each step and the size of each file.

python benchmarks/release.py [--runs 3]

Reference: loading the shipped knowledge base (what every command does first). Measured: the
whole release of a first version (load, versioning, 12 serialisations, DCAT, checksums, the
atomic folder), and of a second version, which adds the changelog (the project's diff on each
named graph against the first release). Each round times every case once, in turn; the table
gives medians over the rounds, then the size of each file of the release.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from benchmarks.common import row, save, settle, table, time_rounds
from smartcity_kg import open_kg
from smartcity_kg.release import release  # a maintainer's command, timed as the CLI runs it


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "releases"
        first = base / "0.1.0"
        release("0.1.0", first, date="2026-12-01", environ={})
        settle()

        def again(version: str) -> None:
            target = base / version
            release(version, target, date="2026-12-01", force=True, environ={})
            if version != "0.1.0":
                shutil.rmtree(target)

        cases = {
            "load the shipped knowledge base": lambda: len(open_kg()),
            "release 0.1.0 (first)": lambda: again("0.1.0"),
            "release 0.2.0 (with changelog against 0.1.0)": lambda: again("0.2.0"),
        }
        samples = time_rounds(cases, args.runs)
        sizes = {p.name: p.stat().st_size for p in sorted(first.iterdir())}
    rows = [row(name, s) for name, s in samples.items()]
    print(table(rows, reference="load the shipped knowledge base"))
    print("\n| file | bytes |\n|---|---:|")
    for name, size in sizes.items():
        print(f"| {name} | {size:,} |")
    print(f"| total | {sum(sizes.values()):,} |")
    rows.append({"name": "file sizes", "bytes": sizes})
    print(f"\nwritten: {save('release', rows)}")


if __name__ == "__main__":
    main()
