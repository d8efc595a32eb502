"""Worked examples (``rules/examples/*.yaml``): a situation and the expected result, run as tests.

``expect`` maps dotted paths to values: ``filing_window.start``, ``steps.courriel-1.date`` (a list
is searched by ``id``, or indexed by number), ``errors.0.code``; ``null`` means "absent".
"""
from __future__ import annotations

from .api import run

_ABSENT = object()


def request_of(example: dict) -> dict:
    request = {"command": example["command"], "answers": example["answers"]}
    for key in ("procedure", "attempts", "done"):
        if key in example:
            request[key] = example[key]
    return request


def lookup(value, path: str):
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part, _ABSENT)
        elif isinstance(value, list):
            if part.isdigit():
                value = value[int(part)] if int(part) < len(value) else _ABSENT
            else:
                value = next((item for item in value if isinstance(item, dict) and item.get("id") == part), _ABSENT)
        else:
            return _ABSENT
        if value is _ABSENT:
            return _ABSENT
    return value


def check(rules: dict, example: dict, result=None) -> list:
    """The differences between ``example["expect"]`` and what the engine answers (empty when it agrees)."""
    result = run(rules, request_of(example)) if result is None else result
    problems = []
    for path, want in example["expect"].items():
        got = lookup(result, path)
        if want is None and (got is _ABSENT or got is None):
            continue
        if got is _ABSENT or got != want:
            problems.append(f"{path}: attendu {want!r}, obtenu {'(absent)' if got is _ABSENT else repr(got)}")
    return problems
