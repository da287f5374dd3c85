"""The corpus pass: keywords, related articles, duplicates, compilation siblings, the term index.

Small corpora are built here for each behaviour; the seeds check the real expectations (seed 003's
fourth and fifth articles are near-duplicates and no other pair is).
"""

from __future__ import annotations

import json
import math

import pytest
import yaml

from build_tools import corpus_state, duplicates, minhash, related
from build_tools.article import Article, Block, Source
from build_tools.concordance import sentence_at, terms_in
from build_tools.corpus import corpus_pass
from build_tools.keywords import is_content_word
from build_tools.publish import article_key

# A county trade-union report (16 sentences), written for these tests.
REPORT = [
    "今年以来，县总工会在县委和上级工会的领导下，围绕全县中心工作，团结动员广大职工建功立业，各项工作取得了新的进展。",
    "一是深化职工之家建设。全县新建基层工会十二家，发展工会会员一千三百余人，命名先进职工之家八个。",
    "我们坚持把建家活动与企业发展结合起来，推动职工书屋进车间、进班组，让职工在家门口就能读书学习。",
    "二是推进工资集体协商。全县签订集体合同一百二十份，覆盖职工两万余人，重点在非公企业扩大覆盖面。",
    "县总工会组织协商指导员深入企业，帮助企业工会提出协商要约，推动职工工资正常增长。",
    "三是做好困难职工帮扶救助。元旦春节期间开展送温暖活动，走访慰问困难职工四百余户，发放慰问金和物资。",
    "金秋助学活动资助困难职工子女上大学八十人，夏送清凉活动为户外劳动者送去防暑降温物品。",
    "四是开展劳动竞赛和技能竞赛。全县组织岗位练兵和技能比武，评选县级技术能手三十名。",
    "我们大力弘扬劳模精神、劳动精神和工匠精神，举办劳模事迹报告会，在全社会营造尊重劳动的氛围。",
    "五是维护职工合法权益。健全劳动关系三方协商机制，开展劳动法律监督，调处劳动争议案件二十余起。",
    "推行厂务公开民主管理，指导企业依法召开职代会，保障职工的知情权、参与权和监督权。",
    "六是加强女职工工作。开展女职工特殊权益保护专项检查，组织女职工健康体检，建设爱心妈咪小屋。",
    "七是加强工会自身建设。举办工会干部培训班，规范工会经费收支管理，开展作风建设专项整治。",
    "在肯定成绩的同时，我们也清醒地看到，基层工会活力不足、服务职工手段不多的问题仍然存在。",
    "明年，我们将继续深化工会改革，推动工会工作重心下移，把更多资源投向基层、投向职工。",
    "要以职工需求为导向，拓展普惠服务，打造职工信赖的职工之家，让广大职工有更多获得感和幸福感。",
]
# A city trade-union meeting on model workers: same field, different text.
MODEL_WORKERS = [
    "市总工会召开全市劳模工作座谈会，总结近年来劳模管理服务工作，部署下一阶段重点任务。",
    "会议指出，劳动模范是工人阶级的杰出代表，是民族的精英、人民的楷模，要大力弘扬劳模精神。",
    "近年来，全市共评选表彰市级劳动模范三百余名，建立劳模创新工作室四十五个，带动职工开展技术革新。",
    "各级工会坚持政治上关心、工作上支持、生活上关爱，定期走访慰问劳模，落实劳模医疗补助和困难帮扶。",
    "会议要求，要发挥劳模创新工作室的示范作用，组织劳模与青年职工结对，传承精湛技艺。",
    "要讲好劳模故事，利用网络和新媒体宣传劳模事迹，让劳模精神、工匠精神在广大职工中落地生根。",
    "要深化劳动竞赛，搭建技能竞赛平台，让更多知识型职工、技能型职工脱颖而出，成长为新时代的劳动模范。",
    "各县区总工会负责人、劳模代表和企业工会主席参加了会议，大家结合实际进行了交流发言。",
]
WEATHER = [
    "今天白天到夜间，本地多云转阴，午后部分地区有雷阵雨，气温二十三到三十一度，东南风三到四级。",
    "气象台提醒，明天早晨有轻雾，能见度较低，司机朋友注意行车安全。",
    "周末冷空气南下，气温下降明显，请市民注意添衣保暖，雷雨天气不要在大树下避雨，远离高压线。",
    "下周前期以晴好天气为主，空气质量良到轻度污染，适宜户外晾晒衣物。",
]
RECIPE = [
    "红烧肉的做法：五花肉切成三厘米见方的块，冷水下锅焯水，撇去浮沫后捞出沥干。",
    "锅中放少许油，加入冰糖小火炒出糖色，放入肉块翻炒上色，加入生抽、老抽、料酒、葱段、姜片和八角。",
    "倒入开水没过肉块，大火烧开后转小火慢炖一个小时，最后大火收汁，撒上葱花即可出锅。",
]
# Sentences from elsewhere, used to rewrite some sentences of REPORT.
REWRITES = [
    "全年共接待职工来信来访六十余件次，办结率达到百分之百，职工满意度明显提升。",
    "我们依托职工服务中心，为农民工提供免费求职登记、法律咨询和技能培训服务。",
    "县总工会与人社部门联合举办春风行动招聘会，为两千多名职工搭建求职平台。",
    "各乡镇工会结合实际，组织开展了形式多样的文体活动，丰富了职工的业余文化生活。",
    "我们还建立了工会领导干部联系基层制度，每人联系一个企业，定期走访、解决问题。",
    "通过开展安康杯竞赛，企业安全生产责任进一步落实，全年未发生重大安全事故。",
    "积极推进新就业形态劳动者入会，快递员、外卖送餐员等群体入会人数大幅增加。",
    "组织职工参加全县运动会，参赛职工达一千余人次，展示了职工队伍的良好精神风貌。",
]


def article(path: str, paragraphs: list[str], title: str, part: int = 1, parts: int = 1, **meta) -> Article:
    """An article as the pipeline gives it: one paragraph block per text."""
    blocks = [Block("paragraph", p) for p in paragraphs]
    return Article(Source(path, "0" * 64, "utf-8"), [], blocks=blocks, meta={"title": title, **meta}, part=part, parts=parts)


def run(articles: list[Article]):
    """The corpus pass with one page per article, named after its source and part."""
    paths = {article_key(a): f"articles/{a.source.path.rsplit('/', 1)[-1].removesuffix('.txt')}-{a.part}.md" for a in articles}
    return corpus_pass(articles, paths), paths


def page(paths: dict[str, str], a: Article) -> str:
    return paths[article_key(a)]


def rewrite(sentences: list[str], every: int) -> list[str]:
    """Every `every`-th sentence replaced by one from REWRITES."""
    return [REWRITES[i // every % len(REWRITES)] if i % every == 0 else s for i, s in enumerate(sentences)]


# --- duplicates -----------------------------------------------------------------------------------


def test_exact_duplicate_across_two_sources():
    original = article("siteA/report.txt", REPORT, "县总工会工作报告")
    # The same article posted by another site: other punctuation and spacing, same text.
    copy = article("siteB/copy.txt", [p.replace("，", ", ").replace("。", ". ") for p in REPORT], "县总工会年度工作报告")
    other = article("siteC/model.txt", MODEL_WORKERS, "劳模工作座谈会")
    result, paths = run([copy, other, original])
    assert result.meta[article_key(copy)]["duplicate_of"] == {"page": page(paths, original), "title": "县总工会工作报告", "similarity": 1.0}
    assert result.meta[article_key(original)]["duplicates"] == [
        {"page": page(paths, copy), "title": "县总工会年度工作报告", "similarity": 1.0}
    ]
    assert "duplicate_of" not in result.meta[article_key(original)]
    decision = result.report["duplicates"][0]
    assert (decision["article"], decision["duplicate_of"], decision["kind"]) == ("siteB/copy.txt#1", "siteA/report.txt#1", "exact")
    # The copy is listed nowhere as related, nor in the term index; it still links to related articles.
    for key, meta in result.meta.items():
        assert page(paths, copy) not in [r["page"] for r in meta.get("related", [])], key
    assert all(entry["page"] != page(paths, copy) for entries in result.terms.values() for entry in entries)
    assert page(paths, other) in [r["page"] for r in result.meta[article_key(copy)]["related"]]


def test_near_duplicate_with_a_few_changed_sentences():
    original = article("a.txt", REPORT, "县总工会工作报告")
    edited = article("b.txt", rewrite(REPORT, 8), "县总工会工作报告（转载）")  # 2 of 16 sentences rewritten
    result, paths = run([edited, original, article("c.txt", MODEL_WORKERS, "劳模座谈会")])
    dup_of = result.meta[article_key(edited)]["duplicate_of"]
    assert dup_of["page"] == page(paths, original)
    assert duplicates.NEAR_THRESHOLD <= dup_of["similarity"] < 1.0
    assert result.meta[article_key(original)]["duplicates"][0]["page"] == page(paths, edited)
    assert result.report["duplicates"][0]["kind"] == "near"
    assert result.report["thresholds"]["near_duplicate_jaccard"] == duplicates.NEAR_THRESHOLD
    # Near-duplicates are not each other's related articles.
    assert page(paths, original) not in [r["page"] for r in result.meta[article_key(edited)].get("related", [])]


def test_canonical_is_the_longer_complete_text():
    full = article("z_full.txt", REPORT, "完整")
    shorter = article("a_short.txt", REPORT[:-2], "少两句")
    extra = "补充一句：本报告最后一段在转载时被截断，剩下的内容请见原文链接，特此说明。"
    cut = article("b_cut.txt", [*REPORT, extra], "截断", truncated=True)
    result, paths = run([shorter, cut, full])
    assert result.meta[article_key(shorter)]["duplicate_of"]["page"] == page(paths, full)
    assert result.meta[article_key(cut)]["duplicate_of"]["page"] == page(paths, full)
    assert [d["page"] for d in result.meta[article_key(full)]["duplicates"]] == [page(paths, shorter), page(paths, cut)]


def test_cut_off_copy_is_a_duplicate_by_containment():
    long_text = REPORT + MODEL_WORKERS
    full = article("full.txt", long_text, "全文")
    first_page = article("page1.txt", long_text[:9], "只有第一页")  # about 40% of the text: Jaccard < 0.5
    result, paths = run([full, first_page, article("w.txt", WEATHER, "天气")])
    decision = result.report["duplicates"][0]
    assert decision["similarity"] < duplicates.NEAR_THRESHOLD
    assert decision["containment"] >= duplicates.CONTAIN_THRESHOLD
    assert result.meta[article_key(first_page)]["duplicate_of"]["page"] == page(paths, full)


def test_rewritten_text_is_not_a_duplicate_but_a_near_miss():
    original = article("a.txt", REPORT, "原文")
    half = article("b.txt", rewrite(REPORT, 2), "改写一半")  # every other sentence rewritten
    result, paths = run([original, half, article("c.txt", MODEL_WORKERS, "劳模")])
    assert result.report["duplicates"] == []
    assert "duplicate_of" not in result.meta[article_key(half)]
    miss = result.report["near_misses"][0]
    assert {miss["a"], miss["b"]} == {"a.txt#1", "b.txt#1"}
    assert duplicates.NEAR_MISS_FLOOR <= miss["similarity"] < duplicates.NEAR_THRESHOLD
    # Still clearly the same subject: related.
    assert page(paths, half) in [r["page"] for r in result.meta[article_key(original)]["related"]]


@pytest.mark.parametrize(("every", "expected"), [(10, True), (5, True), (2, False)])
def test_threshold_follows_share_of_rewritten_sentences(every, expected):
    a = set(minhash.shingle_hashes(minhash.normalize("".join(REPORT))))
    b = set(minhash.shingle_hashes(minhash.normalize("".join(rewrite(REPORT, every)))))
    assert (minhash.jaccard(a, b) >= duplicates.NEAR_THRESHOLD) is expected


def estimate(a, b) -> float:
    """The estimated Jaccard resemblance of two signatures as a plain loop: the share of bins that agree."""
    if a[0] == minhash._EMPTY or b[0] == minhash._EMPTY:
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / minhash.BINS


def test_minhash_estimate_is_close_to_exact_jaccard():
    a = minhash.shingle_hashes(minhash.normalize("".join(REPORT)))
    for every in (10, 4, 2):
        b = minhash.shingle_hashes(minhash.normalize("".join(rewrite(REPORT, every))))
        exact = minhash.jaccard(a, b)
        assert abs(minhash.estimates({0: minhash.signature(a), 1: minhash.signature(b)}, [(0, 1)])[0] - exact) < 0.15
    assert minhash.estimates({0: minhash.signature(a)}, [(0, 0)]) == [1.0]


def test_candidates_are_not_all_pairs():
    from build_tools.bench_corpus import synthetic

    articles, paths = synthetic(200, seed=7)
    result = corpus_pass(articles, paths)
    all_pairs = 200 * 199 // 2
    assert result.report["pairs_considered"] < all_pairs // 20
    assert result.report["duplicates"], "the synthetic corpus holds copies; they must be found"


# --- related articles -----------------------------------------------------------------------------


def test_unrelated_texts_are_neither_related_nor_duplicates():
    union = article("union.txt", REPORT, "工会工作报告")
    weather = article("weather.txt", WEATHER, "天气预报")
    recipe = article("recipe.txt", RECIPE, "红烧肉")
    result, _ = run([union, weather, recipe])
    assert result.report["duplicates"] == []
    for a in (union, weather, recipe):
        assert "related" not in result.meta[article_key(a)]
    assert set(result.report["related"]["without_related"]) == {"union.txt#1", "weather.txt#1", "recipe.txt#1"}


def test_related_lists_best_first_with_shared_terms():
    report = article("report.txt", REPORT, "工会工作报告")
    models = article("models.txt", MODEL_WORKERS, "劳模工作座谈会")
    weather = article("weather.txt", WEATHER, "天气预报")
    result, paths = run([report, models, weather])
    listed = result.meta[article_key(models)]["related"]
    assert [r["page"] for r in listed] == [page(paths, report)]
    assert listed[0]["title"] == "工会工作报告"
    assert "劳模精神" in listed[0]["shared"] and len(listed[0]["shared"]) <= related.SHARED_TERMS
    assert [r["page"] for r in result.meta[article_key(report)]["related"]] == [page(paths, models)]


def test_related_respects_threshold_order_and_limit():
    vectors = [{"a": 1.0}, {"a": 0.6, "b": 0.8}, {"a": 0.9, "c": (1 - 0.81) ** 0.5}, {"a": 0.01, "d": 1.0}]
    flat = related.Flat.of(vectors)
    found = related.candidates(flat, per_doc=10).both
    assert [d for d, _ in found.lists()[0]] == [2, 1, 3]
    lists, _ = related.related(flat, related.allowed(found), n=2)
    assert [(d, s) for d, s, _ in lists[0]] == [(2, 0.9), (1, 0.6)]  # best first, at most n
    lists, _ = related.related(flat, related.allowed(found, never=frozenset({2})), n=5)
    assert [d for d, _, _ in lists[0]] == [1]  # 3 scores 0.01 < MIN_SIMILARITY; 2 not allowed
    assert lists[3] == []
    lists, _ = related.related(flat, related.allowed(found, apart={0: {2}}), n=5)
    assert [d for d, _, _ in lists[0]] == [1] and 2 in [d for d, _, _ in lists[1]]  # apart for 0 only


def test_keywords_are_content_words():
    result, _ = run([article("a.txt", REPORT, "县总工会工作报告"), article("b.txt", MODEL_WORKERS, "劳模座谈会")])
    for meta in result.meta.values():
        words = meta["keywords"]
        assert 0 < len(words) <= 8
        assert all(is_content_word(w) for w in words)
        assert not any(w in {"我们", "工作", "二是", "三十名"} for w in words)
    assert "劳模" in result.meta["b.txt#1"]["keywords"][:3]
    assert not is_content_word("一千三百") and not is_content_word("2013") and not is_content_word("xx")


# --- compilations, the term index, the output -----------------------------------------------------


def test_compilation_siblings_link_both_ways():
    parts = [article("comp.txt", text, f"第{i}篇", part=i, parts=3) for i, text in enumerate([REPORT, MODEL_WORKERS, WEATHER], 1)]
    single = article("single.txt", RECIPE, "红烧肉")
    result, paths = run([*parts, single])
    first, second, third = (result.meta[article_key(a)]["siblings"] for a in parts)
    assert first["part"] == 1 and first["parts"] == 3 and "previous" not in first
    assert first["next"] == {"page": page(paths, parts[1]), "title": "第2篇"}
    assert second["previous"]["page"] == page(paths, parts[0]) and second["next"]["page"] == page(paths, parts[2])
    assert third["previous"] == {"page": page(paths, parts[1]), "title": "第2篇"} and "next" not in third
    assert first["all"] == [{"part": i, "page": page(paths, a), "title": f"第{i}篇"} for i, a in enumerate(parts, 1)]
    assert "siblings" not in result.meta[article_key(single)]


def test_terms_and_concordance():
    village = article("b.txt", ["我们创建家园，美化环境，建设美丽乡村。"], "乡村")
    result, _ = run([article("a.txt", REPORT, "县总工会工作报告"), village])
    terms = result.meta["a.txt#1"]["terms"]
    assert "工资集体协商" in terms and "集体协商" in terms  # the longer term uses the shorter one
    from build_tools.terms import domain_terms

    order = list(domain_terms())
    assert terms == sorted(terms, key=order.index)
    assert "建家" not in result.meta.get("b.txt#1", {}).get("terms", [])  # 创建家园 is not 建家
    entry = result.terms["职工之家"][0]
    assert entry == {"page": "articles/a-1.md", "title": "县总工会工作报告", "sentence": "一是深化职工之家建设。"}
    assert all(len(e["sentence"]) <= 90 for entries in result.terms.values() for e in entries)


def test_sentence_is_cut_around_the_term():
    text = "前一句。" + "各级工会要" * 10 + "打造职工信赖的职工之家，" + "让广大职工满意" * 10 + "。后一句。"
    sentence = sentence_at(text, text.index("职工之家"), "职工之家")
    assert "职工之家" in sentence and sentence.startswith("…") and sentence.endswith("…")
    assert len(sentence) <= 84
    assert terms_in("工资集体协商") == ("工资集体协商", "集体协商")


def test_output_is_deterministic_and_yaml_safe():
    corpus = [
        article("a.txt", REPORT, "县总工会工作报告"),
        article("b.txt", rewrite(REPORT, 8), "转载"),
        article("c.txt", MODEL_WORKERS, "劳模"),
        *[article("d.txt", t, f"第{i}篇", part=i, parts=2) for i, t in enumerate([MODEL_WORKERS[:5], REPORT[:8]], 1)],
    ]
    first, _ = run(corpus)
    second, _ = run(corpus)
    dump = lambda r: json.dumps([r.meta, r.terms, r.report], ensure_ascii=False)  # noqa: E731
    assert dump(first) == dump(second)
    for meta in first.meta.values():
        assert yaml.safe_load(yaml.safe_dump(meta, allow_unicode=True)) == meta


def test_empty_corpus_and_empty_article():
    result, _ = run([])
    assert result.meta == {} and result.terms == {}
    result, _ = run([article("empty.txt", [], "空"), article("a.txt", REPORT, "报告")])
    assert result.report["duplicates"] == []


# --- the seeds ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_corpus(seed_result):
    articles = seed_result.articles
    paths = {article_key(a): f"articles/{a.source.path[:3]}-{a.part}.md" for a in articles}
    return articles, corpus_pass(articles, paths)


def test_seed_003_parts_4_and_5_are_the_only_near_duplicates(seed_corpus):
    _, result = seed_corpus
    decisions = result.report["duplicates"]
    assert [(d["article"], d["duplicate_of"], d["kind"]) for d in decisions] == [
        ("003_fb59c6e51d7aa9f4.txt#5", "003_fb59c6e51d7aa9f4.txt#4", "near")
    ]
    assert decisions[0]["similarity"] > 0.9
    assert result.report["near_misses"] == []  # no other pair comes anywhere near


def test_seed_articles_all_have_related_articles(seed_corpus):
    articles, result = seed_corpus
    assert result.report["related"]["without_related"] == []
    for a in articles:
        listed = result.meta[article_key(a)]["related"]
        assert 1 <= len(listed) <= 5
        assert all(1 <= len(r["shared"]) <= 4 for r in listed)
        assert "articles/003-5.md" not in [r["page"] for r in listed]  # a copy is never recommended


def test_seed_compilation_siblings(seed_corpus):
    articles, result = seed_corpus
    compiled = sorted((a for a in articles if a.source.path.startswith("003")), key=lambda a: a.part)
    assert [a.part for a in compiled] == [1, 2, 3, 4, 5]
    for a in compiled:
        sib = result.meta[article_key(a)]["siblings"]
        assert sib["parts"] == 5 and len(sib["all"]) == 5
        if a.part > 1:
            assert sib["previous"]["page"] == f"articles/003-{a.part - 1}.md"
        if a.part < 5:
            assert sib["next"]["page"] == f"articles/003-{a.part + 1}.md"
    assert "职工之家" in result.terms


def test_features_come_with_the_converted_articles(seed_result, monkeypatch):
    from dataclasses import replace

    from build_tools import features

    articles = seed_result.articles
    assert all(a.features is not None for a in articles)  # segmented and fingerprinted when converted
    paths = {article_key(a): f"articles/a{i}.md" for i, a in enumerate(articles)}
    bare = [replace(a, features=None) for a in articles]
    computed = corpus_pass(bare, paths)  # features worked out here instead
    assert [a.features for a in bare] == [a.features for a in articles]
    segmented: list[int] = []
    real = features.segment
    monkeypatch.setattr(features, "segment", lambda texts: segmented.append(len(texts)) or real(texts))
    monkeypatch.setattr(features, "fingerprint", lambda normal: pytest.fail("fingerprinted again"))
    given = corpus_pass(articles, paths)
    assert segmented == []
    assert (given.meta, given.terms, given.report) == (computed.meta, computed.terms, computed.report)


def test_checked_pairs_are_remembered(seed_result, tmp_path, monkeypatch):
    articles = [*seed_result.articles, article("copy.txt", REPORT, "县总工会工作报告"), article("orig.txt", REPORT, "县总工会报告")]
    paths = {article_key(a): f"articles/a{i}.md" for i, a in enumerate(articles)}
    memory_file = tmp_path / "corpus-state.pickle"
    plain = corpus_pass(articles, paths)
    cold = corpus_pass(articles, paths, memory_file)
    assert memory_file.exists()
    shingled: list[int] = []
    real_shingles = minhash.shingle_hashes
    monkeypatch.setattr(minhash, "shingle_hashes", lambda normal: shingled.append(len(normal)) or real_shingles(normal))
    warm = corpus_pass(articles, paths, memory_file)
    assert (plain.meta, plain.terms, plain.report) == (cold.meta, cold.terms, cold.report) == (warm.meta, warm.terms, warm.report)
    assert cold.report["duplicates"] and cold.report["pairs_verified"]
    assert shingled == []  # every checked pair from the memory
    state = corpus_state.load(memory_file)
    state.memory.checked = {pair: ("wrong", "shape") for pair in state.memory.checked}
    corpus_state.save(memory_file, state)
    assert corpus_pass(articles, paths, memory_file).report == plain.report  # checked again, not taken as they are
    assert shingled
    changed = [*articles[:-1], article("orig.txt", [*REPORT, "各级工会要把职工之家建设摆在更加突出的位置。"], "县总工会报告")]
    shingled.clear()
    from_memory = corpus_pass(changed, paths, memory_file)
    changed_length = len(minhash.normalize("\n".join([*REPORT, "各级工会要把职工之家建设摆在更加突出的位置。"])))
    assert sorted(shingled) == sorted([len(minhash.normalize("".join(REPORT))), changed_length])  # its one pair, checked again
    assert from_memory.meta == corpus_pass(changed, paths).meta
    memory_file.write_bytes(b"not a pickle")
    assert corpus_pass(articles, paths, memory_file).meta == plain.meta  # a corrupt memory is ignored


def test_estimates_are_the_estimate_of_each_pair():
    texts = [REPORT, rewrite(REPORT, 3), rewrite(REPORT, 2), MODEL_WORKERS, WEATHER, [], ["短"]]
    signatures = {i: minhash.signature(minhash.shingle_hashes(minhash.normalize("".join(t)))) for i, t in enumerate(texts)}
    pairs = [(a, b) for a in signatures for b in signatures]
    expected = [estimate(signatures[a], signatures[b]) for a, b in pairs]
    assert minhash.estimates(signatures, pairs) == expected
    assert minhash.estimates(signatures, pairs, chunk=3) == expected
    assert minhash.estimates(signatures, []) == []


def test_heaviest_all_is_weights_then_top_words():
    import random
    from array import array

    from build_tools.keywords import DOMAIN_BOOST, Weighting, heaviest_all
    from build_tools.terms import domain_terms

    def weights_of(counts) -> dict[str, float]:  # (1 + ln count) * idf, domain terms boosted, zeros left out
        result = {}
        for word, count in counts:
            weight = (1.0 + math.log(count)) * weighting.idf.get(word, 0.0)
            weight = weight * DOMAIN_BOOST if word in domain_terms() else weight
            if weight > 0:
                result[word] = weight
        return result

    def top_words(weights: dict[str, float], n: int, first_seen: dict[str, int]) -> list[str]:  # ties: seen first
        return sorted(weights, key=lambda w: (-weights[w], first_seen.get(w, 0), w))[:n]

    rng = random.Random(3)
    words = [f"词{i}" for i in range(50)] + list(domain_terms()[:10])
    weighting = Weighting({w: rng.choice([0.0, 0.5, 1.25, 2.0, rng.random() * 5]) for w in words}, {})
    documents = []
    for _ in range(40):
        chosen = rng.sample(range(len(words)), rng.randint(0, 30))
        documents.append((array("I", chosen), array("I", [rng.choice([1, 1, 2, 3, 7]) for _ in chosen])))
    for n in (3, 80):
        expected = []
        for ids, counts in documents:
            weights = weights_of((words[i], c) for i, c in zip(ids, counts, strict=True))
            ranked = top_words(weights, n, {words[i]: k for k, i in enumerate(ids)})
            expected.append((ranked, [weights[w] for w in ranked]))
        assert heaviest_all(documents, words, weighting, n) == expected
    assert heaviest_all([], words, weighting, 5) == []


def test_corpus_benchmark_runs():
    from build_tools.bench_corpus import bench

    result = bench(40, seed=2)
    assert result["articles"] == 40 and result["peak_mib"] > 0
    assert result["pairs_considered"] >= result["pairs_verified"] and result["without_related"] < 40
