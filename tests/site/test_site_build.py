"""The site builds in every language, strictly, with per-language search, 404 and switcher."""
from __future__ import annotations

import json
import re

from tests.conftest import ROOT, parse

from scripts.i18n import languages as L


def test_every_language_built_strict(built_site):
    # scripts.build runs MkDocs with strict=True: any warning aborts the build (and the fixture)
    assert built_site.langs[0] == "fr"
    assert "en" in built_site.langs
    for lang in built_site.langs:
        d = built_site.site / lang
        assert (d / "index.html").exists(), lang
        assert (d / "404.html").exists(), lang
        assert (d / "search" / "search_index.json").exists(), lang
        html = (d / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html or f'lang="{L.theme_language(lang)}"' in html
        assert f'dir="{L.direction(lang)}"' in html


def test_root_index_lists_languages_without_redirect(built_site):
    html = (built_site.site / "index.html").read_text(encoding="utf-8")
    page = parse(html)
    hrefs = [v for t, k, v in page.links if t == "a"]
    for lang in built_site.langs:
        assert f"{lang}/" in hrefs
    assert "<script" not in html and "http-equiv=\"refresh\"" not in html.lower() and "cookie" not in html.lower()
    assert (built_site.site / "404.html").exists()


def test_search_index_per_language(built_site):
    for lang in built_site.langs:
        index = json.loads((built_site.site / lang / "search" / "search_index.json").read_text(encoding="utf-8"))
        search_lang = index["config"]["lang"]
        assert search_lang == [lang] or lang not in ("fr", "en")
        locations = {d["location"].split("#")[0] for d in index["docs"]}
        for loc in locations:  # every entry is a page of this language's build
            assert (built_site.site / lang / loc / "index.html").exists() or (built_site.site / lang / loc).exists(), loc
    fr = json.loads((built_site.site / "fr" / "search" / "search_index.json").read_text(encoding="utf-8"))
    en = json.loads((built_site.site / "en" / "search" / "search_index.json").read_text(encoding="utf-8"))
    fr_text = " ".join(d["text"] + d["title"] for d in fr["docs"])
    en_text = " ".join(d["text"] + d["title"] for d in en["docs"])
    assert "Liste des étapes" in fr_text and "Liste des étapes" not in en_text
    assert "Checklist" in en_text and "Checklist" not in fr_text


def test_switcher_keeps_the_page(built_site):
    page = parse(built_site.page("fr", "procedures/renouvellement"))
    links = [v for t, k, v in page.links if t == "a" and "/procedures/renouvellement/" in v and "/../" in v]
    assert any(v.endswith("/../en/procedures/renouvellement/") for v in links), links
    target = (built_site.site / "fr" / "procedures" / "renouvellement" / "../../../en/procedures/renouvellement/index.html")
    assert target.resolve().exists()


def test_hreflang_in_sitemap_not_in_head(built_site):
    html = built_site.page("fr")
    assert 'rel="alternate"' not in html  # Material would fetch sitemap.xml for each one
    sitemap = (built_site.site / "fr" / "sitemap.xml").read_text(encoding="utf-8")
    assert 'hreflang="en"' in sitemap and 'hreflang="fr"' in sitemap


def test_no_google_fonts_no_instant(built_site):
    html = built_site.page("fr")
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    assert "navigation.instant" not in html


def test_404_per_language(built_site):
    fr = (built_site.site / "fr" / "404.html").read_text(encoding="utf-8")
    en = (built_site.site / "en" / "404.html").read_text(encoding="utf-8")
    assert "Page introuvable" in fr and "Page not found" in en


def test_review_notice_links_to_french(built_site):
    from scripts.i18n.catalogs import po_path, review_status
    for lang in built_site.langs:
        if lang == "fr":
            continue
        html = built_site.page(lang, "procedures/renouvellement")
        if review_status(po_path(built_site.rules, lang)) == "reviewed":
            assert 'class="g-review"' not in html
        else:
            assert 'class="g-review"' in html
            assert re.search(r'href="[^"]*/\.\./fr/procedures/renouvellement/"', html)
    assert 'class="g-review"' not in built_site.page("fr")


def test_build_time_reported(built_site):
    per = built_site.result["per_language"]
    assert set(per) == set(built_site.langs)
    print("build seconds:", built_site.result["seconds"], per)


def test_relative_paths_and_private_work_folder(tmp_path, monkeypatch):
    # `make site` passes a relative --out: MkDocs would resolve it against the config's folder
    from pathlib import Path
    from scripts.build import build
    monkeypatch.chdir(tmp_path)
    build(out=Path("site"), langs=["fr"], rules_root=ROOT / "rules", build_dir=Path("b"), quiet=True)
    assert (tmp_path / "site" / "fr" / "procedures" / "renouvellement" / "index.html").exists()
    assert (tmp_path / "b" / "mkdocs" / "fr.yml").exists() and (tmp_path / "b" / "docs" / "fr" / "index.md").exists()
    assert not [p for p in (tmp_path / "b").iterdir() if p.name.startswith(".work-")]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")]
