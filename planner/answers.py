"""Turn what a person typed into typed values, or into errors a form can show next to each field."""
from __future__ import annotations

import datetime as dt
import re

from . import dates
from .messages import Invalid, N_, error

LIMITS = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))
MAX_AMOUNT = 1_000_000_000
TRUE, FALSE = {"true", "yes", "oui", "1"}, {"false", "no", "non", "0"}


def questions_of(rules: dict, sets=(), own=()) -> list:
    """The questions of the shared sets ``sets`` followed by ``own``."""
    out = []
    for name in sets:
        out += rules["questions"][name]["questions"]
    return out + list(own)


def _date(q, raw):
    try:
        day = dates.parse(raw)
    except (ValueError, TypeError):
        raise _bad("date_invalide", q, N_("« {value} » n'est pas une date valide (attendu : AAAA-MM-JJ)."), value=str(raw)[:40])
    if not LIMITS[0] <= day <= LIMITS[1]:
        raise _bad("date_hors_limites", q, N_("La date doit être comprise entre {min} et {max}."),
                   min=LIMITS[0].year, max=LIMITS[1].year)
    return day


def _boolean(q, raw):
    if isinstance(raw, bool):
        return raw
    if str(raw).strip().lower() in TRUE:
        return True
    if str(raw).strip().lower() in FALSE:
        return False
    raise _bad("oui_non_attendu", q, N_("Répondez par oui ou par non."))


def _number(q, raw, integer=False):
    if isinstance(raw, bool):
        raise _bad("nombre_invalide", q, N_("« {value} » n'est pas un nombre."), value=str(raw))
    try:
        value = float(str(raw).replace("\u202f", "").replace(" ", "").replace(",", ".")) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        raise _bad("nombre_invalide", q, N_("« {value} » n'est pas un nombre."), value=str(raw)[:40])
    if value != value or value in (float("inf"), float("-inf")):
        raise _bad("nombre_invalide", q, N_("« {value} » n'est pas un nombre."), value=str(raw)[:40])
    if integer and value != int(value):
        raise _bad("entier_attendu", q, N_("Indiquez un nombre entier."))
    if value < q.get("min", 0):
        if q["type"] == "amount":
            raise _bad("montant_negatif", q, N_("Le montant ne peut pas être négatif."))
        raise _bad("trop_petit", q, N_("La valeur doit être au moins {min}."), min=q.get("min", 0))
    if value > q.get("max", MAX_AMOUNT):
        raise _bad("trop_grand", q, N_("La valeur doit être au plus {max}."), max=q.get("max", MAX_AMOUNT))
    return int(value) if integer else value


def _text(q, raw):
    if not isinstance(raw, str):
        raise _bad("texte_attendu", q, N_("Un texte est attendu."))
    value = raw.strip()
    if len(value) > q.get("max_length", 500):
        raise _bad("texte_trop_long", q, N_("Ce texte est trop long ({max} caractères au plus)."), max=q.get("max_length", 500))
    if "pattern" in q and not re.fullmatch(q["pattern"], value):
        raise _bad("format_invalide", q, N_("Le format ne convient pas."))
    return value


def _choice(q, raw):
    values = [o["value"] for o in q["options"]]
    if raw not in values:
        raise _bad("choix_invalide", q, N_("Choisissez une des réponses proposées."))
    return raw


def _departement(q, raw, rules):
    code = str(raw).strip().upper().zfill(2) if isinstance(raw, (str, int)) and not isinstance(raw, bool) else None
    if code not in {row["code"] for row in rules["tribunaux"]["departements"]}:
        raise _bad("departement_inconnu", q, N_("Département inconnu : « {value} »."), value=str(raw)[:10])
    return code


class _Bad(Exception):
    pass


def _bad(code, q, msgid, **params):
    return _Bad(error(code, q["id"], msgid, **params))


def clean(rules: dict, questions: list, answers: dict) -> dict:
    """Typed answers for ``questions``; raises ``Invalid`` listing every bad or missing field."""
    if not isinstance(answers, dict):
        raise Invalid([error("reponses_invalides", None, N_("Les réponses doivent être un objet."))])
    out, errors = {}, []
    for q in questions:
        raw = answers.get(q["id"])
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if q.get("required"):
                errors.append(error("champ_obligatoire", q["id"], N_("Ce champ est obligatoire.")))
            continue
        try:
            kind = q["type"]
            if kind == "date":
                out[q["id"]] = _date(q, raw)
            elif kind == "boolean":
                out[q["id"]] = _boolean(q, raw)
            elif kind in ("amount", "integer"):
                out[q["id"]] = _number(q, raw, integer=kind == "integer")
            elif kind == "choice":
                out[q["id"]] = _choice(q, raw)
            elif kind == "departement":
                out[q["id"]] = _departement(q, raw, rules)
            else:
                out[q["id"]] = _text(q, raw)
        except _Bad as bad:
            errors.append(bad.args[0])
    if errors:
        raise Invalid(errors)
    return out


def today(answers: dict) -> dt.date:
    """The day the plan is computed for: ``answers["today"]`` (tests, volunteers) or the clock."""
    raw = answers.get("today") if isinstance(answers, dict) else None
    if raw in (None, ""):
        return dt.date.today()
    try:
        return _date({"id": "today"}, raw)
    except _Bad as bad:
        raise Invalid([bad.args[0]]) from None
