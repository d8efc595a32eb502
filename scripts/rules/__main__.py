"""``python -m scripts.rules [--rules rules] [--out build/rules.json] [--to-check]``: check every rule file,
write the bundle (``make rules``), or list the figures and dates not yet verified."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scripts.rules.bundle import ROOT, load_rules, to_check, write_bundle
from scripts.rules.yamlsource import RuleError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Vérifie les règles et écrit le paquet JSON.")
    parser.add_argument("--rules", type=Path, default=ROOT)
    parser.add_argument("--out", type=Path, help="fichier JSON à écrire (sinon : vérification seule)")
    parser.add_argument("--to-check", action="store_true", help="liste les valeurs et dates non vérifiées")
    args = parser.parse_args(argv)
    try:
        bundle = load_rules(args.rules)
    except RuleError as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 1
    if args.to_check:
        print("\n".join(to_check(bundle)))
        return 0
    if args.out:
        write_bundle(bundle, args.out)
    print(f"règles valides : {len(bundle['parameters'])} paramètres, {len(bundle['procedures'])} procédures, "
          f"{len(bundle['examples'])} exemples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
