"""MkDocs hooks of mkdocs.yml (and of every language's overlay, which inherits them).

on_config reads the rules and the language's catalog and makes the navigation; on_files renders every
page of docs/ (Jinja + Markdown) and adds one page per procedure. The rules: the validated bundle the
config names (extra.guichet.bundle: build/rules.json, which `make site` writes first), else rules/
checked afresh: a plain `mkdocs build` at the root needs no other step, and `mkdocs serve` always
reads rules/ again, so an edit to a rule shows at once.

Paths in extra.guichet (rules, bundle, markdown, cache) are relative to the config file, like MkDocs'
own.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads this file by path, not as part of the package
    sys.path.insert(0, str(ROOT))

from mkdocs.structure.files import File  # noqa: E402

from scripts.i18n.catalogs import Translator  # noqa: E402
from scripts.rules import load_rules  # noqa: E402
from scripts.site.pages import Pages  # noqa: E402

_serving = False
_pages: Pages | None = None
_BYTECODE: dict = {}


def _path(config, key: str) -> Path | None:
    value = config["extra"]["guichet"].get(key)
    return (Path(config.config_file_path).parent / value).resolve() if value else None


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def on_config(config):
    global _pages
    g = config["extra"]["guichet"]
    rules_root = _path(config, "rules") or ROOT / "rules"
    bundle_json = None if _serving else _path(config, "bundle")
    bundle = json.loads(bundle_json.read_text(encoding="utf-8")) if bundle_json else load_rules(rules_root)
    langs = [a["lang"] for a in config["extra"].get("alternate") or []]
    _pages = Pages(Path(config["docs_dir"]), bundle, Translator.load(rules_root, g["lang"]), langs)
    config["nav"] = _pages.nav(g["t"])
    return config


def on_files(files, config):
    """Every docs/ page rendered in place, one page per procedure added; with extra.guichet.markdown,
    the Markdown given to MkDocs is also written there (build/docs/<lang>/, to read)."""
    rendered = _pages.all([f.src_uri for f in files.documentation_pages()])
    for uri in sorted(rendered):  # new pages in MkDocs' own order of files, which the sitemap and search follow
        page = files.get_file_from_path(uri)
        if page is None:
            files.append(File.generated(config, uri, content=rendered[uri]))
        else:
            page.content_string = rendered[uri]
    out = _path(config, "markdown")
    if out:
        for stale in out.rglob("*.md"):  # a removed procedure disappears
            stale.unlink()
        for uri, text in rendered.items():
            (out / uri).parent.mkdir(parents=True, exist_ok=True)
            (out / uri).write_text(text, encoding="utf-8")
    return files


def on_env(env, config, files):
    """Compile Material's templates once per build folder, not once per language."""
    import jinja2
    cache_dir = _path(config, "cache") or ROOT / "build" / "jinja-cache"
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


def on_post_build(config):
    """Write the search index as UTF-8, not \\uXXXX escapes: Tamil, Bengali or Russian text takes half
    the bytes, which keeps two languages read offline inside the budget the privacy page states."""
    index = Path(config["site_dir"]) / "search" / "search_index.json"
    if index.exists():
        data = json.loads(index.read_text(encoding="utf-8"))
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
