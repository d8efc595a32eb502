"""``python -m planner``: the engine's answers in a terminal, or as JSON with ``--json``.

    python -m planner aid --rfr 14000 --household 1
    python -m planner plan --procedure renouvellement --expiry 2027-02-12 --anef yes \\
        --done courriel-1=2026-11-19 --attempts log.json --answer departement=69
    python -m planner letters …            # the same options as plan
    python -m planner evidence --attempts log.json

Bad input exits with code 2 and one line saying what is wrong.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .api import run

BUNDLE = Path(__file__).resolve().parent.parent / "build" / "rules.json"


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise SystemExit(_fail(message))


def _fail(message: str) -> int:
    print(f"erreur : {message}", file=sys.stderr)
    return 2


def load_rules(path: Path | None) -> dict:
    """The rules bundle `make rules` writes (build/rules.json), or the JSON file given with --rules."""
    path = path or BUNDLE
    if path.suffix != ".json":
        raise SystemExit(_fail(f"--rules attend le paquet JSON des règles (make rules), reçu « {path} »"))
    if not path.exists():
        raise SystemExit(_fail(f"règles introuvables ({path}) : lancez `make rules`"))
    return json.loads(path.read_text(encoding="utf-8"))


def _pairs(pairs, option: str) -> dict:
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SystemExit(_fail(f"{option} attend clé=valeur, reçu « {pair} »"))
        out[key] = value
    return out


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m planner", description="Délais, aide juridictionnelle, plan d'action et lettres.")
    parser.add_argument("--rules", type=Path, help="paquet JSON des règles (par défaut build/rules.json, écrit par make rules)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    aid = sub.add_parser("aid", help="éligibilité à l'aide juridictionnelle")
    aid.add_argument("--date", help="date de la demande (AAAA-MM-JJ), aujourd'hui par défaut")
    aid.add_argument("--rfr", required=True, help="revenu fiscal de référence du foyer (€/an), par exemple 14000 ou \"14 000\"")
    aid.add_argument("--household", required=True, help="personnes dans le foyer fiscal")
    aid.add_argument("--savings", help="épargne (€)")
    aid.add_argument("--property", help="patrimoine immobilier hors résidence principale (€)")
    aid.add_argument("--residence", choices=["regular", "irregular", "none"], default="regular")
    aid.add_argument("--exemption", choices=["mineur", "penal", "protection", "eloignement"])

    plans = []
    for name, help_ in (("plan", "plan d'action daté d'une procédure"),
                        ("letters", "courriel, lettre recommandée, requête en référé et annexe, remplis")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--procedure", required=True)
        p.add_argument("--expiry", help="renouvellement : date d'expiration du titre (= --answer expiration=…)")
        p.add_argument("--anef", choices=["yes", "no"], help="renouvellement : titre sur l'ANEF (= --answer anef=…)")
        p.add_argument("--start", help="première tentative (= --answer debut_tentatives=…)")
        p.add_argument("--attempts", type=Path, help="journal des tentatives (JSON)")
        p.add_argument("--answer", action="append", metavar="CLÉ=VALEUR", help="toute autre réponse")
        p.add_argument("--done", action="append", metavar="ÉTAPE=AAAA-MM-JJ", help="une étape faite, et quand")
        plans.append(p)

    ev = sub.add_parser("evidence", help="solidité d'un journal de tentatives")
    ev.add_argument("--attempts", type=Path, required=True, help='liste JSON de {"date", "time"}')
    ev.add_argument("--procedure", help="procédure dont on applique les seuils conseillés")

    for p in (aid, *plans, ev):
        p.add_argument("--today", help="date du calcul (AAAA-MM-JJ), aujourd'hui par défaut")
        p.add_argument("--json", action="store_true", help="sortie JSON")
    return parser


def _read_attempts(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise SystemExit(_fail(f"lecture impossible de {path} : {exc.strerror}"))
    except UnicodeDecodeError:
        raise SystemExit(_fail(f"{path} n'est pas un texte UTF-8"))
    except RecursionError:
        raise SystemExit(_fail(f"{path} est trop profondément imbriqué"))
    except ValueError as exc:
        raise SystemExit(_fail(f"{path} n'est pas un JSON valide : {exc}"))


def request_of(args) -> dict:
    answers = {"today": args.today} if args.today else {}
    if args.command == "aid":
        answers.update(date_demande=args.date, rfr=args.rfr, foyer=args.household, epargne=args.savings,
                       immobilier=args.property, residence=args.residence, exemption=args.exemption)
        return {"command": "aid", "answers": {k: v for k, v in answers.items() if v is not None}}
    if args.command == "evidence":
        return {"command": "evidence", "procedure": args.procedure, "answers": answers,
                "attempts": _read_attempts(args.attempts)}
    answers.update(_pairs(args.answer, "--answer"))
    for key, value in (("expiration", args.expiry), ("anef", args.anef), ("debut_tentatives", args.start)):
        if value is not None:
            answers[key] = value
    request = {"command": args.command, "procedure": args.procedure, "answers": answers,
               "done": _pairs(args.done, "--done")}
    if args.attempts:
        request["attempts"] = _read_attempts(args.attempts)
    return request


def _text(result: dict) -> str:
    """A short human reading of a result, for a volunteer at a terminal."""
    lines = []
    if "rate" in result:
        lines.append(result["verdict"]["text"])
        lines += [f"  - {item['text']}" for item in result["explanation"]]
    if "steps" in result:
        lines.append(result["title"]["text"])
        lines += [f"  {p['label']['text']} : {p['start']} → {p['end']}" for p in result["periods"].values()]
        lines += [f"  ! {w['text']['text']}" for w in result["warnings"]]
        for step in result["steps"]:
            span = f" ({step['start']} → {step['end']})" if "start" in step else ""
            lines.append(f"  [{step['status']:>7}] {step['date']}{span}  {step['title']['text']}")
    if "distinct_days" in result:
        lines.append(result["verdict"]["text"])
        lines += [f"  - {r['text']}" for r in result["reasons"] + result["missing"]]
    if "letters" in result:
        for name, doc in result["letters"].items():
            lines.append(f"===== {doc['title']['text']}")
            lines += [doc[f] for f in ("heading", "sender", "recipient", "place_date", "subject", "body") if doc.get(f)]
    return "\n".join(lines)


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    request = request_of(args)
    try:
        rules = load_rules(args.rules)
    except (OSError, ValueError) as exc:  # an unreadable or truncated bundle: one line, never a traceback
        return _fail(f"lecture impossible des règles : {exc}")
    result = run(rules, request)
    if "errors" in result:
        first = result["errors"][0]
        field = f"{first['field']} : " if first.get("field") else ""
        return _fail(field + "; ".join(e["text"] for e in result["errors"]))
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else _text(result))
    return 0
