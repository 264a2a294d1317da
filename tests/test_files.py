"""Atomic writes: complete files with ordinary permissions, or nothing."""

import os
import stat

import pytest

from smartcity_kg import InputError
from smartcity_kg.files import write_atomic


def test_new_file_gets_umask_permissions_not_0600(tmp_path):
    """Regression: mkstemp's 0o600 leaked into every written file."""
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "out.ttl", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.ttl").stat().st_mode) == 0o644


def test_existing_file_keeps_its_mode_and_is_replaced(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_missing_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "out.ttl", "x")
