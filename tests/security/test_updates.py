"""Updates get the same time limit as queries, do not hold up reads, and never delay a stop.

Finding (high): an update ran on every worker one after the other, without a time limit,
holding all of them, and a SIGTERM waited for it.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time

import httpx
import pytest

from serving import TOKEN, free_port, script, wait_until_up

SLOW_UPDATE = (  # an update reads the store's default graph: the data is in named graphs
    "INSERT { ?a <urn:test:slow> ?c } WHERE { GRAPH ?g { ?a ?b ?c } GRAPH ?h { ?d ?e ?f } "
    "GRAPH ?i { ?x ?y ?z } }"
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:test:slow> ?o }"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}


def send_update(url: str, text: str, answers: list) -> threading.Thread:
    def post():
        answers.append(httpx.post(url + "/update", content=text.encode(), headers=AUTH, timeout=60))

    thread = threading.Thread(target=post, daemon=True)
    thread.start()
    time.sleep(0.3)
    return thread


def test_a_slow_update_is_stopped_at_the_time_limit_and_undone(update_server):
    answers: list[httpx.Response] = []
    started = time.perf_counter()
    thread = send_update(update_server.url, SLOW_UPDATE, answers)
    read = httpx.get(update_server.url + "/queries/goals.json", timeout=60)
    read_done = time.perf_counter() - started
    thread.join()
    took = time.perf_counter() - started
    assert answers[0].status_code == 503, answers[0].text
    assert answers[0].text.startswith("The query was stopped after 3 s")
    assert took < 3 + 2
    assert read.status_code == 200
    assert read_done < 2  # the other workers go on answering while the update runs
    # the change reached no worker: every worker (and every replacement) answers 0; while the
    # replacements start, the server may answer 503 with Retry-After, as a client would retry
    answered = []
    deadline = time.monotonic() + 60
    while len(answered) < 8 and time.monotonic() < deadline:
        r = httpx.get(
            update_server.url + "/sparql", params={"query": COUNT, "format": "csv"}, timeout=60
        )
        if r.status_code == 503 and "retry-after" in r.headers:
            time.sleep(float(r.headers["retry-after"]) / 4)
            continue
        answered.append((r.status_code, r.text))
    assert answered == [(200, "n\r\n0\r\n")] * 8


def test_a_quick_update_reaches_every_worker(update_server):
    text = "INSERT DATA { GRAPH <urn:test:notes> { <urn:test:a> <urn:test:quick> 1 } }"
    r = httpx.post(update_server.url + "/update", content=text.encode(), headers=AUTH)
    assert r.status_code == 204, r.text
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:test:quick> ?o }"
    for _ in range(8):
        r = httpx.get(update_server.url + "/sparql", params={"query": query, "format": "csv"})
        assert r.text == "n\r\n1\r\n"


@pytest.mark.slow
def test_sigterm_stops_the_server_within_5_s_during_an_update(tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [
                script(),
                "serve",
                "--port",
                str(port),
                "--timeout",
                "60",
                "--allow-update",
                "--token-env",
                "SCKG_TEST_TOKEN",
            ],
            stdout=handle,
            stderr=subprocess.STDOUT,
            env={"SCKG_TEST_TOKEN": TOKEN, "PATH": "/usr/bin:/bin"},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, log)
        answers: list = []

        def post():
            try:
                answers.append(
                    httpx.post(
                        url + "/update", content=SLOW_UPDATE.encode(), headers=AUTH, timeout=60
                    )
                )
            except httpx.HTTPError as err:
                answers.append(err)

        thread = threading.Thread(target=post, daemon=True)
        thread.start()
        time.sleep(1.0)
        started = time.perf_counter()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        stopped = time.perf_counter() - started
    finally:
        if process.poll() is None:
            process.kill()
    assert stopped < 5, stopped
    assert process.returncode == 0, log.read_text()
    assert "server stopped" in log.read_text()
