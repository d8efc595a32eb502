"""The checks of every rule file alone: its kind's JSON Schema, its dates, the tribunals' table. The
checks across files (what each name means) are in ``scripts.rules.language``.

Every error names the file, the line and the field (``RuleError``).
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import jsonschema

from planner.messages import LITERAL
from scripts.rules.yamlsource import MAX_INTEGER, Located, RuleError, load

DATE_RANGE = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))
# A value may come into force up to a year after the build (a ceiling published for next January, the
# way rules/README.md says to add one); later than that, its date is a typing slip (2062 for 2026).
FUTURE_VALUES = dt.timedelta(days=366)
SINGLE_FILES = {"questions.yaml": "questions", "aide-juridictionnelle.yaml": "aid", "references.yaml": "references",
                "preuves.yaml": "evidence", "tribunaux.yaml": "tribunaux", "article-2020.yaml": "article"}
FOLDERS = {"parameters": "parameter", "procedures": "procedure", "templates": "template",
           "examples": "examples"}
TRIBUNAL_COLUMNS = ["code", "departement", "prefecture", "tribunal_administratif", "status", "prefet"]


# ---- Reading and schema --------------------------------------------------------------------------

def schemas(root: Path) -> tuple[dict, dict]:
    """Validators of rules/schema.yaml: one per kind of rule file, one per parameter unit."""
    doc = load(root / "schema.yaml", root).data

    def validators(table: dict) -> dict:
        return {name: jsonschema.Draft202012Validator({"$defs": doc["$defs"], **schema}) for name, schema in table.items()}
    return validators(doc["kinds"]), validators(doc["units"])


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


def check_date(doc: Located, path, value: str, latest: dt.date | None = None) -> None:
    """A real day within DATE_RANGE, and not after ``latest`` when given (a verification is never
    in the future: ``latest`` is then the build date)."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise doc.error(path, f"date impossible : {value}") from None
    if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        raise doc.error(path, f"date hors limites ({DATE_RANGE[0]} à {DATE_RANGE[1]}) : {value}")
    if latest and day > latest:
        raise doc.error(path, f"date dans le futur : {value} (au plus tard le {latest.isoformat()})")


def check_literals(doc: Located, path, text: str) -> None:
    """The typed literals of a rule text (``{date:2024-05-29}``, ``{euros:180}``) can be written: a real
    day, a whole number the engine's formats read."""
    for kind, value in LITERAL.findall(text):
        if kind == "date":
            check_date(doc, path, value)
        elif not value.isdigit() or int(value) > MAX_INTEGER:
            raise doc.error(path, f"nombre invalide dans {{{kind}:{value}}} (un nombre entier, au plus 2^53)")


# ---- Cross-file checks ---------------------------------------------------------------------------

def walk(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk(item, path + (i,))


def parameter(doc: Located, name: str, units: dict, today: dt.date) -> dict:
    """One parameter: its dated values, each of the type and within the range of its unit
    (``units``: rules/schema.yaml), none in force later than a year after ``today``."""
    unit = doc.data["unit"]
    if unit not in units:
        raise doc.error(("unit",), f"unité inconnue : « {unit} » (les unités et leurs valeurs sont déclarées dans "
                                   f"rules/schema.yaml, units : {', '.join(sorted(units))})")
    values = []
    for date, entry in sorted(doc.data["values"].items()):
        check_date(doc, ("values", date), date, latest=today + FUTURE_VALUES)
        value = entry["value"]
        error = None if value is None else \
            next(iter(sorted(units[unit].iter_errors(value), key=lambda e: len(e.absolute_path))), None)
        if error:  # one unit, one type: values of mixed types are refused here too
            raise doc.error(("values", date, "value") + tuple(error.absolute_path),
                            f"valeur impossible pour l'unité « {unit} » (rules/schema.yaml, units) : {error.message}")
        values.append({"date": date, **entry})
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
