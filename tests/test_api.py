"""The Python API: the README's examples run as written, and each method gives what its
command gives."""

from __future__ import annotations

import doctest
import re
import sys
from pathlib import Path

import pytest

import smartcity_kg
from smartcity_kg.api import Rows

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
        "CheckFailed",
        "InputError",
        "Refused",
        "Rows",
        "SmartCityError",
        "SmartCityKG",
        "open_kg",
    ]
    for name in smartcity_kg.__all__:
        assert getattr(smartcity_kg, name) is not None
    with pytest.raises(AttributeError):
        smartcity_kg.no_such_name  # noqa: B018


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


def test_construct_gives_triples_and_run_gives_the_cli_model():
    kg = smartcity_kg.open_kg()
    triples = kg.query("CONSTRUCT { ?t a sc:TopicArea } WHERE { ?t a sc:TopicArea }")
    assert len(triples) == 10
    from smartcity_kg.sparql import Select

    assert isinstance(kg.run("topic-areas"), Select)


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
