"""Binding a parameter gives the answer of substituting its value, or refuses with a message
naming the parameter, for every variable of the W3C evaluation queries (tests/binding_check.py).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import binding_check as check

PAIRS = [p for p in check.pairs() if check.candidates(p)]


def test_every_variable_with_its_first_value():
    found = check.survey()
    differs = {k: o.detail for k, o in found.items() if o.kind == "differs"}
    assert sorted(differs) == sorted(check.KNOWN_DIFFERENCES), differs
    assert sum(o.kind == "equal" for o in found.values()) > 800


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.sampled_from(PAIRS), st.data())
def test_any_value_binds_like_substitution_or_is_refused(pair, data):
    value = data.draw(st.sampled_from(check.candidates(pair)))
    outcome = check.compare(pair, value)
    if pair.key not in check.KNOWN_DIFFERENCES:
        assert outcome.kind != "differs", (pair.key, str(value), outcome.detail)
