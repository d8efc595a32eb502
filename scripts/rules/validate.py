"""The checks of every rule file alone: its kind's JSON Schema, its dates, the tribunals' table. The
checks across files (what each name means) are in ``scripts.rules.language``.

Every error names the file, the line and the field (``RuleError``).
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import jsonschema

from scripts.rules.yamlsource import Located, RuleError, load

DATE_RANGE = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))
SINGLE_FILES = {"questions.yaml": "questions", "aide-juridictionnelle.yaml": "aid", "references.yaml": "references",
                "preuves.yaml": "evidence", "tribunaux.yaml": "tribunaux", "article-2020.yaml": "article"}
FOLDERS = {"parameters": "parameter", "procedures": "procedure", "templates": "template",
           "examples": "examples"}
TRIBUNAL_COLUMNS = ["code", "departement", "prefecture", "tribunal_administratif", "status", "prefet"]


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
