"""Deep nesting is refused before any parser runs, by the server and by the CLI.

Finding (high): a few thousand nested brackets (a 6 KB body) overflowed the native parser's
stack and killed the server's main process; ``query -e`` died with exit 139.
"""

from __future__ import annotations

import subprocess

import httpx
import pytest

from serving import script

from .conftest import worker_pids

DEEP = "SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }"
DEEP_GROUPS = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
LIMIT_MESSAGE = (
    "brackets are nested {} levels deep; the limit is 64. Split the query into simpler "
    "parts and run it again."
)


@pytest.mark.parametrize("text", [DEEP, DEEP_GROUPS], ids=["parentheses", "groups"])
def test_server_refuses_deep_nesting_and_keeps_running(secure_server, text):
    workers = sorted(worker_pids(secure_server.process.pid))
    r = httpx.post(
        secure_server.url + "/sparql",
        content=text.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert r.status_code == 400
    assert r.text.startswith("query:1:")
    assert "the limit is 64" in r.text and r.text.count("\n") == 1
    assert secure_server.process.poll() is None
    assert sorted(worker_pids(secure_server.process.pid)) == workers  # nothing crashed
    ok = httpx.get(secure_server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert ok.status_code == 200


def test_nesting_at_the_limit_still_runs(secure_server):
    inner = "(" * 62 + "1" + ")" * 62  # with FILTER( and the group: 64 levels
    text = "SELECT (1 AS ?one) WHERE { FILTER(" + inner + ") }"
    r = httpx.get(secure_server.url + "/sparql", params={"query": text, "format": "csv"})
    assert r.status_code == 200, r.text
    assert r.text == "one\r\n1\r\n"


@pytest.mark.slow
@pytest.mark.parametrize("how", ["-e", "file"])
def test_cli_refuses_deep_nesting_with_one_line(tmp_path, how):
    if how == "-e":
        args = ["query", "-e", DEEP_GROUPS]
        where = "-e"
    else:
        path = tmp_path / "deep.rq"
        path.write_text(DEEP, encoding="utf-8")
        args = ["query", str(path)]
        where = str(path)
    done = subprocess.run([script(), *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    column, depth = (80, 3000) if how == "-e" else (87, 3002)
    assert done.stderr == f"Error: {where}:1:{column}: {LIMIT_MESSAGE.format(depth)}\n"
