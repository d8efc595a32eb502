"""How strong a log of failed booking attempts is.

Judges count distinct days and weeks, not screenshots: in CE 10 June 2020 n° 435594, four screenshots,
one e-mail and one letter all made within one week were not enough. The minimums compared here are
practice recorded in ``rules/parameters/preuves/``, not law.
"""
from __future__ import annotations

import re

from . import dates
from .messages import Invalid, N_, error, msg
from .params import value_at

MAX_ATTEMPTS = 5000
TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
COUNTED_RESULTS = ("echec", None)


def parse_attempts(raw) -> list:
    """Validated attempts ``[{"date", "time", "prefecture", "result"}]``; every bad row is an error."""
    if not isinstance(raw, list):
        raise Invalid([error("tentatives_invalides", "attempts", N_("Le journal doit être une liste de tentatives."))])
    if len(raw) > MAX_ATTEMPTS:
        raise Invalid([error("trop_de_tentatives", "attempts", N_("Le journal contient trop de tentatives ({n} au plus)."), n=MAX_ATTEMPTS)])
    out, errors = [], []
    for i, item in enumerate(raw):
        field = f"attempts[{i}]"
        if not isinstance(item, dict):
            errors.append(error("tentative_invalide", field, N_("Tentative n° {n} : une date est attendue."), n=i + 1))
            continue
        try:
            day = dates.parse(item.get("date"))
        except (ValueError, TypeError):
            errors.append(error("date_invalide", field + ".date", N_("Tentative n° {n} : date invalide (attendu : AAAA-MM-JJ)."), n=i + 1))
            continue
        time = item.get("time") or None
        if time is not None and not (isinstance(time, str) and TIME.match(time)):
            errors.append(error("heure_invalide", field + ".time", N_("Tentative n° {n} : heure invalide (attendu : HH:MM)."), n=i + 1))
            continue
        prefecture = item.get("prefecture")
        if prefecture is not None and (not isinstance(prefecture, str) or len(prefecture) > 200):
            errors.append(error("prefecture_invalide", field + ".prefecture", N_("Tentative n° {n} : préfecture invalide."), n=i + 1))
            continue
        out.append({"date": day, "time": time, "prefecture": prefecture, "result": item.get("result")})
    if errors:
        raise Invalid(errors)
    return out


def _slot(time, slots):
    for slot in slots:
        if time and slot["from"] <= time < slot["to"]:
            return slot["id"]
    return None


def requirements(rules: dict, procedure: dict, day) -> dict:
    """The minimums of ``procedure`` in force on ``day``, each with its explanation."""
    out, sources = {}, []
    for key in ("min_days", "min_weeks", "min_slots"):
        out[key], source = value_at(rules, procedure["evidence"][key]["param"], day)
        sources.append(source)
    out["explanation"] = sources
    return out


def assess(rules: dict, attempts: list, need: dict) -> dict:
    """Distinct days, weeks and time slots of the failed attempts, and what is still missing."""
    counted = [a for a in attempts if a["result"] in COUNTED_RESULTS]
    days = sorted({a["date"] for a in counted})
    weeks = sorted({dates.iso_week(d) for d in days})
    slots = rules["evidence"]["slots"]
    slot_counts = {s["id"]: 0 for s in slots}
    for a in counted:
        slot = _slot(a["time"], slots)
        if slot:
            slot_counts[slot] += 1
    distinct_slots = sum(1 for n in slot_counts.values() if n)
    gaps = [(b - a).days for a, b in zip(days, days[1:])]

    checks, missing = [], []
    for key, have, need_n, unit in (
            ("days", len(days), need["min_days"], N_("Il manque {n} jour(s) distinct(s) de tentatives (au moins {need} conseillés).")),
            ("weeks", len(weeks), need["min_weeks"], N_("Il manque des tentatives dans {n} semaine(s) distincte(s) (au moins {need} conseillées).")),
            ("slots", distinct_slots, need["min_slots"], N_("Essayez à d'autres moments de la journée : {n} créneau(x) horaire(s) de plus (matin, après-midi, soir)."))):
        met = have >= need_n
        checks.append({"id": key, "have": have, "need": need_n, "met": met})
        if not met:
            missing.append(msg(unit, n=need_n - have, need=need_n))
    sufficient = all(c["met"] for c in checks)
    reasons = [msg(N_("{days} jour(s) distinct(s) dans {weeks} semaine(s) distincte(s), à {slots} moment(s) différent(s) de la journée."),
                   days=len(days), weeks=len(weeks), slots=distinct_slots)]
    if len(weeks) == 1:
        reasons.append(msg(N_("Toutes les tentatives sont dans la même semaine : le Conseil d'État a jugé un tel dossier insuffisant (CE 10 juin 2020, n° 435594).")))
    reasons.append(msg(N_("Dossier de preuves suffisant selon la pratique conseillée.")) if sufficient else
                   msg(N_("Dossier de preuves encore trop mince.")))
    return {
        "attempts": len(counted), "ignored": len(attempts) - len(counted),
        "distinct_days": len(days), "distinct_weeks": len(weeks), "distinct_slots": distinct_slots,
        "days": [d.isoformat() for d in days], "weeks": weeks, "slots": slot_counts,
        "first": days[0].isoformat() if days else None, "last": days[-1].isoformat() if days else None,
        "span_days": (days[-1] - days[0]).days + 1 if days else 0,
        "largest_gap_days": max(gaps, default=0),
        "prefectures": sorted({a["prefecture"] for a in counted if a["prefecture"]}),
        "checks": checks, "missing": missing, "sufficient": sufficient, "reasons": reasons,
        "requirements": need,
    }


def thick_enough_from(start, need: dict):
    """First day the minimums can be met when trying every other day from ``start`` (the article's pace)."""
    day, weeks = start, set()
    for n in range(1, 5000):
        weeks.add(dates.iso_week(day))
        if n >= need["min_days"] and len(weeks) >= need["min_weeks"]:
            return day
        day = dates.shift(day, {"days": 2})
    return day
