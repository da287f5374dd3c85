"""Repair damaged text in raw scraped lines, before pinyin annotations are removed.

Two kinds of damage are handled, one line at a time, by `repair_line(line, model)`:

* **GBK-shift garbles.** A page stored in GBK lost a byte, and the decoder read the bytes after
  it one out of step: `生活?!奥毠さ目?,` stands for `生活。“職工的苦,`. The `?` marks the
  lost lead byte; each character that follows holds the trail byte of one original character
  and the lead byte of the next; an ASCII byte puts the decoder back in step, and a `?` before
  it marks a byte that could not be paired. Pairs that decoded to private-use characters were
  dropped without trace. The byte stream of such a run is rebuilt, every value of the unknown
  bytes is tried in a left-to-right beam search, and candidates are scored with a `Model`:
  character statistics of the same document plus a general prior from jieba's dictionary
  (Simplified, so a Traditional candidate is looked up by its OpenCC t2s form). A pinyin
  annotation after the run tells the reading of its last character (`?jiǎng)?wù)` → `務(wù)`).
  A repair is accepted only with a clear margin over the damaged text; a guessed character
  that nothing around it supports is written `□`. Otherwise the run is reported as
  unrecoverable and left alone.
* **Lost characters.** A `?` in otherwise clean text stands for one character that cannot be
  recovered (`中国梦?劳动美`, the middle dot is gone): it becomes `□`; with its annotation
  still there (`改革?(chuàng)新`) it is recovered like a garble. A real question mark (after
  吗/呢/什么…, or before a line end, a space, a closing quote or bracket) stays.

The whole file went through a fullwidth→halfwidth punctuation normalisation, so punctuation in
a run is mapped back to its fullwidth form before it is encoded, and repaired punctuation is
written halfwidth again. Pinyin annotations stay in place for the later pinyin-removal step.
"""

from __future__ import annotations

import importlib.util
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pypinyin import pinyin_dict

from .pinyin import TONED, is_syllable
from .script import converter

# --------------------------------------------------------------------------------------------
# Rules as data
# --------------------------------------------------------------------------------------------

MISSING = "\u25a1"  # □: the usual mark for a missing character in Chinese text

# Characters right before a "?" that end a question. The seeds hold no real question mark; these
# are the sentence-final particles of Chinese questions (你去吗? 怎么办呢? 好吧?), Simplified and
# Traditional, plus "?" and "!" for "??" and "!?".
QUESTION_PARTICLES = frozenset("吗嗎呢么麼嘛吧呀啊哇否?!")

# Question words earlier in the same clause (是否按时完成? 如何做好工会工作? 为什么…?). Words
# of two or more characters, or single ones that are nearly always interrogative: 何 and 几 are
# left out because 任何 and 几个 are everyday words in work reports (seeds 000-004).
QUESTION_WORDS: tuple[str, ...] = (
    "什么", "什麼", "为什么", "為什麼", "为何", "為何", "怎么", "怎麼", "怎样", "怎樣", "如何",
    "是否", "能否", "可否", "难道", "難道", "哪", "谁", "誰", "多少", "啥", "有没有", "有沒有",
    "是不是", "对不对", "對不對", "好不好", "行不行", "能不能", "会不会", "會不會",
)  # fmt: skip

# A "?" right before one of these (or a line end, or white space) closes a question: `…吗?”`,
# `(…吗?)`, `《…?》`. Closing quotes and brackets, fullwidth and halfwidth.
QUESTION_FOLLOWERS = frozenset("”’」』》〉)）】\"'")

# Characters that open a new sentence after a question (你了解工会的作用?我们一起来看看 /
# 服务职工?答案是肯定的 / 10万元?不，是20万元): pronouns, answers, conjunctions. A "?" outside quotes,
# after a clause of at least QUESTION_MIN_CLAUSE characters, before one of these, is a real question mark;
# inside an open quotation (“中国梦?劳动美”, seed 002) it stays a lost character.
SENTENCE_STARTS = frozenset("我你他她它咱这這那答不是其因但对對没沒请請让讓当當首")
QUESTION_MIN_CLAUSE = 4

# Where a clause starts when looking back for QUESTION_WORDS.
CLAUSE_BREAKS = frozenset("。!！?？;；,，:：“「『")

# Halfwidth punctuation that may be the normalised form of a fullwidth one (，→, ：→: ！→! ；→;
# （→( in seed 003; the rest of the ASCII punctuation block for other sites).
HALFWIDTH_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
TO_FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in HALFWIDTH_PUNCT}
TO_HALFWIDTH = {v: k for k, v in TO_FULLWIDTH.items()}

# Clause punctuation behaves alike: after 處 a "," is as good a sign for "。" as "。" itself
# (seed 003: `5處?;顒` is `5處。活動`, and the document has `11處,` but never `處。`).
CLAUSE_PUNCT = frozenset("，。、；：！？,;:!?")
_PUNCT = "\x00"  # the class symbol standing for any of CLAUSE_PUNCT
BOL, EOL = "\x02", "\n"  # the neighbours of a line's first and last character: `。` ends lines, `、` does not

# Pinyin as mirror sites print it after a character: 工會(huì). A leftover of such an annotation
# whose "(" was eaten by the damage follows a "?": `?gòu)`, `?jiǎng)`, `?dòng)` (seed 003).
_PINYIN = rf"[a-zü{TONED}]{{1,7}}"
_FRAGMENT = re.compile(rf"({_PINYIN})\)")  # "gòu)" right after a "?"
_ANNOTATION = re.compile(rf"\(({_PINYIN})\)")  # "(xiàn)" right after a character

# Search bounds (no exponential search): a run holds at most MAX_RUN characters; a character's
# candidates are cut to the PRUNE most likely before the pairwise step, and the left-to-right
# search keeps the BEAM best partial readings. Byte pairs that the decoder turned into
# private-use characters were later removed without trace (seed 003: `冬送溫暖”` lost AC CB
# and AF A1), so the search may assume up to MAX_DROPS such pairs between two characters of a
# run (`，基` in GBK is A3 AC BB F9: read one byte late, AC BB and F9 xx both vanish).
MAX_RUN = 400
MAX_DROPS = 2
# Dropped pairs are only tried where the character as it stands scores below this with its
# neighbours (log-probability of the two pairs): a well-fitting character needs no such guess.
DROP_TRIGGER = -6.0
PRUNE = 32
PRUNE_DROP = 24  # the same for characters next to a dropped pair
FILLERS = 12  # a character between two dropped pairs may also be one the prior puts before the next
BEAM = 8

# Scoring, in natural-log units. A repair must beat the damaged text by MARGIN. Choosing one of
# n candidates for a character costs log(n); assuming a dropped pair costs DROP_COST more. A "?"
# in the damaged text scores QMARK_LOGP.
MARGIN = 6.0
MARGIN_THIN = 12.0  # the same for a run of one guessed character with nothing else to go on
MARGIN_READING = 2.0  # and for a run whose last character's pinyin reading is known: `?(chuàng)`
DROP_COST = 0.5
QMARK_LOGP = math.log(1e-4)
FLOOR = 1e-8
# Where the document has not settled what follows a character, P(ch | prev) backs off to this
# mix of the prior's in-word pairs and plain character frequency.
PRIOR_PAIR_WEIGHT = 0.6
# A character of the other script (Simplified in a Traditional text) that the document does not
# use elsewhere: its probability is multiplied by this.
SCRIPT_PENALTY = 0.01
# Below this prior probability a character unused elsewhere in the document is rare: a sign of
# garble (毠, 蜏, 皠 in seed 003).
RARE_PROB = 2e-7

_LEADS = range(0x81, 0xFF)
_TRAILS = tuple(b for b in range(0x40, 0xFF) if b != 0x7F)
_ORPHANS = range(0x80, 0xFF)  # a trail byte left unpaired before an ASCII byte shows as "?"


# --------------------------------------------------------------------------------------------
# Byte tables, the general prior, readings (built once per process)
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str], frozenset[int]]:
    """Two-byte GBK codes that decode to a character, and those that decode to private use."""
    chars: dict[int, str] = {}
    dropped: set[int] = set()
    for lead in _LEADS:
        for trail in _TRAILS:
            try:
                ch = bytes((lead, trail)).decode("gb18030")
            except UnicodeDecodeError:
                continue
            if len(ch) != 1:
                continue
            if unicodedata.category(ch) in ("Co", "Cn"):
                dropped.add(lead << 8 | trail)
            else:
                chars[lead << 8 | trail] = TO_HALFWIDTH.get(ch, ch)
    return chars, frozenset(dropped)


@lru_cache(maxsize=1)
def _drop_bytes() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Byte values that can open and close a dropped pair."""
    dropped = _tables()[1]
    return tuple(sorted({c >> 8 for c in dropped})), tuple(sorted({c & 0xFF for c in dropped}))


@lru_cache(maxsize=1)
def _prior() -> tuple[dict[str, int], dict[str, int], int]:
    """Character and in-word character-pair frequencies from jieba's dictionary (Simplified)."""
    unigrams: dict[str, int] = {}
    bigrams: dict[str, int] = {}
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return unigrams, bigrams, 1
    text = (Path(spec.origin).parent / "dict.txt").read_text(encoding="utf-8")
    uget, bget = unigrams.get, bigrams.get
    for word, freq in re.findall(r"^(\S+) (\d+)", text, re.M):
        count = int(freq)
        if count < 10:  # rare words add little and cost most of the load time
            continue
        for ch in word:
            unigrams[ch] = uget(ch, 0) + count
        for i in range(len(word) - 1):
            pair = word[i : i + 2]
            bigrams[pair] = bget(pair, 0) + count
    return unigrams, bigrams, max(1, sum(unigrams.values()))


@lru_cache(maxsize=1)
def _prior_before() -> dict[str, tuple[str, ...]]:
    """For each character, the characters the prior most often puts before it inside a word."""
    found: dict[str, list[tuple[int, str]]] = {}
    for pair, count in _prior()[1].items():
        found.setdefault(pair[1], []).append((count, pair[0]))
    return {ch: tuple(c for _, c in sorted(before, reverse=True)[:FILLERS]) for ch, before in found.items()}


_T2S = converter("t2s")  # either OpenCC package (see script.py)
_S2T = converter("s2t")


@lru_cache(maxsize=65536)
def _simplified(ch: str) -> str:
    """The OpenCC t2s form of one character (itself when that is not one character)."""
    out = _T2S.convert(ch)
    return out if len(out) == 1 else ch


@lru_cache(maxsize=65536)
def _script(ch: str) -> str:
    """Hant for a character only Traditional text uses, Hans for one only Simplified text uses, else ""."""
    if _simplified(ch) != ch:
        return "Hant"
    out = _S2T.convert(ch)
    return "Hans" if len(out) == 1 and out != ch else ""


@lru_cache(maxsize=1)
def _by_reading() -> dict[str, frozenset[str]]:
    """Characters by pinyin reading (with tone marks), from pypinyin's dictionary."""
    index: dict[str, set[str]] = {}
    for code, readings in pinyin_dict.pinyin_dict.items():
        for reading in readings.split(","):
            index.setdefault(unicodedata.normalize("NFC", reading), set()).add(chr(code))
    return {reading: frozenset(chars) for reading, chars in index.items()}


def _has_reading(ch: str, reading: str) -> bool:
    """Can the character be read so (reading with tone marks, as in an annotation)."""
    return ch in _by_reading().get(unicodedata.normalize("NFC", reading), frozenset())


def _fragment_at(line: str, pos: int) -> re.Match[str] | None:
    """A pinyin leftover `gòu)` starting at pos, or None."""
    match = _FRAGMENT.match(line, pos)
    return match if match and is_syllable(match.group(1)) else None


def _annotation_at(line: str, pos: int) -> re.Match[str] | None:
    """A pinyin annotation `(xiàn)` starting at pos, or None."""
    match = _ANNOTATION.match(line, pos)
    return match if match and is_syllable(match.group(1)) else None


def _plain(text: str) -> str:
    """The text without pinyin annotations, as the statistics see it."""
    return _ANNOTATION.sub(lambda m: "" if is_syllable(m.group(1)) else m.group(0), text)


def _cls(ch: str) -> str:
    return _PUNCT if ch in CLAUSE_PUNCT else ch


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


@dataclass
class _Counts:
    unigrams: Counter[str]
    pairs: Counter[str]  # adjacent characters, clause punctuation as one class
    starts: Counter[str]  # pairs by their first character (class)
    edges: Counter[str]  # BOL + first character and last character + EOL of each line


def _count(text: str) -> _Counts:
    """Count a text's characters and pairs; "?" and white space break the pairs."""
    counts = _Counts(Counter(), Counter(), Counter(), Counter())
    for line in text.splitlines():
        plain = _plain(line).strip()
        if not plain:
            continue
        counts.edges[BOL + plain[0]] += 1
        counts.edges[plain[-1] + EOL] += 1
        for piece in re.split(r"[?\s]+", plain):
            counts.unigrams.update(piece)
            mapped = "".join(map(_cls, piece))
            counts.pairs.update(mapped[i : i + 2] for i in range(len(mapped) - 1))
            counts.starts.update(mapped[:-1])
    return counts


class Model:
    """Character statistics used to score candidates: the document's own plus jieba's prior."""

    def __init__(self, counts: _Counts) -> None:
        self.counts = counts
        self.types = Counter(pair[0] for pair in counts.pairs)  # distinct followers of a character
        self.lines = max(1, sum(n for key, n in counts.edges.items() if key[0] == BOL))
        self._base: _View | None = None
        scripts: Counter[str] = Counter()
        for ch, n in counts.unigrams.items():
            scripts[_script(ch)] += n
        # the script a candidate unused in the document must not contradict
        self.foreign = "Hans" if scripts["Hant"] > scripts["Hans"] else "Hant" if scripts["Hans"] > scripts["Hant"] else ""

    @classmethod
    def from_text(cls, document: str) -> Model:
        """Count characters and character pairs of a document (pinyin annotations left out)."""
        return cls(_count(document))

    def without(self, text: str) -> _View:
        """The model as if text (a damaged run) were not in the document: a garble cannot vouch for itself."""
        if self._base is None:
            self._base = _View(self, _Counts(Counter(), Counter(), Counter(), Counter()), None)
        return _View(self, _count(text), self._base)


class _View:
    """Log-probabilities of characters under a model, less the counts of one piece of text."""

    def __init__(self, model: Model, minus: _Counts, base: _View | None) -> None:
        self.base = base  # the view without exclusions, for pairs the exclusion does not touch
        self.touched = set(minus.unigrams)
        if self.touched & CLAUSE_PUNCT:
            self.touched |= CLAUSE_PUNCT
        self.doc = model.counts
        self.types = model.types
        self.lines = model.lines
        self.foreign = model.foreign
        self.minus = minus
        self.total = max(1, sum(self.doc.unigrams.values()) - sum(minus.unigrams.values()))
        self.punct = max(1, sum(self.uni(c) for c in CLAUSE_PUNCT))
        self.prior_uni, self.prior_bi, self.prior_total = _prior()
        self.cache: dict[tuple[str | None, str], float] = {}
        self._options: dict[tuple[int, int, str | None], Sequence[tuple[str, int, int]]] = {}
        self._middle_index: dict[str, list[tuple[str, int, int]]] | None = None

    def options(self, first: int, second: int, reading: str | None) -> Sequence[tuple[str, int, int]]:
        """Candidates for two byte slots; a large set is cut to its 8 × PRUNE most frequent."""
        if self.base is not None:
            return self.base.options(first, second, reading)
        key = (first, second, reading)
        found = self._options.get(key)
        if found is None:
            found = _candidates(first, second, reading)
            if len(found) > 8 * PRUNE:
                found = tuple(sorted(found, key=lambda c: self.logp(None, c[0]), reverse=True)[: 8 * PRUNE])
            self._options[key] = found
        return found

    def fillers(self, closing: Sequence[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """Characters between two dropped pairs that the prior puts before one of the closing ones."""
        if self.base is not None:
            return self.base.fillers(closing)
        if self._middle_index is None:
            self._middle_index = {}
            for cand in _candidates(_Y, _X, None):
                self._middle_index.setdefault(_simplified(cand[0]), []).append(cand)
        before = _prior_before()
        out: dict[tuple[str, int, int], None] = {}
        for ch, _, _ in closing[:PRUNE_DROP]:
            for prev in before.get(_simplified(ch), ()):
                out.update(dict.fromkeys(self._middle_index.get(prev, ())))
        return list(out)

    def uni(self, ch: str) -> int:
        count = self.doc.unigrams.get(ch, 0)
        return max(0, count - self.minus.unigrams.get(ch, 0)) if count and ch in self.touched else count

    def pair(self, prev: str, ch: str) -> float:
        """How often ch follows prev in the document (clause punctuation pooled, then shared out)."""
        c_prev, c_ch = _cls(prev), _cls(ch)
        key = c_prev + c_ch
        count = max(0, self.doc.pairs.get(key, 0) - self.minus.pairs.get(key, 0))
        return count * self.uni(ch) / self.punct if c_ch == _PUNCT and count else float(count)

    def edge(self, prev: str | None, ch: str) -> float:
        """P(EOL | prev) or P(ch | BOL): how lines end and start in the document (Witten-Bell)."""
        if ch == EOL:
            ends = self.lines / self.total
            if prev is None or prev == "?":
                return ends
            return (self.doc.edges.get(prev + EOL, 0) + 2 * ends) / (self.uni(prev) + 2)
        unigram = (self.uni(ch) / self.total + self.prior_uni.get(_simplified(ch), 0) / self.prior_total) / 2
        return (self.doc.edges.get(BOL + ch, 0) + 10 * unigram) / (self.lines + 10)

    def prior_pair(self, prev: str, ch: str) -> float:
        s_prev = _simplified(prev)
        count = self.prior_uni.get(s_prev, 0)
        return self.prior_bi.get(s_prev + _simplified(ch), 0) / count if count else 0.0

    def supported(self, prev: str | None, ch: str | None) -> bool:
        """Has the pair been seen: in the document (punctuation pooled) or in the prior."""
        if prev is None or ch is None or "?" in (prev, ch):
            return False
        if ch == EOL or prev == BOL:
            return self.doc.edges.get(prev + ch, 0) > 0
        return self.pair(prev, ch) > 0 or self.prior_pair(prev, ch) > 0

    def is_rare(self, ch: str) -> bool:
        """A character a normal text of this kind hardly uses (kana, bopomofo, rare Han)."""
        if ch.isascii() or ch in TO_HALFWIDTH or unicodedata.category(ch).startswith(("P", "Z")):
            return False
        return not self.uni(ch) and self.prior_uni.get(_simplified(ch), 0) / self.prior_total < RARE_PROB

    def logp(self, prev: str | None, ch: str) -> float:
        """log P(ch | prev), interpolated; a "?" scores QMARK_LOGP."""
        key = (prev, ch)
        if self.base is not None and ch not in self.touched and prev not in self.touched:
            found = self.base.cache.get(key)
            return self.base.logp(prev, ch) if found is None else found
        found = self.cache.get(key)
        if found is not None:
            return found
        if ch == "?":
            value = QMARK_LOGP
        elif ch == EOL or prev == BOL:
            value = math.log(self.edge(prev, ch) + FLOOR)
        else:
            # Witten-Bell: the document's own pairs first, backing off to the prior's in-word
            # pairs and to character frequencies as much as prev has had varied followers
            unigram = (self.uni(ch) / self.total + self.prior_uni.get(_simplified(ch), 0) / self.prior_total) / 2
            p = unigram
            if prev is not None and prev != "?":
                p = PRIOR_PAIR_WEIGHT * self.prior_pair(prev, ch) + (1 - PRIOR_PAIR_WEIGHT) * unigram
                c_prev = _cls(prev)
                seen = self.doc.starts.get(c_prev, 0) - self.minus.starts.get(c_prev, 0)
                if seen > 0:
                    types = self.types.get(c_prev, 0)
                    p = (self.pair(prev, ch) + types * p) / (seen + types)
            if self.foreign and not self.uni(ch) and _script(ch) == self.foreign:
                p *= SCRIPT_PENALTY  # 锻 in a Traditional text that writes 鍛
            value = math.log(p + FLOOR)
        self.cache[key] = value
        return value

    def sequence(self, left: str | None, chars: Sequence[str], right: str | None) -> float:
        """Sum of log-probabilities of chars between a left and a right neighbour."""
        score = 0.0
        prev = left
        for ch in chars:
            score += self.logp(prev, ch)
            prev = ch
        if right is not None:
            score += self.logp(prev, right)
        return score


# --------------------------------------------------------------------------------------------
# Runs: where a garble starts and ends in the byte stream
# --------------------------------------------------------------------------------------------

_L, _T, _X, _Y = -1, -2, -3, -4  # unknown bytes: lost lead, orphan trail, first and second of a dropped pair


@dataclass
class _Run:
    """One way to read the text after a "?" as a shifted run."""

    start: int  # index of the "?" that marks the lost lead byte
    end: int  # index after the run (after a restored annotation's ")")
    pairs: list[bytes]  # the characters of the run as found, as their two GBK bytes
    damaged: list[str]  # the run as found, one token per character, for scoring
    term: int  # trail byte of the last original character, or _T when unknown
    reading: str | None = None  # pinyin the last original character must have
    annotation: str = ""  # "(pinyin)" to write after the last character (restored leftover)
    suffix: str = ""  # an ASCII character the last pair of the run swallowed as its trail byte
    leftover: bool = False  # a pinyin leftover right after the first "?" is dropped


def _runs(line: str, start: int) -> list[_Run]:
    """Every way the text after the "?" at start can be a shifted run that ends in step."""
    annotation = _annotation_at(line, start + 1)
    if annotation:  # `?(chuàng)`: a lost character whose annotation survived
        return [_Run(start, start + 1, [], ["?"], _T, annotation.group(1))]
    runs: list[_Run] = []
    heads = [(start + 1, False)]
    fragment = _fragment_at(line, start + 1)
    if fragment:  # `?gòu)V`: a leftover that belongs to no character
        heads.append((fragment.end(), True))
    for head, leftover in heads:
        pairs: list[bytes] = []
        tokens: list[str] = []
        for i in range(head, min(len(line), head + MAX_RUN + 1)):
            for term, end, reading, restored in _run_ends(line, i):
                damaged = ["?", *tokens, line[i]]
                runs.append(_Run(start, end, list(pairs), damaged, term, reading, restored, leftover=leftover))
            pair = _run_pair(line, i)
            if pair is None:
                break
            # `邮?洌簄c`: 簄 is BA 6E, the "n" of `邮箱:n`; not so a character whose annotation
            # follows it (`?統(tǒng)`): that one was read in step
            if 0x40 <= pair[1] <= 0x7E and not _annotation_at(line, i + 1):
                damaged = ["?", *tokens, line[i]]
                runs.append(_Run(start, i + 1, list(pairs), damaged, pair[0], leftover=leftover, suffix=chr(pair[1])))
            pairs.append(pair)
            tokens.append(line[i])
    return runs


def _run_ends(line: str, i: int) -> list[tuple[int, int, str | None, str]]:
    """Ways a run can end at line[i]: (trail byte, end index, reading, restored annotation)."""
    ch = line[i]
    if ch == "?":
        fragment = _fragment_at(line, i + 1)
        if fragment:  # the unpaired byte ate the "(" of the last character's annotation
            return [(_T, fragment.end(), fragment.group(1), f"({fragment.group(1)})")]
        annotation = _annotation_at(line, i + 1)
        if annotation:
            return [(_T, i + 1, annotation.group(1), "")]
        nxt = line[i + 1] if i + 1 < len(line) else ""
        if nxt == "" or nxt.isascii():  # any lead byte is left unpaired before an ASCII byte
            return [(_T, i + 1, None, "")]
        return [(0x80, i + 1, None, "")]  # before a lead byte, only 0x80 is left unpaired
    if 0x40 <= ord(ch) <= 0x7E and not _fragment_at(line, i):  # the trail byte of the last character
        annotation = _annotation_at(line, i + 1)
        return [(ord(ch), i + 1, annotation.group(1) if annotation else None, "")]
    return []


def _run_pair(line: str, i: int) -> bytes | None:
    """The two GBK bytes line[i] stands for inside a run, or None where a run cannot go on."""
    ch = line[i]
    if ch == "?" and _fragment_at(line, i + 1):
        return None
    if ch.isascii():
        if ch not in TO_FULLWIDTH or (ch == "(" and _annotation_at(line, i)):
            return None  # an annotation after a character: the decoder was in step there
        ch = TO_FULLWIDTH[ch]
    try:
        pair = ch.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return pair if len(pair) == 2 else None


# --------------------------------------------------------------------------------------------
# Search: the most likely original characters of a run
# --------------------------------------------------------------------------------------------


def _values(slot: int) -> Sequence[int]:
    if slot == _L:
        return _LEADS
    if slot == _T:
        return _ORPHANS
    if slot == _X:
        return _drop_bytes()[0]
    if slot == _Y:
        return _drop_bytes()[1]
    return (slot,)


@lru_cache(maxsize=8192)
def _candidates(first: int, second: int, reading: str | None) -> tuple[tuple[str, int, int], ...]:
    """Characters two byte slots can form: (character, first byte, second byte)."""
    chars = _tables()[0]
    out = []
    for a in _values(first):
        for b in _values(second):
            ch = chars.get(a << 8 | b)
            if ch is not None and (reading is None or _has_reading(ch, reading)):
                out.append((ch, a, b))
    return tuple(out)


@dataclass(frozen=True)
class _State:
    """A partial reading of a run: its score, last character, and the characters so far."""

    score: float
    char: str | None
    second: int  # second byte of the last character, for the dropped-pair constraint
    path: tuple[tuple[str, bool], ...]  # (character, whether a byte of it was guessed)


def _prune(
    cands: Sequence[tuple[str, int, int]], view: _View, before: str | None, after: str | None, keep: int = PRUNE
) -> Sequence[tuple[str, int, int]]:
    """The candidates most likely between two neighbours (either may be unknown)."""
    if len(cands) <= keep:
        return cands

    def local(c: tuple[str, int, int]) -> float:
        return view.logp(before, c[0]) + (view.logp(c[0], after) if after is not None else 0.0)

    return sorted(cands, key=local, reverse=True)[:keep]


def _extend(states: list[_State], cands: Sequence[tuple[str, int, int]], view: _View, guessed: bool) -> list[_State]:
    """The best way to reach each candidate from the states."""
    out = []
    for ch, _, b in cands:
        best = max(states, key=lambda s: s.score + view.logp(s.char, ch))
        out.append(_State(best.score + view.logp(best.char, ch), ch, b, (*best.path, (ch, guessed))))
    return out


def _close(layer: list[_State], closing: Sequence[tuple[str, int, int]], view: _View, cost: float) -> list[_State]:
    """Reach each candidate from the states whose last byte and its first byte form a dropped pair."""
    dropped = _tables()[1]
    out = []
    for ch, y, b in closing:
        best_score, best = -math.inf, None
        for s in layer:
            if (s.second << 8 | y) in dropped:
                score = s.score + view.logp(s.char, ch)
                if score > best_score:
                    best_score, best = score, s
        if best is not None:
            out.append(_State(best_score - cost, ch, b, (*best.path, (ch, True))))
    return out


def _search(run: _Run, view: _View, left: str | None, right: str | None) -> tuple[float, float, list[str]] | None:
    """Best reading of a run: its score, the cost of the guesses, its characters (□: no support).

    The byte stream is [lost lead] + the run's bytes + [trail of the last character]; original
    character g is bytes 2g and 2g+1. Dropped pairs may sit between them (at most MAX_DROPS in a
    row): character g is then (2g, X1), (Y1, X2)…, (Yk, 2g+1), each Xi Yi a dropped pair. Each
    step keeps the BEAM best states. The guesses cost log(number of candidates) for the lost
    lead byte and the unpaired trail byte, whatever the path.
    """
    chars = _tables()[0]
    stream = [_L, *(b for pair in run.pairs for b in pair), run.term]
    n = len(stream) // 2
    states = [_State(0.0, left, -1, ())]
    guess_cost = 0.0
    for g in range(n):
        first, second = stream[2 * g], stream[2 * g + 1]
        reading = run.reading if g == n - 1 else None
        nxt = stream[2 * g + 2 : 2 * g + 4]
        hint = right if g == n - 1 else (chars.get(nxt[0] << 8 | nxt[1]) if min(nxt) >= 0 else None)
        top = max(states, key=lambda s: s.score).char
        # the character as it stands
        if first < 0 or second < 0:
            guess_cost += math.log(max(1, len(_candidates(first, second, reading))))
        cands = _prune(view.options(first, second, reading), view, top, hint)
        new = _extend(states, cands, view, first < 0 or second < 0)
        # or characters around dropped pairs, unless the character as it stands fits well
        if first >= 0 and second >= 0 and cands:
            fit = view.logp(top, cands[0][0]) + (view.logp(cands[0][0], hint) if hint is not None else 0.0)
            if fit > DROP_TRIGGER:
                new.sort(key=lambda s: s.score, reverse=True)
                states = new[:BEAM]
                continue
        closing = _prune(view.options(_Y, second, reading), view, None, hint, PRUNE_DROP)
        layer = _extend(states, _prune(view.options(first, _X, None), view, top, None, PRUNE_DROP), view, True)
        for depth in range(1, MAX_DROPS + 1):
            new += _close(layer, closing, view, DROP_COST * depth)
            if depth < MAX_DROPS:
                layer = sorted(layer, key=lambda s: s.score, reverse=True)[:BEAM]
                middles = _prune(view.options(_Y, _X, None), view, layer[0].char if layer else None, None, PRUNE_DROP)
                middles = list(dict.fromkeys([*middles, *view.fillers(closing)]))
                layer = _close(layer, middles, view, 0.0)
        if not new:
            return None
        new.sort(key=lambda s: s.score, reverse=True)
        states = new[:BEAM]
    final = max(states, key=lambda s: s.score + (view.logp(s.char, right) if right is not None else 0.0))
    score = final.score + (view.logp(final.char, right) if right is not None else 0.0)
    path = [ch for ch, _ in final.path]
    out = []
    for k, (ch, guessed) in enumerate(final.path):
        before = left if k == 0 else path[k - 1]
        after = right if k == len(path) - 1 else path[k + 1]
        # a guessed character chosen on its frequency alone, with no pair seen on either side
        unsupported = guessed and not (view.supported(before, ch) or view.supported(ch, after))
        out.append(MISSING if unsupported else ch)
    return score, guess_cost, out


# --------------------------------------------------------------------------------------------
# Repair of one line
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Damage:
    """One damaged place in a line and what became of it."""

    kind: str  # "repaired" | "lost" | "unrecoverable"
    original: str  # the damaged text as found
    replacement: str  # what it became (the same as original for "unrecoverable")
    context: str  # ~10 chars either side, after repair


@dataclass
class _Fix:
    start: int
    end: int
    replacement: str
    kind: str
    margin: float = 0.0


def _left_context(text: str) -> str | None:
    """The character before a run (pinyin annotations skipped): BOL at the start of a line."""
    plain = _plain(text)
    if not plain.strip():
        return BOL
    return plain[-1] if not plain[-1].isspace() else None


def _right_context(line: str, end: int) -> str | None:
    """The character after a run (pinyin annotations skipped): EOL at the end of a line."""
    rest = line[end:]
    annotation = _annotation_at(rest, 0)
    if annotation:
        rest = rest[annotation.end() :]
    rest = _plain(rest)
    if not rest.strip():
        return EOL
    return rest[0] if not rest[0].isspace() else None


def _is_question(line: str, i: int, out: str) -> bool:
    """A "?" that ends a question by what is right next to it, or one inside ASCII text."""
    nxt = line[i + 1] if i + 1 < len(line) else ""
    if nxt == "" or nxt.isspace() or nxt in QUESTION_FOLLOWERS:
        return True
    before = _plain(out)
    if before and before[-1].isascii() and nxt.isascii() and not _annotation_at(line, i + 1):
        return True  # `index.php?id=5`, `What?No`: not Chinese text, no lost character
    return bool(before) and before[-1] in QUESTION_PARTICLES


def _opens_new_sentence(line: str, i: int, out: str) -> bool:
    """A "?" outside any open quotation, after a whole clause, before a sentence-opening character."""
    nxt = line[i + 1 : i + 2]
    if nxt not in SENTENCE_STARTS or out.count("“") + out.count("「") > out.count("”") + out.count("」"):
        return False
    cut = max((out.rfind(c) for c in CLAUSE_BREAKS), default=-1)
    return len(out) - cut - 1 >= QUESTION_MIN_CLAUSE


def _in_question_clause(out: str) -> bool:
    """Is there a question word in the clause before the "?"."""
    text = _plain(out)
    cut = max((text.rfind(c) for c in CLAUSE_BREAKS), default=-1)
    return any(word in text[cut + 1 :] for word in QUESTION_WORDS)


def _try_runs(line: str, i: int, out: str, model: Model) -> tuple[_Fix | None, _Run | None]:
    """The best repair of a run starting at the "?" at i (None unless clear), and the likeliest run."""
    left = _left_context(out)
    best: _Fix | None = None
    runs = _runs(line, i)
    best_run = runs[0] if runs else None
    for run in runs:
        right = _right_context(line, run.end)
        view = model.without((left or "") + line[run.start : run.end] + (right or ""))
        found = _search(run, view, left, run.suffix or right)
        if found is None:
            continue
        score, guess_cost, chars = found
        if chars.count(MISSING) * 3 > len(chars):
            continue  # mostly guesswork: not a repair
        if run.suffix and right is not None:
            score += view.logp(run.suffix, right)
        margin = score - guess_cost - view.sequence(left, run.damaged, right)
        if best is None or margin > best.margin:
            best_run = run
            best = _Fix(run.start, run.end, "".join(chars) + run.annotation + run.suffix, "repaired", margin)
    if best is None or best_run is None:
        return None, best_run
    # one guessed character with no reading to confirm it is thin evidence: `镜?[无` is more
    # likely a lost 像 before a "[" than a garble of 覽
    if best_run.reading is not None:
        needed = MARGIN_READING
    elif not best_run.pairs and not best_run.leftover:
        needed = MARGIN_THIN
    else:
        needed = MARGIN
    return (best if best.margin >= needed else None), best_run


_GARBLE_SPAN = re.compile(r"\?[^\x00-\x7f]{1,20}\??")  # a "?" and the non-ASCII text after it


def _garbled_span(line: str, i: int, run: _Run | None, model: Model) -> int | None:
    """Where a garble that starts at the "?" at i ends, or None when the text after it is clean.

    Signs of a garble: a pinyin leftover (`?gòu)`), or a rare character (kana, bopomofo, rare
    Han) in the run or, when no run could be read, in the non-ASCII text right after the "?".
    """
    fragment = _fragment_at(line, i + 1)
    if run is not None and (run.annotation or run.leftover or fragment):
        return run.end
    if fragment:
        return fragment.end()
    if run is not None:
        view = model.without(line[run.start : run.end])
        return run.end if any(view.is_rare(t) for t in run.damaged if t != "?") else None
    match = _GARBLE_SPAN.match(line, i)
    if match is None:
        return None
    view = model.without(match.group(0))
    return match.end() if any(view.is_rare(t) for t in match.group(0) if t != "?") else None


def _fixes(line: str, model: Model) -> list[_Fix]:
    """What to do with each "?" of a line, left to right."""
    fixes: list[_Fix] = []
    out: list[str] = []  # the line so far, after the fixes, for left context
    pos = 0
    i = line.find("?")
    while i != -1:
        out.append(line[pos:i])
        so_far = "".join(out)
        fix: _Fix | None = None
        if not _is_question(line, i, so_far):
            fix, run = _try_runs(line, i, so_far, model)
            if fix is None:
                end = _garbled_span(line, i, run, model)
                if end is not None:
                    fix = _Fix(i, end, line[i:end], "unrecoverable")
                elif not _in_question_clause(so_far) and not _opens_new_sentence(line, i, so_far):
                    fix = _Fix(i, i + 1, MISSING, "lost")
        if fix is None:
            out.append("?")
            pos = i + 1
        else:
            fixes.append(fix)
            out.append(fix.replacement)
            pos = fix.end
        i = line.find("?", pos)
    return fixes


def repair_line(line: str, model: Model) -> tuple[str, list[Damage]]:
    """Repair GBK-shift garbles and mark lost characters in one line; return the new line and what was done."""
    if "?" not in line:
        return line, []
    fixes = _fixes(line, model)
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = length = 0
    for fix in fixes:
        pieces.append(line[pos : fix.start])
        length += fix.start - pos
        spans.append((length, length + len(fix.replacement)))
        pieces.append(fix.replacement)
        length += len(fix.replacement)
        pos = fix.end
    pieces.append(line[pos:])
    new_line = "".join(pieces)
    damages = [
        Damage(fix.kind, line[fix.start : fix.end], fix.replacement, new_line[max(0, s - 10) : e + 10])
        for fix, (s, e) in zip(fixes, spans, strict=True)
    ]
    return new_line, damages
