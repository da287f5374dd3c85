"""Per-source settings: a small YAML file beside a source (`name.txt` -> `name.yml`) that fixes a page
durably: override metadata, keep a line the cleaner removed, drop one it kept, switch a step off.

```yaml
skip: [pinyin]                 # steps to switch off: repair pinyin content boilerplate split unwrap punctuation script
content: {first: "据新华社…", last: "（完）"}  # the article's first and last line (… : a line starting so)
keep_lines: ["联系电话:12345"]  # lines (as in the source) the cleaner must keep
drop_lines: ["广告"]            # lines (as in the source) to drop
meta: {category: 讲话}          # front matter for every article of the source
parts: {2: {title: 新标题}}     # front matter for one article of a compilation (1-based)
```
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .article import Article
from .dates import DATE_FORM, not_in_calendar  # the dates the front-matter check accepts (build_tools/check.py)
from .files import NotRegular, read_regular

STEPS = frozenset({"repair", "pinyin", "content", "boilerplate", "split", "unwrap", "punctuation", "script"})
META_KEYS = frozenset({"title", "date", "author", "source", "publisher", "category", "tags", "truncated", "description"})
TOP_KEYS = frozenset({"skip", "keep_lines", "drop_lines", "meta", "parts", "content"})
CONTENT_KEYS = frozenset({"first", "last"})
# The type of every front-matter field of a page (CONTRIBUTING.md has the schema); build_tools/check.py checks
# pages with it, and the `meta:` of a settings file sets some of these fields.
FRONT_MATTER: dict[str, type] = {
    "title": str,
    "source_file": str,
    "source_part": int,
    "date": str,
    "author": str,
    "source": str,
    "publisher": str,
    "category": str,
    "tags": list,
    "views": int,
    "truncated": bool,
    "script": str,
    "original_title": str,
    "description": str,
    "compilation": str,
    "source_parts": int,
    "source_sha256": str,
    "quality": list,
    "keywords": list,
    "related": list,
    "duplicate_of": dict,
    "duplicates": list,
    "siblings": dict,
    "terms": list,
}


class SettingsError(ValueError):
    """A settings file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class SourceSettings:
    """Validated settings of one source."""

    skip: frozenset[str] = frozenset()
    keep_lines: frozenset[str] = frozenset()
    drop_lines: frozenset[str] = frozenset()
    meta: dict[str, Any] = field(default_factory=dict)
    parts: dict[int, dict[str, Any]] = field(default_factory=dict)
    content: dict[str, str] = field(default_factory=dict)  # the article's first and last line, named by hand


def settings_path(source: Path) -> Path:
    """The settings file that belongs to a source file."""
    return source.with_suffix(".yml")


def load(path: Path) -> SourceSettings:
    """Read and validate one settings file; a missing file means default settings."""
    if not os.path.lexists(path):
        return SourceSettings()
    try:
        data = yaml.safe_load(read_regular(path).decode("utf-8")) or {}
    except NotRegular as error:
        raise SettingsError(f"{path}: {error.strerror}: a settings file must be a regular file") from None
    except OSError as error:
        raise SettingsError(f"{path}: cannot read settings ({error.strerror or error})") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise SettingsError(f"{where}: not valid YAML ({error.problem})") from None
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as error:  # ValueError: an impossible date like 2020-02-31
        raise SettingsError(f"{path}: cannot read settings ({error})") from None
    return validate(data, str(path))


def validate(data: Any, where: str) -> SourceSettings:
    """Check the structure of settings data; raise SettingsError naming `where` and the key."""
    if not isinstance(data, dict):
        raise SettingsError(f"{where}: settings must be a mapping of keys, got {type(data).__name__}")
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise SettingsError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(TOP_KEYS)}")
    skip = _strings(data.get("skip", []), where, "skip")
    bad = set(skip) - STEPS
    if bad:
        raise SettingsError(f"{where}: skip: unknown step(s) {sorted(bad)}; steps are {sorted(STEPS)}")
    parts = data.get("parts", {}) or {}
    if not isinstance(parts, dict) or not all(isinstance(k, int) and k >= 1 for k in parts):
        raise SettingsError(f"{where}: parts: must map part numbers (1, 2, …) to front matter")
    return SourceSettings(
        skip=frozenset(skip),
        keep_lines=frozenset(s.strip() for s in _strings(data.get("keep_lines", []), where, "keep_lines")),
        drop_lines=frozenset(s.strip() for s in _strings(data.get("drop_lines", []), where, "drop_lines")),
        meta=_meta(data.get("meta", {}) or {}, where, "meta"),
        parts={k: _meta(v or {}, where, f"parts.{k}") for k, v in parts.items()},
        content=_content(data.get("content", {}) or {}, where),
    )


def _content(value: Any, where: str) -> dict[str, str]:
    """content: {first: LINE, last: LINE}: where the article starts and ends (either may be left out)."""
    if not isinstance(value, dict) or set(value) - CONTENT_KEYS or not all(isinstance(v, str) and v.strip() for v in value.values()):
        raise SettingsError(f"{where}: content: must map first and/or last to a line of the source (a non-empty string)")
    return {k: v.strip() for k, v in value.items()}


def _strings(value: Any, where: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"{where}: {key}: must be a list of strings")
    return value


def _meta(value: Any, where: str, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SettingsError(f"{where}: {key}: must be a mapping of front-matter fields")
    unknown = set(value) - META_KEYS
    if unknown:
        raise SettingsError(f"{where}: {key}: unknown field(s) {sorted(unknown)}; allowed: {sorted(META_KEYS)}")
    if "date" in value and not DATE_FORM.match(str(value["date"])):
        raise SettingsError(f"{where}: {key}.date: {value['date']!r} is not YYYY-MM-DD, YYYY-MM or YYYY (quote it)")
    if "date" in value and not_in_calendar(str(value["date"])):
        raise SettingsError(f"{where}: {key}.date: {not_in_calendar(str(value['date']))}")
    for field_name in sorted(META_KEYS - {"date", "tags"}):  # a date is checked above, tags below
        value_type = FRONT_MATTER[field_name]
        if field_name in value and not isinstance(value[field_name], value_type):
            raise SettingsError(f"{where}: {key}.{field_name}: must be {value_type.__name__}, got {value[field_name]!r}")
    if "tags" in value:
        _strings(value["tags"], where, f"{key}.tags")
    if isinstance(value.get("title"), str) and not value["title"].strip():
        raise SettingsError(f"{where}: {key}.title: must not be empty")
    return {k: str(v) if k == "date" else v for k, v in value.items()}


def apply_settings_before(article: Article, settings: SourceSettings) -> Article:
    """Drop the lines the settings drop; protect the lines they keep from the chrome remover."""
    if not settings.drop_lines and not settings.keep_lines:
        return article
    lines, numbers = [], []
    for line, number in zip(article.lines, article.line_numbers, strict=True):
        if line.strip() in settings.drop_lines:
            article.record("settings", "drop_lines", line.strip(), "", number)
            continue
        lines.append(line)
        numbers.append(number)
    article.meta["_keep"] = settings.keep_lines
    return article.with_lines(lines, numbers)


def apply_settings_after(article: Article, settings: SourceSettings) -> Article:
    """Override the recovered metadata with the settings' values (part-specific ones win)."""
    for key, value in {**settings.meta, **settings.parts.get(article.part, {})}.items():
        if article.meta.get(key) != value:
            article.record("settings", f"meta.{key}", str(article.meta.get(key, "")), str(value))
        article.meta[key] = value
        if key == "title":
            article.meta.pop("original_title", None)  # the source's own title no longer names this page
    return article
