"""Parallel conversion (--jobs) gives the same bytes as serial conversion."""

from __future__ import annotations

from conftest import run_cli, tree_bytes

from build_tools import pipeline, synth
from build_tools.settings import SourceSettings


def test_jobs_2_gives_the_same_bytes_as_serial(tmp_path):
    src = tmp_path / "src"
    synth.generate(50, src, 11)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        status, stdout, stderr = run_cli(
            "convert",
            "--sources",
            str(src),
            "--out",
            str(out / "docs"),
            "--report",
            str(out / "r.json"),
            "--no-cache",
            "--jobs",
            jobs,
            "-q",
        )
        assert status == 0, stdout + stderr
        outputs.append(tree_bytes(out))
    assert len(outputs[0]) > 50
    assert outputs[0] == outputs[1]


def test_workers_are_used_for_large_corpora_only():
    assert pipeline._workers(None, pipeline.PARALLEL_FROM - 1) == 1
    assert pipeline._workers(1, 5000) == 1
    assert pipeline._workers(2, 50) == 2
    assert pipeline._workers(8, 1) == 1


def test_refusals_keep_their_order_in_parallel(tmp_path):
    src = tmp_path / "src"
    synth.generate(6, src, 2)
    (src / "00002_empty.txt").write_bytes(b"")
    (src / "00003_chrome.txt").write_text("当前位置：首页 > 工会新闻\n版权所有：某某网 2010-2024\n京ICP备12345678号\n", "utf-8")
    serial = pipeline.convert(src, lambda rel: SourceSettings(), jobs=1)
    parallel = pipeline.convert(src, lambda rel: SourceSettings(), jobs=2)
    assert [(r.path, r.reason) for r in serial.refused] == [(r.path, r.reason) for r in parallel.refused]
    assert [r.path for r in serial.refused] == ["00002_empty.txt", "00003_chrome.txt"]
    assert [(a.source, a.blocks, a.changes) for a in serial.articles] == [(a.source, a.blocks, a.changes) for a in parallel.articles]
