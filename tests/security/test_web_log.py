"""A request cannot forge a line of the server's log: control characters a client puts into
the path or query (CR, LF, ESC, other C0 and C1 controls, U+2028) are written escaped, so each
request is one line and no terminal escape sequence reaches the log."""

from __future__ import annotations

import re
import socket

import pytest

from serving import start_server, wait_until

pytestmark = pytest.mark.slow

RECORD = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")
FORGED = "2026-12-01%2004:00:00,000%20GET%20/admin%20200%201.0ms"
TARGETS = [
    f"/x%0d%0a{FORGED}",
    f"/x%0a{FORGED}",
    f"/id/x%0d{FORGED}",
    f"/queries?a=%0a{FORGED}",  # logged as sent: still percent-encoded
    "/x%1b%5b2J%1b%5b31mred",
    "/x%c2%85nel%e2%80%a8ls%e2%80%a9ps%07bel%00nul%7fdel",
]


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    with start_server(tmp_path_factory.mktemp("log")) as running:
        yield running


def send(url: str, target: str) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        request = f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        sock.sendall(request.encode("latin-1"))
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_request_log_escapes_control_characters(logged):
    for target in TARGETS:
        status = send(logged.url, target).split(b"\r\n", 1)[0]
        assert re.fullmatch(rb"HTTP/1.1 \d\d\d .*", status), (target, status)
    # the server logs each request once it has answered it: wait for the last one's record
    wait_until(lambda: b"nul\\x7fdel" in logged.log.read_bytes(), "the last request's record")
    text = logged.log.read_bytes().decode("utf-8")
    requests = [line for line in text.split("\n") if " GET " in line]
    # Each request is one record; no record was forged; no control character got through.
    assert len(requests) >= len(TARGETS) + 1  # + the start-up probes on /sparql
    assert all(RECORD.match(line) for line in requests), requests
    assert "/admin" not in "".join(line[:40] for line in text.split("\n"))
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", text)
    assert "\\x0d\\x0a2026-12-01 04:00:00,000 GET /admin" in text
    assert "/x\\x1b[2J\\x1b[31mred" in text
    assert "\\x85nel\\u2028ls\\u2029ps\\x07bel\\x00nul\\x7fdel" in text
