"""The value type that flows through every stage of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from .features import Features


@dataclass(frozen=True)
class Source:
    """Where an article came from: the raw file as received."""

    path: str  # path relative to --sources, with forward slashes
    sha256: str
    encoding: str  # encoding the bytes were decoded with
    script: str = "Hans"  # "Hant" when the original text was Traditional


class Change(NamedTuple):
    """One thing a step removed or changed, for the build report.

    A named tuple, as `Block`: an article has dozens of them, and the conversion cache loads ten thousand
    articles on a rebuild (a tuple is loaded in about half the time of a dataclass instance)."""

    step: str  # module that made the change, e.g. "boilerplate"
    kind: str  # what kind of change, e.g. "breadcrumb", "pinyin", "joined"
    before: str  # the text as it was
    after: str = ""  # the text as it became ("" when removed)
    line: int = 0  # 1-based line number in the decoded source, 0 when unknown


class Block(NamedTuple):
    """A unit of structure: a heading, a paragraph or a list item."""

    kind: str  # "heading" | "paragraph" | "item"
    text: str
    level: int = 0  # heading level (2..4), 0 for paragraphs and items
    original: str = ""  # the same block in the source's own Traditional script, when it had one


@dataclass
class Article:
    """An article as it stands after the last step that touched it."""

    source: Source
    lines: list[str]
    line_numbers: list[int] = field(default_factory=list)  # source line of each line
    meta: dict[str, Any] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    part: int = 1  # 1-based position inside a compilation
    parts: int = 1  # number of articles the source was split into
    skip: frozenset[str] = frozenset()  # steps switched off for this source
    features: Features | None = None  # what the corpus pass needs of it, set once it is converted (features.py)

    def with_lines(self, lines: list[str], numbers: list[int] | None = None) -> Article:
        """Return a copy holding new lines (and their source line numbers)."""
        return replace(self, lines=lines, line_numbers=numbers if numbers is not None else self.line_numbers)

    def record(self, step: str, kind: str, before: str, after: str = "", line: int = 0) -> None:
        """Append a change to the article's record."""
        self.changes.append(Change(step, kind, before, after, line))

    def removed(self, kind: str) -> list[str]:
        """Lines that a step removed as `kind` (used to recover metadata from site chrome)."""
        return [c.before for c in self.changes if c.kind == kind and not c.after]
