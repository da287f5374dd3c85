"""write.dumps_indented: the text of json.dumps(..., ensure_ascii=False, indent=1), faster."""

from __future__ import annotations

import enum
import json
import random

import pytest

from build_tools.write import dumps_indented


def _random_value(rng: random.Random, depth: int):
    choice = rng.randrange(10 if depth < 4 else 6)
    if choice == 0:
        return rng.choice(["", "工会", 'quote " and \\\\ backslash', "line\nbreak\t\x00\x1f", "😀\u2028", "é"])
    if choice == 1:
        return rng.randint(-(10**20), 10**20)
    if choice == 2:
        return rng.choice([0.1, -2.5, 1e300, 1e-300, 0.0, -0.0, 3.0])
    if choice in (3, 4):
        return rng.choice([None, True, False])
    if choice == 5:
        return rng.random()
    if choice in (6, 7):
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if choice == 8:
        return tuple(_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    return {
        rng.choice(["a", "b", "工", "z", "", "\n"]) + str(rng.randint(0, 9)): _random_value(rng, depth + 1)
        for _ in range(rng.randint(0, 5))
    }


@pytest.mark.parametrize("sort_keys", [False, True])
def test_dumps_indented_is_json_dumps(sort_keys):
    rng = random.Random(5)
    for _ in range(2000):
        value = _random_value(rng, 0)
        assert dumps_indented(value, sort_keys) == json.dumps(value, ensure_ascii=False, indent=1, sort_keys=sort_keys)


class Colour(enum.IntEnum):
    RED = 1


@pytest.mark.parametrize(
    "value", [{1: "int key"}, {"nan": float("nan")}, [float("inf")], {"enum": Colour.RED}, {None: 1, "b": [True, 2.5]}]
)
def test_dumps_indented_leaves_the_unusual_to_json(value):
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_dumps_indented_refuses_what_json_refuses():
    with pytest.raises(TypeError):
        dumps_indented({"set": {1, 2}})


@pytest.mark.parametrize("data", [b"", "工会\n".encode(), b"a\r\nb\rc\n", "\ufeffbom\n".encode(), b"\xff\xfe not utf-8"])
def test_text_hash_is_the_hash_of_the_text_read(tmp_path, data):
    from build_tools.write import NOT_UTF8, sha256_text, text_hash

    path = tmp_path / "page.md"
    path.write_bytes(data)
    try:
        expected = sha256_text(path.read_text("utf-8"))
    except UnicodeDecodeError:  # no generated text has its hash: a page saved in another encoding counts as edited
        expected = NOT_UTF8
    assert text_hash(path) == expected


def test_page_saved_with_crlf_is_still_the_generated_page(tmp_path):
    from build_tools.write import PageWriter

    writer = PageWriter(tmp_path)
    assert writer.write("a#1", "articles/a.md", "---\ntitle: 甲\n---\n\n正文\n").status == "written"
    page = tmp_path / "articles" / "a.md"
    page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n"))
    writer = PageWriter(tmp_path)
    assert writer.write("a#1", "articles/a.md", "---\ntitle: 甲\n---\n\n正文\n").status == "unchanged"
    page.write_text("edited by hand\n", "utf-8")
    assert PageWriter(tmp_path).write("a#1", "articles/a.md", "---\ntitle: 甲\n---\n\n正文\n").status == "kept-edit"


def test_only_the_writers_own_leftovers_are_deleted(tmp_path):
    """A killed run's temporary files (`.<page or state file>.<8 chars>.tmp` in --out or its articles folder) go;
    any other file named .*.tmp, anywhere, is not ours and stays."""
    from build_tools.write import PageWriter

    ours = [".a.md.k3j_9xq2.tmp", ".a.md.new.abcdefgh.tmp", "..generated.json.0a1b2c3d.tmp", "..addresses.txt.zzzzzzzz.tmp"]
    theirs = [".notes.tmp", ".a.md.short.tmp", ".photo.jpg.abcdefgh.tmp", "sub/.a.md.abcdefgh.tmp"]
    for folder in ("", "articles/"):
        for name in ours + theirs:
            (tmp_path / folder / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / folder / name).write_text("x", "utf-8")
    (tmp_path / "articles/.link.md.abcdefgh.tmp").symlink_to(tmp_path / ".notes.tmp")
    PageWriter(tmp_path)
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file() or p.is_symlink())
    assert left == sorted([f"{d}{n}" for d in ("", "articles/") for n in theirs] + ["articles/.link.md.abcdefgh.tmp"])
