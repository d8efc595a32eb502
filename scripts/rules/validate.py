"""The checks of every rule file, alone (its kind's JSON Schema, dates) and across files (references to
parameters, steps, periods, questions, templates; no dependency loop).

Every error names the file, the line and the field (``RuleError``).
"""
from __future__ import annotations

import csv
import datetime as dt
import string
from pathlib import Path

import jsonschema

from scripts.rules.yamlsource import Located, RuleError, load

DATE_RANGE = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))
SINGLE_FILES = {"questions.yaml": "questions", "aide-juridictionnelle.yaml": "aid",
                "preuves.yaml": "evidence", "tribunaux.yaml": "tribunaux", "article-2020.yaml": "article"}
FOLDERS = {"parameters": "parameter", "procedures": "procedure", "templates": "template",
           "examples": "examples"}
TRIBUNAL_COLUMNS = ["code", "departement", "prefecture", "tribunal_administratif", "status"]


# ---- Reading and schema --------------------------------------------------------------------------

def schemas(root: Path) -> dict:
    doc = load(root / "schema.yaml", root).data
    return {kind: jsonschema.Draft202012Validator({"$defs": doc["$defs"], **schema})
            for kind, schema in doc["kinds"].items()}


def check_schema(doc: Located, validator) -> None:
    errors = sorted(validator.iter_errors(doc.data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        error = errors[0]
        # oneOf failures hide the useful message in their sub-errors: report the deepest one
        while error.context:
            error = max(error.context, key=lambda e: len(e.absolute_path))
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":  # point at the unknown key itself
            path += (sorted(set(error.instance) - set(error.schema.get("properties", {})))[0],)
        raise doc.error(path, _plain(error))


def _plain(error) -> str:
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"clé inconnue : {', '.join(extra)}"
    if error.validator == "required":
        return f"champ obligatoire manquant : {error.message.split(' ')[0]}"
    return error.message


def rule_files(root: Path):
    """Every rule file with its kind; a YAML file in an unexpected place is an error."""
    for path in sorted(root.rglob("*.yaml")):
        rel = path.relative_to(root)
        if rel.parts[0] == "locales" or rel.as_posix() == "schema.yaml":
            continue
        kind = SINGLE_FILES.get(rel.as_posix()) if len(rel.parts) == 1 else FOLDERS.get(rel.parts[0])
        if kind is None:
            raise RuleError(f"rules/{rel.as_posix()}", None, "", "fichier inattendu : ce n'est pas un type de règle connu")
        yield path, kind


def check_date(doc: Located, path, value: str) -> None:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise doc.error(path, f"date impossible : {value}") from None
    if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        raise doc.error(path, f"date hors limites ({DATE_RANGE[0]} à {DATE_RANGE[1]}) : {value}")


# ---- Cross-file checks ---------------------------------------------------------------------------

def walk(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk(item, path + (i,))


def parameter(doc: Located, name: str) -> dict:
    values = []
    kinds = set()
    for date, entry in sorted(doc.data["values"].items()):
        check_date(doc, ("values", date), date)
        value = entry["value"]
        if value is not None:
            kinds.add("duration" if isinstance(value, dict) else type(value).__name__.replace("int", "float"))
        values.append({"date": date, **entry})
    if len(kinds) > 1:
        raise doc.error(("values",), f"valeurs de types différents : {', '.join(sorted(kinds))}")
    check_date(doc, ("verified",), doc.data["verified"])
    return {"name": name, **{k: v for k, v in doc.data.items() if k != "values"}, "values": values}


def check_procedure(doc: Located, proc: dict, question_sets: dict, parameters: dict, templates: dict,
                     documents: dict) -> None:
    stem = Path(doc.file).stem
    if proc["id"] != stem:
        raise doc.error(("id",), f"l'identifiant doit être le nom du fichier ({stem})")
    questions = {}
    for set_name in proc.get("uses", []):
        if set_name not in question_sets:
            raise doc.error(("uses",), f"jeu de questions inconnu : {set_name}")
        for q in question_sets[set_name]["questions"]:
            questions[q["id"]] = q
    for i, q in enumerate(proc["questions"]):
        if q["id"] in questions:
            raise doc.error(("questions", i, "id"), f"question en double : {q['id']}")
        questions[q["id"]] = q
    dates = {qid for qid, q in questions.items() if q["type"] == "date"} | {"today"}
    steps = {}
    for i, step in enumerate(proc["steps"]):
        if step["id"] in steps or step["id"] in proc["periods"]:
            raise doc.error(("steps", i, "id"), f"identifiant en double : {step['id']}")
        steps[step["id"]] = i
    periods = set(proc["periods"])

    def refs_of(node):
        """The step or period ids a date expression depends on."""
        return {n.split(".")[0] for p, n in walk(node) if p and p[-1] in ("from", "at", "today_after", "by", "period")
                and isinstance(n, str)}

    def check_ref(path, ref):
        base, _, end = ref.partition(".")
        if base in periods and end in ("start", "end"):
            return
        if not end and (base in dates or base in steps):
            return
        raise doc.error(path, f"référence inconnue : « {ref} » (ni question de type date, ni étape, ni période.start/.end)")

    for path, node in walk(proc):
        if not path:
            continue
        key = path[-1]
        if isinstance(node, dict) and "param" in node and node["param"] not in parameters:
            raise doc.error(path + ("param",), f"paramètre inconnu : {node['param']}")
        if key in ("from", "at", "today_after") and isinstance(node, str):
            check_ref(path, node)
        elif key == "by" and isinstance(node, str):
            check_ref(path, node)
        elif key == "period" and path[-2] in ("when", "evidence") and node not in periods:
            raise doc.error(path, f"période inconnue : {node}")
        elif key == "produces" and isinstance(node, list):
            for i, doc_id in enumerate(node):
                if doc_id not in documents:
                    raise doc.error(path + (i,), f"document sans libellé dans preuves.yaml (documents) : {doc_id}")
        elif key == "template" and node not in templates:
            raise doc.error(path, f"modèle inconnu : {node}")
        elif key in ("if", "only_if") and isinstance(node, dict):
            for cond_key, value in node.items():
                if cond_key in ("answered", "unanswered"):
                    if value not in questions:
                        raise doc.error(path + (cond_key,), f"question inconnue : {value}")
                elif cond_key != "today_after" and cond_key not in questions:
                    raise doc.error(path + (cond_key,), f"question inconnue : {cond_key}")

    # dependencies between steps and periods must not loop
    graph = {pid: refs_of(period) for pid, period in proc["periods"].items()}
    graph.update({s["id"]: refs_of(s["when"]) for s in proc["steps"]})
    state: dict = {}

    def visit(node, trail):
        if state.get(node) == "done" or node not in graph:
            return
        if state.get(node) == "active":
            loop = " → ".join(trail[trail.index(node):] + [node])
            where = ("steps", steps[node], "when") if node in steps else ("periods", node)
            raise doc.error(where, f"dépendance circulaire : {loop}")
        state[node] = "active"
        for dep in sorted(graph[node]):
            visit(dep, trail + [node])
        state[node] = "done"

    for node in graph:
        visit(node, [])


def check_template(doc: Located, template: dict) -> None:
    declared = set(template["placeholders"])
    for field in ("subject", "sender", "recipient", "place_date", "body"):
        for _, name, _, _ in string.Formatter().parse(template.get(field, "")):
            if name is not None and name not in declared:
                raise doc.error((field,), f"champ à remplir non déclaré dans placeholders : {{{name}}}")
    if template["id"] != Path(doc.file).stem:
        raise doc.error(("id",), f"l'identifiant doit être le nom du fichier ({Path(doc.file).stem})")


def tribunaux(root: Path) -> list[dict]:
    file = "rules/tribunaux.csv"
    with open(root / "tribunaux.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != TRIBUNAL_COLUMNS:
            raise RuleError(file, 1, "", f"colonnes attendues : {','.join(TRIBUNAL_COLUMNS)}")
        rows, seen = [], set()
        for line, row in enumerate(reader, start=2):
            if None in row or any(not (row.get(c) or "").strip() for c in TRIBUNAL_COLUMNS):
                raise RuleError(file, line, "", "ligne incomplète")
            if row["status"] not in ("verified", "unverified"):
                raise RuleError(file, line, "status", "attendu : verified ou unverified")
            if row["code"] in seen:
                raise RuleError(file, line, "code", f"département en double : {row['code']}")
            seen.add(row["code"])
            rows.append(row)
    return rows


def check_examples(doc: Located, examples: list, procedures: dict) -> None:
    for i, example in enumerate(examples):
        proc = example.get("procedure")
        expects_error = any(key.startswith("errors.") for key in example["expect"])
        if example["command"] in ("plan", "letters") and proc not in procedures and not expects_error:
            raise doc.error((i, "procedure"), f"procédure inconnue : {proc}")
