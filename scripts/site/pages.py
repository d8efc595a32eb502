"""The pages of one language: the sources in docs/ (Jinja + Markdown) rendered with the rules bundle and
the language's catalog, plus one page per procedure from docs/templates/procedure.md.

A page that shows French text in place of a missing or out-of-date translation says so at its top
(docs/templates/fallback-notice.md).
"""
from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import jinja2

from scripts.i18n import languages as L
from scripts.i18n.catalogs import Translator
from scripts.site.aid_tables import aid_tables
from scripts.site.describe import Describer
from scripts.site.formatting import Formatter, md_escape

PROCEDURE = "templates/procedure.md"
NOTICE = "templates/fallback-notice.md"
# The navigation: (key of its title in extra.guichet.t, page); None stands for the procedures.
NAV = (("nav_home", "index.md"), ("nav_procedures", None), ("nav_aid", "aide-juridictionnelle.md"),
       ("nav_tribunal", "tribunal.md"), ("nav_about", "a-propos.md"))
# Stated on the privacy page; scripts/web/offline.py keeps the service worker's caches under it.
CACHE_BUDGET_MB = 25


def procedure_ids(bundle: dict) -> list[str]:
    procs = bundle.get("procedures") or {}
    return sorted(procs, key=lambda k: (procs[k].get("order", 99), k))


def _env(docs_dir: Path, tr: Translator) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(docs_dir)), extensions=["jinja2.ext.i18n"],
                             autoescape=False, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, undefined=jinja2.ChainableUndefined)
    env.install_gettext_callables(tr.gettext, tr.ngettext, newstyle=True)
    fmt = Formatter(tr.lang)
    env.filters.update({
        "t": lambda s: md_escape(tr.gettext(str(s))) if s else "",
        "tr_raw": lambda s: tr.gettext(str(s)) if s else "",
        "md": md_escape,
        "date": fmt.date,
        "money": fmt.money,
        "number": fmt.number,
        "tojson": lambda v: json.dumps(v, ensure_ascii=False),
        "attr": lambda s: html.escape(str(s), quote=True),
    })
    def translated(text) -> bool:  # a letter field is a list of parts (stopgap: its plain ones)
        return all(tr.translated(p) for p in text if isinstance(p, str)) if isinstance(text, list) else tr.translated(text)

    env.globals.update({"lang": tr.lang, "source_lang": L.SOURCE, "translated": translated})
    return env


class Pages:
    """Renders the pages of one language; ``langs``: every language built (for the invitations)."""

    def __init__(self, docs_dir: Path, bundle: dict, tr: Translator, langs: list[str]):
        self.bundle, self.tr = bundle, tr
        self.env = _env(docs_dir, tr)
        self.context = {
            "bundle": bundle, "procedures": [bundle["procedures"][p] for p in procedure_ids(bundle)],
            "aid_tables": aid_tables(bundle), "today": date.today().isoformat(),
            "offline_budget_mb": CACHE_BUDGET_MB, "invitations": L.invitations(langs, tr.lang),
            "describe": Describer(bundle, tr, Formatter(tr.lang), md_escape), "evidence": bundle.get("evidence") or {},
        }

    def nav(self, titles: dict) -> list:
        """MkDocs' nav, titles from ``titles`` (extra.guichet.t), one entry per procedure."""
        procs = self.bundle.get("procedures") or {}
        nav = []
        for key, page in NAV:
            if page:
                nav.append({titles[key]: page})
            elif procs:
                nav.append({titles[key]: [{self.tr.gettext(procs[p].get("title", p)): f"procedures/{p}.md"}
                                          for p in procedure_ids(self.bundle)]})
        return nav

    def render(self, template: str, **extra) -> str:
        """One page's Markdown, with the fallback notice after its front matter and title if needed."""
        self.tr.fallbacks = {}
        body = self.env.get_template(template).render(**self.context, **extra)
        if self.tr.fallbacks:
            counts = list(self.tr.fallbacks.values())
            notice = self.env.get_template(NOTICE).render(fuzzy=counts.count("fuzzy"), missing=counts.count("missing"))
            body = re.sub(r"(\A---\n.*?\n---\n\s*# [^\n]*\n)", lambda m: m.group(1) + "\n" + notice + "\n", body,
                          count=1, flags=re.S)
        return body

    def all(self, sources: list[str]) -> dict[str, str]:
        """{path in docs: Markdown} for the given docs/ pages and every procedure."""
        pages = {src: self.render(src) for src in sources}
        templates = self.bundle.get("templates") or {}
        for pid in procedure_ids(self.bundle):
            proc = self.bundle["procedures"][pid]
            ids = [s.get("template") for s in proc.get("steps") or []]
            letters = [t for i, t in enumerate(ids) if t and t not in ids[:i] and t in templates]
            pages[f"procedures/{pid}.md"] = self.render(PROCEDURE, procedure=proc, letter_ids=letters)
        return pages
