"""Every catalog is held to the glossary of legal terms (rules/locales/glossary.yaml).

For each entry whose French text contains a glossary term, the translation must not contain a
rendering the glossary forbids for that language (one that reverses or distorts the law: "regular"
residence for "habituelle", "only one" ceiling for "un seul", a payment receipt for a récépissé...)
and, where the term is required, must contain one of the accepted renderings (the preferred
translation, its inflected forms, or the French term). Every difference is reported in one failure
message (file, line, start of the French text, term), not just the first.

Matching ignores case, Unicode composition, zero-width joiners and Arabic short vowels, so that
"موعدًا" matches "موعد" and "نامه‌ی" matches "نامهی"; inflected languages list stems or forms.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "rules" / "locales"
GLOSSARY = LOCALES / "glossary.yaml"

# zero-width (non-)joiners, marks of direction, soft hyphen, Arabic short vowels and tatweel
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2066-\u2069\u064b-\u0652\u0670\u0640]")


def normalize(text: str) -> str:
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def _compile(pattern: str) -> re.Pattern:
    return re.compile(normalize(pattern), re.IGNORECASE)


def load_glossary(path: Path = GLOSSARY) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def catalogs(locales: Path = LOCALES) -> dict[str, Path]:
    return {p.parent.parent.name: p for p in sorted(locales.glob("*/LC_MESSAGES/guichet.po"))}


def _entries(po: Path, lang: str):
    """(line, French text, translation) of every translated, non-fuzzy entry; plural forms joined."""
    with open(po, "rb") as fh:
        catalog = read_po(fh, locale=lang)
    for m in catalog:
        if not m.id or m.fuzzy:
            continue
        french = " | ".join(m.id) if isinstance(m.id, tuple) else m.id
        string = " | ".join(m.string) if isinstance(m.string, tuple) else m.string
        if string and string.strip():
            yield m.lineno, french, string


def _shown(po: Path) -> str:
    try:
        return str(po.relative_to(ROOT))
    except ValueError:
        return str(po)


def check_catalog(glossary: dict, lang: str, po: Path) -> list[str]:
    """Every way this catalog differs from the glossary, one line each."""
    problems = []
    terms = []
    for term in glossary["terms"]:
        tr = (term.get("translations") or {}).get(lang)
        if tr is None:
            continue
        terms.append((term, _compile(term["match"]),
                      _compile(term["unless"]) if term.get("unless") else None,
                      [_compile(a) for a in tr.get("accept") or []],
                      [(_compile(f["pattern"]), _compile(f["unless"]) if f.get("unless") else None, f["reason"])
                       for f in tr.get("forbidden") or []],
                      tr.get("required", term.get("required", False))))
    for line, french, string in _entries(po, lang):
        fr, text = normalize(french), normalize(string)
        where = f"{_shown(po)}:{line}: {french[:50]!r}"
        for term, match, unless, accept, forbidden, required in terms:
            if not match.search(fr) or (unless and unless.search(fr)):
                continue
            for pattern, f_unless, reason in forbidden:
                found = pattern.search(text)
                if found and not (f_unless and f_unless.search(fr)):
                    problems.append(f"{where}: [{term['id']}] forbidden {found.group(0)!r} ({reason})")
            # a citation left in French (msgstr == msgid) needs no translation of its terms
            if required and text != fr and not any(a.search(text) for a in accept):
                problems.append(f"{where}: [{term['id']}] none of the accepted renderings of "
                                f"{term['fr']!r} (preferred: {term['translations'][lang]['preferred']!r})")
    return problems


GLOSSARY_DATA = load_glossary()
CATALOGS = catalogs()


def test_glossary_is_well_formed():
    langs = set(GLOSSARY_DATA["languages"])
    assert langs == set(CATALOGS) - {"fr"}, "the glossary covers exactly the languages that have a catalog"
    ids = [t["id"] for t in GLOSSARY_DATA["terms"]]
    assert len(ids) == len(set(ids)), "duplicate term ids"
    errors = []
    for term in GLOSSARY_DATA["terms"]:
        for key in ("id", "fr", "match", "translations"):
            if key not in term:
                errors.append(f"{term.get('id')}: missing {key}")
        if not _compile(term["match"]).search(normalize(term["fr"])):
            errors.append(f"{term['id']}: match {term['match']!r} does not find its own French term {term['fr']!r}")
        missing = langs - set(term.get("translations") or {})
        if missing:
            errors.append(f"{term['id']}: no entry for {sorted(missing)}")
        for lang, tr in (term.get("translations") or {}).items():
            if not tr.get("preferred"):
                errors.append(f"{term['id']}/{lang}: no preferred rendering")
            required = tr.get("required", term.get("required", False))
            if required and not tr.get("accept"):
                errors.append(f"{term['id']}/{lang}: required but no accepted rendering")
            # the preferred rendering must itself pass: accepted, and not forbidden
            pref = normalize(tr.get("preferred", ""))
            if tr.get("accept") and not any(_compile(a).search(pref) for a in tr["accept"]):
                errors.append(f"{term['id']}/{lang}: preferred {tr['preferred']!r} matches no accepted pattern")
            for f in tr.get("forbidden") or []:
                if not f.get("reason"):
                    errors.append(f"{term['id']}/{lang}: forbidden {f.get('pattern')!r} has no reason")
                if _compile(f["pattern"]).search(pref):
                    errors.append(f"{term['id']}/{lang}: preferred {tr['preferred']!r} is itself forbidden by {f['pattern']!r}")
    assert not errors, "\n".join(errors)


def test_every_catalog_follows_the_glossary():
    problems = []
    for lang, po in CATALOGS.items():
        if lang in GLOSSARY_DATA["languages"]:
            problems += check_catalog(GLOSSARY_DATA, lang, po)
    assert not problems, f"{len(problems)} translation(s) differ from rules/locales/glossary.yaml:\n" + "\n".join(problems)


def test_check_reports_every_difference(tmp_path):
    """The checker itself: a forbidden rendering, a missing required one and an inflected form."""
    po = tmp_path / "xx.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "La résidence habituelle est exigée."\nmsgstr "Требуется постоянное проживание."\n\n'
        'msgid "Seule la résidence habituelle compte."\nmsgstr "Учитывается только место жительства."\n\n'
        'msgid "Condition remplie (résidence habituelle)."\nmsgstr "Условие выполнено (обычного проживания)."\n',
        encoding="utf-8")
    glossary = {"languages": ["xx"], "terms": [{
        "id": "habituelle", "fr": "résidence habituelle", "match": "habituel", "required": True,
        "translations": {"xx": {"preferred": "обычное проживание", "accept": ["обычн"],
                                "forbidden": [{"pattern": "постоянн", "reason": "permanent"}]}}}]}
    problems = check_catalog(glossary, "xx", po)
    assert len(problems) == 3, problems  # forbidden + not accepted on line 1, not accepted on line 2
    assert sum("forbidden 'постоянн'" in p for p in problems) == 1
    assert all("[habituelle]" in p for p in problems)
