"""Gettext catalogs for the guide: extraction (rules YAML, Jinja templates, planner messages),
catalog update, coverage, and a translator that never shows a stale translation.

    python -m scripts.i18n extract          # write rules/locales/guichet.pot
    python -m scripts.i18n update           # extract, then merge into every rules/locales/*/LC_MESSAGES/guichet.po
    python -m scripts.i18n init LANG        # start a new language
    python -m scripts.i18n compile OUT      # write OUT/<lang>/LC_MESSAGES/guichet.mo (for the planner)
    python -m scripts.i18n coverage         # print the coverage and review status of every language

French is the source: every French text is its own msgid. A translation marked fuzzy (the French
text changed since it was translated) or missing is never shown: the French text is, with a notice.
"""
from __future__ import annotations

import argparse
import gettext as gettext_module
import io
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "guichet"
TEMPLATES = Path(__file__).resolve().parent / "templates"

# French text fields of the rule files (see rules/README.md). Values under these keys are msgids.
TEXT_FIELDS = frozenset({
    "title", "summary", "description", "help", "label", "text", "note", "topic", "before", "now",
    "object", "situation", "request", "subject", "body", "sender", "recipient", "place_date",
    "message", "warning",
})
# (key, field) pairs never extracted. A reference's text is extracted (rules/README.md): its
# explanation in brackets is translated, the citation itself stays as it is.
NOT_TEXT: frozenset = frozenset()
# Every string value below these keys is text (e.g. placeholders: {nom: votre nom}).
TEXT_CONTAINERS = frozenset({"placeholders"})
# Keys whose values are identifiers or data even if the key name looks like text.
SKIP_PATHS = ("locales/", "schema")

PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}|%\([a-zA-Z_][a-zA-Z0-9_]*\)[sd]")
REVIEW_HEADER = re.compile(r'^"X-Review-Status: *([^\\"]*)\\n"', re.M)


def locales_dir(rules_root: Path) -> Path:
    return Path(rules_root) / "locales"


def po_path(rules_root: Path, lang: str) -> Path:
    return locales_dir(rules_root) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


# ---------------------------------------------------------------- extraction

def _walk(node, key, out, container=False, parent=None):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            name = k.value if isinstance(k, yaml.ScalarNode) else None
            if (key, name) in NOT_TEXT:
                continue
            _walk(v, name, out, container or name in TEXT_CONTAINERS, key)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk(item, key, out, container, parent)
    elif isinstance(node, yaml.ScalarNode) and (key in TEXT_FIELDS or container):
        if node.tag == "tag:yaml.org,2002:str" and node.value.strip():
            out.append((node.start_mark.line + 1, node.value, key))


def extract_yaml(fileobj, keywords, comment_tags, options):
    """Babel extractor for rule YAML: yields the French text fields with their line numbers."""
    text = fileobj.read()
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    out: list = []
    for doc in yaml.compose_all(io.StringIO(text)):
        _walk(doc, None, out)
    for line, value, key in out:
        yield line, None, value, [f"field: {key}"]


def _files(base: Path, pattern: str):
    return sorted(p for p in base.glob(pattern) if not any(s in p.as_posix() for s in SKIP_PATHS))


def extract_catalog(rules_root: Path = ROOT / "rules", planner_root: Path = ROOT / "planner") -> Catalog:
    """One catalog with every French string of rules, templates and planner messages."""
    cat = Catalog(project="guichet", version="1", msgid_bugs_address="", charset="utf-8")
    rules_root, planner_root = Path(rules_root), Path(planner_root)
    sources = [(p, extract_yaml, {}) for p in _files(rules_root, "**/*.yaml")]
    sources += [(p, "jinja2.ext:babel_extract", {"trimmed": "true"}) for p in sorted(TEMPLATES.glob("*.j2"))]
    sources += [(Path(__file__).resolve().parent / f, "python", {}) for f in ("site.py", "describe.py", "pyodide_bundle.py")
                if (Path(__file__).resolve().parent / f).exists()]
    sources += [(p, "python", {}) for p in _files(planner_root, "**/*.py")]
    keywords = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
    for path, method, options in sources:
        try:
            rel = path.relative_to(ROOT).as_posix()
        except ValueError:
            rel = path.name
        with open(path, "rb") as fh:
            for lineno, msg, comments, _ctx in extract(method, fh, keywords, ["TRANSLATORS:"], options):
                cat.add(msg, locations=[(rel, lineno)], auto_comments=comments)
    return cat


# ---------------------------------------------------------------- catalogs

def review_status(po: Path) -> str:
    m = REVIEW_HEADER.search(Path(po).read_text(encoding="utf-8")) if Path(po).exists() else None
    return m.group(1).strip() if m else "not-reviewed"


OUR_HEADERS = re.compile(r'^"(X-(?:Review|Translation)-Status: *[^\\"]*)\\n"\n', re.M)


def _write(catalog: Catalog, po: Path, status: str) -> None:
    """Write a catalog, keeping our own headers, which Babel drops: the review status and, when a
    maintainer declares it, ``X-Translation-Status: complete`` (then no string may be left untranslated)."""
    kept = [h for h in OUR_HEADERS.findall(po.read_text(encoding="utf-8")) if h.startswith("X-Translation")] if po.exists() else []
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, omit_header=False, sort_output=False, include_previous=True)
    text = buf.getvalue().decode("utf-8")
    headers = "".join(f'"{h}\\n"\n' for h in [f"X-Review-Status: {status}", *kept])
    text = text.replace('"Generated-By:', headers + '"Generated-By:', 1)
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text(text, encoding="utf-8")


def write_pot(rules_root: Path = ROOT / "rules", planner_root: Path = ROOT / "planner") -> Catalog:
    template = extract_catalog(rules_root, planner_root)
    pot = locales_dir(rules_root) / f"{DOMAIN}.pot"
    pot.parent.mkdir(parents=True, exist_ok=True)
    with open(pot, "wb") as fh:
        write_po(fh, template, width=100, sort_output=False)
    return template


def update(rules_root: Path = ROOT / "rules", planner_root: Path = ROOT / "planner", langs=None) -> None:
    template = write_pot(rules_root, planner_root)
    for lang in langs or [p.parent.parent.name for p in locales_dir(rules_root).glob("*/LC_MESSAGES/*.po")]:
        po = po_path(rules_root, lang)
        status = review_status(po)
        if po.exists():
            with open(po, "rb") as fh:
                catalog = read_po(fh, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="guichet", version="1")
        catalog.update(template, update_header_comment=False)
        _write(catalog, po, status)


def _read(po: Path, lang: str) -> Catalog:
    with open(po, "rb") as fh:
        return read_po(fh, locale=lang)


def _numbered(catalog: Catalog) -> dict:
    """Each msgid by its position in the catalog: translators answer ``{"12": "..."}`` without copying the French."""
    return {str(n): m.id for n, m in enumerate(m for m in catalog if m.id)}


def todo(rules_root: Path, lang: str) -> dict:
    """Strings still to translate: ``{"N": {"fr": msgid, "en": English, "stale": old translation}}``."""
    catalog = _read(po_path(rules_root, lang), lang)
    english = {m.id: m.string for m in _read(po_path(rules_root, "en"), "en") if m.id and not m.fuzzy} if lang != "en" else {}
    def undone(m):
        return m.fuzzy or not (all(m.string) if isinstance(m.id, tuple) else m.string)

    out = {}
    for n, msgid in _numbered(catalog).items():
        m = catalog[msgid]
        if undone(m):
            out[n] = {"fr": list(msgid) if isinstance(msgid, tuple) else msgid, "en": english.get(msgid, ""),
                      "stale": m.string if m.fuzzy else ""}
            if isinstance(msgid, tuple):  # answer with a list of this many forms, in the language's order
                out[n]["plural_forms"] = catalog.num_plurals
    return out


def merge(rules_root: Path, lang: str, translations: dict) -> list[str]:
    """Write ``{msgid or number: translation}`` into the catalog (clearing fuzzy marks); returns unknown keys."""
    po = po_path(rules_root, lang)
    catalog = _read(po, lang)
    numbered = _numbered(catalog)
    unknown = []
    for key, text in translations.items():
        message = catalog.get(numbered.get(key, key))
        plural = message is not None and isinstance(message.id, tuple)
        if plural and isinstance(text, list) and len(text) == catalog.num_plurals and all(isinstance(t, str) and t.strip() for t in text):
            text = tuple(text)
        elif message is None or plural or not isinstance(text, str) or not text.strip():
            unknown.append(key)
            continue
        source = " ".join(message.id) if plural else message.id
        dropped = set(PLACEHOLDER.findall(source)) - set(PLACEHOLDER.findall(" ".join(text) if plural else text))
        if dropped:  # never store a translation that loses a {placeholder}
            unknown.append(f"{key} (drops {', '.join(sorted(dropped))})")
            continue
        message.string = text
        message.flags.discard("fuzzy")
        message.previous_id = []
    _write(catalog, po, review_status(po))
    return unknown


def compile_all(rules_root: Path, out: Path) -> None:
    for po in locales_dir(rules_root).glob("*/LC_MESSAGES/*.po"):
        lang = po.parent.parent.name
        with open(po, "rb") as fh:
            catalog = read_po(fh, locale=lang)
        for msg in list(catalog):  # never ship a fuzzy translation
            if msg.id and msg.fuzzy:
                msg.string = ""
        target = Path(out) / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)


# ---------------------------------------------------------------- translating

class CatalogError(ValueError):
    pass


@dataclass
class Translator:
    """gettext over one .po, recording which strings fell back to French and why."""
    lang: str
    messages: dict = field(default_factory=dict)   # msgid -> (translation, fuzzy)
    status: str = "source"
    fallbacks: dict = field(default_factory=dict)  # msgid -> "fuzzy" | "missing"
    plural: object = None                           # n -> index of the plural form

    @classmethod
    def load(cls, rules_root: Path, lang: str) -> "Translator":
        if lang == "fr":
            return cls(lang)
        po = po_path(rules_root, lang)
        if not po.exists():
            return cls(lang, status="not-reviewed")
        try:
            with open(po, "rb") as fh:
                catalog = read_po(fh, locale=lang, abort_invalid=True)
        except Exception as exc:  # babel raises PoFileError with the line
            raise CatalogError(f"{po}: malformed catalog: {exc}") from exc
        messages = {}
        plural = gettext_module.c2py(catalog.plural_expr)
        for msg in catalog:
            if not msg.id:
                continue
            if isinstance(msg.id, tuple):  # plural: keyed by the singular, translation is a tuple
                if all(msg.string):
                    messages[msg.id] = (tuple(msg.string), msg.fuzzy)
                continue
            if msg.string:
                missing = set(PLACEHOLDER.findall(msg.id)) - set(PLACEHOLDER.findall(msg.string))
                if missing and not msg.fuzzy:
                    raise CatalogError(f"{po}:{msg.lineno}: translation of {msg.id[:60]!r} drops "
                                       f"placeholder(s) {', '.join(sorted(missing))}")
            messages[msg.id] = (msg.string, msg.fuzzy)
        return cls(lang, messages, review_status(po), plural=plural)

    def gettext(self, msgid: str) -> str:
        if self.lang == "fr" or not msgid:
            return msgid
        string, fuzzy = self.messages.get(msgid, ("", False))
        if string and not fuzzy:
            return string
        self.fallbacks[msgid] = "fuzzy" if string else "missing"
        return msgid

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        french = singular if n in (0, 1) else plural
        if self.lang == "fr":
            return french
        forms, fuzzy = self.messages.get((singular, plural), ((), False))
        if forms and not fuzzy and self.plural:
            return forms[min(self.plural(n), len(forms) - 1)]
        self.fallbacks[singular] = "fuzzy" if forms else "missing"
        return french

    def translated(self, msgid) -> bool:
        string, fuzzy = self.messages.get(msgid, ("", False))
        return self.lang == "fr" or bool(string and not fuzzy)

    def coverage(self, msgids) -> tuple[int, int, int]:
        """(translated, fuzzy, total) over the given msgids."""
        ids = set(msgids)
        done = sum(1 for m in ids if self.translated(m))
        fuzzy = sum(1 for m in ids if self.messages.get(m, ("", False))[1] and self.messages[m][0])
        return done, fuzzy, len(ids)


def coverage_report(rules_root: Path = ROOT / "rules", langs=None) -> list[dict]:
    template = extract_catalog(rules_root)
    ids = [m.id if isinstance(m.id, str) else tuple(m.id) for m in template if m.id]
    rows = []
    for lang in langs or [p.parent.parent.name for p in sorted(locales_dir(rules_root).glob("*/LC_MESSAGES/*.po"))]:
        tr = Translator.load(rules_root, lang)
        done, fuzzy, total = tr.coverage(ids)
        rows.append({"lang": lang, "translated": done, "fuzzy": fuzzy, "total": total,
                     "percent": round(100 * done / total, 1) if total else 100.0, "review": tr.status})
    return rows


def format_report(rows) -> str:
    lines = ["language  coverage  translated/total  fuzzy  review"]
    for r in rows:
        lines.append(f"{r['lang']:<9} {r['percent']:>6.1f} %  {r['translated']:>5}/{r['total']:<10} "
                     f"{r['fuzzy']:>5}  {r['review']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scripts.i18n", description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["extract", "update", "init", "compile", "coverage", "todo", "merge"])
    ap.add_argument("arg", nargs="?")
    ap.add_argument("file", nargs="?", type=Path, help="merge: JSON {msgid: translation}; todo: where to write")
    ap.add_argument("--rules", type=Path, default=ROOT / "rules")
    a = ap.parse_args(argv)
    if a.command == "extract":
        write_pot(a.rules)
    elif a.command == "update":
        update(a.rules)
    elif a.command == "init":
        if not a.arg:
            ap.error("init needs a language code")
        update(a.rules, langs=[a.arg])
    elif a.command in ("todo", "merge"):
        if not a.arg or not a.file and a.command == "merge":
            ap.error(f"{a.command} needs a language code" + (" and a JSON file" if a.command == "merge" else ""))
        if a.command == "todo":
            text = json.dumps(todo(a.rules, a.arg), ensure_ascii=False, indent=1)
            a.file.write_text(text, encoding="utf-8") if a.file else print(text)
        else:
            unknown = merge(a.rules, a.arg, json.loads(a.file.read_text(encoding="utf-8")))
            print(f"{a.arg}: merged; {len(unknown)} refused (unknown, empty or dropping a placeholder)" + "".join(f"\n  {u[:80]}" for u in unknown))
    elif a.command == "compile":
        compile_all(a.rules, Path(a.arg or "build/locales"))
    else:
        print(format_report(coverage_report(a.rules)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
