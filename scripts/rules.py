"""Read, check and bundle the rules: ``rules/**/*.yaml`` -> one JSON-able dict for the engine.

Every error names the file, the line and the field (``RuleError``); nothing half-checked is returned.
``python -m scripts.rules --out build/rules.json`` writes the bundle the browser and the CLI read.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

import holidays
import jsonschema

from scripts.rulelang import ProcedureCheck, check_template, resolve_references
from scripts.yamlsource import Located, RuleError, load

ROOT = Path(__file__).resolve().parent.parent / "rules"
DATE_RANGE = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))
HOLIDAY_YEARS = range(2020, 2041)
# holidays subdivisions whose extra days apply to these départements
HOLIDAY_SUBDIVISIONS = {"57": ["57"], "6AE": ["67", "68"], "971": ["971"], "972": ["972"],
                        "973": ["973"], "974": ["974"], "976": ["976"]}
SINGLE_FILES = {"questions.yaml": "questions", "aide-juridictionnelle.yaml": "aid", "references.yaml": "references",
                "preuves.yaml": "evidence", "tribunaux.yaml": "tribunaux", "article-2020.yaml": "article"}
FOLDERS = {"parameters": "parameter", "procedures": "procedure", "templates": "template",
           "examples": "examples"}
TRIBUNAL_COLUMNS = ["code", "departement", "prefecture", "tribunal_administratif", "status"]


# ---- Reading and schema --------------------------------------------------------------------------

def _schemas(root: Path) -> dict:
    doc = load(root / "schema.yaml", root).data
    return {kind: jsonschema.Draft202012Validator({"$defs": doc["$defs"], **schema})
            for kind, schema in doc["kinds"].items()}


def _validate(doc: Located, validator) -> None:
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


def _files(root: Path):
    """Every rule file with its kind; a YAML file in an unexpected place is an error."""
    for path in sorted(root.rglob("*.yaml")):
        rel = path.relative_to(root)
        if rel.parts[0] == "locales" or rel.as_posix() == "schema.yaml":
            continue
        kind = SINGLE_FILES.get(rel.as_posix()) if len(rel.parts) == 1 else FOLDERS.get(rel.parts[0])
        if kind is None:
            raise RuleError(f"rules/{rel.as_posix()}", None, "", "fichier inattendu : ce n'est pas un type de règle connu")
        yield path, kind


def _check_date(doc: Located, path, value: str) -> None:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise doc.error(path, f"date impossible : {value}") from None
    if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        raise doc.error(path, f"date hors limites ({DATE_RANGE[0]} à {DATE_RANGE[1]}) : {value}")


# ---- Cross-file checks ---------------------------------------------------------------------------

def _walk(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, path + (i,))


def _parameter(doc: Located, name: str) -> dict:
    values = []
    kinds = set()
    for date, entry in sorted(doc.data["values"].items()):
        _check_date(doc, ("values", date), date)
        value = entry["value"]
        if value is not None:
            kinds.add("duration" if isinstance(value, dict) else type(value).__name__.replace("int", "float"))
        values.append({"date": date, **entry})
    if len(kinds) > 1:
        raise doc.error(("values",), f"valeurs de types différents : {', '.join(sorted(kinds))}")
    _check_date(doc, ("verified",), doc.data["verified"])
    return {"name": name, **{k: v for k, v in doc.data.items() if k != "values"}, "values": values}


def _tribunaux(root: Path) -> list[dict]:
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


def _holidays() -> dict:
    """French public holidays as data, so the engine needs no third-party package in the browser."""
    national = holidays.France(years=HOLIDAY_YEARS, language="fr")
    out = {"national": {d.isoformat(): name for d, name in sorted(national.items())}, "departements": {}}
    for subdiv, codes in HOLIDAY_SUBDIVISIONS.items():
        local = holidays.France(years=HOLIDAY_YEARS, subdiv=subdiv, language="fr")
        extra = {d.isoformat(): name for d, name in sorted(local.items()) if d not in national}
        for code in codes:
            out["departements"][code] = extra
    return out


def _check_examples(doc: Located, examples: list, procedures: dict) -> None:
    for i, example in enumerate(examples):
        proc = example.get("procedure")
        expects_error = any(key.startswith("errors.") for key in example["expect"])
        if example["command"] in ("plan", "letters") and proc not in procedures and not expects_error:
            raise doc.error((i, "procedure"), f"procédure inconnue : {proc}")


# ---- Bundle --------------------------------------------------------------------------------------

def load_rules(root: Path = ROOT) -> dict:
    """Every rule file, checked, as the JSON-able bundle the engine reads."""
    root = Path(root)
    schemas = _schemas(root)
    docs = []
    for path, kind in _files(root):
        doc = load(path, root)
        if doc.data is None:
            raise RuleError(doc.file, None, "", "fichier vide")
        _validate(doc, schemas[kind])
        for p, value in _walk(doc.data):
            if p and p[-1] == "verified" and isinstance(value, str):
                _check_date(doc, p, value)
        docs.append((path, kind, doc))

    single = {kind: doc for _, kind, doc in docs if kind in SINGLE_FILES.values()}
    for kind in SINGLE_FILES.values():
        if kind not in single:
            name = next(n for n, k in SINGLE_FILES.items() if k == kind)
            raise RuleError(f"rules/{name}", None, "", "fichier manquant")

    parameters = {}
    for path, kind, doc in docs:
        if kind == "parameter":
            name = ".".join(path.relative_to(root / "parameters").with_suffix("").parts)
            parameters[name] = _parameter(doc, name)
    templates = {doc.data["id"]: doc.data for _, kind, doc in docs if kind == "template"}
    for _, kind, doc in docs:
        if kind == "template":
            if doc.data["id"] != Path(doc.file).stem:
                raise doc.error(("id",), f"l'identifiant doit être le nom du fichier ({Path(doc.file).stem})")
            check_template(doc, doc.data)
    partial = {"parameters": parameters, "templates": templates, "questions": single["questions"].data,
               "evidence": single["evidence"].data}
    procedures = {}
    for _, kind, doc in docs:
        if kind == "procedure":
            if doc.data["id"] != Path(doc.file).stem:
                raise doc.error(("id",), f"l'identifiant doit être le nom du fichier ({Path(doc.file).stem})")
            ProcedureCheck(doc, doc.data, partial).run()
            procedures[doc.data["id"]] = doc.data
    examples = []
    for _, kind, doc in docs:
        if kind == "examples":
            _check_examples(doc, doc.data, procedures)
            examples += [{**e, "file": doc.file} for e in doc.data]
    sources = single["references"].data
    for _, kind, doc in docs:
        if kind not in ("parameter", "examples", "references"):
            resolve_references(doc, doc.data, sources)

    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "locales" not in path.relative_to(root).parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return {
        "version": digest.hexdigest()[:16],
        "parameters": parameters,
        "procedures": dict(sorted(procedures.items(), key=lambda kv: (kv[1].get("order", 99), kv[0]))),
        "questions": single["questions"].data,
        "references": sources,
        "aid": single["aid"].data,
        "evidence": single["evidence"].data,
        "templates": templates,
        "tribunaux": {"meta": single["tribunaux"].data, "departements": _tribunaux(root)},
        "holidays": _holidays(),
        "article": single["article"].data,
        "examples": examples,
    }


def to_check(bundle: dict) -> list[str]:
    """Every figure or effective date not marked verified: the maintainers' list of things to re-read."""
    out = []
    for name, param in bundle["parameters"].items():
        for entry in param["values"]:
            marks = [f"valeur {entry['confidence']}"] if entry["confidence"] != "verified" else []
            if entry.get("date_confidence", "verified") != "verified":
                marks.append(f"date {entry['date_confidence']}")
            if marks:
                out.append(f"{name} @ {entry['date']} = {entry['value']} ({', '.join(marks)})")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Vérifie les règles et écrit le paquet JSON.")
    parser.add_argument("--rules", type=Path, default=ROOT)
    parser.add_argument("--out", type=Path, help="fichier JSON à écrire (sinon : vérification seule)")
    parser.add_argument("--to-check", action="store_true", help="liste les valeurs et dates non vérifiées")
    args = parser.parse_args(argv)
    try:
        bundle = load_rules(args.rules)
    except RuleError as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 1
    if args.to_check:
        print("\n".join(to_check(bundle)))
        return 0
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.out.with_suffix(".tmp")
        tmp.write_text(json.dumps(bundle, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        tmp.replace(args.out)
    print(f"règles valides : {len(bundle['parameters'])} paramètres, {len(bundle['procedures'])} procédures, "
          f"{len(bundle['examples'])} exemples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
