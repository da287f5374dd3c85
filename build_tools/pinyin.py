"""Remove pinyin annotations that mirror sites put after characters: 工會(huì) -> 工會."""

from __future__ import annotations

import re
import unicodedata

from .article import Article

_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = (
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|üan|ai|ei|ao|ou|an|en|in|un|vn|ün|er|ia|ie|iu|"
    r"ua|uo|ui|ue|ve|üe|a|o|e|i|u|v|ü)"
)
# A syllable once tone marks are stripped: 工會(huì) -> hui; also r-coloured forms (huar).
_SYLLABLE = re.compile(rf"{_INITIAL}{_FINAL}r?")
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"

# Neutral-tone syllables that sites print without a mark: 們(men), 麼(me), 個(ge)…
NEUTRAL = frozenset({"men", "me", "ma", "ge", "de", "le", "zi", "ne", "ba", "zhe", "ya", "la"})

# "(syllable)" after a character; the candidate is checked by `_is_pinyin`.
_ANNOTATION = re.compile(rf"(?<=\S)\(([a-zü{TONED}]{{1,7}})\)")
# Leftover of an annotation whose opening bracket was eaten by damaged text: "?gòu)" (seed 003).
_LEFTOVER = re.compile(rf"(?<=\?)([a-zü{TONED}]{{1,7}})\)")


def _strip_tones(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable.replace("ü", "v"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_syllable(text: str) -> bool:
    """A well-formed pinyin syllable, with or without tone marks (huì, hui, lǜ)."""
    return bool(_SYLLABLE.fullmatch(_strip_tones(text)))


def _is_pinyin(syllable: str, after_han: bool) -> bool:
    """A pinyin syllable with a tone mark, or an unmarked neutral-tone one right after a Han character."""
    if not is_syllable(syllable):
        return False
    if any(c in TONED for c in syllable):
        return True
    return after_han and syllable in NEUTRAL


def strip_pinyin(line: str) -> tuple[str, list[str]]:
    """Remove pinyin annotations from one line; return the line and the annotations removed."""
    removed: list[str] = []

    def drop(match: re.Match[str]) -> str:
        before = line[match.start() - 1]
        if _is_pinyin(match.group(1), "\u4e00" <= before <= "\u9fff" or "\u3400" <= before <= "\u4dbf"):
            removed.append(match.group(0))
            return ""
        return match.group(0)

    out = _ANNOTATION.sub(drop, line)
    if "?" in out:
        line = out
        out = _LEFTOVER.sub(drop, out)
    return out, removed


def remove_pinyin(article: Article) -> Article:
    """Drop pinyin after characters (工會(huì) -> 工會); record each line's removals."""
    if "pinyin" in article.skip:
        return article
    lines = []
    for line, number in zip(article.lines, article.line_numbers, strict=True):
        new, removed = strip_pinyin(line)
        if removed:
            article.record("pinyin", "pinyin", " ".join(removed), f"{len(removed)} removed", number)
        lines.append(new)
    return article.with_lines(lines)
