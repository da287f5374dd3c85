"""The Traditional (zh-Hant) edition: Simplified -> Traditional conversion.

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

from .script import converter

OPENCC_CONFIG = "s2tw"

# Variant glyphs OpenCC writes in every Traditional configuration, put back to the standard form readers in
# Taiwan and Hong Kong write: 娘 comes out as 孃 in many words (娘家 -> 孃家, 爹娘, 老娘, 亲娘, 娘亲), and 娘家
# (职工娘家人, "the workers' family home") is a key phrase of union texts. Simplified text has no 孃 of its own.
FIXES = str.maketrans({"孃": "娘"})


def to_hant(text: str) -> str:
    """Simplified text -> Traditional text (OpenCC s2tw, then FIXES); ASCII (Markdown, links) is left as is."""
    if not text:
        return text
    return converter(OPENCC_CONFIG).convert(text).translate(FIXES)
