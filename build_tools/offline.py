"""`python -m build_tools.offline`: the offline copy of the library, a zip that works from the file system.

`build` builds both editions with Material's offline plugin (mkdocs.yml / mkdocs.hant.yml: `offline`,
switched on by OFFLINE=true: no directory URLs, so links end in .html; the search index is inlined as
search/search_index.js) into build/offline/, and zips it to build/download/gonghui-wenku-offline.zip.
`publish` copies that zip into the built site (site/download/), where both editions' home pages link it:
build_tools/browse.py shows the link when build/download/ holds the zip (`link_markdown`). A library of
more than MAX_ARTICLES articles gets no offline copy (`build` says so and why).

What the plugin alone leaves online is made local here: it loads the iframe-worker shim (which runs
the search worker from file://, where browsers refuse Web Workers) from unpkg.com; we ship that shim
(MIT, vendored below) in assets/javascripts/offline.js and point every page at it. The same file answers
Material's requests for sitemap.xml (used for link previews and instant navigation, neither switched on
here) with an empty sitemap: browsers refuse XMLHttpRequest from file:// and log each refusal as an error.

The zip is deterministic: entries sorted, one fixed timestamp and mode, no sitemap (it carries the
build date); everything sits under one folder, gonghui-wenku/, with a README.txt on how to open it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = ROOT / "build" / "offline"
ZIP_NAME = "gonghui-wenku-offline.zip"
ZIP_PATH = ROOT / "build" / "download" / ZIP_NAME
DOWNLOAD_DIR = "download"  # under the site's root (site/download/), linked from both editions' home pages
MAX_ARTICLES = 2000  # larger libraries get no offline copy (see `build`)
TOP = "gonghui-wenku"  # the one folder inside the zip
SHIM_PATH = "assets/javascripts/offline.js"
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
EXCLUDED = {"sitemap.xml", "sitemap.xml.gz"}  # build-date stamped, of no use from the file system

_SHIM_TAG = re.compile(r'<script src="https://unpkg\.com/iframe-worker/shim"></script>')
# iframe-worker 1.0.4 (npm), shim/index.js — Copyright (c) 2020-2022 Martin Donath, MIT licence.
IFRAME_WORKER_SHIM = (
    "/* iframe-worker 1.0.4 shim | (c) 2020-2022 Martin Donath <martin.donath@squidfunk.com> | MIT licence */\n"
    '"use strict";(()=>{function c(s,n){parent.postMessage(s,n||"*")}function d(...s){return s.reduce((n,e)=>n.then'
    '(()=>new Promise(r=>{let t=document.createElement("script");t.src=e,t.onload=r,document.body.appendChild(t)})),'
    "Promise.resolve())}var o=class extends EventTarget{constructor(e){super();this.url=e;this.m=e=>{e.source===this.w"
    '&&(this.dispatchEvent(new MessageEvent("message",{data:e.data})),this.onmessage&&this.onmessage(e))};this.e=(e,r,t,'
    'i,m)=>{if(r===`${this.url}`){let a=new ErrorEvent("error",{message:e,filename:r,lineno:t,colno:i,error:m});'
    'this.dispatchEvent(a),this.onerror&&this.onerror(a)}};let r=document.createElement("iframe");r.hidden=!0,'
    "document.body.appendChild(this.iframe=r),this.w.document.open(),this.w.document.write(`<html><body><script>"
    'postMessage=${c};importScripts=${d};addEventListener("error",({error})=>{parent.dispatchEvent(new ErrorEvent('
    '"error",{filename:"${e}",error}))})<\\/script><script src=${e}?${+Date.now()}><\\/script></body></html>`),'
    "this.w.document.close(),onmessage=this.m,onerror=this.e,this.r=new Promise((t,i)=>{this.w.onload=t,"
    "this.w.onerror=i})}terminate(){this.iframe.remove(),onmessage=onerror=null}postMessage(e){this.r.catch().then"
    '(()=>{this.w.dispatchEvent(new MessageEvent("message",structuredClone({data:e})))})}get w(){return '
    'this.iframe.contentWindow}};window.IFrameWorker=o;location.protocol==="file:"&&(window.Worker=o);})();\n'
)

# Ours: sitemap.xml requests answered with an empty sitemap when the pages are read from file://.
SITEMAP_SHIM = """/* 工会工作文库 offline copy: no sitemap.xml requests from file:// (browsers refuse them, with a console error) */
(() => {
  if (location.protocol !== "file:") return;
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (/sitemap\\.xml$/.test(String(url))) url = "data:application/xml,%3Curlset%2F%3E";
    return open.call(this, method, url, ...rest);
  };
})();
"""

README_TXT = """工会工作文库 · 离线版 / 工會工作文庫 · 離線版

解压后，用浏览器打开本文件夹里的 index.html（繁體版：hant/index.html）。
不需要联网，也不需要安装任何软件；全文检索同样可用。
原始文本在 raw/ 文件夹里。

Unzip, then open index.html (Traditional edition: hant/index.html) in a web browser.
Works without a network connection; search works too.
"""


@contextlib.contextmanager
def _offline_env() -> Iterator[None]:
    """OFFLINE=true for the duration of the block (read by mkdocs.yml's `offline` plugin and by browse.py)."""
    old = os.environ.get("OFFLINE")
    os.environ["OFFLINE"] = "true"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("OFFLINE", None)
        else:
            os.environ["OFFLINE"] = old


def is_offline_build() -> bool:
    """True while the offline copy is being built (OFFLINE=true)."""
    return os.environ.get("OFFLINE", "").strip().lower() in ("1", "true", "yes")


def localise(site_dir: Path) -> int:
    """Make the pages of `site_dir` work from file://: the shims written into it (SHIM_PATH) and every page's
    unpkg.com script pointed at that copy. Returns the number of pages changed."""
    shim = site_dir / SHIM_PATH
    shim.parent.mkdir(parents=True, exist_ok=True)
    shim.write_text(IFRAME_WORKER_SHIM + SITEMAP_SHIM, encoding="utf-8")
    changed = 0
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        rel = Path(os.path.relpath(shim, page.parent)).as_posix()
        new = _SHIM_TAG.sub(f'<script src="{rel}"></script>', text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def make_zip(site_dir: Path, zip_path: Path) -> int:
    """Zip `site_dir` under TOP/ deterministically (sorted, fixed time and mode); returns the number of files."""
    files = sorted(p for p in site_dir.rglob("*") if p.is_file() and p.name not in EXCLUDED)
    entries = [(f"{TOP}/{p.relative_to(site_dir).as_posix()}", p.read_bytes()) for p in files]
    entries.append((f"{TOP}/README.txt", README_TXT.encode("utf-8")))
    entries.sort()
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = zip_path.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode below is honoured
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=9)
    tmp.replace(zip_path)
    return len(entries)


def article_count(docs_dir: Path = ROOT / "docs") -> int:
    """Articles in the library (docs/articles/*.md, the Traditional originals *.hant.md not counted)."""
    return sum(1 for p in (docs_dir / "articles").glob("*.md") if not p.name.endswith(".hant.md"))


def build(out_dir: Path = BUILD_DIR, zip_path: Path = ZIP_PATH, docs_dir: Path = ROOT / "docs") -> int:
    """Build the offline copy of both editions into `out_dir` and zip it to `zip_path`; returns the exit status.

    Above MAX_ARTICLES it is not built (and an older zip is removed): its search needs the whole index in
    the browser (Material's lunr: 36 MB at 1,000 articles, 360 MB at 10,000), and a second build of both
    editions would double the deployment's time; the site itself stays the way to read a large library."""
    from build_tools import site

    n = article_count(docs_dir)
    if n > MAX_ARTICLES:
        zip_path.unlink(missing_ok=True)
        print(f"offline: not built: {n} articles, more than {MAX_ARTICLES} (offline.MAX_ARTICLES) an offline copy serves", file=sys.stderr)
        return 0
    with _offline_env():
        status = site.build(out_dir)
    if status:
        return status
    pages = localise(out_dir)
    n = make_zip(out_dir, zip_path)
    size = zip_path.stat().st_size / 1e6
    print(f"offline: {pages} pages made to work from file://; {n} files zipped to {zip_path} ({size:.1f} MB)", file=sys.stderr)
    return 0


def publish(site_dir: Path, zip_path: Path = ZIP_PATH) -> int:
    """Copy the zip into the built site's download/ (once; the Traditional home page links it there); returns the exit status."""
    if not zip_path.is_file():
        print(f"offline: no {zip_path} (not built, see `make offline`): nothing to publish", file=sys.stderr)
        return 0
    if not (site_dir / "index.html").is_file():
        print(f"offline: no site in {site_dir} (run `make site`); the zip stays in {zip_path.parent}", file=sys.stderr)
        return 0
    target = site_dir / DOWNLOAD_DIR / ZIP_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(zip_path, target)
    print(f"offline: copied to {target}", file=sys.stderr)
    return 0


def link_markdown(site_root: str = "") -> str:
    """The home page's download line (HTML, so MkDocs does not look for the zip among the pages), or '' when there is no zip.

    `site_root` leads to the site's root, where the zip is (the Traditional edition's home: "../").
    Left out of the offline copy itself, which does not contain its own zip.
    """
    if is_offline_build() or not ZIP_PATH.is_file():
        return ""
    size = ZIP_PATH.stat().st_size / 1e6
    return (
        f'<a href="{site_root}{DOWNLOAD_DIR}/{ZIP_NAME}" download>下载离线版</a>（zip，{size:.1f} MB）：'
        "整个文库，解压后用浏览器打开 index.html，不联网也能阅读和检索。"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.offline", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help=f"build the offline copy into build/offline/ and zip it to build/download/{ZIP_NAME}")
    b.add_argument("--out", type=Path, default=BUILD_DIR, help="where the offline site goes (default: build/offline/)")
    b.add_argument("--zip", type=Path, default=ZIP_PATH, help=f"the zip (default: build/download/{ZIP_NAME})")
    b.add_argument("--publish", action="store_true", help="then copy the zip into site/ when a site is built there")
    p = sub.add_parser("publish", help="copy the zip into site/download/")
    p.add_argument("--site-dir", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    args = parser.parse_args(argv)
    if args.command == "build":
        status = build(args.out.resolve(), args.zip.resolve())
        if status == 0 and args.publish:
            status = publish(ROOT / "site", args.zip.resolve())
        return status
    return publish(args.site_dir.resolve())


if __name__ == "__main__":
    sys.exit(main())
