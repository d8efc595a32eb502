"""A person's dated action plan, computed from a procedure file and their answers.

A procedure (``rules/procedures/*.yaml``) names its periods and steps; each date is an expression
relative to an answer, another step or a period, shifted by a duration or a dated parameter. Nothing
here knows a particular procedure: a new YAML file is a new plan.
"""
from __future__ import annotations

from . import aid, dates, evidence
from .answers import clean, questions_of, today as today_of
from .messages import Invalid, N_, amount, date as fmt_date, duration, error, msg
from .params import value_at


class Plan:
    """Evaluates one procedure for one set of answers; every date comes with its explanation."""

    def __init__(self, rules: dict, proc: dict, answers: dict, today):
        self.rules, self.proc, self.answers, self.today = rules, proc, answers, today
        self.steps = {s["id"]: s for s in proc["steps"]}
        holidays = dict(rules["holidays"]["national"])
        holidays.update(rules["holidays"]["departements"].get(answers.get("departement"), {}))
        self.holidays = holidays
        self._dates: dict = {}

    # ---- references and expressions --------------------------------------------------------------

    def ref(self, name: str):
        """``(date, explanation)`` of an answer, ``today``, ``period.start|end`` or a step; None if unanswered."""
        if name in self._dates:
            return self._dates[name]
        base, _, end = name.partition(".")
        if name == "today":
            found = (self.today, [])
        elif base in self.proc["periods"]:
            period = self.period(base)
            found = (period[end], period["explanation"]) if period else None
        elif base in self.steps:
            step = self.step_dates(self.steps[base])
            found = (step["main"], step["explanation"]) if step else None
        else:
            day = self.answers.get(name)
            found = (day, []) if day else None
        self._dates[name] = found
        return found

    def expr(self, node):
        """Evaluate a date expression: ``{from, plus|minus}`` or ``{cases: [{if, then}]}``."""
        if "cases" in node:
            for case in node["cases"]:
                if self.holds(case.get("if", {})):
                    return self.expr(case["then"])
            return None
        found = self.ref(node["from"])
        if found is None:
            return None
        day, why = found
        why = list(why)
        for key, sign in (("plus", 1), ("minus", -1)):
            if key in node:
                length, source = self.duration(node[key], day)
                day = dates.shift(day, length, sign)
                if source:
                    why.append(source)
        return day, why

    def duration(self, node, day):
        if "param" in node:
            return value_at(self.rules, node["param"], day)
        return node, None

    def holds(self, cond: dict) -> bool:
        for key, value in cond.items():
            if key == "answered":
                ok = value in self.answers
            elif key == "unanswered":
                ok = value not in self.answers
            elif key == "today_after":
                found = self.ref(value)
                ok = found is not None and self.today > found[0]
            else:
                ok = self.answers.get(key) == value
            if not ok:
                return False
        return True

    # ---- periods and steps ------------------------------------------------------------------------

    def period(self, pid: str):
        key = ("period", pid)
        if key not in self._dates:
            spec = self.proc["periods"][pid]
            start, end = self.expr(spec["start"]), self.expr(spec["end"])
            self._dates[key] = None if start is None or end is None else {
                "id": pid, "label": spec["label"], "start": start[0], "end": end[0],
                "explanation": start[1] + [s for s in end[1] if s not in start[1]],
                "references": spec["references"]}
        return self._dates[key]

    def step_dates(self, step: dict):
        key = ("step", step["id"])
        if key in self._dates:
            return self._dates[key]
        when, out = step["when"], None
        if "period" in when:
            period = self.period(when["period"])
            if period:
                out = {"kind": "period", "start": period["start"], "end": period["end"], "main": period["start"],
                       "explanation": period["explanation"]}
        else:
            kind = next(k for k in ("at", "by", "after") if k in when)
            node = when[kind]
            found = self.ref(node) if isinstance(node, str) else self.expr(node)
            if found:
                out = {"kind": kind, "date": found[0], "main": found[0], "explanation": found[1]}
                if kind == "by" and isinstance(node, dict) and "from" in node:
                    out["opens"] = self.ref(node["from"])[0]  # a deadline counted from an event runs from it
        self._dates[key] = out
        return out

    def flags(self, day):
        reason = dates.closed_reason(day, self.holidays)
        if not reason:
            return []
        return [{"date": day.isoformat(), "reason": reason,
                 **(msg(N_("Le {date} est un samedi ou un dimanche."), date=fmt_date(day)) if reason == "weekend" else
                    msg(N_("Le {date} est un jour férié ({name})."), date=fmt_date(day), name=reason))}]

    def status(self, d: dict) -> str:
        t = self.today
        if d["kind"] == "period":
            return "later" if t < d["start"] else "now" if t <= d["end"] else "overdue"
        if d["kind"] == "after":
            return "now" if t >= d["date"] else "later"
        if d["kind"] == "by":
            return "later" if t < d.get("opens", t) else "now" if t <= d["date"] else "overdue"
        return "later" if t < d["date"] else "now" if t == d["date"] else "overdue"

    def figures(self, nodes) -> list:
        out = []
        for node in nodes:
            if not self.holds(node.get("only_if", {})):
                continue
            found = self.ref(node["at"]) if "at" in node else (self.today, [])
            if found is None:
                continue
            try:
                value, source = value_at(self.rules, node["param"], found[0])
            except Invalid as uncovered:  # a figure we do not know on that date must not hide the plan
                out.append({"param": node["param"], "label": self.rules["parameters"][node["param"]]["description"],
                            "value": None, "date": found[0].isoformat(), **uncovered.errors[0]})
                continue
            text = duration(value) if isinstance(value, dict) else amount(value) + " €" if "EUR" in source["unit"] else str(value)
            out.append({"param": node["param"], "label": source["description"], "value": value, "text": text,
                        "date": found[0].isoformat(), "explanation": [source]})
        return out

    def step(self, spec: dict):
        if not self.holds(spec.get("only_if", {})):
            return None
        d = self.step_dates(spec)
        if d is None:
            return None
        d = dict(d)
        out = {"id": spec["id"], "title": spec["title"], "description": spec["description"], "kind": d["kind"],
               "explanation": list(d["explanation"]), "flags": []}
        if d["kind"] == "period":
            out.update(start=d["start"].isoformat(), end=d["end"].isoformat())
            out["flags"] = self.flags(d["start"]) + self.flags(d["end"])
        else:
            day = d["date"]
            out["flags"] = self.flags(day)
            if spec["when"].get("extends_to_working_day") and out["flags"]:
                moves, source = value_at(self.rules, "justice.report_jour_non_ouvre", day)
                if moves:
                    moved = dates.next_working_day(day, self.holidays)
                    out["moved_from"] = day.isoformat()
                    out["explanation"].append(source)
                    out["flags"].append({"date": moved.isoformat(), "reason": "moved",
                                         **msg(N_("Délai reporté au premier jour ouvrable suivant : {date}."), date=fmt_date(moved))})
                    d["date"] = moved
            out["date"] = d["date"].isoformat()
            if "opens" in d:
                out["opens"] = d["opens"].isoformat()
        out["status"] = self.status(d)
        for key in ("produces", "template", "references"):
            if key in spec:
                out[key] = spec[key]
        if "figures" in spec:
            out["figures"] = self.figures(spec["figures"])
        return out

    def warnings(self) -> list:
        return [{"id": w["id"], "text": w["text"], "references": w["references"],
                 "figures": self.figures(w.get("figures", []))}
                for w in self.proc.get("warnings", []) if self.holds(w["if"])]


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _tribunal(rules: dict, code):
    row = next((r for r in rules["tribunaux"]["departements"] if r["code"] == code), None)
    return dict(row, references=rules["tribunaux"]["meta"]["references"]) if row else None


def _aid_answers(rules: dict, raw: dict):
    """The legal-aid answers if the person gave any (the whole set is then checked), else None."""
    questions = questions_of(rules, rules["aid"].get("uses", []))
    if not any(raw.get(q["id"]) not in (None, "") for q in questions):
        return None
    return clean(rules, questions, raw)


def procedure_of(rules: dict, pid) -> dict:
    if pid not in rules["procedures"]:
        raise Invalid([error("procedure_inconnue", "procedure", N_("Procédure inconnue : « {value} »."), value=str(pid)[:60])])
    return rules["procedures"][pid]


def answers_for(rules: dict, proc: dict, raw: dict) -> dict:
    """Cleaned answers of the procedure's own and shared questions, legal aid aside."""
    aid_sets = set(rules["aid"].get("uses", []))
    sets = [s for s in proc.get("uses", []) if s not in aid_sets]
    return clean(rules, questions_of(rules, sets, proc["questions"]), raw)


def build(rules: dict, pid, raw: dict, attempts=None) -> dict:
    """The whole plan: periods, ordered steps with status, warnings, evidence, aid and tribunal."""
    proc = procedure_of(rules, pid)
    raw = raw if isinstance(raw, dict) else {}
    errors = []
    try:
        answers = answers_for(rules, proc, raw)
    except Invalid as bad:
        errors += bad.errors
        answers = None
    try:
        aid_answers = _aid_answers(rules, raw)
    except Invalid as bad:
        errors += bad.errors
    if errors:
        raise Invalid(errors)
    today = today_of(raw)
    plan = Plan(rules, proc, answers, today)

    periods = {}
    for pid_, spec in proc["periods"].items():
        period = plan.period(pid_)
        if period:
            periods[pid_] = {"label": period["label"], "start": period["start"].isoformat(), "end": period["end"].isoformat(),
                             "explanation": period["explanation"], "references": period["references"],
                             "flags": plan.flags(period["start"]) + plan.flags(period["end"])}
            if "output" in spec:
                periods[pid_]["output"] = spec["output"]
    steps = [s for s in (plan.step(spec) for spec in proc["steps"]) if s]
    steps.sort(key=lambda s: s.get("date") or s["start"])

    evidence_period = periods.get(proc["evidence"]["period"])
    start = dates.parse(evidence_period["start"]) if evidence_period else today
    need = evidence.requirements(rules, proc, start)
    if evidence_period:
        evidence_period["thick_enough_from"] = evidence.thick_enough_from(start, need).isoformat()
    log = evidence.assess(rules, evidence.parse_attempts(attempts), need) if attempts is not None else None

    result = {
        "procedure": proc["id"], "title": proc["title"], "today": today.isoformat(), "rules_version": rules["version"],
        "answers": {k: _iso(v) for k, v in answers.items()},
        "periods": periods, "steps": steps, "warnings": plan.warnings(),
        "tribunal": _tribunal(rules, answers.get("departement")),
        "evidence": log,
        "missing_evidence": log["missing"] if log else [msg(N_("Aucune tentative enregistrée : notez chaque échec dans le journal des preuves."))],
        "aid": aid.eligibility(rules, aid_answers, aid_answers.get("date_demande") or today) if aid_answers else None,
    }
    for spec_id, period in periods.items():
        if "output" in period:
            result[period["output"]] = period
    return result
