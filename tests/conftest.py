"""Shared fixtures: the shipped knowledge base is loaded once per test session."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from smartcity_kg.dataset import KnowledgeBase


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture
def cli_run():
    """Run the CLI in-process the way the console script does (errors rendered, exit codes)."""
    from smartcity_kg.cli.main import main

    def invoke(*args: str, input: str | None = None):
        runner = CliRunner()
        return runner.invoke(_Entry(main), list(args), input=input, catch_exceptions=False)

    return invoke


class _Entry:
    """Adapts ``main(argv)`` (which calls sys.exit) to CliRunner."""

    def __init__(self, main):
        self.main_fn = main
        self.name = "smartcity-kg"

    def main(self, args=None, prog_name=None, **_: object):
        self.main_fn(list(args or []))


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A real read-only ``smartcity-kg serve`` (subprocess, free port; see tests/serving.py)."""
    from serving import start_server

    with start_server(tmp_path_factory.mktemp("server"), "--timeout", "2") as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright's Python client (no downloaded browser)."""
    from playwright.sync_api import sync_playwright

    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        try:
            yield chromium
        finally:
            chromium.close()
