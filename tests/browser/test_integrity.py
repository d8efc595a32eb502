"""Issue 14, in Chromium, on the whole site built for and served under /guichet/ (conftest.subpath_site),
as a GitHub Pages project site whose origin other projects share:

- another project served from the same origin (/evil/, tests/browser/evil/) rewrites the service
  worker's caches (the rules: no legal aid for anyone; the Pyodide module: a call home; a page) and
  plants a working Python memory snapshot that moves every date to 2099 and posts the request to
  another server. The next visit computes the same plan as before, "100 %" stays "100 %", nothing
  reaches the other server, the rewritten files are replaced by the real ones, and the rewritten page
  is not served offline;
- the planner's own checks: a file that differs from its digest is not used, whoever serves it; on
  a dedicated origin (the site built for http://127.0.0.1:8000/) a rewritten memory snapshot is
  deleted and Python starts afresh;
- a page of another origin that frames the procedure page gets no planner: a message says to open
  the guide directly.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from scripts.dev.server import serve
from scripts.web import integrity
from tests.browser.test_browser_planner import Session, _fill, attached, browser, playwright_api, server, site  # noqa: F401
from tests.browser.test_offline import WAIT_SW, _until, _wait_language_cached, sw_config

EVIL = Path(__file__).with_name("evil")
PROCEDURE = "fr/procedures/renouvellement/"


def _plan(page) -> dict:
    attached(page)
    _fill(page, "renouvellement")
    page.click(".gp-submit")
    page.wait_for_selector(".gp-steps > li", timeout=90_000)
    page.wait_for_selector(".gp-verdict")
    return {"steps": page.locator(".gp-steps > li").all_inner_texts(), "aid": page.inner_text(".gp-verdict")}


@pytest.fixture()
def shared_origin(subpath_site, tmp_path):
    """A web root with the guide at /guichet/ and another project at /evil/ (same origin), and a
    server of another origin standing for the attacker's (`home`)."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "guichet").symlink_to(subpath_site.built.site, target_is_directory=True)
    shutil.copytree(EVIL, root / "evil")
    (tmp_path / "home").mkdir()
    with serve(tmp_path / "home") as home:
        yield root, home


def test_the_forged_rules_would_refuse_legal_aid(subpath_site):
    """What the evil page does to the rules (tests/browser/evil/evil.js) is a real attack: the engine
    given them refuses aid to the person the real rules give 100 %."""
    from planner import api

    bundle = json.loads(next((subpath_site.built.site / "assets" / "planner-data").glob("rules-*.json")).read_bytes())
    request = {"command": "aid", "procedure": "renouvellement",
               "answers": {"today": "2026-11-29", "rfr": 12900, "foyer": 1, "epargne": 0, "immobilier": 0,
                           "residence": "regular", "exemption": "aucune"}}
    assert api.run(bundle, request)["rate"] == 100
    for name, p in bundle["parameters"].items():
        if name.startswith("aide_juridictionnelle.plafond_rfr_"):
            for v in p["values"]:
                v["value"] = 0
    assert api.run(bundle, request)["rate"] == 0


def test_another_project_on_the_origin_cannot_take_the_planner_over(browser, subpath_site, shared_origin):
    root, home = shared_origin
    site = subpath_site.built.site
    cfg = sw_config(site)
    base = subpath_site.url
    s = Session(browser, None, service_workers="allow")
    errors = []

    # 1. a visit: the guide in French and the planner's runtime and data are cached
    with serve(root, port=subpath_site.port) as srv:
        s.server = srv
        page = s.ctx.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + PROCEDURE)
        assert page.evaluate(WAIT_SW)
        _wait_language_cached(page, cfg, "fr", base)
        before = _plan(page)
        assert "100 %" in before["aid"], before["aid"]
        _until(page, """async ([runtime, data]) => (await caches.has(runtime)) && (await caches.has(data))
            && (await (await caches.open(runtime)).keys()).some((r) => r.url.endsWith('/pyodide.mjs'))
            && (await (await caches.open(data)).keys()).some((r) => r.url.includes('/rules-'))""",
               [f"guichet-pyodide-{cfg['pyodide']}", f"guichet-data-{cfg['build']}"])
        page.close()

        # 2. the person opens a page of another project on the same origin
        evil = s.ctx.new_page()
        evil.goto(f"{srv.url}evil/?exfil={home.server_address[1]}")
        deadline = time.monotonic() + 120
        while not evil.evaluate("() => window.__forged && !(window.__forged instanceof Promise)"):
            assert time.monotonic() < deadline, "the evil page did not finish"
            evil.wait_for_timeout(500)
        forged = evil.evaluate("window.__forged")
        assert forged["snapshot"].get("effective") is True, forged  # a restored worker would answer 2099
        assert forged["rules"] >= 1 and forged["runtime"] >= 1 and forged["page"] == 1, forged
        evil.close()
    home.log.clear()  # the forging worker's own proof called home

    # 3. offline, the rewritten page is not served
    page = s.ctx.new_page()
    with pytest.raises(playwright_api.Error):
        page.goto(base + "fr/a-propos/")
    assert page.locator("#forged").count() == 0
    page.close()

    # 4. the next visit: the same plan, the same verdict, nothing sent home, the real files cached again
    with serve(root, port=subpath_site.port) as srv:
        s.server = srv
        page = s.ctx.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + PROCEDURE)
        after = _plan(page)
        assert after == before
        assert "2099" not in page.inner_text(".gp")
        assert page.evaluate("window.__guichetEngine.restored") is False
        rules = next((site / "assets" / "planner-data").glob("rules-*.json"))
        cached = page.evaluate("""async ([name, url]) => {
            const hit = await (await caches.open(name)).match(url);
            return hit ? await hit.text() : null;
        }""", [f"guichet-data-{cfg['build']}", f"{base}assets/planner-data/{rules.name}"])
        assert cached == rules.read_text(encoding="utf-8")
        mjs = site / "assets" / "pyodide" / cfg["pyodide"] / "pyodide.mjs"
        cached = page.evaluate("""async ([name, url]) => {
            const hit = await (await caches.open(name)).match(url);
            return hit ? await hit.text() : null;
        }""", [f"guichet-pyodide-{cfg['pyodide']}", f"{base}assets/pyodide/{cfg['pyodide']}/pyodide.mjs"])
        assert cached == mjs.read_text(encoding="utf-8")
        # a shared origin: the planted snapshot is not used, and is dropped
        assert "planner-snapshot" not in page.evaluate("async () => await caches.keys()")
        s.check_privacy([])
    assert not home.log, [r["path"] for r in home.log]
    assert not errors, errors
    s.ctx.close()


FRAMING = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Look-alike</title></head>
<body><h1>Official-looking page</h1><iframe id="f" src="{url}" width="390" height="800"></iframe></body></html>"""


def test_a_framed_planner_does_not_start(browser, subpath_site, tmp_path):
    (tmp_path / "other").mkdir()
    url = subpath_site.url + PROCEDURE
    (tmp_path / "other" / "index.html").write_text(FRAMING.format(url=url), encoding="utf-8")
    with serve(subpath_site.root, port=subpath_site.port) as srv, serve(tmp_path / "other") as other:
        s = Session(browser, srv)
        page = s.ctx.new_page()
        page.goto(other.url)
        frame = page.frame_locator("#f")
        note = frame.locator("#planner [role=alert]")
        playwright_api.expect(note).to_contain_text("Ouvrez le guide directement")
        assert note.locator("a").get_attribute("href") == url
        assert frame.locator(".gp-form, .gp-questions").count() == 0
        page.wait_for_timeout(1000)
        assert not [r for r in s.requests if "/assets/pyodide/" in r["url"] or "manifest.json" in r["url"]]
        # the same page opened directly: the planner is there
        direct = s.ctx.new_page()
        direct.goto(url)
        direct.wait_for_selector(".gp-form")
        s.check_privacy([])
        s.ctx.close()


def test_the_build_says_the_origin_is_shared(subpath_site):
    """A project path is a shared origin: every planner page says so, which keeps the worker from
    making a memory snapshot there."""
    dedicated, warning = integrity.origin_policy(subpath_site.url, env={})
    assert dedicated is False and warning
    page = subpath_site.built.page("fr", "procedures/renouvellement")
    assert 'data-guichet-origin="shared"' in page


def test_a_file_that_does_not_match_its_digest_is_not_used(browser, subpath_site, tmp_path):
    """The planner's own check, whatever serves the files (here the server itself, no service worker):
    rules that differ from the manifest's digest stop the planner instead of answering; a manifest
    that differs from the page's digest draws no form."""
    site = tmp_path / "root" / "guichet"
    shutil.copytree(subpath_site.built.site, site, copy_function=os.link)
    rules = next((site / "assets" / "planner-data").glob("rules-*.json"))
    bundle = json.loads(rules.read_bytes())
    bundle["parameters"]["aide_juridictionnelle.plafond_rfr_100"]["values"][-1]["value"] = 0
    rules.unlink()
    rules.write_text(json.dumps(bundle), encoding="utf-8")
    with serve(tmp_path / "root", port=subpath_site.port) as srv:
        s = Session(browser, srv)
        page = s.ctx.new_page()
        page.goto(subpath_site.url + PROCEDURE)
        attached(page)
        _fill(page, "renouvellement")
        page.click(".gp-submit")
        page.wait_for_selector(".gp-status .gp-load-error", timeout=90_000)
        assert "ne correspond pas" in page.inner_text(".gp-status .gp-load-error")
        assert page.locator(".gp-steps > li").count() == 0
        assert len([r for r in srv.log if r["path"].endswith(rules.name)]) == 2  # once more past the HTTP cache

        manifest = site / "fr" / "assets" / "planner" / "manifest.json"
        text = manifest.read_text(encoding="utf-8").replace("Votre plan personnel", "Votre plan")
        manifest.unlink()
        manifest.write_text(text, encoding="utf-8")
        page.goto(subpath_site.url + PROCEDURE)
        error = page.locator("#planner .gp-load-error[data-kind=integrity]")
        playwright_api.expect(error).to_be_visible()
        assert "ne correspond pas" in error.inner_text()
        assert page.locator(".gp-form").count() == 0  # the form the page holds cannot work: removed
        s.check_privacy([])
        s.ctx.close()


SNAPSHOT_KEPT = """async () => {  // a snapshot in the cache and its digest in IndexedDB (worker.js)
    const keys = await (await caches.open('planner-snapshot')).keys();
    if (keys.length !== 1) return false;
    if (!(await indexedDB.databases()).some((d) => d.name === 'planner-snapshot')) return false;
    return await new Promise((resolve) => {
        const open = indexedDB.open('planner-snapshot');
        open.onerror = () => resolve(false);
        open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('digests')) { db.close(); resolve(false); return; }
            const get = db.transaction('digests').objectStore('digests').get(keys[0].url);
            get.onsuccess = () => { db.close(); resolve(typeof get.result === 'string'); };
            get.onerror = () => { db.close(); resolve(false); };
        };
    });
}"""


def test_a_snapshot_that_does_not_match_its_digest_is_dropped(browser, server, site):
    """On a dedicated origin (the site built for http://127.0.0.1:8000/) the worker keeps a snapshot and
    its digest; a snapshot rewritten afterwards is deleted and Python starts afresh."""
    assert 'data-guichet-origin="dedicated"' in (site / "fr" / "procedures" / "renouvellement" / "index.html").read_text()
    s = Session(browser, server)
    page = s.ctx.new_page()
    page.goto(server.url + PROCEDURE)
    first = _plan(page)
    assert page.evaluate("window.__guichetEngine.restored") is False
    _until(page, SNAPSHOT_KEPT, timeout=90_000)
    # the same memory in a gzip header that differs by its "operating system" byte: a snapshot the
    # runtime would restore, whose digest is not the one kept
    page.evaluate("""async () => {
        const cache = await caches.open('planner-snapshot');
        const [key] = await cache.keys();
        const bytes = new Uint8Array(await (await cache.match(key)).arrayBuffer());
        bytes[9] ^= 1;
        await cache.put(key, new Response(bytes));
    }""")
    page.reload()
    assert _plan(page) == first
    assert page.evaluate("window.__guichetEngine.restored") is False
    # a new snapshot, with its digest, is made from the fresh start: the next visit restores it
    _until(page, SNAPSHOT_KEPT, timeout=90_000)
    page.reload()
    assert _plan(page) == first
    assert page.evaluate("window.__guichetEngine.restored") is True
    s.ctx.close()
