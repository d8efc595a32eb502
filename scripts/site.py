"""Build the guide: rules bundle + Jinja2 templates + gettext catalogs -> one MkDocs build per language.

    python -m scripts.site build [--out site] [--langs fr,en] [--rules rules]
    python -m scripts.site serve [--port 8000] [--langs fr,en]   # build, serve site/, rebuild on change
    python -m scripts.site render LANG                            # only the Markdown, into build/docs/LANG

Why one build per language (not mkdocs-static-i18n): each language gets its own search index, its own
404 page, its own theme language and direction (Pashto included), and the builds run in parallel.

Layout of the output (site/):  index.html (language list), 404.html, <lang>/... (one MkDocs site each).
The site is built into a temporary folder and swapped in at the end: a failed build leaves the
previous site/ untouched and never publishes a half-built site.

The base URL (GitHub Pages project path) comes from GUICHET_SITE_URL, e.g.
https://OWNER.github.io/guichet/ ; each language is published under <base><lang>/.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import html
import json
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import jinja2
import yaml
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from scripts.i18n import languages as L
from scripts.describe import Describer
from scripts.i18n.catalogs import Translator
from scripts.i18n.coverage import coverage_report, format_report

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"
OVERRIDES = ROOT / "overrides"
HOOKS = Path(__file__).resolve().parent / "mkdocs_hooks.py"
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"


def site_url() -> str:
    url = os.environ.get("GUICHET_SITE_URL", "").strip() or DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


# ---------------------------------------------------------------- the rules bundle

def load_bundle(rules_root: Path) -> dict:
    from scripts.rules import load_rules  # validates, raises RuleError
    return load_rules(Path(rules_root))


_PRELOADED: dict[str, dict] = {}  # set by build() before forking the per-language builds


def cached_bundle(rules_root: Path) -> dict:
    """The bundle build() already validated, or a fresh load (mkdocs serve reloads on every change)."""
    key = str(Path(rules_root).resolve())
    return _PRELOADED[key] if key in _PRELOADED else load_bundle(rules_root)


# ---------------------------------------------------------------- formatting helpers

def _as_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def md_escape(text) -> str:
    """Rule text into Markdown/HTML: no raw HTML from the rules, no accidental emphasis."""
    s = html.escape(str(text), quote=False)
    return re.sub(r"([*_`\\])", r"\\\1", s)


class Formatter:
    def __init__(self, lang: str):
        self.lang = lang
        self.locale = lang if lang != "zh" else "zh_Hans"

    def date(self, value, fmt: str = "long") -> str:
        d = _as_date(value)
        return format_date(d, fmt, locale=self.locale) if d else str(value or "")

    def money(self, value) -> str:
        if value is None:
            return "—"
        s = format_currency(value, "EUR", locale=self.locale)
        return re.sub(r"[.,٫]00(?!\d)", "", s) if float(value).is_integer() else s

    def number(self, value) -> str:
        return format_decimal(value, locale=self.locale)


# ---------------------------------------------------------------- legal-aid tables (from the engine)

AID = "aide_juridictionnelle."
AID_RFR_PARAMS = ("plafond_rfr_100", "plafond_rfr_55", "plafond_rfr_25", "majoration_personnes_2_3",
                  "majoration_personnes_4_plus", "plafond_patrimoine_mobilier", "plafond_patrimoine_immobilier",
                  "majoration_immobilier_personnes_2_3", "majoration_immobilier_personnes_4_plus")
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6)


def _values(p: dict) -> list[dict]:
    return sorted(p.get("values") or [], key=lambda v: str(v.get("date")))


def aid_tables(bundle: dict) -> dict:
    """Legal-aid ceilings for each date of effect and household size, as the planner computes them
    (planner.aid.eligibility, so the page and the planner can never disagree).

    {"rfr": [{date, unverified, reference, rows: [{size, p100, p55, p25, mob, immo}]}] newest first,
     "monthly": [{date, reference, rows: [{dependants, old100, old55, old25}]}]} (the pre-2021 scale).
    """
    from planner.aid import eligibility
    params = bundle.get("parameters") or {}
    out = {"rfr": [], "monthly": []}
    for v in _values(params.get(AID + "plafond_rfr_100", {})):
        if v.get("value") is None:
            continue
        day = date.fromisoformat(str(v["date"]))
        rows = []
        for n in HOUSEHOLD_SIZES:
            c = eligibility(bundle, {"foyer": n, "rfr": 0, "residence": "regular"}, day)["ceilings"]
            rows.append({"size": n, "p100": c["100"], "p55": c["55"], "p25": c["25"],
                         "mob": c["patrimoine_mobilier"], "immo": c["patrimoine_immobilier"]})
        in_force = [max((x for x in _values(params.get(AID + name, {})) if str(x["date"]) <= str(v["date"])),
                        key=lambda x: str(x["date"]), default={}) for name in AID_RFR_PARAMS]
        out["rfr"].append({"date": str(v["date"]), "reference": v.get("reference", ""), "rows": rows,
                           "unverified": any(x.get("confidence") != "verified" for x in in_force)})
    for v in _values(params.get(AID + "ancien_plafond_mensuel_100", {})):
        if v.get("value") is None:
            continue
        day = date.fromisoformat(str(v["date"]))
        rows = []
        for dependants in range(0, 5):
            c = eligibility(bundle, {"foyer": dependants + 1, "rfr": 0, "residence": "regular"}, day)["ceilings"]
            rows.append({"dependants": dependants, "old100": c["100"], "old55": c["55"], "old25": c["25"]})
        out["monthly"].append({"date": str(v["date"]), "reference": v.get("reference", ""), "rows": rows})
    out["rfr"].sort(key=lambda t: t["date"], reverse=True)
    return out


# ---------------------------------------------------------------- rendering

PAGES = [  # (path in docs, template, nav key)
    ("index.md", "home.md.j2", "home"),
    ("aide-juridictionnelle.md", "aide.md.j2", "aid"),
    ("tribunal.md", "tribunal.md.j2", "tribunal"),
    ("a-propos.md", "about.md.j2", "about"),
]


def procedure_ids(bundle: dict) -> list[str]:
    procs = bundle.get("procedures") or {}
    return sorted(procs, key=lambda k: (procs[k].get("order", 99), k))


def _env(tr: Translator) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), extensions=["jinja2.ext.i18n"],
                             autoescape=False, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, undefined=jinja2.ChainableUndefined)
    env.install_gettext_callables(tr.gettext, tr.ngettext, newstyle=True)
    fmt = Formatter(tr.lang)
    env.filters.update({
        "t": lambda s: md_escape(tr.gettext(str(s))) if s else "",
        "tr_raw": lambda s: tr.gettext(str(s)) if s else "",
        "md": md_escape,
        "date": fmt.date,
        "money": fmt.money,
        "number": fmt.number,
        "tojson": lambda v: json.dumps(v, ensure_ascii=False),
        "attr": lambda s: html.escape(str(s), quote=True),
    })
    env.globals.update({"lang": tr.lang, "dir": L.direction(tr.lang), "source_lang": L.SOURCE,
                        "translated": tr.translated, "language_name": L.name})
    return env


def _write_if_changed(path: Path, text: str) -> None:
    """Unchanged files keep their mtime, so `mkdocs serve` does not loop on its own output."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def render_language(bundle: dict, lang: str, rules_root: Path, docs_dir: Path, langs=()) -> dict:
    """Write the Markdown pages of one language (``langs``: all those built, for the invitations);
    returns {page: {"fuzzy": n, "missing": n}}."""
    tr = Translator.load(Path(rules_root), lang)
    env = _env(tr)
    ctx = {"bundle": bundle, "procedures": [bundle["procedures"][p] for p in procedure_ids(bundle)],
           "aid_tables": aid_tables(bundle), "today": date.today().isoformat(),
           "languages": L.LANGUAGES, "offline_budget_mb": _offline_budget_mb(),
           "invitations": L.invitations(langs, lang)}
    pages = [(path, tpl, {}) for path, tpl, _ in PAGES]
    pages += [(f"procedures/{pid}.md", "procedure.md.j2", {"procedure": bundle["procedures"][pid]})
              for pid in procedure_ids(bundle)]
    ctx["describe"] = Describer(bundle, tr, Formatter(lang), md_escape)
    ctx["evidence"] = bundle.get("evidence") or {}
    for _path, _tpl, extra in pages:
        if "procedure" in extra:
            ids = [s.get("template") for s in extra["procedure"].get("steps") or []]
            extra["letter_ids"] = [t for i, t in enumerate(ids) if t and t not in ids[:i]
                                   and t in (bundle.get("templates") or {})]
    report, written = {}, set()
    for path, tpl, extra in pages:
        tr.fallbacks = {}
        body = env.get_template(tpl).render(**ctx, **extra)
        notice = _fallback_notice(env, tr.fallbacks) if tr.fallbacks else ""
        if notice:  # after the front matter and the title
            body = re.sub(r"(\A---\n.*?\n---\n\s*# [^\n]*\n)", lambda m: m.group(1) + "\n" + notice + "\n", body,
                          count=1, flags=re.S)
        report[path] = {"fuzzy": sum(1 for v in tr.fallbacks.values() if v == "fuzzy"),
                        "missing": sum(1 for v in tr.fallbacks.values() if v == "missing")}
        _write_if_changed(docs_dir / path, body)
        written.add((docs_dir / path).resolve())
    for stale in docs_dir.rglob("*.md"):  # a removed procedure disappears
        if stale.resolve() not in written:
            stale.unlink()
    return report


def _fallback_notice(env: jinja2.Environment, fallbacks: dict) -> str:
    return env.get_template("_fallback_notice.md.j2").render(
        fuzzy=sum(1 for v in fallbacks.values() if v == "fuzzy"),
        missing=sum(1 for v in fallbacks.values() if v == "missing"))


# ---------------------------------------------------------------- MkDocs configuration

SEARCH_LANGS = {"ar", "da", "de", "du", "en", "es", "fi", "fr", "hi", "hu", "hy", "it", "ja", "kn", "ko",
                "nl", "no", "pt", "ro", "ru", "sa", "sv", "te", "th", "tr", "vi", "zh"}  # not ta: lunr.ta throws


def ui_strings(tr: Translator) -> dict:
    """Strings used by the theme overrides (404, review banner), translated here."""
    _ = tr.gettext
    return {
        "site_name": _("Guichet : obtenir un rendez-vous en préfecture"),
        "site_description": _("Guide pour obtenir un rendez-vous en préfecture quand aucun créneau n'est "
                              "disponible : étapes, preuves, lettres, aide juridictionnelle, tribunal."),
        "not_found_title": _("Page introuvable"),
        "not_found_text": _("Cette page n'existe pas ou a été déplacée."),
        "not_found_home": _("Retour à l'accueil du guide"),
        "review_notice": _("Traduction pas encore relue par une personne dont c'est la langue ; le texte "
                           "français fait foi."),
        "review_link": _("Lire la page en français"),
        "nav_home": _("Accueil"),
        "nav_procedures": _("Démarches"),
        "nav_aid": _("Aide juridictionnelle"),
        "nav_tribunal": _("Quel tribunal ?"),
        "nav_about": _("À propos, confidentialité et sources"),
        "listen": _("Écouter cette page"),
        "listen_stop": _("Arrêter la lecture"),
    }


def mkdocs_config(lang: str, langs: list[str], rules_root: Path, docs_dir: Path, site_dir: Path,
                  bundle: dict | None = None) -> dict:
    tr = Translator.load(Path(rules_root), lang)
    t = ui_strings(tr)
    base = site_url()
    nav = [{t["nav_home"]: "index.md"}]
    if bundle is not None and bundle.get("procedures"):
        nav.append({t["nav_procedures"]: [{tr.gettext(bundle["procedures"][p].get("title", p)): f"procedures/{p}.md"}
                                          for p in procedure_ids(bundle)]})
    nav += [{t["nav_aid"]: "aide-juridictionnelle.md"}, {t["nav_tribunal"]: "tribunal.md"},
            {t["nav_about"]: "a-propos.md"}]
    search = {"lang": [lang] if lang in SEARCH_LANGS else ["en"]}
    if lang not in SEARCH_LANGS:
        search["pipeline"] = ["stopWordFilter"]  # en stemmer/trimmer would mangle non-Latin words
    if lang == "zh":  # Material segments Chinese with jieba at build time and joins words with U+200B
        search["separator"] = "[\\s\\u200b\\-]+"
    return {
        "site_name": t["site_name"],
        "site_description": t["site_description"],
        "site_url": f"{base}{lang}/",
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "use_directory_urls": True,
        "copyright": tr.gettext("Guide indépendant et gratuit. Ne remplace pas le conseil d'un avocat "
                                "ou d'une association."),
        "theme": {
            "name": "material", "custom_dir": str(OVERRIDES), "language": L.theme_language(lang),
            "direction": L.direction(lang), "font": False,
            "features": ["navigation.sections", "navigation.top", "navigation.footer"],
            # no "search.highlight": it puts the typed search words in the result link (?h=...),
            # so they would reach the server (privacy, issue 6)
            "palette": {"scheme": "default", "primary": "indigo", "accent": "indigo"},
        },
        "plugins": [{"search": search}],
        "markdown_extensions": [
            "admonition", "attr_list", "md_in_html", "tables", "def_list", "footnotes",
            {"toc": {"permalink": True}},
            {"pymdownx.tasklist": {"custom_checkbox": True, "clickable_checkbox": True}},
            "pymdownx.details",
        ],
        "extra_css": ["assets/stylesheets/guichet.css"],
        "extra_javascript": ["assets/javascripts/guichet.js"],
        "extra": {
            "generator": False,
            "alternate": [{"name": L.name(c), "link": f"../{c}/", "lang": c} for c in langs],
            "guichet": {"lang": lang, "rules": str(Path(rules_root).resolve()), "base": base, "t": t,
                        "review_notice": lang != L.SOURCE and tr.status != "reviewed"},
        },
        "hooks": [str(HOOKS)],
        "watch": [str(Path(rules_root).resolve()), str(TEMPLATES)],
        "nav": nav,
    }


def write_config(lang: str, langs: list[str], rules_root: Path, work_dir: Path, site_dir: Path,
                 bundle: dict | None = None, cache_dir: Path | None = None) -> Path:
    """work_dir/mkdocs/<lang>.yml for docs in work_dir/docs/<lang>, building into site_dir/<lang>."""
    docs_dir = work_dir / "docs" / lang
    docs_dir.mkdir(parents=True, exist_ok=True)
    cfg = work_dir / "mkdocs" / f"{lang}.yml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    data = mkdocs_config(lang, langs, rules_root, docs_dir, site_dir / lang, bundle)
    data["extra"]["guichet"]["cache"] = str((cache_dir or work_dir / "jinja-cache").resolve())
    cfg.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return cfg


# ---------------------------------------------------------------- building

def _mkdocs_build(cfg: str) -> tuple[str, float]:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    start = time.monotonic()
    build(load_config(config_file=cfg, strict=True))
    return cfg, time.monotonic() - start


def root_pages(out: Path, langs: list[str], bundle: dict) -> None:
    """site/index.html lists the languages (no redirect, no cookie); site/404.html for unknown paths."""
    base_path = re.sub(r"^[a-z]+://[^/]+", "", site_url()) or "/"
    items = "\n".join(
        f'<li><a href="{c}/" lang="{c}" hreflang="{c}" dir="{L.direction(c)}">{html.escape(L.name(c))}</a></li>'
        for c in langs)
    abs_items = items.replace('href="', f'href="{base_path}')
    style = ("body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#111;"
             "line-height:1.5}a{color:#0b3d91}li{margin:.6rem 0;font-size:1.2rem}ul{list-style:none;padding:0}")
    page = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title><meta name="description" content="{desc}"><meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<style>{style}</style></head>
<body><main><h1>{title}</h1><p>{desc}</p>
<nav aria-label="Langues / Languages"><ul>
{items}
</ul></nav></main></body></html>
"""
    title = "Guichet : rendez-vous en préfecture"
    desc = ("Choisissez votre langue. Choose your language. اختر لغتك. زبان خود را انتخاب کنید.")
    (out / "index.html").write_text(page.format(title=title, desc=html.escape(desc), style=style, items=items),
                                    encoding="utf-8")
    (out / "404.html").write_text(page.format(title="Page introuvable / Page not found",
                                              desc=html.escape(desc), style=style, items=abs_items),
                                  encoding="utf-8")
    (out / ".nojekyll").write_text("", encoding="utf-8")


def build(out: Path = ROOT / "site", langs: list[str] | None = None, rules_root: Path = ROOT / "rules",
          build_dir: Path = ROOT / "build", workers: int | None = None, quiet: bool = False) -> dict:
    """Validate the rules, render every language, run the MkDocs builds in parallel, swap into `out`."""
    t0 = time.monotonic()
    # absolute: MkDocs resolves relative paths in a config against the config file's folder
    rules_root, out, build_dir = Path(rules_root).resolve(), Path(out).resolve(), Path(build_dir).resolve()
    bundle = load_bundle(rules_root)  # raises RuleError before anything is written
    all_langs = L.available(rules_root / "locales")
    langs = [c for c in (langs or all_langs) if c in all_langs] or [L.SOURCE]
    from scripts.rules import write_bundle
    write_bundle(bundle, build_dir / "rules.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    tmp.chmod(0o755)
    try:
        # A private work folder: two builds at once (a test and `make site`) never share configs.
        work = Path(tempfile.mkdtemp(prefix=".work-", dir=build_dir))
        cfgs = [str(write_config(c, langs, rules_root, work, tmp, bundle, build_dir / "jinja-cache"))
                for c in langs]
        _PRELOADED[str(rules_root.resolve())] = bundle
        timings = {}
        n = workers or min(len(cfgs), os.cpu_count() or 1)
        if n <= 1:
            for cfg in cfgs:
                timings[cfg] = _mkdocs_build(cfg)[1]
        else:
            import material  # noqa: F401  imported once here, inherited by the forked workers
            import mkdocs.commands.build  # noqa: F401
            ctx = multiprocessing.get_context("fork")
            with cf.ProcessPoolExecutor(n, mp_context=ctx) as pool:
                for cfg, secs in pool.map(_mkdocs_build, cfgs):
                    timings[cfg] = secs
        root_pages(tmp, langs, bundle)
        _post_build(tmp, build_dir, langs, rules_root)
        old = out.with_name(f"{tmp.name}-old")
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
        for c in langs:  # build/docs/<lang> (to read) and build/mkdocs/<lang>.yml (for `mkdocs serve -f`)
            shutil.rmtree(build_dir / "docs" / c, ignore_errors=True)
            shutil.copytree(work / "docs" / c, build_dir / "docs" / c)
            write_config(c, langs, rules_root, build_dir, out, bundle, build_dir / "jinja-cache")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        _PRELOADED.pop(str(rules_root.resolve()), None)
        if "work" in locals():
            shutil.rmtree(work, ignore_errors=True)
    result = {"langs": langs, "seconds": round(time.monotonic() - t0, 2),
              "per_language": {Path(k).stem: round(v, 2) for k, v in timings.items()},
              "coverage": coverage_report(rules_root, [c for c in langs if c != L.SOURCE])}
    if not quiet:
        print(format_report(result["coverage"]))
        print("build seconds per language: " + ", ".join(f"{k} {v}" for k, v in result["per_language"].items()))
        print(f"site built into {out} in {result['seconds']} s ({len(langs)} languages)")
    return result


def _post_build(site_dir: Path, build_dir: Path, langs: list[str], rules_root: Path) -> None:
    from scripts.web import finish
    finish(site_dir, langs, build_dir / "rules.json", {c: Translator.load(rules_root, c) for c in langs})


def _offline_budget_mb() -> int:
    from scripts.web.offline import CACHE_BUDGET_MB
    return CACHE_BUDGET_MB


# ---------------------------------------------------------------- serving

def _snapshot(paths) -> dict:
    state = {}
    for base in paths:
        for p in Path(base).rglob("*"):
            if p.is_file() and "__pycache__" not in p.parts:
                state[str(p)] = p.stat().st_mtime_ns
    return state


def serve(port: int = 8000, langs=None, rules_root: Path = ROOT / "rules", out: Path = ROOT / "site") -> None:
    """Serve the built site at http://127.0.0.1:PORT/ and rebuild when rules, templates or overrides change."""
    import functools
    import http.server
    import threading

    build(out, langs, rules_root)
    watched = [rules_root, TEMPLATES, OVERRIDES]
    state = _snapshot(watched)

    def watch():
        nonlocal state
        while True:
            time.sleep(1)
            now = _snapshot(watched)
            if now != state:
                state = now
                print("change detected, rebuilding...", flush=True)
                try:
                    build(out, langs, rules_root)
                except Exception as exc:  # keep serving the previous site
                    print(f"BUILD FAILED (previous site still served): {exc}", flush=True)

    threading.Thread(target=watch, daemon=True).start()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        print(f"serving {out} at http://127.0.0.1:{port}/ (French: /fr/, English: /en/); Ctrl-C to stop",
              flush=True)
        httpd.serve_forever()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scripts.site", description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["build", "serve", "render"])
    ap.add_argument("lang", nargs="?")
    ap.add_argument("--out", type=Path, default=ROOT / "site")
    ap.add_argument("--rules", type=Path, default=ROOT / "rules")
    ap.add_argument("--build-dir", type=Path, default=ROOT / "build")
    ap.add_argument("--langs", help="comma-separated language codes (default: every catalog)")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--workers", type=int)
    a = ap.parse_args(argv)
    langs = a.langs.split(",") if a.langs else None
    try:
        if a.command == "build":
            build(a.out, langs, a.rules, a.build_dir, a.workers)
        elif a.command == "serve":
            serve(a.port, langs, a.rules, a.out)
        else:
            lang = a.lang or L.SOURCE
            print(render_language(load_bundle(a.rules), lang, a.rules, a.build_dir / "docs" / lang))
    except Exception as exc:
        from scripts.i18n.catalogs import CatalogError
        try:
            from scripts.rules import RuleError
        except ImportError:
            RuleError = CatalogError
        if isinstance(exc, (RuleError, CatalogError)):
            print(f"error: {exc}", file=sys.stderr)
            return 1
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
