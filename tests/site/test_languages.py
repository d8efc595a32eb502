"""Thirteen languages: every one builds, right-to-left exactly where due, every catalog keeps its
placeholders, coverage is reported, the home page invites readers to their own language. The same
languages in the browser: tests/browser/test_languages_in_browser.py."""
from __future__ import annotations

import re

from scripts.i18n import languages as L
from scripts.i18n.catalogs import po_path, todo
from scripts.i18n.checks import problems
from scripts.i18n.coverage import coverage_report, format_report
from tests.conftest import ROOT, parse

RULES = ROOT / "rules"
RTL = {"ar", "fa", "ps"}
CATALOGS = sorted(p.parent.parent.name for p in (RULES / "locales").glob("*/LC_MESSAGES/guichet.po"))


def _tag(html: str, name: str = "html") -> dict:
    return dict(re.findall(r'(\w+)="([^"]*)"', re.search(rf"<{name}[^>]*>", html).group(0)))


def test_all_thirteen_languages_have_a_catalog():
    assert set(L.LANGUAGES) - {L.SOURCE} <= set(CATALOGS)


def test_every_language_builds_every_page(built_site):
    assert built_site.langs == L.available(RULES / "locales")
    for lang in built_site.langs:
        for path in ["", "aide-juridictionnelle/", "tribunal/", "a-propos/"] + \
                    [f"procedures/{p}/" for p in built_site.bundle["procedures"]]:
            html = built_site.page(lang, path)
            assert _tag(html)["lang"] == lang, (lang, path)
        assert (built_site.site / lang / "404.html").exists()


def test_right_to_left_exactly_where_due(built_site):
    for lang in built_site.langs:
        for path in ("", "procedures/renouvellement/"):
            tag = _tag(built_site.page(lang, path), "body")  # Material sets the direction on <body>
            assert tag["dir"] == ("rtl" if lang in RTL else "ltr"), (lang, path)


def test_translations_keep_every_placeholder_and_add_no_markup():
    from babel.messages.pofile import read_po

    for lang in CATALOGS:
        with open(po_path(RULES, lang), "rb") as fh:
            for message in read_po(fh, locale=lang):
                if message.id and message.string and not message.fuzzy:
                    assert not problems(message.id, message.string), f"{lang}:{message.lineno}: {message.id!r}"


def test_a_language_marked_complete_has_no_untranslated_string():
    complete = [lang for lang in CATALOGS if "X-Translation-Status: complete" in po_path(RULES, lang).read_text(encoding="utf-8")]
    assert "en" in complete
    rows = {row["lang"]: row for row in coverage_report(RULES, complete)}
    for lang in complete:  # against a fresh extraction, so a new French string counts too
        assert todo(RULES, lang) == {} and rows[lang]["percent"] == 100.0, \
            f"{lang} is marked complete but has untranslated or fuzzy strings"


def test_coverage_report_gives_each_language_and_its_review_status():
    report = format_report(coverage_report(RULES))
    for lang in CATALOGS:
        assert re.search(rf"^{lang}\s+\d+\.\d %.*(not-reviewed|reviewed)", report, re.M), report


def test_home_page_carries_an_invitation_to_every_other_language(built_site):
    page = parse(built_site.page("fr"))
    links = {a["hreflang"]: a for tag, a in page.tags if tag == "a" and "hreflang" in a and "hidden" in a}
    assert set(links) == set(built_site.langs) - {"fr"}
    assert links["ar"]["dir"] == "rtl" and links["ar"]["href"] == "../ar/"
