"""The Traditional (zh-Hant) edition: Simplified -> Traditional conversion and the word lists for its search.

Conversion: OpenCC `s2tw` (characters, with Taiwan's standard glyphs; no vocabulary substitution).
Why not the others (measured on this corpus, see tests/test_site.py):
- `s2t` gives OpenCC's own reference glyphs (爲 羣衆 着 裏 綫), which readers in Taiwan and Hong Kong
  see as odd or mainland-looking; the Traditional sources of this corpus themselves write 為 群眾 著 臺.
- `s2twp` also swaps mainland vocabulary for Taiwan vocabulary: 联系 -> 聯絡, 项目 -> 專案, 信息化 -> 資訊化,
  数据 -> 資料, 视频 -> 影片. In mainland trade-union documents that rewrites the record (联系群众 is not
  聯絡群眾) - over-conversion.
- `s2hk` keeps 裏 着 台 and 温, fine for Hong Kong but not the forms the Traditional sources here use.
Pages whose source was written in Traditional show their own text when the pipeline supplies it
(docs/articles/<page>.hant.md, see mkdocs_hooks.py); otherwise they are converted like the rest.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import opencc

OPENCC_CONFIG = "s2tw"
DOMAIN_FREQ = 20000  # jieba frequency given to domain terms, high enough that they are never cut in two


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC(f"{OPENCC_CONFIG}.json")


def to_hant(text: str) -> str:
    """Simplified text -> Traditional text (OpenCC s2tw); ASCII (Markdown syntax, links) is left as is."""
    return _converter().convert(text) if text else text


def _domain_terms() -> list[str]:
    """Domain terms for the search's word segmentation: those that contain no shorter domain term.

    A compound such as 工资集体协商 kept whole would hide 集体协商 from a search for it (the index would
    hold only the compound); left out, it is cut into 工资 + 集体协商 and both queries find it.
    """
    from .terms import domain_terms

    terms = list(domain_terms())
    return [t for t in terms if not any(o != t and o in t for o in terms)]


def _write_if_changed(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return path


def user_dict_hans(out_dir: Path) -> Path:
    """jieba user dictionary of the domain terms (Simplified), so the search index keeps 职工之家 as one word."""
    lines = [f"{t} {DOMAIN_FREQ}" for t in _domain_terms()]
    return _write_if_changed(out_dir / "jieba-user.hans.txt", "\n".join(lines) + "\n")


def main_dict_hant(out_dir: Path) -> Path:
    """A Traditional jieba main dictionary: jieba's own dictionary plus the domain terms, converted with s2tw.

    jieba's default dictionary is Simplified and cuts Traditional text badly; converting it with the same
    OpenCC configuration as the pages gives words spelled exactly as the pages spell them. The file is
    rebuilt only when jieba's dictionary, the domain terms or the configuration change.
    """
    import jieba

    source = Path(jieba.__file__).with_name("dict.txt")
    raw = source.read_bytes()
    terms = _domain_terms()
    key = hashlib.sha256(raw + "\n".join(terms).encode() + OPENCC_CONFIG.encode()).hexdigest()[:16]
    out = out_dir / f"jieba-dict.hant.{key}.txt"
    if out.exists():
        return out
    converted = to_hant(raw.decode("utf-8"))
    seen: dict[str, str] = {}
    for line in converted.splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and parts[0] not in seen:
            seen[parts[0]] = line
    for term in terms:
        word = to_hant(term)
        seen[word] = f"{word} {DOMAIN_FREQ} n"
    for old in out_dir.glob("jieba-dict.hant.*.txt"):
        old.unlink()
    return _write_if_changed(out, "\n".join(seen.values()) + "\n")
