"""Simplified -> Traditional by table, for search results in the Traditional edition's browser.

The Traditional edition searches the Simplified edition's Pagefind index (one index instead of two:
80 MB less at 10,000 articles, and word-level segmentation, which jieba's Simplified dictionary cannot
give Traditional text). Its results (titles and excerpts) come back in Simplified and are converted in
the browser, which has no OpenCC. This module builds the table the browser uses:

- `chars`: each Simplified character's own conversion (OpenCC s2tw of the character alone), for the
  characters the library uses;
- `left` / `right`: where a character converts otherwise next to its neighbour (关系 -> 關係, not 關系;
  头发 -> 頭髮), learnt from the pages the Traditional build converts: key = the two Simplified
  characters ending (left) or starting (right) at the character, value = its Traditional form;
- `t2s`: each Traditional character's Simplified form (where the library uses that form), for the query
  typed in the Traditional edition; with the forms learnt where the build converted a character otherwise
  than on its own (了解 -> 瞭解: 瞭 -> 了, when 瞭 is not itself in the Simplified texts);
- `t2s_left` / `t2s_right`: where a Traditional character stands for two Simplified ones of the library (著:
  着 in 着眼, 著 in 著作), the Simplified one its neighbour calls for, learnt the same way (key = the two
  Traditional characters ending or starting at it).

`convert` is the reference implementation of what assets/javascripts/wenku-search.js does with it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from . import hant
from .script import converter

CJK = range(0x4E00, 0xA000)


def _changed_characters(convert: Callable[[str], str]) -> dict[str, str]:
    """Every CJK character that `convert` turns into one other character, with what it becomes."""
    out = {}
    for code in CJK:
        c = chr(code)
        t = convert(c)
        if t != c and len(t) == 1:
            out[c] = t
    return out


@lru_cache(maxsize=1)
def char_map() -> dict[int, str]:
    """Simplified character (as a code point, for str.translate) -> its Traditional form on its own."""
    return {ord(c): t for c, t in _changed_characters(hant.to_hant).items()}


@lru_cache(maxsize=1)
def t2s_map() -> dict[str, str]:
    """Traditional character -> Simplified, for every CJK character OpenCC t2s changes."""
    return _changed_characters(converter("t2s").convert)


@lru_cache(maxsize=1)
def ambiguous() -> re.Pattern[str]:
    """The Simplified characters that stand for more than one Traditional one (并: 並 併; 系: 系 係 繫; 发: 發 髮),
    from OpenCC's own t2s: only these can convert otherwise than on their own."""
    sources: defaultdict[str, set[str]] = defaultdict(set)
    for t, simple in t2s_map().items():
        sources[simple].add(t)
    for c in sources:
        if hant.to_hant(c) == c:  # 系 is also Traditional (体系 -> 體系)
            sources[c].add(c)
    chars = sorted(c for c, ts in sources.items() if len(ts) > 1 and ord(c) in CJK)
    return re.compile("[" + "".join(chars) + "]")


@lru_cache(maxsize=1)
def two_way() -> re.Pattern[str]:
    """Traditional forms that are also Simplified characters of their own (著: 着's form and 著 itself): a query
    holding one stands for either, so which one is learnt by context."""
    chars = sorted({t for t in char_map().values() if t not in t2s_map()})
    return re.compile("[" + "".join(chars) + "]")


@dataclass
class Learner:
    """Counts, from (Simplified, Traditional) text pairs, how each ambiguous character converts next to its neighbours:
    every occurrence, the usual form too, so that each context's most frequent form wins. Ambiguous: the characters
    OpenCC's t2s says stand for several (`ambiguous`), and any other seen converted otherwise than on its own
    (了 -> 瞭 in 了解: a phrase of OpenCC's), counted from then on."""

    both: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    left: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    right: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    seen: set[str] = field(default_factory=set)  # every character of the Simplified texts
    found: set[str] = field(default_factory=set)  # characters seen converted otherwise, beyond `ambiguous`
    # Traditional character -> the Simplified ones it was converted from, where a character converts otherwise
    # than on its own (了解 -> 瞭解): the query 瞭解 must find 了解, which OpenCC's t2s leaves as 瞭解.
    back: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    # Traditional pair ending (back_left) or starting (back_right) at a `two_way` character -> its Simplified form.
    back_left: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    back_right: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    pairs: int = 0
    skipped: int = 0
    _pattern: re.Pattern[str] | None = None

    def observe(self, hans: str, hant_text: str) -> None:
        """Learn from one text and its conversion; texts whose lines do not align char for char are skipped."""
        self.seen.update(hans)
        hs, ts = hans.split("\n"), hant_text.split("\n")
        if len(ts) != len(hs) or any(len(h) != len(t) for h, t in zip(hs, ts, strict=True)):
            self.skipped += 1
            return
        self.pairs += 1
        ds = hans.translate(char_map()).split("\n")
        for h, d, t in zip(hs, ds, ts, strict=True):
            if d != t:
                for i, (dc, tc) in enumerate(zip(d, t, strict=True)):
                    if dc != tc:
                        self.back[tc][h[i]] += 1
                new = {h[i] for i, (dc, tc) in enumerate(zip(d, t, strict=True)) if dc != tc and not ambiguous().match(h[i])}
                if new - self.found:
                    self.found |= new
                    self._pattern = re.compile(ambiguous().pattern[:-1] + "".join(sorted(self.found)) + "]")
            for m in two_way().finditer(t):
                i = m.start()
                if i > 0:
                    self.back_left[t[i - 1 : i + 1]][h[i]] += 1
                if i + 1 < len(t):
                    self.back_right[t[i : i + 2]][h[i]] += 1
            for m in (self._pattern or ambiguous()).finditer(h):
                i = m.start()
                out = t[i]
                if i > 0:
                    self.left[h[i - 1 : i + 1]][out] += 1
                    if i + 1 < len(h):
                        self.both[h[i - 1 : i + 2]][out] += 1
                if i + 1 < len(h):
                    self.right[h[i : i + 2]][out] += 1

    def table(self) -> dict[str, dict[str, str]]:
        """The table for the browser (see the module docstring): the most frequent form per context, kept only
        where it differs from what the shorter contexts give (left and right: the character's own form)."""
        chars = {chr(k): v for k, v in sorted(char_map().items()) if chr(k) in self.seen}

        def own(key: str, at: int) -> str:
            return chars.get(key[at], key[at])

        left = {k: c.most_common(1)[0][0] for k, c in sorted(self.left.items()) if c.most_common(1)[0][0] != own(k, 1)}
        right = {k: c.most_common(1)[0][0] for k, c in sorted(self.right.items()) if c.most_common(1)[0][0] != own(k, 0)}
        partial = {"chars": chars, "both": {}, "left": left, "right": right}
        both = {}
        for k, c in sorted(self.both.items()):
            best = c.most_common(1)[0][0]
            if best != convert(partial, k)[1]:
                both[k] = best
        # A query character whose Simplified form is nowhere in the library cannot match: no need to convert it.
        t2s = {t: simple for t, simple in sorted(t2s_map().items()) if simple in self.seen}
        for t, counts in sorted(self.back.items()):  # 瞭 -> 了, unless the Simplified texts use 瞭 itself
            simple = counts.most_common(1)[0][0]
            if t not in self.seen and t2s.get(t) != simple:
                t2s[t] = simple
        sides = {}
        for name, counts in (("t2s_left", self.back_left), ("t2s_right", self.back_right)):
            at = 1 if name == "t2s_left" else 0
            sides[name] = {k: c.most_common(1)[0][0] for k, c in sorted(counts.items()) if c.most_common(1)[0][0] != t2s.get(k[at], k[at])}
        return {"chars": chars, "both": both, "left": left, "right": right, "t2s": t2s, **sides}


def convert(table: dict[str, dict[str, str]], text: str) -> str:
    """Simplified -> Traditional with the table: both neighbours, else the left one, else the right one, else
    the character's own form."""
    chars, both, left, right = table["chars"], table["both"], table["left"], table["right"]
    out = []
    for i, c in enumerate(text):
        t = both.get(text[i - 1 : i + 2]) if i > 0 else None
        if t is None and i > 0:
            t = left.get(text[i - 1 : i + 1])
        if t is None:
            t = right.get(text[i : i + 2])
        out.append(t or chars.get(c, c))
    return "".join(out)


def to_simplified(table: dict[str, dict[str, str]], query: str) -> str:
    """A query typed in Traditional, in Simplified characters (as the index has them): by the left neighbour, else
    the right one, where a character stands for two (著眼 -> 着眼, 著作 stays), else the character's own form."""
    t2s, left, right = table["t2s"], table.get("t2s_left", {}), table.get("t2s_right", {})
    out = []
    for i, c in enumerate(query):
        s = left.get(query[i - 1 : i + 1]) if i > 0 else None
        out.append(s or right.get(query[i : i + 2]) or t2s.get(c, c))
    return "".join(out)
