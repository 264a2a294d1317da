"""Bounded load run on loopback: ``smartcity-kg serve`` beside ``oxigraph serve-read-only``.

Both servers hold the same dataset (the shipped knowledge base plus any --data files, one named
graph per file, union default graph) and are started by this script on free ports of 127.0.0.1.
Each scenario sends the same number of requests with the same concurrency to both:

* named queries: every named question (defaults bound) in turn, as ``/queries/NAME.json`` on
  ours and as the same bound SPARQL on Oxigraph's ``/query``;
* sparql endpoint: the same texts sent to our ``/sparql`` (parsed and checked first);
* mixed: named queries alternating with entity pages (HTML ``/id/...`` on ours; on Oxigraph a
  CONSTRUCT of the triples such a page shows).

Then the fairness scenario, on our server alone (started with ``--timeout 2``): one client sends
cheap named queries for ``--fairness-seconds``, first alone (the reference), then while four
clients loop ad-hoc queries that each run into the time limit. The cheap client's p95 must stay
under 1 s with zero errors.

python benchmarks/load.py [--requests 2000] [--concurrency 16] [--workers 2] [--data FILE ...]
python benchmarks/load.py --only fairness [--fairness-seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from benchmarks.common import RESULTS, save


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_up(url: str, process: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}: {process.args}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server at {url} did not start within {limit} s")


def workload(data: list[str]):
    """The named queries (bound SPARQL with the project's prefixes) and entity IRIs."""
    from smartcity_kg import open_kg

    # internal on purpose: both servers get the very text smartcity-kg runs for a named query
    from smartcity_kg.binding import bind
    from smartcity_kg.prefixes import ID, prologue

    kg = open_kg(data=data)
    queries = {}
    for name, q in kg.queries().items():
        if q.is_check:
            continue
        try:
            queries[name] = prologue() + bind(q.text, q.bindings({}))
        except Exception:  # a query without defaults for all parameters
            continue
    found = kg.query(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{ID}')) }}")
    subjects = sorted(found.column("s"))
    step = max(1, len(subjects) // 50)
    return kg, queries, subjects[::step][:50]


def oxigraph_store(kg, folder: Path) -> Path:
    """An on-disk copy of the dataset for ``oxigraph serve-read-only``: its N-Quads export."""
    import pyoxigraph as ox

    location = folder / "oxigraph"
    store = ox.Store(str(location))
    store.load(kg.export("nquads")[""], format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return location


async def drive(requests: list[tuple[str, dict, dict]], concurrency: int) -> dict:
    """Send ``requests`` (url, params, headers) with ``concurrency`` clients; time each one."""
    import httpx

    latencies: list[float] = []
    errors = 0
    statuses: dict[str, int] = {}
    queue = list(reversed(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def one_client():
            nonlocal errors
            while queue:
                url, params, headers = queue.pop()
                start = time.perf_counter()
                try:
                    r = await client.get(url, params=params, headers=headers)
                    await r.aread()
                    if r.status_code != 200:
                        errors += 1
                        statuses[str(r.status_code)] = statuses.get(str(r.status_code), 0) + 1
                except httpx.HTTPError as err:
                    errors += 1
                    kind = type(err).__name__
                    statuses[kind] = statuses.get(kind, 0) + 1
                latencies.append(time.perf_counter() - start)

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": wall,
        "throughput_rps": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": errors,
        "error_kinds": statuses,
    }


def scenarios(ours: str, oxi: str, queries: dict[str, str], entities: list[str], n: int):
    """Per scenario: (our requests, Oxigraph's requests), n each, the same mix."""
    from smartcity_kg.prefixes import ID

    json_accept = {"Accept": "application/sparql-results+json"}
    names = list(queries)

    def cycle(items, count):
        return [items[i % len(items)] for i in range(count)]

    named_ours = [(f"{ours}/queries/{name}.json", {}, {}) for name in cycle(names, n)]
    named_oxi = [
        (f"{oxi}/query", {"query": queries[name]}, json_accept) for name in cycle(names, n)
    ]
    sparql_ours = [
        (f"{ours}/sparql", {"query": queries[name]}, json_accept) for name in cycle(names, n)
    ]

    def page(iri):
        return (f"{ours}/id/{iri[len(ID) :]}", {}, {"Accept": "text/html"})

    def page_oxi(iri):
        text = f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}"  # noqa: E501
        return (f"{oxi}/query", {"query": text}, {"Accept": "text/turtle"})

    mixed_ours, mixed_oxi = [], []
    for i in range(n):
        if i % 2:
            iri = entities[(i // 2) % len(entities)]
            mixed_ours.append(page(iri))
            mixed_oxi.append(page_oxi(iri))
        else:
            name = names[(i // 2) % len(names)]
            mixed_ours.append(named_ours[i])
            mixed_oxi.append((f"{oxi}/query", {"query": queries[name]}, json_accept))
    return {
        "named queries": (named_ours, named_oxi),
        "sparql endpoint": (sparql_ours, named_oxi),
        "mixed queries + entity pages": (mixed_ours, mixed_oxi),
    }


def check_same_answers(ours: str, oxi: str, queries: dict[str, str]) -> None:
    """Both servers must return the same number of rows for every named query."""
    import httpx

    for name, text in queries.items():
        a = httpx.get(f"{ours}/queries/{name}.json", timeout=60)
        b = httpx.get(
            f"{oxi}/query",
            params={"query": text},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        a.raise_for_status()
        b.raise_for_status()
        rows_a = len(a.json().get("results", {}).get("bindings", []))
        rows_b = len(b.json().get("results", {}).get("bindings", []))
        if rows_a != rows_b:
            raise SystemExit(f"{name}: ours {rows_a} rows, Oxigraph {rows_b} rows")


SLOW_ADHOC = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP_NAMED = ("goals", "topic-areas", "strategy", "approaches")


async def fairness_run(url: str, seconds: float, slow_clients: int) -> dict:
    """One cheap client (named queries, one after another) beside ``slow_clients`` looping
    ad-hoc queries that run into the server's time limit."""
    import httpx

    stop = time.monotonic() + seconds
    cheap: list[float] = []
    cheap_errors: dict[str, int] = {}
    slow_statuses: dict[str, int] = {}

    async with httpx.AsyncClient(timeout=60) as client:

        async def slow_client():
            while time.monotonic() < stop:
                try:
                    r = await client.get(url + "/sparql", params={"query": SLOW_ADHOC})
                    key = str(r.status_code)
                except httpx.HTTPError as err:
                    key = type(err).__name__
                slow_statuses[key] = slow_statuses.get(key, 0) + 1

        async def cheap_client():
            i = 0
            while time.monotonic() < stop:
                name = CHEAP_NAMED[i % len(CHEAP_NAMED)]
                i += 1
                started = time.perf_counter()
                try:
                    r = await client.get(f"{url}/queries/{name}.json")
                    await r.aread()
                    if r.status_code != 200:
                        cheap_errors[str(r.status_code)] = (
                            cheap_errors.get(str(r.status_code), 0) + 1
                        )
                except httpx.HTTPError as err:
                    kind = type(err).__name__
                    cheap_errors[kind] = cheap_errors.get(kind, 0) + 1
                cheap.append(time.perf_counter() - started)
                await asyncio.sleep(0.05)

        await asyncio.gather(cheap_client(), *(slow_client() for _ in range(slow_clients)))
    cheap.sort()
    return {
        "slow_clients": slow_clients,
        "cheap_requests": len(cheap),
        "cheap_p50_ms": statistics.median(cheap) * 1000,
        "cheap_p95_ms": cheap[min(len(cheap) - 1, int(len(cheap) * 0.95))] * 1000,
        "cheap_max_ms": cheap[-1] * 1000,
        "cheap_errors": sum(cheap_errors.values()),
        "slow_statuses": slow_statuses,
    }


def fairness(exe: str, workers: int, seconds: float, data_args: list[str]) -> list[dict]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            exe,
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--timeout",
            "2",
            *data_args,
        ],
        stderr=(RESULTS / "load-fairness.log").open("w"),
    )
    try:
        wait_up(url + "/queries.json", proc)
        return [asyncio.run(fairness_run(url, seconds, n)) for n in (0, 4)]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def fairness_table(rows: list[dict]) -> str:
    reference = rows[0]["cheap_p95_ms"]
    lines = [
        "| clients looping slow ad-hoc queries | cheap named queries | p50 (ms) | p95 (ms) "
        "| max (ms) | errors | p95 ratio to alone | slow queries' answers |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        slow = ", ".join(f"{k}: {v}" for k, v in sorted(r["slow_statuses"].items())) or "-"
        lines.append(
            f"| {r['slow_clients']} | {r['cheap_requests']} | {r['cheap_p50_ms']:.1f} | "
            f"{r['cheap_p95_ms']:.1f} | {r['cheap_max_ms']:.1f} | {r['cheap_errors']} | "
            f"{r['cheap_p95_ms'] / reference:.2f}x | {slow} |"
        )
    return "\n".join(lines)


def table(rows: list[dict]) -> str:
    lines = [
        "| scenario | server | requests | concurrency | throughput (req/s) | p50 (ms) | p99 (ms) "
        "| errors | throughput ratio to Oxigraph |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['scenario']} | {r['server']} | {r['requests']} | {r['concurrency']} | "
            f"{r['throughput_rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | "
            f"{r['errors']} | {r['ratio']:.2f}x |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="our server's query workers")
    parser.add_argument("--data", action="append", default=[])
    parser.add_argument("--only", choices=["throughput", "fairness"], default=None)
    parser.add_argument("--fairness-seconds", type=float, default=20.0)
    args = parser.parse_args()

    exe = str(Path(sys.executable).parent / "smartcity-kg")
    data_args = [a for d in args.data for a in ("--data", d)]
    RESULTS.mkdir(exist_ok=True)
    if args.only != "throughput":
        rows = fairness(exe, args.workers, args.fairness_seconds, data_args)
        print(
            f"Fairness: our server with {args.workers} workers and --timeout 2, "
            f"{args.fairness_seconds:g} s per row, {os.cpu_count()} CPUs.\n"
        )
        print(fairness_table(rows))
        print(f"\nwritten: {save('load-fairness', rows)}\n")
        if args.only == "fairness":
            return
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    kg, queries, entities = workload(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        location = oxigraph_store(kg, Path(tmp))
        port_ours, port_oxi = free_port(), free_port()
        ours, oxi = f"http://127.0.0.1:{port_ours}", f"http://127.0.0.1:{port_oxi}"
        procs = [
            subprocess.Popen(
                [
                    exe,
                    "serve",
                    "--port",
                    str(port_ours),
                    "--workers",
                    str(args.workers),
                    *data_args,
                ],
                stderr=(RESULTS / "load-smartcity-kg.log").open("w"),
            ),
            subprocess.Popen(
                [
                    oxigraph,
                    "serve-read-only",
                    "--location",
                    str(location),
                    "--bind",
                    f"127.0.0.1:{port_oxi}",
                    "--union-default-graph",
                ],
                stderr=(RESULTS / "load-oxigraph.log").open("w"),
            ),
        ]
        try:
            wait_up(ours + "/queries.json", procs[0])
            wait_up(oxi + "/query?query=ASK%7B%7D", procs[1])
            check_same_answers(ours, oxi, queries)
            rows = []
            for scenario, (mine, theirs) in scenarios(
                ours, oxi, queries, entities, args.requests
            ).items():
                measured = {}
                for server, reqs in (
                    ("oxigraph serve-read-only", theirs),
                    ("smartcity-kg serve", mine),
                ):
                    asyncio.run(drive(reqs[:50], args.concurrency))  # warm-up
                    measured[server] = asyncio.run(drive(reqs, args.concurrency))
                reference = measured["oxigraph serve-read-only"]["throughput_rps"]
                for server, m in measured.items():
                    rows.append(
                        {
                            "scenario": scenario,
                            "server": server,
                            "concurrency": args.concurrency,
                            **m,
                            "ratio": m["throughput_rps"] / reference,
                        }
                    )
        finally:
            for p in procs:
                p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()
    print(
        f"{len(queries)} named queries, {len(entities)} entity pages, "
        f"{os.cpu_count()} CPUs, our server with {args.workers} workers; "
        "both servers gave the same row counts for every named query.\n"
    )
    print(table(rows))
    print(f"\nwritten: {save('load', rows)}")


if __name__ == "__main__":
    main()
