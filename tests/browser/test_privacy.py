"""Privacy and hostile input, in Debian Chromium, on the whole site built for and served under
/guichet/ (as a GitHub Pages project site; `subpath_site` in conftest.py):

- every built page of every language: no request to another host or outside /guichet/, no failed
  request, no cookie, no Content-Security-Policy violation, no script error;
- the planner with HTML and script typed into every text field (identity, préfecture, notes) and
  imported in a log: nothing runs (window.__xss stays unset), no element is injected, the page, the
  letters, both print views and the .ics show the text as typed, no typed value in any request, and
  no CSP violation while Pyodide runs;
- hostile evidence-log files (malformed, truncated, oversized, prototype keys, huge numbers, 10 000
  entries, wrong types) are refused with a message and leave the log as it was.

Reuses the Session (request, CSP and cookie recorder), the browser and the form filler of
tests/browser/test_browser_planner.py.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.test_browser_planner import (SENTINELS, Session, _fill, add_attempt, browser,  # noqa: F401
                                                open_planner, playwright_api, submit)

PAYLOADS = {  # within each field's maxlength; every one would set window.__xss if it ran
    "nom": '<img src=x onerror="window.__xss=1">',
    "prenom": "</script><script>window.__xss=2</script>",
    "nationalite": '"><svg onload=window.__xss=3>',
    "adresse": '<iframe srcdoc="<script>parent.__xss=4</script>"></iframe> {objet} %(date)s',
    "telephone": "<b onclick=x>0699887766</b>",
    "courriel": "z@q.invalid<style>*{display:none}</style>",
}
PREF_PAYLOAD = '<img src=y onerror="window.__xss=5">'
NOTE_PAYLOAD = "</td></tr><script>window.__xss=6</script>"
IMPORT_NOTE = "<a href=javascript:window.__xss=7>lien</a>"
INJECTED = "iframe, img, script, b, style, svg, a[href^=javascript]"


@pytest.fixture(scope="module")
def sub_server(subpath_site):
    from scripts.dev.server import serve

    with serve(subpath_site.root, port=subpath_site.port) as srv:
        yield srv


def _wake_material(page):
    """Material's own script may wait for the reader's first key or touch (assets/guichet/lazy-material.js):
    give it one, so its requests and inline code are checked too."""
    page.keyboard.press("Shift")
    if page.locator("#__config").count():
        for _ in range(100):  # page.evaluate, not wait_for_function: the CSP forbids eval in the page
            if page.evaluate("() => !!window.document$ || !document.getElementById('g-material')"):
                break
            page.wait_for_timeout(100)


def all_pages(site: Path) -> list[str]:
    """Every built HTML page as a URL path under the site root ('fr/a-propos/', '404.html', ...)."""
    out = []
    for p in sorted(site.rglob("*.html")):
        rel = p.relative_to(site).as_posix()
        if rel.startswith("assets/"):
            continue
        out.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return out


def test_every_page_private_under_subpath(browser, sub_server, subpath_site):
    base = subpath_site.url
    site = subpath_site.built.site
    pages = all_pages(site)
    langs = subpath_site.built.langs
    assert len(langs) >= 2 and all(any(p.startswith(f"{c}/") for p in pages) for c in langs)
    s = Session(browser, sub_server, route=False)  # keeps the HTTP cache; other hosts cannot resolve anyway
    page = s.ctx.new_page()
    errors, failed = [], []
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for rel in pages:
        resp = page.goto(base + rel, wait_until="load")
        assert resp and resp.status == 200, rel
        _wake_material(page)
        assert page.evaluate("document.cookie") == "", rel
        policy = page.locator('meta[http-equiv="Content-Security-Policy"]')
        assert policy.count() == 1, f"no CSP on {rel}"
    page.wait_for_timeout(300)  # late violations and requests
    assert not errors, errors
    assert not failed, failed
    s.check_privacy([])
    outside = sorted({r["path"] for r in sub_server.log if not r["path"].startswith("/guichet/")})
    assert not outside, f"requests outside /guichet/: {outside[:10]}"
    assert all(urlparse(r["url"]).port == subpath_site.port for r in s.requests if r["url"].startswith("http"))
    s.ctx.close()


def test_search_keeps_the_query_out_of_urls(browser, sub_server, subpath_site):
    """Material's search runs in the page; with no `search.highlight` the result links carry no ?h=."""
    s = Session(browser, sub_server)
    page = s.ctx.new_page()
    page.goto(subpath_site.url + "fr/")
    _wake_material(page)
    page.locator("label[for=__search]:visible").first.click(timeout=10_000)
    page.locator("input.md-search__input").press_sequentially("tribunal", delay=20)  # Material listens to keys
    page.wait_for_selector(".md-search-result__item a", timeout=20_000)
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert hrefs and not [h for h in hrefs if "?" in h or "tribunal" in urlparse(h).query], hrefs
    page.keyboard.press("Enter")  # Material opens the first result
    page.wait_for_url(hrefs[0])
    assert "?" not in page.url
    s.check_privacy([])
    assert not [r for r in sub_server.log if "?" in r["path"]]
    s.ctx.close()


def _open_planner(browser, server, subpath_site, procedure="renouvellement"):
    """(session, page, page errors) with the French procedure page open and the widget attached."""
    return open_planner(browser, server, f"{subpath_site.url}fr/procedures/{procedure}/")


def test_typed_html_is_text_everywhere_and_nothing_leaks(browser, sub_server, subpath_site):
    import icalendar

    s, page, errors = _open_planner(browser, sub_server, subpath_site)
    _fill(page, "renouvellement")
    for qid, payload in PAYLOADS.items():
        box = page.locator(f".gp-questions input[name={qid}]")
        if box.count():
            box.fill(payload)
            assert box.input_value() == payload, qid
    submit(page)
    page.wait_for_selector(".gp-letters")

    # three attempts typed with payloads (the plan and the letters follow the log), then an imported
    # log with a payload note
    for day in ("2025-03-03", "2025-03-05", "2025-03-12"):
        add_attempt(page, day, "09:15", PREF_PAYLOAD, NOTE_PAYLOAD)
    assert page.inner_text("[data-count=attempts]") == "3"
    playwright_api.expect(page.locator("[data-count=days]")).to_have_text("3", timeout=30_000)
    shown = page.inner_text(".gp-evidence")
    assert PREF_PAYLOAD in shown and NOTE_PAYLOAD in shown
    page.wait_for_selector(".gp-doc[data-doc=annexe-tentatives]")

    letters = page.inner_text(".gp-letters")
    assert PAYLOADS["nom"] in letters and PAYLOADS["prenom"] in letters, letters[:2000]
    assert page.locator(f".gp :is({INJECTED})").count() == 0

    page.click(".gp-print-case")
    page.emulate_media(media="print")
    area = page.locator(".gp-print-area")
    text = area.inner_text()
    assert PAYLOADS["prenom"] in text and PAYLOADS["nom"] in text and PAYLOADS["adresse"] in text
    assert PREF_PAYLOAD in text and NOTE_PAYLOAD in text
    assert page.locator(".gp-print-area .gp-annex-table tbody tr").count() == 3
    assert page.locator(f".gp-print-area :is({INJECTED})").count() == 0
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")

    with page.expect_download() as dl:
        page.click(".gp-ics")
    raw = Path(dl.value.path()).read_bytes().decode("utf-8")
    cal = icalendar.Calendar.from_ical(raw)
    events = cal.walk("VEVENT")
    assert events and raw.count("BEGIN:VEVENT") == len(events)
    for payload in [*PAYLOADS.values(), PREF_PAYLOAD, NOTE_PAYLOAD]:
        for line in raw.replace("\r\n ", "").split("\r\n"):  # unfolded: a payload is only ever a value
            if payload in line:
                assert line.split(":", 1)[0].split(";")[0] in ("SUMMARY", "DESCRIPTION", "LOCATION"), line

    log = {"format": "guichet-evidence-log", "version": 1,
           "attempts": [{"date": "2025-03-19", "time": "10:00", "prefecture": PREF_PAYLOAD, "note": IMPORT_NOTE}]}
    page.set_input_files("#gp-ev-file", files=[
        {"name": "log.json", "mimeType": "application/json", "buffer": json.dumps(log).encode()}])
    # expect() polls from Playwright's own world: wait_for_function evaluates in the page, which the
    # site's CSP forbids (no 'unsafe-eval'); the import adds to the three attempts
    playwright_api.expect(page.locator("[data-count=attempts]").first).to_have_text("4")
    assert IMPORT_NOTE in page.inner_text(".gp-evidence")
    assert page.locator(f".gp :is({INJECTED})").count() == 0

    assert page.evaluate("window.__xss") is None
    assert not errors, errors
    typed = [*PAYLOADS.values(), PREF_PAYLOAD, NOTE_PAYLOAD, SENTINELS["prenom"]]
    s.check_privacy(typed)
    hits = [r["path"] for r in sub_server.log if r["path"].rstrip("/").endswith(("/x", "/y"))]
    assert not hits, hits
    s.ctx.close()


def _log(attempts, **top):
    return json.dumps({"format": "guichet-evidence-log", "version": 1, "attempts": attempts, **top})


OK = {"date": "2025-02-03", "time": "10:00"}
HOSTILE = {
    "not JSON": "{not json",
    "empty": "",
    "truncated export": _log([OK, {**OK, "date": "2025-02-04"}])[:40],
    "JSON null": "null",
    "a number": "1e400",
    "attempts not a list": _log({"0": OK}),
    "attempts a string": _log("2025-02-03 10:00"),
    "unknown format": json.dumps({"format": "other", "attempts": [OK]}),
    "future version": _log([OK], version=2),
    "huge version": '{"format":"guichet-evidence-log","version":1e400,"attempts":[]}',
    "prototype key at the top": '{"__proto__":{"polluted":1},"attempts":[{"date":"2025-02-03","time":"10:00"}]}',
    "constructor key": '{"constructor":{"prototype":{"polluted":1}},"attempts":[]}',
    "prototype key in an attempt": '{"attempts":[{"date":"2025-02-03","time":"10:00","__proto__":{"polluted":1}}]}',
    "unknown field in an attempt": _log([{**OK, "onerror": "x"}]),
    "date as a number": _log([{**OK, "date": 20250203}]),
    "huge number as date": '{"attempts":[{"date":1e400,"time":"10:00"}]}',
    "date as a list": _log([{**OK, "date": ["2025-02-03"]}]),
    "impossible date": _log([{**OK, "date": "2025-02-30"}]),
    "year out of range": _log([{**OK, "date": "9999-01-01"}]),
    "time with trailing HTML": _log([{**OK, "time": "10:00<script>x</script>"}]),
    "time out of range": _log([{**OK, "time": "25:00"}]),
    "time with seconds out of range": _log([{**OK, "time": "10:00:99"}]),
    "time with seconds": _log([{**OK, "time": "10:00:00"}]),  # HH:MM only, as exported
    "time with a final new line": _log([{**OK, "time": "10:00\n"}]),
    "note as an object": _log([{**OK, "note": {"x": 1}}]),
    "note as a number": _log([{**OK, "note": 1e308}]),
    "attempt as a string": _log(["2025-02-03 10:00"]),
    "attempt as null": _log([None]),
    "10 000 entries": "[" + ",".join(['{"date":"2025-02-03","time":"10:00"}'] * 10_000) + "]",
    "2 001 entries (small file)": "[" + ",".join(['{"date":"2025-02-03","time":"10:00"}'] * 2_001) + "]",
    "oversized (spaces)": " " * 300_000 + _log([OK]),
    "deep nesting": "[" * 100_000 + "]" * 100_000,
}


def test_hostile_log_files_are_refused(browser, sub_server, subpath_site):
    s, page, errors = _open_planner(browser, sub_server, subpath_site)
    module = subpath_site.url + "fr/assets/planner/evidence.js"
    results = page.evaluate("""async ([url, cases]) => {
        const m = await import(url);
        const out = {};
        for (const [name, text] of Object.entries(cases)) {
          try { out[name] = {accepted: m.parseLog(text).length}; } catch (e) { out[name] = {refused: String(e.message)}; }
        }
        out.__polluted = ({}).polluted !== undefined || Object.prototype.polluted !== undefined;
        return out;
    }""", [module, HOSTILE])
    assert results.pop("__polluted") is False
    accepted = {k: v for k, v in results.items() if "refused" not in v}
    assert not accepted, accepted
    assert all(v["refused"] and len(v["refused"]) < 200 for v in results.values()), results
    # what a real export looks like is accepted
    good = page.evaluate("async ([url, text]) => (await import(url)).parseLog(text).length",
                         [module, _log([OK, {**OK, "date": "2025-02-04", "prefecture": "Bobigny", "note": "capture 1"}],
                                       exported="2025-02-05T10:00:00Z")])
    assert good == 2

    # through the page: two attempts, then each kind of bad file: a message, the log unchanged
    for day in ("2025-03-03", "2025-03-05"):
        add_attempt(page, day, "09:15")
    assert page.inner_text("[data-count=attempts]") == "2"
    for name in ("not JSON", "truncated export", "prototype key at the top", "10 000 entries",
                 "2 001 entries (small file)", "oversized (spaces)", "huge number as date"):
        page.evaluate("document.querySelector('.gp-ev-msg').textContent = ''")
        page.set_input_files("#gp-ev-file", files=[
            {"name": "log.json", "mimeType": "application/json", "buffer": HOSTILE[name].encode()}])
        page.wait_for_selector(".gp-ev-msg.gp-error")
        playwright_api.expect(page.locator(".gp-ev-msg").first).not_to_have_text("")
        msg = page.inner_text(".gp-ev-msg")
        assert "Fichier refusé" in msg and "pas été modifié" in msg, (name, msg)
        assert page.inner_text("[data-count=attempts]") == "2", name
    assert page.locator(".gp-ev-table tbody tr").count() == 2
    assert not errors, errors
    s.check_privacy([])
    s.ctx.close()


def test_a_script_that_reaches_a_page_does_not_run(browser, built_site, tmp_path):
    """Whatever route a <script> found into a page (the catalog check and the escaping both missed
    it), the Content-Security-Policy the build writes does not let it run, and lets the theme's own
    inline scripts run. The page: the French home page with a script added before </body>, its policy
    recomputed by the build's own step; the rest of the site served as built (symbolic links)."""
    from scripts.dev.server import serve
    from scripts.web import csp

    for entry in built_site.site.iterdir():
        if entry.name != "fr":
            (tmp_path / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    (tmp_path / "fr").mkdir()
    for entry in (built_site.site / "fr").iterdir():
        if entry.name != "index.html":
            (tmp_path / "fr" / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    html = (built_site.site / "fr" / "index.html").read_text(encoding="utf-8")
    injected = html.replace("</body>", "<script>window.__injected=1</script></body>", 1)
    (tmp_path / "fr" / "index.html").write_text(csp.apply_to_html(injected), encoding="utf-8")
    with serve(tmp_path) as srv:
        s = Session(browser, srv)
        page = s.ctx.new_page()
        page.goto(srv.url + "fr/", wait_until="load")
        _wake_material(page)
        page.wait_for_timeout(300)
        assert page.evaluate("window.__injected") is None
        assert page.evaluate("typeof window.__md_scope") == "object"  # Material's inline head script ran
        violations = [json.loads(v) for v in s.csp]
        assert [v["directive"] for v in violations] == ["script-src-elem"], violations
        s.ctx.close()
