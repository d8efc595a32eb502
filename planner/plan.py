"""A person's dated action plan, computed from a procedure file, their answers and what they did.

A procedure (``rules/procedures/*.yaml``) names its periods and steps; each date is an expression
relative to an answer, another step or a period. Legal dates stay where the law puts them; practice
steps (``when: follows``) are scheduled from the later of today and the previous step, and drawn in
so that the chain ends by the schedule's target when it can. Nothing here knows a particular
procedure: a new YAML file is a new plan.

Status of a step (rules/README.md): ``done`` (the person gave its date), ``overdue`` (a legal deadline
has passed), ``now`` (to do today; dated today, or by a deadline still ahead), ``later``.
"""
from __future__ import annotations

import datetime as dt
import re

from . import aid, dates, evidence
from .answers import today as today_of
from .expr import Evaluator
from .form import check, clean
from .messages import (Invalid, N_, date as fmt_date, date_param, duration_param, error, msg, text)
from .params import value_at

ORDER = {"done": 0, "overdue": 1, "now": 2, "later": 3}


class Plan(Evaluator):
    """Evaluates one procedure for one person; every date comes with its explanation."""

    def __init__(self, rules: dict, proc: dict, answers: dict, today, done: dict, attempts: list):
        self.rules, self.proc, self.answers, self.today, self.done = rules, proc, answers, today, done
        self.attempts = attempts
        self.steps = {s["id"]: s for s in proc["steps"]}
        holidays = dict(rules["holidays"]["national"])
        holidays.update(rules["holidays"]["departements"].get(answers.get("departement"), {}))
        self.holidays = holidays
        self._refs: dict = {}
        self._timings: dict = {}
        self._latest = None

    # ---- names ---------------------------------------------------------------------------------------
    def answer(self, qid: str):
        return self.answers.get(qid)

    def is_done(self, step_id: str) -> bool:
        return self.done_on(step_id) is not None

    def done_on(self, step_id: str):
        """The day the person did the step: the date they gave, or the answer named by ``done.by``."""
        if step_id in self.done:
            return self.done[step_id]
        by = self.steps[step_id].get("done", {}).get("by") if step_id in self.steps else None
        return self.answers.get(by) if by else None

    def ref(self, name: str):
        if name in self._refs:
            return self._refs[name]
        self._refs[name] = None  # a loop (refused by the rule checks) reads as unknown, never recurses
        base, _, edge = name.partition(".")
        found = None
        if name == "today":
            found = (self.today, [])
        elif name == "attempts.first":
            days = [a["date"] for a in self.attempts if a["result"] in evidence.COUNTED_RESULTS]
            found = (min(days), []) if days else None
        elif name == "schedule.start":
            found = self.date(self.proc["schedule"]["start"])
        elif base in self.proc["periods"] and edge in ("start", "end"):
            found = self.date(self.proc["periods"][base][edge])
        elif base in self.proc.get("dates", {}):
            found = self.date(self.proc["dates"][base])
        elif base in self.steps:
            timing = self.timing(base)
            found = (timing["date"], timing["sources"]) if timing else None
        elif hasattr(self.answers.get(name), "isoformat"):
            found = (self.answers[name], [])
        self._refs[name] = found
        return found

    # ---- the practice schedule -----------------------------------------------------------------------
    def latest(self, step_id: str, always: bool = False):
        """The latest day a step of the target's chain can take so that the chain ends by the target.
        None when the chain, drawn at its advised pace from today, already ends in time (unless
        ``always``: then the bound is given anyway, e.g. to choose between two open days)."""
        if self._latest is None:
            self._latest, self._drawn_in = {}, False
            target = self.proc["schedule"].get("target")
            by = self.date(target["by"]) if target else None
            chain = self._chain(target["step"]) if by else []
            if chain:
                self._drawn_in = self._paced(chain) > by[0]
                day = by[0]
                for step_id_ in reversed(chain):
                    self._latest[step_id_] = day
                    when = self.steps[step_id_]["when"]
                    day = dates.shift(day, self.duration(when["gap"], day)[0], -1)
        return self._latest.get(step_id) if always or self._drawn_in else None

    def _chain(self, last: str) -> list:
        """The practice steps that lead to ``last``, first to last."""
        chain = []
        while last in self.steps and "follows" in self.steps[last]["when"]:
            chain.insert(0, last)
            last = self.steps[last]["when"]["follows"]
        return chain

    def _paced(self, chain: list):
        """The day the chain's last step falls on at the advised pace, from what is done and from today."""
        day = self.ref(self.steps[chain[0]]["when"]["follows"])[0]
        for step_id in chain:
            done = self.done_on(step_id)
            if done is not None:
                day = done
                continue
            gap = self.duration(self.steps[step_id]["when"]["gap"], day)[0]
            day = max(self.today, dates.shift(day, gap))
        return day

    def _follows(self, spec: dict):
        when = spec["when"]
        found = self.ref(when["follows"])
        if found is None:
            return None
        base, sources = found[0], list(found[1])
        gap, gap_source = self.duration(when["gap"], base)
        least, least_source = self.duration(when.get("min_gap", {"days": 0}), base)
        natural, earliest = dates.shift(base, gap), dates.shift(base, least)
        anchor = self.anchor(when["follows"])
        why = [msg(N_("Conseillé {gap} après {anchor}."), gap=duration_param(gap), anchor=anchor)
               if any(gap.values()) else msg(N_("En même temps que {anchor}."), anchor=anchor)]
        day, latest = natural, self.latest(spec["id"])
        as_soon = None  # why the step is due as soon as possible: "tightened" or "passed"
        if latest is not None and latest < natural:
            day = max(latest, earliest, self.today)
            target = self.proc["schedule"]["target"]
            if day == latest:
                why.append(msg(N_("Avancé pour que « {step} » puisse être fait au plus tard le {date}."),
                               step=text(self.steps[target["step"]]["title"]), date=date_param(self.date(target["by"])[0])))
            elif day == self.today:
                as_soon = "tightened"
            elif any(least.values()):
                why.append(msg(N_("Rapproché pour tenir le calendrier : au plus tôt {gap} après {anchor}."),
                               gap=duration_param(least), anchor=anchor))
            else:
                why.append(msg(N_("Rapproché pour tenir le calendrier : le même jour que {anchor}."), anchor=anchor))
        elif day < self.today:
            as_soon, day = "passed", self.today
        moved = bool(when.get("working_day") and dates.closed_reason(day, self.holidays))
        if moved:
            bound = self.latest(spec["id"], always=True)
            day = self._open_day(day, floor=max(earliest, self.today) if bound is not None and day >= bound else None)
        why += _as_soon_why(as_soon, moved, natural, day)
        sources += [s for s in (gap_source, least_source) if s and s not in sources]
        return {"kind": "follows", "date": day, "sources": sources, "why": why}

    def _open_day(self, day, floor=None):
        """The working day nearest ``day``: the one before when a deadline pushed it there (not before
        ``floor``), else the one after."""
        if floor is not None:
            before = day
            while dates.closed_reason(before, self.holidays) and before > floor:
                before -= dt.timedelta(days=1)
            if not dates.closed_reason(before, self.holidays):
                return before
        return dates.next_working_day(day, self.holidays)

    def anchor(self, name: str) -> dict:
        """How a reference reads in an explanation: « step title », the start of a period…"""
        base, _, edge = name.partition(".")
        if base in self.steps:
            return msg(N_("« {step} »"), step=text(self.steps[base]["title"]))
        if name == "schedule.start":
            return msg(N_("le début de vos tentatives"))
        if base in self.proc["periods"]:
            label = text(self.proc["periods"][base]["label"])
            return msg(N_("le début de « {period} »"), period=label) if edge == "start" else \
                msg(N_("la fin de « {period} »"), period=label)
        return msg(N_("la date indiquée"))

    # ---- steps ---------------------------------------------------------------------------------------
    def timing(self, step_id: str):
        """When a step happens and its status: ``{kind, date, status, sources, why, start?, end?, …}``."""
        if step_id in self._timings:
            return self._timings[step_id]
        self._timings[step_id] = None
        spec, today = self.steps[step_id], self.today
        when = spec["when"]
        kind = next(k for k in ("period", "by", "before", "at", "after", "follows") if k in when)
        out = None
        if kind == "follows":
            out = self._follows(spec)
            if out:
                out["status"] = "now" if out["date"] == today else "later"
        elif kind == "period":
            period = self.proc["periods"][when["period"]]
            start, end = self.ref(f"{when['period']}.start"), self.ref(f"{when['period']}.end")
            if start and end:
                out = {"kind": "period", "start": start[0], "end": end[0], "sources": start[1] + [s for s in end[1] if s not in start[1]],
                       "why": []}
                if today < start[0]:
                    out.update(status="later", date=start[0])
                else:
                    out.update(status="now", date=today)
                    ends = self.date(when["late_after"]) if "late_after" in when else end if period.get("legal") else None
                    if ends and today > ends[0]:
                        out.update(late=True, late_since=ends[0])
        else:
            found = self.date(when[kind])
            if found:
                day = found[0]
                out = {"kind": kind, "date": day, "sources": list(found[1]), "why": []}
                if kind == "by":
                    out.update(self._deadline(spec, day))
                elif kind == "before":
                    out.update(status="now" if day <= today else "later", date=max(day, today))
                elif kind == "at":
                    out["status"] = "later" if today < day else "now" if today == day else "done"
                else:  # after
                    out.update(status="later" if today < day else "now", date=max(day, today))
        done = self.done_on(step_id)
        if out is not None and done is not None:
            out.update(status="done", date=done, done_on=done, why=[])
        self._timings[step_id] = out
        return out

    def _deadline(self, spec: dict, day) -> dict:
        """A legal deadline, shown on its own day. When it ends on a closed day and the rule extends it to
        the next working day, the extension is said but only shown as the date once the day itself has
        passed: nobody is told to wait for it."""
        out, last = {}, day
        if spec["when"].get("extends_to_working_day") and dates.closed_reason(day, self.holidays):
            moves, source = value_at(self.rules, "justice.report_jour_non_ouvre", day)
            if moves:
                last = dates.next_working_day(day, self.holidays)
                out.update(extended_to=last, extra_source=source)
        node = spec["when"]["by"]
        opens = self.ref(node["from"])[0] if isinstance(node, dict) and "from" in node and self.ref(node["from"]) else None
        if opens:
            out["opens"] = opens
        today = self.today
        if day < today <= last:
            out["date"] = last
        out["status"] = "later" if opens and today < opens else "now" if today <= last else "overdue"
        return out

    def flags(self, day) -> list:
        reason = dates.closed_reason(day, self.holidays)
        if not reason:
            return []
        return [{"date": day.isoformat(), "reason": reason,
                 **(msg(N_("Le {date} est un samedi ou un dimanche."), date=date_param(day)) if reason == "weekend" else
                    msg(N_("Le {date} est un jour férié ({name})."), date=date_param(day), name=reason))}]

    def figures(self, nodes) -> list:
        out = []
        for node in nodes:
            if not self.holds(node.get("if")):
                continue
            found = self.date(node.get("at", "today"))
            if found is None:
                continue
            day = found[0]
            try:
                value, source = value_at(self.rules, node["param"], day)
            except Invalid as uncovered:  # a figure we do not know on that date must not hide the plan
                out.append({"param": node["param"], "label": text(self.rules["parameters"][node["param"]]["description"]),
                            "value": None, "date": day.isoformat(), **uncovered.errors[0]})
                continue
            out.append({"param": node["param"], "label": source["description"], "value": value, "shown": source["shown"],
                        "text": msg(N_("{value}"), value=source["shown"])["text"], "date": day.isoformat(),
                        "explanation": [source]})
        return out

    def step(self, spec: dict):
        timing = self.timing(spec["id"])
        # a step whose condition no longer holds stays only as history the person wrote (a date they
        # marked), not when an answer alone would mark it done (a filing date is no ANEF filing off ANEF)
        if timing is None or not (self.holds(spec.get("if")) or spec["id"] in self.done):
            return None
        out = {"id": spec["id"], "title": text(spec["title"]), "description": text(spec["description"]),
               "kind": timing["kind"], "status": timing["status"], "date": timing["date"].isoformat(),
               "explanation": list(timing["sources"]), "why": list(timing["why"]), "flags": [],
               "can_mark_done": "label" in spec.get("done", {})}
        if timing.get("extra_source"):
            out["explanation"].append(timing["extra_source"])
        for key in ("start", "end", "opens", "extended_to", "done_on"):
            if key in timing:
                out[key] = timing[key].isoformat()
        if timing.get("late"):
            out["late"] = True
            out["flags"].append({"date": timing["late_since"].isoformat(), "reason": "late",
                                 **msg(N_("La période de dépôt s'est terminée le {date} : c'est en retard, mais c'est encore utile."),
                                       date=date_param(timing["late_since"]))})
        if timing["kind"] in ("by", "at") and timing["status"] != "done":
            out["flags"] += self.flags(timing["date"])
            if "extended_to" in timing:
                out["flags"].append({"date": out["extended_to"], "reason": "extended",
                                     **msg(N_("Ce jour-là est fermé : le délai est prolongé jusqu'au {date}. N'attendez pas ce jour-là."),
                                           date=date_param(timing["extended_to"]))})
        for key in ("template", "references"):
            if key in spec:
                out[key] = spec[key]
        if "produces" in spec:
            out["produces"] = [p if isinstance(p, str) else p["document"] for p in spec["produces"]
                               if isinstance(p, str) or self.holds(p.get("if"))]
        if "figures" in spec:
            out["figures"] = self.figures(spec["figures"])
        return out

    def warnings(self) -> list:
        out = []
        for w in self.proc.get("warnings", []):
            if not self.holds(w.get("if")):
                continue
            params = {k: date_param(v) for k, v in self.printable_dates().items()}
            for name, node in w.get("dates", {}).items():
                found = self.date(node)
                if found:
                    params[name] = date_param(found[0])
            out.append({"id": w["id"], "level": w["level"], "text": _fill(self.choose(w["text"]), params),
                        "references": w["references"], "figures": self.figures(w.get("figures", []))})
        if self.schedule().get("late"):
            target = self.proc["schedule"]["target"]
            out.append({"id": "calendrier-resserre", "level": target["level"], "text": text(self.choose(target["late"])),
                        "references": self.proc["schedule"]["references"], "figures": []})
        return out

    def schedule(self) -> dict:
        """The practice chain against its target: ``target`` (the day it should end by), ``drawn_in`` (its
        steps were brought closer to meet it), ``late`` (even so it ends after it)."""
        target = self.proc["schedule"].get("target")
        if not target or target["step"] not in self.steps:
            return {}
        timing, by = self.timing(target["step"]), self.date(target["by"])
        spec = self.steps[target["step"]]
        if not timing or not by or timing["status"] == "done" or not self.holds(spec.get("if")):
            return {}
        self.latest(target["step"])
        return {"target": by[0].isoformat(), "drawn_in": self._drawn_in, "late": timing["date"] > by[0]}

    def printable_dates(self) -> dict:
        """The days a letter or a warning may print: answers, the procedure's named dates (facts the person
        gave, or dates the law sets). Never a step of the schedule."""
        out = {k: v for k, v in self.answers.items() if hasattr(v, "isoformat")}
        for name in self.proc.get("dates", {}):
            found = self.ref(name)
            if found:
                out[name] = found[0]
        return out


def _fill(french: str, params: dict) -> dict:
    """A rule text as a message, with the parameters it names (in the order it names them: the answer is
    the same text in every interpreter)."""
    names = dict.fromkeys(n for n in re.findall(r"\{([a-z_][a-z0-9_]*)\}", french) if n in params)
    return msg(french, **{k: params[k] for k in names})


def procedure_of(rules: dict, pid) -> dict:
    if not isinstance(pid, str) or pid not in rules["procedures"]:
        raise Invalid([error("procedure_inconnue", "procedure", N_("Procédure inconnue : « {value} »."), value=str(pid)[:60])])
    return rules["procedures"][pid]


def _tribunal(rules: dict, code):
    row = next((r for r in rules["tribunaux"]["departements"] if r["code"] == code), None)
    return dict(row, references=rules["tribunaux"]["meta"]["references"]) if row else None


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def legal_aid(rules: dict, section: dict, raw: dict, today):
    """The optional legal-aid result: None if nothing was answered, what is missing, or the verdict."""
    values, errors = check(rules, section["questions"], raw, today, required=False)
    if not values and not errors:
        return None
    missing = [q["id"] for q in section["questions"] if q["required"] and q["id"] not in values]
    errors += [error("champ_obligatoire", qid, N_("Nécessaire pour calculer l'aide juridictionnelle.")) for qid in missing]
    if errors:
        return {"errors": errors, "missing": missing}
    return aid.eligibility(rules, values, values.get("date_demande") or today)


def build(rules: dict, pid, raw, attempts=None, done=None) -> dict:
    """The whole plan: periods, ordered steps with status, warnings, evidence, legal aid and tribunal."""
    proc = procedure_of(rules, pid)
    raw = raw if isinstance(raw, dict) else {}
    today = today_of(raw)
    log = evidence.parse_attempts(attempts, today) if attempts is not None else []
    answers, done_dates, optional = clean(rules, proc, raw, done, today)
    plan = Plan(rules, proc, answers, today, done_dates, log)

    periods = {}
    for name, spec in proc["periods"].items():
        start, end = plan.ref(f"{name}.start"), plan.ref(f"{name}.end")
        if start and end:
            periods[name] = {"label": text(spec["label"]), "start": start[0].isoformat(), "end": end[0].isoformat(),
                             "legal": bool(spec.get("legal")), "references": spec["references"],
                             "explanation": start[1] + [s for s in end[1] if s not in start[1]],
                             "flags": plan.flags(start[0]) + plan.flags(end[0])}
            if "output" in spec:
                periods[name]["output"] = spec["output"]
    steps = [s for s in (plan.step(spec) for spec in proc["steps"]) if s]
    position = {s["id"]: i for i, s in enumerate(proc["steps"])}
    steps.sort(key=lambda s: (s["date"], ORDER[s["status"]], position[s["id"]]))

    evidence_period = periods.get(proc["evidence"]["period"])
    start = dates.parse(evidence_period["start"]) if evidence_period else today
    need = evidence.requirements(rules, proc, start)
    if evidence_period:
        evidence_period["thick_enough_from"] = evidence.thick_enough_from(start, need).isoformat()
    log_result = evidence.assess(rules, log, need) if attempts is not None else None

    aid_sections = [s for s in optional.values()]
    result = {
        "procedure": proc["id"], "title": text(proc["title"]), "today": today.isoformat(),
        "rules_version": rules["version"], "rules_checked": proc["verified"],
        "answers": {k: _iso(v) for k, v in answers.items()},
        "done": {k: v.isoformat() for k, v in done_dates.items()},
        "dates": {k: v.isoformat() for k, v in plan.printable_dates().items()},
        "periods": periods, "steps": steps, "warnings": plan.warnings() + freshness(rules, proc, today),
        "schedule": plan.schedule(),
        "tribunal": _tribunal(rules, answers.get("departement")),
        "evidence": log_result,
        "missing_evidence": log_result["missing"] if log_result else
        [msg(N_("Aucune tentative enregistrée : notez chaque échec dans le journal des preuves."))],
        "aid": legal_aid(rules, aid_sections[0], raw, today) if aid_sections else None,
    }
    for period in periods.values():
        if "output" in period:
            result[period["output"]] = period
    return result


STALE_AFTER = {"months": 6}


def freshness(rules: dict, proc: dict, today) -> list:
    """A warning when the rules were last checked more than six months before the day computed for."""
    checked = dates.parse(proc["verified"])
    if dates.shift(checked, STALE_AFTER) >= today:
        return []
    return [{"id": "regles-anciennes", "level": "warning",
             "text": msg(N_("Ces règles ont été vérifiées pour la dernière fois le {date} : elles ont pu changer depuis. "
                            "Faites vérifier vos dates par une association ou un avocat."), date=date_param(checked)),
             "references": [], "figures": []}]


def _as_soon_why(as_soon, moved: bool, natural, day) -> list:
    """Why a step falls on ``day``: due as soon as possible (its advised day passed, or the schedule was
    tightened), and on an open day. "Today" is said only when the day is today."""
    closed = msg(N_("le greffe et les guichets sont fermés le samedi, le dimanche et les jours fériés"))
    if as_soon == "tightened":
        return [msg(N_("Rapproché pour tenir le calendrier : le premier jour ouvrable, le {date} ({closed})."),
                    date=date_param(day), closed=closed) if moved
                else msg(N_("Rapproché pour tenir le calendrier : à faire aujourd'hui."))]
    if as_soon == "passed":
        return [msg(N_("La date conseillée ({date}) est passée : à faire le premier jour ouvrable, le {day} ({closed})."),
                    date=date_param(natural), day=date_param(day), closed=closed) if moved
                else msg(N_("La date conseillée ({date}) est passée : à faire aujourd'hui."), date=date_param(natural))]
    if moved:
        return [msg(N_("Le {date}, un jour ouvrable : le greffe et les guichets sont fermés le samedi, le "
                       "dimanche et les jours fériés."), date=date_param(day))]
    return []
