"""The e-mail, the registered letter, the court application and the evidence annex, in French.

A document sent to the préfecture or the court states only facts the person gave: their answers, the
dates they marked done, their attempts log, and the dates the law sets from them. A date of the
plan's schedule is never written as a fact; an unknown fact is a visible ``[blank]`` to fill in by
hand. Every paragraph is also returned as a message (msgid + parameters), so a page can show its
translation beside the French.
"""
from __future__ import annotations

import re
from urllib.parse import quote

from . import dates
from .expr import Evaluator
from .messages import NP_, N_, blank_param, date as fmt_date, date_param, duration_param, msg, plural, text, weekday

JOIN = {"heading": "\n", "sender": "\n", "recipient": "\n", "place_date": "", "subject": "", "body": "\n\n"}
FIELDS = tuple(JOIN)
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
CITY = re.compile(r"\b\d{5}\s+([^\d,;\n]+?)\s*$")
SEAT = re.compile(r"\s*\([^)]*\)$")  # « (Cergy) »: the seat, for the tribunal page, not the court's name
WORDING = {"objet": "object", "situation": "situation", "tentatives": "attempts", "droit": "law",
           "demande": "request", "mesure": "measure", "urgence": "urgency", "piece_identite": "document",
           "piece_tentatives": "attempts_piece", "discussion": "discussion"}
# Words that agree with the person's civility: messages, so the translation beside says them its own way.
AGREEMENT = {"ne": {"madame": N_("née"), "monsieur": N_("né"), None: N_("né(e)")},
             "domicilie": {"madame": N_("domiciliée"), "monsieur": N_("domicilié"), None: N_("domicilié(e)")}}



class Facts(Evaluator):
    """What the documents may say about one person, read from their plan (never from its schedule)."""

    def __init__(self, rules: dict, plan: dict):
        self.rules, self.plan = rules, plan
        self.proc = rules["procedures"][plan["procedure"]]
        self.today = dates.parse(plan["today"])
        self.values = self._values()
        self.values.update(self._delays())

    # ---- names, for the conditions of the rules and the templates --------------------------------
    def answer(self, qid: str):
        value = self.plan["answers"].get(qid)
        return dates.parse(value) if qid in self.plan["dates"] else value

    def ref(self, name: str):
        if name == "today":
            return self.today, []
        day = self.plan["dates"].get(name)
        return (dates.parse(day), []) if day else None

    def known(self, name: str) -> bool:
        return name in self.values

    def is_done(self, step_id: str) -> bool:
        return step_id in self.plan["done"]

    # ---- values ------------------------------------------------------------------------------------
    def _values(self) -> dict:
        plan, out = self.plan, {}
        for key, value in plan["answers"].items():
            if key in plan["dates"]:
                continue
            if isinstance(value, str) and key != "departement":
                out[key] = value
        for key, day in plan["dates"].items():
            out[key] = date_param(day)
        for step_id, day in plan["done"].items():
            out["fait_" + step_id.replace("-", "_")] = date_param(day)
        log = plan.get("evidence")
        if log and log["attempts"]:
            out.update(nombre_tentatives=log["attempts"], derniere_tentative=date_param(log["last"]),
                       tentatives_notees=plural(*NP_("{n} tentative", "{n} tentatives"), log["attempts"]),
                       jours_distincts=plural(*NP_("{n} jour différent", "{n} jours différents"), log["distinct_days"]),
                       semaines_distinctes=plural(*NP_("{n} semaine", "{n} semaines"), log["distinct_weeks"]))
        if plan.get("tribunal"):
            row = plan["tribunal"]
            out.update(prefecture=f"{row['departement']} ({row['code']})", prefet=row["prefet"],
                       tribunal=SEAT.sub("", row["tribunal_administratif"]).replace("Tribunal", "tribunal", 1))
        city = CITY.search(out.get("adresse", ""))
        if city:
            out["ville"] = city.group(1).strip()
        civility = plan["answers"].get("civilite")
        for name, forms in AGREEMENT.items():
            out[name] = msg(forms.get(civility, forms[None]))
        return out

    def _delays(self) -> dict:
        """The delays the letters ask for. The reply the registered letter asks: the procedure's own
        ``letter.reply_delay`` if it sets one, else a faster one when the schedule was drawn in (the référé
        comes sooner)."""
        urgent = self.plan.get("schedule", {}).get("drawn_in")
        reply = self.proc["letter"].get("reply_delay") or \
            {"param": "pratique.delai_reponse_lettre_urgent" if urgent else "pratique.delai_reponse_lettre"}
        nodes = {"delai_reponse": reply, "delai_injonction": {"param": "pratique.delai_injonction"},
                 "delai_rendez_vous": {"param": "pratique.delai_rendez_vous"}}
        return {name: duration_param(self.duration(node, self.today)[0]) for name, node in nodes.items()}

    def param(self, name: str, labels: dict):
        """One placeholder as a message parameter: the procedure's wording, a fact, or a blank."""
        if name in WORDING:
            return self.fill(self.choose(self.proc["letter"][WORDING[name]]), labels)
        if name in self.values:
            return self.values[name]
        return blank_param(labels.get(name, name))

    def fill(self, french: str, labels: dict, **given) -> dict:
        """A French text with its placeholders filled (``given`` first), as a message."""
        names = dict.fromkeys(PLACEHOLDER.findall(french))
        return msg(french, **{name: given[name] if name in given else self.param(name, labels) for name in names})

    # ---- the court application's numbered facts and exhibits --------------------------------------
    def facts_and_pieces(self, labels: dict) -> tuple[list, list]:
        pieces = [self.fill(self.choose(self.proc["letter"]["document"]), labels),
                  self.fill(self.choose(self.proc["letter"]["attempts_piece"]), labels)]
        log = self.plan.get("evidence")
        facts = [self.param("situation", labels)]
        if log and log["attempts"]:
            pieces.append(plural(*NP_("relevé de ma tentative, jour par jour (annexe)",
                                      "relevé de mes {n} tentatives, jour par jour (annexe)"), log["attempts"]))
            facts.append(_cited(self.fill(self.choose(self.proc["letter"]["attempts_fact"]), labels), [2, 3]))
        else:
            facts.append(_cited(self.param("tentatives", labels), [2]))
        documents = self.rules["evidence"]["documents"]
        done = sorted((self.plan["done"][step["id"]], i, step) for i, step in enumerate(self.proc["steps"])
                      if step["id"] in self.plan["done"] and "fact" in step.get("done", {}))
        for day, _, step in done:
            numbers = []
            for item in step.get("produces", []):
                if isinstance(item, dict) and not self.holds(item.get("if")):
                    continue
                label = documents[item if isinstance(item, str) else item["document"]]["label"]
                own = item.get("date") if isinstance(item, dict) else None
                dated = (self.values.get(own) or blank_param(labels.get(own, own))) if own else date_param(day)
                pieces.append(msg(N_("{document}, du {date}"), document=text(label), date=dated))
                numbers.append(len(pieces))
            fact = self.fill(self.choose(step["done"]["fact"]), labels, date=date_param(day))
            facts.append(_cited(fact, numbers) if numbers else fact)
        for step in self.pending():  # planned before the court application, not done yet: to complete by hand
            fact = self.fill(self.choose(step["done"]["fact"]), labels, date=blank_param("date"))
            facts.append(msg(N_("[À compléter si c'est fait :] {fact}"), fact=fact))
            for item in step.get("produces", []):
                label = documents[item if isinstance(item, str) else item["document"]]["label"]
                pieces.append(msg(N_("[à compléter si c'est fait :] {document}, du {date}"), document=text(label),
                                  date=blank_param("date")))
        numbered = [msg(N_("{n}. {fact}"), n=i, fact=f) for i, f in enumerate(facts, start=1)]
        listed = [msg(N_("Pièce n° {n} : {piece}."), n=i, piece=p) for i, p in enumerate(pieces, start=1)]
        return numbered, listed


    def pending(self) -> list:
        """The steps with a fact to state that the plan puts before the court application but that the
        person has not marked done: the application leaves them as visible blanks."""
        steps = {s["id"]: s for s in self.plan.get("steps", [])}
        court = next((s for s in self.plan.get("steps", []) if s.get("template") == "requete-refere"), None)
        if court is None:
            return []
        return [spec for spec in self.proc["steps"] if "fact" in spec.get("done", {}) and spec["id"] in steps
                and steps[spec["id"]]["status"] != "done" and spec["id"] != court["id"]
                and steps[spec["id"]]["date"] <= court["date"]]


def _cited(fact: dict, numbers: list) -> dict:
    refs = ", ".join(str(n) for n in numbers)
    return plural(*NP_("{fact} Voir la pièce n° {refs}.", "{fact} Voir les pièces n° {refs}."), len(numbers),
                  fact=fact, refs=refs)


def _document(facts: Facts, template: dict) -> dict:
    labels = template["placeholders"]
    listed = None
    out = {"title": text(template["title"]), "blocks": []}
    for field in FIELDS:
        if field not in template:
            continue
        parts = []
        for part in template[field]:
            if isinstance(part, str):
                parts.append(facts.fill(part, labels))
            elif "each" in part:
                if facts.holds(part.get("if")):
                    listed = listed or facts.facts_and_pieces(labels)
                    parts += listed[0] if part["each"] == "facts" else listed[1]
            elif facts.holds(part["if"]):
                parts.append(facts.fill(part["text"], labels))
        out[field] = JOIN[field].join(p["text"] for p in parts)
        out["blocks"] += [{"field": field, **p} for p in parts]
    if "instructions" in template:
        out["instructions"] = [text(i["text"]) for i in template["instructions"]]
    out["references"] = template["references"]
    return out


def annex(facts: Facts) -> dict | None:
    """The attempts log for the préfecture and the judge: a numbered table in French, the counts, no
    verdict (the person's own assessment stays on screen)."""
    log = facts.plan.get("evidence")
    if not log or not log["attempts"]:
        return None
    shows = facts.choose(facts.proc["letter"]["annex_shows"])
    heading = facts.choose(facts.proc["letter"]["annex"])
    rows = []
    for n, row in enumerate(log["rows"], start=1):
        day = dates.parse(row["date"])
        rows.append({"n": n, "date": row["date"], "day": f"{weekday(day)} {fmt_date(day)}", "time": row["time"] or "",
                     "prefecture": row["prefecture"] or "", "shows": row["note"] or shows})
    name = " ".join(v for v in (facts.values.get("prenom"), facts.values.get("nom")) if v)
    # counts as « label : n », so no word has to agree with a number in any language
    summary = msg(N_("Tentatives : {attempts}, du {first} au {last}. Jours différents : {days}. Semaines différentes : {weeks}."),
                  attempts=log["attempts"], days=log["distinct_days"], weeks=log["distinct_weeks"],
                  first=date_param(log["first"]), last=date_param(log["last"]))
    return {"title": text(heading), "heading": heading,
            "person": " – ".join(v for v in (name, facts.values.get("numero_etranger")) if v),
            "columns": ["N°", "Date", "Heure", "Préfecture", "Ce que montre la capture d'écran"],
            "rows": rows, "summary": summary,
            # printed on its own sheet, the annex carries the same place and date line as the requête
            "place_date": facts.fill(N_("Fait à {ville}, le {date_signature}"),
                                     {"ville": N_("ville"), "date_signature": N_("date")})}


def fill(rules: dict, plan: dict) -> dict:
    """Every document the plan's steps use, filled: ``{id: {title, subject, body, blocks, …}}``, plus the
    evidence annex when there is a log."""
    facts = Facts(rules, plan)
    out = {}
    used = [s["template"] for s in plan["steps"] if s.get("template")]
    for tid in dict.fromkeys(used):
        out[tid] = _document(facts, rules["templates"][tid])
        if tid == "courriel":
            out[tid]["mailto"] = f"mailto:?subject={quote(out[tid]['subject'])}&body={quote(out[tid]['body'])}"
    annexe = annex(facts)
    if annexe:
        out["annexe-tentatives"] = annexe
    return out


def variants(proc: dict) -> list[dict]:
    """The answers that change the procedure's letter wording (``{answer: Q, is: V}`` in its cases), one
    per variant, after the default (no answer)."""
    found = [{}]
    for path_value in _conditions(proc["letter"]):
        if "answer" in path_value and "is" in path_value:
            variant = {path_value["answer"]: path_value["is"]}
            if variant not in found:
                found.append(variant)
    return found


def _conditions(node):
    if isinstance(node, dict):
        if "answer" in node:
            yield node
        for value in node.values():
            yield from _conditions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _conditions(item)


def model(rules: dict, pid: str, today, answers: dict | None = None) -> dict:
    """The documents of a procedure as models for the guide's pages: every fact a visible blank, the
    procedure's wording as it reads with ``answers`` (a variant) or when nothing is known."""
    proc = rules["procedures"][pid]
    blank = {"procedure": pid, "today": today.isoformat(), "answers": dict(answers or {}), "dates": {}, "done": {},
             "evidence": None, "tribunal": None}
    facts = Facts(rules, blank)
    used = dict.fromkeys(s["template"] for s in proc["steps"] if s.get("template"))
    return {tid: _document(facts, rules["templates"][tid]) for tid in used}
