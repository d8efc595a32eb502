"""What the build writes so the browser can trust what it keeps (issue 14, scripts/web/integrity.py):
the digests in each manifest and in the pages, and the origin flag that allows the memory snapshot."""
from __future__ import annotations

import json
import re

import pytest

from scripts.web import integrity


@pytest.mark.parametrize("url, env, dedicated, warned", [
    ("https://owner.github.io/guichet/", {}, False, True),      # a project site: the owner's origin
    ("https://owner.github.io/", {}, False, True),              # a user site: the projects share it
    ("https://example.org/guichet/", {}, False, True),          # a sub-path of someone's origin
    ("https://guide.example.org/", {}, True, False),            # a custom domain of its own
    ("http://127.0.0.1:8000/", {}, True, False),                # make serve
    ("https://owner.github.io/guichet/", {"GUICHET_DEDICATED_ORIGIN": "1"}, True, False),  # checked by the deployer
    ("https://guide.example.org/", {"GUICHET_DEDICATED_ORIGIN": "0"}, False, False),
])
def test_origin_policy(url, env, dedicated, warned):
    got, warning = integrity.origin_policy(url, env=env)
    assert got is dedicated
    assert bool(warning) is warned
    if warning:
        assert "\n" not in warning and warning.startswith("warning: ") and "GUICHET_DEDICATED_ORIGIN=1" in warning


def test_warning_is_an_annotation_in_github_actions(capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    integrity.warn("warning: x")
    assert capsys.readouterr().err == "::warning::warning: x\n"


def test_sri_is_the_browsers_form():
    # the SHA-256 of "abc" (FIPS 180-2), base64 as crypto.subtle's bytes are encoded in trust.js and sw.js
    assert integrity.sri(b"abc") == "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="


def test_manifest_lists_the_digest_of_every_file_the_planner_loads(built_site):
    for lang in built_site.langs:
        folder = built_site.site / lang / "assets" / "planner"
        man = json.loads((folder / "manifest.json").read_bytes())
        urls = {man["pyodide"]["url"] + name for name in man["pyodide"]["files"]}
        urls |= {man["planner"]["url"], man["rules"]["url"], man["messages"]["url"]}
        assert set(man["integrity"]) == urls, lang
        assert any(u.endswith(".wasm") for u in urls) and any(u.endswith(".mjs") for u in urls)
        for url, digest in man["integrity"].items():
            assert digest == integrity.sri((folder / url).read_bytes()), (lang, url)


def test_planner_pages_vouch_for_their_manifest(built_site):
    """Built for http://127.0.0.1:8000/ (the root of an origin): dedicated."""
    for lang in built_site.langs:
        want = integrity.sri((built_site.site / lang / integrity.MANIFEST).read_bytes())
        pages = [p for p in (built_site.site / lang).rglob("*.html") if 'id="planner"' in p.read_text(encoding="utf-8")]
        assert pages, lang
        for page in pages:
            tags = re.findall(r"<script\b[^>]*data-guichet-manifest[^>]*>", page.read_text(encoding="utf-8"))
            assert len(tags) == 1, page
            assert f'data-guichet-manifest="{want}"' in tags[0] and 'data-guichet-origin="dedicated"' in tags[0], page
    assert integrity.stamp(built_site.site, built_site.langs, dedicated=True) == 0  # idempotent
