"""The Python API: the README's examples run as written, and each method gives what its
command gives."""

from __future__ import annotations

import doctest
import inspect
import re
import sys
from pathlib import Path

import pytest

import smartcity_kg
from smartcity_kg import Rows

README = Path(__file__).parents[1] / "README.md"


def api_section() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    return "\n".join(re.findall(r"```python\n(.*?)```", section, flags=re.S))


def test_readme_python_api_examples_run_as_shown():
    examples = api_section()
    assert examples.count(">>>") >= 10
    parser = doctest.DocTestParser()
    test = parser.get_doctest(examples, {}, "README Python API", str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0 and runner.tries == len(test.examples)


def test_every_public_name_is_exported():
    assert sorted(smartcity_kg.__all__) == [
        "Ask",
        "CheckFailed",
        "Graph",
        "InputError",
        "Refused",
        "Rows",
        "Select",
        "SmartCityError",
        "SmartCityKG",
        "open_kg",
    ]
    for name in smartcity_kg.__all__:
        assert getattr(smartcity_kg, name) is not None
    with pytest.raises(AttributeError):
        smartcity_kg.no_such_name  # noqa: B018


def unannotated(function) -> list[str]:
    """The parameters (and ``return``) of ``function`` that carry no type annotation."""
    signature = inspect.signature(function)
    missing = [
        name
        for name, p in signature.parameters.items()
        if name not in ("self", "cls") and p.annotation is inspect.Parameter.empty
    ]
    if signature.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


#: the special methods a user calls (``len(kg)``, ``for row in rows``), checked like the others
CALLED = ("__init__", "__iter__", "__len__")


def public_methods(cls) -> dict[str, object]:
    """The methods a user calls: defined in the class itself (not inherited from object or
    Exception), not private, plus the special methods of CALLED the class defines."""
    return {
        name: member
        for name, member in vars(cls).items()
        if inspect.isfunction(member) and (not name.startswith("_") or name in CALLED)
    }


@pytest.mark.parametrize("name", smartcity_kg.__all__)
def test_every_public_name_is_importable_documented_and_typed(name):
    namespace: dict[str, object] = {}
    exec(f"from smartcity_kg import {name}", namespace)  # what a user writes
    obj = namespace[name]
    assert obj.__module__.startswith("smartcity_kg."), obj.__module__
    doc = obj.__doc__ or ""
    # a dataclass without a docstring gets its signature as __doc__: that is not documentation
    assert doc.strip() and not doc.startswith(f"{obj.__name__}("), f"{name} has no docstring"
    if inspect.isfunction(obj):
        assert unannotated(obj) == [], name
        return
    assert inspect.isclass(obj)
    for method_name, method in public_methods(obj).items():
        assert unannotated(method) == [], f"{name}.{method_name}"
        if not method_name.startswith("__"):
            assert inspect.getdoc(method), f"{name}.{method_name} has no docstring"


def test_query_with_data_file_and_typed_values(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text(
        "@prefix sc: <https://w3id.org/smartcity-kg/ontology#> .\n"
        '<urn:x:a> sc:note 1.5, true, "Hessen"@de .\n',
        encoding="utf-8",
    )
    kg = smartcity_kg.open_kg(data=[mine])
    rows = kg.query("SELECT ?v WHERE { <urn:x:a> sc:note ?v } ORDER BY ?v")
    from decimal import Decimal

    assert sorted(map(repr, rows.column("v"))) == sorted(
        map(repr, [Decimal("1.5"), True, "Hessen"])
    )


def test_shipped_false_queries_the_given_files_alone(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text("<urn:x:a> <urn:x:p> <urn:x:b> .\n", encoding="utf-8")
    alone = smartcity_kg.open_kg(data=[mine], shipped=False)
    assert alone.query("SELECT ?s ?o WHERE { ?s ?p ?o }").rows == [{"s": "urn:x:a", "o": "urn:x:b"}]
    assert alone.stats().triples == len(alone) == 1
    with pytest.raises(smartcity_kg.InputError, match="--no-shipped chooses the files"):
        smartcity_kg.open_kg(store=tmp_path / "store", shipped=False)


def test_construct_gives_triples_and_run_gives_the_cli_model():
    kg = smartcity_kg.open_kg()
    triples = kg.query("CONSTRUCT { ?t a sc:TopicArea } WHERE { ?t a sc:TopicArea }")
    assert len(triples) == 10
    assert isinstance(kg.run("topic-areas"), smartcity_kg.Select)
    assert kg.run("ASK { ?t a sc:TopicArea }") == smartcity_kg.Ask(True)
    assert isinstance(kg.run("CONSTRUCT WHERE { ?t a sc:TopicArea }"), smartcity_kg.Graph)


def test_to_dataframe_with_and_without_pandas(monkeypatch):
    rows = Rows(["a", "b"], [{"a": 1, "b": "x"}, {"a": 2, "b": None}])
    import pandas

    frame = rows.to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == ["a", "b"] and frame["a"].tolist() == [1, 2]
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(smartcity_kg.InputError, match="pip install pandas"):
        rows.to_dataframe()


def test_unknown_column_names_the_columns():
    with pytest.raises(smartcity_kg.InputError, match="the columns are a, b"):
        Rows(["a", "b"], []).column("c")
