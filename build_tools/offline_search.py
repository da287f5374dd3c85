"""Material's own search, which only the offline copy uses (Pagefind cannot load its index from file://).

Material's search cuts Chinese with jieba when the plugin is given dictionaries. Three things make it find
whole terms in both editions:
- the Simplified edition's index gets the domain terms as a user dictionary (职工之家 stays one word);
- the Traditional edition's index gets jieba's dictionary converted with the pages' own OpenCC configuration
  (jieba's own dictionary is Simplified and cuts Traditional text badly), the domain terms included;
- and the search worker's query segmentation, which never tries the whole query as one word, is fixed
  (WORKER_FIX) after the build.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .hant import OPENCC_CONFIG, to_hant
from .terms import domain_terms

DOMAIN_FREQ = 20000  # jieba frequency given to domain terms, high enough that they are never cut in two

# Material's worker looks for dictionary words in a query with `o<t.length`, so it never tries the whole
# query as one word: 职工之家 becomes 职工 + 之家 although the index holds 职工之家. One character fixes it.
WORKER_BUG = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e"
WORKER_FIX = "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"


def configure(search_config, hant: bool, cache: Path) -> None:
    """Give Material's search plugin (its config) the dictionaries of this edition, built under `cache`."""
    if hant:
        search_config.jieba_dict = str(main_dict_hant(cache))
    else:
        search_config.jieba_dict_user = str(user_dict_hans(cache))


def search_terms() -> list[str]:
    """Domain terms for the index's segmentation: those that contain no shorter domain term.

    A compound such as 工资集体协商 kept whole would hide 集体协商 from a search for it (the index would
    hold only the compound); left out, it is cut into 工资 + 集体协商 and both queries find it.
    """
    terms = list(domain_terms())
    return [t for t in terms if not any(o != t and o in t for o in terms)]


def user_dict_hans(out_dir: Path) -> Path:
    """jieba user dictionary of the domain terms (Simplified)."""
    return _write_if_changed(out_dir / "jieba-user.hans.txt", "".join(f"{t} {DOMAIN_FREQ}\n" for t in search_terms()))


def main_dict_hant(out_dir: Path) -> Path:
    """A Traditional jieba main dictionary: jieba's own plus the domain terms, converted as the pages are.

    Rebuilt only when jieba's dictionary, the domain terms or the conversion change (the key is in its name).
    """
    import jieba

    raw = Path(jieba.__file__).with_name("dict.txt").read_bytes()
    terms = search_terms()
    code = Path(__file__).with_name("hant.py").read_bytes()
    key = hashlib.sha256(raw + "\n".join(terms).encode() + OPENCC_CONFIG.encode() + code).hexdigest()[:16]
    out = out_dir / f"jieba-dict.hant.{key}.txt"
    if out.exists():
        return out
    seen: dict[str, str] = {}
    for line in to_hant(raw.decode("utf-8")).splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and parts[0] not in seen:
            seen[parts[0]] = line
    for term in terms:
        word = to_hant(term)
        seen[word] = f"{word} {DOMAIN_FREQ} n"
    for old in out_dir.glob("jieba-dict.hant.*.txt"):
        old.unlink()
    return _write_if_changed(out, "\n".join(seen.values()) + "\n")


def _write_if_changed(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return path


def patch_search_worker(site_dir: Path) -> int:
    """Apply WORKER_FIX to the built search worker(s); returns how many are fixed (0 when Material changed)."""
    patched = 0
    for path in sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js")):
        text = path.read_text(encoding="utf-8")
        if WORKER_BUG in text:
            path.write_text(text.replace(WORKER_BUG, WORKER_FIX), encoding="utf-8")
            patched += 1
        elif WORKER_FIX in text:
            patched += 1
    return patched
