"""Cheap named queries keep answering while other clients loop slow ad-hoc queries.

Finding (medium): with --workers 2, four clients looping slow queries took every worker and 5 of
6 cheap queries got 503. Ad-hoc SPARQL may occupy at most --workers workers; one more worker
serves only the named queries and pages. (The latency figures are in benchmarks/load.py.)
"""

from __future__ import annotations

import threading
import time

import httpx

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_named_queries_answer_while_four_clients_loop_slow_queries(secure_server):
    stop = time.monotonic() + 8
    slow_statuses: list[int] = []

    def loop_slow():
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < stop:
                r = client.get(secure_server.url + "/sparql", params={"query": SLOW})
                slow_statuses.append(r.status_code)

    threads = [threading.Thread(target=loop_slow, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    cheap = []
    with httpx.Client(timeout=60) as client:
        while time.monotonic() < stop:
            r = client.get(secure_server.url + "/queries/goals.json")
            cheap.append(r.status_code)
            time.sleep(0.2)
    for thread in threads:
        thread.join()
    assert len(cheap) >= 10
    assert cheap == [200] * len(cheap)
    assert set(slow_statuses) == {503}  # each slow query ran into the limit (or found no slot)
