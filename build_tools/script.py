"""Detect Traditional script and convert it to Simplified with OpenCC.

Works with the official binding (PyPI `opencc`, the default) and with the pure-Python
substitute `opencc-python-reimplemented`: both import as `opencc` and offer
`OpenCC(config).convert(text)`. They differ in config names (`t2s` vs `t2s.json`).
"""

from __future__ import annotations

import re
from functools import cache

import opencc

from .article import Article

# Mainland usage writes these phrases with 着 where OpenCC's character table keeps 著
# (著 is also a valid Simplified character: 著名, 著作, 显著), so only phrases where it is
# the aspect particle are listed; 有著/看著 are left out because of 有著名/看著作.
# Seen in seeds 001/003 (隨著); the others are common in speeches and reports.
ZHE_PHRASES = (
    "随著",
    "意味著",
    "沿著",
    "朝著",
    "向著",
    "本著",
    "围绕著",
    "带著",
    "接著",
    "跟著",
    "紧接著",
    "怀著",
    "抱著",
    "存在著",
    "发挥著",
    "伴随著",
    "肩负著",
    "承载著",
    "推动著",
    "影响著",
    "面临著",
    "经历著",
    "保持著",
)
# 著 before these characters is 着 (着力, 着眼, 着手, 着重, 着想, 着落, 着陆, 着装, 着色) unless it
# ends a word of its own (显著, 卓著, 名著…): 显著重要 stays.
ZHE_BEFORE = re.compile("(?<![显卓昭名巨原专编论遗土拙合新])著(?=[力眼手重想落陆装色实])")
_ZHE = re.compile("|".join(sorted(ZHE_PHRASES, key=len, reverse=True)))


@cache
def converter(config: str) -> opencc.OpenCC:
    """An OpenCC converter for `config` ("t2s", "s2t", "s2twp", "s2hk"…), from either package."""
    for name in (config, f"{config}.json"):
        try:
            return opencc.OpenCC(name)
        except Exception:
            continue
    raise ValueError(f"OpenCC has no configuration named {config!r}")


def to_simplified(text: str) -> str:
    """Convert Traditional (or mixed) text to Simplified, with mainland 着 phrases fixed."""
    return fix_zhe(converter("t2s").convert(text))


def fix_zhe(text: str) -> str:
    """随著 -> 随着, 意味著 -> 意味着…: the phrases mainland usage writes with 着."""
    if "著" not in text:
        return text
    text = _ZHE.sub(lambda m: m.group(0).replace("著", "着"), text)
    return ZHE_BEFORE.sub("着", text)


_HAN = re.compile("[\u4e00-\u9fff]+")
SAMPLE_CHARS = 5000  # Han characters looked at


def traditional_share(text: str) -> float:
    """Share of Han characters that OpenCC t2s changes: near 0 for Simplified, well above for Traditional."""
    sample = "".join(_HAN.findall(text))[:SAMPLE_CHARS]
    if not sample:
        return 0.0
    converted = converter("t2s").convert(sample)
    if converted == sample:  # Simplified text, the common case: nothing to count
        return 0.0
    return sum(a != b for a, b in zip(sample, converted, strict=False)) / len(sample)


# Above this share of changed characters a text is Traditional: Simplified text has
# none (0.0 on the seeds), Traditional prose about 0.25–0.40.
TRADITIONAL_THRESHOLD = 0.05


def detect_script(text: str) -> str:
    """Return "Hant" when `text` is written in Traditional characters, else "Hans"."""
    return "Hant" if traditional_share(text) >= TRADITIONAL_THRESHOLD else "Hans"


def convert_script(article: Article) -> Article:
    """Convert an article to Simplified when its text is Traditional; remember the original script.

    The original lines are kept in `meta["original_lines"]` so that the Traditional edition of
    the site can show the source's own text rather than a round trip through Simplified.
    """
    text = "\n".join([article.meta.get("title", ""), *article.lines])
    script = detect_script(text)
    article.meta["script"] = script
    if script == "Hans" or "script" in article.skip:
        if article.meta.get("title"):
            article.meta["title"] = fix_zhe(article.meta["title"])
        return article.with_lines([fix_zhe(line) for line in article.lines])
    article.meta["original_lines"] = list(article.lines)
    if article.meta.get("title"):
        article.meta["original_title"] = article.meta["title"]
        article.meta["title"] = to_simplified(article.meta["title"])
    converted = [to_simplified(line) for line in article.lines]
    changed = sum(1 for a, b in zip(article.lines, converted, strict=True) if a != b)
    article.record("script", "t2s", f"{changed} lines converted from Traditional", "Simplified")
    return article.with_lines(converted)
