"""Give each article its page: a stable address, its front matter, its Markdown, written safely."""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import state
from .article import Article
from .files import in_the_way, read_regular
from .pinyin import strip_pinyin
from .punctuation import fullwidth
from .render import front_matter, render, render_blocks
from .script import to_simplified
from .slug import slugify, unique
from .summary import summary, title_of
from .write import MANIFEST, Outcome, PageWriter, inside

ARTICLES_DIR = "articles"
# Internal values steps leave in meta (keys starting with "_") never reach the page.


def article_key(article: Article) -> str:
    """The identity of an article across runs: its source file and part."""
    return f"{article.source.path}#{article.part}"


def page_meta(article: Article) -> dict[str, Any]:
    """Front matter of one article (the schema is in CONTRIBUTING.md)."""
    meta = {k: v for k, v in article.meta.items() if not k.startswith("_")}
    if not meta.get("title"):
        meta["title"] = title_of(article)
    meta["description"] = meta.get("description") or summary(article)
    meta["source_file"] = article.source.path
    meta["source_part"] = article.part
    if article.parts > 1:
        meta["source_parts"] = article.parts
    meta["source_sha256"] = article.source.sha256
    # Damage found in the whole source, kept for the part whose lines it is on (changes are split by line).
    found = article.meta.get("_damage", {})
    lines = sorted({c.line for c in article.changes if c.step == "repair"})
    damage = [d for line in lines for d in found.get(line, [])]
    if damage:
        meta["quality"] = [
            {"kind": d.kind, "text": d.original, "context": _readable(d.context)}
            | ({"repaired_as": _readable(d.replacement)} if d.kind == "repaired" else {})
            for d in damage
        ]
    return meta


def hant_path(page: str) -> str:
    """Where the source's own Traditional text of a page goes: articles/x.md -> articles/x.hant.md."""
    return page.removesuffix(".md") + ".hant.md"


def render_original(article: Article) -> str:
    """The cleaned article in the script it was written in, for the Traditional edition of the site."""
    title = article.meta.get("original_title") or article.meta.get("title", "")
    return (
        front_matter({"title": title, "source_file": article.source.path, "source_part": article.part})
        + "\n"
        + render_blocks(article.blocks, original=True)
    )


_CUT_PINYIN = re.compile(r"^[a-zü\u00e0-\u01dc]{1,7}\)|\([a-zü\u00e0-\u01dc]{0,7}$")


def _readable(text: str) -> str:
    """Damage context as a reader sees the page: pinyin (also cut at the edges) out, Simplified, Chinese punctuation."""
    return fullwidth(to_simplified(_CUT_PINYIN.sub("", strip_pinyin(text)[0])))


@dataclass
class Published:
    """Where each article went and what happened to its page."""

    paths: dict[str, str] = field(default_factory=dict)  # article key -> page path under out
    outcomes: list[Outcome] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_stale: list[str] = field(default_factory=list)


def owner(page: Path) -> str:
    """The article key a page's own front matter names (`source_file#source_part`, `@hant` for a .hant.md), or ""."""
    try:
        text = read_regular(page).decode("utf-8")
        head = text.split("\n---\n", 1)[0].removeprefix("---\n") if text.startswith("---\n") else ""
        data = yaml.safe_load(head) if head else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    if not isinstance(data, dict) or not isinstance(data.get("source_file"), str) or type(data.get("source_part")) is not int:
        return ""
    return f"{data['source_file']}#{data['source_part']}" + ("@hant" if page.name.endswith(".hant.md") else "")


def adopt_unrecorded(articles: list[Article], writer: PageWriter) -> int:
    """Give back to this run's articles the pages the manifest lost (deleted, damaged): a page of articles/ that
    no entry names, whose front matter names an article without an entry, becomes that article's page (not a
    `-2.md` beside it). Returns how many pages were recognised."""
    folder = writer.root / ARTICLES_DIR
    if not folder.is_dir() or folder.is_symlink():
        return 0
    recorded = {entry["path"] for entry in writer.manifest.values()}
    wanted = {article_key(a): a for a in articles}
    claims: dict[str, list[str]] = {}
    for page in sorted(folder.glob("*.md")):
        relative = f"{ARTICLES_DIR}/{page.name}"
        if relative in recorded or not stat.S_ISREG(page.lstat().st_mode):
            continue
        key = owner(page)
        if key and key.removesuffix("@hant") in wanted and key not in writer.manifest:
            claims.setdefault(key, []).append(relative)
    adopted = 0
    for key, pages in claims.items():
        chosen = _likeliest(pages, wanted[key.removesuffix("@hant")])
        if len(pages) > 1:  # a copy of a page (its front matter too): the one named as the article's title is its page
            others = ", ".join(p for p in pages if p != chosen)
            problem = f"{len(pages)} pages name {key} in their front matter"
            state.warn(writer.root / MANIFEST, problem, f"{chosen} is its page; {others} kept as written by hand")
        writer.adopt(key, chosen)
        adopted += 1
    if adopted:
        state.warn(
            writer.root / MANIFEST,
            f"{adopted} page(s) had no entry",
            "recognised by their front matter and kept at their address (an edited one keeps its edit, the new text goes beside it)",
        )
    return adopted


def _likeliest(pages: list[str], article: Article) -> str:
    """Of pages claiming one article, the one named as its title's slug (`x.md`, then `x-2.md`...), else the first."""
    slug = slugify(article.meta.get("title", ""))
    for wanted in (lambda stem: stem == slug, lambda stem: re.fullmatch(re.escape(slug) + r"-\d+", stem) is not None):
        for page in pages:
            if wanted(Path(page).name.removesuffix(".md").removesuffix(".hant")):
                return page
    return pages[0]


def assign_paths(articles: list[Article], writer: PageWriter) -> dict[str, str]:
    """Page path per article key: the recorded one when there is one (adopt_unrecorded first), else a fresh unique slug."""
    adopt_unrecorded(articles, writer)
    taken = {Path(entry["path"]).stem for entry in writer.manifest.values()}
    # Pages a contributor wrote by hand keep their address too: a new article never lands on one.
    recorded = {entry["path"] for entry in writer.manifest.values()}
    articles_dir = writer.root / ARTICLES_DIR
    if articles_dir.is_dir():
        taken |= {p.name.removesuffix(".md") for p in articles_dir.glob("*.md") if f"{ARTICLES_DIR}/{p.name}" not in recorded}
    paths = {}
    for article in articles:
        key = article_key(article)
        recorded = writer.path_for(key)
        if recorded:
            paths[key] = recorded
    for article in articles:
        key = article_key(article)
        if key not in paths:
            paths[key] = f"{ARTICLES_DIR}/{unique(slugify(article.meta.get('title', '')), taken)}.md"
    return paths


def publish(
    articles: list[Article],
    writer: PageWriter,
    paths: dict[str, str],
    extra_meta: dict[str, dict[str, Any]] | None = None,
    refused: frozenset[str] = frozenset(),
) -> Published:
    """Write every article's page at its path; remove pages whose source is gone (unless edited).

    Pages of sources refused in this run (`refused`: their paths) stay as they are: a bad settings
    file or a damaged download must not make a published page vanish.
    """
    out = writer.root
    result = Published(paths=paths)
    for article in articles:
        key = article_key(article)
        meta = page_meta(article) | (extra_meta or {}).get(key, {})
        result.outcomes.append(writer.write(key, result.paths[key], render(article, meta)))
        if article.meta.get("script") == "Hant" and any(b.original for b in article.blocks):
            result.outcomes.append(writer.write(f"{key}@hant", hant_path(result.paths[key]), render_original(article)))
    for key, path, edited in writer.stale():
        if key.rsplit("#", 1)[0] in refused:
            writer.seen.add(key)
            continue
        if edited:
            if in_the_way(out / path):  # a link, a folder...: not a page of ours, not recorded any more
                writer.forget(key)
            result.kept_stale.append(path)
            continue
        if (out / path).exists() and owner(out / path) != key:  # its front matter names another article, or none
            writer.forget(key)  # a record that was wrong: the page is not ours, it stays
            result.kept_stale.append(path)
            continue
        inside(out, path, writer.resolved_root)  # the manifest's paths are checked when it is read; once more here
        (out / path).unlink(missing_ok=True)
        writer.forget(key)
        result.removed.append(path)
    writer.save()
    return result
