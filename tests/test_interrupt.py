"""A convert killed half-way leaves no half-written page, and the next run completes."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml
from conftest import ROOT, SOURCES


def _corpus(src: Path, copies: int) -> None:
    src.mkdir()
    for n in range(copies):
        for seed in sorted(SOURCES.glob("*.txt")):
            data = seed.read_bytes().replace("工会".encode(), f"工会{n}".encode(), 1)
            (src / f"{n:03d}_{seed.name}").write_bytes(data)


def _valid(page: Path) -> bool:
    text = page.read_text(encoding="utf-8")
    head, sep, body = text[4:].partition("\n---\n")
    return text.startswith("---\n") and bool(sep) and isinstance(yaml.safe_load(head), dict) and body.endswith("\n")


def test_killed_convert_leaves_whole_pages_and_the_next_run_completes(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    _corpus(src, 40)
    args = [sys.executable, "-m", "build_tools", "convert", "--sources", str(src), "--out", str(out), "--report", str(tmp_path / "r.json")]
    proc = subprocess.Popen([*args, "-q", "--no-corpus"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if (out / "articles").exists() and any((out / "articles").glob("*.md")):
            break
        time.sleep(0.005)
    assert proc.poll() is None, "convert finished before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    pages = list((out / "articles").glob("*.md"))
    assert pages and all(_valid(p) for p in pages)
    assert not [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".") and p.suffix != ".md"]
    done = subprocess.run([*args, "-q", "--no-corpus"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    pages = [p for p in (out / "articles").glob("*.md") if not p.name.endswith(".hant.md")]
    assert len(pages) == 40 * 9
    assert all(_valid(p) for p in pages)
    assert not list(out.rglob("*.tmp"))
    assert not (out / ".generated.journal").exists()
