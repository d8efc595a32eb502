"""A third procedure is one YAML file plus its worked examples: no Python change."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from planner.examples import check
from scripts.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "procedure"


def test_fixture_procedure_runs_its_examples(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("locales"))
    shutil.copy(FIXTURE / "procedures" / "recours-refus.yaml", rules / "procedures")
    shutil.copy(FIXTURE / "examples" / "recours-refus.yaml", rules / "examples")
    bundle = load_rules(rules)
    assert list(bundle["procedures"]) == ["renouvellement", "admission-exceptionnelle", "recours-refus"]
    mine = [e for e in bundle["examples"] if e["file"].endswith("recours-refus.yaml")]
    assert len(mine) == 2 and all(check(bundle, e) == [] for e in mine)
    assert all(check(bundle, e) == [] for e in bundle["examples"])

    bundle_json = tmp_path / "rules.json"
    subprocess.run([sys.executable, "-m", "scripts.rules", "--rules", str(rules), "--out", str(bundle_json)],
                   cwd=ROOT, capture_output=True, check=True)
    out = subprocess.run([sys.executable, "-m", "planner", "--rules", str(bundle_json), "plan", "--procedure", "recours-refus",
                          "--answer", "date_notification=2026-05-04", "--today", "2026-05-10", "--json"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["appeal_window"]["end"] == "2026-07-04"
