"""The e-mail and the registered letter, filled with the person's answers and plan.

The texts stay in French, the language the préfecture reads; a blank the person left empty shows as
``[label]`` so that nothing is silently dropped.
"""
from __future__ import annotations

import string
from urllib.parse import quote

from .messages import date as fmt_date

FIELDS = ("subject", "sender", "recipient", "place_date", "body")


class _Blanks(dict):
    """Template values where a missing one shows as ``[label]``."""

    def __init__(self, values: dict, labels: dict):
        super().__init__(values)
        self.labels = labels

    def __missing__(self, key):
        return f"[{self.labels.get(key, key)}]"


def _fill(text: str, values: dict) -> str:
    return string.Formatter().vformat(text, (), values)


def values_for(rules: dict, plan: dict) -> dict:
    """What the templates can say, from the answers and the computed plan (only what is known)."""
    answers = plan["answers"]
    out = {k: v for k, v in answers.items() if isinstance(v, str) and k not in ("departement",)}
    for key in ("date_naissance", "expiration", "debut_tentatives", "date_depot"):
        if key in answers:
            out[key] = fmt_date(answers[key])
    if plan.get("tribunal"):
        out["prefecture"] = plan["tribunal"]["prefecture"]
        out["tribunal"] = plan["tribunal"]["tribunal_administratif"].replace("Tribunal", "tribunal", 1)
    log = plan.get("evidence")
    evidence_period = next((p for p in plan["periods"].values() if p.get("output") == "evidence_period"), None)
    if log and log["first"]:
        out.update(debut_tentatives=fmt_date(log["first"]), nombre_tentatives=str(log["attempts"]),
                   jours_distincts=str(log["distinct_days"]))
    elif evidence_period and "debut_tentatives" not in out:
        out["debut_tentatives"] = fmt_date(evidence_period["start"])
    steps = {s["id"]: s for s in plan["steps"]}
    emails = [fmt_date(s["date"]) for s in plan["steps"] if s.get("template") == "courriel" and s["date"] <= plan["today"]]
    if emails:
        out["dates_courriels"] = ", ".join(emails)
    letter = steps.get("lettre-recommandee")
    out["date_lettre"] = fmt_date(max(letter["date"], plan["today"]) if letter else plan["today"])
    return out


NESTED = {"situation": "situation", "objet": "object", "demande": "request"}


def _with_wording(values: dict, proc: dict) -> dict:
    """Add the procedure's own sentences (which may use the values themselves)."""
    out = dict(values)
    for key, field in NESTED.items():
        out[key] = _fill(proc["letter"][field], _Blanks(values, {}))
    return out


def fill(rules: dict, plan: dict) -> dict:
    """Every template the plan's steps use, filled: ``{id: {title, subject, body, ..., mailto?}}``."""
    proc = rules["procedures"][plan["procedure"]]
    raw = values_for(rules, plan)
    values = _with_wording(raw, proc)
    used = [s["template"] for s in plan["steps"] if s.get("template")]
    out = {}
    for tid in dict.fromkeys(used):
        template = rules["templates"][tid]
        blanks = _Blanks(values, template["placeholders"])
        filled = {field: _fill(template[field], blanks) for field in FIELDS if field in template}
        filled["title"] = template["title"]
        # what a page needs to show a translation beside the French: translate each msgid, then fill
        filled["source"] = {"fields": {f: template[f] for f in FIELDS if f in template}, "values": raw,
                            "wording": {key: proc["letter"][field] for key, field in NESTED.items()},
                            "placeholders": template["placeholders"]}
        if tid == "courriel":
            filled["mailto"] = f"mailto:?subject={quote(filled['subject'])}&body={quote(filled['body'])}"
        out[tid] = filled
    return out
