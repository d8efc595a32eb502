"""The in-browser planner, end to end, in Debian Chromium at 390x844 (Playwright, no `playwright
install`): for each procedure fill the form the page holds, get the plan, download and parse the .ics
(future reminders only), record three attempts and see the counts, refuse a hostile import, print the
case file and the checklist, erase. During the whole session no request leaves 127.0.0.1 and no request
URL or body carries a typed sentinel.

The site: the whole site built once per test session (conftest.built_site); GUICHET_SITE overrides.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"]

# No skip when Chromium or Pyodide is missing: `make test` installs both, and a missing one must fail.
from playwright import sync_api as playwright_api  # noqa: E402

SENTINELS = {
    "nom": "Zqxnom<script>window.__pwned=1</script>",
    "prenom": "Zqxprenom",
    "numero_etranger": "9081726354",
    "adresse": "Zqxadresse 12 rue",
    "telephone": "0699887766",
    "courriel": "zqxmail@example.invalid",
    "nationalite": "Zqxnation",
}
PREFECTURE_SENTINEL = "Zqxprefecture"
NOTE_SENTINEL = "Zqxnote"


def _planner_pages(site: Path) -> list[Path]:
    pages = []
    for p in sorted((site / "fr").rglob("*.html")) if (site / "fr").exists() else []:
        if 'id="planner"' in p.read_text(encoding="utf-8", errors="ignore"):
            pages.append(p)
    return pages


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    """The whole site as the build makes it (conftest.built_site), or GUICHET_SITE to test another."""
    env = os.environ.get("GUICHET_SITE")
    return Path(env) if env else built_site.site


@pytest.fixture(scope="module")
def server(site):
    from scripts.dev.server import serve

    with serve(site) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS + [
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        yield b
        b.close()


CSP_RECORDER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__guichetCsp(JSON.stringify({page: location.href, directive: e.effectiveDirective,
    blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample}));
});
"""


class Session:
    """A browser context that records every request and refuses any to another host, and records
    every Content-Security-Policy violation (securitypolicyviolation events) of its pages."""

    def __init__(self, browser, server, service_workers="block", route=True):
        self.requests: list[dict] = []
        self.external: list[str] = []
        self.csp: list[str] = []
        self.ctx = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True,
                                       service_workers=service_workers)
        self.ctx.expose_binding("__guichetCsp", lambda source, v: self.csp.append(v))
        self.ctx.add_init_script(CSP_RECORDER)
        self.ctx.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
        if route:  # routing disables the HTTP cache; without it, other hosts still fail (host-resolver-rules)
            self.ctx.route("**/*", self._route)
        self.ctx.on("request", self._on_request)
        self.server = server

    def _route(self, route):
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("blob:", "data:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def _on_request(self, req):
        try:
            body = req.post_data_buffer or b""
        except Exception:
            body = b""
        self.requests.append({"url": req.url, "body": body, "headers": req.headers})

    def check_privacy(self, typed: list[str]):
        assert not self.external, f"requests left 127.0.0.1: {self.external}"
        assert not self.csp, f"Content-Security-Policy violations: {self.csp}"
        assert not self.ctx.cookies(), f"cookies set: {self.ctx.cookies()}"
        for r in self.requests:
            host = urlparse(r["url"]).hostname
            assert r["url"].startswith(("blob:", "data:")) or host == "127.0.0.1", r["url"]
            blob = (r["url"] + json.dumps(r["headers"])).encode() + r["body"]
            for s in typed:
                assert s.encode() not in blob, f"typed value {s!r} in request {r['url']}"
        for r in self.server.log:
            blob = (r["path"] + json.dumps(r["headers"])).encode() + r["body"]
            for s in typed:
                assert s.encode() not in blob, f"typed value {s!r} reached the server: {r['path']}"
        assert not [r for r in self.server.log if r["method"] != "GET"], "the site must never POST"


def _targets(site: Path, server) -> list[tuple[str, str]]:
    """(url, procedure) for each procedure: its own page in the real site, else the home selector."""
    manifest = json.loads(next(site.glob("fr/assets/planner/manifest.json")).read_text(encoding="utf-8"))
    procs = list(manifest["procedures"])
    out = {}
    for page in _planner_pages(site):
        m = re.search(r'id="planner"[^>]*data-procedure="([^"]*)"', page.read_text(encoding="utf-8"))
        rel = page.relative_to(site).as_posix()
        if m and m.group(1) in procs and m.group(1) not in out:
            out[m.group(1)] = server.url + rel
    home = server.url + "fr/"
    return [(out.get(p, home), p) for p in procs]


def open_sections(page):
    """Open the collapsed sections (identity, done dates, legal aid) so their fields can be filled."""
    page.evaluate("document.querySelectorAll('#planner details[data-section]').forEach((d) => { if (!d.hidden) d.open = true; })")


def answers(today: dt.date) -> dict:
    """A plausible answer for each question by id; identity fields get sentinels; dates not listed stay empty."""
    return {**SENTINELS, "expiration": (today + dt.timedelta(days=100)).isoformat(), "anef": "false",
            "done.conseil": (today - dt.timedelta(days=7)).isoformat(),  # regularisation: advice first
            "date_entree": (today - dt.timedelta(days=8 * 365)).isoformat(), "date_naissance": "1990-05-17",
            "departement": "93", "rfr": "12900", "foyer": "1", "epargne": "0", "immobilier": "0"}


def _fill(page, procedure: str, values: dict | None = None):
    """Answer the form written in the page: by question id, radios and selects get their first choice
    unless given, dates only when given."""
    if page.locator("#gp-procedure").count():
        page.select_option("#gp-procedure", procedure)
    open_sections(page)
    given = {**answers(dt.date.today()), **(values or {})}
    for f in page.locator("[data-section]:not([hidden]) [data-q]").all():
        qid = f.get_attribute("data-q")
        radios = f.locator("input[type=radio]")
        if radios.count():
            (f.locator(f'input[value="{given[qid]}"]') if qid in given else radios.first).check()
            continue
        control = f.locator("input, select").first
        if control.evaluate("e => e.tagName") == "SELECT":
            if qid in given:
                control.select_option(given[qid])
            else:
                control.select_option(index=1)
        elif qid in given:
            control.fill(given[qid])


def submit(page, timeout=90_000):
    """Press the main button and wait for the plan (a new one, if one was shown)."""
    shown = page.locator(".gp-results").get_attribute("data-plan")
    page.click(".gp-submit")
    if shown is None:
        page.wait_for_selector(".gp-steps > li", timeout=timeout)
    else:
        playwright_api.expect(page.locator(".gp-results")).not_to_have_attribute("data-plan", shown, timeout=timeout)


def test_planner_end_to_end(browser, server, site):
    import icalendar

    RESULTS.mkdir(exist_ok=True)
    s = Session(browser, server)
    page = s.ctx.new_page()
    console_errors = []
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    typed = list(SENTINELS.values()) + [PREFECTURE_SENTINEL, NOTE_SENTINEL]
    for n, (url, procedure) in enumerate(_targets(site, server)):
        page.goto(url)
        attached(page)
        _fill(page, procedure)
        page.click(".gp-submit")
        try:
            page.wait_for_selector(".gp-steps > li", timeout=90_000)
        except playwright_api.TimeoutError:
            page.screenshot(path=str(RESULTS / f"planner-390-{procedure}-FAILED.png"), full_page=True)
            raise AssertionError(page.inner_text(".gp")[:3000]) from None
        assert page.locator(".gp-form .gp-error:visible").count() == 0
        assert page.locator(".gp-steps > li").count() >= 3
        badges = page.locator(".gp-steps .gp-badge").all_inner_texts()
        assert badges and all(b.strip() for b in badges)
        refs = page.locator(".gp-steps .gp-refs").all_text_contents()
        assert refs and all("CESEDA" in r or "CE " in r or "Code" in r or "Loi" in r or "Me " in r or "Décret" in r
                            or "CJA" in r or "Circulaire" in r or "Guichet" in r for r in refs), refs
        assert "[object" not in page.inner_text(".gp") and "undefined" not in page.inner_text(".gp-results")
        # the typed name is shown as text, never run as HTML
        assert page.evaluate("window.__pwned") is None
        page.screenshot(path=str(RESULTS / f"planner-390-{procedure}.png"), full_page=True)
        if n == 0:
            page.screenshot(path=str(RESULTS / "planner-390.png"), full_page=True)

        # calendar: reminders of what is still ahead only
        with page.expect_download() as dl:
            page.click(".gp-ics")
        text = Path(dl.value.path()).read_bytes().decode("utf-8")
        cal = icalendar.Calendar.from_ical(text)
        events = cal.walk("VEVENT")
        assert len(events) >= 3
        assert all(e.get("UID") and e.get("DTSTAMP") and e.walk("VALARM") for e in events)
        assert all(e.decoded("DTSTART") > dt.date.today() for e in events)
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))

        # evidence log: three attempts on three days in two ISO weeks
        monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday() + 14)
        for d, t in ((monday, "08:05"), (monday + dt.timedelta(days=2), "13:40"), (monday + dt.timedelta(days=7), "19:10")):
            add_attempt(page, d.isoformat(), t, PREFECTURE_SENTINEL, NOTE_SENTINEL)
        assert page.inner_text("[data-count=attempts]") == "3"
        playwright_api.expect(page.locator("[data-count=days]")).to_have_text("3", timeout=30_000)
        playwright_api.expect(page.locator("[data-count=weeks]")).to_have_text("2")
        assert page.locator(".gp-ev-table tbody tr").count() == 3

        # hostile import refused, log untouched
        for bad in (b"{not json", json.dumps({"attempts": [{"date": "2026-13-45", "time": "x"}]}).encode(),
                    json.dumps({"attempts": [{"date": "2026-01-01", "time": "10:00", "note": {"x": 1}}]}).encode(),
                    b"[" + b"1," * 200_000 + b"1]"):
            page.set_input_files("#gp-ev-file", files=[{"name": "log.json", "mimeType": "application/json", "buffer": bad}])
            page.wait_for_selector(".gp-ev-msg.gp-error")
            assert page.inner_text("[data-count=attempts]") == "3"

        # print views: the case file (letter, annex, requête) and the checklist, never the form
        page.wait_for_selector(".gp-print-case")
        page.click(".gp-print-case")  # window.print is stubbed: the page stays as printing left it
        page.emulate_media(media="print")
        area = page.locator(".gp-print-area")
        assert area.is_visible()
        assert SENTINELS["prenom"] in area.inner_text()
        assert page.locator(".gp-print-area .gp-annex-table tbody tr").count() == 3
        assert page.locator(".gp-form").is_visible() is False
        page.screenshot(path=str(RESULTS / f"planner-print-case-{procedure}.png"))
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        page.emulate_media(media="screen")
        page.click(".gp-print-checklist")
        assert page.locator(".gp-print-area .gp-check").count() == page.locator(".gp-steps > li").count()
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        erase(page)
        assert page.inner_text("[data-count=attempts]") == "0"
        assert page.evaluate("localStorage.length") == 0 and page.evaluate("sessionStorage.length") == 0
    assert not console_errors, console_errors
    s.check_privacy(typed)
    s.ctx.close()


def add_attempt(page, day: str, time_: str, prefecture: str = "", note: str = ""):
    page.fill("#gp-ev-date", day)
    page.fill("#gp-ev-time", time_)
    page.fill("#gp-ev-pref", prefecture)
    page.fill("#gp-ev-note", note)
    page.click(".gp-ev-add button[type=submit]")


def erase(page):
    """"Erase everything", then its confirmation."""
    page.click(".gp-forget")
    page.click(".gp-forget-yes")


def open_planner(browser, server, url, init_script=None):
    """(recording session, page, page errors) with `url` open and the widget attached to its form."""
    s = Session(browser, server)
    if init_script:
        s.ctx.add_init_script(init_script)
    page = s.ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    attached(page)
    return s, page, errors


def _open_form(browser, server, site, init_script=None):
    """A recording session on the first procedure's page, once the widget is attached."""
    url, procedure = _targets(site, server)[0]
    s, page, _ = open_planner(browser, server, url, init_script)
    return s, page, procedure


def attached(page):
    """Wait until the widget has attached to the form the page already holds."""
    page.wait_for_selector("#planner[data-gp-ready]", state="attached")


def test_answers_kept_only_when_ticked(browser, server, site):
    s, page, procedure = _open_form(browser, server, site)
    _fill(page, procedure)
    page.reload()
    attached(page)
    assert page.evaluate("localStorage.length") == 0
    _fill(page, procedure)
    page.check("#gp-keep")
    page.locator(".gp-questions input[name=prenom]").fill(SENTINELS["prenom"])
    page.locator(".gp-questions input[name=prenom]").dispatch_event("change")
    page.reload()
    attached(page)
    assert page.locator(".gp-questions input[name=prenom]").input_value() == SENTINELS["prenom"]
    assert page.locator("#gp-keep").is_checked()
    erase(page)
    assert page.evaluate("localStorage.length") == 0
    page.reload()
    attached(page)
    assert page.locator(".gp-questions input[name=prenom]").input_value() == ""
    s.check_privacy(list(SENTINELS.values()))
    s.ctx.close()


def test_no_wasm_points_to_checklist(browser, server, site):
    s, page, procedure = _open_form(browser, server, site, "delete window.WebAssembly;")
    _fill(page, procedure)
    page.click(".gp-submit")
    page.wait_for_selector(".gp-load-error")
    assert page.locator(".gp-status a[href]").count() == 1
    s.ctx.close()


def test_pyodide_not_loaded_on_page_view(browser, server, site):
    s, page, _ = _open_form(browser, server, site)
    page.wait_for_timeout(1500)
    assert not [r for r in s.requests if "pyodide" in r["url"] or "planner-data" in r["url"] or "messages.json" in r["url"]]
    assert not [r for r in s.requests if r["url"].endswith(("/engine.js", "/results.js", "/letters.js", "/print.js"))]
    page.focus(".gp-questions input")
    page.wait_for_function("() => document.querySelector('.gp-status').textContent.length > 0")
    page.wait_for_timeout(500)
    assert [r for r in s.requests if "pyodide" in r["url"]]
    s.ctx.close()


SNAPSHOT_STATE = """async (needles) => {
  if (typeof caches === "undefined") return null;
  const cache = await caches.open("planner-snapshot");
  const keys = await cache.keys();
  if (!keys.length) return null;
  const body = (await cache.match(keys[0])).body.pipeThrough(new DecompressionStream("gzip"));
  const bytes = new Uint8Array(await new Response(body).arrayBuffer());
  const text = new TextDecoder("latin1").decode(bytes);
  return {urls: keys.map((r) => r.url), size: bytes.length, found: needles.filter((n) => text.includes(n))};
}"""


def test_warm_start_from_memory_snapshot(browser, server, site):
    """After a first start the worker keeps a memory snapshot of the interpreter with the planner
    imported (Cache API, issue 7), made before any request: it holds nothing the person typed. The
    next page load restores it and gives the same plan."""
    url, procedure = _targets(site, server)[0]
    s = Session(browser, server)
    page = s.ctx.new_page()

    def plan() -> list[str]:
        attached(page)
        _fill(page, procedure)
        submit(page)
        return page.locator(".gp-steps > li").all_inner_texts()

    page.goto(url)
    first = plan()
    assert page.evaluate("window.__guichetEngine.restored") is False
    deadline = time.monotonic() + 90
    # ASCII values: one byte per character in Python's memory; "_guichet_run" shows the search works
    needles = ["_guichet_run", *SENTINELS.values()]
    while not page.evaluate(SNAPSHOT_STATE, needles) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    snap = page.evaluate(SNAPSHOT_STATE, needles)
    assert snap and len(snap["urls"]) == 1 and "/planner-data/planner-" in snap["urls"][0], snap and snap["urls"]
    assert snap["size"] > 10_000_000  # a whole wasm memory, not an error page
    assert snap["found"] == ["_guichet_run"], f"typed values in the snapshot: {snap['found']}"
    page.reload()
    assert plan() == first
    assert page.evaluate("window.__guichetEngine.restored") is True
    s.check_privacy(list(SENTINELS.values()))
    s.ctx.close()
