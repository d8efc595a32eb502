"""The widget's evidence log (overrides/assets/planner/evidence.js, in Node) and the engine
(planner/evidence.py) agree on what one attempt is: the widget's merged log has as many attempts as the
engine counts in it, for logs of notes of the same moments with préfectures differing by case, spaces or
absence. Also, in the same Node run: typed text is cleaned and cut by characters (never half an emoji,
never a bidirectional mark), an import dated after today is refused, two tabs' logs merge without
losing what either added or bringing back what either removed, and an import's undo takes out only
what that import added."""
from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest

from planner.api import run
from scripts.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
NODE = """
import { readFileSync, writeFileSync } from "node:fs";
const m = await import(process.argv[2]);
const input = JSON.parse(readFileSync(process.argv[3], "utf8"));
const refused = (text, today) => { try { m.parseLog(text, today); return null; } catch (e) { return e.code; } };
const out = {
  merged: input.logs.map((log) => m.mergeLogs([], log.map(m.validAttempt)).merged),
  cleaned: input.texts.map((t) => m.validAttempt({ date: "2026-11-02", time: "10:00", prefecture: t }).prefecture ?? ""),
  future: [refused(input.future, "2026-11-29"), refused(input.today, "2026-11-29")],
  sync: input.sync.map(([mine, theirs, base]) => m.syncLogs(mine, theirs, base)),
};
writeFileSync(process.argv[4], JSON.stringify(out));
"""
PLACES = ["Bobigny", "bobigny", " Bobigny ", "BOBIGNY", "Créteil", "créteil ", "", None,
          "Seine Saint-Denis", "seine  saint-denis"]
A = {"date": "2026-11-02", "time": "09:00"}
B = {"date": "2026-11-03", "time": "10:00", "prefecture": "Bobigny"}
C = {"date": "2026-11-04", "time": "11:00"}
D = {"date": "2026-11-05", "time": "12:00", "note": "noté dans l'autre onglet"}


def _logs():
    rnd = random.Random(20261129)
    logs = []
    for _ in range(150):
        log = []
        for _ in range(rnd.randint(1, 10)):
            a = {"date": rnd.choice(["2026-11-02", "2026-11-03"]), "time": rnd.choice(["09:15", "14:00"])}
            place = rnd.choice(PLACES)
            if place is not None:
                a["prefecture"] = place
            log.append(a)
        logs.append(log)
    return logs


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("evidence")
    data = {
        "logs": _logs(),
        "texts": ["\u061c06 12 34 56 78", "Bob\u202eygnib\u2066", "x" * 119 + "😀", "x" * 120 + "😀", "😀" * 130,
                  "a\u0000b", "lone \ud800 half", "c\u0085d\u2028e\u2029f\u009bg"],
        "future": json.dumps([{"date": "2026-11-30", "time": "10:00"}]),
        "today": json.dumps([{"date": "2026-11-29", "time": "10:00"}]),
        "sync": [
            [[A, B, C], [A, B, D], [A, B]],  # each tab added one: both kept
            [[A, C], [A, B], [A, B]],        # mine removed B and added C; theirs unchanged: B stays out
            [[A, B], [B], [A, B]],           # they removed A: it goes here too
            [[], [A, B], []],                # a fresh tab gets what was kept
        ],
    }
    (tmp / "in.json").write_text(json.dumps(data), encoding="utf-8")  # ASCII: the lone surrogate escaped
    (tmp / "run.mjs").write_text(NODE, encoding="utf-8")
    module = (ROOT / "overrides" / "assets" / "planner" / "evidence.js").as_uri()
    proc = subprocess.run(["node", str(tmp / "run.mjs"), module, str(tmp / "in.json"), str(tmp / "out.json")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return data, json.loads((tmp / "out.json").read_text(encoding="utf-8"))


def test_widget_and_engine_count_the_same_attempts(node):
    data, out = node
    rules = load_rules()
    merged_some = 0
    for log, merged in zip(data["logs"], out["merged"]):
        engine = run(rules, {"command": "evidence", "procedure": "admission-exceptionnelle",
                             "answers": {"today": "2026-11-29"}, "attempts": log})
        assert engine["attempts"] == len(merged), (log, merged)
        # the widget sends its merged log: the engine finds nothing more to merge in it
        again = run(rules, {"command": "evidence", "procedure": "admission-exceptionnelle",
                            "answers": {"today": "2026-11-29"}, "attempts": merged})
        assert (again["attempts"], again["duplicates"]) == (len(merged), 0)
        merged_some += len(merged) < len(log)
    assert merged_some > 50  # the cases do hold duplicates


def test_typed_text_is_cleaned_and_cut_by_characters(node):
    _, out = node
    assert out["cleaned"][:3] == ["06 12 34 56 78", "Bobygnib", "x" * 119 + "😀"]
    assert out["cleaned"][3] == "x" * 120 and out["cleaned"][4] == "😀" * 120  # whole emoji, 120 of them
    assert out["cleaned"][5:] == ["a b", "lone  half", "c d e f g"]  # C1 and line separators too


def test_an_import_dated_after_today_is_refused(node):
    _, out = node
    assert out["future"] == ["log_future", None]


def test_two_tabs_logs_merge(node):
    _, out = node
    keys = [[(a["date"], a["time"]) for a in log] for log in out["sync"]]
    day = lambda a: (a["date"], a["time"])  # noqa: E731
    assert keys == [[day(A), day(B), day(C), day(D)], [day(A), day(C)], [day(B)], [day(A), day(B)]]
