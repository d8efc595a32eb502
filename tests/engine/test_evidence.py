"""The evidence log as the engine reads it: the time is HH:MM and nothing else, and two notes of the same
moment whose préfectures differ only by case or spaces (or of which one names none) are one attempt,
counted once (the widget merges logs by the same rule: tests/parity/test_evidence_parity.py)."""
from __future__ import annotations

import functools

import pytest

from planner.api import run
from scripts.rules import load_rules


@functools.cache
def bundle() -> dict:
    return load_rules()


def evidence(attempts):
    return run(bundle(), {"command": "evidence", "procedure": "admission-exceptionnelle",
                          "answers": {"today": "2026-11-29"}, "attempts": attempts})


@pytest.mark.parametrize("time", ["10:00\n", "10:00 ", "10:00:00", "10:00x", "10:0", "24:00", "09:60"])
def test_a_time_must_be_hours_and_minutes_entirely(time):
    out = evidence([{"date": "2026-11-02", "time": time}])
    assert [e["code"] for e in out["errors"]] == ["heure_invalide"], out


def test_a_plain_time_is_accepted():
    assert evidence([{"date": "2026-11-02", "time": "23:59"}])["attempts"] == 1


@pytest.mark.parametrize("other", ["bobigny", " Bobigny ", "BOBIGNY", "Bobigny\t", None, ""])
def test_the_same_moment_at_the_same_prefecture_is_one_attempt(other):
    out = evidence([{"date": "2026-11-02", "time": "09:15", "prefecture": "Bobigny"},
                    {"date": "2026-11-02", "time": "09:15", "prefecture": other}])
    assert (out["attempts"], out["duplicates"], out["distinct_days"]) == (1, 1, 1), out
    assert len(out["rows"]) == 1


def test_spaces_inside_a_name_do_not_count_either():
    out = evidence([{"date": "2026-11-02", "time": "09:15", "prefecture": "Seine  Saint-Denis"},
                    {"date": "2026-11-02", "time": "09:15", "prefecture": "seine saint-denis"}])
    assert out["attempts"] == 1


def test_other_prefectures_or_other_moments_are_other_attempts():
    out = evidence([{"date": "2026-11-02", "time": "09:15", "prefecture": "Bobigny"},
                    {"date": "2026-11-02", "time": "09:15", "prefecture": "Créteil"},
                    {"date": "2026-11-02", "time": "09:16", "prefecture": "Bobigny"},
                    {"date": "2026-11-03", "time": "09:15", "prefecture": "Bobigny"}])
    assert (out["attempts"], out["duplicates"]) == (4, 0), out
