"""Checks of the rule language beyond the schema: every name a rule uses must mean something.

The schema (rules/schema.yaml) checks shapes; this checks meaning across files: a reference to a
question, a step, a period, a named date, a parameter, a template or a source that exists; a
condition's value of its question's type; placeholders a text can fill; no loop between dates.
Errors name the file, the line and the field (``Located.error``).
"""
from __future__ import annotations

import re

from planner.messages import LITERAL
from scripts.rules.validate import walk

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SPECIAL_REFS = {"today", "attempts.first", "schedule.start"}
# what a procedure's letter wording may print (planner/letters.py Facts: answers, named dates, log counts,
# done dates, tribunal, préfecture, city, delays, and the wording itself)
LETTER_VALUES = {"nombre_tentatives", "jours_distincts", "semaines_distinctes", "derniere_tentative", "prefecture",
                 "tribunal", "ville", "delai_reponse", "delai_injonction", "objet", "situation", "tentatives",
                 "droit", "demande", "mesure", "urgence", "piece_identite", "piece_tentatives", "discussion",
                 "delai_rendez_vous", "prefet", "ne", "domicilie"}


def placeholders(text: str, doc, path, allowed) -> None:
    """Every ``{name}`` of ``text`` is a plain name in ``allowed``: no format spec, no conversion."""
    for name in PLACEHOLDER.findall(text):
        if LITERAL.fullmatch("{" + name + "}"):  # a typed literal, checked in every rule file (validate.check_literals)
            continue
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise doc.error(path, f"champ à remplir invalide : {{{name}}} (un nom seul, sans format ni conversion)")
        if name not in allowed:
            raise doc.error(path, f"champ à remplir inconnu : {{{name}}}")


def refs_of(node) -> set:
    """The names a date expression or a timing depends on (steps, periods, named dates)."""
    out = set()
    for path, value in walk(node):
        if isinstance(value, str) and path and (path[-1] in ("from", "follows", "period", "date", "before", "after", "at", "late_after",
                                                             "by", "on_or_before", "on_or_after")
                                                or isinstance(path[-1], int) and len(path) > 1
                                                and path[-2] in ("latest", "earliest", "first_known")):
            out.add(value.split(".")[0])
    return out


class ProcedureCheck:
    """The cross-file checks of one procedure file."""

    def __init__(self, doc, proc: dict, bundle: dict):
        self.doc, self.proc, self.bundle = doc, proc, bundle
        self.questions = {}
        for name in proc.get("uses", []):
            if name not in bundle["questions"]:
                raise doc.error(("uses",), f"jeu de questions inconnu : {name}")
            self.questions.update({q["id"]: q for q in bundle["questions"][name]["questions"]})
        for i, q in enumerate(proc["questions"]):
            if q["id"] in self.questions:
                raise doc.error(("questions", i, "id"), f"question en double : {q['id']}")
            self.questions[q["id"]] = q
        self.steps = {}
        for i, step in enumerate(proc["steps"]):
            if step["id"] in self.steps or step["id"] in proc["periods"] or step["id"] in proc.get("dates", {}):
                raise doc.error(("steps", i, "id"), f"identifiant en double : {step['id']}")
            self.steps[step["id"]] = i
        self.date_questions = {qid for qid, q in self.questions.items() if q["type"] == "date"}

    def ref_ok(self, ref: str) -> bool:
        if ref in SPECIAL_REFS or re.fullmatch(r"\d{4}-\d{2}-\d{2}", ref):
            return True
        base, _, edge = ref.partition(".")
        if base in self.proc["periods"]:
            return edge in ("start", "end")
        return not edge and (base in self.date_questions or base in self.steps or base in self.proc.get("dates", {}))

    def run(self) -> None:
        doc, proc = self.doc, self.proc
        for path, node in walk(proc):
            if not path or path[0] == "changes":
                continue
            key = path[-1]
            if isinstance(node, dict) and "param" in node and node["param"] not in self.bundle["parameters"]:
                raise doc.error(path + ("param",), f"paramètre inconnu : {node['param']}")
            if isinstance(node, dict) and "cases" in node:
                self.cases(path + ("cases",), node["cases"])
            if isinstance(node, str) and key in ("from", "follows", "date", "before", "after", "at", "by", "late_after",
                                                 "on_or_before", "on_or_after") and path[-2] != "values":
                if not self.ref_ok(node):
                    raise doc.error(path, f"référence inconnue : « {node} » (ni question de type date, ni étape, "
                                          "ni période.start/.end, ni date nommée)")
            if isinstance(node, str) and isinstance(key, int) and len(path) > 1 and path[-2] in ("latest", "earliest", "first_known"):
                if not self.ref_ok(node):
                    raise doc.error(path, f"référence inconnue : « {node} »")
            if key == "period" and isinstance(node, str) and node not in proc["periods"]:
                raise doc.error(path, f"période inconnue : {node}")
            if key == "template" and node not in self.bundle["templates"]:
                raise doc.error(path, f"modèle inconnu : {node}")
            if key in ("if",) and isinstance(node, dict):
                self.condition(path, node)
        documents = self.bundle["evidence"]["documents"]
        for i, step in enumerate(proc["steps"]):
            for j, item in enumerate(step.get("produces", [])):
                name = item if isinstance(item, str) else item["document"]
                if name not in documents:
                    raise doc.error(("steps", i, "produces", j), f"document sans libellé dans preuves.yaml (documents) : {name}")
                if isinstance(item, dict) and "date" in item and item["date"] not in self.date_questions:
                    raise doc.error(("steps", i, "produces", j, "date"), f"question de type date inconnue : {item['date']}")
            by = step.get("done", {}).get("by")
            if by and by not in self.date_questions:
                raise doc.error(("steps", i, "done", "by"), f"question de type date inconnue : {by}")
            follows = step["when"].get("follows")
            if follows and not self.ref_ok(follows):
                raise doc.error(("steps", i, "when", "follows"), f"référence inconnue : « {follows} »")
        target = proc["schedule"].get("target")
        if target and target["step"] not in self.steps:
            raise doc.error(("schedule", "target", "step"), f"étape inconnue : {target['step']}")
        if proc["evidence"]["period"] not in proc["periods"]:
            raise doc.error(("evidence", "period"), f"période inconnue : {proc['evidence']['period']}")
        printable = self.date_questions | set(proc.get("dates", {}))
        for i, w in enumerate(proc.get("warnings", [])):
            for path, node in walk(w["text"]):
                if isinstance(node, str):
                    placeholders(node, doc, ("warnings", i, "text") + path, printable | set(w.get("dates", {})))
        letter_values = printable | LETTER_VALUES | {q for q, v in self.questions.items() if v["type"] == "text"} | \
            {"fait_" + s.replace("-", "_") for s in self.steps}
        for path, node in walk(proc["letter"]):
            if isinstance(node, str):
                placeholders(node, doc, ("letter",) + path, letter_values)
        for i, step in enumerate(proc["steps"]):
            for path, node in walk(step.get("done", {}).get("fact")):
                if isinstance(node, str):
                    placeholders(node, doc, ("steps", i, "done", "fact") + path, letter_values | {"date"})
            for field in ("title", "description"):
                placeholders(step[field], doc, ("steps", i, field), set())
        self.loops()

    def cases(self, path, cases: list) -> None:
        if "else" not in cases[-1]:
            raise self.doc.error(path, "le dernier cas doit être « else » (la valeur par défaut)")
        for i, case in enumerate(cases[:-1]):
            if "else" in case:
                raise self.doc.error(path + (i,), "« else » doit être le dernier cas")

    def condition(self, path, cond: dict) -> None:
        doc = self.doc
        for key in ("all", "any"):
            if key in cond:
                for i, c in enumerate(cond[key]):
                    self.condition(path + (key, i), c)
                return
        if "not" in cond:
            return self.condition(path + ("not",), cond["not"])
        if "answer" in cond:
            q = self.questions.get(cond["answer"])
            if q is None:
                raise doc.error(path + ("answer",), f"question inconnue : {cond['answer']}")
            values = cond.get("in", [cond.get("is")])
            for value in values:
                if q["type"] == "boolean" and not isinstance(value, bool):
                    raise doc.error(path, f"« {cond['answer']} » attend true ou false, pas {value!r}")
                if q["type"] == "choice" and value not in [o["value"] for o in q["options"]]:
                    raise doc.error(path, f"« {cond['answer']} » n'a pas de réponse {value!r}")
        for key in ("answered", "known"):
            if key in cond and cond[key] not in self.questions and cond[key] not in self.proc.get("dates", {}):
                raise doc.error(path + (key,), f"question inconnue : {cond[key]}")
        if "done" in cond and cond["done"] not in self.steps:
            raise doc.error(path + ("done",), f"étape inconnue : {cond['done']}")

    def loops(self) -> None:
        """Dates must not depend on themselves (a step, a period, a named date, the schedule's start)."""
        proc = self.proc
        graph = {name: refs_of(period) for name, period in proc["periods"].items()}
        graph.update({name: refs_of(expr) for name, expr in proc.get("dates", {}).items()})
        graph.update({s["id"]: refs_of(s["when"]) for s in proc["steps"]})
        graph["schedule"] = refs_of(proc["schedule"]["start"])
        for name in graph:
            graph[name].discard(name)  # a period's end may use its own start
        state: dict = {}

        def visit(node, trail):
            if state.get(node) == "done" or node not in graph:
                return
            if state.get(node) == "active":
                loop = " → ".join(trail[trail.index(node):] + [node])
                where = ("steps", self.steps[node], "when") if node in self.steps else \
                    ("periods", node) if node in proc["periods"] else ("dates", node) if node in proc.get("dates", {}) else ("schedule",)
                raise self.doc.error(where, f"dépendance circulaire : {loop}")
            state[node] = "active"
            for dep in sorted(graph[node]):
                visit(dep, trail + [node])
            state[node] = "done"

        for node in list(graph):
            visit(node, [])


def check_template(doc, template: dict) -> None:
    declared = set(template["placeholders"])
    for field in ("heading", "subject", "sender", "recipient", "place_date", "body"):
        for i, part in enumerate(template.get(field, [])):
            text = part if isinstance(part, str) else part.get("text", "")
            placeholders(text, doc, (field, i) if isinstance(part, str) else (field, i, "text"), declared)
            if isinstance(part, dict) and "if" in part:
                for path, node in walk(part["if"]):
                    if path and path[-1] == "known" and node not in declared:
                        raise doc.error((field, i, "if"), f"« known » sur un champ non déclaré : {node}")


def resolve_references(doc, node, sources: dict, path=()):
    """Replace every ``references: [id | {ref, about}]`` under ``node`` by the sources it names."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "references" and isinstance(value, list) and (not value or not isinstance(value[0], dict) or "ref" in value[0]):
                resolved = []
                for i, use in enumerate(value):
                    ref_id = use if isinstance(use, str) else use["ref"]
                    if ref_id not in sources:
                        raise doc.error(path + (key, i), f"source inconnue dans references.yaml : {ref_id}")
                    entry = {"id": ref_id, **sources[ref_id]}
                    if isinstance(use, dict) and "about" in use:
                        entry["about"] = use["about"]
                    resolved.append(entry)
                node[key] = resolved
            else:
                resolve_references(doc, value, sources, path + (key,))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            resolve_references(doc, item, sources, path + (i,))
