"""How strong a log of failed booking attempts is, said honestly.

Judges count distinct days and weeks, not screenshots: in CE 10 June 2020 n° 435594, four screenshots,
one e-mail and one letter made over six days were not enough. The thresholds compared here are
practice recorded in ``rules/parameters/preuves/``, not law, so the verdict has three levels (thin, in
line with what judges have accepted, strong) and never promises that a file is "sufficient".
"""
from __future__ import annotations

import re

from . import dates
from .answers import clean_text
from .messages import NP_, Invalid, N_, date_param, duration_param, error, msg, plural
from .params import value_at

MAX_ATTEMPTS = 5000
TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")  # with fullmatch: "$" would let a final "\n" through
COUNTED_RESULTS = ("echec", None)
LEVELS = ("thin", "in_line", "strong")


def parse_attempts(raw, today=None) -> list:
    """Validated attempts ``[{"date", "time", "prefecture", "result", "note"}]``; every bad row is an
    error, and so is an attempt dated after ``today``."""
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
        if today is not None and day > today:
            errors.append(error("date_future", field + ".date", N_("Tentative n° {n} : elle est datée après aujourd'hui ({date})."),
                                n=i + 1, date=date_param(day)))
            continue
        time = item.get("time") or None
        if time is not None and not (isinstance(time, str) and TIME.fullmatch(time)):
            errors.append(error("heure_invalide", field + ".time", N_("Tentative n° {n} : heure invalide (attendu : heures et minutes, par exemple 09:30)."), n=i + 1))
            continue
        texts = {}
        for key, limit in (("prefecture", 200), ("note", 500)):
            value = item.get(key)
            if value is not None and (not isinstance(value, str) or len(value) > limit):
                errors.append(error(f"{key}_invalide", f"{field}.{key}", N_("Tentative n° {n} : texte invalide ou trop long."), n=i + 1))
                break
            texts[key] = clean_text(value) if value else None
        else:
            result = item.get("result")
            out.append({"date": day, "time": time, "result": result if isinstance(result, str) else None, **texts})
    if errors:
        raise Invalid(errors)
    return out


def _place(attempt) -> str:
    return " ".join((attempt.get("prefecture") or "").split()).lower()


def distinct(attempts: list) -> list:
    """The attempts without the ones noted twice: same day and time, and the same préfecture (case and
    spaces aside) or none given on one of them. The widget merges logs by the same rule (sameAttempt in
    overrides/assets/planner/evidence.js), so its count and this one agree."""
    places: dict = {}  # (date, time) -> the préfectures kept at that moment
    unique = []
    for a in attempts:
        kept, place = places.setdefault((a["date"], a["time"]), set()), _place(a)
        if kept and (not place or "" in kept or place in kept):
            continue
        kept.add(place)
        unique.append(a)
    return unique


def _slot(time, slots):
    for slot in slots:
        if time and slot["from"] <= time < slot["to"]:
            return slot["id"]
    return None


REQUIREMENTS = ("min_days", "min_weeks", "min_slots", "min_span", "strong_days", "strong_weeks")


def requirements(rules: dict, procedure: dict, day) -> dict:
    """The thresholds of ``procedure`` in force on ``day``, each with its explanation."""
    out, sources = {}, []
    for key in REQUIREMENTS:
        out[key], source = value_at(rules, procedure["evidence"][key]["param"], day)
        sources.append(source)
    out["explanation"] = sources
    return out


def assess(rules: dict, attempts: list, need: dict) -> dict:
    """Distinct days, weeks and time slots of the failed attempts, the level they reach and what is
    still missing."""
    counted = [a for a in attempts if a["result"] in COUNTED_RESULTS]
    unique = distinct(counted)
    duplicates = len(counted) - len(unique)
    days = sorted({a["date"] for a in unique})
    weeks = sorted({dates.iso_week(d) for d in days})
    slots = rules["evidence"]["slots"]
    slot_counts = {s["id"]: 0 for s in slots}
    for a in unique:
        slot = _slot(a["time"], slots)
        if slot:
            slot_counts[slot] += 1
    distinct_slots = sum(1 for n in slot_counts.values() if n)
    gaps = [(b - a).days for a, b in zip(days, days[1:])]
    span_ok = bool(days) and dates.shift(days[0], need["min_span"]) <= days[-1]

    checks, missing = [], []
    for key, have, need_n, wording in (
            ("days", len(days), need["min_days"],
             NP_("Il manque {n} jour distinct de tentatives (au moins {need} conseillés).",
                 "Il manque {n} jours distincts de tentatives (au moins {need} conseillés).")),
            ("weeks", len(weeks), need["min_weeks"],
             NP_("Il manque des tentatives dans {n} semaine de plus (au moins {need} semaines différentes conseillées).",
                 "Il manque des tentatives dans {n} semaines de plus (au moins {need} semaines différentes conseillées).")),
            ("slots", distinct_slots, need["min_slots"],
             NP_("Essayez à un autre moment de la journée (matin, après-midi, soir) : {n} créneau de plus.",
                 "Essayez à d'autres moments de la journée (matin, après-midi, soir) : {n} créneaux de plus."))):
        met = have >= need_n
        checks.append({"id": key, "have": have, "need": need_n, "met": met})
        if not met:
            missing.append(plural(*wording, need_n - have, need=need_n))
    checks.append({"id": "span", "have": (days[-1] - days[0]).days + 1 if days else 0,
                   "need": need["min_span"], "met": span_ok})
    if not span_ok:
        missing.append(msg(N_("Continuez vos tentatives : elles devraient s'étendre sur au moins {span} entre la première et la dernière."),
                           span=duration_param(need["min_span"])))
    in_line = all(c["met"] for c in checks) and len(weeks) > 1
    strong = in_line and len(days) >= need["strong_days"] and len(weeks) >= need["strong_weeks"]
    level = "strong" if strong else "in_line" if in_line else "thin"
    reasons = [plural(*NP_("{n} jour distinct de tentatives", "{n} jours distincts de tentatives"), len(days)),
               plural(*NP_("réparti sur {n} semaine", "répartis sur {n} semaines différentes"), len(weeks)),
               plural(*NP_("à {n} moment de la journée", "à {n} moments différents de la journée"),
                      distinct_slots)]
    if len(weeks) == 1:
        reasons.append(msg(N_("Toutes les tentatives sont dans la même semaine : le Conseil d'État a jugé un tel dossier insuffisant (CE 10 juin 2020, n° 435594).")))
    if duplicates:
        reasons.append(plural(*NP_("{n} tentative en double (même jour, même heure) n'est comptée qu'une fois.",
                                   "{n} tentatives en double (même jour, même heure) ne sont comptées qu'une fois."),
                              duplicates))
    only_span = not span_ok and all(c["met"] for c in checks if c["id"] != "span") and len(weeks) > 1
    verdict = {
        "thin": msg(N_("Presque conforme aux repères de pratique retenus ici : vos tentatives devraient couvrir "
                       "au moins {span}. Continuez-les jusqu'au dépôt du référé."), span=duration_param(need["min_span"]))
                if only_span else msg(N_("Dossier de preuves encore mince : continuez vos tentatives.")),
        "in_line": msg(N_("Dossier conforme aux repères de pratique retenus ici, sans garantie : continuez vos tentatives jusqu'au rendez-vous.")),
        "strong": msg(N_("Dossier solide : beaucoup de jours, sur plusieurs semaines. Aucun juge n'est tenu par un nombre, continuez jusqu'au rendez-vous.")),
    }[level]
    return {
        "attempts": len(unique), "duplicates": duplicates, "ignored": len(attempts) - len(counted),
        "distinct_days": len(days), "distinct_weeks": len(weeks), "distinct_slots": distinct_slots,
        "days": [d.isoformat() for d in days], "weeks": weeks, "slots": slot_counts,
        "first": days[0].isoformat() if days else None, "last": days[-1].isoformat() if days else None,
        "span_days": (days[-1] - days[0]).days + 1 if days else 0,
        "largest_gap_days": max(gaps, default=0),
        "prefectures": sorted({a["prefecture"] for a in unique if a.get("prefecture")}),
        "checks": checks, "missing": missing, "level": level, "sufficient": level != "thin",
        "verdict": verdict, "reasons": reasons, "requirements": need,
        "rows": [{"date": a["date"].isoformat(), "time": a["time"], "prefecture": a.get("prefecture"),
                  "note": a.get("note")} for a in sorted(unique, key=lambda a: (a["date"], a["time"] or ""))],
    }


def thick_enough_from(start, need: dict):
    """First day the minimums can be met when trying every other day from ``start`` (the article's pace)."""
    day, weeks = start, set()
    span_end = dates.shift(start, need["min_span"])
    for n in range(1, 5000):
        weeks.add(dates.iso_week(day))
        if n >= need["min_days"] and len(weeks) >= need["min_weeks"] and day >= span_end:
            return day
        day = dates.shift(day, {"days": 2})
    return day
