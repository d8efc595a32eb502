"""The personas of PERSONAS.md, played on the built site as each person would: a 390x844 phone (the
volunteer on a 1280x800 laptop), in French and in their own language, filling only what they know,
reading the plan, opening the letters, printing. What is checked is what hurt them before: nobody on
time sees an overdue step, an expired title has something to do today, a birth date before 1990 is
taken, a letter states no fact the person did not give, the right tribunal, the letters printed in
French left to right whatever the page's language. Screenshots: test-results/persona-*.png.
"""
from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from planner.messages import date as french_date
from tests.browser.test_browser_planner import (RESULTS, add_attempt, browser, open_planner, open_sections,  # noqa: F401
                                                playwright_api, server, site, submit)

TODAY = dt.date.today()


def d(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


MEHDI_LOG = [(d(-21 + 3 * i), "09:00" if i % 2 else "18:30") for i in range(6)]
PERSONAS = {
    "amina": ("renouvellement", {"expiration": d(75), "anef": "true", "departement": "69", "rfr": "14000", "foyer": "1",
                                 "residence": "regular"}, []),
    "karim": ("admission-exceptionnelle", {"date_naissance": "1985-03-01", "date_entree": "2018-09-01",
                                           "entree_irreguliere": "true", "departement": "93", "canal": "calendrier",
                                           "nationalite": "algérienne"}, []),
    "olena": ("renouvellement", {"expiration": d(-10), "anef": "false", "departement": "75", "debut_tentatives": d(-50),
                                 "captures_conservees": "false"}, []),
    "mehdi": ("renouvellement", {"expiration": d(40), "anef": "false", "departement": "75", "nom": "Benali",
                                 "prenom": "Mehdi", "done.courriel-1": d(-10)}, MEHDI_LOG),
    "volunteer": ("admission-exceptionnelle", {"departement": "93", "debut_tentatives": d(-120), "canal": "calendrier",
                                               "done.conseil": d(-30), "done.courriel-1": d(-60),
                                               "done.courriel-2": d(-30), "done.lettre-recommandee": d(-12)}, []),
}
PLAYS = [("amina", "fr"), ("karim", "fr"), ("karim", "ar"), ("olena", "fr"), ("olena", "uk"), ("mehdi", "fr"),
         ("mehdi", "en"), ("volunteer", "fr")]


def play(browser, server, name: str, lang: str):
    """Open the persona's procedure page in ``lang``, answer only what they know, show the plan."""
    procedure, known, log = PERSONAS[name]
    s, page, errors = open_planner(browser, server, f"{server.url}{lang}/procedures/{procedure}/")
    if name == "volunteer":
        page.set_viewport_size({"width": 1280, "height": 800})
    open_sections(page)
    for qid, value in known.items():
        field = page.locator(f"[data-q='{qid}']")
        if field.locator("input[type=radio]").count():
            field.locator(f'input[value="{value}"]').check()
        elif field.locator("select").count():
            field.locator("select").select_option(value)
        else:
            field.locator("input").fill(value)
    submit(page)
    for day, time_ in log:
        add_attempt(page, day, time_, "Paris")
    if log:
        playwright_api.expect(page.locator("[data-count=attempts]")).to_have_text(str(len(log)), timeout=30_000)
    return s, page, errors


def status(page, step: str) -> str | None:
    found = page.locator(f".gp-step[data-step='{step}']")
    return found.get_attribute("data-status") if found.count() else None


def document(page, doc: str) -> str:
    return page.locator(f".gp-doc[data-doc='{doc}']").first.inner_text()


@pytest.mark.parametrize("name,lang", PLAYS)
def test_persona(browser, server, name, lang):
    s, page, errors = play(browser, server, name, lang)
    assert page.locator(".gp-form .gp-error:visible").count() == 0, page.locator(".gp-form .gp-error:visible").all_inner_texts()
    statuses = {page.locator(".gp-step").nth(i).get_attribute("data-step"): page.locator(".gp-step").nth(i).get_attribute("data-status")
                for i in range(page.locator(".gp-step").count())}
    CHECKS[name](page, statuses)
    # the documents are French and left to right on every page, each paragraph's translation beside
    for doc in page.locator(".gp-doc").all():
        french = doc.locator("[lang=fr]").first
        assert french.count() and french.evaluate("e => getComputedStyle(e).direction") == "ltr"
    page.screenshot(path=str(RESULTS / f"persona-{name}-{lang}.png"), full_page=True)
    assert not errors, errors
    s.check_privacy([])
    s.ctx.close()


def _amina(page, statuses):
    # on time: nothing overdue; today, try and screenshot, the ANTS, the first e-mail; the court before the window closes
    assert "overdue" not in statuses.values()
    assert {statuses[k] for k in ("captures-ecran", "assistance-anef", "courriel-1")} == {"now"}
    warning = page.locator(".gp-warning[data-warning='fin-periode-proche']")
    assert warning.count() == 1 and warning.get_attribute("class").split()[-1] != "gp-level-danger"
    step = page.locator(".gp-step[data-step='refere-mesures-utiles'] time").first.get_attribute("datetime")
    end = page.locator(".gp-window-dates time").last.get_attribute("datetime")
    assert step <= end
    for doc in ("courriel", "lettre-recommandee", "requete-refere"):
        text = document(page, doc)
        assert "solution de substitution" in text and "créneau" not in text, doc
    assert "Lyon" in page.inner_text(".gp-tribunal")
    assert "55" in page.inner_text(".gp-aid")


def _karim(page, statuses):
    # advice first: the OQTF risk and the circulaire before anything else, no letter before an association has seen him
    for warning in ("conseil-d-abord", "risque-oqtf"):
        assert page.locator(f".gp-warning.gp-level-danger[data-warning='{warning}']").count() == 1
    assert statuses.get("conseil") == "now" and "courriel-1" not in statuses and "refere-mesures-utiles" not in statuses
    assert page.locator(".gp-doc[data-doc='courriel'], .gp-doc[data-doc='requete-refere']").count() == 0
    assert "Montreuil" in page.inner_text(".gp-tribunal")


def _olena(page, statuses):
    # expired: the danger said plainly, something to do today, nothing useful shown as overdue
    assert page.locator(".gp-warning.gp-level-danger[data-warning='titre-expire']").count() == 1
    assert page.locator(".gp-warning.gp-level-danger[data-warning='depot-tardif']").count() == 1
    assert "now" in statuses.values() and "overdue" not in statuses.values()
    today = page.locator(".gp-step[data-status='now'] time").first.get_attribute("datetime")
    assert today == TODAY.isoformat()
    # no screenshots of her first attempts: the letters say so, they never claim them
    letter = document(page, "lettre-recommandee")
    assert "Je n'ai pas conservé de captures d'écran de ces premières tentatives" in letter
    assert f"elle a pris fin le {french_date(d(-10))}" in letter  # the law's last day, as the plan says


def _mehdi(page, statuses):
    # what he did is marked done with its date, the second e-mail is due, nothing overdue
    assert statuses["courriel-1"] == "done" and statuses["courriel-2"] in ("now", "later")
    assert "overdue" not in statuses.values()
    letter = document(page, "lettre-recommandee")
    assert f"Depuis le {french_date(MEHDI_LOG[0][0])}" in letter
    assert f"Mon courriel du {french_date(d(-10))} est resté sans réponse." in letter
    assert "[date de votre première tentative]" not in letter
    assert "6 tentatives" in letter
    assert "Paris" in page.inner_text(".gp-tribunal")


def _volunteer(page, statuses):
    # the right tribunal, what was sent marked done, the court application with its exhibits
    assert "Montreuil" in page.inner_text(".gp-tribunal")
    assert all(statuses[k] == "done" for k in ("courriel-1", "courriel-2", "lettre-recommandee"))
    requete = document(page, "requete-refere")
    assert "BORDEREAU DES PIÈCES" in requete and "préfet de la Seine-Saint-Denis" in requete
    # the e-mails and the letter already sent are facts with their dates
    assert french_date(d(-12)) in requete


CHECKS = {"amina": _amina, "karim": _karim, "olena": _olena, "mehdi": _mehdi, "volunteer": _volunteer}


def test_volunteer_prints_checklist_and_case_file(browser, server, tmp_path):
    """On a laptop: the checklist without the form, then the case file in French: letter, evidence
    annex, court application with its list of exhibits, each from a new sheet."""
    s, page, errors = play(browser, server, "volunteer", "fr")
    for i in range(4):
        add_attempt(page, d(-40 + 7 * i), "10:00", "Seine-Saint-Denis")
    page.wait_for_selector(".gp-doc[data-doc=annexe-tentatives]")
    page.click(".gp-print-checklist")
    area = page.locator(".gp-print-area")
    assert area.locator("input, select, form").count() == 0
    page.pdf(path=str(RESULTS / "persona-volunteer-checklist.pdf"), format="A4")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.click(".gp-print-case")
    pdf = RESULTS / "persona-volunteer-case-file.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    sheets = text.split("\f")
    order = [next(i for i, p in enumerate(sheets) if k in p)
             for k in ("Lettre recommandée avec accusé de réception", "Annexe", "REQUÊTE EN RÉFÉRÉ")]
    assert order == sorted(order) and len(set(order)) == 3
    assert re.search(r"Pièce n° \d+ : copie de la lettre recommandée", text)
    assert not errors, errors
    s.ctx.close()
