"""The rules as one JSON-able dict (the bundle), and the file the engine, the site and the browser read.

``load_rules()`` returns every rule file checked (worked examples included, for the tests);
``write_bundle()`` writes what runs: the same without the worked examples, serialised once, copied as
it is into the site for the browser.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import holidays

from scripts.rules import validate
from scripts.rules.language import ProcedureCheck, check_template, resolve_references
from scripts.rules.periods import check_periods
from scripts.rules.yamlsource import RuleError, load

ROOT = Path(__file__).resolve().parents[2] / "rules"
HOLIDAY_YEARS = range(2020, 2041)
# holidays subdivisions whose extra days apply to these départements
HOLIDAY_SUBDIVISIONS = {"57": ["57"], "6AE": ["67", "68"], "971": ["971"], "972": ["972"],
                        "973": ["973"], "974": ["974"], "976": ["976"]}
NOT_SHIPPED = ("examples",)  # read by the tests (rules/examples/), never by the engine


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


def load_rules(root: Path = ROOT, today: dt.date | None = None) -> dict:
    """Every rule file, checked, as one JSON-able dict (worked examples included). ``today``: the build
    date (default: the machine's), after which nothing can have been verified."""
    root, today = Path(root), today or dt.date.today()
    schemas, units = validate.schemas(root)
    docs = []
    for path, kind in validate.rule_files(root):
        doc = load(path, root)
        if doc.data is None:
            raise RuleError(doc.file, None, "", "fichier vide")
        validate.check_schema(doc, schemas[kind])
        for p, value in validate.walk(doc.data):
            if p and p[-1] == "verified" and isinstance(value, str):
                validate.check_date(doc, p, value, latest=today)
            elif isinstance(value, str) and "{" in value:
                validate.check_literals(doc, p, value)
        docs.append((path, kind, doc))

    single = {kind: doc for _, kind, doc in docs if kind in validate.SINGLE_FILES.values()}
    for kind in validate.SINGLE_FILES.values():
        if kind not in single:
            name = next(n for n, k in validate.SINGLE_FILES.items() if k == kind)
            raise RuleError(f"rules/{name}", None, "", "fichier manquant")

    parameters, parameter_docs = {}, {}
    for path, kind, doc in docs:
        if kind == "parameter":
            name = ".".join(path.relative_to(root / "parameters").with_suffix("").parts)
            parameters[name], parameter_docs[name] = validate.parameter(doc, name, units, today), doc
    templates = {doc.data["id"]: doc.data for _, kind, doc in docs if kind == "template"}
    question_sets = single["questions"].data
    known = {"parameters": parameters, "templates": templates, "questions": question_sets,
             "evidence": single["evidence"].data}
    procedures, questions = {}, {}
    for _, kind, doc in docs:
        if kind in ("template", "procedure") and doc.data["id"] != Path(doc.file).stem:
            raise doc.error(("id",), f"l'identifiant doit être le nom du fichier ({Path(doc.file).stem})")
        if kind == "template":
            check_template(doc, doc.data)
        elif kind == "procedure":
            check = ProcedureCheck(doc, doc.data, known)
            check.run()
            procedures[doc.data["id"]] = doc.data
            questions[doc.data["id"]] = check.questions
    holidays = _holidays()
    for _, kind, doc in docs:  # what the engine makes of them: every period starts before it ends
        if kind == "procedure":
            check_periods(doc, doc.data, questions[doc.data["id"]], {"parameters": parameters, "holidays": holidays},
                          today, parameter_docs)
    examples = []
    for _, kind, doc in docs:
        if kind == "examples":
            validate.check_examples(doc, doc.data, procedures)
            examples += [{**e, "file": doc.file} for e in doc.data]
    sources = single["references"].data
    for _, kind, doc in docs:  # every citation by id becomes the source it names
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
        "questions": question_sets,
        "references": sources,
        "aid": single["aid"].data,
        "evidence": single["evidence"].data,
        "templates": templates,
        "tribunaux": {"meta": single["tribunaux"].data, "departements": validate.tribunaux(root)},
        "holidays": holidays,
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


def write_bundle(bundle: dict, path: Path) -> Path:
    """Write the bundle the engine runs on (no worked examples): compact, keys sorted, written once;
    the site copies these bytes as they are (assets/planner-data/rules-<hash>.json)."""
    shipped = {k: v for k, v in bundle.items() if k not in NOT_SHIPPED}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    text = json.dumps(shipped, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
