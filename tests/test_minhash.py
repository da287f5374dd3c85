"""MinHash fingerprints (build_tools/minhash.py): the numpy CRC-32 of every shingle equals zlib's."""

from __future__ import annotations

import random
import zlib
from array import array
from pathlib import Path

from build_tools import minhash

ROOT = Path(__file__).resolve().parent.parent


def _by_zlib(normal: str) -> set[int]:
    """The definition: CRC-32 of each SHINGLE-character substring as UTF-32, times _MIX mod 2^64."""
    data = normal.encode("utf-32-le")
    width = 4 * minhash.SHINGLE
    if len(data) <= width:
        return {(zlib.crc32(data) * minhash._MIX) & minhash._MASK} if data else set()
    return {(zlib.crc32(data[i : i + width]) * minhash._MIX) & minhash._MASK for i in range(0, len(data) - width + 4, 4)}


def _signature_by_dict(hashes: set[int]) -> array:
    """The signature as first written: the smallest hash per bin, empty bins borrowing to the right."""
    lowest = {h & (minhash.BINS - 1): h >> 7 for h in sorted(hashes, reverse=True)}
    sig = array("Q", [minhash._EMPTY] * minhash.BINS)
    for b, value in lowest.items():
        sig[b] = value
    if lowest and len(lowest) < minhash.BINS:
        for b in range(minhash.BINS):
            if sig[b] == minhash._EMPTY:
                step = 1
                while (b + step) % minhash.BINS not in lowest:
                    step += 1
                sig[b] = (lowest[(b + step) % minhash.BINS] + step * (1 << 57)) & minhash._MASK
    return sig


def _texts() -> list[str]:
    rng = random.Random(7)
    alphabet = "工会职工之家劳模精神abcXYZ0123😀𠀀"
    texts = ["".join(rng.choice(alphabet) for _ in range(n)) for n in [*range(12), 50, 300] for _ in range(20)]
    pages = sorted((ROOT / "docs" / "articles").glob("*.md"))
    return texts + [minhash.normalize(p.read_text(encoding="utf-8")) for p in pages]


def test_shingle_hashes_are_zlib_crc32():
    for text in _texts():
        assert minhash.shingle_hashes(text) == _by_zlib(text), text[:20]
        assert minhash.shingle_array(text).tolist() == sorted(_by_zlib(text))


def test_signature_from_the_array_is_the_signature_from_the_set():
    for text in _texts():
        expected = _signature_by_dict(_by_zlib(text))
        assert minhash.signature(minhash.shingle_array(text)) == expected
        assert minhash.signature(_by_zlib(text)) == expected


def plain_lsh_pairs(signatures: list[array], order: list[int]) -> set[tuple[int, int]]:
    """LSH banding as plain loops over dict buckets (what minhash.lsh_pairs did before numpy)."""
    rank = {doc: r for r, doc in enumerate(order)}
    pairs: set[tuple[int, int]] = set()
    for band in range(minhash.BANDS):
        buckets: dict[tuple[int, ...], list[int]] = {}
        for doc in order:
            if signatures[doc][0] != minhash._EMPTY:
                buckets.setdefault(tuple(signatures[doc][band * minhash.ROWS : (band + 1) * minhash.ROWS]), []).append(doc)
        for members in buckets.values():
            members.sort(key=rank.__getitem__)
            heads = members[: minhash.BUCKET_CAP]
            for doc in members:
                for head in heads:
                    if head == doc:
                        break
                    pairs.add((min(head, doc), max(head, doc)))
    return pairs


def test_lsh_pairs_are_the_plain_loops_pairs():
    rng = random.Random(5)
    # Few distinct values per position: buckets collide often, some hold more than BUCKET_CAP documents.
    signatures = [array("Q", [rng.choice([1, 2, 3]) if rng.random() < 0.97 else 7 for _ in range(minhash.BINS)]) for _ in range(300)]
    crowd = array("Q", [9] * minhash.BINS)
    signatures += [array("Q", crowd) for _ in range(2 * minhash.BUCKET_CAP)] + [minhash.signature(set())] * 3
    order = list(range(len(signatures)))
    rng.shuffle(order)
    found = minhash.lsh_pairs(signatures, order[:-5]).tolist()
    assert found == [list(p) for p in sorted(plain_lsh_pairs(signatures, order[:-5]))]
    assert len(found) > 100
    assert minhash.lsh_pairs(signatures, order[:1]).tolist() == [] and plain_lsh_pairs(signatures, order[:1]) == set()
