"""Screenshots of the built site for the README: `python -m tests.e2e.take_screenshots [site-dir]`.

Serves site/ (build it first: `python -m build_tools site`) on 127.0.0.1 and writes PNGs of the home page,
an article, a search and the Traditional edition, desktop and phone, light and (home and article) dark, into
dev/screenshots/ (dark ones end in -dark.png). The site is served as GitHub Pages serves it
(build_tools/pages_server.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from build_tools.browser import Guard, browser_context, open_search
from build_tools.pages_server import serving

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "dev" / "screenshots"
ARTICLE = "articles/si-li-zhen-gonghui-lianhehui-gongzuo-zongjie/"
VIEWPORTS = {"desktop": {"width": 1280, "height": 860}, "phone": {"width": 390, "height": 844}}


def main(site: Path) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with serving(site) as base:
        for (name, viewport), scheme in ((v, s) for s in ("light", "dark") for v in VIEWPORTS.items()):
            phone = name == "phone"
            opts = {"viewport": viewport, "device_scale_factor": 2 if phone else 1, "is_mobile": phone, "has_touch": phone}
            with browser_context(color_scheme=scheme, **opts) as ctx:
                page = ctx.new_page()
                guard = Guard()
                guard.attach(page)
                shots = [
                    ("home", "", None),
                    ("article", ARTICLE, None),
                    ("search", "", "职工之家"),
                    ("hant-article", "hant/" + ARTICLE, None),
                    ("hant-search", "hant/", "職工之家"),
                ]
                if scheme == "dark":
                    shots = shots[:2]
                for label, path, query in shots:
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    if query:
                        open_search(page, query, phone, settle_ms=500)
                    target = OUT / f"{label}-{name}{'-dark' if scheme == 'dark' else ''}.png"
                    page.screenshot(path=str(target), full_page=False)
                    print(target.relative_to(ROOT))
                if guard.errors or guard.foreign:
                    print("problems:", guard.errors, guard.foreign, file=sys.stderr)
                    return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"))
