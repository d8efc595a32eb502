"""Dated parameters: the value in force on a day, with where it comes from."""
from __future__ import annotations

from .messages import Invalid, N_, date as fmt_date, error


def entry_at(rules: dict, name: str, day):
    """The entry of parameter ``name`` in force on ``day`` (the latest one dated on or before it)."""
    param = rules["parameters"][name]
    iso = day.isoformat()
    current = None
    for entry in param["values"]:
        if entry["date"] <= iso:
            current = entry
    return param, current


def explain(param: dict, entry: dict) -> dict:
    """What a reader needs to check a value: the rule, the value, since when, and its source."""
    out = {"rule": param["name"], "description": param["description"], "unit": param["unit"],
           "value": entry["value"], "since": entry["date"], "reference": entry["reference"],
           "confidence": entry["confidence"], "verified": param["verified"]}
    for key in ("url", "source", "note", "date_confidence"):
        if key in entry:
            out[key] = entry[key]
    return out


def value_at(rules: dict, name: str, day, field=None):
    """``(value, explanation)`` of ``name`` on ``day``; a day our rules do not cover is a clean error."""
    param, entry = entry_at(rules, name, day)
    if entry is None or entry["value"] is None:
        first = next((e["date"] for e in param["values"] if e["value"] is not None), None)
        raise Invalid([error(
            "date_hors_regles", field,
            N_("Nos règles ne couvrent pas le {date} pour « {rule} » (valeurs connues à partir du {first})."),
            date=fmt_date(day), rule=param["description"], first=fmt_date(first) if first else "?")])
    return entry["value"], explain(param, entry)
