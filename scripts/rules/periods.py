"""Every period of a procedure starts before it ends, whatever the person answers: checked by running
the engine (``planner``) on a sample of days and answers, not by guessing which parameter is which.

A filing window ``{from: expiration, minus: fenetre_debut}`` to ``{from: expiration, minus:
fenetre_fin}`` is inverted when a figure is mistyped (``fenetre_debut: {days: 0}``), and the schema
cannot see it: only evaluating both ends says so. A period may end on the day of an event
(``fenetre_autres_fin: {days: 0}``, the window ends on expiry), as long as it starts before.

The sample: every date question (and ``today``) set to the 1st, the 15th and the last day of each month
from two years before the build to two years after, each with every combination of the answers the
procedure's periods and named dates test (``{answer: anef, is: true}``: true, false, unanswered). A day
the rules do not cover (before a parameter's first value) is skipped, as the engine reports it cleanly.
"""
from __future__ import annotations

import calendar
import datetime as dt
import itertools

from planner.messages import Invalid
from planner.plan import Plan
from scripts.rules.validate import walk

YEARS_AROUND = 2


def sample_days(today: dt.date) -> list[dt.date]:
    days = []
    for year in range(today.year - YEARS_AROUND, today.year + YEARS_AROUND + 1):
        for month in range(1, 13):
            last = calendar.monthrange(year, month)[1]
            days += [dt.date(year, month, d) for d in (1, 15, last)]
    return days


def _answer_sets(proc: dict, questions: dict) -> list[dict]:
    """Every combination of the values of the questions that the periods and named dates test."""
    tested = sorted({node["answer"] for _, node in walk({"p": proc["periods"], "d": proc.get("dates", {})})
                     if isinstance(node, dict) and "answer" in node})
    choices = []
    for qid in tested:
        q = questions[qid]
        values = [True, False] if q["type"] == "boolean" else [o["value"] for o in q.get("options", [])]
        choices.append([(qid, v) for v in values] + [(qid, None)])
    return [{qid: v for qid, v in combo if v is not None} for combo in itertools.product(*choices)]


def _shown(value) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def check_periods(doc, proc: dict, questions: dict, rules: dict, today: dt.date, parameter_docs: dict) -> None:
    """Raise ``RuleError`` at the first period whose start is not before its end for some sampled day
    and answers, naming the day, the answers and the parameters (file:line) that made both ends."""
    dated = sorted(qid for qid, q in questions.items() if q["type"] == "date")
    for day in sample_days(today):
        for chosen in _answer_sets(proc, questions):
            for answers, now, given in (({**chosen, **{qid: day for qid in dated}}, today, f"chaque date donnée le {day}"),
                                        (chosen, day, "aucune date donnée")):
                plan = Plan(rules, proc, answers, now, {}, [])
                for name, period in proc["periods"].items():
                    try:
                        start, end = plan.date(period["start"]), plan.date(period["end"])
                    except Invalid:
                        continue  # a day the rules do not cover: the engine says so to the person
                    if start is None or end is None or start[0] < end[0]:
                        continue
                    situation = ", ".join([given] + [f"{k} = {_shown(v)}" for k, v in sorted(chosen.items())])
                    causes = []
                    for source in start[1] + [s for s in end[1] if s not in start[1]]:
                        pdoc = parameter_docs[source["rule"]]
                        where = f"{pdoc.file}:{pdoc.line(('values', source['since'], 'value'))}"
                        causes.append(f"{source['rule']} = {source['value']} ({where})")
                    raise doc.error(("periods", name, "start"),
                                    f"la période « {name} » ne commence pas avant sa fin : du {start[0]} au {end[0]} "
                                    f"(aujourd'hui {now}, {situation}) ; valeurs en jeu : {'; '.join(causes) or 'aucune'}")
