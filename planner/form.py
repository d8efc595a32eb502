"""The form of a procedure: its sections, their questions and limits, and the checking of answers.

One model for everything that shows or reads the form: the engine checks answers with it, the build
writes the form's HTML from it, the widget reads the same description (so a limit, a label or an
optional section cannot differ between them). Sections, in order: the procedure's own questions, what
the person already did (dates of the steps they can mark done), then the shared sets it uses; a set
marked ``optional`` (legal aid) never blocks the plan and has its own result.
"""
from __future__ import annotations

import datetime as dt

from . import dates
from .answers import (Bad, boolean_value, choice_value, date_value, departement_value, number_value,
                      text_value)
from .messages import Invalid, N_, error, text

DONE = "done"
# a date question that states no limit: ten years either side of today
DEFAULT_DATE_RANGE = ({"from": "today", "minus": {"years": 10}}, {"from": "today", "plus": {"years": 10}})


def _limit(spec, today: dt.date):
    """A question's ``min``/``max``: a number, a date, ``today`` or ``{from: today, plus|minus: …}``."""
    if spec is None or isinstance(spec, (int, float)):
        return spec
    if isinstance(spec, str):
        return today if spec == "today" else dt.date.fromisoformat(spec)
    day = today
    for key, sign in (("plus", 1), ("minus", -1)):
        if key in spec:
            day = dates.shift(day, spec[key], sign)
    return day


def _relative(spec):
    """The same limit for the browser, which knows today's date and the reader's time zone."""
    if spec is None or isinstance(spec, (int, float)):
        return spec
    if isinstance(spec, str):
        return {"today": {}} if spec == "today" else {"date": spec}
    (key, (unit, n)), = [(k, next(iter(spec[k].items()))) for k in ("plus", "minus") if k in spec]
    return {"today": {unit: n if key == "plus" else -n}}


def _question(q: dict, section: str) -> dict:
    out = {"id": q["id"], "type": q["type"], "section": section, "label": text(q["label"]),
           "required": bool(q.get("required"))}
    if q.get("help"):
        out["help"] = text(q["help"])
    for key in ("pattern", "max_length"):
        if key in q:
            out[key] = q[key]
    if q["type"] in ("date", "integer", "amount"):
        low, high = q.get("min"), q.get("max")
        if q["type"] == "date" and low is None and high is None:
            low, high = DEFAULT_DATE_RANGE
        out["min"], out["max"] = _relative(low), _relative(high)
        out["_limits"] = (low, high)
    if "options" in q:
        out["options"] = [{"value": o["value"], "label": text(o["label"])} for o in q["options"]]
    return out


def doable_steps(proc: dict) -> list[dict]:
    """Steps the person can mark done with a date."""
    return [s for s in proc["steps"] if "label" in s.get("done", {})]


def sections(rules: dict, proc: dict) -> list[dict]:
    """The form of ``proc``: ``[{id, title, help?, optional, questions: [...]}]`` in display order."""
    own = [q for q in proc["questions"] if q.get("section") not in ("done", "filed")]
    out = [{"id": proc["id"], "title": text(proc["title"]), "optional": False,
            "questions": [_question(q, proc["id"]) for q in own]}]
    did = [_question(q, DONE) for q in proc["questions"] if q.get("section") == "done"]
    for step in doable_steps(proc):
        did.append(_question({"id": f"{DONE}.{step['id']}", "type": "date", "label": step["done"]["label"],
                              "required": False, "min": {"from": "today", "minus": {"years": 10}},
                              "max": "today"}, DONE) | {"step": step["id"]})
    did += [_question(q, DONE) for q in proc["questions"] if q.get("section") == "filed"]
    out.append({"id": DONE, "title": text(N_("Ce que vous avez déjà fait")),
                "help": text(N_("Indiquez seulement ce qui est fait, avec sa date : le plan et les lettres "
                                "en tiennent compte. Laissez vide le reste.")),
                "optional": False, "questions": did})
    for name in proc.get("uses", []):
        qset = rules["questions"][name]
        section = {"id": name, "title": text(qset["title"]), "optional": bool(qset.get("optional")),
                   "questions": [_question(q, name) for q in qset["questions"]]}
        if qset.get("help"):
            section["help"] = text(qset["help"])
        out.append(section)
    return out


def shared_questions(rules: dict, names) -> list[dict]:
    """The questions of the shared sets ``names`` (the legal-aid command asks only those)."""
    return [_question(q, name) for name in names for q in rules["questions"][name]["questions"]]


def public(form: list[dict]) -> list[dict]:
    """The model as JSON for the page and the widget (without the engine's own limit expressions)."""
    return [{**s, "questions": [{k: v for k, v in q.items() if not k.startswith("_")} for q in s["questions"]]}
            for s in form]


def _value(rules, q, raw, today):
    field, kind = q["id"], q["type"]
    if kind == "date":
        low, high = (_limit(x, today) for x in q["_limits"])
        return date_value(field, raw, low, high)
    if kind == "boolean":
        return boolean_value(field, raw)
    if kind in ("amount", "integer"):
        low, high = q["_limits"]
        return number_value(field, raw, kind, low if low is not None else 0,
                            high if high is not None else 1_000_000_000)
    if kind == "choice":
        return choice_value(field, raw, [o["value"] for o in q["options"]])
    if kind == "departement":
        return departement_value(field, raw, {row["code"] for row in rules["tribunaux"]["departements"]})
    return text_value(field, raw, q.get("max_length", 500), q.get("pattern"))


def _blank(raw) -> bool:
    return raw is None or isinstance(raw, str) and not raw.strip()


def check(rules: dict, questions: list[dict], raw: dict, today, required: bool = True):
    """``(values, errors)`` for ``questions``; ``required=False`` ignores missing required answers."""
    values, errors = {}, []
    for q in questions:
        value = raw.get(q["id"])
        if _blank(value):
            if required and q["required"]:
                errors.append(error("champ_obligatoire", q["id"], N_("Ce champ est obligatoire.")))
            continue
        try:
            values[q["id"]] = _value(rules, q, value, today)
        except Bad as err:
            errors.append(err.args[0])
    return values, errors


def clean(rules: dict, proc: dict, raw, done, today) -> tuple[dict, dict, dict]:
    """``(answers, done dates, optional sections' raw answers)``; raises ``Invalid`` with every error of
    the answers that the plan needs. The optional sections are checked by their own result."""
    if not isinstance(raw, dict):
        raise Invalid([error("reponses_invalides", None, N_("Les réponses doivent être un objet."))])
    form = sections(rules, proc)
    answers, errors = {}, []
    for section in form:
        if section["optional"] or section["id"] == DONE:
            continue
        values, errs = check(rules, section["questions"], raw, today)
        answers.update(values)
        errors += errs
    done_form = next(s for s in form if s["id"] == DONE)
    values, errs = check(rules, [q for q in done_form["questions"] if "step" not in q], raw, today)
    answers.update(values)
    errors += errs
    done_dates = {}
    if done not in (None, {}):
        steps = {q["step"]: q for q in done_form["questions"] if "step" in q}
        if not isinstance(done, dict):
            errors.append(error("faits_invalides", DONE, N_("Les étapes faites doivent être un objet.")))
        else:
            for step_id, day in done.items():
                if not isinstance(step_id, str) or step_id not in steps:
                    errors.append(error("etape_inconnue", DONE, N_("Étape inconnue : « {value} »."),
                                        value=str(step_id)[:40]))
                    continue
                values, errs = check(rules, [steps[step_id]], {steps[step_id]["id"]: day}, today)
                done_dates.update({step_id: v for v in values.values()})
                errors += errs
    if errors:
        raise Invalid(errors)
    optional = {s["id"]: s for s in form if s["optional"]}
    return answers, done_dates, optional
