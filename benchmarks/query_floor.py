"""The least any answer of ``initiatives`` costs at 1 M triples: parts it cannot do without.

python benchmarks/query_floor.py [--triples 1M] [--runs 3] [--workdir DIR]

Issue 11 asks every named query to answer within 1 s in memory and 3 s on a store at 1 M
triples. ``initiatives`` answers with every initiative (85,928 in the synthetic graph), its
region, its region's level and its two lists, sorted. Whatever shape its text takes, it must
at least find every initiative, read its label and sort the rows by it. This benchmark times
those parts alone, each a query of its own through the Python API on the same dataset as
benchmarks/named_queries.py (the shipped knowledge base plus the synthetic graph, in memory and
on a store made by ``smartcity-kg load --store``, each engine in a child process of its own).
When a part alone takes longer than the target, no query shape meets it for the whole answer.

The sort is timed two ways: by the label itself, and by a key the query makes once per row
(a new string). Oxigraph reads the text of a stored IRI or literal at every comparison (from
disk on a store); a string the query made lives in the query's memory, which the named queries
use where they sort many rows (``initiative-source-violation``, ``label-missing-violation``).
Medians of ``--runs`` runs after one untimed warm-up. Prints a Markdown table with the load
average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks.generate import parse_size  # noqa: E402
from benchmarks.named_queries import TARGETS, prepare  # noqa: E402

HEAD = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sc: <https://w3id.org/smartcity-kg/ontology#>
"""
LABELLED = '?initiative a sc:Initiative ; rdfs:label ?label . FILTER(LANG(?label) = "de")'
#: part -> query text; each returns one row per initiative
PARTS = {
    "every initiative": "SELECT ?initiative WHERE { ?initiative a sc:Initiative }",
    "every initiative with its German label": f"SELECT ?initiative ?label WHERE {{ {LABELLED} }}",
    "the same, sorted by the label": (
        f"SELECT ?initiative ?label WHERE {{ {LABELLED} }} ORDER BY STR(?label)"
    ),
    "the same, sorted by a key made once per row": (
        f'SELECT ?initiative ?label WHERE {{ {LABELLED} BIND(CONCAT("#", STR(?label)) AS ?key) }}'
        " ORDER BY ?key"
    ),
}


def worker(engine: str, data: Path, store: Path, runs: int) -> dict:
    from smartcity_kg import open_kg

    kg = open_kg(data=[data]) if engine == "memory" else open_kg(store=store)
    out: dict = {"engine": engine, "triples": len(kg), "parts": {}}
    for name, text in PARTS.items():
        kg.run(HEAD + text)  # warm-up
        samples, rows = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            rows = len(kg.run(HEAD + text).rows)
            samples.append(time.perf_counter() - start)
        out["parts"][name] = {"samples": samples, "rows": rows}
        print(f"   {engine} {name}: {statistics.median(samples):.2f} s", file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=parse_size, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="keep the data and store here (reused)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.data, args.store_dir, args.runs)))
        return
    with tempfile.TemporaryDirectory(prefix="query-floor-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        data, store = prepare(workdir, args.triples)
        results = []
        for engine in TARGETS:
            argv = [sys.executable, __file__, "--worker", engine, "--runs", str(args.runs)]
            argv += ["--data", str(data), "--store-dir", str(store)]
            done = subprocess.run(argv, stdout=subprocess.PIPE, check=True)
            results.append(json.loads(done.stdout))
    print(f"Parts of the `initiatives` answer at {results[0]['triples']:,} triples, median s:\n")
    print("| part | rows | " + " | ".join(f"{r['engine']} (target {TARGETS[r['engine']]:g} s)"
                                          for r in results) + " |")  # fmt: skip
    print("|---|---:|" + "---:|" * len(results))
    for name in PARTS:
        cells = []
        for r in results:
            took = statistics.median(r["parts"][name]["samples"])
            over = " (over)" if took > TARGETS[r["engine"]] else ""
            cells.append(f"{took:.2f}{over}")
        rows = results[0]["parts"][name]["rows"]
        print(f"| {name} | {rows:,} | " + " | ".join(cells) + " |")
    print(f"\nload average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
