"""The French strings to translate, from every source: rule YAML (its text fields), the page sources in
docs/ (Jinja), the site's strings in mkdocs.yml (MKDOCS_TEXT), and Python (``_()``, ``N_()``,
``ngettext()``) in the site's page helpers, the planner widget's strings and the planner engine's messages.

``update()`` writes rules/locales/guichet.pot and merges it into every catalog (``make i18n``).
"""
from __future__ import annotations

import io
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import write_po

from scripts.i18n.catalogs import DOMAIN, catalog_languages, locales_dir, po_path, read_catalog, review_status, write_catalog

ROOT = Path(__file__).resolve().parents[2]
# French text fields of the rule files (see rules/README.md). Values under these keys are msgids
# (a reference's text too: its explanation in brackets is translated, the citation stays as it is).
TEXT_FIELDS = frozenset({
    "title", "summary", "description", "help", "label", "text", "note", "topic", "before", "now",
    "object", "situation", "request", "subject", "body", "sender", "recipient", "place_date", "heading",
    "attempts", "attempts_fact", "attempts_piece", "law", "measure", "urgency", "document", "fact", "late",
    "about", "shows", "message", "warning", "discussion", "annex", "annex_shows", "for",
})
# In a text field, `cases: [{if, then}, {else}]` chooses a text: its `then` and `else` are text too.
BRANCHES = frozenset({"then", "else"})
# A citation (`text` in references.yaml and in a parameter's references) is never translated; what it
# says (`note`) is.
CITATIONS = frozenset({"text"})
# Every string value below these keys is text (e.g. placeholders: {nom: votre nom}).
TEXT_CONTAINERS = frozenset({"placeholders"})
# Rule files that hold no text to translate.
SKIP_PATHS = ("locales/", "schema")
DOCS = ROOT / "docs"
PYTHON = ("scripts/site/describe.py", "scripts/web/ui.py")
# The text of mkdocs.yml, by key path: a string, or a mapping of strings (the overlays translate them).
MKDOCS_TEXT = (("site_name",), ("site_description",), ("copyright",), ("extra", "guichet", "t"))
KEYWORDS = {"_": None, "N_": None, "NP_": (1, 2), "gettext": None, "ngettext": (1, 2)}


# Keys whose values are dates, durations, conditions and ids, never text (`when: {before: fenetre_depot.start}`,
# `if: {date: debut_tentatives, before: premiere_capture}`, `produces: [{document: accuse-de-reception}]`),
# though some of their keys are text fields elsewhere.
NO_TEXT = frozenset({"when", "produces", "if"})


def _walk(node, key, out, container=False, skip=frozenset(), owner=None):
    if key in NO_TEXT:
        return
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            name = k.value if isinstance(k, yaml.ScalarNode) else None
            branch = name in BRANCHES and owner in TEXT_FIELDS
            _walk(v, owner if branch else name, out, container or name in TEXT_CONTAINERS, skip,
                  key if name == "cases" else owner)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk(item, key, out, container, skip, owner)
    elif isinstance(node, yaml.ScalarNode) and (key in TEXT_FIELDS and key not in skip or container):
        if node.tag == "tag:yaml.org,2002:str" and node.value.strip():
            out.append((node.start_mark.line + 1, node.value, key))


def extract_yaml(fileobj, keywords, comment_tags, options):
    """Babel extractor for rule YAML: yields the French text fields with their line numbers."""
    text = fileobj.read()
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    out: list = []
    path = Path(getattr(fileobj, "name", ""))
    skip = CITATIONS if path.name == "references.yaml" or "parameters" in path.parts else frozenset()
    for doc in yaml.compose_all(io.StringIO(text)):
        _walk(doc, None, out, skip=skip)
    for line, value, key in out:
        yield line, None, value, [f"field: {key}"]


def _child(node, key):
    if isinstance(node, yaml.MappingNode):
        return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
    return None


def extract_mkdocs_yml(fileobj, keywords, comment_tags, options):
    """Babel extractor for mkdocs.yml: the strings at MKDOCS_TEXT."""
    root = yaml.compose(fileobj.read())
    for path in MKDOCS_TEXT:
        node = root
        for key in path:
            node = _child(node, key)
        values = [v for _, v in node.value] if isinstance(node, yaml.MappingNode) else [node] if node else []
        for value in values:
            yield value.start_mark.line + 1, None, value.value, [f"mkdocs.yml: {'.'.join(path)}"]


def _files(base: Path, pattern: str):
    return sorted(p for p in base.glob(pattern) if not any(s in p.as_posix() for s in SKIP_PATHS))


def extract_catalog(rules_root: Path = ROOT / "rules", planner_root: Path = ROOT / "planner") -> Catalog:
    """One catalog with every French string of the rules, the site and the planner."""
    cat = Catalog(project="guichet", version="1", msgid_bugs_address="", charset="utf-8")
    rules_root, planner_root = Path(rules_root), Path(planner_root)
    sources = [(p, extract_yaml, {}) for p in _files(rules_root, "**/*.yaml")]
    sources += [(p, "jinja2.ext:babel_extract", {"trimmed": "true"})
                for p in sorted(DOCS.glob("*.md")) + sorted((DOCS / "templates").glob("*"))]
    sources += [(ROOT / "mkdocs.yml", extract_mkdocs_yml, {})]
    sources += [(ROOT / f, "python", {}) for f in PYTHON]
    sources += [(p, "python", {}) for p in _files(planner_root, "**/*.py")]
    for path, method, options in sources:
        try:
            rel = path.relative_to(ROOT).as_posix()
        except ValueError:
            rel = path.name
        with open(path, "rb") as fh:
            for lineno, msg, comments, _ctx in extract(method, fh, KEYWORDS, ["TRANSLATORS:"], options):
                cat.add(msg, locations=[(rel, lineno)], auto_comments=comments)
    return cat


def write_pot(rules_root: Path = ROOT / "rules", planner_root: Path = ROOT / "planner") -> Catalog:
    template = extract_catalog(rules_root, planner_root)
    pot = locales_dir(rules_root) / f"{DOMAIN}.pot"
    pot.parent.mkdir(parents=True, exist_ok=True)
    with open(pot, "wb") as fh:
        write_po(fh, template, width=100, sort_output=False)
    return template


def update(rules_root: Path = ROOT / "rules", planner_root: Path = ROOT / "planner", langs=None) -> None:
    """Extract, write the template, merge it into each catalog (a changed French text becomes fuzzy)."""
    template = write_pot(rules_root, planner_root)
    for lang in langs or catalog_languages(rules_root):
        po = po_path(rules_root, lang)
        status = review_status(po)
        catalog = read_catalog(po, lang) if po.exists() else Catalog(locale=lang, project="guichet", version="1")
        catalog.update(template, update_header_comment=False)
        write_catalog(catalog, po, status)
