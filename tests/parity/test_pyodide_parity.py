"""The engine's worked examples give exactly the same answers in real Pyodide (Node, npm pyodide)
as on CPython: full JSON outputs of planner.api.run compared, one interpreter for all vectors,
restored from a memory snapshot as the browser's warm start does (issue 7)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from scripts.web import vectors

ROOT = Path(__file__).resolve().parents[2]

# No skip when Node or Pyodide is missing: `make test` runs `npm ci`, and a missing one must fail.


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory):
    from scripts.rules import load_rules, write_bundle
    from scripts.web.runtime import pack_planner, pyodide_dir, run_in_node
    from scripts.web.stdlib import planner_imports, trimmed_zip

    tmp = tmp_path_factory.mktemp("parity")
    bundle = load_rules(ROOT / "rules")  # the worked examples come from the loader: the browser gets none
    rules_text = write_bundle(bundle, tmp / "rules.json").read_text(encoding="utf-8")  # what the site ships
    (tmp / "planner.zip").write_bytes(pack_planner(ROOT / "planner"))
    examples = bundle.get("examples") or []
    requests = vectors.requests(bundle)
    ics_cases = vectors.ICS_CASES
    # the trimmed standard library the site ships (scripts/web/stdlib.py), not npm's full one;
    # every module the planner imports anywhere (even inside a function) is imported at the end
    (tmp / "stdlib.zip").write_bytes(trimmed_zip(pyodide_dir()))
    inp = {"planner_zip": str(tmp / "planner.zip"), "rules": str(tmp / "rules.json"),
           "requests": requests, "ics": ics_cases, "stdlib": str(tmp / "stdlib.zip"),
           "imports": planner_imports(), "modules": True}
    (tmp / "in.json").write_text(json.dumps(inp, ensure_ascii=False), encoding="utf-8")
    proc = run_in_node(tmp / "in.json", tmp / "out.json")
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
    from scripts.web.stdlib import keep_list

    with zipfile.ZipFile(pyodide_run["stdlib"]) as z:
        shipped = set(z.namelist())
    assert shipped == set(keep_list())
    assert set(pyodide_run["out"]["modules"]) <= shipped  # nothing came from elsewhere
    assert "asyncio/__init__.py" in shipped and "email/__init__.py" not in shipped


def test_snapshot_fits_the_cache_allowance(pyodide_run):
    """The worker keeps this snapshot gzip-compressed in the Cache API: the offline budget counts it."""
    from scripts.web import offline

    size = pyodide_run["out"]["snapshot_gzip_bytes"]
    assert 1_000_000 < size <= offline.SNAPSHOT_MB * 1_000_000, size
