"""Every console example in README.md runs, and prints what the README shows.

How the README is read:

- A fenced block whose info string names a file (```` ```csv file=members.csv ````) is an input
  file the examples use: it is written into the folder where the examples run, in README order.
- In a ```` ```console ```` block, a line starting with ``$ `` is a command; lines that follow
  until the quotes balance belong to it (a multi-line ``-e '...'``). The lines after it, up to
  the next ``$ `` line or the end of the block, are what it prints (stdout and stderr
  together, in order). Blank lines at the end of that output are not compared. When the last
  command of a block shows no output and a Markdown table follows the block, the table (its
  ``|`` lines) is that command's output, as the README renders ``--format markdown``.
- Elided output: a README output line that is just ``...`` or ``…``, or ``... (what was left
  out)``, stands for one or more lines of real output. Every other line is compared exactly.

How the commands run: all examples run one after the other in one empty temporary folder (so
``import`` can read what ``template`` wrote), through bash (pipes such as ``| head -4`` work),
with this environment's ``smartcity-kg`` first on the PATH and the shell's ``#`` comments
ignored. Special cases, each for the reason given:

- ``echo $?`` shows the exit code of the example before it: that code is compared.
- ``make run`` is ``smartcity-kg query topic-goals`` on a 100-column pseudo-terminal (the
  README says it shows ``make run`` at that width; installing is tested in test_setup.py).
- ``.venv/bin/smartcity-kg`` is this environment's ``smartcity-kg``.
- Commands in :data:`IN_CHECKOUT` run in the checkout, because they work on its files.
- Commands in :data:`SKIPPED` are not run; each has its reason, and pytest lists them as
  skipped with it. A test checks that every entry still matches an example.
- Commands in :data:`STALE` run and are expected to differ from the README (strict xfail, with
  the reason), until the README is brought up to date.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from terminal import run_on_terminal

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"
SCRIPTS = Path(sys.executable).parent

#: Commands (by how they start) that the test does not run, and why.
SKIPPED = {
    "make run     # creates": "the set-up overview; what `make run` prints is the example below",
    "make test-all": "it is this test suite, all of it (and installs); CI runs it, test_setup.py "
    "checks that",
    "make test": "it is this test suite's fast part (and installs); set-up is tested in "
    "test_setup.py",
    "make format": "it rewrites the checkout's files; it shows no output",
    ".venv/bin/python benchmarks/coldstart.py": "a benchmark of whole processes (timings vary); "
    "it shows no output",
    ".venv/bin/python tests/w3c_suite.py": "rewrites tests/w3c/RESULTS.md in the checkout; "
    "the W3C suites run as tests in test_w3c.py and test_binding_w3c.py",
    "sudo apt-get install": "installs system packages (as root); checked by tools/check-system",
    "smartcity-kg serve": "starts a server that runs until Ctrl-C, and its log has the time; "
    "serve is tested in test_server.py",
    "curl ": "asks the server started in the example before it; the same requests are tested "
    "in test_server.py and tests/security",
    "export SCKG_TOKEN=": "shell state for the server example after it",
    "oxigraph serve": "starts an Oxigraph server for the publish example; publishing to it is "
    "tested in test_remote.py",
    "smartcity-kg publish --endpoint http://127.0.0.1:7878/": "needs the Oxigraph server of the "
    "example before it (tested in test_remote.py)",
    "smartcity-kg query goals --endpoint http://127.0.0.1:7878/": "needs a running Oxigraph "
    "server (named queries on endpoints are tested in test_remote.py and test_engines.py)",
}

#: Examples whose README output is known to be out of date, with why: they are expected to fail
#: (strictly: once the README is right again, the entry must go).
STALE: dict[str, str] = {}

#: Commands that work on the checkout's own files, run with the checkout as working folder.
IN_CHECKOUT = {
    "smartcity-kg generate --check": "it compares the checkout's ontology/kb with its CSVs",
}

#: Folders the examples write into, made before they run (as they exist in a checkout).
FOLDERS = ("docs/images",)

ELISION = re.compile(r"^(\.\.\.|…)( \(.*\))?$")


@dataclass
class Example:
    line: int  # of the "$ " line in README.md
    command: str
    expected: list[str]
    files_before: dict[str, str] = field(default_factory=dict)  # input files shown before it

    @property
    def id(self) -> str:
        return f"L{self.line}:{self.command.splitlines()[0][:60]}"


def _complete(command: str) -> bool:
    try:
        shlex.split(command, comments=True)
    except ValueError:  # "No closing quotation": the command goes on in the next line
        return False
    return True


def parse(text: str) -> list[Example]:
    """The console examples of a README, with the input files shown before each."""
    examples: list[Example] = []
    files: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        fence = re.match(r"^```(\S*)(.*)$", lines[i])
        if not fence:
            i += 1
            continue
        lang, info = fence.group(1), fence.group(2)
        end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), None)
        if end is None:
            raise AssertionError(f"README.md:{i + 1}: this ``` block is never closed")
        body = lines[i + 1 : end]
        named = re.search(r"\bfile=(\S+)", info)
        if named:
            files[named.group(1)] = "\n".join(body) + "\n"
        elif lang == "console":
            j = 0
            while j < len(body):
                if not body[j].startswith("$ "):
                    raise AssertionError(f"README.md:{i + 2 + j}: console output before any '$ '")
                start, command = j, body[j][2:]
                j += 1
                while not _complete(command) and j < len(body):
                    command += "\n" + body[j]
                    j += 1
                output = []
                while j < len(body) and not body[j].startswith("$ "):
                    output.append(body[j])
                    j += 1
                while output and not output[-1].strip():
                    output.pop()
                examples.append(Example(i + 2 + start, command, output, dict(files)))
                files = {}
            if examples and not examples[-1].expected:
                examples[-1].expected = _table_after(lines, end + 1)
        i = end + 1
    return examples


def _table_after(lines: list[str], i: int) -> list[str]:
    """The Markdown table that follows line ``i`` after blank lines, or nothing."""
    while i < len(lines) and not lines[i].strip():
        i += 1
    table = []
    while i < len(lines) and lines[i].startswith("|"):
        table.append(lines[i])
        i += 1
    return table


def matches(expected: list[str], actual: list[str]) -> bool:
    """``actual`` is ``expected`` line by line, where an elision line stands for 1+ lines."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if ELISION.match(head):
        return any(matches(rest, actual[n:]) for n in range(1, len(actual) + 1))
    return bool(actual) and actual[0] == head and matches(rest, actual[1:])


def _reason(table: dict[str, str], command: str) -> str | None:
    return next((why for start, why in table.items() if command.startswith(start)), None)


EXAMPLES = parse(README.read_text(encoding="utf-8"))


def _run(example: Example, folder: Path, previous_code: int | None) -> tuple[int | None, str]:
    command = example.command
    if command.startswith("echo $?"):
        return previous_code, f"{previous_code}"
    if command.startswith("make run"):
        return run_on_terminal([str(SCRIPTS / "smartcity-kg"), "query", "topic-goals"], 100)
    command = command.replace(".venv/bin/smartcity-kg", str(SCRIPTS / "smartcity-kg"))
    env = {
        **os.environ,
        "PATH": f"{SCRIPTS}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",  # stdout and stderr interleave as on a terminal
    }
    env.pop("COLUMNS", None)
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=ROOT if _reason(IN_CHECKOUT, command) else folder,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    return done.returncode, done.stdout


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    """Every runnable example run once, in README order, in one folder."""
    folder = tmp_path_factory.mktemp("readme")
    for name in FOLDERS:
        (folder / name).mkdir(parents=True)
    results: dict[str, str] = {}
    code = None
    for example in EXAMPLES:
        for name, text in example.files_before.items():
            (folder / name).write_text(text, encoding="utf-8")
        if _reason(SKIPPED, example.command):
            continue
        code, results[example.id] = _run(example, folder, code)
    return results


@pytest.mark.slow
@pytest.mark.parametrize(
    "example",
    [
        pytest.param(
            e,
            id=e.id,
            marks=[pytest.mark.skip(reason=_reason(SKIPPED, e.command))]
            if _reason(SKIPPED, e.command)
            else [pytest.mark.xfail(reason=_reason(STALE, e.command), strict=True)]
            if _reason(STALE, e.command)
            else [],
        )
        for e in EXAMPLES
    ],
)
def test_readme_example_prints_what_the_readme_shows(example, outputs):
    actual = outputs[example.id].splitlines()
    while actual and not actual[-1].strip():
        actual.pop()
    assert matches(example.expected, actual), (
        f"README.md:{example.line}: `{example.command}` printed\n"
        + "\n".join(actual)
        + "\n--- but the README shows ---\n"
        + "\n".join(example.expected)
    )


def test_the_readme_has_console_examples_and_input_files():
    commands = [e.command for e in EXAMPLES]
    assert "smartcity-kg validate --data broken.ttl" in commands
    shown = {name for e in EXAMPLES for name in e.files_before}
    assert {"broken.ttl", "bad.csv", "semi.csv", "members.csv", "initiatives-v2.csv"} <= shown
    assert {"a.ttl", "b.ttl", "from-b.rq"} <= shown


def test_every_skipped_command_is_still_in_the_readme():
    for start in [*SKIPPED, *IN_CHECKOUT, *STALE]:
        assert any(e.command.startswith(start) for e in EXAMPLES), start


def test_the_readme_has_no_machine_specific_paths():
    text = README.read_text(encoding="utf-8")
    assert re.findall(r"(?<![\w.:/])/(?:home|root|tmp|work|Users|opt)/\S*", text) == []


def test_an_elision_line_stands_for_one_or_more_lines():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "… (the rest)"], ["a", "b"])
    assert not matches(["a", "...", "d"], ["a", "d"])
    assert not matches(["a", "b"], ["a", "b", "c"])
    assert not matches(["a", "x"], ["a", "b"])


def test_parse_reads_commands_outputs_and_files():
    text = (
        "```csv file=in.csv\na,b\n1,2\n```\n\n```console\n$ smartcity-kg x -e 'one\n"
        "two' --data in.csv   # comment\nout 1\n\n$ echo $?\n0\n```\n"
    )
    first, second = parse(text)
    assert (first.line, first.command, first.expected) == (
        7,
        "smartcity-kg x -e 'one\ntwo' --data in.csv   # comment",
        ["out 1"],
    )
    assert first.files_before == {"in.csv": "a,b\n1,2\n"}
    assert (second.command, second.expected, second.files_before) == ("echo $?", ["0"], {})


def test_a_markdown_table_after_a_block_is_the_output_of_its_last_command():
    text = "```console\n$ smartcity-kg q --format markdown\n```\n\n| a |\n|---|\n| 1 |\n\nText\n"
    (example,) = parse(text)
    assert example.expected == ["| a |", "|---|", "| 1 |"]


def test_parse_names_a_block_that_is_never_closed():
    with pytest.raises(AssertionError, match=r"README.md:3: this ``` block is never closed"):
        parse("text\n\n```console\n$ smartcity-kg stats\n")
