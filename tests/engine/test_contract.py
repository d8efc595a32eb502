"""Every answer of the engine follows planner/contract.schema.json, the one contract with the widget;
and the plan keeps its promises about status: nothing on time is overdue, what is due now is dated
today, done steps keep the date the person gave."""
from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings, strategies as st

from planner.api import run
from planner.examples import request_of
from scripts.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "planner" / "contract.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


@functools.cache
def bundle() -> dict:
    return load_rules()


def _valid(answer):
    errors = sorted(VALIDATOR.iter_errors(answer), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


@pytest.mark.parametrize("example", bundle()["examples"], ids=lambda e: e["name"][:60])
def test_every_worked_example_follows_the_contract(example):
    _valid(run(bundle(), request_of(example)))
    if example["command"] == "plan":
        _valid(run(bundle(), {**request_of(example), "command": "letters"}))


TODAY = dt.date(2026, 11, 29)
EXPIRY = st.integers(-400, 400).map(lambda n: (TODAY + dt.timedelta(days=n)).isoformat())
DONE_DAYS = st.integers(-60, 0).map(lambda n: (TODAY + dt.timedelta(days=n)).isoformat())
DONE = st.dictionaries(st.sampled_from(["courriel-1", "courriel-2", "lettre-recommandee", "aide-juridictionnelle",
                                        "refere-mesures-utiles", "assistance-anef", "preparer-dossier"]), DONE_DAYS)


@settings(max_examples=150, deadline=None)
@given(EXPIRY, st.booleans(), DONE, st.one_of(st.none(), DONE_DAYS))
def test_status_promises_hold_for_any_renewal(expiration, anef, done, filed):
    answers = {"today": TODAY.isoformat(), "expiration": expiration, "anef": anef}
    if filed:
        answers["date_depot"] = filed
    result = run(bundle(), {"command": "plan", "procedure": "renouvellement", "answers": answers, "done": done})
    _valid(result)
    today = TODAY.isoformat()
    for step in result["steps"]:
        if step["status"] == "done":
            assert step["date"] <= today and (step["id"] not in done or step["date"] == done[step["id"]])
        elif step["status"] == "overdue":
            assert step["kind"] == "by" and step["date"] < today, step["id"]
        elif step["status"] == "now":
            assert step["date"] == today or step["kind"] == "by" and step["date"] >= today, step["id"]
        else:
            assert step["date"] > today, step["id"]
    chain = [s for s in result["steps"] if s["kind"] == "follows" and s["status"] != "done"]
    assert all(s["date"] >= today for s in chain)
    if not filed and expiration >= today:
        assert not [s for s in result["steps"] if s["status"] == "overdue"]
        assert "titre-expire" not in {w["id"] for w in result["warnings"]}


@settings(max_examples=100, deadline=None)
@given(st.integers(-200, 200))
def test_something_to_do_today_when_the_title_has_expired(days_since_expiry):
    expiration = (TODAY - dt.timedelta(days=abs(days_since_expiry) + 1)).isoformat()
    result = run(bundle(), {"command": "plan", "procedure": "renouvellement",
                            "answers": {"today": TODAY.isoformat(), "expiration": expiration, "anef": False}})
    now = [s for s in result["steps"] if s["status"] == "now"]
    assert now and all(s["date"] == TODAY.isoformat() for s in now)
    warnings = {w["id"] for w in result["warnings"]}
    # past six months, an association first: the late-filing warning (« déposez au plus vite ») waits for it
    assert {"titre-expire", "visa-exigible" if "conseil" in {s["id"] for s in now} else "depot-tardif"} <= warnings
