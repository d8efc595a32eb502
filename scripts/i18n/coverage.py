"""Translation coverage: for each language, how many of the French strings its catalog translates (not
fuzzy), and its review status."""
from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from scripts.i18n.catalogs import DOMAIN, Translator, catalog_languages, locales_dir, read_catalog
from scripts.i18n.extract import ROOT, extract_catalog


def msgids(template: Catalog) -> list:
    return [m.id if isinstance(m.id, str) else tuple(m.id) for m in template if m.id]


def template_msgids(rules_root: Path) -> list:
    """The strings of the template `make i18n` last wrote (rules/locales/guichet.pot): no extraction."""
    return msgids(read_catalog(locales_dir(rules_root) / f"{DOMAIN}.pot", None))


def coverage(translators: dict[str, Translator], ids) -> list[dict]:
    """One row per language, from catalogs already loaded."""
    rows = []
    for lang, tr in translators.items():
        done, fuzzy, total = tr.coverage(ids)
        rows.append({"lang": lang, "translated": done, "fuzzy": fuzzy, "total": total,
                     "percent": round(100 * done / total, 1) if total else 100.0, "review": tr.status})
    return rows


def coverage_report(rules_root: Path = ROOT / "rules", langs=None) -> list[dict]:
    """Against a fresh extraction (`make coverage`): a French string added since `make i18n` counts too."""
    translators = {lang: Translator.load(rules_root, lang) for lang in langs or catalog_languages(rules_root)}
    return coverage(translators, msgids(extract_catalog(rules_root)))


def format_report(rows) -> str:
    lines = ["language  coverage  translated/total  fuzzy  review"]
    for r in rows:
        lines.append(f"{r['lang']:<9} {r['percent']:>6.1f} %  {r['translated']:>5}/{r['total']:<10} "
                     f"{r['fuzzy']:>5}  {r['review']}")
    return "\n".join(lines)
