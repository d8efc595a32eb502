"""Performance benchmark (issue 7): `make bench` writes bench/report.md and bench/report.json.

Not a test: figures depend on the machine and on its load, so nothing here asserts; every figure is
the median of several runs, printed next to its target, with the reason for any miss.

    python -m scripts.dev.bench [--runs 3] [--only build,weight,lighthouse,planner] [--out bench]

- build: the full build of every language with a catalog in rules/locales (`python -m scripts.build`,
  a fresh process each time, as `make site`), then with 1, 10 and 50 synthetic procedures
  (copies of rules/procedures/renouvellement.yaml with new ids, in a temporary copy of rules/).
- weight: the first view of every page type in every language, bytes over the wire with gzip as
  GitHub Pages serves (headless Chromium, fresh profile, service worker blocked, until the network
  is idle; the planner is not started: nobody touched it).
- lighthouse: Lighthouse 12.2.3 (node_modules, devDependency), mobile, home and a procedure page
  (the page with the planner), French and Arabic, site served gzip-compressed on 127.0.0.1.
- planner: scripts/dev/bench_planner.py (bytes to the first plan; button -> plan cold, after 10 s of
  filling, warm; the engine's compute time per plan inside Pyodide).
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.dev.server import COMPRESSIBLE, ROOT, serve

PY = sys.executable
KB, MB = 1000, 1000 * 1000
TARGETS = {
    "build_s": 30.0,            # whole build, every language
    "page_kb": 100.0,           # first view of any page without the planner, gzip
    "lighthouse": 98,           # every category, every measured page
    "planner_mb": 4.5,          # planner download, gzip
    "prefetch_s": 0.5,          # button -> plan after >= 10 s of filling
    "warm_s": 1.5,              # button -> plan, runtime cached
}
PAGE_TYPES = {  # page type -> path under <lang>/
    "home": "", "procedure": "procedures/renouvellement/", "legal aid": "aide-juridictionnelle/",
    "tribunal": "tribunal/", "about": "a-propos/", "404": "404.html",
}
SYNTHETIC = (1, 10, 50)
LH_VERSION = "12.2.3"
LH_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking " \
               "--disable-component-update --no-first-run --disable-quic --disable-sync"


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def settle(max_wait: float = 120.0) -> float:
    """Wait (at most max_wait seconds) for the machine to quieten after the previous part: below 0.75
    processes wanting a CPU per CPU. Returns the seconds waited; the report gives the load anyway."""
    t0 = time.monotonic()
    while load() > 0.75 * (os.cpu_count() or 1) and time.monotonic() - t0 < max_wait:
        time.sleep(5)
    return time.monotonic() - t0


# ---------------------------------------------------------------- build time

def synthetic_rules(dest: Path, n: int) -> Path:
    """A copy of rules/ with n more procedures (renouvellement.yaml with new ids and titles)."""
    shutil.copytree(ROOT / "rules", dest)
    src = (ROOT / "rules" / "procedures" / "renouvellement.yaml").read_text(encoding="utf-8")
    for i in range(1, n + 1):
        pid = f"synthetique-{i:02d}"
        text = re.sub(r"(?m)^id: renouvellement\s*$", f"id: {pid}", src, count=1)
        text = re.sub(r"(?m)^order: .*$", f"order: {100 + i}", text, count=1)
        text = re.sub(r"(?m)^title: (.*)$", rf"title: \1 ({i})", text, count=1)
        (dest / "procedures" / f"{pid}.yaml").write_text(text, encoding="utf-8")
    return dest


def time_build(rules: Path, work: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the build and its worker processes): the CPU figure does not
    depend on what else the machine is doing."""
    import resource
    out, build_dir = work / "site", work / "build"
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([PY, "-m", "scripts.build", "--out", str(out), "--build-dir", str(build_dir),
                    "--rules", str(rules)], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def bench_build(runs: int, tmp: Path, site_out: Path) -> dict:
    from scripts.i18n import languages as L
    langs = L.available(ROOT / "rules" / "locales")
    res = {"languages": langs, "runs": runs, "base_s": [], "base_cpu_s": [], "synthetic": {}, "synthetic_cpu": {}}
    for i in range(runs):
        work = tmp / f"build-{i}"
        wall, cpu = time_build(ROOT / "rules", work)
        res["base_s"].append(wall)
        res["base_cpu_s"].append(cpu)
        print(f"  build {i + 1}/{runs}: {wall:.1f} s, {cpu:.1f} CPU s (load {load():.1f})", flush=True)
        if i == runs - 1:
            shutil.rmtree(site_out, ignore_errors=True)
            (work / "site").rename(site_out)
        shutil.rmtree(work, ignore_errors=True)
    for n in SYNTHETIC:
        rules = synthetic_rules(tmp / f"rules-{n}", n)
        times, cpus = [], []
        for i in range(runs):
            work = tmp / f"build-{n}-{i}"
            wall, cpu = time_build(rules, work)
            times.append(wall)
            cpus.append(cpu)
            shutil.rmtree(work, ignore_errors=True)
        res["synthetic"][str(n)] = times
        res["synthetic_cpu"][str(n)] = cpus
        print(f"  +{n} procedures: {med(times):.1f} s", flush=True)
        shutil.rmtree(rules, ignore_errors=True)
    res["median_s"] = med(res["base_s"])
    res["median_cpu_s"] = med(res["base_cpu_s"])
    # growth judged on CPU seconds (wall time on a shared machine moves with the other jobs):
    # linear when each point is within 15 % (or 2 s) of the line through the first and the last
    base = res["median_cpu_s"]
    pts = [(0, base)] + [(n, med(res["synthetic_cpu"][str(n)])) for n in SYNTHETIC]
    slope = (pts[-1][1] - pts[0][1]) / pts[-1][0]
    res["cpu_seconds_per_procedure"] = slope
    res["linear"] = all(abs(t - (base + slope * n)) <= max(2.0, 0.15 * t) for n, t in pts)
    return res


# ---------------------------------------------------------------- first-view weight

def _wire_size(site: Path, url_path: str, cache: dict) -> int:
    """Bytes the gzip server sends for a path (gzip body when compressible, the file otherwise)."""
    p = site / url_path.split("?")[0].lstrip("/")
    if p.is_dir():
        p = p / "index.html"
    if not p.is_file():
        return 0
    if p not in cache:
        data = p.read_bytes()
        cache[p] = len(gzip.compress(data, 6, mtime=0)) if p.suffix in COMPRESSIBLE else len(data)
    return cache[p]


def bench_weight(site: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    from scripts.dev.bench_planner import ARGS
    langs = sorted(p.parent.name for p in site.glob("*/index.html"))
    res: dict = {"pages": {}}
    sizes: dict = {}
    with serve(site, gzip=True) as srv, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for lang in langs:
            for kind, rel in PAGE_TYPES.items():
                totals, files = [], {}
                for _ in range(runs):
                    ctx = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
                    page = ctx.new_page()
                    start = len(srv.log)
                    srv.bytes_sent = 0
                    page.goto(srv.url + f"{lang}/{rel}", wait_until="load")
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(300)
                    totals.append(srv.bytes_sent)
                    files = {}
                    for entry in srv.log[start:]:
                        files[entry["path"]] = _wire_size(site, entry["path"], sizes)
                    ctx.close()
                res["pages"][f"{lang}/{kind}"] = {"lang": lang, "type": kind, "path": f"{lang}/{rel}",
                                                  "bytes": med(totals), "all": totals,
                                                  "files": dict(sorted(files.items(), key=lambda kv: -kv[1]))}
            print(f"  {lang}: max {max(v['bytes'] for k, v in res['pages'].items() if v['lang'] == lang) / KB:.0f} KB",
                  flush=True)
        browser.close()
    return res


# ---------------------------------------------------------------- Lighthouse

def lighthouse_bin() -> Path:
    b = ROOT / "node_modules" / ".bin" / "lighthouse"
    if not b.exists():
        raise SystemExit(f"lighthouse not installed: run `npm ci` (package.json pins lighthouse {LH_VERSION})")
    return b


def run_lighthouse(url: str, out: Path) -> dict:
    subprocess.run([str(lighthouse_bin()), url, "--quiet", "--output=json", f"--output-path={out}",
                    f"--chrome-flags={CHROME_FLAGS}", "--form-factor=mobile"],
                   cwd=ROOT, check=True, capture_output=True, timeout=300,
                   env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
    lhr = json.loads(out.read_text(encoding="utf-8"))
    scores = {c: round(lhr["categories"][c]["score"] * 100) for c in LH_CATEGORIES}
    audits = lhr["audits"]
    metrics = {m: audits[a]["numericValue"] for m, a in
               (("fcp_ms", "first-contentful-paint"), ("lcp_ms", "largest-contentful-paint"),
                ("tbt_ms", "total-blocking-time"), ("cls", "cumulative-layout-shift"))}
    failing = []
    for cat in LH_CATEGORIES:
        for ref in lhr["categories"][cat]["auditRefs"]:
            a = audits.get(ref["id"], {})
            if ref.get("weight") and a.get("score") is not None and a["score"] < 0.9:
                failing.append(f"{cat}: {a.get('title', ref['id'])}")
    metrics["si_ms"] = audits["speed-index"]["numericValue"]
    return {"scores": scores, **metrics, "failing": failing, "version": lhr.get("lighthouseVersion")}


def bench_lighthouse(site: Path, runs: int, tmp: Path) -> dict:
    res = {"pages": {}}
    with serve(site, gzip=True, cache_control="max-age=600") as srv:
        for lang in ("fr", "ar"):
            if not (site / lang / "index.html").exists():
                continue
            for kind in ("home", "procedure"):
                rel = PAGE_TYPES[kind]
                reports = [run_lighthouse(srv.url + f"{lang}/{rel}", tmp / f"lh-{lang}-{kind}-{i}.json")
                           for i in range(runs)]
                entry = {"lang": lang, "type": kind, "path": f"{lang}/{rel}", "runs": reports,
                         "scores": {c: med([r["scores"][c] for r in reports]) for c in LH_CATEGORIES},
                         "version": reports[0]["version"]}
                for m in ("fcp_ms", "lcp_ms", "tbt_ms", "cls", "si_ms"):
                    entry[m] = med([r.get(m) for r in reports])
                entry["failing"] = sorted({f for r in reports for f in r["failing"]})
                res["pages"][f"{lang}/{kind}"] = entry
                print(f"  {lang} {kind}: {entry['scores']} FCP {entry['fcp_ms']:.0f} ms LCP {entry['lcp_ms']:.0f} ms "
                      f"TBT {entry['tbt_ms']:.0f} ms", flush=True)
    return res


# ---------------------------------------------------------------- planner

def bench_planner(site: Path, runs: int, tmp: Path, weights: dict | None) -> dict:
    from scripts.dev import bench_planner
    out = tmp / "planner.json"
    bench_planner.main(["--runs", str(runs), "--site", str(site), "--json", str(out)])
    res = json.loads(out.read_text(encoding="utf-8"))
    res["page_bytes"] = (weights or {}).get("pages", {}).get("fr/procedure", {}).get("bytes")
    # what pressing the button downloads on top of the page: the worker, the runtime, the planner
    # package and the rules (fr: no messages.json needed)
    rt = {}
    files = [site / "fr" / "assets" / "planner" / "worker.js", *sorted((site / "assets" / "pyodide").glob("*/*")),
             *sorted((site / "assets" / "planner-data").glob("*"))]
    for p in files:
        rt[p.name] = _wire_size(site, str(p.relative_to(site)), {})
    res["files_gzip"] = rt
    res["planner_bytes"] = sum(rt.values())
    return res


# ---------------------------------------------------------------- report

def _ok(value, target, higher=False):
    if value is None:
        return "n/a"
    return "ok" if (value >= target if higher else value <= target) else "MISS"


def write_report(data: dict, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    m = data["machine"]
    parts = data.get("parts") or {}
    when = "; ".join(f"{k} {v['date']} (load {v['load_start']:.1f} → {v['load_end']:.1f}"
                     + (f", after waiting {v['waited_s']} s for a quieter machine" if v.get("waited_s") else "") + ")"
                     for k, v in parts.items())
    lines = ["# Performance report (issue 7)", "",
             f"Generated by `make bench` (`python -m scripts.dev.bench`) on {m['cpus']} CPUs, {m['platform']}, "
             f"Python {m['python']}, Node {m['node']}, {m['chromium']}. Medians of {data['runs']} runs. "
             f"Measured: {when}. Timings depend on the machine and on its load (other jobs share it; the load "
             "average is the number of processes wanting a CPU): read them against the load.", "",
             "| Figure | Median | Target | | Reason for a miss |", "|---|---|---|---|---|"]
    notes = {**NOTES["notes"], **data.get("notes", {})}  # the code knows the structural reasons

    def row(name, value, target, status, reason=""):
        lines.append(f"| {name} | {value} | {target} | {status} | {reason} |")

    def busy(part):
        p = parts.get(part) or {"load_start": m.get("load_start", 0), "load_end": m.get("load_end", 0)}
        worst = max(p["load_start"], p["load_end"])
        return f"machine busy (load {worst:.1f} on {m['cpus']} CPUs)" if worst > m["cpus"] else ""
    b = data.get("build")
    if b:
        busy_note = busy("build")
        cpu_note = (f"{b['median_cpu_s']:.0f} CPU s in all, i.e. about {b['median_cpu_s'] / m['cpus']:.0f} s on "
                    f"{m['cpus']} idle cores: the rest is waiting for the CPU")
        row(f"Full build, {len(b['languages'])} languages (wall; CPU)", f"{b['median_s']:.1f} s; {b['median_cpu_s']:.1f} CPU s",
            f"≤ {TARGETS['build_s']:.0f} s", _ok(b["median_s"], TARGETS["build_s"]),
            f"{busy_note}: {cpu_note}" if b["median_s"] > TARGETS["build_s"] else "")
        for n, times in b["synthetic"].items():
            row(f"Full build + {n} synthetic procedure{'s' if n != '1' else ''} (wall; CPU)",
                f"{med(times):.1f} s; {med(b['synthetic_cpu'][n]):.1f} CPU s", "about linear", "", "")
        row("Growth per procedure (CPU, 13 pages each)", f"{b['cpu_seconds_per_procedure']:.2f} CPU s", "linear",
            "ok" if b["linear"] else "MISS", "" if b["linear"] else "points off the straight line by more than 15 %")
    w = data.get("weight")
    if w:
        worst: dict = {}
        for key, pg in w["pages"].items():
            if pg["type"] not in worst or pg["bytes"] > worst[pg["type"]]["bytes"]:
                worst[pg["type"]] = pg
        for kind, pg in worst.items():
            kb = pg["bytes"] / KB
            top = ", ".join(f"{Path(f).name} {s / KB:.0f}" for f, s in list(pg["files"].items())[:4])
            row(f"First view, {kind} (heaviest language: {pg['lang']})", f"{kb:.1f} KB", f"≤ {TARGETS['page_kb']:.0f} KB",
                _ok(kb, TARGETS["page_kb"]), "" if kb <= TARGETS["page_kb"] else f"largest (KB): {top}")
    lh = data.get("lighthouse")
    if lh:
        busy_note = busy("lighthouse")
        for key, pg in lh["pages"].items():
            low = min(pg["scores"].values())
            s = " / ".join(str(pg["scores"][c]) for c in LH_CATEGORIES)
            row(f"Lighthouse {pg['version']} mobile, {pg['lang']} {pg['type']} (perf / a11y / best / SEO)", s,
                f"≥ {TARGETS['lighthouse']} each", _ok(low, TARGETS["lighthouse"], higher=True),
                "; ".join(x for x in ("; ".join(pg["failing"][:3]), busy_note, notes.get("lighthouse")) if x)
                if low < TARGETS["lighthouse"] else "")
            per_run = ", ".join(str(r["scores"]["performance"]) for r in pg.get("runs", []))
            row(f"… FCP / LCP / TBT / Speed Index, {pg['lang']} {pg['type']} (performance per run: {per_run})",
                f"{pg['fcp_ms'] / 1000:.1f} s / {pg['lcp_ms'] / 1000:.1f} s / {pg['tbt_ms']:.0f} ms"
                + (f" / {pg['si_ms'] / 1000:.1f} s" if pg.get("si_ms") else ""), "", "", "")
    p = data.get("planner")
    if p:
        busy_note = busy("planner")
        md = p["medians"]
        if p.get("planner_bytes") is not None:
            mb = p["planner_bytes"] / MB
            row("Planner download (worker, Pyodide runtime, trimmed stdlib, planner, rules; gzip)", f"{mb:.2f} MB",
                f"≤ {TARGETS['planner_mb']} MB",
                _ok(mb, TARGETS["planner_mb"]), notes.get("planner_mb", "") if mb > TARGETS["planner_mb"] else "")
        row("Bytes from page view to the first plan (measured: page, Material's script loaded by the click, "
            "planner)", f"{md['bytes'] / MB:.2f} MB", "", "", "")
        row("Button → plan, cold (nothing cached, button = first interaction)", f"{md['cold_s']:.2f} s", "(none)", "",
            notes.get("cold", ""))
        row("Button → plan after 10 s of filling (prefetch)", f"{md['prefetch_s']:.2f} s", f"≤ {TARGETS['prefetch_s']} s",
            _ok(md["prefetch_s"], TARGETS["prefetch_s"]),
            (notes.get("prefetch") or busy_note) if md["prefetch_s"] > TARGETS["prefetch_s"] else "")
        restored = p.get("all", {}).get("warm_restored") or []
        row(f"Button → plan, warm (page reloaded: runtime in the HTTP cache, memory snapshot in the Cache API; "
            f"restored from it in {sum(restored)} of {len(restored)} runs)", f"{md['warm_s']:.2f} s",
            f"≤ {TARGETS['warm_s']} s", _ok(md["warm_s"], TARGETS["warm_s"]),
            "; ".join(x for x in (busy_note, notes.get("warm")) if x) if md["warm_s"] > TARGETS["warm_s"] else "")
        if md.get("snapshot_s") is not None:
            row("Memory snapshot stored after the first plan (background)", f"{md['snapshot_s']:.2f} s", "", "", "")
        row("Engine compute per plan (inside Pyodide)", f"{md['engine_ms']:.1f} ms", "", "", "")
    if w:
        lines += ["", "## First view per language (KB gzip, service worker blocked)", "",
                  "| Language | " + " | ".join(PAGE_TYPES) + " |", "|---|" + "---|" * len(PAGE_TYPES)]
        for lang in sorted({pg["lang"] for pg in w["pages"].values()}):
            cells = [f"{w['pages'][f'{lang}/{k}']['bytes'] / KB:.1f}" for k in PAGE_TYPES]
            lines.append(f"| {lang} | " + " | ".join(cells) + " |")
    if p and p.get("files_gzip"):
        lines += ["", "## Planner files (KB gzip)", ""]
        lines += [f"- `{k}`: {v / KB:.0f}" for k, v in p["files_gzip"].items()]
    if data.get("notes_text"):
        lines += ["", "## Notes", "", data["notes_text"]]
    (out_dir / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def machine() -> dict:
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "?"
    return {"cpus": os.cpu_count(), "platform": platform.platform(terse=True), "python": platform.python_version(),
            "node": out(["node", "--version"]), "chromium": out(["/usr/bin/chromium", "--version"]),
            "load_start": load()}


NOTES = {  # the known, structural reasons for a miss (the report adds the measured details)
    "notes": {
        "lighthouse": "main-thread work after the first paint: the planner builds its form (about 265 elements) "
                      "and the browser lays it out with the rest of a long page (Arabic text costs more to lay out); "
                      "the score moves by several points from run to run and with the machine's load (see the "
                      "per-run scores); next lever: write the form's HTML at build time, so that it is laid out "
                      "before the first paint",
        "warm": "even restored from the snapshot, a start instantiates 9.6 MB of WebAssembly (compiled code "
                "from Chrome's cache) and inflates the 5.7 MB gzip snapshot into 31 MB of memory (about 0.25 s "
                "here; kept compressed to spare the phone's storage)",
    },
    "notes_text": (
        "- The planner figures come from `scripts/dev/bench_planner.py` on the French renewal page; \"warm\" "
        "reloads the page in the same profile once the worker has stored its memory snapshot "
        "(Cache API, `planner-snapshot`), with the service worker blocked (HTTP cache only).\n"
        "- Page weights are measured with the service worker blocked: they are what the page itself "
        "needs, not what the service worker (issue 6) fetches in the background afterwards.\n"
        "- Lighthouse's own mobile emulation (simulated 4x CPU slowdown, slow 4G) on loopback."),
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="build,weight,lighthouse,planner",
                    help="measure these parts; the others are kept from the existing report.json")
    ap.add_argument("--site", type=Path, default=None, help="measure this built site (default: build one)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench")
    ap.add_argument("--report-only", action="store_true", help="only re-render report.md from report.json")
    a = ap.parse_args(argv)
    only = set(a.only.split(","))
    data = {"date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "runs": a.runs, "targets": TARGETS,
            "machine": machine(), **NOTES}
    previous = a.out / "report.json"
    if only != {"build", "weight", "lighthouse", "planner"} and previous.exists():  # refresh some parts only
        old = json.loads(previous.read_text(encoding="utf-8"))
        data.update({k: old[k] for k in ("build", "weight", "lighthouse", "planner") if k in old and k not in only})
        data["parts"] = {k: v for k, v in (old.get("parts") or {}).items() if k not in only}
    if a.report_only:  # re-render report.md from report.json
        write_report(json.loads((a.out / "report.json").read_text(encoding="utf-8")), a.out)
        return 0
    parts = data.setdefault("parts", {})

    def measured(part, fn):
        print(f"{part}:", flush=True)
        waited = settle() if part != "weight" else 0.0  # weights do not depend on the load
        l0, t0 = load(), dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        data[part] = fn()
        parts[part] = {"date": t0, "load_start": l0, "load_end": load(), "waited_s": round(waited)}

    with tempfile.TemporaryDirectory(prefix="guichet-bench-") as tmp_s:
        tmp = Path(tmp_s)
        site = a.site or tmp / "site"
        if "build" in only:
            measured("build", lambda: bench_build(a.runs, tmp, site))
        elif a.site is None:
            subprocess.run([PY, "-m", "scripts.build", "--out", str(site), "--build-dir", str(tmp / "b")],
                           cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        if "weight" in only:
            measured("weight", lambda: bench_weight(site, a.runs))
        if "lighthouse" in only:
            measured("lighthouse", lambda: bench_lighthouse(site, a.runs, tmp))
        if "planner" in only:
            measured("planner", lambda: bench_planner(site, a.runs, tmp, data.get("weight")))
    data["machine"]["load_end"] = load()
    write_report(data, a.out)
    print((a.out / "report.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
