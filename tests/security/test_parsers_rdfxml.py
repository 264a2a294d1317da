"""RDF/XML entity expansion ("billion laughs") is refused before any parser runs, everywhere the
CLI and the library read RDF/XML; the namespace entities ontology editors write still load."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from smartcity_kg import InputError

SCRIPT = str(Path(sys.executable).with_name("smartcity-kg"))
HEAD = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'


def bomb() -> str:
    """Under 1 KB; ten levels of ten references each ask for 20 GB when expanded eagerly."""
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE rdf:RDF [", '<!ENTITY a0 "hahahahahahahahahaha">']
    lines += [f'<!ENTITY a{i} "' + f"&a{i - 1};" * 10 + '">' for i in range(1, 10)]
    lines += ["]>", HEAD, '<rdf:Description rdf:about="http://example.org/s">']
    lines += ["<ex:p>&a9;</ex:p></rdf:Description></rdf:RDF>"]
    return "\n".join(lines) + "\n"


def run(*args: str) -> subprocess.CompletedProcess:
    """The installed CLI, with its memory capped at 2 GB so the code before the fix failed fast
    (a Rust abort) instead of taking the machine's memory."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, timeout=120, preexec_fn=cap
    )


NESTED = (
    ":4: this RDF/XML file declares an entity that refers to other entities; nested entities can "
    'expand to gigabytes ("billion laughs") and are refused. Write the entity\'s text out in '
    "place of its references (or save the data as Turtle) and run again.\n"
)


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ("stats", "--data", "{f}"),
        ("query", "topic-areas", "--data", "{f}"),
        ("load", "--store", "{d}/store", "{f}"),
        ("diff", "{f}", "{f}"),
        ("validate", "--shapes", "{f}"),
    ],
    ids=["stats--data", "query--data", "load", "diff", "validate--shapes"],
)
def test_rdfxml_entity_bomb_is_refused_by_every_command(tmp_path, command):
    data = tmp_path / "bomb.rdf"
    data.write_text(bomb(), encoding="utf-8")
    assert data.stat().st_size < 1024
    done = run(*(a.format(f=data, d=tmp_path) for a in command))
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"Error: {data}{NESTED}")
    assert not (tmp_path / "store").exists()  # load refused before it made anything


def test_rdfxml_check_bounds_every_kind_of_expansion():
    """The library check the server shares: nesting, external entities, odd declarations and
    flat entities referenced so often that they would multiply the input are refused; the
    namespace entities that Protégé writes pass."""
    from smartcity_kg.rdfxml import check_rdfxml

    protege = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
        '    <!ENTITY owl "http://www.w3.org/2002/07/owl#" >\n'
        '    <!ENTITY ex "http://example.org/" >\n]>\n'
        + HEAD
        + '<rdf:Description rdf:about="&ex;a"><ex:p rdf:resource="&owl;Thing"/>'
        "</rdf:Description></rdf:RDF>\n"
    ).encode()
    check_rdfxml(protege, "protege.rdf")  # passes

    with pytest.raises(InputError) as nested:
        check_rdfxml(bomb().encode(), "body")
    assert nested.value.message == "body" + NESTED.rstrip("\n")

    external = b'<!DOCTYPE r [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>' + HEAD.encode()
    with pytest.raises(InputError, match=r"^body:2: this RDF/XML file declares an external"):
        check_rdfxml(external, "body")

    single = b"<!DOCTYPE r [<!ENTITY x 'text'>]>" + HEAD.encode()
    with pytest.raises(InputError, match=r"^body:1: this RDF/XML file has an entity declaration"):
        check_rdfxml(single, "body")

    flat = (
        b'<!DOCTYPE r [<!ENTITY x "' + b"y" * 60_000 + b'">]>' + HEAD.encode()
        + b'<rdf:Description rdf:about="http://e/s"><ex:p>' + b"&x;" * 30_000
        + b"</ex:p></rdf:Description></rdf:RDF>"
    )  # fmt: skip
    with pytest.raises(InputError) as grown:
        check_rdfxml(flat, "body")
    assert grown.value.message.startswith(
        "body: the entity references of this RDF/XML file would expand it to more than 10 "
        "times its size (entity 'x'); such files are refused."
    )
