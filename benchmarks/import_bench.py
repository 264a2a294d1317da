"""Import benchmark: N initiative rows (default 50,000) from CSV to a written, checked Turtle file.

Measured in the same run:
  reference   plain csv parsing of the same file + pyoxigraph loading the same rows as
              N-Triples (the least any import has to do)
  import      smartcity_kg.importer: read, resolve labels, SHACL gate, provenance, write
  cli         the whole 'smartcity-kg import' process (start-up, loading the knowledge base)

Usage: python -m benchmarks.import_bench [--rows 50000] [--runs 3]
Each round times every case once, in turn (a slow spell of the machine then touches every case
alike); medians over the rounds.
Prints a Markdown table (medians, ratio to the reference) and writes
benchmarks/results/import.json. The issue's budget is 20 s for 50,000 rows including validation.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

from benchmarks.common import row, save, table, time_rounds
from smartcity_kg.import_templates import TEMPLATES

REGIONS = ["06411000", "06412000", "06611000", "06413000", "06414000", "06432", "06531"]
TOPICS = ["Mobilität", "Energie & Umwelt", "Verwaltung", "Bildung", "Gesundheit", "handel"]


def make_csv(path: Path, n: int) -> None:
    columns = TEMPLATES["initiatives"].names
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for i in range(n):
            cells = {
                "name": f"Initiative {i:06d}",
                "name_en": f"Initiative {i:06d}",
                "description": f"Beschreibung {i}",
                "region": REGIONS[i % len(REGIONS)],
                "topic_areas": ";".join(TOPICS[(i + k) % len(TOPICS)] for k in range(2)),
                "goals": "lebensqualitaet",
                "start_year": str(2000 + i % 25),
                "status": "active",
                "url": f"https://example.org/{i}",
                "source": f"Erhebung {i % 10}",
            }
            writer.writerow([cells.get(c, "") for c in columns])


def reference(path: Path) -> int:
    """csv parsing + the same rows as N-Triples loaded into pyoxigraph."""
    base = "https://w3id.org/smartcity-kg/id/initiative/"
    lines = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for i, cells in enumerate(reader):
            s = f"<{base}{i}>"
            lines.append(f'{s} <http://www.w3.org/2000/01/rdf-schema#label> "{cells["name"]}"@de .')
            lines.append(f'{s} <https://schema.org/url> "{cells["url"]}" .')
            lines.append(f'{s} <https://schema.org/startDate> "{cells["start_year"]}" .')
            for topic in cells["topic_areas"].split(";"):
                lines.append(f'{s} <https://w3id.org/smartcity-kg/ontology#t> "{topic}" .')
    store = ox.Store()
    store.bulk_load("\n".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
    return len(store)


def run_import(path: Path, out: Path) -> int:
    from smartcity_kg.import_reader import read_table
    from smartcity_kg.importer import build, write

    result = build(read_table(path))
    if result.problems:
        raise SystemExit(f"benchmark data has problems: {result.problems[:3]}")
    write(result, out)
    return len(result.statements)


REFERENCE = "reference: csv + pyoxigraph N-Triples load"
LIBRARY = "import (library: read, resolve, SHACL gate, write)"
PROCESS = "smartcity-kg import (whole process)"


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = folder / "initiatives.csv"
        make_csv(src, args.rows)
        out = folder / "out.ttl"
        triples = run_import(src, out)  # also a warm-up; fails loudly on bad data
        script = str(Path(sys.executable).with_name("smartcity-kg"))
        cli = [script, "import", str(src), "-o", str(out)]
        cases = {
            REFERENCE: lambda: reference(src),
            LIBRARY: lambda: run_import(src, out),
            PROCESS: lambda: subprocess.run(cli, check=True, stdout=subprocess.DEVNULL),
        }
        before = _child_cpu()
        samples = time_rounds(cases, args.runs)  # in turn: a slow spell touches every case
        cpu = (_child_cpu() - before) / args.runs
        rows = [
            row(REFERENCE, samples[REFERENCE]),
            row(LIBRARY, samples[LIBRARY], triples=triples),
            row(PROCESS, samples[PROCESS], cpu_s_mean=round(cpu, 3)),
        ]
    print(f"Import of {args.rows} initiative rows ({triples} triples):\n")
    print(table(rows, rows[0]["name"]))
    budget = 20.0
    whole = rows[2]["median_s"]
    verdict = "within" if whole <= budget else "OVER"
    print(f"\nBudget: {budget:.0f} s; whole process median {whole:.1f} s: {verdict} budget.")
    print(f"CPU time (user + system) of one whole process: {rows[2]['cpu_s_mean']:.1f} s; "
          f"load average now {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs.")  # fmt: skip
    print(f"Wrote {save('import', rows)}")


if __name__ == "__main__":
    main()
