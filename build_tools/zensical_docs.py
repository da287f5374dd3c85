"""The Markdown that the MkDocs hooks make, written out for a tool that runs no hooks (Zensical, dev/zensical.md).

    python -m build_tools.zensical_docs --config mkdocs.yml --out build/zensical-docs/hans
    python -m build_tools.zensical_docs --config mkdocs.hant.yml --out build/zensical-docs/hant

Loads the MkDocs configuration, runs build_tools/mkdocs_hooks.py's on_config, on_files and on_page_markdown as
`mkdocs build` would, and writes every page as it leaves on_page_markdown (front matter included) plus every other
file of docs/ into `--out`: the generated home, browse, tag and term pages, each article's metadata block,
notices, compilation and related links, and in the Traditional edition the OpenCC conversion. What the hooks
do later (Pagefind marks, compacted HTML, RSS, the conversion table of the search) is not here.
`--out` is emptied first; nothing outside it is written.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
from pathlib import Path

import yaml
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from build_tools import mkdocs_hooks


def export(config_file: Path, out: Path) -> int:
    """Writes the edition of `config_file` into `out` as finished Markdown; returns the number of pages."""
    config = load_config(config_file=str(config_file))
    config = mkdocs_hooks.on_config(config)
    docs, target_dir = Path(config.docs_dir).resolve(), out.resolve()
    if target_dir == docs or target_dir in docs.parents or docs in target_dir.parents:
        raise ValueError(f"--out {out} must be outside the docs folder {config.docs_dir} and not contain it")
    config.plugins._current_plugin = "build_tools/mkdocs_hooks.py"  # as MkDocs sets it while a hook runs
    files = mkdocs_hooks.on_files(get_files(config), config)
    if out.exists():
        shutil.rmtree(out)
    pages = 0
    for f in files:
        target = out / f.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if not f.is_documentation_page():
            if f.abs_src_path:
                shutil.copyfile(f.abs_src_path, target)
            else:
                target.write_bytes(f.content_bytes)
            continue
        page = Page(None, f, config)
        page.read_source(config)
        markdown = mkdocs_hooks.on_page_markdown(page.markdown or "", page, config, files)
        for marker in (mkdocs_hooks.BOOK_START, mkdocs_hooks.BOOK_END):  # the e-books' marks, read only by on_post_page
            markdown = markdown.replace(f"{marker}\n\n", "").replace(marker, "")
        front = yaml.safe_dump(page.meta, allow_unicode=True, sort_keys=False, width=10**6) if page.meta else ""
        target.write_text(f"---\n{front}---\n\n{markdown}" if front else markdown, encoding="utf-8")
        pages += 1
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.zensical_docs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs configuration of the edition")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the Markdown into (emptied first)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if not args.config.is_file():
        print(f"zensical_docs: {args.config}: no such configuration file", file=sys.stderr)
        return 2
    try:
        pages = export(args.config, args.out)
    except ValueError as err:
        print(f"zensical_docs: {err}", file=sys.stderr)
        return 2
    print(f"zensical_docs: {pages} pages of {args.config} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
