"""The FIWARE Smart Data Models the topic areas are linked to, as two generated graphs.

``ontology/data/fiware/smart-data-models.json`` is a subset of the official list the package
pysmartdatamodels ships (copied by ``tools/smart-data-models-subset``), so the knowledge base
builds offline: the subjects ``topic-subjects.csv`` links to, each with all its data models.
The stated graph carries them as the package gives them; the curated graph holds our links
from topic areas to subjects, each with its rationale.

Node IRIs: a subject is its repository (the package's ``repoLink`` without the clone suffix
``.git``); a model is its ``jsonSchemaUrl``, unique for every model of the package, while the
schema's own ``$id`` is not (two models of dataModel.RiskManagement declare the same one), so
``$id`` is kept as ``dcterms:identifier``, a string.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS

from .errors import InputError
from .namespaces import ID, SC

FOLDER = "fiware"
MODELS_JSON = f"{FOLDER}/smart-data-models.json"
LINKS_CSV = f"{FOLDER}/topic-subjects.csv"
SOURCE = ID["source/smart-data-models"]
CURATION = ID["source/smartcity-kg-curation"]
LINKS_HEADER = ("topic", "subject", "rationale_de", "rationale_en")
_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
_REPO = re.compile(r"https://github\.com/smart-data-models/(dataModel\.[A-Za-z0-9-]+)(\.git)?")


def read_models(path: Path) -> dict[str, Any]:
    """The subset as data, checked whole before any triple is made; errors name the file and
    the JSON path of the value to fix."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}:{exc.colno}: not JSON ({exc.msg}); fix it.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read it ({exc}); check the path and UTF-8.") from exc

    def need(ok: bool, where: str, what: str) -> None:
        if not ok:
            raise InputError(
                f"{path}: {where}: {what}; fix it or copy it again with "
                "tools/smart-data-models-subset."
            )

    need(isinstance(data, dict), "top level", "needs an object with source and subjects")
    source, subjects = data.get("source"), data.get("subjects")
    need(
        isinstance(source, dict) and isinstance(source.get("version"), str),
        "source",
        "needs the package version",
    )
    need(isinstance(subjects, list) and bool(subjects), "subjects", "needs a non-empty list")
    seen: set[str] = set()
    for i, subject in enumerate(subjects):
        where = f"subjects[{i}]"
        need(isinstance(subject, dict), where, "is no object")
        name, repo = subject.get("repoName"), subject.get("repoLink")
        match = _REPO.fullmatch(repo) if isinstance(repo, str) else None
        need(
            match is not None and match[1] == name,
            f"{where}.repoLink",
            "must be https://github.com/smart-data-models/<repoName>",
        )
        need(name not in seen, f"{where}.repoName", f"{name} repeats")
        seen.add(name)
        models = subject.get("dataModels")
        need(
            isinstance(models, list) and bool(models),
            f"{where}.dataModels",
            "needs a non-empty list",
        )
        for j, model in enumerate(models):
            at = f"{where}.dataModels[{j}]"
            need(isinstance(model, dict), at, "is no object")
            for key in ("dataModel", "$id", "version"):
                need(
                    isinstance(model.get(key), str) and bool(model[key]),
                    f"{at}.{key}",
                    "needs a string",
                )
            url, licence = model.get("jsonSchemaUrl"), model.get("license")
            need(
                isinstance(url, str) and bool(_IRI.fullmatch(url)),
                f"{at}.jsonSchemaUrl",
                "needs an IRI",
            )
            need(
                licence is None or (isinstance(licence, str) and bool(_IRI.fullmatch(licence))),
                f"{at}.license",
                "must be an IRI or null",
            )
    return data


def subject_iri(subject: dict[str, Any]) -> URIRef:
    return URIRef(subject["repoLink"].removesuffix(".git"))


def source_note(models: dict[str, Any]) -> str:
    """What the subset was copied from, for the generated file's header:
    ``pysmartdatamodels 0.8.2.0, official list of 2026-07-19``."""
    source = models["source"]
    day = str(source.get("officialListUpdated", ""))[:10]
    listed = f", official list of {day}" if day else ""
    return f"{source.get('package', 'pysmartdatamodels')} {source['version']}{listed}"


def models_graph(models: dict[str, Any]) -> Graph:
    """Subjects and their data models (``models`` as :func:`read_models` returns it), every
    node derived from id:source/smart-data-models."""
    g = Graph(bind_namespaces="none")
    for subject in models["subjects"]:
        node = subject_iri(subject)
        _describe(g, node, SC.DataModelSubject, subject["repoName"])
        for model in subject["dataModels"]:
            m = URIRef(model["jsonSchemaUrl"])
            g.add((node, DCTERMS.hasPart, m))
            _describe(g, m, SC.DataModel, model["dataModel"])
            g.add((m, DCTERMS.identifier, Literal(model["$id"])))
            g.add((m, OWL.versionInfo, Literal(model["version"])))
            if model["license"]:
                g.add((m, DCTERMS.license, URIRef(model["license"])))
    return g


def _describe(g: Graph, node: URIRef, cls: URIRef, name: str) -> None:
    """A name of the source is a proper name: the same label in both languages."""
    g.add((node, RDF.type, cls))
    g.add((node, RDFS.label, Literal(name, lang="de")))
    g.add((node, RDFS.label, Literal(name, lang="en")))
    g.add((node, PROV.wasDerivedFrom, SOURCE))


def links_graph(
    csv_path: Path, models: dict[str, Any], topics: dict[str, tuple[str, str]]
) -> Graph:
    """Topic area -> subject, each link an sc:CuratedLink with its rationale (de, en).
    ``topics`` maps a topic area's key (``mobilitaet``) to its labels (de, en); every subject
    of ``models`` must be linked, so the copied subset holds nothing unused."""
    from .generate import _rows

    subjects = {s["repoName"]: s for s in models["subjects"]}
    g, used, path = Graph(bind_namespaces="none"), set(), Path(csv_path)
    for line, (topic, name, why_de, why_en) in _rows(path, LINKS_HEADER):
        where = f"{path}:{line}"
        if topic not in topics:
            known = ", ".join(sorted(topics))
            raise InputError(f"{where}: {topic!r} is no topic area; use one of {known}.")
        if name not in subjects:
            raise InputError(
                f"{where}: subject {name!r} is not in ontology/data/{MODELS_JSON}; copy it with "
                "tools/smart-data-models-subset."
            )
        if (topic, name) in used:
            raise InputError(f"{where}: {topic} -> {name} repeats an earlier row; keep one.")
        if not why_de or not why_en:
            raise InputError(f"{where}: the rationale needs both rationale_de and rationale_en.")
        used.add((topic, name))
        s, o = ID[f"topic/{topic}"], subject_iri(subjects[name])
        g.add((s, SC.servedBy, o))
        node = ID[f"curated/{topic}--servedBy--sdm-{name.removeprefix('dataModel.')}"]
        de, en = topics[topic]
        pairs = [
            (RDF.type, SC.CuratedLink),
            (RDF.type, RDF.Statement),
            (RDFS.label, Literal(f"{de} – wird bedient von – {name}", lang="de")),
            (RDFS.label, Literal(f"{en} – served by – {name}", lang="en")),
            (RDF.subject, s),
            (RDF.predicate, SC.servedBy),
            (RDF.object, o),
            (SC.rationale, Literal(why_de, lang="de")),
            (SC.rationale, Literal(why_en, lang="en")),
            (PROV.wasDerivedFrom, CURATION),
        ]
        for p, obj in pairs:
            g.add((node, p, obj))
    unused = sorted(set(subjects) - {name for _, name in used})
    if unused:
        raise InputError(
            f"{path}: no row links {', '.join(unused)}; link it or leave it out of "
            f"ontology/data/{MODELS_JSON}."
        )
    return g


def topic_labels(kb_text: str) -> dict[str, tuple[str, str]]:
    """key -> (de, en) labels of the topic areas stated in digitale-staedte.ttl."""
    g = Graph().parse(data=kb_text, format="turtle")
    prefix = str(ID["topic/"])
    out = {}
    for node in g.subjects(RDF.type, SC.TopicArea):
        labels = {getattr(lit, "language", None): str(lit) for lit in g.objects(node, RDFS.label)}
        out[str(node).removeprefix(prefix)] = (labels["de"], labels["en"])
    return out
