"""The one entry point shared by the CLI, the tests and the browser: a request in, a JSON-able answer out.

``run`` never raises on bad input: it returns ``{"errors": [...]}`` with translatable messages.
"""
from __future__ import annotations

import json

from . import aid, evidence, letters, plan
from .answers import clean, questions_of, today as today_of
from .messages import Invalid, N_, error

COMMANDS = ("plan", "aid", "evidence", "letters")


def _plan(rules, request):
    return plan.build(rules, request.get("procedure"), request.get("answers") or {}, request.get("attempts"))


def _aid(rules, request):
    raw = request.get("answers") or {}
    answers = clean(rules, questions_of(rules, rules["aid"].get("uses", [])), raw)
    return aid.eligibility(rules, answers, answers.get("date_demande") or today_of(raw))


def _evidence(rules, request):
    proc = plan.procedure_of(rules, request.get("procedure") or next(iter(rules["procedures"])))
    raw = request.get("answers") or {}
    attempts = evidence.parse_attempts(request.get("attempts"))
    need = evidence.requirements(rules, proc, today_of(raw))
    return {"procedure": proc["id"], **evidence.assess(rules, attempts, need)}


def _letters(rules, request):
    result = _plan(rules, request)
    return {"procedure": result["procedure"], "letters": letters.fill(rules, result)}


HANDLERS = {"plan": _plan, "aid": _aid, "evidence": _evidence, "letters": _letters}


def run(rules: dict, request: dict) -> dict:
    """Answer ``request`` (``{"command", "procedure"?, "answers", "attempts"?}``) from the ``rules`` bundle."""
    if not isinstance(request, dict) or request.get("command") not in HANDLERS:
        command = request.get("command") if isinstance(request, dict) else None
        return {"errors": [error("commande_inconnue", "command", N_("Commande inconnue : « {value} »."), value=str(command)[:40])]}
    try:
        return HANDLERS[request["command"]](rules, request)
    except Invalid as bad:
        return {"errors": bad.errors}


def run_json(rules_json: str, request_json: str) -> str:
    """``run`` with JSON text in and out: what the Web Worker calls through Pyodide."""
    try:
        request = json.loads(request_json)
    except ValueError:
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
