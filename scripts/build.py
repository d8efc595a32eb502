"""The whole build (`make site`), each stage reading what the one before wrote:

    rules  check rules/, write build/rules.json                                     scripts/rules
    i18n   load every language's catalog (a broken one stops the build here)         scripts/i18n
    site   build/mkdocs/<lang>.yml, one MkDocs build per language, the root pages    scripts/site
    web    planner files, Content-Security-Policy, service worker                    scripts/web

    python -m scripts.build [--out site] [--langs fr,en] [--rules rules] [--build-dir build] [--workers N]

The site is built into a temporary folder next to --out and swapped in only when every stage worked:
a rule error or a broken catalog never publishes a half-built site, and leaves the previous one as it was.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from scripts.i18n import languages as L
from scripts.i18n.catalogs import CatalogError, Translator
from scripts.i18n.coverage import coverage, format_report, template_msgids
from scripts.rules import RuleError, load_rules, write_bundle
from scripts.site.build import build_languages
from scripts.site.overlay import base_config, site_url, write_overlays
from scripts.site.root import write_root_pages
from scripts.web import finish

ROOT = Path(__file__).resolve().parent.parent


def build(out: Path = ROOT / "site", langs: list[str] | None = None, rules_root: Path = ROOT / "rules",
          build_dir: Path = ROOT / "build", workers: int | None = None, quiet: bool = False) -> dict:
    """Returns {"langs", "seconds", "per_language": {lang: seconds}, "coverage": [row per translation]}."""
    t0 = time.monotonic()
    rules_root, out, build_dir = Path(rules_root).resolve(), Path(out).resolve(), Path(build_dir).resolve()
    rules_json = write_bundle(load_rules(rules_root), build_dir / "rules.json")
    available = L.available(rules_root / "locales")
    langs = [c for c in (langs or available) if c in available] or [L.SOURCE]
    translators = {c: Translator.load(rules_root, c) for c in langs}
    overlays = write_overlays(langs, translators, out, rules_root, rules_json, build_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    tmp.chmod(0o755)
    try:
        per_language = build_languages(overlays, tmp, workers)
        write_root_pages(tmp, langs, site_url(base_config()))
        finish(tmp, langs, rules_json, translators)
        old = out.with_name(f"{tmp.name}-old")
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result = {"langs": langs, "seconds": round(time.monotonic() - t0, 2),
              "per_language": {k: round(v, 2) for k, v in per_language.items()},
              "coverage": coverage({c: tr for c, tr in translators.items() if c != L.SOURCE}, template_msgids(rules_root))}
    if not quiet:
        print(format_report(result["coverage"]))
        print("build seconds per language: " + ", ".join(f"{k} {v}" for k, v in result["per_language"].items()))
        print(f"site built into {out} in {result['seconds']} s ({len(langs)} languages)")
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scripts.build", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "site")
    ap.add_argument("--rules", type=Path, default=ROOT / "rules")
    ap.add_argument("--build-dir", type=Path, default=ROOT / "build")
    ap.add_argument("--langs", help="comma-separated language codes (default: every catalog)")
    ap.add_argument("--workers", type=int)
    a = ap.parse_args(argv)
    try:
        build(a.out, a.langs.split(",") if a.langs else None, a.rules, a.build_dir, a.workers)
    except (RuleError, CatalogError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
