"""Every shipped named query at 1 M triples, in memory and on a store, old text beside new.

python benchmarks/named_queries.py [--triples 1M] [--runs 5] [--compare main] [--only a,b]
                                    [--engines memory,store] [--workdir DIR]

The dataset is what a user queries: the shipped knowledge base plus a seeded synthetic graph
(benchmarks/generate.py) as one more file, without the few triples the shipped knowledge base
already states (so the union default graph is a set and no union copy is made; see
dataset.KnowledgeBase.union_store). Everything runs as a user of the Python API runs it:
``memory`` is ``open_kg(data=[file])``, ``store`` is ``open_kg(store=DIR)`` on a store made by
``smartcity-kg load --store``; each engine runs in a child process of its own, and each named
query runs by name (``kg.run(name)``, its defaults bound).

With ``--compare REV`` each query's text at git revision REV (``git show REV:queries/NAME.rq``)
runs beside it as SPARQL text with the same parameters (``kg.run(text, params)``, each default
given in Turtle syntax, so it binds as the same RDF term), in alternating rounds on the same
loaded dataset, and the two answers must be identical (same rows in the same order): the table
then shows before, after and their ratio. Medians of ``--runs`` runs after one untimed
warm-up; a text whose first run takes over SLOW_S seconds is timed by that run alone (a second
run would only cost minutes). Targets (issue 11): every named query within 1 s in memory and
3 s on a store. Prints a Markdown table with the load average and writes
benchmarks/results/named_queries.json.
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

from benchmarks.common import RESULTS  # noqa: E402
from benchmarks.generate import generate, parse_size  # noqa: E402

BIN = Path(sys.executable).parent
#: a text whose first run is slower than this is timed by that run alone
SLOW_S = 20.0
TARGETS = {"memory": 1.0, "store": 3.0}


# --- worker side: one engine in a child process ---------------------------------------------


def _old_text(rev: str, name: str) -> str | None:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:queries/{name}.rq"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout if done.returncode == 0 else None


def _clock(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _time_cases(cases: dict, runs: int) -> tuple[dict[str, list[float]], dict]:
    """Warm-up (or the only run, when slow), then alternating rounds; the last answers."""
    samples: dict[str, list[float]] = {}
    answers = {}
    for key, fn in cases.items():
        took, answers[key] = _clock(fn)
        samples[key] = [took] if took > SLOW_S else []
    for i in range(runs):
        order = list(cases) if i % 2 == 0 else list(reversed(cases))
        for key in order:
            if len(samples[key]) < runs and not (samples[key] and samples[key][0] > SLOW_S):
                took, answers[key] = _clock(cases[key])
                samples[key].append(took)
    return samples, answers


def worker(engine: str, data: Path, store: Path, runs: int, rev: str | None, only) -> dict:
    from smartcity_kg import open_kg

    start = time.perf_counter()
    kg = open_kg(data=[data]) if engine == "memory" else open_kg(store=store)
    triples = len(kg)  # opens the dataset: loads the files, or opens the store
    out: dict = {"engine": engine, "load_s": time.perf_counter() - start, "triples": triples}
    # internal on purpose: whether graphs share triples, which would make the engine query a
    # union copy (a diagnostic the API has no reason to offer)
    out["union_copy"] = kg._source.kb.union_store() is not None
    out["queries"] = {}
    for name, q in sorted(kg.queries().items()):
        if only and name not in only:
            continue
        cases = {"new": lambda name=name: kg.run(name)}
        old = _old_text(rev, name) if rev else None
        if old is not None and old != q.text:
            # the defaults as Turtle terms (``"2024"^^xsd:gYear``, ``<iri>``), so the text
            # binds exactly the terms the named query binds
            params = {key: str(value) for key, value in q.bindings({}).items()}
            cases["old"] = lambda t=old, p=params: kg.run(t, p)
        samples, answers = _time_cases(cases, runs)
        entry = {key: samples[key] for key in cases}
        entry["rows"] = len(answers["new"].rows)
        if "old" in answers:
            same = answers["old"].variables == answers["new"].variables
            entry["same"] = same and answers["old"].rows == answers["new"].rows
        elif rev:
            entry["same"] = True  # the text did not change
        out["queries"][name] = entry
        print(f"   {engine} {name}: {json.dumps(entry)[:160]}", file=sys.stderr, flush=True)
    return out


# --- driver side ----------------------------------------------------------------------------


def prepare(workdir: Path, triples: int) -> tuple[Path, Path]:
    """The synthetic file (without triples the shipped knowledge base states) and its store;
    both are kept in ``workdir`` and reused when present."""
    import pyoxigraph as ox

    from smartcity_kg import open_kg

    data = workdir / f"synthetic-{triples}.nt"
    store = workdir / f"store-{triples}"
    if not data.exists():
        raw = workdir / f"raw-{triples}.nt"
        generate(raw, triples)
        shipped = set(open_kg().query("CONSTRUCT WHERE { ?s ?p ?o }"))
        parsed = ox.parse(path=str(raw), format=ox.RdfFormat.N_TRIPLES)
        kept = (q for q in parsed if q.triple not in shipped)
        data.write_bytes(ox.serialize(list(kept), format=ox.RdfFormat.N_TRIPLES))
        raw.unlink()
    if not store.exists():
        exe = str(BIN / "smartcity-kg")
        subprocess.run([exe, "load", "--store", str(store), str(data)], check=True)
    return data, store


def run_engine(engine: str, data: Path, store: Path, args) -> dict:
    argv = [sys.executable, __file__, "--worker", engine, "--runs", str(args.runs)]
    argv += ["--data", str(data), "--store-dir", str(store)]
    if args.compare:
        argv += ["--compare", args.compare]
    if args.only:
        argv += ["--only", args.only]
    done = subprocess.run(argv, stdout=subprocess.PIPE, check=True)
    return json.loads(done.stdout)


def _cell(samples: list[float] | None) -> str:
    if not samples:
        return "-"
    return f"{statistics.median(samples):.3f} (n={len(samples)})"


def report(results: list[dict], compare: str | None) -> str:
    engines = [r["engine"] for r in results]
    head = ["query"]
    for e in engines:
        head += [f"{e} before ({compare})", f"{e} after", f"{e} ratio"] if compare else [e]
    limits = ", ".join(f"{e} {TARGETS[e]:g} s" for e in engines)
    head += ["same answer", "rows", f"within target ({limits})"]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 2) + "---|"]
    names = sorted({n for r in results for n in r["queries"]})
    for name in names:
        cells, met, same, rows = [name], True, "", ""
        for r in results:
            entry = r["queries"][name]
            new = entry["new"]
            old = entry.get("old")
            met = met and statistics.median(new) <= TARGETS[r["engine"]]
            if compare:
                before = old or new  # unchanged text: before is after
                ratio = statistics.median(before) / statistics.median(new)
                cells += [_cell(before), _cell(new), f"{ratio:.1f}x"]
                if entry.get("same") is False:
                    same = "DIFFERENT"
                elif not same:
                    same = "identical" if old else "unchanged text"
            else:
                cells.append(_cell(new))
            rows = str(entry["rows"])
        cells += [same or "-", rows, "yes" if met else "NO"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", default="1M")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compare", metavar="REV", help="git revision of the old query texts")
    parser.add_argument("--only", help="comma-separated query names")
    parser.add_argument("--engines", default="memory,store")
    parser.add_argument("--workdir", type=Path, help="keep the data and the store here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    if args.worker:
        result = worker(args.worker, args.data, args.store_dir, args.runs, args.compare, only)
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="named-queries-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        data, store = prepare(workdir, parse_size(args.triples))
        results = []
        for engine in args.engines.split(","):
            print(f"{engine} ...", file=sys.stderr, flush=True)
            results.append(run_engine(engine, data, store, args))
    load = ", ".join(f"{r['engine']} {r['load_s']:.1f} s" for r in results)
    print(
        f"Named queries on the shipped knowledge base + {parse_size(args.triples):,} synthetic "
        f"triples ({results[0]['triples']:,} in all; opening/loading: {load}); medians in "
        f"seconds; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs.\n"
    )
    table = report(results, args.compare)
    print(table)
    if any(r["union_copy"] for r in results):
        print("\nNote: a union copy was made (graphs share triples); times include none of it.")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "named_queries.json"
    out.write_text(json.dumps({"compare": args.compare, "engines": results}, indent=2) + "\n")
    print(f"\nwritten: {out}")


if __name__ == "__main__":
    main()
