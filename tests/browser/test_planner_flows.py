"""The planner's behaviour in Debian Chromium at 390x844, on the built site (French renewal page): the
form is in the page before any script runs and absent without JavaScript; done dates change the plan;
legal aid never blocks it; nothing on time looks overdue; the checklist and the case file print what
they should, in order, on their own sheets; an import adds to the log and can be undone; erasing asks
first and reaches every open tab. Screenshots go to test-results/."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import pytest

from planner import form as model
from planner.messages import LITERAL
from tests.browser.test_browser_planner import (RESULTS, SENTINELS, Session, _fill, add_attempt, attached, browser,  # noqa: F401
                                                erase, open_planner, open_sections, playwright_api, server, site,
                                                submit)
from tests.conftest import parse

TODAY = dt.date.today()
URL = "fr/procedures/renouvellement/"


@pytest.fixture
def page(browser, server):
    s, p, errors = open_planner(browser, server, server.url + URL)
    yield p
    assert not errors, errors
    s.check_privacy([])
    s.ctx.close()


def shot(page, name):
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)


def step(page, sid):
    return page.locator(f".gp-step[data-step='{sid}']")


def test_form_is_in_the_page_before_any_script(site, built_site, browser, server):
    """Every question of the model is in the HTML the server sends, labelled in the page's language;
    without JavaScript the whole planner (and its sentence about a calculator) is hidden."""
    from scripts.i18n.catalogs import Translator

    bundle = built_site.bundle
    for lang in ("fr", "ar"):
        tr = Translator.load(built_site.rules, lang)
        for pid, proc in bundle["procedures"].items():
            html = (site / lang / "procedures" / pid / "index.html").read_text(encoding="utf-8")
            page = parse(re.sub(r"<script\b.*?</script>", "", html, flags=re.S))
            fields = {a["data-q"] for _, a in page.tags if "data-q" in a}
            want = {q["id"] for s in model.sections(bundle, proc) for q in s["questions"]}
            assert fields == want, (lang, pid, want ^ fields)
            label = next(q["label"] for q in proc["questions"] if q.get("section") is None)
            assert tr.gettext(label) in page.text, (lang, pid, label)
            assert not LITERAL.search(page.text), (lang, pid, LITERAL.search(page.text))  # {jours:90} written out
            assert "<noscript><style>#planner{display:none}</style></noscript>" in html.split("</head>")[0]
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False, service_workers="block")
    p = ctx.new_page()
    p.goto(server.url + URL)
    assert p.locator("#planner").is_hidden()
    assert p.locator("#liste-des-etapes").is_visible()
    visible = p.inner_text("main")
    assert "Le calculateur ci-dessous" not in visible and "Calculer mon plan" not in visible
    shot(p, "planner-no-javascript")
    ctx.close()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_plan_and_letters_are_accessible(browser, server, lang):
    """The page once the plan and the letters are shown, every <details> open: no axe violation."""
    from axe_playwright_python.sync_playwright import Axe

    s, p, _ = open_planner(browser, server, f"{server.url}{lang}/procedures/renouvellement/")
    _fill(p, "renouvellement", {"foyer": ""})
    submit(p)
    add_attempt(p, "2025-03-03", "09:00", "Bobigny", "capture 1")
    p.wait_for_selector(".gp-doc[data-doc=annexe-tentatives]")
    p.evaluate("document.querySelectorAll('.gp details').forEach((d) => { d.open = true; })")
    result = Axe().run(p)
    assert result.violations_count == 0, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]]
    shot(p, f"planner-results-{lang}")
    s.ctx.close()


def test_done_dates_change_the_plan(page):
    _fill(page, "renouvellement", {"expiration": (TODAY + dt.timedelta(days=40)).isoformat()})
    submit(page)
    shot(page, "planner-before-done")
    # nothing here is late: no overdue badge, nothing red
    assert page.locator("[data-status=overdue], .gp-badge-overdue").count() == 0
    first = page.locator(".gp-step:has(.gp-mark-today)").first
    sid = first.get_attribute("data-step")
    assert first.get_attribute("data-status") in ("now", "later")
    first.locator(".gp-mark-today").click()
    playwright_api.expect(step(page, sid)).to_have_attribute("data-status", "done")
    assert step(page, sid).locator("xpath=ancestor::section[1]").get_attribute("data-group") == "done"
    assert page.locator(f"[data-q='done.{sid}'] input").input_value() == TODAY.isoformat()
    # undone again
    step(page, sid).locator(".gp-unmark").click()
    playwright_api.expect(step(page, sid)).not_to_have_attribute("data-status", "done")
    assert page.locator(f"[data-q='done.{sid}'] input").input_value() == ""
    # a date typed in "what you already did": the registered letter, sent ten days ago
    open_sections(page)
    sent = (TODAY - dt.timedelta(days=10)).isoformat()
    page.fill("[data-q='done.lettre-recommandee'] input", sent)
    submit(page)
    playwright_api.expect(step(page, "lettre-recommandee")).to_have_attribute("data-status", "done")
    assert step(page, "lettre-recommandee").locator(f"time[datetime='{sent}']").count() == 1
    shot(page, "planner-after-done")


def test_a_late_step_is_flagged_not_red(page):
    """The title expired 20 days ago: the expired title is a danger, a step still useful is flagged late
    (its own words), never given the overdue badge."""
    _fill(page, "renouvellement", {"expiration": (TODAY - dt.timedelta(days=20)).isoformat()})
    submit(page)
    assert page.locator(".gp-warning.gp-level-danger").count() >= 1
    late = page.locator(".gp-step.gp-late")
    assert late.count() >= 1
    for i in range(late.count()):
        assert late.nth(i).get_attribute("data-status") != "overdue"
        assert late.nth(i).locator(".gp-flag-late").inner_text().strip()
    shot(page, "planner-late")


def test_form_checks_what_it_can_and_gives_each_date_its_range(page):
    """Required answers and date ranges are checked at once, beside their fields; each date input has the
    model's range from the reader's today."""
    expiration = page.locator("#gp-expiration")
    assert (expiration.get_attribute("min"), expiration.get_attribute("max")) == \
        ((TODAY.replace(year=TODAY.year - 10)).isoformat(), (TODAY.replace(year=TODAY.year + 10)).isoformat())
    assert page.locator("[data-q='done.courriel-1'] input").get_attribute("max") == TODAY.isoformat()
    assert page.locator("#gp-date_naissance").get_attribute("min") == "1900-01-01"
    page.click(".gp-submit")
    assert page.locator("#gp-expiration-err").inner_text() == "Ce champ est obligatoire."
    assert page.locator("#gp-anef-err").is_visible() and page.locator(".gp-form-error").is_visible()
    assert page.locator("#gp-expiration").get_attribute("aria-invalid") == "true"
    page.fill("#gp-expiration", TODAY.replace(year=TODAY.year + 11).isoformat())
    page.check("#gp-anef-1")
    page.click(".gp-submit")
    assert page.locator("#gp-expiration-err").inner_text().startswith("La date doit être comprise entre le ")
    assert page.locator("#gp-anef-err").is_hidden()
    assert page.locator(".gp-results").inner_text() == ""


def test_legal_aid_is_optional(page):
    _fill(page, "renouvellement", {"rfr": "25,000", "foyer": "", "epargne": "", "immobilier": ""})
    page.evaluate("for (const r of document.querySelectorAll('[data-q=residence] input')) r.checked = false")
    submit(page)
    aid = page.locator(".gp-aid")
    playwright_api.expect(aid).to_have_attribute("data-state", "missing")
    # the amount went as typed: the engine refuses "25,000" (25 or 25 000?) beside the field
    assert "sans point ni virgule" in page.locator("[data-q=rfr] .gp-error").inner_text()
    page.fill("[data-q=rfr] input", "12 000")
    submit(page)
    playwright_api.expect(page.locator("[data-q=rfr] .gp-error")).to_be_hidden()
    assert page.locator("[data-q=foyer] .gp-error").is_visible()
    assert page.locator("[data-q=residence] .gp-error").is_visible()
    assert page.locator("[data-section=aide_juridictionnelle] .gp-section-status li").count() == 2
    assert page.locator(".gp-form-error").is_hidden()
    assert page.locator("[data-section]:not([data-optional]) .gp-error:visible").count() == 0
    shot(page, "planner-aid-missing")
    page.fill("[data-q=foyer] input", "1")
    page.check("[data-q=residence] input[value=regular]")
    submit(page)
    playwright_api.expect(aid).to_have_attribute("data-state", "verdict")
    assert aid.get_attribute("data-rate") in ("0", "25", "55", "100")
    assert page.locator("[data-section=aide_juridictionnelle] .gp-error:visible").count() == 0


def test_checklist_and_case_file_print(page, tmp_path):
    _fill(page, "renouvellement")
    submit(page)
    monday = TODAY - dt.timedelta(days=TODAY.weekday() + 14)
    for d, t in ((monday, "09:00"), (monday + dt.timedelta(days=3), "14:30")):
        add_attempt(page, d.isoformat(), t, "Bobigny")
    page.wait_for_selector(".gp-doc[data-doc=annexe-tentatives]")
    steps = page.locator(".gp-steps > li")
    titles = [steps.nth(i).locator(".gp-step-title").inner_text() for i in range(steps.count())]

    page.click(".gp-print-checklist")
    area = page.locator(".gp-print-area")
    assert area.get_attribute("data-printed") == "checklist" and area.get_attribute("lang") == "fr"
    assert area.locator(".gp-check").count() == len(titles) == area.locator(".gp-box").count()
    text = area.inner_text()
    assert all(t in text for t in titles)
    assert area.locator("input, select, form, button").count() == 0
    page.emulate_media(media="print")
    assert area.is_visible() and page.locator(".gp-form").is_hidden() and page.locator(".md-header").is_hidden()
    shot(page, "planner-print-checklist")
    page.emulate_media(media="null")  # back to no emulation: page.pdf() prints with the print media
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")

    page.click(".gp-print-case")
    assert area.get_attribute("data-printed") == "case-file"
    assert (area.get_attribute("lang"), area.get_attribute("dir")) == ("fr", "ltr")
    sheets = area.locator(".gp-sheet")
    assert sheets.count() == 3
    assert "Lettre recommandée avec accusé de réception" in sheets.nth(0).inner_text()
    assert sheets.nth(1).locator(".gp-annex-table tbody tr").count() == 2
    assert "BORDEREAU DES PIÈCES" in sheets.nth(2).inner_text()
    for i in range(3):  # each with its place and date line
        assert re.search(r", le (\[date[^\]]*\]|\d)", sheets.nth(i).inner_text()), i
    pdf = tmp_path / "case-file.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    where = {k: next(i for i, p in enumerate(pages) if k in p)
             for k in ("Lettre recommandée avec accusé de réception", "Annexe : relevé des tentatives", "REQUÊTE EN RÉFÉRÉ")}
    order = list(where.values())
    assert order == sorted(order) and len(set(order)) == 3, where  # in that order, each from a new sheet
    assert "Calculer mon plan" not in "".join(pages) and "Journal des tentatives" not in "".join(pages)


def test_log_survives_a_reload_and_an_import_adds_to_it(page):
    add_attempt(page, "2025-03-03", "09:15", "Bobigny")
    add_attempt(page, "2025-03-05", "10:30")
    page.reload()
    attached(page)
    assert page.inner_text("[data-count=attempts]") == "2"  # sessionStorage, without "keep my answers"
    assert page.evaluate("localStorage.length") == 0
    log = {"format": "guichet-evidence-log", "version": 1, "attempts": [
        {"date": "2025-03-03", "time": "09:15", "prefecture": "Bobigny"},  # already there
        {"date": "2025-03-10", "time": "08:00"}, {"date": "2025-03-12", "time": "17:45", "note": "capture 4"}]}
    page.set_input_files("#gp-ev-file", files=[{"name": "log.json", "mimeType": "application/json",
                                                "buffer": json.dumps(log).encode()}])
    playwright_api.expect(page.locator("[data-count=attempts]")).to_have_text("4")
    msg = page.inner_text(".gp-ev-msg")
    assert "2 tentatives ajoutées" in msg and "1 tentative était déjà" in msg, msg
    shot(page, "planner-import-merged")
    page.click(".gp-undo")
    playwright_api.expect(page.locator("[data-count=attempts]")).to_have_text("2")
    # an empty file changes nothing
    page.set_input_files("#gp-ev-file", files=[{"name": "empty.json", "mimeType": "application/json",
                                                "buffer": json.dumps({"attempts": []}).encode()}])
    playwright_api.expect(page.locator(".gp-ev-msg")).to_contain_text("aucune tentative")
    assert page.inner_text("[data-count=attempts]") == "2"


def test_erasing_asks_first(page):
    add_attempt(page, "2025-03-03", "09:15")
    actions = page.locator(".gp-actions")
    assert actions.locator(".gp-forget").count() == 0  # not beside the main button
    page.click(".gp-forget")
    assert page.locator(".gp-confirm").is_visible()
    assert page.inner_text("[data-count=attempts]") == "1"
    page.click(".gp-forget-no")
    assert page.locator(".gp-confirm").is_hidden() and page.inner_text("[data-count=attempts]") == "1"
    erase(page)
    assert page.inner_text("[data-count=attempts]") == "0"
    assert page.evaluate("sessionStorage.length") == 0


def test_erasing_reaches_every_open_tab(browser, server):
    s = Session(browser, server)
    a, b = s.ctx.new_page(), s.ctx.new_page()
    a.goto(server.url + URL)
    attached(a)
    open_sections(a)
    a.check("#gp-keep")
    a.fill("input[name=prenom]", SENTINELS["prenom"])
    a.locator("input[name=prenom]").dispatch_event("change")
    add_attempt(a, "2025-03-03", "09:15")
    b.goto(server.url + URL)
    attached(b)
    assert b.locator("input[name=prenom]").input_value() == SENTINELS["prenom"] and b.locator("#gp-keep").is_checked()
    assert b.inner_text("[data-count=attempts]") == "1"
    erase(a)
    playwright_api.expect(b.locator("[data-count=attempts]")).to_have_text("0")
    assert b.locator("input[name=prenom]").input_value() == ""
    assert not b.locator("#gp-keep").is_checked()
    assert b.inner_text(".gp-erase-status").strip()
    # the other tab no longer keeps: what it types now stays out of storage
    open_sections(b)
    b.fill("input[name=prenom]", "Zqxother")
    b.locator("input[name=prenom]").dispatch_event("change")
    add_attempt(b, "2025-03-04", "10:00")
    assert b.evaluate("localStorage.length") == 0 and a.evaluate("localStorage.length") == 0
    # unticking "keep" in one tab makes the others stop keeping too
    a.check("#gp-keep")
    a.locator("input[name=prenom]").dispatch_event("change")
    b.check("#gp-keep")
    a.uncheck("#gp-keep")
    playwright_api.expect(b.locator("#gp-keep")).not_to_be_checked()
    s.check_privacy([])
    s.ctx.close()
