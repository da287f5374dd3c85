"""Sources are regular *.txt files inside --sources: every other kind of file is named with the reason and gives
no page, and what a link points to is never read, published or indexed."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from build_tools import cli, files
from build_tools.pipeline import read_source

BODY = "各级工会要把职工之家建设摆在突出位置，扩大覆盖面，增强凝聚力和吸引力，切实维护职工合法权益。"
SECRET = "root:x:0:0:机密的口令文件内容"  # what a link outside --sources points to: must appear nowhere


def _article(title: str) -> str:
    return f"{title}\n{BODY}\n{BODY}\n"


def _make(kind: str, src: Path, outside: Path) -> tuple[str, str]:
    """Make a file of `kind` in `src`; return (its name, the reason convert must give; "" when it is a source)."""
    name = f"{kind}.txt"
    path = src / name
    if kind == "regular":
        path.write_text(_article("普通文件的文章"), "utf-8")
        return name, ""
    if kind == "hardlink":  # a regular file (git cannot make one): a source like any other
        os.link(src / "control.txt", path)
        return name, ""
    links = {  # kind -> what the link points to, and the reason convert gives
        "symlink-inside": (src / "control.txt", "a symbolic link"),
        "symlink-relative-inside": ("control.txt", "a symbolic link"),
        "symlink-outside": (outside / "secret.txt", "a symbolic link"),
        "symlink-absolute-system": ("/etc/passwd", "a symbolic link"),
        "symlink-dangling": (src / "nowhere.txt", "does not exist"),
        "symlink-to-folder": (outside, "a symbolic link"),
    }
    if kind in links:
        target, reason = links[kind]
        path.symlink_to(target)
        return name, reason
    if kind == "symlinked-folder":  # a folder of sources linked in: not followed, named
        (src / "linked").symlink_to(outside)
        return "linked", "a symbolic link"
    if kind == "folder":
        path.mkdir()
        (path / "inner.txt").write_text(_article("文件夹里的文章"), "utf-8")
        return name, "a folder, not a file"
    if kind == "fifo":
        os.mkfifo(path)
        return name, "a FIFO (named pipe), not a regular file"
    if kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        try:
            sock.bind(str(path))
        except OSError as error:  # a path too long for a socket address
            pytest.skip(f"cannot make a socket here: {error}")
        finally:
            sock.close()
        return name, "a socket, not a regular file"
    if kind == "device":
        try:
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # what /dev/null is
        except (PermissionError, OSError) as error:
            pytest.skip(f"cannot make a device here: {error}")
        return name, "a character device, not a regular file"
    if kind == "unreadable":
        path.write_text(_article("读不了的文章"), "utf-8")
        path.chmod(0)
        try:
            path.read_bytes()
        except PermissionError:
            return name, "cannot read: Permission denied"
        pytest.skip("this user reads files without read permission (root): see test_an_unreadable_source_is_named")
    raise AssertionError(kind)


KINDS = [
    "regular",
    "hardlink",
    "symlink-inside",
    "symlink-relative-inside",
    "symlink-outside",
    "symlink-absolute-system",
    "symlink-dangling",
    "symlink-to-folder",
    "symlinked-folder",
    "folder",
    "fifo",
    "socket",
    "device",
    "unreadable",
]


def _convert(tmp_path: Path, capsys) -> tuple[int, str]:
    args = ["convert", "--sources", str(tmp_path / "src"), "--out", str(tmp_path / "out"), "--report", str(tmp_path / "report.json")]
    status = cli.main([*args, "--no-cache"])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def _everything_written(tmp_path: Path) -> str:
    texts = [p.read_bytes().decode("utf-8", "replace") for p in (tmp_path / "out").rglob("*") if p.is_file()]
    return "\n".join(texts) + (tmp_path / "report.json").read_text("utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_only_regular_files_are_sources(tmp_path, capsys, kind):
    src, outside = tmp_path / "src", tmp_path / "outside"
    src.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text(f"外面的文件\n{SECRET}\n{BODY}\n", "utf-8")
    (src / "control.txt").write_text(_article("对照文章"), "utf-8")
    name, reason = _make(kind, src, outside)

    status, said = _convert(tmp_path, capsys)

    assert "Traceback" not in said
    titles = {p.read_text("utf-8").split("\ntitle: ")[1].split("\n")[0] for p in (tmp_path / "out/articles").glob("*.md")}
    assert "对照文章" in titles  # the other sources are still converted
    if reason:
        assert status == 1
        line = next((line for line in said.splitlines() if line.strip().startswith(f"REFUSED {name}:")), "")
        assert reason in line, said
    else:
        assert status == 0, said
    written = _everything_written(tmp_path)
    assert SECRET not in written and "root:x:0:0" not in written
    sources = {
        p.read_text("utf-8").split("\nsource_file: ")[1].split("\n")[0].strip("'\"") for p in (tmp_path / "out/articles").glob("*.md")
    }
    expected = {"control.txt"} | ({name} if not reason else set()) | ({f"{name}/inner.txt"} if kind == "folder" else set())
    assert sources == expected


def test_an_unreadable_source_is_named(tmp_path, capsys, monkeypatch):
    """A file the operating system refuses to read (as root every file is readable, so the refusal is made here)."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "control.txt").write_text(_article("对照文章"), "utf-8")
    (src / "locked.txt").write_text(_article("锁住的文章"), "utf-8")
    real = files.read_regular

    def read(path: Path) -> bytes:
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(files, "read_regular", read)
    monkeypatch.setattr("build_tools.pipeline.read_regular", read)
    status, said = _convert(tmp_path, capsys)
    assert status == 1 and "Traceback" not in said
    assert "REFUSED locked.txt: cannot read: Permission denied" in said


@pytest.mark.parametrize("kind", ["symlink-outside", "fifo", "folder"])
def test_a_settings_file_must_be_a_regular_file(tmp_path, capsys, kind):
    src, outside = tmp_path / "src", tmp_path / "outside"
    src.mkdir()
    outside.mkdir()
    (outside / "secret.yml").write_text(f"meta:\n  title: {SECRET}\n", "utf-8")
    (src / "a.txt").write_text(_article("有设置文件的文章"), "utf-8")
    (src / "b.txt").write_text(_article("对照文章"), "utf-8")
    settings = src / "a.yml"
    if kind == "symlink-outside":
        settings.symlink_to(outside / "secret.yml")
    elif kind == "fifo":
        os.mkfifo(settings)
    else:
        settings.mkdir()
    status, said = _convert(tmp_path, capsys)
    assert status == 1 and "Traceback" not in said
    assert f"REFUSED a.txt: {settings}:" in said and "must be a regular file" in said
    assert SECRET not in _everything_written(tmp_path)


@pytest.mark.parametrize("kind", ["symlink", "fifo", "folder"])
def test_a_file_that_stops_being_regular_before_it_is_read_is_refused(tmp_path, kind):
    """What is checked is what is read: read_source opens without following a link, and checks the opened file."""
    root = tmp_path / "src"
    root.mkdir()
    (tmp_path / "secret.txt").write_text(SECRET, "utf-8")
    path = root / "a.txt"
    if kind == "symlink":
        path.symlink_to(tmp_path / "secret.txt")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    with pytest.raises(files.NotRegular) as raised:
        read_source(path, root)
    assert raised.value.strerror == {"symlink": "a symbolic link", "fifo": "a FIFO (named pipe)", "folder": "a folder"}[kind]


def _odd_names() -> list[bytes]:
    """File names a page cannot record faithfully: bytes that are not UTF-8, every C0/C1 control character but
    the path separator and NUL (the OS refuses those), and every format character (Cf) of the running Python."""
    import unicodedata

    from build_tools.invisible import FORMAT

    controls = [c for c in range(1, 0xA0) if (c < 0x20 or c >= 0x7F) and c != 0x2F]
    cf = [c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf" and FORMAT.match(chr(c))]
    return [b"bad\xff.txt", b"bad\xe5\xb7.txt"] + [f"c{chr(c)}.txt".encode() for c in controls + cf]


def test_a_source_whose_name_cannot_be_recorded_is_refused_and_the_others_are_converted(tmp_path, capsys):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "good.txt").write_text(_article("正常的文章"), "utf-8")
    names = _odd_names()
    for name in names:
        with open(os.path.join(os.fsencode(src), name), "w", encoding="utf-8") as handle:
            handle.write(_article("名字奇怪的文章"))
    code, printed = _convert(tmp_path, capsys)
    assert code == 1
    assert printed.count("rename it") == len(names)
    pages = sorted(p.name for p in (out / "articles").glob("*.md"))
    assert len(pages) == 1 and "正常的文章" in (out / "articles" / pages[0]).read_text("utf-8")
    assert all(line.isprintable() for line in printed.splitlines())
