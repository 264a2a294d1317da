"""Cold start of the CLI as whole processes, against the bare interpreter start in the same run.

python benchmarks/coldstart.py [--runs 15]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from benchmarks.common import row, save, table, time_process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    exe = shutil.which("smartcity-kg") or str(Path(sys.executable).parent / "smartcity-kg")
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import rdflib'": [sys.executable, "-c", "import rdflib"],
        "smartcity-kg --help": [exe, "--help"],
        "smartcity-kg query topic-areas": [exe, "query", "topic-areas"],
        "smartcity-kg query gemeinden-per-kreis": [exe, "query", "gemeinden-per-kreis"],
    }
    rows = [row(name, time_process(argv, args.runs)) for name, argv in cases.items()]
    print(table(rows, reference="python -c pass"))
    print(f"\nwritten: {save('coldstart', rows)}")


if __name__ == "__main__":
    main()
