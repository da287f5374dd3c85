"""Serving a built site on 127.0.0.1 and driving Debian's chromium with Playwright (no downloaded browser).

One place for the browser's path and flags: the end-to-end tests, the bench's search timing, `make audit`
(Lighthouse) and the Zensical probe all start Chromium through it.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlparse

CHROMIUM = os.environ.get("WENKU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def chromium_available() -> bool:
    return (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)) or shutil.which(CHROMIUM) is not None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    late: ClassVar[dict[str, float]] = {}  # file name -> seconds to wait before serving it

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        time.sleep(self.late.get(urlparse(self.path).path.rsplit("/", 1)[-1], 0))
        super().do_GET()


@contextlib.contextmanager
def serve(directory: Path, port: int = 0, late: dict[str, float] | None = None) -> Iterator[str]:
    """Serve `directory` as plain files at http://127.0.0.1:<port>/ (0: a free one) for the block; yields the URL.

    `late`: file names served that many seconds late (a slow network for one file, in tests)."""
    handler = functools.partial(type("Handler", (_QuietHandler,), {"late": dict(late or {})}), directory=str(directory))
    with running(http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)) as bound:
        yield f"http://127.0.0.1:{bound}/"


@contextlib.contextmanager
def running(server: http.server.ThreadingHTTPServer) -> Iterator[int]:
    """Run `server` in a thread for the block; yields its port. Shut down and closed afterwards."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def open_search(page, query: str, phone: bool, settle_ms: int = 300) -> None:
    """Type `query` into the header's Pagefind box (on a phone, opened from its magnifier) and wait for results."""
    if phone:
        page.click(".wk-search__toggle")
    page.fill(".pagefind-ui__search-input", query)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10000)
    page.wait_for_timeout(settle_ms)


_PLAYWRIGHT: list = []  # the running Playwright (the sync API allows one at a time): further contexts reuse it


@contextlib.contextmanager
def browser_context(**options) -> Iterator:
    """A persistent Chromium context on a fresh, temporary user-data-dir, with Debian's chromium.

    Inside another one (a session's context), the new context runs in the same Playwright."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="wenku-chromium-")
    try:
        with contextlib.ExitStack() as stack:
            if not _PLAYWRIGHT:
                _PLAYWRIGHT.append(stack.enter_context(sync_playwright()))
                stack.callback(_PLAYWRIGHT.clear)
            ctx = _PLAYWRIGHT[0].chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, service_workers="block", **options
            )
            try:
                yield ctx
            finally:
                ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


class Guard:
    """Records console errors, page errors and every request that is not to localhost (those are aborted)."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.foreign: list[str] = []

    def attach(self, page) -> None:
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        page.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob") or parsed.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()
