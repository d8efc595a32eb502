"""Every procedure page exists in every language with its steps, references, letters and a checklist
that works with JavaScript off; the tables are there; a changed parameter shows after a rebuild."""
from __future__ import annotations

import re
import shutil

import yaml

from tests.conftest import ROOT, build_site, parse


def _no_scripts(html: str) -> str:
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.S | re.I)


def test_each_procedure_page_has_steps_and_references(built_site):
    from scripts.i18n.catalogs import Translator
    procs = built_site.bundle["procedures"]
    assert procs
    for lang in built_site.langs:
        tr = Translator.load(built_site.rules, lang)
        for pid, proc in procs.items():
            html = built_site.page(lang, f"procedures/{pid}")
            page = parse(_no_scripts(html))
            for step in proc["steps"]:
                assert f"etape-{step['id']}" in page.ids, (lang, pid, step["id"])
            text = page.text
            for ref in proc.get("references", []) + [r for s in proc["steps"] for r in s.get("references", [])]:
                assert " ".join(ref["text"].split()) in text, (lang, pid, ref["text"])  # citations stay in French
            # the planner mount point, for the widget
            mounts = [a for t, a in page.tags if t == "div" and a.get("id") == "planner"]
            assert len(mounts) == 1 and mounts[0].get("data-procedure") == pid, (lang, pid, mounts)


def test_checklist_without_javascript(built_site):
    for lang in built_site.langs:
        for pid, proc in built_site.bundle["procedures"].items():
            page = parse(_no_scripts(built_site.page(lang, f"procedures/{pid}")))
            assert page.checkboxes >= len(proc["steps"]), (lang, pid)
            assert "liste-des-etapes" in page.ids
            # letters are in the static page, in French, with blanks
            for tid in {s["template"] for s in proc["steps"] if s.get("template")}:
                assert f"modele-{tid}" in page.ids
            assert 'class="g-letter" lang="fr"' in built_site.page(lang, f"procedures/{pid}")
            assert 'class="g-blank"' in built_site.page(lang, f"procedures/{pid}")


def test_french_letter_text_stays_french(built_site):
    body = built_site.bundle["templates"]["courriel"]["body"]
    first = body[0]  # "Madame, Monsieur,"
    assert first in built_site.page("en", "procedures/renouvellement")


def test_home_has_situations_and_mount_point(built_site):
    for lang in built_site.langs:
        html = built_site.page(lang)
        mounts = [a for t, a in parse(html).tags if t == "div" and a.get("id") == "planner"]
        assert len(mounts) == 1 and mounts[0].get("data-procedure") == "", mounts
        for pid in built_site.bundle["procedures"]:
            assert f"procedures/{pid}/" in html


def test_legal_aid_tables(built_site):
    html = built_site.page("fr", "aide-juridictionnelle")
    text = parse(html).text
    # 2025 scale, one person and two persons (15 177 = 12 862 + 2 315), as published
    for figure in ("12 862", "15 177", "17 518", "21 605", "1 043"):
        assert figure in text.replace("\u202f", " ").replace("\xa0", " "), figure
    assert html.count("<table") >= 5


def test_tribunal_page(built_site):
    rows = built_site.bundle["tribunaux"]["departements"]
    for lang in built_site.langs:
        text = parse(built_site.page(lang, "tribunal")).text
        for row in rows[:3] + rows[-3:]:
            assert row["tribunal_administratif"] in text
            assert row["departement"] in text


def test_about_page_lists_parameters(built_site):
    text = parse(built_site.page("fr", "a-propos")).text
    assert "Confidentialité" in text
    for name in list(built_site.bundle["parameters"])[:5]:
        assert name in text


def test_changed_parameter_shows_after_rebuild(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    f = rules / "parameters" / "aide_juridictionnelle" / "plafond_rfr_100.yaml"
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    first = sorted(data["values"])[0]
    old = data["values"][first]["value"]
    text = f.read_text(encoding="utf-8")
    new_text, n = re.subn(rf"(\n\s+value: ){old}\b", rf"\g<1>{old + 1111}", text, count=1)
    assert n == 1
    f.write_text(new_text, encoding="utf-8")
    built = build_site(tmp_path / "out", rules=rules, langs=["fr"])
    page = parse(built.page("fr", "aide-juridictionnelle")).text.replace("\u202f", " ").replace("\xa0", " ")
    expected = f"{old + 1111:,}".replace(",", " ")
    assert expected in page
