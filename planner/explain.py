"""A procedure's rules in words, for the pages that must read well without JavaScript.

The same interpreter as the plan (``planner.expr``), asked a different question: not "which day?" but
"how is the day found?". Everything returned is a message (msgid + typed parameters), so the build
writes it in each language exactly as the widget writes the plan.
"""
from __future__ import annotations

import datetime as dt
import re

from .messages import N_, blank_param, duration_param, msg, text
from .params import value_at

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
COMPARE = {"before": N_("{a} est avant {b}"), "after": N_("{a} est après {b}"),
           "on_or_before": N_("{a} est au plus tard {b}"), "on_or_after": N_("{a} est au plus tôt {b}")}
OPPOSITE = {"before": "on_or_after", "after": "on_or_before", "on_or_before": "after", "on_or_after": "before"}


class Describer:
    """Describes one procedure's dates, conditions and figures on ``day`` (the values in force then)."""

    def __init__(self, rules: dict, proc: dict, day: dt.date):
        self.rules, self.proc, self.day = rules, proc, day
        self.steps = {s["id"]: s for s in proc["steps"]}
        self.questions = {q["id"]: q for name in proc.get("uses", []) for q in rules["questions"][name]["questions"]}
        self.questions.update({q["id"]: q for q in proc["questions"]})

    # ---- names ---------------------------------------------------------------------------------------
    def anchor(self, ref: str) -> dict:
        base, _, edge = ref.partition(".")
        if ref == "today":
            return msg(N_("aujourd'hui"))
        if ref == "attempts.first":
            return msg(N_("votre première tentative notée dans le journal"))
        if ref == "schedule.start":
            return msg(N_("le début de vos tentatives"))
        if base in self.proc["periods"]:
            label = text(self.proc["periods"][base]["label"])
            return msg(N_("le début de la « {period} »"), period=label) if edge == "start" else \
                msg(N_("la fin de la « {period} »"), period=label)
        if base in self.steps:
            return msg(N_("l'étape « {step} »"), step=text(self.steps[base]["title"]))
        if base in self.questions:
            return msg(N_("la date indiquée : « {question} »"), question=text(self.questions[base]["label"]))
        if base in self.proc.get("dates", {}):
            return self.date(self.proc["dates"][base])
        return text(ref)

    def duration(self, node):
        """A duration as a typed parameter (the value in force on ``day``) or words for cases."""
        if "cases" in node:
            return msg(N_("un délai qui dépend de votre situation"))
        if "param" in node:
            return duration_param(value_at(self.rules, node["param"], self.day)[0])
        return duration_param(node)

    def date(self, node) -> dict:
        if isinstance(node, str):
            return text(node) if node[:1].isdigit() else self.anchor(node)
        if "cases" in node:
            parts = [msg(N_("{date} si {condition}"), date=self.date(c["then"]), condition=self.condition(c["if"]))
                     for c in node["cases"] if "if" in c]
            default = next(self.date(c["else"]) for c in node["cases"] if "else" in c)
            return msg(N_("{cases} ; sinon {default}"), cases=_join(parts), default=default)
        for key, msgid in (("latest", N_("la plus tardive de ces dates : {dates}")),
                           ("earliest", N_("la plus ancienne de ces dates : {dates}")),
                           ("first_known", N_("la première connue de ces dates : {dates}"))):
            if key in node:
                return msg(msgid, dates=_join([self.date(n) for n in node[key]]))
        anchor = self.anchor(node["from"])
        for key, msgid in (("plus", N_("{duration} après {anchor}")), ("minus", N_("{duration} avant {anchor}"))):
            if key in node:
                return msg(msgid, duration=self.duration(node[key]), anchor=anchor)
        return anchor

    def condition(self, cond) -> dict:
        """A condition as a reader says it: a negation in its own words (never « pas : … »), and a group
        inside a group in brackets, so « A et (B ou C) » cannot be read « (A et B) ou C »."""
        for key, msgid in (("all", N_("{a} et {b}")), ("any", N_("{a} ou {b}"))):
            if key in cond:
                return _join([self._grouped(c) for c in cond[key]], msgid)
        if "not" in cond:
            return self._negated(cond["not"])
        if "answer" in cond and "contains" in cond:
            words = _join([f"« {w} »" for w in cond["contains"]], N_("{a} ou {b}"))
            return msg(N_("« {question} » contient {words}"), question=self._label(cond["answer"]), words=words)
        if "answer" in cond:
            return msg(N_("« {question} » : {answer}"), question=self._label(cond["answer"]), answer=self._answers(cond))
        if "answered" in cond:
            return msg(N_("vous avez répondu à « {question} »"), question=self._label(cond["answered"]))
        if "known" in cond:
            return msg(N_("« {question} » est connu"), question=self._label(cond["known"]))
        if "done" in cond:
            return msg(N_("l'étape « {step} » est faite"), step=text(self.steps[cond["done"]]["title"]))
        (op, other), = [(k, v) for k, v in cond.items() if k != "date"]
        return msg(COMPARE[op], a=self.date(cond["date"]), b=self.date(other))

    def _grouped(self, cond) -> dict:
        return msg(N_("({condition})"), condition=self.condition(cond)) if "all" in cond or "any" in cond \
            else self.condition(cond)

    def _negated(self, inner) -> dict:
        if "answered" in inner:
            return msg(N_("vous n'avez pas répondu à « {question} »"), question=self._label(inner["answered"]))
        if "done" in inner:
            return msg(N_("l'étape « {step} » n'est pas encore faite"), step=text(self.steps[inner["done"]]["title"]))
        if "known" in inner:
            return msg(N_("« {question} » n'est pas connu"), question=self._label(inner["known"]))
        if "date" in inner:
            (op, other), = [(k, v) for k, v in inner.items() if k != "date"]
            return self.condition({"date": inner["date"], OPPOSITE[op]: other})
        if "answer" in inner and "contains" not in inner:
            q = self.questions.get(inner["answer"], {})
            excluded = inner["in"] if "in" in inner else [inner["is"]]
            others = [True, False] if q.get("type") == "boolean" else [o["value"] for o in q.get("options", [])]
            others = [v for v in others if v not in excluded]
            if others and len(others) <= len(excluded):  # the shorter way to say it: the answers that remain
                return self.condition({"answer": inner["answer"], "in": others})
            return msg(N_("« {question} » : une autre réponse que {answer}"), question=self._label(inner["answer"]),
                       answer=self._answers(inner))
        return msg(N_("il n'est pas vrai que {condition}"), condition=self._grouped(inner))

    def _answers(self, cond) -> dict:
        q = self.questions[cond["answer"]]
        return _join([self._value(q, v) for v in (cond["in"] if "in" in cond else [cond["is"]])], N_("{a} ou {b}"))

    def _label(self, qid: str) -> dict:
        return text(self.questions[qid]["label"]) if qid in self.questions else text(qid)

    def _value(self, q: dict, value) -> dict:
        if q["type"] == "boolean":
            return msg(N_("oui")) if value else msg(N_("non"))
        for option in q.get("options", []):
            if option["value"] == value:
                return text(option["label"])
        return text(str(value))

    # ---- steps ---------------------------------------------------------------------------------------
    def when(self, step: dict) -> dict:
        """When a step happens, in words."""
        w = step["when"]
        if "period" in w:
            out = msg(N_("Pendant la « {period} »."), period=text(self.proc["periods"][w["period"]]["label"]))
        elif "follows" in w:
            out = msg(N_("Conseillé {duration} après {anchor} ; plus tôt si le temps manque."),
                      duration=self.duration(w["gap"]), anchor=self.anchor(w["follows"])) \
                if not _zero(w["gap"]) else msg(N_("En même temps que {anchor}."), anchor=self.anchor(w["follows"]))
        else:
            kind = next(k for k in ("by", "before", "at", "after") if k in w)
            msgid = {"by": N_("Au plus tard : {date}."), "before": N_("Dès maintenant, et au plus tard : {date}."),
                     "at": N_("Le jour : {date}."), "after": N_("À partir de : {date}.")}[kind]
            out = msg(msgid, date=self.date(w[kind]))
        if w.get("extends_to_working_day"):
            out = msg(N_("{when} Un délai qui finit un samedi, un dimanche ou un jour férié est prolongé au jour "
                         "ouvrable suivant."), when=out)
        return out

    def warning(self, warning: dict) -> list[dict]:
        """A warning for a page that knows nobody's dates: ``[{for, text}]``, every case of its text that
        says whom it is for (each under its own sentence), else its default wording under the warning's
        ``for``; each date it prints, in words."""
        cases = warning["text"]["cases"] if isinstance(warning["text"], dict) else []
        worded = [c for c in cases if "for" in c]
        if not worded:
            french = warning["text"]
            while isinstance(french, dict):
                french = next(c["else"] for c in french["cases"] if "else" in c)
            return [{"for": text(warning["for"]) if "for" in warning else None, "text": self._worded(warning, french)}]
        return [{"for": text(c["for"]), "text": self._worded(warning, c.get("then", c.get("else")))} for c in worded]

    def _worded(self, warning: dict, french: str) -> dict:
        params = {}
        for name in PLACEHOLDER.findall(french):
            node = warning.get("dates", {}).get(name) or self.proc.get("dates", {}).get(name)
            params[name] = {"blank": self.date(node)} if node else blank_param(self.questions[name]["label"])
        return msg(french, **params)

    def figure(self, node: dict) -> dict:
        """A figure of a step or a warning with the value in force on ``day``: ``{label, shown, since}``."""
        param = self.rules["parameters"][node["param"]]
        value, source = value_at(self.rules, node["param"], self.day)
        out = {"label": text(param["description"]), "shown": source["shown"], "since": source["since"],
               "confidence": source["confidence"]}
        if "if" in node:
            out["condition"] = self.condition(node["if"])
        return out


def _zero(node) -> bool:
    return isinstance(node, dict) and len(node) == 1 and not any(isinstance(v, dict) for v in node.values()) \
        and not any(node.values()) and "param" not in node


def _join(items: list, msgid: str = N_("{a} ; {b}")) -> dict:
    """Items joined two by two, so each language words its own « et », « ou »."""
    out = items[0]
    for item in items[1:]:
        out = msg(msgid, a=out, b=item)
    return out
