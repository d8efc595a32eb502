"""The rule language: conditions, date expressions, durations and texts chosen by condition.

Its one interpreter. A rule file says *what*; this module says how it is read (rules/README.md gives
the same semantics in prose). An ``Evaluator`` subclass tells what the names mean: the plan knows
answers, periods, steps and the attempts log; the letters know the values they can print.
"""
from __future__ import annotations

import datetime as dt
import unicodedata

from . import dates
from .params import value_at

COMPARE = {"before": lambda a, b: a < b, "after": lambda a, b: a > b,
           "on_or_before": lambda a, b: a <= b, "on_or_after": lambda a, b: a >= b}


class Evaluator:
    """Reads conditions and expressions; subclasses resolve names."""

    rules: dict

    # ---- names (overridden) ----------------------------------------------------------------------
    def ref(self, name: str):
        """``(date, sources)`` of a reference, or None when it is not known."""
        return None

    def answer(self, qid: str):
        return None

    def known(self, name: str) -> bool:
        return self.answer(name) is not None or self.ref(name) is not None

    def is_done(self, step_id: str) -> bool:
        return False

    # ---- conditions ------------------------------------------------------------------------------
    def holds(self, cond) -> bool:
        """A condition: one operator per mapping; ``all``/``any``/``not`` combine them. An unknown date
        makes a comparison false (never true by default)."""
        if cond is None:
            return True
        if "all" in cond:
            return all(self.holds(c) for c in cond["all"])
        if "any" in cond:
            return any(self.holds(c) for c in cond["any"])
        if "not" in cond:
            return not self.holds(cond["not"])
        if "answer" in cond:
            value = self.answer(cond["answer"])
            if "contains" in cond:
                return isinstance(value, str) and any(folded(word) in folded(value) for word in cond["contains"])
            return value is not None and (value == cond["is"] if "is" in cond else value in cond["in"])
        if "answered" in cond:
            return self.answer(cond["answered"]) is not None
        if "known" in cond:
            return self.known(cond["known"])
        if "done" in cond:
            return self.is_done(cond["done"])
        left = self.date(cond["date"])
        (op, other), = [(k, v) for k, v in cond.items() if k != "date"]
        right = self.date(other)
        return left is not None and right is not None and COMPARE[op](left[0], right[0])

    def choose(self, node):
        """The branch of ``{cases: [{if, then}, …, {else}]}`` that applies (the node itself otherwise)."""
        if isinstance(node, dict) and "cases" in node:
            for case in node["cases"]:
                if "else" in case:
                    return self.choose(case["else"])
                if self.holds(case["if"]):
                    return self.choose(case["then"])
        return node

    # ---- durations and dates ---------------------------------------------------------------------
    def duration(self, node, day):
        """``(duration, source or None)``: a literal, the parameter in force on ``day``, or cases."""
        node = self.choose(node)
        if "param" in node:
            return value_at(self.rules, node["param"], day)
        return node, None

    def date(self, node):
        """``(day, sources)`` of a date expression, or None when something it needs is unknown."""
        if isinstance(node, str):
            if node[:1].isdigit():
                return dt.date.fromisoformat(node), []
            return self.ref(node)
        if "cases" in node:
            return self.date(self.choose(node))
        for combine, pick in (("latest", max), ("earliest", min)):
            if combine in node:
                found = [f for f in (self.date(n) for n in node[combine]) if f is not None]
                return pick(found, key=lambda f: f[0]) if found else None
        if "first_known" in node:
            return next((f for f in (self.date(n) for n in node["first_known"]) if f is not None), None)
        found = self.ref(node["from"])
        if found is None:
            return None
        day, why = found[0], list(found[1])
        for key, sign in (("plus", 1), ("minus", -1)):
            if key in node:
                length, source = self.duration(node[key], day)
                day = dates.shift(day, length, sign)
                if source and source not in why:
                    why.append(source)
        return day, why


def folded(words: str) -> str:
    """A free-text answer as ``contains`` compares it: case and accents ignored (« Algérienne » has
    « algerien » in it)."""
    return "".join(c for c in unicodedata.normalize("NFKD", words.casefold()) if not unicodedata.combining(c))
