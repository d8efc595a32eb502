"""Gettext catalogs (rules/locales/<lang>/LC_MESSAGES/guichet.po): read, write, the translators'
to-do list and merge, compiled .mo files, and a translator that never shows a stale translation.

French is the source: every French text is its own msgid. A translation marked fuzzy (the French
text changed since it was translated) or missing is never shown: the French text is, with a notice.
"""
from __future__ import annotations

import gettext as gettext_module
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from scripts.i18n import checks

DOMAIN = "guichet"
REVIEW_HEADER = re.compile(r'^"X-Review-Status: *([^\\"]*)\\n"', re.M)


def locales_dir(rules_root: Path) -> Path:
    return Path(rules_root) / "locales"


def po_path(rules_root: Path, lang: str) -> Path:
    return locales_dir(rules_root) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_languages(rules_root: Path) -> list[str]:
    """Every language with a catalog, sorted by code."""
    return sorted(p.parent.parent.name for p in locales_dir(rules_root).glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def review_status(po: Path) -> str:
    m = REVIEW_HEADER.search(Path(po).read_text(encoding="utf-8")) if Path(po).exists() else None
    return m.group(1).strip() if m else "not-reviewed"


OUR_HEADERS = re.compile(r'^"(X-(?:Review|Translation)-Status: *[^\\"]*)\\n"\n', re.M)


def write_catalog(catalog: Catalog, po: Path, status: str) -> None:
    """Write a catalog, keeping our own headers, which Babel drops: the review status and, when a
    maintainer declares it, ``X-Translation-Status: complete`` (then no string may be left untranslated)."""
    kept = [h for h in OUR_HEADERS.findall(po.read_text(encoding="utf-8")) if h.startswith("X-Translation")] if po.exists() else []
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, omit_header=False, sort_output=False, include_previous=False)
    text = buf.getvalue().decode("utf-8")
    headers = "".join(f'"{h}\\n"\n' for h in [f"X-Review-Status: {status}", *kept])
    text = text.replace('"Generated-By:', headers + '"Generated-By:', 1)
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text(text, encoding="utf-8")


def read_catalog(po: Path, lang: str) -> Catalog:
    """Babel writes a fuzzy entry's previous msgid (``#| msgid``) but reads it back as a comment, which
    every later write then grew into stray ``# | msgid`` lines; we write none and drop any it left (the
    translators' to-do list shows the stale translation instead)."""
    with open(po, "rb") as fh:
        catalog = read_po(fh, locale=lang)
    for message in [*catalog, *catalog.obsolete.values()]:
        first = next((i for i, c in enumerate(message.user_comments) if c.startswith("|")), None)
        if first is not None:
            del message.user_comments[first:]
    return catalog


def _numbered(catalog: Catalog) -> dict:
    """Each msgid by its position in the catalog: translators answer ``{"12": "..."}`` without copying the French."""
    return {str(n): m.id for n, m in enumerate(m for m in catalog if m.id)}


def todo(rules_root: Path, lang: str) -> dict:
    """Strings still to translate: ``{"N": {"fr": msgid, "en": English, "stale": old translation}}``."""
    catalog = read_catalog(po_path(rules_root, lang), lang)
    english = {m.id: m.string for m in read_catalog(po_path(rules_root, "en"), "en") if m.id and not m.fuzzy} if lang != "en" else {}
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
    """Write ``{msgid or number: translation}`` into the catalog (clearing fuzzy marks); returns what
    was refused: an unknown key, an empty text, or a translation ``checks.problems`` refuses (named
    with the catalog's file and line)."""
    po = po_path(rules_root, lang)
    catalog = read_catalog(po, lang)
    numbered = _numbered(catalog)
    refused = []
    for key, text in translations.items():
        message = catalog.get(numbered.get(key, key))
        plural = message is not None and isinstance(message.id, tuple)
        if plural and isinstance(text, list) and len(text) == catalog.num_plurals and all(isinstance(t, str) and t.strip() for t in text):
            text = tuple(text)
        elif message is None or plural or not isinstance(text, str) or not text.strip():
            refused.append(f"{key} (unknown or empty)")
            continue
        wrong = checks.problems(message.id, text)
        if wrong:  # never store a translation that is more, or less, than its French text
            refused.append(f"{po}:{message.lineno}: {key}: {'; '.join(wrong)}")
            continue
        message.string = text
        message.flags.discard("fuzzy")
        message.previous_id = []
    write_catalog(catalog, po, review_status(po))
    return refused


def compile_all(rules_root: Path, out: Path) -> None:
    for lang in catalog_languages(rules_root):
        catalog = read_catalog(po_path(rules_root, lang), lang)
        for msg in list(catalog):  # never ship a fuzzy translation
            if msg.id and msg.fuzzy:
                msg.string = ""
        target = Path(out) / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)


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
            is_plural = isinstance(msg.id, tuple)  # keyed by (singular, plural), translation is a tuple
            string = tuple(msg.string) if is_plural else msg.string
            if not (all(string) if is_plural else string):
                if not is_plural:
                    messages[msg.id] = (string, msg.fuzzy)
                continue
            wrong = [] if msg.fuzzy else checks.problems(msg.id, string)  # a fuzzy one is never shown
            if wrong:
                raise CatalogError(f"{po}:{msg.lineno}: translation of {str(msg.id)[:60]!r} {'; '.join(wrong)}")
            messages[msg.id] = (string, msg.fuzzy)
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
