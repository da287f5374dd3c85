"""Bytes in, text out: find the encoding, normalise line ends, drop control characters."""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

from charset_normalizer import from_bytes

from .invisible import FORMAT_CLASS


class DecodeError(ValueError):
    """The bytes are not text we can use (empty, binary, undecodable)."""


# Strict UTF-8 is tried first; when it fails, each of these that decodes without
# error is scored by how much of the result is common Chinese text, and the best
# wins: nearly every Big5 or UTF-16 byte sequence is also valid GB18030, so
# "decodes without error" alone cannot tell them apart.
CANDIDATES = ("utf-8", "gb18030", "big5")

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# C0/C1 controls except tab and newline; also every format character (zero-width, bidi controls, soft
# hyphen, the BOM when it appears mid-file...: build_tools/invisible.py) and the noncharacter U+FFFE.
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{FORMAT_CLASS}\ufffe]")
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f]")


def decode(data: bytes) -> tuple[str, str]:
    """Decode raw bytes; return (text, encoding name). Raise DecodeError when it is not text."""
    if not data.strip():
        raise DecodeError("empty file")
    encoding = _detect(data)
    mixed = None if encoding.startswith("utf-") else _mixed_utf8(data)
    if mixed is not None:
        text, encoding = mixed
    else:
        if not encoding.startswith(("utf-16", "utf-32")):
            data = data.replace(b"\x00", b"")  # stray NULs would break multi-byte sequences
        text = normalise(data.decode(encoding, errors="replace").removeprefix("\ufeff"))
    if not text.strip():
        raise DecodeError("no text after decoding (only blanks or control characters)")
    if _looks_binary(data, text, encoding):
        raise DecodeError(f"binary data or an unknown encoding, not text (best guess: {encoding})")
    return text, encoding.replace("-sig", "")


def normalise(text: str) -> str:
    """Unify line ends, drop control characters, make odd spaces plain, compose characters (NFC)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text).replace("\u3000", "  ")
    return unicodedata.normalize("NFC", text)


# A file counts as UTF-8 with a few lines in a legacy encoding (pasted from another page) when at
# least this share of its non-ASCII lines are valid UTF-8 (a GB18030 or Big5 file has next to none).
MIXED_UTF8_SHARE = 0.5


def _mixed_utf8(data: bytes) -> tuple[str, str] | None:
    """Decode a mostly-UTF-8 file whose odd lines are GB18030 or Big5, line by line; None when it is not one.

    Asked only of a file that is not valid UTF-8 as a whole (and has no BOM: `_detect` said so)."""
    if b"\x00" in data[:4096]:
        return None
    lines = data.split(b"\n")
    good = bad = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            bad += 1
    if good < MIXED_UTF8_SHARE * (good + bad):
        return None
    out, legacy = [], set()
    for line in lines:
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            name = _detect(line)
            legacy.add(name)
            out.append(line.decode(name, errors="replace"))
    text = normalise("\n".join(out))
    return text, "utf-8+" + "+".join(sorted(legacy))


def _detect(data: bytes) -> str:
    """Name the encoding of `data`: a BOM wins, then strict UTF-8, then the CJK candidate that reads best."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name
    candidates = ["utf-16-le", "utf-16-be"] if len(data) % 2 == 0 else []
    nul_free = data.replace(b"\x00", b"")
    try:
        nul_free.decode("utf-8")
        if not _utf16_without_bom(data):
            return "utf-8"
    except UnicodeDecodeError:
        pass
    scored = []
    for name in candidates + list(CANDIDATES[1:]):
        try:
            text = (data if name.startswith("utf-16") else nul_free).decode(name)
        except UnicodeDecodeError:
            continue
        scored.append((_readability(text), -len(scored), name))
    if scored:
        return max(scored)[2]
    best = from_bytes(nul_free).best()
    return best.encoding if best is not None else "gb18030"


def _utf16_without_bom(data: bytes) -> bool:
    """UTF-16 text of mostly ASCII has a NUL in one half of the bytes far more often than the other."""
    if len(data) < 4 or len(data) % 2:
        return False
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    return max(even, odd) > 0.3 * half and min(even, odd) < 0.05 * half


def _readability(text: str) -> float:
    """Share of characters a Chinese web text is made of: common Han, ASCII, CJK punctuation, blanks."""
    sample = text[:20000]
    if not sample:
        return 0.0
    good = _readable_chars()
    return sum(map(good.__contains__, sample)) / len(sample)


@lru_cache(maxsize=1)
def _readable_chars() -> frozenset[str]:
    """Printable ASCII and blanks, CJK and fullwidth punctuation, and the common Han characters."""
    chars = {chr(c) for c in range(0x20, 0x7F)} | set("\n\r\t“”‘’…—·")
    chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    chars |= {chr(c) for c in range(0x4E00, 0xA000) if _is_common(chr(c))}
    return frozenset(chars)


def _is_common(char: str) -> bool:
    """A character is common when GB2312 level 1 (Simplified) or Big5 level 1 (Traditional) encodes it."""
    if not "\u4e00" <= char <= "\u9fff":
        return False
    for codec, lo, hi in (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)):
        try:
            lead = char.encode(codec)[0]
        except UnicodeEncodeError:
            continue
        if lo <= lead <= hi:
            return True
    return False


_BINARY_BYTES = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]")


def _looks_binary(data: bytes, text: str, encoding: str) -> bool:
    """Binary data has control bytes that text never has, or decodes into characters no page is made of."""
    if not encoding.startswith(("utf-16", "utf-32")):
        sample = data[:65536]
        if len(_BINARY_BYTES.findall(sample)) > max(4, len(sample) // 100):
            return True
    return _readability(text) < 0.6
