"""The evidence log's import, the letters and the calendar, against the attack report's findings, in
Debian Chromium on the built site:

- M3: "undo import" takes out what that import added, never an attempt noted after it;
- M6: an imported attempt dated after today is refused, as a typed one is;
- L1: what the person typed is isolated (<bdi>) in the letters' French column and in the printed case
  file, on a right-to-left page; the Arabic letter mark typed in the log is removed;
- M5: a calendar downloaded again after a change gives each step the same UID (no date in it) and a
  SEQUENCE not lower than before, so calendars update the reminders instead of adding new ones.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from tests.browser.test_browser_planner import (SENTINELS, _fill, add_attempt, browser, open_planner,  # noqa: F401
                                                playwright_api, server, site, submit)

expect = playwright_api.expect
URL = "fr/procedures/renouvellement/"
TODAY = dt.date.today()


def import_log(page, attempts):
    page.set_input_files("#gp-ev-file", files=[{"name": "log.json", "mimeType": "application/json", "buffer": json.dumps(
        {"format": "guichet-evidence-log", "version": 1, "attempts": attempts}).encode()}])


def days(page):
    return page.locator(".gp-ev-table tbody time[datetime^='20']").evaluate_all("els => els.map((e) => e.getAttribute('datetime'))")


def test_undo_import_takes_out_only_what_it_added(browser, server):
    s, page, errors = open_planner(browser, server, server.url + URL)
    add_attempt(page, "2025-03-03", "09:15", "Bobigny")
    import_log(page, [{"date": "2025-03-03", "time": "09:15", "prefecture": " BOBIGNY "},  # already there
                      {"date": "2025-03-10", "time": "08:00"}])
    expect(page.locator("[data-count=attempts]")).to_have_text("2")
    assert "1 tentative ajoutée" in page.inner_text(".gp-ev-msg") and "1 tentative était déjà" in page.inner_text(".gp-ev-msg")
    add_attempt(page, "2025-03-12", "17:45", "Bobigny", "noted after the import")
    expect(page.locator("[data-count=attempts]")).to_have_text("3")
    page.click(".gp-undo")  # still offered after a typed attempt
    expect(page.locator("[data-count=attempts]")).to_have_text("2")
    assert days(page) == ["2025-03-03", "2025-03-12"]
    assert "celles notées depuis restent" in page.inner_text(".gp-ev-msg")
    # a file holding only what the log has: nothing added, nothing to undo
    import_log(page, [{"date": "2025-03-12", "time": "17:45"}])
    expect(page.locator(".gp-ev-msg")).to_contain_text("était déjà")
    assert page.locator(".gp-undo").count() == 0 and page.inner_text("[data-count=attempts]") == "2"
    # the same attempt typed twice is said, and counted once
    add_attempt(page, "2025-03-12", "17:45", "bobigny")
    expect(page.locator(".gp-ev-msg")).to_contain_text("était déjà")
    assert page.inner_text("[data-count=attempts]") == "2"
    assert not errors, errors
    s.ctx.close()


def test_an_imported_attempt_after_today_is_refused(browser, server):
    s, page, errors = open_planner(browser, server, server.url + URL)
    add_attempt(page, "2025-03-03", "09:15")
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    import_log(page, [{"date": "2025-03-04", "time": "10:00"}, {"date": tomorrow, "time": "10:00"}])
    expect(page.locator(".gp-ev-msg.gp-error")).to_contain_text("tentative n° 2 datée après aujourd'hui")
    assert page.inner_text("[data-count=attempts]") == "1"
    import_log(page, [{"date": TODAY.isoformat(), "time": "00:01"}])  # today is not after today
    expect(page.locator("[data-count=attempts]")).to_have_text("2")
    assert not errors, errors
    s.ctx.close()


def test_typed_text_is_isolated_in_the_french_documents(browser, server):
    s, page, errors = open_planner(browser, server, server.url + "ar/procedures/renouvellement/")
    typed = "Zqx 12-34"
    _fill(page, "renouvellement", {"prenom": typed, "date_naissance": "1990-05-01"})  # « 1er mai »
    submit(page)
    add_attempt(page, "2025-03-03", "09:15", "\u061cبوبيني", "\u061c12-34")
    expect(page.locator(".gp-ev-table tbody td").nth(3)).to_have_text("بوبيني")  # the mark removed
    page.wait_for_selector(".gp-doc[data-doc=annexe-tentatives] td bdi")
    with_name = page.locator(".gp-letters .gp-fr", has_text=typed)
    assert with_name.count() >= 3
    for i in range(with_name.count()):  # in every French paragraph holding it, the typed name is isolated
        assert typed in with_name.nth(i).locator("bdi").all_inner_texts(), with_name.nth(i).inner_text()
    assert page.locator(".gp-annex-table td bdi").all_inner_texts()[:2] == ["بوبيني", "12-34"]
    page.click(".gp-print-case")
    area = page.locator(".gp-print-area")
    assert (area.get_attribute("lang"), area.get_attribute("dir")) == ("fr", "ltr")
    assert typed in area.locator(".gp-letter-sender bdi").all_inner_texts()
    assert typed in area.locator(".gp-letter-body bdi").all_inner_texts()
    assert area.locator(".gp-annex-table td bdi").first.inner_text() == "بوبيني"
    # the text itself is the engine's, word for word (the letters' command answer, as the page got it)
    assert area.locator(".gp-letter-body").first.inner_text().startswith("Madame, Monsieur,")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert not errors, errors
    s.ctx.close()


def _events(page):
    with page.expect_download() as dl:
        page.click(".gp-ics")
    text = Path(dl.value.path()).read_bytes().decode("utf-8").replace("\r\n ", "")  # unfolded
    return {m[0]: int(m[1]) for m in re.findall(r"UID:(\S+)\r\n(?:[^\r]*\r\n)*?SEQUENCE:(\d+)", text)}


def test_a_new_calendar_file_updates_the_reminders(browser, server):
    s, page, errors = open_planner(browser, server, server.url + URL)
    _fill(page, "renouvellement", {"expiration": (TODAY + dt.timedelta(days=100)).isoformat()})
    submit(page)
    first = _events(page)
    assert len(first) >= 3 and all(uid.startswith("renouvellement-") and uid.endswith("@guichet") for uid in first)
    assert not [uid for uid in first if re.search(r"\d{4}-\d{2}-\d{2}", uid)]
    page.fill("#gp-expiration", (TODAY + dt.timedelta(days=130)).isoformat())
    submit(page)
    second = _events(page)
    assert set(second) & set(first)  # the steps still ahead keep their UID though their dates moved
    assert all(second[uid] >= first[uid] for uid in set(second) & set(first))
    assert not errors, errors
    s.ctx.close()
