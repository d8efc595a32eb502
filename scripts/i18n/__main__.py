"""Translations from the command line (catalogs in rules/locales/<lang>/LC_MESSAGES/guichet.po).

    python -m scripts.i18n extract          # write rules/locales/guichet.pot
    python -m scripts.i18n update           # extract, then merge into every catalog (make i18n)
    python -m scripts.i18n init LANG        # start a new language
    python -m scripts.i18n compile OUT      # write OUT/<lang>/LC_MESSAGES/guichet.mo
    python -m scripts.i18n coverage         # coverage and review status of every language (make coverage)
    python -m scripts.i18n todo LANG [OUT]  # what is left to translate, as JSON
    python -m scripts.i18n merge LANG FILE  # take {"N" or French text: translation} from a JSON file;
                                            # exits 1 when one is refused (scripts/i18n/checks.py)
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scripts.i18n.catalogs import compile_all, merge, todo
from scripts.i18n.coverage import coverage_report, format_report
from scripts.i18n.extract import ROOT, update, write_pot


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scripts.i18n", description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["extract", "update", "init", "compile", "coverage", "todo", "merge"])
    ap.add_argument("arg", nargs="?")
    ap.add_argument("file", nargs="?", type=Path, help="merge: JSON {msgid: translation}; todo: where to write")
    ap.add_argument("--rules", type=Path, default=ROOT / "rules")
    a = ap.parse_args(argv)
    if a.command == "extract":
        write_pot(a.rules)
    elif a.command == "update":
        update(a.rules)
    elif a.command == "init":
        if not a.arg:
            ap.error("init needs a language code")
        update(a.rules, langs=[a.arg])
    elif a.command in ("todo", "merge"):
        if not a.arg or not a.file and a.command == "merge":
            ap.error(f"{a.command} needs a language code" + (" and a JSON file" if a.command == "merge" else ""))
        if a.command == "todo":
            text = json.dumps(todo(a.rules, a.arg), ensure_ascii=False, indent=1)
            a.file.write_text(text, encoding="utf-8") if a.file else print(text)
        else:
            refused = merge(a.rules, a.arg, json.loads(a.file.read_text(encoding="utf-8")))
            print(f"{a.arg}: merged; {len(refused)} refused (unknown, empty, or not the French text's "
                  "placeholders and markup)" + "".join(f"\n  {r}" for r in refused))
            return 1 if refused else 0
    elif a.command == "compile":
        compile_all(a.rules, Path(a.arg or "build/locales"))
    else:
        print(format_report(coverage_report(a.rules)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
