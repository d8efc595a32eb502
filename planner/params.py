"""Dated parameters: the value in force on a day, with where it comes from."""
from __future__ import annotations

from .messages import Invalid, N_, date_param, duration_param, error, money_param, msg, text


def entry_at(rules: dict, name: str, day):
    """The entry of parameter ``name`` in force on ``day`` (the latest one dated on or before it)."""
    param = rules["parameters"][name]
    iso = day.isoformat()
    current = None
    for entry in param["values"]:
        if entry["date"] <= iso:
            current = entry
    return param, current


def shown(param: dict, value):
    """The value as a typed parameter, so each language writes it its own way (120 jours, 12 862 €)."""
    if value is None:  # a value that stopped applying that day (an old scale's ceilings)
        return msg(N_("sans objet"))
    if isinstance(value, dict):
        return duration_param(value)
    if isinstance(value, bool):
        return msg(N_("oui")) if value else msg(N_("non"))
    if isinstance(value, (int, float)) and "EUR" in param["unit"]:
        return money_param(value)
    if isinstance(value, (int, float)):
        return value
    return text(str(value))


def explain(param: dict, entry: dict) -> dict:
    """What a reader needs to check a value: the rule, the value, since when, and its source."""
    out = {"rule": param["name"], "description": text(param["description"]), "unit": param["unit"],
           "value": entry["value"], "shown": shown(param, entry["value"]),
           "since": entry["date"], "reference": entry["reference"],
           "confidence": entry["confidence"], "verified": param["verified"]}
    for key in ("url", "source", "date_confidence"):
        if key in entry:
            out[key] = entry[key]
    if "note" in entry:
        out["note"] = text(entry["note"])
    return out


def value_at(rules: dict, name: str, day, field=None):
    """``(value, explanation)`` of ``name`` on ``day``; a day our rules do not cover is a clean error."""
    param, entry = entry_at(rules, name, day)
    if entry is None or entry["value"] is None:
        first = next((e["date"] for e in param["values"] if e["value"] is not None), None)
        raise Invalid([error(
            "date_hors_regles", field,
            N_("Nos règles ne couvrent pas le {date} pour « {rule} » (valeurs connues à partir du {first})."),
            date=date_param(day), rule=text(param["description"]),
            first=date_param(first) if first else "?")])
    return entry["value"], explain(param, entry)


def last_change(rules: dict, name: str) -> str:
    """The date of the newest value of ``name`` (ISO)."""
    return rules["parameters"][name]["values"][-1]["date"]
