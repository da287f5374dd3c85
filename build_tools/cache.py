"""The conversion cache (build/cache/, git-ignored): each source's articles, kept until something they depend on changes.

An entry is found by a key made of
- the source's path and the sha256 of its bytes (the path is in every page's front matter),
- its settings as the pipeline sees them (a canonical JSON of `SourceSettings`, so any change to
  `name.yml` that changes what it means changes the key, and a reformatted file does not),
- the pipeline's version (`pipeline_version`): a hash of the source of every build_tools module the
  conversion imports (found by reading their imports, so editing site.py or bench.py invalidates nothing),
  of build_tools/data/, and of the versions of Python, OpenCC, jieba, rjieba, pypinyin, charset-normalizer, PyYAML and numpy.

`common_lines` (short lines that recur across sources: a site template) depends on every source, so it cannot
be part of a key computed from one source without invalidating all of them whenever any source is added,
removed or changed enough to move a line over the threshold. What one source's conversion actually uses of it
is a handful of membership tests (`fold(line) in common`, boilerplate.remove_chrome). The entry records
those questions and their answers; it is valid when the current `common_lines` gives the same answers. Given
the same bytes, settings and code, the conversion then takes exactly the same path, so the articles are the
same: this is exact, and a new source that turns a line into template chrome re-converts only the sources
that contain that line.

Entries are pickles of the `Article` objects (plus the recorded questions), one file per key under
`<cache>/<first two hex digits>/<key>.pickle`, written atomically, after a CRC-32 of the pickle: a damaged entry
(cut short, garbled, not a regular file) is said on stderr and its source converted again (state.py). The cache
is only ever read by the build that wrote it (a local folder, never committed): delete it at any time, or pass
`--no-cache`.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import os
import re
import sys
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import safe_pickle, state
from .article import Article
from .files import NotRegular, in_the_way, read_regular, real_folder
from .settings import SourceSettings

PACKAGE = Path(__file__).resolve().parent
# Third-party packages whose behaviour is part of the conversion's output.
LIBRARIES = ("OpenCC", "opencc-python-reimplemented", "jieba", "rjieba", "pypinyin", "charset-normalizer", "PyYAML", "numpy")
FORMAT = 3  # bump when the layout of an entry changes
# Files older versions kept at the top of the cache folder, deleted by `Cache.prune` (corpus_state.py keeps all of it now).
OBSOLETE = ("segments.pickle", "fingerprints.pickle", "checked-pairs.pickle")
# The names `Cache.prune` may delete: entries (and their temporary files) in folders named by two hex digits, and
# the temporary files of `store` at the top (corpus_state.save).
HEX2 = re.compile(r"[0-9a-f]{2}")
OWN = re.compile(r"\.?[0-9a-f]{64}\.pickle(?:\.tmp-\d+)?")
OWN_TMP = re.compile(r"\.[^/]+\.pickle\.tmp-\d+")


def _local_imports(module: Path) -> set[str]:
    """Names of the build_tools modules `module` imports (`from .x import`, `from . import x`)."""
    tree = ast.parse(module.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                names.add(node.module.split(".")[0])
            else:
                names.update(alias.name for alias in node.names)
    return {n for n in names if (PACKAGE / f"{n}.py").is_file()}


def conversion_modules(start: str = "pipeline") -> list[str]:
    """Every build_tools module the conversion (pipeline.py and what it imports, transitively) depends on."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(_local_imports(PACKAGE / f"{name}.py") - seen)
    return sorted(seen)


def pipeline_version() -> str:
    """A hash of everything that makes the conversion what it is (see the module docstring)."""
    return code_version("pipeline")


@lru_cache(maxsize=4)
def code_version(start: str) -> str:
    """A hash of module `start`, every build_tools module it imports (transitively), build_tools/data/ and the
    versions of Python and of the LIBRARIES."""
    h = hashlib.sha256(f"format {FORMAT}\npython {sys.version_info[:3]}\n".encode())
    for name in conversion_modules(start):
        h.update(f"module {name}\n".encode())
        h.update((PACKAGE / f"{name}.py").read_bytes())
    data = PACKAGE / "data"
    for path in sorted(p for p in data.rglob("*") if p.is_file()) if data.is_dir() else []:
        h.update(f"data {path.relative_to(data).as_posix()}\n".encode())
        h.update(path.read_bytes())
    for lib in LIBRARIES:
        try:
            h.update(f"lib {lib} {metadata.version(lib)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"lib {lib} -\n".encode())
    return h.hexdigest()


def settings_fingerprint(settings: SourceSettings) -> str:
    """A canonical text of a source's settings (sets sorted: the same settings give the same text in every process)."""
    if settings == _DEFAULT_SETTINGS:  # most sources have no settings file: worked out once
        return _default_fingerprint()
    return _fingerprint(settings)


_DEFAULT_SETTINGS = SourceSettings()


@lru_cache(maxsize=1)
def _default_fingerprint() -> str:
    return _fingerprint(_DEFAULT_SETTINGS)


def _fingerprint(settings: SourceSettings) -> str:
    data = {
        "skip": sorted(settings.skip),
        "keep_lines": sorted(settings.keep_lines),
        "drop_lines": sorted(settings.drop_lines),
        "meta": settings.meta,
        "parts": {str(k): v for k, v in sorted(settings.parts.items())},
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)


def source_key(path: str, sha256: str, settings: SourceSettings) -> str:
    """The cache key of one source: its path, bytes, settings and the pipeline's version."""
    text = "\n".join((pipeline_version(), path, sha256, settings_fingerprint(settings)))
    return hashlib.sha256(text.encode()).hexdigest()


class RecordingSet(frozenset):
    """A frozenset that remembers every membership question asked of it (and so, with the answers, what it was used for)."""

    def __new__(cls, items=()):
        self = super().__new__(cls, items)
        self.asked = set()
        return self

    def __contains__(self, item: object) -> bool:
        self.asked.add(item)
        return super().__contains__(item)


@dataclass
class Entry:
    """One source's converted articles and the `common_lines` questions their conversion asked."""

    articles: list[Article]
    asked: list[str] = field(default_factory=list)  # folded lines looked up in common_lines, sorted
    hits: list[str] = field(default_factory=list)  # those of them that were template lines
    encoding: str = ""  # what the source was decoded with
    candidates: list[str] = field(default_factory=list)  # its template candidates (pipeline.template_candidates), sorted

    def valid_for(self, common: frozenset[str]) -> bool:
        """True when `common` answers every recorded question as the one the entry was made with did."""
        return [a for a in self.asked if a in common] == self.hits


def make_entry(articles: list[Article], probe: RecordingSet, encoding: str = "", candidates: frozenset[str] = frozenset()) -> Entry:
    """The entry of a source converted with `probe` as its template lines."""
    asked = sorted(probe.asked)
    return Entry(articles, asked, [a for a in asked if frozenset.__contains__(probe, a)], encoding, sorted(candidates))


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def store(path: Path, data: bytes, root: Path | None = None) -> None:
    """Write `data` to `path` atomically (a temporary file, created anew, renamed over it); a cache that cannot be
    written is not an error (the build goes on), and no temporary file is left (a killed run's: `Cache.prune`).
    Nothing is written through a link: not when `path`'s folder is a link or leads out of `root` (the cache's
    folder), nor over anything at `path` that is not a regular file (it is left; its reader said so)."""
    if (root is not None and real_folder(path.parent, root)) or in_the_way(path):
        return
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, _CREATE, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException as error:  # the temporary file goes; an interrupt goes on up, a write error stops here
        if not isinstance(error, FileExistsError):  # not ours (a link planted at that name): left
            with contextlib.suppress(OSError):
                tmp.unlink()
        if not isinstance(error, OSError):
            raise


class Cache:
    """Entries on disk under `root`; counts hits and misses for the progress line and the benchmark."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hits = 0
        self.misses = 0

    @staticmethod
    def usable(root: Path) -> str:
        """Why `root` cannot be the cache's folder ("" when it can): it must be a folder (or not be there yet), not a
        link to one (a link in a checkout can point anywhere), nor a file, FIFO..."""
        what = in_the_way(root) or ("a file" if root.exists() else "")
        return "" if what in ("", "a folder") else f"{what}, not a folder"

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pickle"

    def load(self, key: str) -> Entry | None:
        """The entry stored under `key`, valid or not (see Entry.valid_for); None when there is none, or (said on
        stderr) when it is damaged or unreadable."""
        path = self._path(key)
        problem = real_folder(path.parent, self.root)  # a link there would be read through
        if problem:
            return self._damaged(path.parent, problem)
        try:
            data = read_regular(path)
        except FileNotFoundError:
            return None
        except NotRegular as error:
            return self._damaged(path, f"{error.strerror}{state.NOT_A_FILE}")
        except OSError as error:
            return self._damaged(path, f"cannot read it ({error.strerror or error})")
        entry = unpack(data)
        return entry if entry is not None else self._damaged(path, "damaged (cut short, garbled or of another shape)")

    @staticmethod
    def _damaged(path: Path, problem: str) -> None:
        state.warn(path, problem, state.action(state.CACHE_ENTRY, problem, "not used"))

    def put(self, key: str, data: bytes) -> None:
        """Store a pickled entry (`store`), after its CRC-32."""
        store(self._path(key), zlib.crc32(data).to_bytes(4, "big") + data, self.root)

    def prune(self, keep: set[str]) -> int:
        """Delete every entry whose key is not in `keep` (this run's sources), stray temporary files of killed
        runs and the OBSOLETE files: the cache holds one entry per source instead of growing with every edit
        and code change. Only files named as the cache names them are deleted (OWN): a cache folder pointed at
        the wrong place (`--cache-dir .`) costs nothing else.
        Returns how many files went."""
        if not self.root.is_dir():
            return 0
        named = [d for d in self.root.iterdir() if HEX2.fullmatch(d.name)]
        folders = [d for d in named if not real_folder(d, self.root)]
        stale = [
            path
            for folder in folders
            for path in folder.iterdir()
            if OWN.fullmatch(path.name) and path.name.lstrip(".")[:2] == folder.name and path.stem not in keep
        ]
        leftovers = [self.root / name for name in OBSOLETE]
        leftovers += [p for p in self.root.glob(".*.tmp-*") if OWN_TMP.fullmatch(p.name)]
        for path in [d for d in named if d not in folders]:  # a link, a file... with a folder's name: said, left
            self._damaged(path, f"{real_folder(path, self.root)}; pruning")
        removed = 0
        for path in stale + leftovers:
            what = in_the_way(path)
            if what:  # only regular files the cache named go
                self._damaged(path, f"{what}{state.NOT_A_FILE}; pruning")
                continue
            try:
                path.unlink()
                removed += 1
            except OSError:
                pass
        return removed


def unpack(data: bytes) -> Entry | None:
    """The Entry of a cache file's bytes (CRC-32, then the pickle), or None when the checksum or the shape is wrong."""
    if len(data) < 4 or int.from_bytes(data[:4], "big") != zlib.crc32(data[4:]):
        return None
    try:
        entry = safe_pickle.loads(data[4:])  # a pickle that names a function is refused: it could run anything
    except Exception:  # a checksum that matches garbage is unlikely; still, a cache never stops a build
        return None
    shapes = (list, list, list, str, list)
    fields = (entry.articles, entry.asked, entry.hits, entry.encoding, entry.candidates) if isinstance(entry, Entry) else ()
    if len(fields) != len(shapes) or not all(isinstance(v, t) for v, t in zip(fields, shapes, strict=True)):
        return None
    return entry if all(isinstance(a, Article) for a in entry.articles) else None
