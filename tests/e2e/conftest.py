"""Fixtures of the browser tests: a fresh build of both editions, served on 127.0.0.1, and headless Chromium.

Run them alone with `pytest -m e2e`, leave them out with `pytest -m "not e2e"`. Without chromium they are
skipped locally but FAIL when CI=true, so a CI image that lost its browser cannot pass silently.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from build_tools.browser import Guard, browser_context, chromium_available, serve  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: end-to-end tests in headless Chromium against the built site")


def _need_chromium() -> None:
    if chromium_available():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("chromium is missing (/usr/bin/chromium); the end-to-end tests must run in CI")
    pytest.skip("chromium is not installed (apt-get install chromium); set CI=true to make this a failure")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """Both editions built from the current docs/ into a temporary folder (strict mode)."""
    from build_tools import site

    out = tmp_path_factory.mktemp("site") / "site"
    assert site.build(out) == 0, "the site build failed; run `python -m build_tools site` to see why"
    return out


@pytest.fixture(scope="session")
def base_url(built_site) -> str:
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def context():
    _need_chromium()
    with browser_context(viewport={"width": 1280, "height": 900}, locale="zh-CN") as ctx:
        yield ctx


@pytest.fixture
def guarded(context):
    """(page, guard): a new tab whose console errors and non-local requests are recorded and checked."""
    guard = Guard()
    page = context.new_page()
    guard.attach(page)
    yield page, guard
    page.close()
    assert not guard.foreign, f"requests left localhost: {guard.foreign}"
    assert not guard.errors, f"console errors: {guard.errors}"
