"""Offline reading: write the service worker (site/sw.js) for a built site.

Runs once every language is built, after csp.py (so the build id covers the final HTML). The
worker's source is sw.template.js (next to this file); this fills its CONFIG:

    build       id of this build: a hash of every file of the site (same files, same id: an identical
                rebuild keeps the person's caches)
    pyodide     the runtime version (its cache is named by it, so a new deploy with the same Pyodide
                does not download the 13 MB again)
    runtime     files under assets/pyodide/<version>/  (cache first, only once the planner asks)
    data        files under assets/planner-data/        (hashed names; cache first, on use)
    shared      the root language list
    languages   {lang: {path under <lang>/: digest}}: what is kept for reading offline (pages, search
                index, theme and planner assets, the search stemmer of that language; no source maps)

Each of runtime, data, shared is {path under the site root: digest}: the SHA-256 of the file's bytes
(integrity.py), which the worker checks before it serves or keeps a cached copy (issue 14).
    maxLanguages  how many languages are kept at once (the one being read and the previous one, often
                French next to a translation); opening a third drops the oldest

The most the caches can hold is runtime + data + maxLanguages x the largest language + the planner's
memory snapshot (its own "planner-snapshot" cache, at most SNAPSHOT_MB, only on a dedicated origin):
`cache_bound()`.
CACHE_BUDGET_MB is the figure the privacy page states; tests/test_offline.py checks the bound stays
under it (raise it, and say so on the page, if Pyodide or the pages grow).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from scripts.site.pages import CACHE_BUDGET_MB  # the figure the privacy page states (docs/a-propos.md)
from scripts.web.integrity import sri

TEMPLATE = Path(__file__).with_name("sw.template.js")
SW_NAME = "sw.js"
MAX_LANGUAGES = 2
# The planner worker's gzip-compressed memory snapshot (issue 7): 5.7 MB measured with Pyodide 314.0.7;
# the parity tests (tests/parity/) make one in Node and check it stays under this.
SNAPSHOT_MB = 7
SKIP_SUFFIXES = (".map", ".gz")
SKIP_NAMES = {"sitemap.xml", ".nojekyll", SW_NAME}


def _search_langs(lang_dir: Path) -> list[str]:
    try:
        data = json.loads((lang_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
        return list(data.get("config", {}).get("lang") or ["en"])
    except (OSError, ValueError):
        return ["en"]


def _lunr_needed(lang_dir: Path) -> set[str]:
    """The lunr files Material's search worker imports for this language (its own logic)."""
    langs = _search_langs(lang_dir)
    base = "assets/javascripts/lunr/"
    need = set()
    for s in langs:
        if s == "ja":
            need.add(base + "tinyseg.js")
        if s in ("hi", "th"):
            need.add(base + "wordcut.js")
        if s != "en":
            need.add(base + f"min/lunr.{s}.min.js")
    if len(langs) > 1:
        need.add(base + "min/lunr.multi.min.js")
    if need:
        need.add(base + "min/lunr.stemmer.support.min.js")
    return need


def _url_path(rel: str) -> str:
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def language_files(site: Path, lang: str) -> dict[str, Path]:
    """{path under <lang>/ as requested (directory URLs for pages): the file}."""
    d = site / lang
    lunr = _lunr_needed(d)
    out = {}
    for p in sorted(d.rglob("*")):
        if not p.is_file() or p.name in SKIP_NAMES or p.name.endswith(SKIP_SUFFIXES) or p.name.endswith(".tmp"):
            continue
        rel = p.relative_to(d).as_posix()
        if rel.startswith("assets/javascripts/lunr/") and rel not in lunr:
            continue
        out[_url_path(rel)] = p
    return out


def _files_under(site: Path, sub: str) -> dict[str, Path]:
    d = site / sub
    if not d.is_dir():
        return {}
    return {p.relative_to(site).as_posix(): p for p in sorted(d.rglob("*"))
            if p.is_file() and not p.name.endswith(".tmp")}


def _digests(files: dict[str, Path]) -> dict[str, str]:
    return {rel: sri(p.read_bytes()) for rel, p in sorted(files.items())}


def _bytes(files: dict[str, Path]) -> int:
    return sum(p.stat().st_size for p in files.values())


def pyodide_version(site: Path) -> str:
    versions = sorted(p.name for p in (site / "assets" / "pyodide").glob("*") if p.is_dir())
    return versions[-1] if versions else "none"


def build_id(site: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(site.rglob("*")):
        if p.is_file() and p.name != SW_NAME:
            h.update(p.relative_to(site).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:16]


def config(site: Path, langs: list[str]) -> dict:
    version = pyodide_version(site)
    return {
        "build": build_id(site),
        "pyodide": version,
        "runtime": _digests(_files_under(site, f"assets/pyodide/{version}")),
        "data": _digests(_files_under(site, "assets/planner-data")),
        "shared": _digests({"": site / "index.html"} if (site / "index.html").exists() else {}),
        "languages": {c: _digests(language_files(site, c)) for c in langs if (site / c / "index.html").exists()},
        "maxLanguages": MAX_LANGUAGES,
    }


def cache_bound(site: Path, langs: list[str]) -> int:
    """The most bytes the worker's caches can hold for this build."""
    version = pyodide_version(site)
    runtime = _bytes(_files_under(site, f"assets/pyodide/{version}"))
    data = _bytes(_files_under(site, "assets/planner-data"))
    shared = (site / "index.html").stat().st_size if (site / "index.html").exists() else 0
    per_lang = sorted((_bytes(language_files(site, c)) for c in langs if (site / c).is_dir()), reverse=True)
    return runtime + data + shared + sum(per_lang[:MAX_LANGUAGES]) + SNAPSHOT_MB * 1_000_000 + 4096


def write_service_worker(site: Path, langs: list[str]) -> Path:
    site = Path(site)
    cfg = config(site, langs)
    text = TEMPLATE.read_text(encoding="utf-8").replace(
        "/*CONFIG*/{}", json.dumps(cfg, ensure_ascii=False, separators=(",", ":"), sort_keys=True), 1)
    out = site / SW_NAME
    out.write_text(text, encoding="utf-8")
    return out

