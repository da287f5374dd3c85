"""The domain dictionary and word segmentation shared by every step that needs words."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import jieba

TERMS_FILE = Path(__file__).with_name("data") / "terms.txt"


@lru_cache(maxsize=1)
def domain_terms() -> tuple[str, ...]:
    """Terms of the domain dictionary, in file order (comments and blanks skipped)."""
    terms = []
    for raw in TERMS_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            terms.append(line.split()[0])
    return tuple(terms)


@lru_cache(maxsize=1)
def _general_dictionary() -> tuple[dict[str, int], int]:
    """jieba's own dictionary (prefix dictionary of word -> frequency, and the total), loaded once per process."""
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok.FREQ, tok.total


def _tokenizer_with(freq: dict[str, int], total: int) -> jieba.Tokenizer:
    """A jieba tokenizer on an already loaded dictionary: what `initialize` would set, without reading it again."""
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = freq, total, True
    return tok


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """A jieba tokenizer that knows the domain terms (loaded once per process)."""
    freq, total = _general_dictionary()
    tok = _tokenizer_with(dict(freq), total)  # a copy: the domain terms are added to this one only
    for term in domain_terms():
        tok.add_word(term, freq=max(tok.FREQ.get(term, 0), 20000))
    return tok


def words(text: str) -> list[str]:
    """Segment Simplified Chinese text into words (no HMM guessing of new words: stable across runs)."""
    return [w for w in tokenizer().lcut(text, HMM=False) if w.strip()]


def crosses_word(left: str, right: str) -> bool:
    """True when a word runs across the boundary between `left` and `right` (领|导 -> 领导)."""
    a, b = left[-4:], right[:4]
    if not a or not b:
        return False
    pos = 0
    for word in tokenizer().lcut(a + b, HMM=False):
        end = pos + len(word)
        if pos < len(a) < end and len(word) > 1:
            return True
        pos = end
    return False


@lru_cache(maxsize=1)
def plain_tokenizer() -> jieba.Tokenizer:
    """jieba with its own dictionary only: short everyday words (for readable page addresses)."""
    return _tokenizer_with(*_general_dictionary())
