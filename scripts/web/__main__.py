"""``python -m scripts.web [SITE] [--rules build/rules.json]``: (re)apply the web stage to a built site
(every SITE/<lang>/ with an index.html); idempotent."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scripts.i18n import languages as L
from scripts.i18n.catalogs import Translator
from scripts.web import finish
from scripts.web.offline import CACHE_BUDGET_MB, cache_bound
from scripts.web.runtime import ROOT


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scripts.web", description=__doc__.split("\n\n")[0])
    ap.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    ap.add_argument("--rules", type=Path, default=ROOT / "build" / "rules.json", help="the bundle `make rules` writes")
    ap.add_argument("--rules-root", type=Path, default=ROOT / "rules", help="where the catalogs are (locales/)")
    a = ap.parse_args(argv)
    langs = [c for c in L.available(a.rules_root / "locales") if (a.site / c / "index.html").exists()]
    if not langs:
        print(f"no language folder with an index.html in {a.site}", file=sys.stderr)
        return 1
    finish(a.site, langs, a.rules, {c: Translator.load(a.rules_root, c) for c in langs})
    print(f"{a.site}: planner, CSP and service worker for {', '.join(langs)}; "
          f"cache bound {cache_bound(a.site, langs) / 1e6:.1f} MB (budget {CACHE_BUDGET_MB} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
