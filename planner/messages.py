"""Every sentence the engine produces, as a French gettext msgid plus typed parameters.

A message is ``{"msgid", "params", "text"}`` (plural ones add ``"plural"`` and ``"n"``): ``text`` is
the French sentence; a page in another language translates ``msgid`` with its catalog and formats each
parameter the language's way. A parameter is plain text (a name, a citation), a number, or typed:
``{"date": "2026-11-29"}``, ``{"money": 12862}``, ``{"duration": {"months": 4}}``, ``{"blank":
message}`` (a fact not given, printed ``[label]``), or a message itself (translated in turn).

A rule's own sentence writes a fixed date, amount or duration as a typed literal, never as French
words: ``{date:2024-05-29}``, ``{euros:180}``, ``{jours:120}`` (also heures, semaines, mois, ans).
Translators keep the literal as it is; each language writes its value its own way.

``N_`` only marks a string for extraction (``pybabel extract -k N_``), ``NP_`` a plural pair.
"""
from __future__ import annotations

import datetime as dt
import functools
import re

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
NNBSP = "\u202f"


def N_(msgid: str) -> str:
    return msgid


def NP_(singular: str, plural_: str) -> tuple:
    """Marks a plural pair for extraction (``-k NP_:1,2``): ``plural(*NP_("{n} jour", "{n} jours"), n)``."""
    return singular, plural_


# ---- typed parameters ------------------------------------------------------------------------------

LITERAL = re.compile(r"\{(date|euros|heures|jours|semaines|mois|ans):([0-9-]+)\}")
LITERAL_UNITS = {"heures": "hours", "jours": "days", "semaines": "weeks", "mois": "months", "ans": "years"}


def literal_param(kind: str, value: str) -> dict:
    """The typed parameter a literal such as ``{date:2024-05-29}`` or ``{euros:180}`` stands for."""
    if kind == "date":
        return {"date": value}
    if kind == "euros":
        return {"money": int(value)}
    return {"duration": {LITERAL_UNITS[kind]: int(value)}}


def date_param(day) -> dict:
    return {"date": day.isoformat() if hasattr(day, "isoformat") else str(day)}


def money_param(value) -> dict:
    return {"money": value}


def duration_param(value: dict) -> dict:
    return {"duration": dict(value)}


def blank_param(label: str) -> dict:
    """A fact the person did not give: printed as [label], to fill in by hand."""
    return {"blank": text(label)}


# ---- French rendering (the `text` of every message; the letters, which stay in French) ------------

def date(day) -> str:
    """A date as a French reader writes it: 1er mai 2026, 29 novembre 2026."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def weekday(day) -> str:
    return WEEKDAYS[day.weekday()]


def number(value) -> str:
    """12862 -> '12 862', 1500.5 -> '1 500,5' (narrow no-break spaces, as French typography wants)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return ("-" if value < 0 else "") + f"{abs(value):,}".replace(",", NNBSP)
    whole, _, cents = f"{abs(value):,.2f}".partition(".")
    return ("-" if value < 0 else "") + whole.replace(",", NNBSP) + "," + cents


def money(value) -> str:
    return number(value) + "\u00a0€"


UNITS = {  # unit -> (singular, plural) msgids, used by the pages and the planner in every language
    "hours": NP_("{n} heure", "{n} heures"),
    "days": NP_("{n} jour", "{n} jours"),
    "weeks": NP_("{n} semaine", "{n} semaines"),
    "months": NP_("{n} mois", "{n} mois"),
    "years": NP_("{n} an", "{n} ans"),
}


class Renderer:
    """Writes messages in one language: its catalog (``gettext``, ``ngettext``) and its formats. The
    default is French, the rules' own language; the pages pass a language's catalog and Babel's formats,
    the widget does the same in JavaScript."""

    def __init__(self, gettext=None, ngettext=None, date_format=None, number_format=None, money_format=None):
        self.gettext = gettext or (lambda s: s)
        self.ngettext = ngettext or (lambda s, p, n: s if n in (0, 1) else p)
        self.date, self.number = date_format or date, number_format or number
        self.money = money_format or money

    def message(self, m: dict) -> str:
        template = self.ngettext(m["msgid"], m["plural"], m["n"]) if "plural" in m else self.gettext(m["msgid"])
        params = {k: self.param(v) for k, v in m["params"].items()}
        # a date the language writes with a final period (« 20 листопада 2026 р. ») ends the sentence with it
        ending = [k for k, v in m["params"].items() if isinstance(v, dict) and "date" in v and params[k].endswith(".")]
        try:
            return self.fill(_one_period(template, ending), params)
        except (KeyError, IndexError, ValueError):  # a broken translation shows the French, never a crash
            return self.fill(_one_period(m["plural"] if "plural" in m and m["n"] not in (0, 1) else m["msgid"], ending),
                             params)

    def literals(self, template: str) -> str:
        """``template`` with only its typed literals written (its named placeholders kept)."""
        return LITERAL.sub(lambda m: self.param(literal_param(m.group(1), m.group(2))), template)

    def fill(self, template: str, params: dict) -> str:
        """``template`` with its typed literals written, then its named placeholders filled."""
        pieces = LITERAL.split(template)  # [text, kind, value, text, kind, value, ..., text]
        out = []
        for i in range(0, len(pieces), 3):
            text = pieces[i]
            if out and out[-1].endswith(".") and pieces[i - 2] == "date" and text.startswith("."):
                text = text[1:]  # a literal date ending with its own period
            out.append(text.format_map(_Kept(params)))
            if i + 1 < len(pieces):
                out.append(self.param(literal_param(pieces[i + 1], pieces[i + 2])))
        return "".join(out)

    def param(self, param) -> str:
        if isinstance(param, dict):
            if "date" in param:
                return self.date(param["date"])
            if "money" in param:
                return self.money(param["money"])
            if "duration" in param:
                (unit, n), = param["duration"].items()
                return self.message(plural(*UNITS[unit], n))
            if "blank" in param:
                return f"[{self.message(param['blank'])}]"
            if "msgid" in param:
                return self.message(param)
        if isinstance(param, bool):
            return self.message(msg(N_("oui")) if param else msg(N_("non")))
        if isinstance(param, (int, float)):
            return self.number(param)
        return str(param)


# ---- messages ----------------------------------------------------------------------------------------

def msg(msgid: str, **params) -> dict:
    return {"msgid": msgid, "params": params, "text": FRENCH.fill(msgid, {k: FRENCH.param(v) for k, v in params.items()})}


def plural(singular: str, plural_: str, n: int, **params) -> dict:
    """A message whose wording depends on the number ``n`` (French: 0 and 1 are singular)."""
    params = {"n": n, **params}
    chosen = singular if n in (0, 1) else plural_
    return {"msgid": singular, "plural": plural_, "n": n, "params": params,
            "text": FRENCH.fill(chosen, {k: FRENCH.param(v) for k, v in params.items()})}


def text(french: str) -> dict:
    """A French text from the rules, as a message (its typed literals written in French)."""
    return {"msgid": french, "params": {}, "text": FRENCH.literals(french)}


def _one_period(template: str, names: list) -> str:
    return functools.reduce(lambda t, k: t.replace(f"{{{k}}}.", f"{{{k}}}"), names, template)


class _Kept(dict):
    """Placeholders without a value stay as they are (a rule text shown before a plan fills it)."""

    def __missing__(self, key):
        return "{" + key + "}"


FRENCH = Renderer()


class Invalid(Exception):
    """Bad answers: carries the structured errors the API returns instead of raising."""

    def __init__(self, errors: list):
        super().__init__(errors)
        self.errors = errors


def error(code: str, field, msgid: str, **params) -> dict:
    return {"code": code, "field": field, **msg(msgid, **params)}
