"""MkDocs hook of every generated per-language config (build/mkdocs/<lang>.yml).

on_config renders the language's Markdown pages from rules/ + templates + catalog into docs_dir and
refreshes the navigation, so `mkdocs build` and `mkdocs serve -f build/mkdocs/fr.yml` both pick up an
edit to rules/ (watched through the config's `watch:` list).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts import site  # noqa: E402


def on_config(config):
    g = config["extra"]["guichet"]
    lang, rules_root = g["lang"], Path(g["rules"])
    bundle = site.cached_bundle(rules_root)
    langs = [a["lang"] for a in config["extra"]["alternate"]]
    site.render_language(bundle, lang, rules_root, Path(config["docs_dir"]), langs)
    fresh = site.mkdocs_config(lang, langs, rules_root,
                               Path(config["docs_dir"]), Path(config["site_dir"]), bundle)
    config["nav"] = fresh["nav"]
    return config


_BYTECODE = {}


def on_env(env, config, files):
    """Compile Material's templates once per build folder, not once per language."""
    import jinja2
    cache_dir = Path(config["extra"]["guichet"].get("cache") or (ROOT / "build" / "jinja-cache"))
    cache_dir.mkdir(parents=True, exist_ok=True)
    key = str(cache_dir)
    if key not in _BYTECODE:
        _BYTECODE[key] = jinja2.FileSystemBytecodeCache(key)
    env.bytecode_cache = _BYTECODE[key]
    return env


_CHECKBOX = re.compile(r'<input type="checkbox"( disabled)?( checked)?\s*/?>(<span class="task-list-indicator"></span></label>\s*<strong id="([^"]+)")')


def on_page_content(html, page, config, files):
    """Give each checklist box an accessible name: the step title next to it."""
    return _CHECKBOX.sub(lambda m: f'<input type="checkbox"{m.group(1) or ""}{m.group(2) or ""} aria-labelledby="{m.group(4)}">{m.group(3)}', html)
