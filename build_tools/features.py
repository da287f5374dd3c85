"""What the corpus pass needs of one article, worked out with the article itself.

An article's segmentation (its content words with their counts, and the sentence where each domain term
first appears: build_tools/analysis.py) and the MinHash fingerprint of its normalized text
(build_tools/duplicates.py) depend on that article alone. So they are computed where the article is made,
in the conversion's worker processes, and kept with it in the conversion cache (build_tools/cache.py): a
rebuild after one source changed segments and fingerprints that source's articles only, and the corpus
pass does nothing but what needs every article at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import Packed, digest, pack, segment
from .article import Article
from .duplicates import Fingerprint, fingerprint
from .minhash import normalize
from .summary import title_of


@dataclass(frozen=True)
class Features:
    """One article's segmentation (packed: analysis.Packed) and fingerprint."""

    segmentation: Packed
    fingerprint: Fingerprint
    digest: bytes  # of the segmentation's words and counts (analysis.digest): tells a rebuild whether they changed


def normal_text(article: Article) -> str:
    """The article's text as the duplicate search compares it: its blocks, normalized (minhash.normalize)."""
    return normalize("\n".join(b.text for b in article.blocks))


def features_of(article: Article) -> Features:
    """Segment the article's blocks and title; fingerprint its normalized text."""
    texts = [b.text for b in article.blocks] + [title_of(article)]
    packed = pack(segment(texts))
    return Features(packed, fingerprint(normal_text(article)), digest(packed))


def with_features(articles: list[Article]) -> list[Article]:
    """The articles, each given its features (in place) when it has none yet."""
    for article in articles:
        if article.features is None:
            article.features = features_of(article)
    return articles
