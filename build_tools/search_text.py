"""The words the search index holds: overlapping character pairs of every run of Chinese characters.

Why: a dictionary segmenter (jieba in Pagefind's index, the browser's Intl.Segmenter on the query) cuts the
same characters differently by context, so a word of an article was often cut otherwise in the index than in
the query and not found (维权, 送温暖). Cut into overlapping pairs (维权服务 -> 维权 权服 服务), every
substring of two or more characters of the text is a run of consecutive index words, whatever its context,
so a query searched as the phrase of its own pairs finds every page that contains it. The same cut on both
sides: this module for the index (build_tools/search_index.py), its mirror in
overrides/assets/javascripts/wenku-search.js for the query (`encode` there).

Pagefind's browser code cuts a query it searches on a Chinese page again, with Intl.Segmenter (it takes the
language from the page's <html lang>, whatever the index's), which would split the pairs; so each Chinese
word goes into the index, and into the query, as a code of Latin letters and digits that no segmenter cuts:
each character's code point in base 36, joined by "_" (职工 -> "ibe_fp4"... see `code`; one character alone:
"ibe_"). Searched for a single character, the code's prefix "ibe_" finds it alone and at the start of a pair.

The encoding (words separated by spaces, as Pagefind's content holds them):
- a run of Chinese characters c1..cn: the codes of c1c2 c2c3 ... c(n-1)cn; a run of one character: its code;
- anything else that is not white space (digits, Latin, punctuation): as it stands, one word per run;
- white space between two Chinese runs, and every block boundary: SEP, a private-use character, which
  Pagefind keeps in the content but indexes no word for (so no phrase runs across it).
`decode` gives the text back (white space next to a Chinese character dropped); the browser decodes each
result's content the same way to show its excerpt.
"""

from __future__ import annotations

import re

SEP = "\ue000"
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_HAN}]+|[^\s{_HAN}]+|\s+")
_IS_HAN = re.compile(rf"[{_HAN}]")
_CODE = re.compile(r"([0-9a-z]{3,4})_([0-9a-z]{3,4})?")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _b36(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
    return out


def code(word: str) -> str:
    """A Chinese word of one or two characters as its index code: base-36 code points joined by "_"."""
    return _b36(ord(word[0])) + "_" + (_b36(ord(word[1])) if len(word) > 1 else "")


def uncode(token: str) -> str | None:
    """The Chinese word a token stands for, or None when it is not a code."""
    m = _CODE.fullmatch(token)
    if not m:
        return None
    chars = [chr(int(g, 36)) for g in m.groups() if g]
    return "".join(chars) if all(is_han(c) for c in chars) else None


def is_han(text: str) -> bool:
    """Whether `text` starts with a Chinese character."""
    return bool(text) and _IS_HAN.match(text) is not None


def pairs(run: str) -> list[str]:
    """A run of Chinese characters as overlapping pairs (职工之家 -> 职工 工之 之家); one character stays itself."""
    if len(run) < 2:
        return [run] if run else []
    return [run[i : i + 2] for i in range(len(run) - 1)]


def words(text: str) -> list[str]:
    """The words of one block of text, Chinese ones as pairs (not yet coded); SEP only between two Chinese runs."""
    out: list[str] = []
    space = False
    for m in _RUN.finditer(text.replace(SEP, " ")):
        piece = m.group(0)
        if piece.isspace():
            space = True
            continue
        if is_han(piece):
            if space and out and is_han(out[-1]):
                out.append(SEP)
            out.extend(pairs(piece))
        else:
            out.append(piece)
        space = False
    return out


def tokens(text: str) -> list[str]:
    """The index words of one block of text: `words`, the Chinese ones coded."""
    return [code(w) if is_han(w) else w for w in words(text)]


def decode(content: str) -> str:
    """The text back from the index's content (tokens separated by spaces)."""
    out: list[str] = []
    prev = ""  # the previous word (decoded), "" after SEP
    for token in content.split():
        if token == SEP:
            out.append(" ")
            prev = ""
            continue
        # Pagefind ends a block whose text has no closing punctuation with "." (a heading: "ijp_fmi.")
        word = uncode(token) or (token.endswith(".") and uncode(token[:-1])) or token
        if len(word) == 2 and is_han(word) and is_han(word[1]) and len(prev) == 2 and is_han(prev) and prev[1] == word[0]:
            out.append(word[1])  # the next pair of the same run
        elif prev and not is_han(prev) and not is_han(word):
            out.append(" " + word)  # two non-Chinese runs were apart
        else:
            out.append(word)
        prev = word
    return "".join(out)


def query(text: str) -> str:
    """What the search box sends Pagefind for a typed query: one word as it is; several (the pairs of one run,
    or runs joined without a space) as an exact phrase; a query with spaces, every word required."""
    parts = [w for w in tokens(text) if w != SEP]
    if len(parts) <= 1 or re.search(r"\s", text.strip()):
        return " ".join(parts)
    return '"' + " ".join(parts) + '"'
