"""Benchmark of the in-browser planner (not a test): medians of N runs in Debian Chromium, the site
served gzip-compressed on 127.0.0.1 with Cache-Control: max-age=600 (as GitHub Pages serves).

    python -m scripts.pyodide_bench [--runs 5] [--site site] [--json out.json]

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
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.pyodide_serve import serve  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"]
FILL = """(vals) => {
  for (const [name, v] of Object.entries(vals)) {
    const el = document.querySelector(`.gp-questions [name="${name}"]`);
    if (el) { el.value = v; continue; }
  }
  for (const fs of document.querySelectorAll('.gp-questions .gp-radios')) {
    const r = fs.querySelectorAll('input[type=radio]'); if (r.length) r[r.length > 1 ? 1 : 0].checked = true;
  }
}"""


# the worker's compiled standard library is in the Cache API (or there is no such cache: old worker)
COMPILED = """async () => {
  if (typeof caches === "undefined") return true;
  const c = await caches.open("planner-pyc");
  const urls = (await c.keys()).map((r) => r.url);  // the stdlib's and the planner's bytecode
  return urls.some((u) => u.includes("python_stdlib")) && urls.some((u) => u.includes("/planner-"));
}"""


def _site(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    from tests.test_browser_planner import _mini_site, _planner_pages  # same fallback as the tests
    if _planner_pages(ROOT / "site"):
        return ROOT / "site"
    return _mini_site(Path(tempfile.mkdtemp(prefix="guichet-bench-")))


def _page_url(site: Path, base: str) -> str:
    for p in sorted((site / "fr").rglob("index.html")):
        if 'data-procedure="renouvellement"' in p.read_text(encoding="utf-8", errors="ignore"):
            return base + p.relative_to(site).as_posix()
    return base + "fr/"


def _values():
    import datetime as dt
    t = dt.date.today()
    return {"expiration": (t + dt.timedelta(days=100)).isoformat(), "rfr": "12900", "foyer": "1",
            "departement": '"93"', "nom": "Bench", "prenom": "Run"}


def _press(page) -> float:
    if page.locator(".gp-form select[name=procedure]").count():
        page.evaluate("() => { const s = document.querySelector('.gp-form select[name=procedure]');"
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
    ap.add_argument("--site", default=None)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    site = _site(args.site)
    res = {"bytes": [], "cold_s": [], "prefetch_s": [], "warm_s": [], "engine_ms": [], "compile_s": []}
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
            # warm: same profile (HTTP cache, and the bytecode the worker compiles in the background
            # after its first start, kept in the Cache API), page reloaded
            t0 = time.perf_counter()
            while not page.evaluate(COMPILED) and time.perf_counter() - t0 < 120:
                page.wait_for_timeout(200)
            res["compile_s"].append(time.perf_counter() - t0)
            page.reload()
            page.wait_for_selector(".gp-form")
            res["warm_s"].append(_press(page))
            ctx.close()
            # prefetch: fresh profile, the person starts filling, presses the button 10 s later
            ctx = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
            page = ctx.new_page()
            page.goto(url)
            page.wait_for_selector(".gp-form")
            page.focus(".gp-questions input")
            page.wait_for_timeout(10_000)
            res["prefetch_s"].append(_press(page))
            ctx.close()
        browser.close()
    med = {k: statistics.median(v) for k, v in res.items() if v}
    report = {"runs": args.runs, "medians": med, "all": res, "url_path": url.split("/", 3)[-1]}
    print(f"planner benchmark, medians of {args.runs} runs (gzip, loopback, {url.split('/', 3)[-1]}):")
    print(f"  bytes to first plan (cold): {med['bytes'] / 1e6:.2f} MB ({med['bytes']:,} B)")
    print(f"  button -> plan, cold:       {med['cold_s']:.2f} s")
    print(f"  button -> plan, prefetched: {med['prefetch_s']:.2f} s (form filled over 10 s)")
    print(f"  button -> plan, warm:       {med['warm_s']:.2f} s (HTTP cache + compiled stdlib, page reloaded)")
    print(f"  background compile after the first plan: {med['compile_s']:.2f} s")
    print(f"  engine compute per request: {med['engine_ms']:.1f} ms (inside Pyodide)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
