"""Date arithmetic against python-dateutil, and the engine under random answers: never an exception,
always valid dates or structured errors."""
from __future__ import annotations

import datetime as dt
import functools
import json

from dateutil.relativedelta import relativedelta
import pytest
from hypothesis import given, settings, strategies as st

from planner import dates
from planner.api import run, run_json
from planner.expr import Evaluator
from scripts.rules import load_rules

DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


@functools.cache
def bundle() -> dict:
    return load_rules()


@given(DAYS, st.integers(-240, 240))
def test_months_match_dateutil(day, months):
    assert dates.add_months(day, months) == day + relativedelta(months=months)


@given(DAYS, st.sampled_from(["days", "weeks", "months"]), st.integers(-500, 500), st.sampled_from([1, -1]))
def test_shift_matches_dateutil(day, unit, n, sign):
    assert dates.shift(day, {unit: n}, sign) == day + relativedelta(**{unit: n * sign})


@given(DAYS)
def test_month_end_is_clamped(day):
    shifted = dates.add_months(day, 1)
    assert shifted.day == day.day or shifted.day < day.day and (shifted + dt.timedelta(days=1)).day == 1


@given(DAYS)
def test_next_working_day_is_open_and_not_before(day):
    holidays = bundle()["holidays"]["national"]
    moved = dates.next_working_day(day, holidays)
    assert moved >= day and dates.closed_reason(moved, holidays) is None
    assert all(dates.closed_reason(day + dt.timedelta(d), holidays) for d in range((moved - day).days))


def test_public_holidays_come_from_data():
    national = bundle()["holidays"]["national"]
    assert national["2026-07-14"] == "Fête nationale" and "2026-12-26" not in national
    assert "2026-12-26" in bundle()["holidays"]["departements"]["57"]


# ---- fuzzing the engine -------------------------------------------------------------------------

ANY = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                st.text(max_size=30), DAYS.map(dt.date.isoformat), st.lists(st.integers(), max_size=2),
                st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


def _answer_strategy(question):
    typed = {"date": DAYS.map(dt.date.isoformat), "boolean": st.booleans(), "amount": st.integers(-100, 10**7),
             "integer": st.integers(-2, 30), "text": st.text(max_size=40),
             "departement": st.sampled_from(["75", "93", "2A", "971", "00", "xx"]),
             "choice": st.sampled_from([o["value"] for o in question.get("options", [{"value": "x"}])] + ["?"])}
    return st.one_of(typed[question["type"]], ANY)


def _answers():
    rules = bundle()
    questions = {q["id"]: q for proc in rules["procedures"].values() for q in proc["questions"]}
    for qset in rules["questions"].values():
        questions.update({q["id"]: q for q in qset["questions"]})
    questions["today"] = {"id": "today", "type": "date"}
    return st.fixed_dictionaries({}, optional={qid: _answer_strategy(q) for qid, q in questions.items()})


ATTEMPTS = st.one_of(ANY, st.lists(st.one_of(ANY, st.fixed_dictionaries(
    {"date": st.one_of(DAYS.map(dt.date.isoformat), ANY)},
    optional={"time": st.one_of(st.sampled_from(["09:00", "23:59", "24:00", "9h"]), ANY),
              "prefecture": ANY, "result": st.sampled_from(["echec", "rendez-vous", None])})), max_size=8))


def _valid_output(result):
    if "errors" in result:
        assert result["errors"]
        for e in result["errors"]:
            assert {"code", "field", "msgid", "params", "text"} <= set(e)
        return
    for key in ("date", "start", "end", "opens", "extended_to", "thick_enough_from"):
        _dates_in(result, key)


def _dates_in(value, key):
    if isinstance(value, dict):
        if isinstance(value.get(key), str):
            dt.date.fromisoformat(value[key])
        for item in value.values():
            _dates_in(item, key)
    elif isinstance(value, list):
        for item in value:
            _dates_in(item, key)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["plan", "letters", "aid", "evidence", "nope", None]),
       st.sampled_from(["renouvellement", "admission-exceptionnelle", "inconnue", None, 3]),
       st.one_of(_answers(), ANY), st.one_of(st.none(), ATTEMPTS))
def test_engine_never_raises(command, procedure, answers, attempts):
    request = {"command": command, "procedure": procedure, "answers": answers}
    if attempts is not None:
        request["attempts"] = attempts
    result = run(bundle(), request)
    json.dumps(result)
    _valid_output(result)


def test_json_entry_point_survives_garbage():
    rules_json = json.dumps(bundle())
    for text in ("", "{", "[]", "null", '{"command": "plan"}', '"plan"'):
        out = json.loads(run_json(rules_json, text))
        assert out["errors"][0]["code"]


# ---- adversarial requests: only structured errors, never an exception (issue 14) ------------------

HOSTILE = [
    {"command": ["plan"], "procedure": "renouvellement", "answers": {}},
    {"command": {"x": 1}, "answers": {}},
    {"command": "plan", "procedure": ["renouvellement"], "answers": {}},
    {"command": "plan", "procedure": {"id": "renouvellement"}, "answers": {}},
    {"command": "plan", "procedure": "renouvellement", "answers": {"expiration": "2027-01-10", "anef": True},
     "done": ["courriel-1"]},
    {"command": "plan", "procedure": "renouvellement", "answers": {"expiration": "2027-01-10", "anef": True},
     "done": {"courriel-1": ["2026-11-01"]}},
    {"command": "aid", "answers": {"rfr": 10 ** 400, "foyer": 1, "residence": "regular"}},
    {"command": "aid", "answers": {"rfr": "9" * 400, "foyer": 1, "residence": "regular"}},
    {"command": "aid", "answers": {"rfr": 1e308 * 10, "foyer": 10 ** 400, "residence": "regular"}},
    {"command": "plan", "procedure": "renouvellement", "answers": {"expiration": "2027-01-10", "anef": True,
                                                                "nom": "\ud800x\u202eevil", "adresse": "\udfff"}},
    {"command": "letters", "procedure": "renouvellement", "answers": {"expiration": "2027-01-10", "anef": True,
                                                                   "prenom": "\ud83d", "nom": "{nom}{0}{__class__}"}},
    {"command": "evidence", "attempts": [{"date": "2026-11-01", "time": "10:00:99"}]},
    {"command": "evidence", "attempts": [{"date": "2026-11-01", "time": "10:00", "prefecture": ["x"]}]},
    {"command": "plan", "procedure": "renouvellement", "answers": {"today": ["2026-11-29"], "expiration": 20270110}},
]


@pytest.mark.parametrize("request_", HOSTILE)
def test_hostile_requests_give_structured_errors_or_a_clean_answer(request_):
    result = run(bundle(), request_)
    json.dumps(result, ensure_ascii=False).encode("utf-8")  # no lone surrogate left in the answer
    _valid_output(result)


def test_typed_text_loses_bidi_overrides_and_lone_surrogates():
    result = run(bundle(), {"command": "letters", "procedure": "renouvellement",
                            "answers": {"today": "2026-11-29", "expiration": "2027-01-10", "anef": True,
                                        "nom": "Ben\u202eali\ud800", "prenom": "{nom}"}})
    body = result["letters"]["courriel"]["body"]
    assert "Benali" in body and "\u202e" not in body and "{nom} Benali" in body


def test_json_entry_point_survives_deep_nesting():
    out = json.loads(run_json(json.dumps(bundle()), "[" * 100000 + "]" * 100000))
    assert out["errors"][0]["code"] == "requete_invalide"


class _Answers(Evaluator):
    """The smallest reader of the rule language: a few answers, nothing else."""

    def __init__(self, **answers):
        self.answers = answers

    def answer(self, qid):
        return self.answers.get(qid)


@pytest.mark.parametrize("typed,holds", [("algérienne", True), ("Algérien", True), ("ALGERIENNE", True), ("Algérie", True),
                                         ("algerian", True), ("franco-algérienne", True), ("nigérienne", False),
                                         ("marocaine", False), ("", False), (None, False)])
def test_contains_ignores_case_and_accents(typed, holds):
    """« contains » reads a free-text answer as the person typed it: any case, with or without accents."""
    cond = {"answer": "nationalite", "contains": ["algérien", "algérie", "algeria"]}
    assert _Answers(nationalite=typed).holds(cond) is holds
    assert _Answers(nationalite=typed).holds({"not": cond}) is not holds


def test_contains_in_words_on_a_page():
    from planner.explain import Describer
    rules = load_rules()
    words = Describer(rules, rules["procedures"]["admission-exceptionnelle"], dt.date(2026, 11, 29))
    said = words.condition({"answer": "nationalite", "contains": ["algérien", "algérie"]})
    assert said["text"] == "« Nationalité » contient « algérien » ou « algérie »"


@pytest.mark.parametrize("cond,said", [
    ({"not": {"done": "conseil"}},
     "l'étape « Faire vérifier votre situation par une association ou un avocat » n'est pas encore faite"),
    ({"not": {"answer": "canal", "is": "formulaire"}},
     "« Comment votre préfecture reçoit-elle les demandes de rendez-vous de régularisation ? » : "
     "une autre réponse que Un formulaire en ligne"),
    ({"not": {"date": "today", "after": "periode_preuves.end"}},
     "aujourd'hui est au plus tard la fin de la « Période pendant laquelle accumuler les preuves de tentatives »"),
    ({"all": [{"done": "conseil"}, {"any": [{"answered": "date_depot"}, {"not": {"answered": "canal"}}]}]},
     "l'étape « Faire vérifier votre situation par une association ou un avocat » est faite et (vous avez répondu "
     "à « Date de dépôt de votre demande, si vous avez pu la déposer » ou vous n'avez pas répondu à « Comment votre "
     "préfecture reçoit-elle les demandes de rendez-vous de régularisation ? »)"),
])
def test_conditions_in_words_read_as_a_reader_says_them(cond, said):
    """Pages without JavaScript say who a step is for: a negation in words (never « pas : »), a group inside a
    group in brackets (« A et (B ou C) » is not « (A et B) ou C »)."""
    from planner.explain import Describer
    rules = load_rules()
    words = Describer(rules, rules["procedures"]["admission-exceptionnelle"], dt.date(2026, 11, 29))
    assert words.condition(cond)["text"] == said


def test_a_negated_choice_names_the_answers_left_when_fewer():
    from planner.explain import Describer
    rules = load_rules()
    words = Describer(rules, rules["procedures"]["renouvellement"], dt.date(2026, 11, 29))
    said = words.condition({"not": {"answer": "categorie_titre", "in": [
        "autre", "recherche-emploi", "talent-carte-bleue", "talent-chercheur", "ict", "stagiaire", "au-pair"]}})
    assert said["text"] == "« Quel titre demandez-vous ? » : Étudiant ou étudiant mobilité ou Travailleur saisonnier ou Je ne sais pas"
    assert words.condition({"not": {"answer": "anef", "is": True}})["text"].endswith(" : non")


def test_typed_text_loses_c1_controls_and_line_separators():
    """U+0085 and U+2028/U+2029 act as line breaks in a copied letter: never kept (attacker's R4)."""
    result = run(bundle(), {"command": "letters", "procedure": "renouvellement",
                            "answers": {"today": "2026-11-29", "expiration": "2027-01-10", "anef": True,
                                        "nom": "Ben\u0085ali\u2028\u2029\u009b"}})
    body = result["letters"]["courriel"]["body"]
    assert "Benali" in body and not any(c in body for c in "\u0085\u2028\u2029\u009b")


def test_a_warning_whose_cases_say_whom_they_are_for_prints_each_on_a_page():
    """Lawyer's fourth reading, N1: a page that knows nobody's dates prints every case of a warning under its
    own sentence (the ANEF period's end is not the other titles'), not only the default wording."""
    from planner.explain import Describer
    rules = load_rules()
    proc = rules["procedures"]["renouvellement"]
    words = Describer(rules, proc, dt.date(2026, 11, 29))
    shown = words.warning({w["id"]: w for w in proc["warnings"]}["fin-periode-proche"])
    assert [v["for"]["text"].split(",")[0] for v in shown] == [
        "Si votre titre se renouvelle sur l'ANEF", "Si votre titre ne se renouvelle pas sur l'ANEF"]
    assert "se termine le [" in shown[0]["text"]["text"] and "à l'expiration de votre titre" in shown[1]["text"]["text"]
    plain = words.warning({w["id"]: w for w in proc["warnings"]}["visa-exigible"])
    assert len(plain) == 1 and plain[0]["for"]["text"].startswith("Si votre titre a expiré il y a plus de six mois")
