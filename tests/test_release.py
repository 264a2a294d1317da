"""Versioned releases: every file parses back to the source, the DCAT names exactly the files,
the checksums hold, the changelog counts what changed, and one commit gives the same bytes."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

from serving import script
from smartcity_kg import dcat, errors, files
from smartcity_kg.release import (
    check_version,
    find_previous,
    release,
    release_date,
    source_quads,
    version_key,
    versioned,
)

ROOT = Path(__file__).parent.parent
SHAPES_DIR = Path(__file__).parent / "data" / "dcat-ap-de-3.0"
DATE = "2026-12-01"
DATA_FILES = [
    f"{dataset}{ext}"
    for dataset in ("kb", "ontology")
    for ext in (".jsonld", ".nq", ".nt", ".rdf", ".trig", ".ttl")
]
ALL_FILES = sorted([*DATA_FILES, "CHANGELOG.md", "SHA256SUMS", "dcat.ttl"])
ONTOLOGY = "https://w3id.org/smartcity-kg/ontology"
OWL = "http://www.w3.org/2002/07/owl#"
FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
}


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Release 0.1.0 of the shipped knowledge base, built in-process."""
    folder = tmp_path_factory.mktemp("first") / "releases" / "0.1.0"
    done = release("0.1.0", folder, date=DATE, environ={})
    assert (done.date, done.date_from, done.previous) == (DATE, "--date", None)
    return folder


@pytest.fixture(scope="module")
def source() -> list[ox.Quad]:
    return versioned(source_quads(), "0.1.0", DATE, None)


def test_a_release_holds_every_file_and_sha256sum_checks_them(built):
    assert sorted(p.name for p in built.iterdir()) == ALL_FILES
    done = subprocess.run(
        ["sha256sum", "--strict", "-c", "SHA256SUMS"],
        cwd=built,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"{name}: OK" for name in ALL_FILES if name != "SHA256SUMS"]


def test_a_changed_byte_fails_the_checksum(built, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    (copy / "kb.nt").write_bytes((copy / "kb.nt").read_bytes() + b"\n")
    done = subprocess.run(
        ["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=copy, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stdout == "kb.nt: FAILED\n"


@pytest.mark.parametrize("name", DATA_FILES)
def test_each_file_parses_back_to_the_source(built, source, name):
    path = built / name
    fmt = FORMATS[path.suffix]
    parsed = set(ox.parse(path=str(path), format=fmt))
    wanted = [q for q in source if name.startswith("kb") or q.graph_name == ox.NamedNode(ONTOLOGY)]
    assert len(wanted) > 600
    if fmt.supports_datasets:  # TriG, N-Quads and JSON-LD keep the named graphs
        assert parsed == set(wanted)
    else:  # Turtle, N-Triples, RDF/XML: the graphs merged
        assert {q.graph_name for q in parsed} == {ox.DefaultGraph()}
        assert {q.triple for q in parsed} == {q.triple for q in wanted}


@pytest.mark.parametrize("name", ["kb.ttl", "kb.rdf", "ontology.ttl", "ontology.rdf"])
def test_rdflib_reads_the_triple_files_as_the_n_triples(built, name):
    """A second parser agrees: rdflib reads Turtle and RDF/XML as the same graph as N-Triples."""
    dataset = name.split(".")[0]
    nt = Graph().parse(built / f"{dataset}.nt", format="nt")
    fmt = "turtle" if name.endswith(".ttl") else "xml"
    assert isomorphic(Graph().parse(built / name, format=fmt), nt)


def test_n_triples_and_n_quads_are_sorted_lines(built):
    for name in ("kb.nt", "kb.nq", "ontology.nt", "ontology.nq"):
        lines = (built / name).read_text(encoding="utf-8").splitlines()
        assert lines == sorted(set(lines)), name


def test_the_ontology_carries_the_version_and_date(built):
    g = Graph().parse(built / "ontology.ttl", format="turtle")
    onto = URIRef(ONTOLOGY)
    assert set(g.objects(onto, URIRef(OWL + "versionIRI"))) == {URIRef(ONTOLOGY + "/0.1.0")}
    assert [str(v) for v in g.objects(onto, URIRef(OWL + "versionInfo"))] == ["0.1.0"]
    modified = list(g.objects(onto, URIRef("http://purl.org/dc/terms/modified")))
    assert [(str(m), m.datatype) for m in modified] == [(DATE, rdflib.XSD.date)]
    assert g.value(onto, URIRef(OWL + "priorVersion")) is None
    text = (built / "ontology.ttl").read_text(encoding="utf-8")
    assert text.startswith(
        f"# smartcity-kg 0.1.0 of {DATE}: the ontology (the named graph <{ONTOLOGY}>).\n"
    )


def test_every_download_url_of_the_catalogue_is_a_file_of_the_release(built):
    g = Graph().parse(built / "dcat.ttl", format="turtle")
    base = f"{dcat.RELEASES}0.1.0/"
    named = set()
    for dist in g.subjects(RDF.type, dcat.DCAT.Distribution):
        urls = {
            str(u) for p in (dcat.DCAT.downloadURL, dcat.DCAT.accessURL) for u in g.objects(dist, p)
        }
        assert len(urls) == 1 and next(iter(urls)).startswith(base), urls
        name = next(iter(urls))[len(base) :]
        data = (built / name).read_bytes()
        assert int(g.value(dist, dcat.DCAT.byteSize)) == len(data)
        checksum = g.value(dist, dcat.SPDX.checksum)
        assert str(g.value(checksum, dcat.SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert g.value(checksum, dcat.SPDX.algorithm) == dcat.SPDX.checksumAlgorithm_sha256
        named.add(name)
    assert sorted(named) == DATA_FILES
    assert {str(v) for v in g.objects(None, dcat.DCAT.version)} == {"0.1.0"}
    modified = {str(v) for v in g.objects(None, rdflib.DCTERMS.modified)}
    assert modified == {DATE}


def test_the_catalogue_of_a_release_passes_the_dcat_ap_de_shapes(built):
    shapes = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    data = Graph().parse(built / "dcat.ttl", format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    messages = [
        str(report.value(r, SH.resultMessage))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]
    assert messages == []
    assert conforms


@pytest.mark.slow  # a second build in a subprocess of the installed script
def test_the_same_commit_gives_the_same_bytes(built, tmp_path):
    """A second build, in another process with another hash seed and the date from
    SOURCE_DATE_EPOCH (a moment on the same UTC day), writes the same bytes."""
    epoch = int(datetime(2026, 12, 1, 23, 59, tzinfo=UTC).timestamp())
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": "4711"}
    done = subprocess.run(
        [script(), "release", "0.1.0", "-o", "again"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == (
        f"Wrote release 0.1.0 of {DATE} (date from SOURCE_DATE_EPOCH) to again: 15 files."
    )
    again = contents(tmp_path / "again")
    first = contents(built)
    assert list(again) == list(first) == ALL_FILES
    for name in ALL_FILES:
        assert again[name] == first[name], name


# --- the changelog, from two releases of changed data ---


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory):
    """Release 0.1.0 of a copy of the ontology folder; then, in the copy, one label changed, a
    graph added and a graph removed; release 0.2.0 of it on a later day, beside 0.1.0."""
    base = tmp_path_factory.mktemp("two")
    onto = base / "ontology"
    shutil.copytree(ROOT / "ontology", onto)
    releases = base / "releases"
    release("0.1.0", releases / "0.1.0", date="2026-12-01", ontology_dir=onto, environ={})
    sdg = onto / "kb" / "sdg.ttl"
    text = sdg.read_text(encoding="utf-8")
    assert text.count('rdfs:label "Keine Armut"@de') == 1
    sdg.write_text(text.replace('rdfs:label "Keine Armut"@de', 'rdfs:label "Keine Armut!"@de'))
    (onto / "kb" / "extra.ttl").write_text(
        "@prefix id: <https://w3id.org/smartcity-kg/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'id:extra rdfs:label "Extra"@en , "Extra"@de ;\n'
        '    rdfs:comment "added for the test"@en , "für den Test ergänzt"@de .\n',
        encoding="utf-8",
    )
    iso = onto / "kb" / "iso37120.ttl"
    iso_triples = len(Graph().parse(iso, format="turtle"))
    iso.unlink()
    return base, onto, iso_triples


def test_changelog_counts_what_changed_per_graph(two_releases, cli_run):
    base, onto, iso_triples = two_releases
    folder = base / "releases" / "0.2.0"
    result = cli_run("release", "0.2.0", "-o", str(folder), "--ontology-dir", str(onto),
                     "--date", "2026-12-24")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    # ontology: versionIRI, versionInfo, modified replaced and priorVersion added; sdg: one
    # label; extra: a new graph of 4 triples; iso37120: a graph removed
    assert result.stderr.splitlines() == [
        f"Wrote release 0.2.0 of 2026-12-24 (date from --date) to {folder}: 15 files.",
        f"Changes since 0.1.0: 9 added, {iso_triples + 4} removed triple(s) in 4 graph(s) "
        "(CHANGELOG.md).",
    ]
    assert iso_triples == 175
    summary, extra, iso, sdg, onto_changes = (
        (folder / "CHANGELOG.md").read_text(encoding="utf-8").split("\n## ")
    )
    assert summary == (
        "# smartcity-kg 0.2.0\n"
        "\n"
        "Released 2026-12-24.\n"
        "\n"
        "Changes since 0.1.0, counted in each named graph by `smartcity-kg diff`: 9 triple(s) "
        "added and 179 removed, in 4 graph(s); the other graphs are unchanged.\n"
        "\n"
        "| graph | added | removed |\n"
        "|---|---|---|\n"
        "| `id:graph/extra` (new) | 4 | 0 |\n"
        "| `id:graph/iso37120` (removed) | 0 | 175 |\n"
        "| `id:graph/sdg` | 1 | 1 |\n"
        f"| `<{ONTOLOGY}>` | 4 | 3 |\n"
        "| total | 9 | 179 |\n"
    )
    assert extra == (
        "`id:graph/extra` (new)\n\n"
        '    + id:extra rdfs:comment "added for the test"@en\n'
        '    + id:extra rdfs:comment "für den Test ergänzt"@de\n'
        '    + id:extra rdfs:label "Extra"@de\n'
        '    + id:extra rdfs:label "Extra"@en\n'
    )
    assert sdg == (
        '`id:graph/sdg`\n\n    - sdg:1 rdfs:label "Keine Armut"@de\n'
        '    + sdg:1 rdfs:label "Keine Armut!"@de\n'
    )
    o = f"<{ONTOLOGY}>"
    assert onto_changes == (
        f"`{o}`\n\n"
        f'    - {o} dcterms:modified "2026-12-01"^^xsd:date\n'
        f"    - {o} owl:versionIRI <{ONTOLOGY}/0.1.0>\n"
        f'    - {o} owl:versionInfo "0.1.0"\n'
        f'    + {o} dcterms:modified "2026-12-24"^^xsd:date\n'
        f"    + {o} owl:priorVersion <{ONTOLOGY}/0.1.0>\n"
        f"    + {o} owl:versionIRI <{ONTOLOGY}/0.2.0>\n"
        f'    + {o} owl:versionInfo "0.2.0"\n'
    )
    # a long list is cut: the first 40 changes, and how many more
    head, blank, *listed, blank2, more = iso.split("\n")[:-1]
    assert (head, blank, blank2, more) == (
        "`id:graph/iso37120` (removed)",
        "",
        "",
        "... and 135 more.",
    )
    assert len(listed) == 40
    assert all(x.startswith(("    - id:iso37120/", "    - id:scheme")) for x in listed)
    g = Graph().parse(folder / "ontology.ttl", format="turtle")
    assert g.value(URIRef(ONTOLOGY), URIRef(OWL + "priorVersion")) == URIRef(ONTOLOGY + "/0.1.0")


def test_first_release_changelog_lists_the_graphs(two_releases):
    base, _, _ = two_releases
    text = (base / "releases" / "0.1.0" / "CHANGELOG.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:7] == [
        "# smartcity-kg 0.1.0",
        "",
        "Released 2026-12-01.",
        "",
        "The first release: there is no previous release to compare with. Its graphs:",
        "",
        "| graph | triples |",
    ]
    quads = list(
        ox.parse(path=str(base / "releases" / "0.1.0" / "kb.nq"), format=ox.RdfFormat.N_QUADS)
    )
    assert lines[-1] == f"| total | {len(quads)} |"
    assert f"| `<{ONTOLOGY}>` | {sum(q.graph_name.value == ONTOLOGY for q in quads)} |" in lines


def test_previous_release_is_the_highest_lower_version_beside(tmp_path):
    for name in ("0.0.9", "0.1.0", "0.1.0-rc.1", "0.10.0", "1.0.0", "notes"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "kb.nq").write_text("")
    (tmp_path / "0.9.0").mkdir()  # no kb.nq: not a release
    assert find_previous(tmp_path / "0.11.0", "0.11.0") == tmp_path / "0.10.0"
    assert find_previous(tmp_path / "0.10.0", "0.10.0") == tmp_path / "0.1.0"
    assert find_previous(tmp_path / "0.1.0", "0.1.0") == tmp_path / "0.1.0-rc.1"
    assert find_previous(tmp_path / "0.0.9", "0.0.9") is None


def test_version_precedence_is_semver():
    order = ["0.1.0", "0.2.0-alpha", "0.2.0-alpha.1", "0.2.0-alpha.beta", "0.2.0-beta.2",
             "0.2.0-beta.11", "0.2.0", "0.10.0", "1.0.0"]  # fmt: skip
    assert sorted(order, key=version_key) == order


# --- errors: one line, exit 2, nothing lost ---


@pytest.mark.parametrize("version", ["0.2", "v0.2.0", "01.2.0", "1.0.0+build", "1.0.0-", ""])
def test_a_bad_version_is_one_line_and_exit_2(cli_run, tmp_path, version):
    result = cli_run("release", version, "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: version {version!r} is not a release version; give MAJOR.MINOR.PATCH such as "
        "0.2.0, optionally with a pre-release such as 1.0.0-rc.1.\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_folder_that_is_not_empty_is_refused_without_force(cli_run, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "keep.txt").write_text("keep me")
    result = cli_run("release", "0.1.0", "-o", str(folder), "--date", DATE)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {folder}: the folder is not empty; give --force to replace it, or another "
        "folder.\n"
    )
    assert contents(folder) == {"keep.txt": b"keep me"}
    (tmp_path / "file").write_text("x")
    result = cli_run("release", "0.1.0", "-o", str(tmp_path / "file"), "--date", DATE)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '-o' / '--output': Directory '{tmp_path / 'file'}' is a file."
    )
    with pytest.raises(errors.InputError, match="file: is not a folder; give a folder to write"):
        files.write_folder_atomic(tmp_path / "file", {"a": b""})
    assert (tmp_path / "file").read_text() == "x"


def test_a_failed_release_leaves_the_old_folder_and_no_litter(
    cli_run, tmp_path, monkeypatch, built
):
    """A disk that fills up while the files are written (the fourth file fails): the folder
    being replaced with --force stays as it was, and no temporary folder is left."""
    folder = tmp_path / "out"
    shutil.copytree(built, folder)
    before = contents(folder)
    real, calls = files.write_new, []

    def full_disk(path, data):
        calls.append(path.name)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(files, "write_new", full_disk)
    result = cli_run("release", "0.1.1", "-o", str(folder), "--date", DATE, "--force")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {folder}: cannot write it (No space left on device); the disk is full; free "
        "some space or write somewhere else. Existing files were left unchanged.\n"
    )
    assert contents(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    monkeypatch.setattr(files, "write_new", real)
    result = cli_run("release", "0.1.1", "-o", str(folder), "--date", DATE, "--force",
                     "--previous", str(built))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (
        "Changes since 0.1.0: 3 added, 2 removed triple(s) in 1 graph(s) (CHANGELOG.md)"
        in result.stderr
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (folder / "ontology.nt").read_bytes() != before["ontology.nt"]


def test_a_previous_folder_that_is_no_release_is_refused(cli_run, tmp_path):
    (tmp_path / "old").mkdir()
    result = cli_run("release", "0.2.0", "-o", str(tmp_path / "new"), "--date", DATE,
                     "--previous", str(tmp_path / "old"))  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path / 'old'}: holds no kb.nq; give --previous a folder written by "
        "'smartcity-kg release'.\n"
    )
    assert not (tmp_path / "new").exists()


def test_an_ontology_dir_without_the_ontology_is_refused(cli_run, tmp_path):
    result = cli_run("release", "0.1.0", "-o", str(tmp_path / "out"), "--date", DATE,
                     "--ontology-dir", str(tmp_path))  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path}: holds no smartcity.ttl; give --ontology-dir the ontology/ folder "
        "of a checkout.\n"
    )
    assert not (tmp_path / "out").exists()


def test_blank_nodes_are_refused(tmp_path):
    onto = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", onto)
    (onto / "kb" / "anon.ttl").write_text("[] <https://example.org/p> 1 .\n", encoding="utf-8")
    with pytest.raises(errors.InputError, match="graph/anon: holds a blank node"):
        source_quads(onto)


# --- the date: --date, SOURCE_DATE_EPOCH or the commit, never the clock ---


def test_date_from_option_environment_or_commit(tmp_path):
    assert release_date("2026-02-28", {"SOURCE_DATE_EPOCH": "0"}, tmp_path) == (
        "2026-02-28",
        "--date",
    )
    assert release_date(None, {"SOURCE_DATE_EPOCH": "86399"}, tmp_path) == (
        "1970-01-01",
        "SOURCE_DATE_EPOCH",
    )
    for bad in ("2026-02-30", "1.12.2026", "2026-1-1"):
        with pytest.raises(errors.InputError, match="is no date; give YYYY-MM-DD"):
            release_date(bad, {}, tmp_path)
    with pytest.raises(errors.InputError, match="SOURCE_DATE_EPOCH='yesterday' is not a number"):
        release_date(None, {"SOURCE_DATE_EPOCH": "yesterday"}, tmp_path)
    with pytest.raises(
        errors.InputError, match="is not in a git checkout, so the release has no date"
    ):
        release_date(None, {}, tmp_path)
    env = {**os.environ, "GIT_COMMITTER_DATE": "2026-11-30T23:30:00-02:00",
           "GIT_AUTHOR_DATE": "2026-11-30T12:00:00+00:00", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    (tmp_path / "a.txt").write_text("a")
    for args in (["init", "-q"], ["add", "a.txt"], ["commit", "-q", "-m", "a"]):
        subprocess.run(["git", "-C", str(tmp_path), *args], env=env, check=True)
    short = subprocess.run(["git", "-C", str(tmp_path), "log", "-1", "--format=%h"],
                           capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    # 23:30 at UTC-2 is 01:30 UTC the next day: the date is the UTC day
    assert release_date(None, {}, tmp_path) == ("2026-12-01", f"commit {short}")
    (tmp_path / "a.txt").write_text("changed")  # then the date names the commit, and says so
    assert release_date(None, {}, tmp_path) == (
        "2026-12-01",
        f"commit {short}, but {tmp_path} has uncommitted changes",
    )


def test_check_version_returns_a_good_version():
    assert check_version("1.0.0-rc.1") == "1.0.0-rc.1"
