"""A synthetic library of raw sources for benchmarks: `python -m build_tools.synth N OUT [--seed S]`.

`generate(n, out, seed)` writes n raw `*.txt` files into `out`, the same bytes for the same (n, seed).
They look like what the pipeline receives from the web (like the seeds in sources/):

- the body is recombined from the seeds' own sentences (sources/ run through the pipeline once, so the
  text is clean Simplified Chinese), in paragraphs of 2-5 sentences, with `一、` / `(一)` headings;
- around it, the chrome of one of a dozen invented sites: breadcrumbs, a date/source/views line,
  font-size and share lines, a keyword line, copyright, ICP number, phone, address, `Powered by`;
- one source in five is Traditional (OpenCC s2t), and one in three of those carries pinyin
  annotations after the characters whose Traditional form differs (`工會(huì)`), as the seeds do;
- one source in twenty is a compilation of 2-5 articles (`第一篇:…`), one in fifty a near-duplicate
  of an earlier source (a few sentences replaced, another site's chrome), one in ten hard-wrapped;
- encodings: mostly UTF-8, some GB18030, some with a BOM or CRLF line ends.

Nothing here depends on the clock or on the order of a directory listing.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from functools import lru_cache
from pathlib import Path

from .script import converter

SEEDS = Path(__file__).resolve().parent.parent / "sources"
_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")
CN_NUMBERS = "一二三四五六七八九十"

ORGS = (
    "县总工会", "市总工会", "镇工会联合会", "公司工会", "学校工会", "医院工会", "街道总工会", "区总工会",
    "机关工会", "集团工会", "乡工会", "开发区工会", "供电公司工会", "交通局工会", "教育局工会",
)  # fmt: skip
KINDS = (
    "工作总结", "工作计划", "工作报告", "工作要点", "上半年工作总结", "述职报告", "全委会议上的讲话",
    "职代会工作报告", "职工之家建设情况汇报", "经验交流材料", "调研报告", "心得体会",
)  # fmt: skip
PEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周强", "吴婷")


def _site(i: int) -> dict[str, list[str] | str]:
    """The chrome of invented site number i: what comes before the title, after it, and at the end."""
    host = f"www.{['wendang', 'fanwen', 'zongjie', 'jianghua', 'gonghui', 'xuexi'][i % 6]}{i}.com"
    name = ["范文网", "文档库", "公文写作网", "学习资料站", "工会资料网", "总结报告网"][i % 6] + f"{i}"
    crumbs = [
        "您的当前位置:首页正文",
        f"当前位置:首页 > {['工作总结', '讲话稿', '工作计划', '心得体会'][i % 4]} > 正文",
        f"首页 > {name} > 工会工作",
        "您现在的位置:主页 >> 文章中心 >> 工作报告",
    ][i % 4]
    meta = [
        "{date} 来源:{name}",
        "发布时间: {date} 15:40:03 浏览:",
        "作者:{person}  来源:{name}  发布日期:{date}",
        "{date}  浏览量:{views}",
    ][i % 4]
    before = [name, crumbs] if i % 3 else [crumbs]
    after = (
        [meta.replace("{name}", name)]
        + (["字体大小:【默认 大 中 小】"] if i % 2 else [])
        + (["分享到: 微信 微博 QQ空间"] if i % 5 == 1 else [])
    )
    end = [
        f"相关热词搜索: 工会 {['工作总结', '讲话', '职工'][i % 3]} 基层",
        ["上一篇:没有了", "下一篇:工会工作计划"][i % 2],
        f"Copyright © 2012-2023 {host} All Rights Reserved",
        f"ICP备{10000000 + i * 7919 % 9000000}号-{1 + i % 5}",
        f"联系电话:0{10 + i % 80}-{6000000 + i * 104729 % 3000000}  E-mail:service@{host}",
        f"地址:{['北京市', '河南省', '江苏省', '四川省'][i % 4]}某某路{i + 1}号",
    ]
    if i % 4 == 0:
        end.append("Powered by DedeCMS")
    if i % 3 == 0:
        end.insert(0, "Top")
    return {"before": before, "after": after, "end": end}


SITES = tuple(_site(i) for i in range(12))


@lru_cache(maxsize=1)
def seed_material() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Sentences of the seeds' paragraphs and the seeds' headings, as the pipeline cleans them."""
    from .pipeline import convert
    from .settings import SourceSettings

    result = convert(SEEDS, lambda rel: SourceSettings())
    sentences: list[str] = []
    headings: list[str] = []
    for article in result.articles:
        for block in article.blocks:
            if block.kind == "heading":
                text = re.sub(r"^[(（]?[一二三四五六七八九十]+[)）、]\s*", "", block.text).strip()
                if 4 <= len(text) <= 30:
                    headings.append(text)
            else:
                sentences.extend(s.strip() for s in _SENTENCE.findall(block.text) if len(s.strip()) >= 8)
    return tuple(dict.fromkeys(sentences)), tuple(dict.fromkeys(headings)) or ("加强基层组织建设",)


def _annotate(simplified: str, traditional: str, rng: random.Random) -> str:
    """Pinyin with tone marks after most characters whose Traditional form differs (工會(huì))."""
    from pypinyin import Style, pinyin

    if len(simplified) != len(traditional):
        return traditional
    out = []
    for s, t in zip(simplified, traditional, strict=True):
        out.append(t)
        if s != t and rng.random() < 0.8:
            out.append(f"({pinyin(s, style=Style.TONE)[0][0]})")
    return "".join(out)


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2008, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def near_copy(rng: random.Random, bodies: list[list[list[str]]], sentences: list[str]) -> list[list[str]]:
    """An earlier body (paragraphs of sentences) with 1-3 of its sentences replaced, headings kept: a near-duplicate."""
    body = [list(x) for x in rng.choice(bodies)]
    for _ in range(rng.randint(1, 3)):
        k = rng.randrange(len(body))
        if not body[k][0].startswith("#"):
            body[k][rng.randrange(len(body[k]))] = rng.choice(sentences)
    return body


def _body(rng: random.Random, sentences: tuple[str, ...], headings: tuple[str, ...]) -> list[list[str]]:
    """Paragraphs (lists of sentences); a paragraph of one sentence starting with '#' is a heading."""
    body: list[list[str]] = []
    sections = rng.randint(0, 4)
    per = rng.randint(3, 6)
    for s in range(max(1, sections)):
        if sections:
            body.append([f"#{CN_NUMBERS[s % 10]}、{rng.choice(headings)}"])
        for _ in range(per):
            body.append([rng.choice(sentences) for _ in range(rng.randint(2, 5))])
    return body


def _title(rng: random.Random) -> str:
    org = rng.choice(ORGS)
    year = rng.randint(2008, 2023)
    return f"{org}{year}年{rng.choice(KINDS)}" if rng.random() < 0.7 else f"{org}{rng.choice(KINDS)}"


def _render_body(body: list[list[str]], wrap: int) -> list[str]:
    lines: list[str] = []
    for para in body:
        if para[0].startswith("#"):
            lines.append(para[0][1:])
            continue
        text = "".join(para)
        if wrap:
            lines.extend(text[k : k + wrap] for k in range(0, len(text), wrap))
        else:
            lines.append("  " + text)
        lines.append("")
    return lines


def source_text(index: int, rng: random.Random, bodies: list[list[list[str]]]) -> tuple[str, str]:
    """The text of source number `index` and the encoding to write it in ('utf-8', 'utf-8-sig', 'gb18030')."""
    sentences, headings = seed_material()
    site = SITES[rng.randrange(len(SITES))]
    roll = rng.random()
    parts = rng.randint(2, 5) if roll < 0.05 else 1
    wrap = rng.choice((34, 38, 40)) if rng.random() < 0.1 else 0
    date = _date(rng)
    lines = [*site["before"], ""]
    titles = [_title(rng) for _ in range(parts)]
    if parts == 1:
        lines += [titles[0], ""]
    lines += [x.format(date=date, person=rng.choice(PEOPLE), views=rng.randint(10, 99999)) for x in site["after"]] + [""]
    for p in range(parts):
        near_duplicate = bodies and 0.05 <= roll < 0.07
        body = near_copy(rng, bodies, sentences) if near_duplicate else _body(rng, sentences, headings)
        bodies.append(body)
        if parts > 1:
            lines += [f"第{CN_NUMBERS[p]}篇:{titles[p]}", ""]
        lines += _render_body(body, wrap)
    if parts > 1 and rng.random() < 0.5:  # the last part cut off mid-sentence, as compilations on such sites are
        while lines and not lines[-1]:
            lines.pop()
        lines[-1] = lines[-1][: max(10, len(lines[-1]) // 2)]
        lines += ["", "(未完,请点击下一页)", "1 2 下一页"]
    lines += ["", *site["end"]]
    text = "\n".join(lines) + "\n"
    encoding = "utf-8"
    if rng.random() < 0.2:  # Traditional, sometimes with pinyin annotations
        traditional = converter("s2t").convert(text)
        text = _annotate(text, traditional, rng) if rng.random() < 0.33 else traditional
    else:
        encoding = rng.choice(("utf-8", "utf-8", "utf-8", "gb18030", "utf-8-sig"))
    if rng.random() < 0.15:
        text = text.replace("\n", "\r\n")
    return text, encoding


def generate(n: int, out: Path, seed: int = 1) -> list[Path]:
    """Write n raw sources into `out` (created; existing *.txt there are removed first); returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    rng = random.Random(seed)
    bodies: list[list[list[str]]] = []
    paths = []
    for i in range(n):
        text, encoding = source_text(i, rng, bodies)
        data = text.encode(encoding)
        path = out / f"{i:05d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"
        path.write_bytes(data)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: write a synthetic library."""
    parser = argparse.ArgumentParser(description="write N synthetic raw sources (deterministic from --seed) into OUT")
    parser.add_argument("n", type=int, help="number of source files")
    parser.add_argument("out", type=Path, help="folder to write them into (its *.txt are replaced)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)
    paths = generate(args.n, args.out, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"synth: wrote {len(paths)} sources ({size / 2**20:.1f} MiB) into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
