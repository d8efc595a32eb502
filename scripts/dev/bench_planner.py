"""Benchmark of the in-browser planner (not a test): medians of N runs in Debian Chromium, the site
served gzip-compressed on 127.0.0.1 with Cache-Control: max-age=600 (as GitHub Pages serves).

    python -m scripts.dev.bench_planner [--runs 5] [--site site] [--json out.json]

Figures: bytes sent by the server from page view to the first plan (gzip bodies, cold cache);
time from pressing the button to the plan shown, cold (nothing loaded), after 10 s of filling
the form (the worker prefetches from the first focus), and warm (runtime in the HTTP cache, page
reloaded); the engine's own compute time per request inside Pyodide.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from scripts.dev.server import ROOT, serve

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"]
FILL = """(vals) => {
  for (const d of document.querySelectorAll('#planner details[data-section]')) d.open = true;
  for (const [name, v] of Object.entries(vals)) {
    const el = document.querySelector(`.gp-questions [name="${name}"]:not([type=radio])`);
    if (el) el.value = v;
  }
  for (const fs of document.querySelectorAll('.gp-questions [data-section]:not([hidden]) .gp-radios')) {
    const r = fs.querySelectorAll('input[type=radio]'); if (r.length) r[r.length > 1 ? 1 : 0].checked = true;
  }
}"""
# the widget has attached to the form the page holds
ATTACHED = "() => !!document.querySelector('#planner[data-gp-ready]')"


# the worker has stored its memory snapshot in the Cache API (issue 7)
SNAPSHOT = """async () => {
  if (typeof caches === "undefined") return true;
  return (await (await caches.open("planner-snapshot")).keys()).length > 0;
}"""


def _site(arg: str) -> Path:
    site = Path(arg)
    if not list((site / "fr").rglob("manifest.json")):
        sys.exit(f"no planner in {site}: build the site first (make site)")
    return site


def _page_url(site: Path, base: str) -> str:
    for p in sorted((site / "fr").rglob("index.html")):
        if 'data-procedure="renouvellement"' in p.read_text(encoding="utf-8", errors="ignore"):
            return base + p.relative_to(site).as_posix()
    return base + "fr/"


def _values():
    import datetime as dt
    t = dt.date.today()
    return {"expiration": (t + dt.timedelta(days=100)).isoformat(), "rfr": "12900", "foyer": "1",
            "departement": "93", "nom": "Bench", "prenom": "Run"}


def _attached(page) -> None:
    for _ in range(200):
        if page.evaluate(ATTACHED):
            return
        page.wait_for_timeout(50)
    raise TimeoutError("the planner did not attach to its form")


def _press(page) -> float:
    _attached(page)
    if page.locator("#gp-procedure").count():
        page.evaluate("() => { const s = document.querySelector('#gp-procedure');"
                      " s.value = 'renouvellement'; s.dispatchEvent(new Event('change')); }")
    page.evaluate(FILL, _values())
    t0 = time.perf_counter()
    page.click(".gp-submit")
    page.wait_for_selector(".gp-steps > li", timeout=120_000)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--site", default=str(ROOT / "site"))
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    site = _site(args.site)
    res = {"bytes": [], "cold_s": [], "prefetch_s": [], "warm_s": [], "engine_ms": [], "snapshot_s": [], "warm_restored": []}
    with serve(site, gzip=True, cache_control="max-age=600") as srv, sync_playwright() as p:
        url = _page_url(site, srv.url)
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(args.runs):
            # cold: fresh profile, nothing cached, the button is the first interaction
            ctx = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
            page = ctx.new_page()
            srv.bytes_sent = 0
            page.goto(url)
            page.wait_for_selector(".gp-form")
            res["cold_s"].append(_press(page))
            res["bytes"].append(srv.bytes_sent)
            res["engine_ms"].append(page.evaluate("window.__guichetEngineMs"))
            # warm: same profile (HTTP cache, and the memory snapshot the worker stores after its
            # first start, in the Cache API), page reloaded
            t0 = time.perf_counter()
            while not page.evaluate(SNAPSHOT) and time.perf_counter() - t0 < 120:
                page.wait_for_timeout(200)
            res["snapshot_s"].append(time.perf_counter() - t0)
            page.reload()
            page.wait_for_selector(".gp-form")
            res["warm_s"].append(_press(page))
            res["warm_restored"].append(page.evaluate("window.__guichetEngine.restored"))
            ctx.close()
            # prefetch: fresh profile, the person starts filling, presses the button 10 s later
            ctx = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
            page = ctx.new_page()
            page.goto(url)
            _attached(page)
            page.focus(".gp-questions input")
            page.wait_for_timeout(10_000)
            res["prefetch_s"].append(_press(page))
            ctx.close()
        browser.close()
    med = {k: statistics.median(v) for k, v in res.items() if v and k != "warm_restored"}
    report = {"runs": args.runs, "medians": med, "all": res, "url_path": url.split("/", 3)[-1]}
    print(f"planner benchmark, medians of {args.runs} runs (gzip, loopback, {url.split('/', 3)[-1]}):")
    print(f"  bytes to first plan (cold): {med['bytes'] / 1e6:.2f} MB ({med['bytes']:,} B)")
    print(f"  button -> plan, cold:       {med['cold_s']:.2f} s")
    print(f"  button -> plan, prefetched: {med['prefetch_s']:.2f} s (form filled over 10 s)")
    print(f"  button -> plan, warm:       {med['warm_s']:.2f} s (HTTP cache + memory snapshot, page reloaded;"
          f" restored in {sum(res['warm_restored'])} of {len(res['warm_restored'])} runs)")
    print(f"  snapshot stored, after the first plan: {med['snapshot_s']:.2f} s")
    print(f"  engine compute per request: {med['engine_ms']:.1f} ms (inside Pyodide)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
