"""A broken rule file or catalog stops the whole site build (scripts.build) with the file and
line named, and leaves the previous site/ exactly as it was (no partial site, no temporary folder
left); every built page carries a Content-Security-Policy that allows no other host and no inline
code but its own hashed inline scripts and styles.

The loader's messages themselves are checked case by case in tests/rules/test_rules_malformed.py and
tests/site/test_site_i18n.py; here the same breakages go through the site build.
"""
from __future__ import annotations

import base64
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROOT
from scripts.build import build
from scripts.web import csp
from scripts.i18n import catalogs
from scripts.rules import RuleError
from tests.rules.test_rules_malformed import CASES

THROUGH_BUILD = ("YAML syntax", "unknown key", "duplicate step id", "missing step", "missing parameter", "cycle",
                 "date out of range", "missing reference")


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def previous_site(tmp_path):
    out = tmp_path / "site"
    (out / "fr").mkdir(parents=True)
    (out / "index.html").write_text("<!doctype html><title>previous</title>", encoding="utf-8")
    (out / "fr" / "index.html").write_text("previous fr", encoding="utf-8")
    return out


def _rules(tmp_path, with_locales=False) -> Path:
    root = tmp_path / "rules"
    ignore = None if with_locales else shutil.ignore_patterns("locales")
    shutil.copytree(ROOT / "rules", root, ignore=ignore)
    if not with_locales:
        (root / "locales").mkdir()
    return root


def _assert_untouched(out: Path, before: dict, tmp_path: Path):
    assert _snapshot(out) == before
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}-")]
    assert not leftovers, leftovers


@pytest.mark.parametrize("case", [c for c in CASES if c[0] in THROUGH_BUILD], ids=lambda c: c[0])
def test_broken_rule_stops_the_build_and_keeps_the_site(tmp_path, previous_site, case):
    name, edit, file, line, words = case
    rules = _rules(tmp_path)
    edit(rules)
    before = _snapshot(previous_site)
    with pytest.raises(RuleError) as caught:
        build(out=previous_site, langs=["fr"], rules_root=rules, build_dir=tmp_path / "build", quiet=True)
    message = str(caught.value)
    assert message.startswith(f"rules/{file}"), message
    if line:
        assert message.startswith(f"rules/{file}:{line}: "), message
    assert words in message, message
    _assert_untouched(previous_site, before, tmp_path)


def test_dropped_placeholder_stops_the_build_and_keeps_the_site(tmp_path, previous_site):
    rules = _rules(tmp_path, with_locales=True)
    po = catalogs.po_path(rules, "en")
    with open(po, "rb") as fh:
        cat = read_po(fh, locale="en")
    for m in cat:
        if isinstance(m.id, str) and "%(date)s" in m.id and m.string and not m.fuzzy:
            m.string = m.string.replace("%(date)s", "")
            break
    else:
        raise AssertionError("no translated message with a placeholder")
    catalogs.write_catalog(cat, po, catalogs.review_status(po))
    before = _snapshot(previous_site)
    with pytest.raises(catalogs.CatalogError, match=r"guichet\.po:\d+: .*placeholder"):
        build(out=previous_site, langs=["fr", "en"], rules_root=rules, build_dir=tmp_path / "build", quiet=True)
    _assert_untouched(previous_site, before, tmp_path)


def test_command_line_build_error_is_one_line(tmp_path, previous_site):
    import subprocess
    import sys
    rules = _rules(tmp_path)
    dict(((c[0], c) for c in CASES))["cycle"][1](rules)
    before = _snapshot(previous_site)
    proc = subprocess.run([sys.executable, "-m", "scripts.build", "--out", str(previous_site),
                           "--rules", str(rules), "--build-dir", str(tmp_path / "build"), "--langs", "fr"],
                          cwd=ROOT, capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "renouvellement.yaml" in proc.stderr
    _assert_untouched(previous_site, before, tmp_path)


# ---------------------------------------------------------------- Content-Security-Policy

def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_every_page_has_a_strict_policy(built_site):
    pages = [p for p in built_site.site.rglob("*.html") if "assets" not in p.relative_to(built_site.site).parts]
    assert len(pages) > 10
    for p in pages:
        text = p.read_text(encoding="utf-8")
        policy = csp.policy_of(text)
        assert policy, p
        # before any script or style, right after the charset
        assert text.index("Content-Security-Policy") < min(i for i in (text.find("<script"), text.find("<style"),
                                                                        text.find("<link")) if i >= 0), p
        d = {k: v.split() for k, v in (part.strip().split(" ", 1) for part in policy.split(";"))}
        assert d["default-src"] == ["'none'"] and d["object-src"] == ["'none'"] and d["base-uri"] == ["'none'"]
        assert d["connect-src"] == ["'self'"] and d["worker-src"] == ["'self'"] and d["form-action"] == ["'none'"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy and "http" not in policy
        assert "*" not in policy
        inline = [m.group(2) for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S)
                  if "src=" not in m.group(1) and "application/json" not in m.group(1)]
        assert sorted(_sha(s) for s in set(inline)) == [x for x in d["script-src"] if x.startswith("'sha256-")], p
        assert d["script-src"][:2] == ["'self'", "'wasm-unsafe-eval'"]


def test_policy_hashes_only_what_the_page_has():
    templates = csp.Allowed.from_sources(['<script>a()</script><script>go("{{ base_url }}")</script><style>b{}</style>'])
    page = ('<!doctype html><html><head><meta charset="utf-8"><script>a()</script><style>b{}</style></head>'
            '<body><td style="text-align: right;">1</td><script type="application/json">{}</script>'
            '<script src="x.js"></script></body></html>')
    out = csp.apply_to_html(page, templates)
    assert csp.apply_to_html(out, templates) == out  # idempotent
    policy = csp.policy_of(out)
    assert _sha("a()") in policy and _sha("b{}") in policy and _sha("text-align: right;") in policy
    assert "'unsafe-hashes'" in policy and _sha("{}") not in policy
    assert csp.policy_of(csp.apply_to_html(page.replace(' style="text-align: right;"', ""), templates)).count("unsafe-hashes") == 0


def test_policy_hashes_only_the_scripts_and_styles_the_templates_write():
    """A template's {{ expression }} stands for text that cannot leave its quoted string: a page whose
    script or style is not one a template writes gets no hash for it."""
    templates = csp.Allowed.from_sources(['<script>go("{{ base_url }}",location)</script><style>b{}</style>',
                                          '<script>var x = {{ config | tojson }}</script>'])
    fine = 'go("../..",location)'
    injected = ['evil()', 'go("x",location),evil("",location)', 'go("x\\",location)', 'go("</script>",location)',
                'var x = {}; evil()']
    page = "".join(f"<script>{s}</script>" for s in [fine, *injected]) + "<style>b{}</style><style>c{}</style>" + \
        '<p style="display:none">x</p>'
    policy = csp.policy_for(f'<html><head><meta charset="utf-8"></head><body>{page}</body></html>', templates)
    assert _sha(fine) in policy and _sha("b{}") in policy
    for text in injected + ["c{}", "display:none"]:
        assert _sha(text) not in policy, text
    assert "'unsafe-hashes'" not in policy
