"""The planner in other languages, in Debian Chromium at 390x844:

- each paragraph of the letters has its translation beside it (Arabic, Ukrainian, English), rendered
  from the paragraph's message with the catalog (dates in the language), the French kept to send; a
  paragraph the catalog does not translate shows its French, marked. The catalogs are today's with two
  paragraphs given known translations and one left untranslated for the test;
- the case file printed from the Arabic page is French and left to right: in the PDF (Chromium's
  page.pdf, read back with pdftotext) the phone number reads "07 11 22 33 44";
- the Ukrainian plan shows no French or English word of the widget's own: every text not marked French
  (lang="fr": not translated yet) is Ukrainian, dates included.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest

from tests.browser.test_browser_planner import RESULTS, _fill, add_attempt, browser, open_planner, submit  # noqa: F401
from scripts.site.formatting import Formatter
from tests.conftest import ROOT, build_site

SPACE = re.compile(r"[\s\u00a0\u202f]")

TODAY = dt.date.today()
PHONE = "07 11 22 33 44"
LETTER = {  # a plain paragraph and one with a date, in each language
    "en": {"Madame, Monsieur,": "Dear Sir or Madam,",
           "Je vous ai déjà écrit le {fait_courriel_1}, sans réponse.": "I already wrote to you on {fait_courriel_1}, without reply."},
    "uk": {"Madame, Monsieur,": "Шановні пані та панове,",
           "Je vous ai déjà écrit le {fait_courriel_1}, sans réponse.": "Я вже писав(-ла) вам {fait_courriel_1}, відповіді немає."},
    "ar": {"Madame, Monsieur,": "سيدتي، سيدي،",
           "Je vous ai déjà écrit le {fait_courriel_1}, sans réponse.": "سبق أن راسلتكم في {fait_courriel_1} دون رد."},
}


CLOSING = "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées."


@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    """The site built for fr, en, uk, ar with LETTER in their catalogs and the e-mail's closing
    paragraph not translated, served."""
    from scripts.dev.server import serve
    from scripts.i18n import catalogs

    tmp = tmp_path_factory.mktemp("letters")
    rules = tmp / "rules"
    shutil.copytree(ROOT / "rules", rules)
    for lang, entries in LETTER.items():
        po = catalogs.po_path(rules, lang)
        cat = catalogs.read_catalog(po, lang)
        for msgid, text in {**entries, CLOSING: ""}.items():
            message = cat.get(msgid) or cat.add(msgid)
            message.string = text
            message.flags.discard("fuzzy")
        catalogs.write_catalog(cat, po, catalogs.review_status(po))
    built = build_site(tmp / "out", rules=rules, langs=["fr", *LETTER])
    with serve(built.site) as srv:
        yield srv


def _plan_with_letters(browser, srv, lang, phone=PHONE):
    s, page, errors = open_planner(browser, srv, f"{srv.url}{lang}/procedures/renouvellement/")
    _fill(page, "renouvellement", {"telephone": phone, "done.courriel-1": (TODAY - dt.timedelta(days=9)).isoformat()})
    submit(page)
    monday = TODAY - dt.timedelta(days=TODAY.weekday() + 14)
    for d, t in ((monday, "09:00"), (monday + dt.timedelta(days=8), "16:20")):
        add_attempt(page, d.isoformat(), t, "Bobigny")
    page.wait_for_selector(".gp-doc[data-doc=annexe-tentatives]")
    return s, page, errors


def _written(text):
    """Spaces compared as spaces: CLDR versions (Babel's, the browser's) differ on no-break spaces."""
    return SPACE.sub(" ", text)


@pytest.mark.parametrize("lang", sorted(LETTER))
def test_translation_beside_each_letter_paragraph(browser, translated, lang):
    s, page, errors = _plan_with_letters(browser, translated, lang)
    mail = page.locator(".gp-doc[data-doc=courriel]")
    pairs = mail.locator(".gp-pair")
    assert pairs.count() >= 5
    french = [pairs.nth(i).locator(".gp-fr").inner_text() for i in range(pairs.count())]
    assert all(pairs.nth(i).locator(".gp-fr").get_attribute("lang") == "fr" for i in range(pairs.count()))
    hello = french.index("Madame, Monsieur,")
    assert pairs.nth(hello).locator(".gp-tr").inner_text() == LETTER[lang]["Madame, Monsieur,"]
    wrote = next(i for i, t in enumerate(french) if t.startswith("Je vous ai déjà écrit le "))
    sent = (TODAY - dt.timedelta(days=9)).isoformat()
    want = LETTER[lang]["Je vous ai déjà écrit le {fait_courriel_1}, sans réponse."].replace(
        "{fait_courriel_1}", Formatter(lang).date(sent))  # as the pages write dates (Babel)
    assert _written(pairs.nth(wrote).locator(".gp-tr").inner_text()) == _written(want)
    # a paragraph not translated yet: its French again, marked, in French
    closing = pairs.nth(french.index(CLOSING)).locator(".gp-tr")
    assert "gp-untranslated" in closing.get_attribute("class")
    assert closing.locator("p[lang=fr]").inner_text() == CLOSING and closing.locator(".gp-untranslated-mark").inner_text()
    # the court application: its filing instructions are shown (in the reader's language once translated)
    assert page.locator(".gp-doc[data-doc=requete-refere] .gp-instructions li").count() >= 3
    RESULTS.mkdir(exist_ok=True)
    mail.screenshot(path=str(RESULTS / f"planner-letters-{lang}.png"))
    assert not errors, errors
    s.check_privacy([])
    s.ctx.close()


def test_french_page_has_no_translation_column(browser, translated):
    s, page, errors = _plan_with_letters(browser, translated, "fr")
    assert page.locator(".gp-letters .gp-pair, .gp-letters .gp-tr").count() == 0
    assert page.locator(".gp-doc[data-doc=courriel] .gp-doc-text").get_attribute("lang") == "fr"
    assert not errors, errors
    s.ctx.close()


def test_arabic_case_file_pdf_keeps_the_phone_number_in_order(browser, translated, tmp_path):
    s, page, errors = _plan_with_letters(browser, translated, "ar")
    assert page.evaluate("document.body.dir") == "rtl"
    page.click(".gp-print-case")
    pdf = tmp_path / "ar-case-file.pdf"
    page.pdf(path=str(pdf), format="A4")
    RESULTS.mkdir(exist_ok=True)
    shutil.copyfile(pdf, RESULTS / "planner-ar-case-file.pdf")
    for layout in ([], ["-layout"]):
        text = subprocess.run(["pdftotext", *layout, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert PHONE in text and " ".join(text.split()).count(PHONE) >= 2, text[:1500]  # the letter's sender, the requête's party
        assert "Madame, Monsieur," in text and "BORDEREAU DES PIÈCES" in text
        assert not re.search(r"[\u0600-\u06ff]", text), "the case file is French only"
    assert not errors, errors
    s.ctx.close()


FRENCH_WORDS = ["janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre", "octobre",
                "novembre", "décembre", "Maintenant", "Plus tard", "En retard", "jours"]
ENGLISH_WORDS = ["January", "February", "March", "April", "June", "July", "August", "September", "October",
                 "November", "December", "days", "weeks", "months", "unverified", "verified", "sufficient", "HH:MM"]
CITATION = re.compile(r"\b(CE|Conseil d'État,?) \d{1,2}(er)? \w+ \d{4}")
NOT_FRENCH = """() => {
  const copy = document.querySelector('.gp-results').cloneNode(true);
  for (const el of copy.querySelectorAll('.gp-letters, [lang=fr]')) el.remove();
  return copy.textContent;
}"""


def test_no_french_or_english_word_leaks_into_any_plan(browser, built_site):
    """Every language, on the site as built with today's catalogs: the plan shows no French or English
    word outside what is marked French (letters, texts not translated yet), and its dates are written
    the language's way. One browser context, so the engine starts once."""
    from scripts.dev.server import serve

    expiry = (TODAY + dt.timedelta(days=75)).isoformat()
    leaks = {}
    with serve(built_site.site) as srv:
        s, page, _ = open_planner(browser, srv, f"{srv.url}fr/procedures/renouvellement/")
        for lang in [lang for lang in built_site.langs if lang != "fr"]:
            page.goto(f"{srv.url}{lang}/procedures/renouvellement/")
            page.wait_for_selector("#planner[data-gp-ready]", state="attached")
            _fill(page, "renouvellement", {"expiration": expiry, "done.courriel-1": (TODAY - dt.timedelta(days=3)).isoformat()})
            submit(page)
            add_attempt(page, (TODAY - dt.timedelta(days=2)).isoformat(), "09:00", "Bobigny")
            page.wait_for_selector(".gp-doc[data-doc=annexe-tentatives]")
            page.locator(".gp-why").first.evaluate("d => d.open = true")
            RESULTS.mkdir(exist_ok=True)
            page.screenshot(path=str(RESULTS / f"planner-{lang}.png"), full_page=True)
            # a court decision is cited as the court wrote it, also inside a translated sentence
            text = CITATION.sub("", page.evaluate(NOT_FRENCH))
            words = FRENCH_WORDS + ([] if lang == "en" else ENGLISH_WORDS)
            found = [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
            written = Formatter(lang).date(expiry)  # as the pages write it (Babel), Gregorian, Latin digits
            if _written(written) not in _written(text):
                found.append(f"the expiry date written the {lang} way: {written}")
            badges = {b.strip() for b in page.locator(".gp-steps .gp-badge").all_inner_texts()}
            found += sorted({"Maintenant", "Plus tard", "Fait", "En retard"} & badges)
            if found:
                leaks[lang] = found
        s.ctx.close()
    assert not leaks, leaks
