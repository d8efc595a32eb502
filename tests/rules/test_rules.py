"""The rules themselves: every figure referenced and dated, every worked example right, both sides of
every effective date covered by an example."""
from __future__ import annotations

import datetime as dt
import functools

import pytest

from planner.api import run
from planner.examples import check, request_of
from scripts.rules import load_rules


@functools.cache
def bundle() -> dict:
    return load_rules()


def _sources(value):
    """Every ``{rule, since}`` explanation inside an engine answer."""
    if isinstance(value, dict):
        if "rule" in value and "since" in value:
            yield value["rule"], value["since"]
        for item in value.values():
            yield from _sources(item)
    elif isinstance(value, list):
        for item in value:
            yield from _sources(item)


@pytest.mark.parametrize("example", bundle()["examples"], ids=lambda e: f"{e['file'].split('/')[-1]}: {e['name']}")
def test_worked_example(example):
    assert check(bundle(), example) == []


def test_every_parameter_is_referenced_and_verified():
    today = dt.date.today().isoformat()
    for name, param in bundle()["parameters"].items():
        assert param["references"], name
        assert param["verified"] <= today, name
        for entry in param["values"]:
            assert entry["reference"].strip() and entry["confidence"] in ("verified", "derived", "unverified"), (name, entry)


def test_every_step_period_and_procedure_carries_dated_references():
    for proc in bundle()["procedures"].values():
        blocks = [proc] + list(proc["periods"].values()) + proc["steps"] + proc.get("warnings", [])
        for block in blocks:
            assert block["references"], block.get("id", proc["id"])
            assert all(ref.get("verified") for ref in block["references"]), block.get("id", proc["id"])


def test_examples_cover_both_sides_of_every_effective_date():
    """For each parameter an example reads, every pair of consecutive values is reached by some example."""
    rules = bundle()
    seen: dict = {}
    for example in rules["examples"]:
        for rule, since in _sources(run(rules, request_of(example))):
            seen.setdefault(rule, set()).add(since)
    assert "aide_juridictionnelle.plafond_rfr_100" in seen
    missing = []
    for rule, dates in seen.items():
        values = [v["date"] for v in rules["parameters"][rule]["values"] if v["value"] is not None]
        missing += [f"{rule} {d}" for d in values if d not in dates]
    assert missing == []


def test_published_uplifts_follow_the_legal_ratios():
    """The per-member amounts published each year are the decree's ratios times the ceiling, give or take 1 €."""
    params = bundle()["parameters"]
    ratio = {k: params[f"aide_juridictionnelle.taux_majoration_personnes_{k}"]["values"][0]["value"] for k in ("2_3", "4_plus")}
    for base, prefix in (("plafond_rfr_100", "majoration_personnes_"), ("plafond_patrimoine_immobilier", "majoration_immobilier_personnes_")):
        ceilings = params[f"aide_juridictionnelle.{base}"]["values"]
        for k, r in ratio.items():
            amounts = params[f"aide_juridictionnelle.{prefix}{k}"]["values"]
            assert [a["date"] for a in amounts] == [c["date"] for c in ceilings]
            for a, c in zip(amounts, ceilings):
                assert abs(a["value"] - r * c["value"]) <= 1, (prefix + k, a["date"])


def test_tribunal_status_is_kept_for_every_departement():
    rows = bundle()["tribunaux"]["departements"]
    assert len(rows) == 101 and {r["status"] for r in rows} <= {"verified", "unverified"}
    assert {r["code"] for r in rows} >= {"01", "2A", "2B", "75", "93", "971", "976"}


def test_bundle_is_plain_json():
    import json
    assert json.loads(json.dumps(bundle())) == bundle()


# How legal aid affects an OQTF appeal: one statement, word for word, wherever the rules say it (lawyer's
# review 2, N3). Two wordings had drifted apart and one of them could not be right.
OQTF_LEGAL_AID = (
    "Contestez l'OQTF dans le délai écrit sur la décision. Le plus sûr est de déposer le recours lui-même dans ce délai "
    "et d'y demander l'aide juridictionnelle (le tribunal peut vous désigner un avocat). Contre une OQTF à un mois, une "
    "demande d'aide déposée dans le mois interrompt en principe ce délai ; mais si vous êtes ensuite assigné à résidence "
    "ou placé en rétention, le délai restant devient {jours:7} ou {heures:48}, et une demande d'aide n'interrompt jamais "
    "ces délais-là.")


def test_oqtf_legal_aid_is_said_one_way_everywhere():
    rules = bundle()
    texts = {"aide-juridictionnelle: deadline_effect": rules["aid"]["deadline_effect"]["text"]}
    for pid, proc in rules["procedures"].items():
        texts.update({f"{pid}: {w['id']}": w["text"] for w in proc.get("warnings", []) if "OQTF" in str(w["text"])
                      and "aide juridictionnelle" in str(w["text"])})
        texts.update({f"{pid}: {s['id']}": s["description"] for s in proc["steps"] if s["id"] == "recours"})
    assert {"admission-exceptionnelle: risque-oqtf", "admission-exceptionnelle: recours", "renouvellement: recours"} <= set(texts)
    assert [where for where, said in texts.items() if OQTF_LEGAL_AID not in said] == []
    # the unverified point is said where the law is explained at length, with the safe course
    assert "décret n° 2024-799 n'a pas été relu" in rules["aid"]["deadline_effect"]["text"]
