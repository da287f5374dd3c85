"""Shared fixtures: paths to the real seeds and a helper that runs the CLI in-process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def seed_result():
    """The pipeline's articles for the five seeds (converted once per test session)."""
    from build_tools.pipeline import convert
    from build_tools.settings import SourceSettings

    return convert(SOURCES, lambda rel: SourceSettings())


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `python -m build_tools ARGS` in a subprocess; return (status, stdout, stderr)."""
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
    return proc.returncode, proc.stdout, proc.stderr


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes): two trees are the same output when these are equal."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def convert_args(root: Path) -> list[str]:
    """`convert` over a run folder laid out as src/, docs/, build/report.json, build/cache, quietly."""
    folders = {"--sources": "src", "--out": "docs", "--report": "build/report.json", "--cache-dir": "build/cache"}
    return ["convert", *(x for option, name in folders.items() for x in (option, str(root / name))), "-q"]


def run_convert(root: Path, capsys) -> tuple[int, str]:
    """`convert_args(root)` run in this process: its exit status and what it printed."""
    from build_tools import cli

    status = cli.main(convert_args(root))
    captured = capsys.readouterr()
    return status, captured.out + captured.err
