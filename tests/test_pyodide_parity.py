"""The engine's worked examples give exactly the same answers in real Pyodide (Node, npm pyodide)
as on CPython: full JSON outputs of planner.api.run compared, one interpreter for all vectors,
restored from a memory snapshot as the browser's warm start does (issue 7)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "tests" / "node" / "run_pyodide.mjs"

# No skip when Node or Pyodide is missing: `make test` runs `npm ci`, and a missing one must fail.


def example_request(example: dict) -> dict:
    try:
        from planner.examples import request_of
    except ImportError:  # pragma: no cover
        return {"command": example["command"], "answers": example["answers"]}
    return request_of(example)


def _extra_requests(bundle: dict) -> list[dict]:
    """Edge cases besides the worked examples: bad input must give the same structured errors."""
    reqs = [{"command": "nope", "answers": {}}, {"command": "plan", "answers": {}},
            {"command": "aid", "answers": {"rfr": -5, "foyer": 0}},
            {"command": "evidence", "answers": {}, "attempts": [{"date": "2026-02-30", "time": "25:00"}]},
            {"command": "evidence", "answers": {"today": "2026-04-01"}, "attempts": [
                {"date": f"2026-03-{d:02d}", "time": f"{8 + d % 10:02d}:15"} for d in range(1, 29, 2)]}]
    for pid in bundle.get("procedures", {}):
        reqs.append({"command": "plan", "procedure": pid, "answers": {}})
        reqs.append({"command": "letters", "procedure": pid, "answers": {"nom": "<script>x</script>"}})
    return reqs


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory):
    from scripts.pyodide_bundle import pack_planner
    from scripts.rules import load_rules, write_bundle

    tmp = tmp_path_factory.mktemp("parity")
    bundle = load_rules(ROOT / "rules")  # the worked examples come from the loader: the browser gets none
    rules_text = write_bundle(bundle, tmp / "rules.json").read_text(encoding="utf-8")  # what the site ships
    (tmp / "planner.zip").write_bytes(pack_planner(ROOT / "planner"))
    examples = bundle.get("examples") or []
    requests = [example_request(e) for e in examples] + _extra_requests(bundle)
    ics_cases = [{"events": [{"uid": "a@guichet", "date": "2026-03-02", "summary": "Capture ; n° 1, é" * 9,
                              "description": "ligne 1\nligne 2 🙂"},
                             {"uid": "b@guichet", "start": "2026-04-01", "end": "2026-05-31", "summary": "Fenêtre"}],
                  "now": "2026-03-01T09:30:00Z"}]
    # the trimmed standard library the site ships (scripts/pyodide_stdlib.py), not npm's full one;
    # every module the planner imports anywhere (even inside a function) is imported at the end
    from scripts.pyodide_bundle import pyodide_dir
    from scripts.pyodide_stdlib import planner_imports, trimmed_zip
    (tmp / "stdlib.zip").write_bytes(trimmed_zip(pyodide_dir()))
    inp = {"planner_zip": str(tmp / "planner.zip"), "rules": str(tmp / "rules.json"),
           "requests": requests, "ics": ics_cases, "stdlib": str(tmp / "stdlib.zip"),
           "imports": planner_imports(), "modules": True}
    (tmp / "in.json").write_text(json.dumps(inp, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run(["node", str(HARNESS), str(tmp / "in.json"), str(tmp / "out.json")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads((tmp / "out.json").read_text(encoding="utf-8"))
    return {"bundle": bundle, "rules_text": rules_text, "examples": examples, "requests": requests,
            "out": out, "ics_cases": ics_cases, "stdlib": tmp / "stdlib.zip"}


def test_pyodide_is_python_314(pyodide_run):
    assert pyodide_run["out"]["python"].startswith("3.14")


def test_there_are_worked_examples(pyodide_run):
    assert len(pyodide_run["examples"]) >= 1


def test_every_vector_gives_the_cpython_answer(pyodide_run):
    from planner import api

    rules = json.loads(pyodide_run["rules_text"])
    mismatches = []
    for req, got_text in zip(pyodide_run["requests"], pyodide_run["out"]["results"]):
        expected = api.run(json.loads(json.dumps(rules)), json.loads(json.dumps(req)))
        got = json.loads(got_text)
        # normalise through JSON on both sides (tuples vs lists, key order)
        if json.loads(json.dumps(expected, ensure_ascii=False)) != got:
            mismatches.append((req, expected, got))
    assert not mismatches, json.dumps(mismatches[0], ensure_ascii=False, indent=1)[:4000]
    assert len(pyodide_run["out"]["results"]) == len(pyodide_run["requests"])


def test_run_json_is_identical_text(pyodide_run):
    from planner import api

    for req, got_text in zip(pyodide_run["requests"], pyodide_run["out"]["results"]):
        assert api.run_json(pyodide_run["rules_text"], json.dumps(req)) == got_text, req


def test_ics_identical_in_pyodide(pyodide_run):
    from planner import ics

    for case, got in zip(pyodide_run["ics_cases"], pyodide_run["out"]["ics"]):
        now = dt.datetime.fromisoformat(case["now"].replace("Z", "+00:00"))
        assert ics.calendar(case["events"], now=now) == got


def test_runs_on_the_trimmed_stdlib(pyodide_run):
    import zipfile
    from scripts.pyodide_stdlib import keep_list

    with zipfile.ZipFile(pyodide_run["stdlib"]) as z:
        shipped = set(z.namelist())
    assert shipped == set(keep_list())
    assert set(pyodide_run["out"]["modules"]) <= shipped  # nothing came from elsewhere
    assert "asyncio/__init__.py" in shipped and "email/__init__.py" not in shipped


def test_snapshot_fits_the_cache_allowance(pyodide_run):
    """The worker keeps this snapshot gzip-compressed in the Cache API: the offline budget counts it."""
    from scripts import offline

    size = pyodide_run["out"]["snapshot_gzip_bytes"]
    assert 1_000_000 < size <= offline.SNAPSHOT_MB * 1_000_000, size
