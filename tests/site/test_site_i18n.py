"""Translations: fuzzy or missing -> French text plus a visible notice; never the stale translation;
a dropped placeholder is a build error; coverage is reported; the extractor reads the rules."""
from __future__ import annotations

import shutil

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROOT, build_site, parse

from scripts.i18n import catalogs
from scripts.i18n.extract import extract_catalog


def test_extraction_covers_rules_templates_and_code():
    cat = extract_catalog(ROOT / "rules", ROOT / "planner")
    ids = {m.id for m in cat if m.id}
    from scripts.rules import load_rules
    bundle = load_rules(ROOT / "rules")
    for proc in bundle["procedures"].values():
        assert proc["title"] in ids and proc["summary"] in ids
        for step in proc["steps"]:
            assert step["title"] in ids and step["description"] in ids
    assert "Liste des étapes" in ids  # template string
    assert "Pas d'aide juridictionnelle selon le barème." in ids  # planner message (N_)
    parts = [p if isinstance(p, str) else p["text"] for p in bundle["templates"]["courriel"]["body"] if "each" not in p]
    assert parts and all(p in ids for p in parts)
    wording = bundle["procedures"]["renouvellement"]["letter"]["attempts"]["cases"]  # texts chosen by a condition
    assert wording[0]["then"] in ids and wording[-1]["else"] in ids
    sources = bundle["references"]
    assert sources["ce-435594"]["note"] in ids and sources["ce-435594"]["text"] not in ids  # citations stay French


def test_coverage_report_lists_every_catalog(built_site):
    rows = {r["lang"]: r for r in built_site.result["coverage"]}
    assert "en" in rows
    assert rows["en"]["percent"] >= 95, rows["en"]


def _rules_with_en_change(tmp_path, change):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    po = catalogs.po_path(rules, "en")
    with open(po, "rb") as fh:
        cat = read_po(fh, locale="en")
    change(cat)
    status = catalogs.review_status(po)
    catalogs.write_catalog(cat, po, status)
    assert catalogs.review_status(po) == status
    return rules


def test_fuzzy_translation_shows_french_with_notice(tmp_path):
    msgid = "Liste des étapes"

    def make_fuzzy(cat):
        cat[msgid].flags.add("fuzzy")
        cat[msgid].string = "STALE TRANSLATION"
    rules = _rules_with_en_change(tmp_path, make_fuzzy)
    built = build_site(tmp_path / "out", rules=rules, langs=["fr", "en"])
    html = built.page("en", "procedures/renouvellement")
    assert "STALE TRANSLATION" not in html
    assert msgid in parse(html).text
    assert "Translation out of date" in html or "out of date" in html


def test_missing_translation_shows_french_with_notice(tmp_path):
    msgid = "Liste des étapes"

    def drop(cat):
        cat[msgid].string = ""
    rules = _rules_with_en_change(tmp_path, drop)
    built = build_site(tmp_path / "out", rules=rules, langs=["fr", "en"])
    html = built.page("en", "procedures/renouvellement")
    assert msgid in parse(html).text
    assert "not yet translated" in html.lower()


def test_dropped_placeholder_is_an_error(tmp_path):
    def drop_placeholder(cat):
        for m in cat:
            if isinstance(m.id, str) and "%(date)s" in m.id and m.string:
                m.string = m.string.replace("%(date)s", "")
                m.flags.discard("fuzzy")
                return
        raise AssertionError("no message with a placeholder")
    rules = _rules_with_en_change(tmp_path, drop_placeholder)
    with pytest.raises(catalogs.CatalogError, match=r"guichet\.po:\d+: .*drops placeholder"):
        catalogs.Translator.load(rules, "en")


def test_failed_build_leaves_previous_site(tmp_path):
    from scripts.build import build
    out = tmp_path / "site"
    out.mkdir()
    (out / "marker").write_text("previous")
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    bad = next((rules / "procedures").glob("*.yaml"))
    bad.write_text(bad.read_text(encoding="utf-8") + "\n  - : [\n", encoding="utf-8")
    with pytest.raises(Exception):
        build(out=out, langs=["fr"], rules_root=rules, build_dir=tmp_path / "build", quiet=True)
    assert (out / "marker").read_text() == "previous"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")]
