"""Character shingles, MinHash signatures and LSH banding: near-duplicate candidates in close to linear time.

A text is reduced to its letters and digits (punctuation and spaces say nothing about sameness and are
often what a re-posting site changes), then to the set of its `SHINGLE`-character substrings, each
hashed with CRC-32 (fixed, platform independent) and mixed by a 64-bit multiplication.

Signatures use one-permutation hashing (Li, Owen & Zhang 2012) with rotation densification (Shrivastava &
Li 2014): the hash space is cut into `BINS` bins and each bin keeps its smallest hash, so one pass over the
shingles gives `BINS` min-hashes (pure Python cannot afford 128 separate permutations at 10,000 articles).
The share of equal bins between two signatures estimates the Jaccard resemblance of the shingle sets.

LSH: the signature is cut into `BANDS` bands of `ROWS` bins; two texts whose signatures agree on a whole
band become a candidate pair. P(candidate) = 1 - (1 - J^ROWS)^BANDS: 0.87 at J = 0.5, 0.99 at J = 0.6,
0.0009 at J = 0.1; see build_tools/duplicates.py for the threshold and how candidates are verified.
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections.abc import Mapping

import numpy as np

SHINGLE = 5  # characters per shingle: Chinese words are 1-4 characters, so 5 spans a word boundary
BINS = 128
BANDS = 32
ROWS = 4  # BANDS * ROWS == BINS
BUCKET_CAP = 20  # in an LSH bucket, each member is paired with at most the first BUCKET_CAP members

_MASK = (1 << 64) - 1
_MIX = 0x9E3779B97F4A7C15  # 2^64 / golden ratio: spreads CRC-32's linear structure over 64 bits
_BIN_BITS = 7  # log2(BINS)
_EMPTY = _MASK
_NOT_WORD = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Letters and digits only, lower case: what shingles are cut from."""
    return _NOT_WORD.sub("", text.lower())


_WIDTH = 4 * SHINGLE  # bytes of one shingle in UTF-32


def _crc_tables() -> tuple[int, np.ndarray]:
    """CRC-32 of a WIDTH-byte message, byte position by byte position.

    For messages of one length CRC-32 is affine: crc(x ^ y) = crc(x) ^ crc(y) ^ crc(zeros). So
    crc(m) = crc(zeros) ^ XOR over i of T[i][m[i]], with T[i][v] = crc(v at i, zeros elsewhere) ^ crc(zeros):
    the same values as zlib.crc32, computed for every shingle of a text at once.
    """
    zero = zlib.crc32(bytes(_WIDTH))
    tables = [[zlib.crc32(bytes(i) + bytes([v]) + bytes(_WIDTH - i - 1)) ^ zero for v in range(256)] for i in range(_WIDTH)]
    return zero, np.array(tables, dtype=np.uint32)


_CRC_ZERO, _CRC_TABLES = _crc_tables()
# A character is 4 bytes of UTF-32-LE; its fourth is always 0 (code points stop at 0x10FFFF), and T[i][0] == 0.
# So each character position needs one lookup for its two low bytes (a 65,536-entry table: T[4j] ^ T[4j+1])
# and, only for characters beyond the Basic Multilingual Plane, one for its third byte.
_CRC_LOW = np.array(
    [(_CRC_TABLES[4 * j][None, :] ^ _CRC_TABLES[4 * j + 1][:, None]).ravel() for j in range(SHINGLE)], dtype=np.uint32
)  # [j][low + 256 * high] for the bytes (low, high) of character j


def shingle_array(normal: str) -> np.ndarray:
    """The distinct shingle hashes of a normalized text (the whole text's when shorter than a shingle), sorted:
    (zlib.crc32(shingle as UTF-32) * _MIX) mod 2^64, computed with numpy (see _crc_tables)."""
    data = normal.encode("utf-32-le")
    if len(data) <= _WIDTH:
        return np.array([(zlib.crc32(data) * _MIX) & _MASK] if data else [], dtype=np.uint64)
    codes = np.frombuffer(data, dtype=np.uint32)
    count = len(codes) - SHINGLE + 1
    low, plane = codes & 0xFFFF, codes >> 16
    crc = np.full(count, _CRC_ZERO, dtype=np.uint32)
    for j in range(SHINGLE):
        crc ^= _CRC_LOW[j][low[j : j + count]]
    if plane.any():
        for j in range(SHINGLE):
            crc ^= _CRC_TABLES[4 * j + 2][plane[j : j + count]]
    return np.unique(crc.astype(np.uint64) * np.uint64(_MIX))  # numpy's uint64 product wraps mod 2^64


def shingle_hashes(normal: str) -> set[int]:
    """The distinct shingle hashes of a normalized text, as a set (for exact Jaccard and containment)."""
    return set(shingle_array(normal).tolist())


def signature(hashes: set[int] | np.ndarray) -> array:
    """One-permutation MinHash signature of BINS values (an empty set gives all-empty bins)."""
    values = hashes if isinstance(hashes, np.ndarray) else np.array(sorted(hashes), dtype=np.uint64)
    # Smallest value per bin (the smallest hash of a bin has the smallest value: the bin is its low bits).
    lowest_of = np.full(BINS, _EMPTY, dtype=np.uint64)
    np.minimum.at(lowest_of, (values & np.uint64(BINS - 1)).astype(np.intp), values >> np.uint64(_BIN_BITS))
    filled = [b for b in range(BINS) if lowest_of[b] != _EMPTY]
    lowest = {b: int(lowest_of[b]) for b in filled}
    sig = array("Q", [_EMPTY] * BINS)
    for b, value in lowest.items():
        sig[b] = value
    if lowest and len(lowest) < BINS:
        # Rotation densification: an empty bin borrows the next filled bin to its right, offset by distance.
        for b in range(BINS):
            if sig[b] == _EMPTY:
                step = 1
                while (b + step) % BINS not in lowest:
                    step += 1
                sig[b] = (lowest[(b + step) % BINS] + step * (1 << 57)) & _MASK
    return sig


def estimates(signatures: Mapping[int, array], pairs: list[tuple[int, int]], chunk: int = 8192) -> list[float]:
    """Estimated Jaccard resemblance of each pair of documents (keys of `signatures`): the share of bins where
    their signatures agree (0.0 when either is empty), computed with numpy."""
    if not pairs:
        return []
    row = {doc: r for r, doc in enumerate(signatures)}
    matrix = np.frombuffer(b"".join(sig.tobytes() for sig in signatures.values()), dtype=np.uint64).reshape(len(row), BINS)
    result: list[float] = []
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        a = matrix[[row[x] for x, _ in part]]
        b = matrix[[row[y] for _, y in part]]
        equal = (a == b).sum(axis=1) / BINS
        equal[(a[:, 0] == _EMPTY) | (b[:, 0] == _EMPTY)] = 0.0
        result.extend(equal.tolist())
    return result


def jaccard(a: set[int], b: set[int]) -> float:
    """Exact Jaccard resemblance of two shingle sets."""
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def containment(a: set[int], b: set[int]) -> float:
    """Share of the smaller set found in the larger one (1.0 when one text is a cut-off copy of the other)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def lsh_pairs(signatures: list[array], order: list[int]) -> np.ndarray:
    """Candidate pairs (i, j), i < j, of documents that share a band (the same ROWS values of their signatures),
    each once, sorted: an array of shape (pairs, 2).

    `order` ranks the documents (canonical candidates first); inside a crowded bucket each member is
    paired only with the first BUCKET_CAP members in that order, which keeps the work linear when many
    copies of one text exist while still pairing every copy with the likely canonical ones. A band's buckets
    are found by sorting its values, and the pairs made, with numpy.
    """
    members = np.array([doc for doc in order if signatures[doc][0] != _EMPTY], dtype=np.int64)  # in rank order
    count = len(signatures)
    if len(members) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    matrix = np.frombuffer(b"".join(signatures[doc].tobytes() for doc in members.tolist()), dtype=np.uint64).reshape(len(members), BINS)
    keys = []
    for band in range(BANDS):
        values = matrix[:, band * ROWS : (band + 1) * ROWS]
        by_value = np.lexsort(values.T[::-1])  # stable: members with equal values stay in rank order
        ordered = values[by_value]
        new = np.concatenate(([True], (ordered[1:] != ordered[:-1]).any(axis=1)))
        starts = np.flatnonzero(new)
        bucket = np.cumsum(new) - 1  # of each sorted position
        heads = np.minimum(np.arange(len(members)) - starts[bucket], BUCKET_CAP)  # members before it in its bucket, at most BUCKET_CAP
        position = np.repeat(np.arange(len(members)), heads)
        head = starts[bucket[position]] + np.arange(len(position)) - (np.cumsum(heads) - heads)[position]
        a, b = members[by_value[head]], members[by_value[position]]
        keys.append(np.minimum(a, b) * count + np.maximum(a, b))
    unique = np.unique(np.concatenate(keys))
    return np.stack((unique // count, unique % count), axis=1)
