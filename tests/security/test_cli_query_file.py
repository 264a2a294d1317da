"""A query file that is not UTF-8 gets one line naming the file, line and column, and exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = str(Path(sys.executable).with_name("smartcity-kg"))


def test_latin1_query_file_is_one_line(tmp_path):
    query = tmp_path / "umlaut.rq"
    query.write_bytes('SELECT ?s WHERE {\n  ?s rdfs:label "Gie\xdfen"@de }\n'.encode("latin-1"))
    done = subprocess.run([SCRIPT, "query", str(query)], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"Error: {query}:2:21: the file is not UTF-8 (byte 0xdf; it looks like Latin-1 or "
        "Windows-1252); save it as UTF-8 and run again.\n"
    )
