"""Requests that the engine must answer identically on CPython and in Pyodide, besides the worked
examples: used by the parity tests and by the scan of the standard-library modules the browser needs
(stdlib.py), so that every module a vector imports is shipped."""
from __future__ import annotations


def example_request(example: dict) -> dict:
    from planner.examples import request_of
    return request_of(example)


def extra_requests(bundle: dict) -> list[dict]:
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


def requests(bundle: dict) -> list[dict]:
    """Every worked example (``bundle`` from scripts.rules.load_rules), then the edge cases."""
    return [example_request(e) for e in bundle.get("examples") or []] + extra_requests(bundle)


ICS_CASES = [{"events": [{"uid": "a@guichet", "date": "2026-03-02", "summary": "Capture ; n° 1, é" * 9,
                          "description": "ligne 1\nligne 2 🙂"},
                         {"uid": "b@guichet", "start": "2026-04-01", "end": "2026-05-31", "summary": "Fenêtre"}],
              "now": "2026-03-01T09:30:00Z"}]
