"""Export and networkx conversion of a synthetic 1 M-triple graph, against rdflib in the same run.

python benchmarks/export.py [--triples 1000000] [--runs 3] [--skip-rdflib] [--only WORD ...]

Reference: reading the triples once (pyoxigraph parses the N-Quads and every quad is visited).
Measured through the Python API on the same data opened as a user's file: the networkx
conversion (``kg.graph("full")``), export to GraphML and to Turtle (``kg.export``); beside them
rdflib's own Turtle serialisation and rdflib's own networkx conversion
(rdflib.extras.external_graph_libs.rdflib_to_networkx_multidigraph) of the same data. The
issue's targets: the conversion, the GraphML export and the Turtle export take no more than 3x
the reference each. Each round times every case once, in turn, and the table gives medians over
the rounds. ``--skip-rdflib`` leaves out the two rdflib cases (and the rdflib graph they need),
which take minutes at 1 M triples, to time the project's own cases alone; ``--only WORD``
(repeatable) keeps the reference and the cases whose name holds one of the words (``--only
"export turtle"``), so that more rounds of one case fit in the same time.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from benchmarks.common import row, save, settle, table, time_rounds

ID = "https://w3id.org/smartcity-kg/id/"
SC = "https://w3id.org/smartcity-kg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
CLASSES = ("TopicArea", "Goal", "Benefit", "Opportunity", "Initiative", "Municipality")
LINKS = ("servesGoal", "hasTopicArea", "providesBenefit", "within", "focusesOn")


def synthetic(triples: int) -> str:
    """N-Quads: entities of 10 triples (type, 2 labels, 2 literals, 5 links), 1 in 5 links
    curated, plus the graph descriptions that say which graph is curated."""
    stated, curated = f"<{ID}graph/stated>", f"<{ID}graph/curated>"
    lines = [
        f'{stated} <{SC}curated> "false"^^<http://www.w3.org/2001/XMLSchema#boolean> '
        f"<{ID}graph/sources> .",
        f'{curated} <{SC}curated> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> '
        f"<{ID}graph/sources> .",
    ]
    entities = max(1, (triples - 2) // 10)
    for i in range(entities):
        s = f"<{ID}e/{i}>"
        lines += [
            f"{s} <{RDF_TYPE}> <{SC}{CLASSES[i % len(CLASSES)]}> {stated} .",
            f'{s} <{LABEL}> "Ding {i}"@de {stated} .',
            f'{s} <{LABEL}> "Thing {i}"@en {stated} .',
            f'{s} <{SC}ags> "{i:08d}" {stated} .',
            f'{s} <{SC}quote> "Satz über Ding {i}."@de {stated} .',
        ]
        for j, p in enumerate(LINKS):
            o = f"<{ID}e/{(i * 7 + j * 13 + 1) % entities}>"
            lines.append(f"{s} <{SC}{p}> {o} {curated if j == 0 else stated} .")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--skip-rdflib", action="store_true", help="leave out the rdflib cases (minutes each)"
    )
    parser.add_argument(
        "--only", action="append", metavar="WORD", help="time the reference and these cases"
    )
    args = parser.parse_args()

    import tempfile

    import pyoxigraph as ox
    import rdflib
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

    from smartcity_kg import open_kg

    text = synthetic(args.triples)
    folder = tempfile.TemporaryDirectory(prefix="export-bench-")
    data = Path(folder.name) / "synthetic.nq"
    data.write_text(text, encoding="utf-8")
    kg = open_kg(data=[data], shipped=False)  # what a user exports: their file, through the API
    count = len(kg)
    print(f"{count} triples", file=sys.stderr)

    def read_once():
        for _ in ox.parse(text, format=ox.RdfFormat.N_QUADS):
            pass

    reference = "read the triples once (pyoxigraph parse, reference)"
    cases = {
        reference: read_once,
        "networkx conversion (kg.graph)": lambda: kg.graph("full"),
        "export graphml (conversion + writer)": lambda: kg.export("graphml"),
        "export turtle (sorted N-Triples lines, pyoxigraph writer)": lambda: kg.export("turtle"),
    }
    rdflib_cases = ["rdflib turtle serialisation", "rdflib_to_networkx_multidigraph"]

    def wanted(name: str) -> bool:
        return not args.only or name == reference or any(word in name for word in args.only)

    if not args.skip_rdflib and any(map(wanted, rdflib_cases)):
        union = rdflib.Graph()
        union.parse(data=text.replace(f" <{ID}graph/curated> .", " .").replace(
            f" <{ID}graph/stated> .", " ."
        ).replace(f" <{ID}graph/sources> .", " ."), format="nt")  # fmt: skip
        cases[rdflib_cases[0]] = lambda: union.serialize(format="turtle")
        cases[rdflib_cases[1]] = lambda: rdflib_to_networkx_multidigraph(union)
    cases = {name: fn for name, fn in cases.items() if wanted(name)}
    settle()
    samples = time_rounds(cases, args.runs)
    rows = [row(name, samples[name], triples=count) for name in cases]
    print(table(rows, reference=reference))
    ref = rows[0]["median_s"]
    print()
    for r in [r for r in rows[1:] if r["name"] not in rdflib_cases]:
        ratio = r["median_s"] / ref
        verdict = "met" if ratio <= 3 else "NOT met"
        print(f"{r['name']} / one read = {ratio:.2f}x (target <= 3x: {verdict})")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"written: {save('export', rows)}")


if __name__ == "__main__":
    main()
