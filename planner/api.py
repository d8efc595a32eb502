"""The one entry point shared by the CLI, the tests and the browser: a request in, a JSON-able answer out.

``run`` never raises on bad input: it returns ``{"errors": [...]}`` with translatable messages. The
shape of every answer is written down in ``planner/contract.schema.json``.
"""
from __future__ import annotations

import json

from . import aid, evidence, letters, plan
from .answers import today as today_of
from .form import check, shared_questions
from .messages import Invalid, N_, error

COMMANDS = ("plan", "aid", "evidence", "letters")


def _plan(rules, request):
    return plan.build(rules, request.get("procedure"), request.get("answers") or {}, request.get("attempts"),
                      request.get("done"))


def _aid(rules, request):
    raw = request.get("answers") or {}
    if not isinstance(raw, dict):
        raise Invalid([error("reponses_invalides", None, N_("Les réponses doivent être un objet."))])
    today = today_of(raw)
    values, errors = check(rules, shared_questions(rules, rules["aid"]["uses"]), raw, today)
    if errors:
        raise Invalid(errors)
    return aid.eligibility(rules, values, values.get("date_demande") or today)


def _evidence(rules, request):
    proc = plan.procedure_of(rules, request.get("procedure") or next(iter(rules["procedures"])))
    raw = request.get("answers") or {}
    today = today_of(raw)
    attempts = evidence.parse_attempts(request.get("attempts"), today)
    need = evidence.requirements(rules, proc, today)
    return {"procedure": proc["id"], **evidence.assess(rules, attempts, need)}


def _letters(rules, request):
    result = _plan(rules, request)
    return {"procedure": result["procedure"], "letters": letters.fill(rules, result)}


HANDLERS = {"plan": _plan, "aid": _aid, "evidence": _evidence, "letters": _letters}


def run(rules: dict, request) -> dict:
    """Answer ``request`` (``{"command", "procedure"?, "answers", "done"?, "attempts"?}``) from the bundle."""
    command = request.get("command") if isinstance(request, dict) else None
    if not isinstance(command, str) or command not in HANDLERS:
        return {"errors": [error("commande_inconnue", "command", N_("Commande inconnue : « {value} »."),
                                 value=str(command)[:40] if isinstance(command, (str, type(None))) else type(command).__name__)]}
    try:
        return HANDLERS[command](rules, request)
    except Invalid as bad:
        return {"errors": bad.errors}


def run_json(rules_json: str, request_json: str) -> str:
    """``run`` with JSON text in and out: what the Web Worker calls through Pyodide."""
    try:
        request = json.loads(request_json)
    except (ValueError, RecursionError):
        return json.dumps({"errors": [error("requete_invalide", None, N_("Requête illisible."))]}, ensure_ascii=False)
    return json.dumps(run(_rules(rules_json), request), ensure_ascii=False)


_CACHE: dict = {}


def _rules(rules_json: str) -> dict:
    """The parsed bundle, parsed once per distinct text (the worker sends the same bundle every time)."""
    key = hash(rules_json)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = json.loads(rules_json)
    return _CACHE[key]
