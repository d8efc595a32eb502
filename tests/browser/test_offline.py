"""The service worker (scripts/web/sw.template.js, written to site/sw.js by scripts/web/offline.py), in Chromium,
with the site served under /guichet/ as on GitHub Pages:

- after one visit the guide in the language read and (once used) the planner work with the server
  stopped; the 13 MB runtime is not downloaded by the worker before the planner is used;
- a new deploy does not break a page already open: the new worker waits, the open page keeps its
  build's caches; once the page is closed the new worker takes over and deletes only the old
  build's caches (the runtime cache of the same Pyodide version is kept);
- the caches stay under the figure the privacy page states;
- when a new version waits, the open page offers "Nouvelle version du guide : recharger", which
  activates it and reloads (two real builds, one file changed between them).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from scripts.web import integrity, offline
from tests.browser.test_browser_planner import Session, _fill, attached, browser, playwright_api, submit  # noqa: F401

WAIT_SW = """async () => { const r = await navigator.serviceWorker.ready; return !!r.active; }"""
CACHE_STATE = """async () => {
  const out = {};
  for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
  return out;
}"""


CACHE_BYTES = """async () => {
  let n = 0;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const req of await cache.keys()) n += (await (await cache.match(req)).blob()).size;
  }
  return n;
}"""


def sw_config(site: Path) -> dict:
    text = (site / "sw.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"const CONFIG = (\{.*?\});\n", text).group(1))


def _until(page, predicate: str, arg=None, timeout=30_000):
    """Poll an async predicate with page.evaluate, which awaits it (wait_for_function would take the
    returned Promise itself as truthy and return at once)."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(predicate, arg):
        assert time.monotonic() < deadline, f"timed out waiting for {predicate[:80]}"
        page.wait_for_timeout(250)


def _wait_language_cached(page, cfg, lang, base, timeout=30_000):
    want = len(cfg["languages"][lang])
    _until(page, """async ([name, prefix, want]) => {
        if (!(await caches.has(name))) return false;
        const keys = await (await caches.open(name)).keys();
        return keys.filter((r) => r.url.startsWith(prefix)).length >= want;
    }""", [f"guichet-pages-{cfg['build']}", f"{base}{lang}/", want], timeout)


def _plan(page, procedure="renouvellement"):
    attached(page)
    _fill(page, procedure)
    submit(page)


def test_worker_config_is_relative_and_never_precaches_the_runtime(subpath_site):
    site = subpath_site.built.site
    cfg = sw_config(site)
    assert cfg["build"] == offline.build_id(site) and cfg["pyodide"]
    every = [*cfg["runtime"], *cfg["data"], *cfg["shared"], *[f"{c}/{p}" for c, v in cfg["languages"].items() for p in v]]
    assert not [u for u in every if "://" in u or u.startswith("/")], "URLs must be relative to the scope"
    # every file with the SHA-256 of its bytes in this build (issue 14: the worker serves nothing else)
    digests = {**cfg["runtime"], **cfg["data"], **cfg["shared"],
               **{f"{c}/{p}": d for c, v in cfg["languages"].items() for p, d in v.items()}}
    for rel, digest in digests.items():
        path = site / rel / "index.html" if rel == "" or rel.endswith("/") else site / rel
        assert digest == integrity.sri(path.read_bytes()), rel
    assert set(cfg["languages"]) == set(subpath_site.built.langs)
    assert any(u.endswith(".wasm") for u in cfg["runtime"])
    for lang, files in cfg["languages"].items():
        assert "" in files and "a-propos/" in files and "assets/planner/worker.js" in files, lang
        assert not [f for f in files if f.endswith(".map") or "pyodide" in f], lang
    sw = (site / "sw.js").read_text(encoding="utf-8")
    # an open page keeps its build's worker, unless the reader asks for the new one
    assert sw.count("skipWaiting") == 1 and 'msg.op === "activate") {' in sw.split("skipWaiting")[0][-200:]
    assert 'addEventListener("install", () => {' in sw  # nothing fetched at install


def test_cache_stays_within_the_stated_figure(subpath_site):
    site = subpath_site.built.site
    bound = offline.cache_bound(site, subpath_site.built.langs)
    assert bound <= offline.CACHE_BUDGET_MB * 1_000_000, f"{bound / 1e6:.1f} MB > {offline.CACHE_BUDGET_MB} MB"
    for lang in subpath_site.built.langs:
        html = subpath_site.built.page(lang, "a-propos")
        # the figure, followed by its unit in the page's language (Mo, MB, МБ, ميغابايت...)
        assert re.search(rf"(?<!\d){offline.CACHE_BUDGET_MB}(?!\d)\s*\S", html) and "%(size)s" not in html, lang


def test_offline_after_one_visit_under_subpath(browser, subpath_site):
    from scripts.dev.server import serve

    site = subpath_site.built.site
    cfg = sw_config(site)
    base = subpath_site.url
    s = Session(browser, None, service_workers="allow")
    page = s.ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    with serve(subpath_site.root, port=subpath_site.port) as srv:
        s.server = srv
        page.goto(base + "en/")
        assert page.evaluate(WAIT_SW)
        assert page.evaluate("navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL") \
            == base + "sw.js"
        _wait_language_cached(page, cfg, "en", base)
        state = page.evaluate(CACHE_STATE)
        assert not [n for n in state if "pyodide" in n or "data" in n], state  # not before the planner is used
        assert not [r for r in srv.log if "/assets/pyodide/" in r["path"]]
        assert not [u for urls in state.values() for u in urls if u.startswith(base + "fr/")], "only the language read"
        page.goto(base + "en/procedures/renouvellement/")
        _plan(page)
        # the worker stores what it proxied a moment after the page got it
        _until(page, """async ([runtime, data]) => (await caches.has(runtime)) && (await caches.has(data))
            && (await (await caches.open(runtime)).keys()).some((r) => r.url.endsWith('.wasm'))""",
               [f"guichet-pyodide-{cfg['pyodide']}", f"guichet-data-{cfg['build']}"])
        state = page.evaluate(CACHE_STATE)
        runtime = {u[len(base):] for u in state.get(f"guichet-pyodide-{cfg['pyodide']}", [])}
        assert runtime <= set(cfg["runtime"]) and [u for u in runtime if u.endswith(".wasm")], runtime
        assert state.get(f"guichet-data-{cfg['build']}"), state
        # a project path (shared origin, as on OWNER.github.io): no memory snapshot (issue 14)
        assert 'data-guichet-origin="shared"' in subpath_site.built.page("en", "procedures/renouvellement")
        page.wait_for_timeout(1000)
        assert "planner-snapshot" not in page.evaluate("async () => await caches.keys()")
        used = page.evaluate(CACHE_BYTES)
        assert used <= offline.CACHE_BUDGET_MB * 1_000_000, f"{used / 1e6:.1f} MB cached"
        assert used <= offline.cache_bound(site, subpath_site.built.langs), used
    # the server is gone: a new tab reads the guide and computes a plan from the caches
    page.close()
    page = s.ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    for rel in ("en/", "en/a-propos/", "en/aide-juridictionnelle/", "en/tribunal/", ""):
        resp = page.goto(base + rel)
        assert resp and resp.ok, rel
        assert page.locator("h1").count(), rel
    page.goto(base + "en/procedures/admission-exceptionnelle/")
    _plan(page, "admission-exceptionnelle")
    assert page.locator(".gp-form .gp-error:visible").count() == 0
    with pytest.raises(playwright_api.Error):
        page.goto(base + "fr/tribunal/")  # a language never opened is not kept
    assert not errors, errors
    assert not s.external and not s.csp, (s.external, s.csp)
    assert not s.ctx.cookies()
    s.ctx.close()


def _deploy(src: Path, dst: Path, langs: list[str]) -> None:
    """A new build of the same site: one page changed, the planner data renamed (new hash)."""
    page = dst / "en" / "a-propos" / "index.html"
    text = page.read_text(encoding="utf-8").replace("</body>", "<p id=new-build>new build</p></body>")
    page.unlink()
    page.write_text(text, encoding="utf-8")
    data = dst / "assets" / "planner-data"
    for f in list(data.glob("rules-*.json")):
        new = f.with_name(f.name.replace("rules-", "rules-0"))
        shutil.copyfile(f, new)
        f.unlink()
        for man in dst.glob("*/assets/planner/manifest.json"):
            t = man.read_text(encoding="utf-8").replace(f.name, new.name)
            man.unlink()
            man.write_text(t, encoding="utf-8")
    integrity.stamp(dst, langs, dedicated=False)  # the pages vouch for their new manifest
    (dst / "sw.js").unlink()
    offline.write_service_worker(dst, langs)


def test_new_deploy_does_not_break_an_open_page(browser, subpath_site, tmp_path):
    from scripts.dev.server import serve

    src = subpath_site.built.site
    root = tmp_path / "root"
    shutil.copytree(src, root / "guichet", copy_function=os.link)  # hard links: cheap, files replaced on change
    site = root / "guichet"
    old = sw_config(site)
    base = subpath_site.url
    s = Session(browser, None, service_workers="allow")
    with serve(root, port=subpath_site.port) as srv:
        s.server = srv
        page = s.ctx.new_page()
        page.goto(base + "en/procedures/renouvellement/")
        assert page.evaluate(WAIT_SW)
        _wait_language_cached(page, old, "en", base)
        _plan(page)
        _deploy(src, site, subpath_site.built.langs)
        new = sw_config(site)
        assert new["build"] != old["build"] and new["pyodide"] == old["pyodide"]
        page.evaluate("async () => { const r = await navigator.serviceWorker.getRegistration(); await r.update(); }")
        _until(page, "async () => !!(await navigator.serviceWorker.getRegistration()).waiting", timeout=20_000)
        # the open page keeps its worker and its build's caches, and still computes
        names = set(page.evaluate(CACHE_STATE))
        assert f"guichet-pages-{old['build']}" in names and f"guichet-pyodide-{old['pyodide']}" in names
        page.click(".gp-submit")
        page.wait_for_selector(".gp-steps > li")
        assert page.locator(".gp-form .gp-error:visible").count() == 0
        page.close()
        # every tab closed: the waiting worker takes over (watched from a page outside its scope) and
        # drops only the old build's caches
        page = s.ctx.new_page()
        page.goto(srv.url)
        _until(page, """async (scope) => {
            const r = await navigator.serviceWorker.getRegistration(scope);
            return !!(r && !r.waiting && r.active && r.active.state === "activated");
        }""", base, timeout=20_000)
        page.goto(base + "en/a-propos/")
        _until(page, """async (build) => {
            const names = await caches.keys();
            return names.includes(`guichet-pages-${build}`) && !names.some((n) => n.includes('OLD'));
        }""".replace("OLD", old["build"]), new["build"], timeout=20_000)
        names = set(page.evaluate(CACHE_STATE))
        assert f"guichet-pyodide-{old['pyodide']}" in names, names  # same runtime: kept, not downloaded again
        assert not [n for n in names if old["build"] in n], names
        page.reload()
        assert page.locator("#new-build").count() == 1
    assert not s.external and not s.csp, (s.external, s.csp)
    s.ctx.close()


def test_a_waiting_version_is_offered_and_taken_on_request(browser, tmp_path, monkeypatch):
    """Two real builds (French only), one rule file changed between them: the open page offers
    "Nouvelle version du guide : recharger" once the new worker waits; pressing it (keyboard) activates
    the new worker and reloads into the new version."""
    from scripts.dev.server import serve
    from tests.conftest import ROOT, build_site, free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}/guichet/"
    monkeypatch.setenv("GUICHET_SITE_URL", base)
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    first = build_site(tmp_path / "work", rules=rules, langs=["fr"])
    root = tmp_path / "root"
    root.mkdir()
    (root / "guichet").symlink_to(first.site, target_is_directory=True)
    marker = "Phrase ajoutée par la deuxième version."
    s = Session(browser, None, service_workers="allow")
    with serve(root, port=port) as srv:
        s.server = srv
        page = s.ctx.new_page()
        page.goto(base + "fr/procedures/renouvellement/")
        assert page.evaluate(WAIT_SW)
        button = page.locator("[data-guichet-update]")
        page.wait_for_timeout(500)
        assert button.is_hidden()  # a first visit installs, it does not offer anything
        old = sw_config(first.site)["build"]

        proc = rules / "procedures" / "renouvellement.yaml"
        proc.write_text(proc.read_text(encoding="utf-8").replace("l'urgence\n  est présumée.",
                                                                 f"l'urgence\n  est présumée. {marker}"), encoding="utf-8")
        second = build_site(tmp_path / "work", rules=rules, langs=["fr"])
        new = sw_config(second.site)["build"]
        assert new != old and marker in second.page("fr", "procedures/renouvellement")
        assert marker not in page.content()

        page.evaluate("async () => { await (await navigator.serviceWorker.getRegistration()).update(); }")
        playwright_api.expect(button).to_be_visible(timeout=20_000)
        assert button.inner_text().strip() == "Nouvelle version du guide : recharger"
        assert page.locator(".g-update[role=status]").count() == 1
        button.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_load_state()
        assert marker in page.content()
        assert page.evaluate(WAIT_SW)
        status = page.evaluate("""() => new Promise((resolve) => {
            const ch = new MessageChannel();
            ch.port1.onmessage = (e) => resolve(e.data);
            navigator.serviceWorker.controller.postMessage({op: "status"}, [ch.port2]);
        })""")
        assert status["build"] == new
        assert button.is_hidden()
    assert not s.external and not s.csp, (s.external, s.csp)
    s.ctx.close()
