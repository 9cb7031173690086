"""Fixtures of the browser journeys: one served demo for the whole run, Debian's Chromium, and a
fresh browser profile per journey and screen size. Screenshots go to EVENTSYS_SHOTS or a
temporary folder, printed at the end of the run."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import server
from tests.browser.journey import VIEWPORTS, Journey

CHROMIUM = os.environ.get("EVENTSYS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

playwright_api = pytest.importorskip("playwright.sync_api")
if not shutil.which(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def db_session():
    """The journeys talk to a served app, not to the test database: no rollback needed."""
    yield None


@pytest.fixture(scope="session")
def shots_dir() -> Path:
    folder = Path(os.environ.get("EVENTSYS_SHOTS") or tempfile.mkdtemp(prefix="eventsys-shots-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[server.Served]:
    running = server.start(tmp_path_factory.mktemp("served"))
    try:
        yield running
    finally:
        server.stop(running)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def journey_for(chromium, served, shots_dir, request):
    """journey_for(name, size) -> a Journey in a fresh profile at that screen size."""
    contexts = []

    def make(name: str, size: str) -> Journey:
        context = chromium.new_context(
            viewport=VIEWPORTS[size],
            is_mobile=size == "phone",
            has_touch=size == "phone",
            locale="en-GB",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return Journey(name, size, served.url, context, shots_dir)

    yield make
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    folder = os.environ.get("EVENTSYS_SHOTS")
    shots = sorted(Path(folder).glob("*.png")) if folder else []
    if not folder:
        found = sorted(Path(tempfile.gettempdir()).glob("eventsys-shots-*"))
        if found:
            folder = str(found[-1])
            shots = sorted(found[-1].glob("*.png"))
    if shots:
        terminalreporter.write_line(f"browser screenshots: {len(shots)} in {folder}")
