"""A broken rule file fails with its file, line and field named, never a traceback, and nothing is
written."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.rules import RuleError, load_rules, write_bundle

ROOT = Path(__file__).resolve().parents[2]
RENEWAL = "procedures/renouvellement.yaml"
REQUETE = "templates/requete-refere.yaml"
CEILING = "parameters/aide_juridictionnelle/plafond_rfr_100.yaml"
RATIO = "parameters/aide_juridictionnelle/taux_majoration_personnes_2_3.yaml"
OTHERS_START = "parameters/sejour/fenetre_autres_debut.yaml"
ANEF_START = "parameters/sejour/fenetre_anef_debut.yaml"
ANEF_END = "parameters/sejour/fenetre_anef_fin.yaml"
OLD_CEILING = "parameters/aide_juridictionnelle/ancien_plafond_mensuel_100.yaml"
# an alias bomb: six levels of ten aliases (a million values once expanded)
BOMB = "bombe: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"b{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 7))


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
    ("mixed value types", _replace(CEILING, "    value: 11580", "    value: onze mille"), CEILING, _line_of(CEILING, "value: 11580"),
     "'onze mille' is not of type 'number'"),
    ("undeclared placeholder", _replace("templates/courriel.yaml", "{objet} (", "{objet_demande} ("),
     "templates/courriel.yaml", _line_of("templates/courriel.yaml", "{objet} ("), "{objet_demande}"),
    ("id is not the file name", _replace(RENEWAL, "id: renouvellement\n", "id: renouveler\n"), RENEWAL, _line_of(RENEWAL, "id: renouvellement"), "nom du fichier"),
    ("unexpected file", _write("procedure.yaml", "id: x\n"), "procedure.yaml", None, "fichier inattendu"),
    ("a condition without its sentence", _replace(RENEWAL, "    for: >-\n      Une fois votre demande déposée.\n", ""),
     RENEWAL, None, "'for' is a dependency of 'if'"),
    ("unknown question in condition", _replace(RENEWAL, "if: {all: [{answer: anef, is: false}, {any:", "if: {all: [{answer: anfe, is: false}, {any:"),
     RENEWAL, _line_of(RENEWAL, "if: {all: [{answer: anef, is: false}, {any:"), "question inconnue : anfe"),
    ("condition value of the wrong type", _replace(RENEWAL, "if: {all: [{answer: anef, is: false}, {any:", "if: {all: [{answer: anef, is: 'false'}, {any:"),
     RENEWAL, _line_of(RENEWAL, "if: {all: [{answer: anef, is: false}, {any:"), "attend true ou false"),
    ("choice value that does not exist", _replace(RENEWAL, "{answer: categorie_titre, is: autre}", "{answer: categorie_titre, is: autres}"),
     RENEWAL, _line_of(RENEWAL, "{answer: categorie_titre, is: autre}"), "n'a pas de réponse 'autres'"),
    ("unknown question in a template's condition", _replace(REQUETE, "- if: {answer: oqtf, in: [oui, inconnu]}", "- if: {answer: otqf, in: [oui, inconnu]}"),
     REQUETE, _line_of(REQUETE, "- if: {answer: oqtf, in: [oui, inconnu]}"), "question inconnue dans toutes les procédures : otqf"),
    ("template condition value no procedure offers", _replace(REQUETE, "- if: {answer: oqtf, in: [oui, inconnu]}", "- if: {answer: oqtf, in: [oui, peut-etre]}"),
     REQUETE, _line_of(REQUETE, "- if: {answer: oqtf, in: [oui, inconnu]}"), "n'a pas de réponse 'peut-etre'"),
    ("contains on a question that is not free text", _replace(RENEWAL, "if: {all: [{answer: anef, is: false}, {any:", "if: {all: [{answer: anef, contains: [oui]}, {any:"),
     RENEWAL, _line_of(RENEWAL, "if: {all: [{answer: anef, is: false}, {any:"), "« contains » porte sur une réponse libre"),
    ("cases without a default", _replace(RENEWAL, "        - else: {from: expiration, minus: {param: sejour.fenetre_autres_debut}}\n", ""),
     RENEWAL, None, "le dernier cas doit être « else »"),
    ("unknown placeholder in a warning", _replace(RENEWAL, "Votre titre a expiré le {expiration}.", "Votre titre a expiré le {expiry}."),
     RENEWAL, None, "champ à remplir inconnu : {expiry}"),
    ("format spec in a letter wording", _replace(RENEWAL, "qui expire le {expiration}. Je dois", "qui expire le {expiration:>9}. Je dois"),
     RENEWAL, None, "sans format ni conversion"),
    ("tribunal csv row", _replace("tribunaux.csv", "75,Paris,Paris,Tribunal administratif de Paris,verified", "75,Paris,Paris,,verified"),
     "tribunaux.csv", _line_of("tribunaux.csv", "75,Paris"), "ligne incomplète"),
    ("empty file", _write("article-2020.yaml", ""), "article-2020.yaml", None, "fichier vide"),
    # meaning: a value the schema allows but the engine would apply to everyone
    ("infinite ceiling", _replace(CEILING, "    value: 11580", "    value: .inf"), CEILING, _line_of(CEILING, "value: 11580"), "nombre non fini : .inf"),
    ("not a number", _replace(CEILING, "    value: 11580", "    value: .nan"), CEILING, _line_of(CEILING, "value: 11580"), "nombre non fini : .nan"),
    ("negative ceiling", _replace(CEILING, "    value: 11580", "    value: -11580"), CEILING, _line_of(CEILING, "value: 11580"),
     "valeur impossible pour l'unité « EUR/an »"),
    ("400-digit number", _replace(CEILING, "    value: 11580", "    value: " + "9" * 400), CEILING, _line_of(CEILING, "value: 11580"),
     "nombre trop grand"),
    ("ratio above 1", _replace(RATIO, "value: 0.18", "value: 18"), RATIO, _line_of(RATIO, "value: 0.18"),
     "valeur impossible pour l'unité « ratio » (rules/schema.yaml, units) : 18 is greater than the maximum of 1"),
    ("unit without a declared range", _replace(RATIO, "unit: ratio", "unit: pourcentage"), RATIO, _line_of(RATIO, "unit: ratio"),
     "unité inconnue : « pourcentage »"),
    ("negative duration", _replace(ANEF_START, "value: {days: 120}", "value: {days: -120}"), ANEF_START,
     _line_of(ANEF_START, "value: {days: 120}"), "-120 is less than the minimum of 0"),
    ("duration of a century", _replace(ANEF_START, "value: {days: 120}", "value: {days: 36500}"), ANEF_START,
     _line_of(ANEF_START, "value: {days: 120}"), "36500 is greater than the maximum of 3660"),
    ("filing window that opens on its last day", _replace(OTHERS_START, "value: {months: 2}", "value: {days: 0}"), RENEWAL,
     _line_of(RENEWAL, "    start:"), f"« fenetre_depot » ne commence pas avant sa fin"),
    ("filing window inverted", _replace(ANEF_START, "value: {days: 120}", "value: {days: 30}"), RENEWAL,
     _line_of(RENEWAL, "    start:"), f"sejour.fenetre_anef_debut = {{'days': 30}} (rules/{ANEF_START}:{_line_of(ANEF_START, 'value: {days: 120}')})"),
    ("verified in the future", _replace(CEILING, "verified: '2026-11-27'", "verified: 2099-01-01"), CEILING,
     _line_of(CEILING, "verified: '2026-11-27'"), "date dans le futur : 2099-01-01"),
    ("value in force decades ahead", _replace(CEILING, "  2026-01-17:", "  2062-01-17:"), CEILING, _line_of(CEILING, "2026-01-17:"),
     "date dans le futur : 2062-01-17"),
    ("alias bomb", _replace(CEILING, "unit: EUR/an\n", "unit: EUR/an\n" + BOMB), CEILING, _line_of(CEILING, "unit: EUR/an") + 1,
     "ancre ou alias YAML"),
    ("self-referencing alias", _replace(CEILING, "unit: EUR/an\n", "unit: EUR/an\nboucle: &b [*b]\n"), CEILING,
     _line_of(CEILING, "unit: EUR/an") + 1, "ancre ou alias YAML"),
    ("explicit YAML tag", _replace(CEILING, "    value: 11580", "    value: !!binary MTE1ODA="), CEILING, _line_of(CEILING, "value: 11580"),
     "étiquette YAML explicite"),
    ("nesting without end", _replace(CEILING, "unit: EUR/an\n", "unit: EUR/an\nx: " + "[" * 100 + "]" * 100 + "\n"), CEILING,
     _line_of(CEILING, "unit: EUR/an") + 1, "imbrication trop profonde"),
    ("day that does not exist in a sentence", _replace(OLD_CEILING, "{date:2020-01-01}", "{date:2020-02-30}"), OLD_CEILING,
     _line_of(OLD_CEILING, "{date:2020-01-01}"), "date impossible : 2020-02-30"),
    ("amount that is not a number in a sentence", _replace(OLD_CEILING, "{euros:1044}", "{euros:10-44}"), OLD_CEILING,
     _line_of(OLD_CEILING, "{euros:1044}"), "nombre invalide dans {euros:10-44}"),
    ("conversion in a template", _replace("templates/courriel.yaml", "{objet} (", "{objet!r} ("),
     "templates/courriel.yaml", _line_of("templates/courriel.yaml", "{objet} ("), "sans format ni conversion"),
    ("huge format width in a template", _replace("templates/courriel.yaml", "{objet} (", "{objet:>100000} ("),
     "templates/courriel.yaml", _line_of("templates/courriel.yaml", "{objet} ("), "sans format ni conversion"),
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


def test_a_window_may_end_on_the_expiry_day(rules_copy):
    """{days: 0} at the end of a window is the law's reading (it ends on expiry), not an error."""
    _replace(ANEF_END, "value: {days: 60}", "value: {days: 0}")(rules_copy)
    bundle = load_rules(rules_copy)
    assert bundle["parameters"]["sejour.fenetre_anef_fin"]["values"][0]["value"] == {"days": 0}


def test_the_bundle_is_json_without_infinity_or_nan(tmp_path):
    bundle = load_rules(ROOT / "rules")
    bundle["parameters"]["aide_juridictionnelle.plafond_rfr_100"]["values"][0]["value"] = float("inf")
    with pytest.raises(ValueError, match="not JSON compliant"):
        write_bundle(bundle, tmp_path / "rules.json")
    assert not (tmp_path / "rules.json").exists()


def test_command_line_prints_one_line_and_writes_nothing(rules_copy, tmp_path):
    _replace(RENEWAL, "  - id: courriel-2", "  - id: courriel-1")(rules_copy)
    out = tmp_path / "out" / "rules.json"
    proc = subprocess.run([sys.executable, "-m", "scripts.rules", "--rules", str(rules_copy), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1 and not out.exists()
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "renouvellement.yaml" in proc.stderr
