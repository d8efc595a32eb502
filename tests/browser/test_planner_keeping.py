"""What the planner keeps in the browser, and erasing it, against the attack report's findings, in
Debian Chromium on the built site:

- M1: a kept value of another shape (not JSON, attempts not a list, answers not texts...) or storage
  that throws is never used: the widget attaches, the value is removed, "erase everything" works;
- M2: two tabs keeping answers merge their evidence logs (storage events): neither loses the other's
  attempts, a removal in one reaches the other;
- M4: erase resets both forms (every procedure's answers on the home page, the chooser, "keep"), the
  log's own fields, says downloaded files are not erased, reaches the planner from the privacy page's
  button, and a plan being computed while erasing is not shown after it;
- R1 (re-attack): a tab that left the planner for another page of the guide hears the erase too;
- H2: on an origin shared with other sites (a sub-path, as on OWNER.github.io/project/) "keep my answers"
  is not offered, one sentence says why, and nothing is kept in localStorage.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.browser.test_browser_planner import (SENTINELS, Session, _fill, add_attempt, attached, browser,  # noqa: F401
                                                erase, open_planner, open_sections, playwright_api, server, site,
                                                submit)

expect = playwright_api.expect
URL = "fr/procedures/renouvellement/"
KEEP_KEY, LOG_KEY = "guichet-planner-v1", "guichet-planner-log-v1"
TODAY = dt.date.today()
FILES_SENTENCE = "téléchargements de votre téléphone"


def kept(page):
    text = page.evaluate(f"localStorage.getItem('{KEEP_KEY}')")
    return json.loads(text) if text is not None else None


def count(page):
    return page.locator("[data-count=attempts]")


def keeping_tab(s, server):
    """A new tab of session `s` on the renewal page, "keep my answers" ticked."""
    page = s.ctx.new_page()
    page.goto(server.url + URL)
    attached(page)
    page.check("#gp-keep")
    return page


def press_erase_checking_it_works(page):
    erase(page)
    expect(page.locator(".gp-erase-status")).to_contain_text(FILES_SENTENCE)
    assert page.evaluate("Object.keys(localStorage).concat(Object.keys(sessionStorage)).filter((k) => k.startsWith('guichet-'))") == []


BAD_KEPT = {
    "not JSON": "{not json",
    "attempts an object": json.dumps({"keep": True, "answers": {}, "attempts": {}}),
    "attempts a string": json.dumps({"keep": True, "attempts": "x"}),
    "answers null": json.dumps({"keep": True, "answers": None, "attempts": []}),
    "an answer not a text": json.dumps({"keep": True, "answers": {"prenom": {"x": 1}}, "attempts": []}),
    "procedure a list": json.dumps({"keep": True, "procedure": ["x"], "answers": {}}),
    "a list": "[1, 2]",
    "a string": json.dumps("keep"),
}
BAD_LOG = {
    "not JSON": "[[[",
    "attempts an object": json.dumps({"attempts": {"0": {"date": "2025-03-03", "time": "09:15"}}}),
    "bad attempts in a list": json.dumps({"attempts": [1, None, {"date": "x"}, {"date": "2025-03-03", "time": "09:15"}]}),
}


def test_a_kept_value_of_another_shape_is_removed_never_used(browser, server):
    s, page, errors = open_planner(browser, server, server.url + URL)
    for name, value in BAD_KEPT.items():
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEEP_KEY, value])
        page.reload()
        attached(page)
        assert kept(page) is None, name
        assert not page.locator("#gp-keep").is_checked(), name
        add_attempt(page, "2025-03-03", "09:15")
        expect(count(page)).to_have_text("1")
        press_erase_checking_it_works(page)
    for name, value in BAD_LOG.items():
        page.evaluate("([k, v]) => sessionStorage.setItem(k, v)", [LOG_KEY, value])
        page.reload()
        attached(page)
        want = "1" if name == "bad attempts in a list" else "0"  # the one valid attempt is kept
        expect(count(page)).to_have_text(want)
        assert json.loads(page.evaluate(f"sessionStorage.getItem('{LOG_KEY}')"))["attempts"] == (
            [{"date": "2025-03-03", "time": "09:15"}] if want == "1" else []), name
        press_erase_checking_it_works(page)
    # a kept procedure that is none of the page's (a prototype key) on the home page: ignored
    page.goto(server.url + "fr/")
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEEP_KEY, json.dumps(
        {"keep": True, "procedure": "__proto__", "answers": {}, "attempts": []})])
    page.reload()
    attached(page)
    first = page.eval_on_selector("#gp-procedure", "s => s.options[0].value")
    assert page.input_value("#gp-procedure") == first
    press_erase_checking_it_works(page)
    assert not errors, errors
    s.ctx.close()


def test_storage_that_throws_leaves_the_planner_and_its_erase_working(browser, server):
    throwing = """for (const name of ["localStorage", "sessionStorage"]) {
      Object.defineProperty(window, name, { get() { throw new DOMException("denied", "SecurityError"); } });
    }"""
    s, page, errors = open_planner(browser, server, server.url + URL, init_script=throwing)
    add_attempt(page, "2025-03-03", "09:15")
    expect(count(page)).to_have_text("1")
    page.check("#gp-keep")
    erase(page)
    expect(page.locator(".gp-erase-status")).to_contain_text(FILES_SENTENCE)
    expect(count(page)).to_have_text("0")
    assert not errors, errors
    s.ctx.close()


def test_two_tabs_keeping_answers_merge_their_logs(browser, server):
    s = Session(browser, server)
    a, b = keeping_tab(s, server), s.ctx.new_page()
    add_attempt(a, "2025-03-03", "09:15")
    add_attempt(a, "2025-03-05", "10:00")
    b.goto(server.url + URL)
    attached(b)
    expect(count(b)).to_have_text("2")
    add_attempt(a, "2025-03-10", "11:00")        # each tab notes one the other has not seen yet
    add_attempt(b, "2025-03-12", "12:00", "Bobigny")
    for page in (a, b):
        expect(count(page)).to_have_text("4")
    # a change of the form in one tab keeps the merged log, not this tab's alone
    open_sections(b)
    b.fill("input[name=prenom]", "Zqxmerge")
    b.locator("input[name=prenom]").dispatch_event("change")
    assert len(kept(a)["attempts"]) == 4
    # a removal in one tab reaches the other, and does not come back
    a.locator(".gp-ev-table tbody tr").first.locator(".gp-remove").click()
    expect(count(b)).to_have_text("3")
    add_attempt(b, "2025-03-14", "13:00")
    expect(count(a)).to_have_text("4")
    days = lambda p: p.locator(".gp-ev-table tbody time[datetime^='2025']").evaluate_all(  # noqa: E731
        "els => els.map((e) => e.getAttribute('datetime'))")
    assert days(a) == days(b) == ["2025-03-05", "2025-03-10", "2025-03-12", "2025-03-14"]
    c = s.ctx.new_page()  # a later visit finds every attempt
    c.goto(server.url + URL)
    attached(c)
    expect(count(c)).to_have_text("4")
    s.check_privacy([])
    s.ctx.close()


def _at_defaults(page) -> list[str]:
    """The controls of both forms that are not as the page was built (name or id)."""
    return page.evaluate("""() => [...document.querySelectorAll('.gp-form input, .gp-form select, .gp-ev-add input')]
      .filter((e) => e.id !== 'gp-ev-date')
      .filter((e) => e.tagName === 'SELECT' ? e.selectedIndex !== Math.max(0, [...e.options].findIndex((o) => o.defaultSelected))
        : (e.type === 'radio' || e.type === 'checkbox') ? e.checked !== e.defaultChecked : e.value !== e.defaultValue)
      .map((e) => e.name || e.id)""")


def test_erase_clears_every_form_and_says_what_it_cannot(browser, server):
    s, page, errors = open_planner(browser, server, server.url + "fr/")
    assert page.get_attribute(".gp-form", "autocomplete") == "off" == page.get_attribute(".gp-ev-add", "autocomplete")
    procedures = page.eval_on_selector_all("#gp-procedure option", "os => os.map((o) => o.value)")
    assert len(procedures) >= 2
    for pid in procedures[:2]:  # two procedures' answers, the chooser left off its first choice  # two procedures' answers, the other one hidden when erasing
        _fill(page, pid)
    page.check("#gp-keep")
    page.fill("#gp-ev-time", "09:15")
    page.fill("#gp-ev-pref", "Zqxpref")
    page.fill("#gp-ev-note", "Zqxnote")  # typed, not added
    assert _at_defaults(page)
    erase(page)
    assert _at_defaults(page) == []
    assert page.input_value("#gp-procedure") == procedures[0] and not page.locator("#gp-keep").is_checked()
    assert page.input_value("#gp-ev-date") == TODAY.isoformat()
    status = page.inner_text(".gp-erase-status")
    assert "effacés de ce téléphone" in status and FILES_SENTENCE in status, status
    assert not errors, errors
    s.ctx.close()


def test_a_plan_computing_while_erasing_is_not_shown(browser, server):
    """Compute pressed, then erase at once, while the engine still loads: the answer to that request
    is never shown, nor its errors (the form it reads is empty by then)."""
    s, page, errors = open_planner(browser, server, server.url + URL)
    _fill(page, "renouvellement")
    page.evaluate("""() => { document.querySelector('.gp-submit').click();
      document.querySelector('.gp-forget').click(); document.querySelector('.gp-forget-yes').click(); }""")
    expect(page.locator(".gp-status")).to_contain_text("Calculateur prêt", timeout=90_000)
    # one more request to the engine, answered after the one above would have been: the log's assessment
    add_attempt(page, "2025-03-03", "09:15")
    expect(page.locator("[data-count=days]")).to_have_text("1", timeout=30_000)
    assert page.locator(".gp-results").inner_text() == "" and page.get_attribute(".gp-results", "data-plan") is None
    assert page.locator(".gp-form-error").is_hidden() and page.locator("[aria-invalid=true]").count() == 0
    assert not errors, errors
    s.ctx.close()


def test_the_privacy_page_erases_through_the_planner(browser, server):
    s = Session(browser, server)
    planner, privacy = keeping_tab(s, server), s.ctx.new_page()
    open_sections(planner)
    planner.fill("input[name=prenom]", SENTINELS["prenom"])
    planner.locator("input[name=prenom]").dispatch_event("change")
    add_attempt(planner, "2025-03-03", "09:15")
    privacy.goto(server.url + "fr/a-propos/")
    privacy.click("[data-guichet-erase]")
    expect(privacy.locator("[data-guichet-erase-status]")).to_be_visible()
    assert FILES_SENTENCE in privacy.inner_text("[data-guichet-erase-status]")
    expect(count(planner)).to_have_text("0")  # told through the storage event
    assert planner.input_value("input[name=prenom]") == "" and not planner.locator("#gp-keep").is_checked()
    assert "depuis un autre onglet" in planner.inner_text(".gp-erase-status")
    assert privacy.evaluate("localStorage.length") == 0
    planner.reload()
    attached(planner)
    assert planner.input_value("input[name=prenom]") == ""
    s.check_privacy([SENTINELS["prenom"]])
    s.ctx.close()


def test_erase_reaches_a_tab_that_left_the_planner_for_another_page(browser, server):
    """Re-attack R1: a tab that noted an attempt, then went to a page without the planner, still holds the
    log in its sessionStorage; "erase everything" in another tab removes it there too, so it does not come
    back on that tab's next planner page."""
    s = Session(browser, server)
    tab, privacy = s.ctx.new_page(), s.ctx.new_page()
    tab.goto(server.url + URL)
    attached(tab)
    add_attempt(tab, "2025-03-03", "09:15")
    tab.goto(server.url + "fr/tribunal/")
    tab.wait_for_function("() => Object.keys(sessionStorage).some((k) => k.startsWith('guichet-'))")
    tab.wait_for_load_state("networkidle")  # the listener's module is loaded
    privacy.goto(server.url + "fr/a-propos/")
    privacy.click("[data-guichet-erase]")
    expect(privacy.locator("[data-guichet-erase-status]")).to_be_visible()
    tab.wait_for_function("() => !Object.keys(sessionStorage).some((k) => k.startsWith('guichet-'))", timeout=10000)
    tab.goto(server.url + URL)
    attached(tab)
    expect(count(tab)).to_have_text("0")
    s.ctx.close()


@pytest.fixture(scope="module")
def shared_server(subpath_site):
    """The site built for http://127.0.0.1:PORT/guichet/: a sub-path, an origin other sites may share."""
    from scripts.dev.server import serve

    with serve(subpath_site.root, port=subpath_site.port) as srv:
        yield srv


def test_a_shared_origin_keeps_no_answers_and_says_why(browser, shared_server, subpath_site):
    s = Session(browser, shared_server)
    page = s.ctx.new_page()
    page.goto(subpath_site.url + URL)
    assert 'data-guichet-origin="shared"' in page.content()
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEEP_KEY, json.dumps(
        {"keep": True, "procedure": "renouvellement", "answers": {"prenom": "Zqxplanted"}, "attempts": []})])
    page.reload()
    attached(page)
    assert page.locator(".gp-keep").is_hidden()
    sentence = page.locator(".gp-keep-shared")
    expect(sentence).to_be_visible()
    assert "d'autres sites la partagent" in sentence.inner_text() and "cet onglet" in sentence.inner_text()
    assert kept(page) is None and page.input_value("input[name=prenom]") == ""  # planted answers not used
    open_sections(page)
    page.fill("input[name=prenom]", SENTINELS["prenom"])
    page.locator("input[name=prenom]").dispatch_event("change")
    add_attempt(page, "2025-03-03", "09:15")
    expect(count(page)).to_have_text("1")
    assert page.evaluate("localStorage.length") == 0
    page.reload()  # the log stays for the tab
    attached(page)
    expect(count(page)).to_have_text("1")
    page.goto(subpath_site.url + "fr/a-propos/")
    assert "github.io" in page.inner_text("main") and "n'est pas proposée" in page.inner_text("main")
    s.check_privacy([SENTINELS["prenom"]])
    s.ctx.close()
