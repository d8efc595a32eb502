"""A broken rule file fails with its file, line and field named, never a traceback, and nothing is
written."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.rules import RuleError, load_rules

ROOT = Path(__file__).resolve().parents[2]
RENEWAL = "procedures/renouvellement.yaml"
CEILING = "parameters/aide_juridictionnelle/plafond_rfr_100.yaml"


def _replace(path, old, new, count=1):
    def edit(root: Path):
        file = root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, old
        file.write_text(text.replace(old, new, count), encoding="utf-8")
    return edit


def _write(path, text):
    def edit(root: Path):
        (root / path).write_text(text, encoding="utf-8")
    return edit


def _line_of(path, needle):
    for number, line in enumerate((ROOT / "rules" / path).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


# (name, edit, file in the message, line or None, words in the message)
CASES = [
    ("YAML syntax", _replace(RENEWAL, "title: Renouveler son titre", "title: [Renouveler son titre"),
     RENEWAL, None, "YAML invalide"),
    ("unknown key", _replace(RENEWAL, "    produces: [attestation-depot]", "    produce: [attestation-depot]"),
     RENEWAL, _line_of(RENEWAL, "produces: [attestation-depot]"), "clé inconnue : produce"),
    ("duplicate key", _replace(CEILING, "unit: EUR/an", "unit: EUR/an\nunit: EUR"), CEILING, _line_of(CEILING, "unit: EUR/an") + 1, "clé en double"),
    ("duplicate step id", _replace(RENEWAL, "  - id: courriel-2", "  - id: courriel-1"),
     RENEWAL, _line_of(RENEWAL, "- id: courriel-2"), "identifiant en double : courriel-1"),
    ("missing parameter", _replace(RENEWAL, "param: pratique.lettre_apres_courriel", "param: pratique.lettre_apres_courrier"),
     RENEWAL, _line_of(RENEWAL, "param: pratique.lettre_apres_courriel"), "paramètre inconnu : pratique.lettre_apres_courrier"),
    ("missing step", _replace(RENEWAL, "      follows: courriel-2\n", "      follows: courriel-9\n"),
     RENEWAL, _line_of(RENEWAL, "follows: courriel-2"), "référence inconnue : « courriel-9 »"),
    ("cycle", _replace(RENEWAL, "      follows: schedule.start\n      gap:\n        cases:\n          - if: {answer: anef, is: true}\n            then: {param: pratique.premier_courriel_anef}",
                       "      follows: lettre-recommandee\n      gap:\n        cases:\n          - if: {answer: anef, is: true}\n            then: {param: pratique.premier_courriel_anef}"),
     RENEWAL, None, "dépendance circulaire"),
    ("date out of range", _replace(CEILING, "  2021-01-01:", "  2121-01-01:"), CEILING, _line_of(CEILING, "2021-01-01:"), "date hors limites"),
    ("impossible date", _replace(CEILING, "  2022-01-21:", "  2022-02-30:"), CEILING, _line_of(CEILING, "2022-01-21:"), "valeur impossible"),
    ("missing reference", _replace(CEILING, "    reference: Circulaire du 20 janvier 2022 (JUST2201936C)\n", ""),
     CEILING, _line_of(CEILING, "2022-01-21:"), "champ obligatoire manquant : 'reference'"),
    ("missing verified date on a source", _replace("references.yaml", "    raisonnable.\n  verified: 2026-11-27\n", "    raisonnable.\n"),
     "references.yaml", _line_of("references.yaml", "ce-436288:"), "champ obligatoire manquant : 'verified'"),
    ("unknown source", _replace(RENEWAL, "    references: [ceseda-r431-5, ce-436288]", "    references: [ceseda-r431-5, ce-436289]"),
     RENEWAL, _line_of(RENEWAL, "references: [ceseda-r431-5, ce-436288]"), "source inconnue dans references.yaml : ce-436289"),
    ("bad confidence", _replace(CEILING, "confidence: verified", "confidence: sure"), CEILING, _line_of(CEILING, "confidence: verified"), "'sure' is not one of"),
    ("mixed value types", _replace(CEILING, "    value: 11580", "    value: onze mille"), CEILING, _line_of(CEILING, "values:"), "types différents"),
    ("undeclared placeholder", _replace("templates/courriel.yaml", "{objet} (", "{objet_demande} ("),
     "templates/courriel.yaml", _line_of("templates/courriel.yaml", "{objet} ("), "{objet_demande}"),
    ("id is not the file name", _replace(RENEWAL, "id: renouvellement\n", "id: renouveler\n"), RENEWAL, _line_of(RENEWAL, "id: renouvellement"), "nom du fichier"),
    ("unexpected file", _write("procedure.yaml", "id: x\n"), "procedure.yaml", None, "fichier inattendu"),
    ("unknown question in condition", _replace(RENEWAL, "if: {answer: anef, is: false}", "if: {answer: anfe, is: false}"),
     RENEWAL, _line_of(RENEWAL, "if: {answer: anef, is: false}"), "question inconnue : anfe"),
    ("condition value of the wrong type", _replace(RENEWAL, "if: {answer: anef, is: false}", "if: {answer: anef, is: 'false'}"),
     RENEWAL, _line_of(RENEWAL, "if: {answer: anef, is: false}"), "attend true ou false"),
    ("choice value that does not exist", _replace(RENEWAL, "{answer: categorie_titre, is: autre}", "{answer: categorie_titre, is: autres}"),
     RENEWAL, _line_of(RENEWAL, "{answer: categorie_titre, is: autre}"), "n'a pas de réponse 'autres'"),
    ("cases without a default", _replace(RENEWAL, "        - else: {from: expiration, minus: {param: sejour.fenetre_autres_debut}}\n", ""),
     RENEWAL, None, "le dernier cas doit être « else »"),
    ("unknown placeholder in a warning", _replace(RENEWAL, "Votre titre a expiré le {expiration}.", "Votre titre a expiré le {expiry}."),
     RENEWAL, None, "champ à remplir inconnu : {expiry}"),
    ("format spec in a letter wording", _replace(RENEWAL, "qui expire le {expiration}. Je dois", "qui expire le {expiration:>9}. Je dois"),
     RENEWAL, None, "sans format ni conversion"),
    ("tribunal csv row", _replace("tribunaux.csv", "75,Paris,Paris,Tribunal administratif de Paris,verified", "75,Paris,Paris,,verified"),
     "tribunaux.csv", _line_of("tribunaux.csv", "75,Paris"), "ligne incomplète"),
    ("empty file", _write("article-2020.yaml", ""), "article-2020.yaml", None, "fichier vide"),
    ("not UTF-8", lambda root: (root / CEILING).write_bytes("description: Plafond é".encode("latin-1")), CEILING, None, "UTF-8"),
]


@pytest.fixture
def rules_copy(tmp_path):
    root = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", root, ignore=shutil.ignore_patterns("locales"))
    return root


@pytest.mark.parametrize("name,edit,file,line,words", CASES, ids=[c[0] for c in CASES])
def test_broken_rule_is_named(rules_copy, name, edit, file, line, words):
    edit(rules_copy)
    with pytest.raises(RuleError) as caught:
        load_rules(rules_copy)
    message = str(caught.value)
    assert message.startswith(f"rules/{file}"), message
    if line:
        assert re.match(rf"rules/{re.escape(file)}:{line}: ", message), message
    assert words in message, message


def test_command_line_prints_one_line_and_writes_nothing(rules_copy, tmp_path):
    _replace(RENEWAL, "  - id: courriel-2", "  - id: courriel-1")(rules_copy)
    out = tmp_path / "out" / "rules.json"
    proc = subprocess.run([sys.executable, "-m", "scripts.rules", "--rules", str(rules_copy), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1 and not out.exists()
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "renouvellement.yaml" in proc.stderr
