"""Every sentence the engine produces, as a French gettext msgid plus its parameters.

The engine returns ``{"msgid", "params", "text"}``: ``text`` is the French sentence, and a page in
another language translates ``msgid`` with its catalog and formats it with ``params``. ``N_`` only
marks a string for extraction (``pybabel extract -k N_``).
"""
from __future__ import annotations

import datetime as dt


def N_(msgid: str) -> str:
    return msgid


def msg(msgid: str, **params) -> dict:
    return {"msgid": msgid, "params": params, "text": msgid.format(**params)}


class Invalid(Exception):
    """Bad answers: carries the structured errors the API returns instead of raising."""

    def __init__(self, errors: list):
        super().__init__(errors)
        self.errors = errors


def error(code: str, field, msgid: str, **params) -> dict:
    return {"code": code, "field": field, **msg(msgid, **params)}


def amount(value) -> str:
    """12862 -> '12 862', 1500.5 -> '1 500,50' (narrow no-break spaces, as French typography wants)."""
    whole, _, cents = f"{abs(value):,.2f}".partition(".")
    text = whole.replace(",", "\u202f") + ("" if cents == "00" else "," + cents)
    return ("-" if value < 0 else "") + text


def date(day) -> str:
    """A date as French readers write it: 27/11/2026."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return day.strftime("%d/%m/%Y")


DURATION_WORDS = {
    ("days", True): N_("{n} jour"), ("days", False): N_("{n} jours"),
    ("weeks", True): N_("{n} semaine"), ("weeks", False): N_("{n} semaines"),
    ("months", True): N_("{n} mois"), ("months", False): N_("{n} mois"),
}


def duration(value: dict) -> str:
    (unit, n), = value.items()
    return DURATION_WORDS[(unit, abs(n) == 1)].format(n=n)
