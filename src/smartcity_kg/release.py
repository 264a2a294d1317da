"""Versioned releases: the files a version is published as, the same bytes every time.

A release folder holds the ontology and the knowledge base in every RDF format of the registry
(:func:`smartcity_kg.dcat.release_formats`), the DCAT-AP.de description whose download URLs
name exactly these files (with their sizes and SHA-256 checksums), a ``SHA256SUMS`` file for
``sha256sum -c``, and a ``CHANGELOG.md`` counted by :mod:`smartcity_kg.changelog` against the
previous release. The ontology's ``owl:versionIRI``, ``owl:versionInfo``, ``dcterms:modified``
and ``owl:priorVersion`` are set for the version.

Nothing depends on the clock, the hash seed or the order files were parsed in: the release
date comes from ``--date``, else ``SOURCE_DATE_EPOCH``, else the commit date of the checkout,
and every writer sorts. So the release of one commit is byte-identical wherever it is built,
and a checksum published once stays true.

Triple formats (Turtle, N-Triples, RDF/XML) hold the knowledge base's graphs merged, because
they cannot name graphs; TriG, N-Quads and JSON-LD keep every named graph.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from . import changelog, dcat, formats
from .errors import InputError
from .prefixes import ONTOLOGY_IRI, PREFIXES

#: MAJOR.MINOR.PATCH with an optional pre-release (SemVer 2.0, without build metadata, which
#: has no place in a URL path).
_IDENT = r"(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
_NUMBER = r"(0|[1-9][0-9]*)"
VERSION = re.compile(rf"{_NUMBER}\.{_NUMBER}\.{_NUMBER}(?:-({_IDENT}(?:\.{_IDENT})*))?")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SUMS = "SHA256SUMS"
CHANGES = "CHANGELOG.md"
CATALOGUE = "dcat.ttl"
DATASETS = ("ontology", "kb")
_OWL, _DCTERMS, _XSD = PREFIXES["owl"], PREFIXES["dcterms"], PREFIXES["xsd"]
_VERSIONING = {_OWL + "versionIRI", _OWL + "versionInfo", _OWL + "priorVersion"}
_VERSIONING.add(_DCTERMS + "modified")


def check_version(text: str) -> str:
    if not VERSION.fullmatch(text):
        raise InputError(
            f"version {text!r} is not a release version; give MAJOR.MINOR.PATCH such as 0.2.0, "
            "optionally with a pre-release such as 1.0.0-rc.1."
        )
    return text


def version_key(text: str) -> tuple:
    """SemVer precedence: 1.0.0-rc.1 < 1.0.0 < 1.0.1; numeric identifiers by value."""
    m = VERSION.fullmatch(text)
    if m is None:
        raise ValueError(text)
    core = tuple(int(m.group(i)) for i in (1, 2, 3))
    if m.group(4) is None:
        return (*core, (1,))
    ids = [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in m.group(4).split(".")]
    return (*core, (0, *ids))


def release_date(given: str | None, environ: Mapping[str, str], folder: Path) -> tuple[str, str]:
    """The release's date (YYYY-MM-DD) and where it came from; never the clock."""
    if given is not None:
        try:
            if not DATE.fullmatch(given):
                raise ValueError(given)
            datetime.strptime(given, "%Y-%m-%d")
        except ValueError:
            raise InputError(f"--date {given!r} is no date; give YYYY-MM-DD.") from None
        return given, "--date"
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        if not epoch.strip().isdigit():
            raise InputError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970; "
                "set it to an integer (e.g. $(git log -1 --format=%ct)) or unset it."
            )
        return _utc_day(int(epoch)), "SOURCE_DATE_EPOCH"
    commit = _commit_time(folder)
    if commit is None:
        raise InputError(
            f"{folder}: is not in a git checkout, so the release has no date; give "
            "--date YYYY-MM-DD or set SOURCE_DATE_EPOCH (a release never takes the clock's)."
        )
    seconds, short = commit
    if _git(folder, "status", "--porcelain", "--", "."):
        return _utc_day(seconds), f"commit {short}, but {folder} has uncommitted changes"
    return _utc_day(seconds), f"commit {short}"


def _utc_day(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d")


def _git(folder: Path, *args: str) -> str | None:
    """What git prints for ``args`` in ``folder``, or None (no git, no checkout)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _commit_time(folder: Path) -> tuple[int, str] | None:
    parts = (_git(folder, "log", "-1", "--format=%ct %h") or "").split()
    if len(parts) != 2 or not parts[0].isdigit():
        return None
    return int(parts[0]), parts[1]


def find_previous(target: Path, version: str) -> Path | None:
    """The release folder beside ``target`` with the highest version below ``version``."""
    key, found = version_key(version), []
    parent = Path(target).resolve().parent
    if not parent.is_dir():
        return None
    for entry in parent.iterdir():
        if (
            VERSION.fullmatch(entry.name)
            and version_key(entry.name) < key
            and (entry / changelog.QUADS_FILE).is_file()
        ):
            found.append((version_key(entry.name), entry))
    return max(found)[1] if found else None


def source_files(ontology_dir: Path | None = None) -> list[Path]:
    """The Turtle files of the shipped knowledge base, or of the one in ``ontology_dir``."""
    from . import resources

    onto = Path(ontology_dir) if ontology_dir else resources.ontology_dir()
    if not (onto / "smartcity.ttl").is_file():
        raise InputError(
            f"{onto}: holds no smartcity.ttl; give --ontology-dir the ontology/ folder of a "
            "checkout."
        )
    return [onto / "smartcity.ttl", *sorted((onto / "kb").glob("*.ttl"))]


_PREFIX = re.compile(r"^@prefix\s+([A-Za-z][A-Za-z0-9_-]*):\s*<([^<>\s]+)>\s*\.", re.MULTILINE)


def declared_prefixes(paths: list[Path]) -> dict[str, str]:
    """The prefixes the source files declare beyond the project's table (``vann:``,
    ``mdk:``, ...), so the release's Turtle writes the names as the sources do; the first
    declaration of a name wins."""
    out: dict[str, str] = {}
    taken = set(PREFIXES.values())
    for path in paths:
        for name, iri in _PREFIX.findall(path.read_text(encoding="utf-8")):
            if name not in PREFIXES and name not in out and iri not in taken:
                out[name] = iri
                taken.add(iri)
    return out


def source_quads(ontology_dir: Path | None = None) -> list[ox.Quad]:
    """The quads of the shipped knowledge base, or of the one in ``ontology_dir``, each file
    in the named graph it has when shipped."""
    from .dataset import KnowledgeBase

    kb = KnowledgeBase()
    for path in source_files(ontology_dir):
        kb.add_file(path, shipped=True)
    quads = list(kb.quads())
    for q in quads:
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            graph = getattr(q.graph_name, "value", "the default graph")
            raise InputError(
                f"{graph}: holds a blank node ({q}); a release is byte-stable only "
                "with IRIs, so give the node an IRI under id:."
            )
    return quads


def versioned(quads: list[ox.Quad], version: str, date: str, prior: str | None) -> list[ox.Quad]:
    """``quads`` with the ontology's version statements set for ``version``."""
    onto = ox.NamedNode(ONTOLOGY_IRI)  # the ontology, and the graph it is in
    out = [q for q in quads if not (q.subject == onto and q.predicate.value in _VERSIONING)]
    stated: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (_OWL + "versionIRI", ox.NamedNode(f"{ONTOLOGY_IRI}/{version}")),
        (_OWL + "versionInfo", ox.Literal(version)),
        (_DCTERMS + "modified", ox.Literal(date, datatype=ox.NamedNode(_XSD + "date"))),
    ]
    if prior is not None:
        stated.append((_OWL + "priorVersion", ox.NamedNode(f"{ONTOLOGY_IRI}/{prior}")))
    return out + [ox.Quad(onto, ox.NamedNode(p), o, onto) for p, o in stated]


def _sorted_lines(quads: list[ox.Quad], fmt: ox.RdfFormat) -> bytes:
    statements: list[ox.Quad] | list[ox.Triple] = quads
    if not fmt.supports_datasets:
        statements = [q.triple for q in quads]
    lines = set((ox.serialize(statements, format=fmt) or b"").decode("utf-8").splitlines())
    return "".join(f"{line}\n" for line in sorted(lines)).encode("utf-8")


def _turtle(quads: list[ox.Quad], header: tuple[str, ...], prefixes: dict[str, str]) -> bytes:
    import rdflib

    from .generate import to_turtle

    graph = rdflib.Graph()
    text = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
    graph.parse(data=text, format="nt")
    return to_turtle(graph, header, prefixes).encode("utf-8")


def serialise(
    quads: list[ox.Quad],
    fmt: formats.Format,
    header: tuple[str, ...],
    prefixes: dict[str, str] | None = None,
) -> bytes:
    """``quads`` in ``fmt``, sorted: the project's Turtle writer, N-Triples and N-Quads as
    sorted lines, TriG, JSON-LD and RDF/XML from sorted statements."""
    from .export import jsonld, rdf_bytes

    if fmt.name == "turtle":
        return _turtle(quads, header, prefixes or {})
    if fmt.name in ("ntriples", "nquads"):
        return _sorted_lines(quads, fmt.ox())
    if fmt.name == "jsonld":
        return jsonld(quads)
    return rdf_bytes(quads, fmt.name)


def _header(dataset: str, version: str, date: str) -> tuple[str, ...]:
    what = (
        f"the ontology (the named graph <{ONTOLOGY_IRI}>)."
        if dataset == "ontology"
        else "the knowledge base, its named graphs merged (kb.trig, kb.nq and kb.jsonld keep them)."
    )
    return (
        f"smartcity-kg {version} of {date}: {what}",
        f"Written by `smartcity-kg release`; published at {dcat.RELEASES}{version}/ under "
        "CC BY 4.0.",
    )


def artefacts(
    quads: list[ox.Quad], version: str, date: str, prefixes: dict[str, str] | None = None
) -> dict[str, bytes]:
    """The data files and the catalogue of a release: file name -> bytes (``prefixes``: more
    prefixes for the Turtle files)."""
    parts = {"ontology": [q for q in quads if q.graph_name == ox.NamedNode(ONTOLOGY_IRI)]}
    parts["kb"] = quads
    files: dict[str, bytes] = {}
    for dataset in DATASETS:
        for fmt in dcat.release_formats():
            header = _header(dataset, version, date)
            data = serialise(parts[dataset], fmt, header, prefixes)
            files[dcat.file_name(dataset, fmt)] = data
    header = (
        f"DCAT-AP.de 3.0 description of smartcity-kg {version}, written by `smartcity-kg release`;",
        "its download URLs name the files of this folder, with their sizes and SHA-256.",
    )
    files[CATALOGUE] = dcat.dcat_turtle(version, date, files, header).encode("utf-8")
    return files


def checksums(files: Mapping[str, bytes]) -> bytes:
    """``sha256sum`` output for ``files``, by name."""
    lines = [f"{hashlib.sha256(files[n]).hexdigest()}  {n}\n" for n in sorted(files)]
    return "".join(lines).encode("utf-8")


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    date_from: str  # "--date", "SOURCE_DATE_EPOCH" or "commit abc1234" (and a warning)
    folder: Path
    files: dict[str, bytes]
    previous: str | None  # the version compared with
    changes: list[changelog.GraphChange]


def release(
    version: str,
    folder: Path,
    *,
    date: str | None = None,
    previous: Path | None = None,
    ontology_dir: Path | None = None,
    force: bool = False,
    environ: Mapping[str, str] | None = None,
) -> Release:
    """Write the release ``version`` into ``folder`` (atomically) and say what it holds.

    ``previous`` is the release to compare with; by default the folder beside ``folder``
    named for the highest lower version. ``force`` replaces a folder that is not empty.
    """
    from . import resources
    from .files import check_folder_target, write_folder_atomic

    check_version(version)
    folder = Path(folder)
    check_folder_target(folder, replace=force)
    onto = Path(ontology_dir) if ontology_dir else resources.ontology_dir()
    day, day_from = release_date(date, os.environ if environ is None else environ, onto)
    before = previous if previous is not None else find_previous(folder, version)
    prior = changelog.read_previous(before) if before is not None else None
    quads = versioned(source_quads(onto), version, day, prior.version if prior else None)
    files = artefacts(quads, version, day, declared_prefixes(source_files(onto)))
    found = changelog.changes(prior.quads if prior else None, quads)
    files[CHANGES] = changelog.markdown(
        version, day, prior.version if prior else None, found
    ).encode("utf-8")
    files[SUMS] = checksums(files)
    write_folder_atomic(folder, files, replace=force)
    return Release(version, day, day_from, folder, files, prior.version if prior else None, found)
