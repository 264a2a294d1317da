"""A broken ``--shapes`` file (bad syntax, or shapes pySHACL cannot use) gets one line, exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).with_name("smartcity-kg"))
PREFIXES = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"


def validate(shapes: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SCRIPT, "validate", "--shapes", str(shapes)], capture_output=True, text=True
    )


@pytest.mark.slow
def test_shapes_with_a_syntax_error_name_file_line_and_column(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(PREFIXES + 'ex:S a sh:NodeShape ; sh:message "open .\n', encoding="utf-8")
    done = validate(shapes)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"Error: {shapes}:3:")
    assert done.stderr.endswith(". Fix the syntax at that place and run again.\n")
    assert done.stderr.count("\n") == 1


@pytest.mark.slow
def test_shapes_pyshacl_cannot_load_are_one_line(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass "
        "<https://w3id.org/smartcity-kg/ontology#TopicArea> ;\n"
        '  sh:property [ sh:path ex:p ; sh:minCount "x" ] .\n',
        encoding="utf-8",
    )
    done = validate(shapes)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"Error: {shapes}: not usable as SHACL shapes: MinCountConstraintComponent sh:minCount "
        "must be a literal with datatype xsd:integer. Fix the shapes and run again.\n"
    )
