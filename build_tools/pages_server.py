"""A local stand-in for GitHub Pages: `python -m build_tools.pages_server [site] --port 8150`.

Serves the built site (site/) on 127.0.0.1 the way GitHub Pages serves it, so that measurements (Lighthouse,
`make audit`) and browser tests see what readers get: under the path of `site_url` (/gonghui-wenku/), gzip for
text when the browser accepts it, `Cache-Control: max-age=600`, and the site's 404.html (status 404) for any
address without a page. Pagefind's index pieces are stored compressed already and are sent as they are.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import mimetypes
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "/gonghui-wenku/"  # the path of mkdocs.yml's site_url
COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map"}
TYPES = {".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".epub": "application/epub+zip"}


class _Handler(http.server.BaseHTTPRequestHandler):
    site: Path
    prefix: str
    cache: dict[Path, bytes]

    def log_message(self, format, *args):  # quiet
        pass

    def _file(self) -> Path | None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.prefix):
            return None
        target = (self.site / path[len(self.prefix) :]).resolve()
        if not target.is_relative_to(self.site):
            return None
        if target.is_dir():
            if not path.endswith("/"):
                return None
            target = target / "index.html"
        return target if target.is_file() else None

    def do_GET(self) -> None:
        self._send(head=False)

    def do_HEAD(self) -> None:
        self._send(head=True)

    def _send(self, head: bool) -> None:
        path = urlsplit(self.path).path
        target = self._file()
        status = 200
        if target is None and (self.site / path[len(self.prefix) :]).is_dir() and path.startswith(self.prefix):
            self.send_response(301)
            self.send_header("Location", path + "/")
            self.end_headers()
            return
        if target is None:
            status, target = 404, self.site / "404.html"
        body = target.read_bytes() if target.is_file() else b"Not found"
        headers = {"Content-Type": _type(target), "Cache-Control": "max-age=600"}
        if target.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            if target not in self.cache:
                self.cache[target] = gzip.compress(body, compresslevel=6, mtime=0)
            body = self.cache[target]
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


def _type(path: Path) -> str:
    kind = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind == "application/json" else kind


def make_server(site: Path, port: int = 0, prefix: str = PREFIX) -> http.server.ThreadingHTTPServer:
    """A server of `site` on 127.0.0.1:`port` (0: any free port) under `prefix`."""
    handler = type("Handler", (_Handler,), {"site": site.resolve(), "prefix": prefix, "cache": {}})
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


@contextlib.contextmanager
def serving(site: Path, port: int = 0, prefix: str = PREFIX) -> Iterator[str]:
    """Serve `site` for the duration of the block; yields the site's address (http://127.0.0.1:port/gonghui-wenku/)."""
    server = make_server(site, port, prefix)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.pages_server", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    args = parser.parse_args(argv)
    server = make_server(args.site, args.port)
    print(f"serving {args.site} at http://127.0.0.1:{server.server_address[1]}{PREFIX} (gzip, 404.html)")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
