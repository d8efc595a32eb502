"""The pages of one language: the sources in docs/ (Jinja + Markdown) rendered with the rules bundle and
the language's catalog, plus one page per procedure from docs/templates/procedure.md.

A page that shows French text in place of a missing or out-of-date translation says so at its top
(docs/templates/fallback-notice.md).
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup, escape

from scripts.i18n import checks
from scripts.i18n import languages as L
from scripts.i18n.catalogs import Translator
from scripts.site.aid_tables import aid_tables
from planner.params import shown
from scripts.site.describe import PageText, Procedure, letter_html
from scripts.site.formatting import Formatter, md_escape

PROCEDURE = "templates/procedure.md"
NOTICE = "templates/fallback-notice.md"
# The navigation: (key of its title in extra.guichet.t, page); None stands for the procedures.
NAV = (("nav_home", "index.md"), ("nav_procedures", None), ("nav_aid", "aide-juridictionnelle.md"),
       ("nav_tribunal", "tribunal.md"), ("nav_about", "a-propos.md"))
# What a page's front matter may set (overrides/main.html and Material read them).
FRONT_MATTER = {"title", "description", "planner"}
DESCRIPTION_LENGTH = 155  # what a search result shows of a page's description
# Stated on the privacy page; scripts/web/offline.py keeps the service worker's caches under it.
CACHE_BUDGET_MB = 25


class PageError(ValueError):
    """A rendered page is not what its template may produce (front matter)."""


def procedure_ids(bundle: dict) -> list[str]:
    procs = bundle.get("procedures") or {}
    return sorted(procs, key=lambda k: (procs[k].get("order", 99), k))


def _filled(source: str, translation: str, variables: dict) -> Markup:
    """A translation as text for the page: escaped, then its ``%(name)s`` filled with ``variables`` (each
    escaped unless it is already ``Markup``). Only a French text written with ``%`` is formatted, as
    ``scripts.i18n.checks`` expects: elsewhere a ``%`` is a percent sign."""
    out = escape(translation)
    return out % variables if checks.percent_formatted(source) else out


def _env(docs_dir: Path, tr: Translator) -> jinja2.Environment:
    """Jinja for Markdown pages in which every value is escaped unless it is ``Markup``: a translation
    (``_()``, ``gettext``, ``ngettext``, ``|t``) is always text, whatever the template does with it."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(docs_dir)), extensions=["jinja2.ext.i18n"],
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, undefined=jinja2.ChainableUndefined)

    def gettext(msgid: str, /, **variables) -> Markup:  # positional-only: any variable name is free
        return _filled(msgid, tr.gettext(msgid), variables)

    def ngettext(singular: str, plural: str, num: int, /, **variables) -> Markup:
        variables.setdefault("num", num)
        return _filled(singular + plural, tr.ngettext(singular, plural, num), variables)

    # installed as they are (Jinja's new-style wrappers would format the translation themselves), then
    # {% trans %} compiled new-style: its variables reach ngettext/gettext as keywords
    env.install_gettext_callables(gettext, ngettext, newstyle=False)
    env.newstyle_gettext = True
    fmt = Formatter(tr.lang)
    say = PageText(tr, fmt)  # writes the typed literals of rule texts ({date:…}, {euros:…}) the language's way
    env.filters.update({
        "t": lambda s: md_escape(say.plain(str(s))) if s else "",
        # translated, escaped for HTML but not for Markdown (an attribute, a front matter value)
        "tr_raw": lambda s: escape(say.plain(str(s))) if s else "",
        "md": md_escape,
        "date": fmt.date,
        "money": fmt.money,
        "number": fmt.number,
        "attr": escape,
    })
    env.globals.update({"lang": tr.lang, "source_lang": L.SOURCE, "translated": tr.translated,
                        "front_matter": front_matter})
    return env


def front_matter(**fields) -> Markup:
    """A page's front matter, written by a YAML serializer. Each value is text (``Markup`` is read back
    as the text it shows), on one line, escaped once for HTML: Material prints ``title`` into
    ``<title>`` and ``description`` into an attribute as they are. A description longer than a search
    result shows is cut at a word."""
    data = {}
    for key, value in fields.items():
        text = " ".join((value.unescape() if isinstance(value, Markup) else str(value)).split())
        if key == "description" and len(text) > DESCRIPTION_LENGTH:
            text = text[:DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"
        data[key] = str(escape(text))
    return Markup("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1 << 16) + "---\n")


def check_front_matter(page: str, markdown: str) -> None:
    """A rendered page's front matter holds only the keys a page may set, each one line of escaped text:
    a value that ends the block, adds a key or carries markup stops the build (``PageError``)."""
    if not markdown.startswith("---\n"):
        return
    block = markdown[4:markdown.find("\n---\n", 3)]
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        raise PageError(f"{page}: front matter is not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not set(data) <= FRONT_MATTER:
        raise PageError(f"{page}: front matter keys {sorted(data) if isinstance(data, dict) else data!r}, "
                        f"expected some of {sorted(FRONT_MATTER)}")
    for key, value in data.items():
        if not isinstance(value, str) or any(c in value for c in '<>"\n'):
            raise PageError(f"{page}: front matter {key} is not one line of escaped text: {value!r}")


def _sources(bundle: dict, tr: Translator, say: PageText) -> dict:
    """Filters for the rules' sources and documents: a citation with what it is cited for, a document's
    label."""
    documents = (bundle.get("evidence") or {}).get("documents", {})

    def citation(ref: dict) -> Markup:
        about = Markup(" (%s)") % md_escape(tr.gettext(ref["about"])) if ref.get("about") else ""
        return md_escape(ref["text"]) + about

    def document(item) -> Markup:
        return md_escape(tr.gettext(documents[item if isinstance(item, str) else item["document"]]["label"]))

    return {"citation": citation, "document": document}


class Pages:
    """Renders the pages of one language; ``langs``: every language built (for the invitations)."""

    def __init__(self, docs_dir: Path, bundle: dict, tr: Translator, langs: list[str]):
        self.bundle, self.tr = bundle, tr
        self.env = _env(docs_dir, tr)
        say = PageText(tr, Formatter(tr.lang))
        self.env.filters.update(_sources(bundle, tr, say))
        self.context = {
            "bundle": bundle, "procedures": [bundle["procedures"][p] for p in procedure_ids(bundle)],
            "aid_tables": aid_tables(bundle), "today": date.today().isoformat(),
            "offline_budget_mb": CACHE_BUDGET_MB, "invitations": L.invitations(langs, tr.lang),
            "say": say, "shown": shown, "letter_html": letter_html, "evidence": bundle.get("evidence") or {},
        }

    def nav(self, titles: dict) -> list:
        """MkDocs' nav, titles from ``titles`` (extra.guichet.t, escaped by the overlay), one entry per
        procedure; Material prints these titles as they are, so each is escaped text."""
        procs = self.bundle.get("procedures") or {}
        nav = []
        for key, page in NAV:
            if page:
                nav.append({titles[key]: page})
            elif procs:
                nav.append({titles[key]: [{str(escape(self.tr.gettext(procs[p].get("title", p)))): f"procedures/{p}.md"}
                                          for p in procedure_ids(self.bundle)]})
        return nav

    def render(self, template: str, page: str | None = None, **extra) -> str:
        """One page's Markdown (``page``: its path, for errors), with the fallback notice after its front
        matter and title if needed."""
        self.tr.fallbacks = {}
        body = self.env.get_template(template).render(**self.context, **extra)
        check_front_matter(f"{self.tr.lang}/{page or template}", body)
        if self.tr.fallbacks:
            counts = list(self.tr.fallbacks.values())
            notice = self.env.get_template(NOTICE).render(fuzzy=counts.count("fuzzy"), missing=counts.count("missing"))
            body = re.sub(r"(\A---\n.*?\n---\n\s*# [^\n]*\n)", lambda m: m.group(1) + "\n" + notice + "\n", body,
                          count=1, flags=re.S)
        return body

    def all(self, sources: list[str]) -> dict[str, str]:
        """{path in docs: Markdown} for the given docs/ pages and every procedure."""
        pages = {src: self.render(src) for src in sources}
        for pid in procedure_ids(self.bundle):
            proc = self.bundle["procedures"][pid]
            pages[f"procedures/{pid}.md"] = self.render(PROCEDURE, f"procedures/{pid}.md", procedure=proc,
                                                         d=Procedure(self.bundle, proc, date.today()))
        return pages
