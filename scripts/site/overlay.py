"""One MkDocs configuration per language: build/mkdocs/<lang>.yml INHERITs mkdocs.yml (the French site)
and sets only what differs: language and direction, URLs, the translated strings of mkdocs.yml, the
search language, the languages of the switcher, where the rules bundle and the catalogs are.

MkDocs resolves the paths of a configuration (docs_dir, custom_dir, hooks, watch), inherited ones too,
against the folder of the file it loads: each overlay gives them again, relative to its own folder.
The base URL (a GitHub Pages project path) comes from GUICHET_SITE_URL, e.g.
https://OWNER.github.io/guichet/; each language is published under <base><lang>/.
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml
from markupsafe import escape

from scripts.i18n import languages as L
from scripts.i18n.catalogs import Translator
from scripts.i18n.extract import MKDOCS_TEXT

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "mkdocs.yml"
# Search runs in the reader's browser, in Material's worker (its lunr index is built there from
# search/search_index.json; assets/javascripts/workers/search-guichet.js adds accent and letter folding).
# lunr's language files are loaded for the stop words only: Material's pipelines keep no stemmer (every
# query word gets a trailing wildcard, which lunr does not stem, so a stemmed index would miss it).
# Not ar, zh: Material keeps nothing of lunr.ar (pipeline " ") and only lunr.zh's stemmer, which returns
# the word as is: two files downloaded for nothing. Not ta: lunr.ta throws.
SEARCH_LANGS = {"da", "de", "du", "en", "es", "fi", "fr", "hi", "hu", "hy", "it", "ja", "kn", "ko",
                "nl", "no", "pt", "ro", "ru", "sa", "sv", "te", "th", "tr", "vi"}
# Words are split at spaces, hyphens, dashes, the punctuation of every script of the guide (Latin,
# Arabic, Bengali danda, Chinese) and the invisible direction marks of right-to-left text, so that
# "(préfecture)", "l'urgence", "محكمة؟" or "法院。" are indexed as "préfecture", "urgence", "محكمة", "法院":
# Material's separator is spaces and hyphens only, and lunr matches a query word with the start of an
# indexed word. U+200B: Material joins the Chinese words jieba cut at build time with it. Not U+200C
# (zero-width non-joiner): it is inside Persian words. Not * + ~ ^: lunr's query syntax.
SEPARATOR = (r"[\s\u200b\u200e\u200f\u061c\-\u2010-\u2015.,;:!?¡¿…()\[\]{}\"'«»‘’‚“”„‹›/\\|·"
             r"\u060c\u061b\u061f\u06d4\u0964\u0965\u3001-\u3003\u3008-\u3011\uff01-\uff0f\uff1a-\uff1f]+")


def base_config() -> dict:
    return yaml.safe_load(BASE.read_text(encoding="utf-8"))


def site_url(base: dict) -> str:
    """GUICHET_SITE_URL, else the local address of mkdocs.yml (extra.guichet.base)."""
    url = os.environ.get("GUICHET_SITE_URL", "").strip() or base["extra"]["guichet"]["base"]
    return url if url.endswith("/") else url + "/"


def search(lang: str) -> dict:
    """The search plugin's settings: the language's lunr stop words (else English ones, which touch only
    the French and English words of the page), no stemmer, no trimmer (lunr's English trimmer would strip
    every non-Latin letter; the separator does its job), SEPARATOR."""
    return {"lang": [lang] if lang in SEARCH_LANGS else ["en"], "pipeline": ["stopWordFilter"], "separator": SEPARATOR}


def _translated(node, path: tuple, tr: Translator):
    """A copy of ``node`` with the text at ``path`` (a key path of MKDOCS_TEXT) translated and escaped:
    Material and overrides/ print these strings into HTML as they are."""
    def text(msgid: str) -> str:
        return str(escape(tr.gettext(msgid)))

    key, rest = path[0], path[1:]
    value = node[key]
    if rest:
        return {**node, key: _translated(value, rest, tr)}
    if isinstance(value, dict):
        return {**node, key: {k: text(v) for k, v in value.items()}}
    return {**node, key: text(value)}


def _changes(base: dict, config: dict) -> dict:
    """What ``config`` sets differently from ``base`` (MkDocs merges nested mappings, replaces the rest)."""
    out = {}
    for key, value in config.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            value = _changes(base[key], value)
            if value:
                out[key] = value
        elif base.get(key) != value:
            out[key] = value
    return out


def overlay(base: dict, lang: str, langs: list[str], tr: Translator, folder: Path, site_dir: Path,
            rules_root: Path, bundle_json: Path, build_dir: Path) -> dict:
    """The configuration of ``lang`` for a file in ``folder``, as a difference from ``base``."""
    def rel(path: Path) -> str:
        return os.path.relpath(path, folder)

    url = site_url(base)
    config = base
    for path in MKDOCS_TEXT:
        config = _translated(config, path, tr)
    guichet = config["extra"]["guichet"]
    config = {
        "docs_dir": rel(ROOT / base.get("docs_dir", "docs")),
        **config,
        "site_url": f"{url}{lang}/",
        "site_dir": rel(site_dir / lang),
        "theme": {**config["theme"], "custom_dir": rel(ROOT / base["theme"]["custom_dir"]),
                  "language": L.theme_language(lang), "direction": L.direction(lang)},
        "plugins": [{"search": search(lang)}],
        "hooks": [rel(ROOT / hook) for hook in base["hooks"]],
        "watch": [rel(rules_root)],
        "extra": {**config["extra"],
                  "alternate": [{"name": L.name(c), "link": f"../{c}/", "lang": c} for c in langs],
                  "guichet": {**guichet, "lang": lang, "base": url,
                              "review_notice": lang != L.SOURCE and tr.status != "reviewed",
                              "rules": rel(rules_root), "bundle": rel(bundle_json),
                              "markdown": rel(build_dir / "docs" / lang), "cache": rel(build_dir / "jinja-cache")}},
    }
    return {"INHERIT": rel(BASE), **_changes(base, config)}


def write_overlays(langs: list[str], translators: dict[str, Translator], site_dir: Path, rules_root: Path,
                   bundle_json: Path, build_dir: Path) -> list[Path]:
    """build_dir/mkdocs/<lang>.yml for each language, building into site_dir/<lang>."""
    base, folder = base_config(), build_dir / "mkdocs"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in langs:
        data = overlay(base, lang, langs, translators[lang], folder, site_dir, rules_root, bundle_json, build_dir)
        path = folder / f"{lang}.yml"
        path.write_text(f"# {lang}: what differs from mkdocs.yml. Written by `make site` (scripts/site/overlay.py).\n"
                        + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        written.append(path)
    return written
