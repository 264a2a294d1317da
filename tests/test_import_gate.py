"""The SHACL gate of the importer: what it leaves behind (see gate._apart)."""

from __future__ import annotations

import gc

from import_fixture import HEADER, fixture_data, write
from smartcity_kg.import_reader import read_table
from smartcity_kg.importer import _RowBuilder, build

GOOD = (
    "Smarte Parkplätze,Smart parking,Sensoren melden freie Plätze.,06411000,"
    "Mobilitaet;energie & umwelt,,lebensqualitaet,,Land Hessen,2023,laufend,"
    "https://example.org/p,Ratsbeschluss 2023\n"
)


def test_import_frees_its_rows_without_the_garbage_collector(tmp_path):
    """Regression: rdflib's SPARQL parser, run by the gate, leaves exception cycles that held
    every frame on the stack, so an import's rows and triples stayed alive until the next
    collection (a scan of millions of objects after a large import). The gate now runs
    pySHACL in a thread of its own: with the collector off, the rows are gone once build
    returns."""
    data = fixture_data(tmp_path)
    path = write(tmp_path, "a.csv", HEADER + GOOD + GOOD.replace("Smarte Parkplätze", "Zweite"))
    gc.collect()
    gc.disable()
    try:
        result = build(read_table(path), data, shipped=False)
        alive = sum(isinstance(o, _RowBuilder) for o in gc.get_objects())
    finally:
        gc.enable()
    assert result.problems == []
    assert result.rows_ok == [2, 3]
    assert alive == 0
