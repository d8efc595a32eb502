"""Shared fixtures. `built_site` builds the whole guide once per test session (every language with a
catalog) into a temporary folder; other test files may reuse it:

    def test_something(built_site):
        html = (built_site.site / "fr" / "index.html").read_text()

Tests are grouped by layer, one folder each, and marked with its name (pytest.ini lists the markers):
`pytest -m engine` runs the engine's tests only, `pytest -m "not browser"` leaves Chromium out.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
LAYERS = ("engine", "rules", "site", "browser", "parity")


def pytest_collection_modifyitems(items):
    """Mark each test with its layer: the name of its folder under tests/."""
    tests = Path(__file__).parent
    for item in items:
        layer = item.path.relative_to(tests).parts[0]
        if layer in LAYERS:
            item.add_marker(layer)


@dataclass
class BuiltSite:
    site: Path          # site/ : index.html, 404.html, <lang>/...
    build: Path         # build/: docs/<lang>/*.md, mkdocs/<lang>.yml, rules.json
    rules: Path         # the rules folder used
    langs: list         # languages built
    bundle: dict        # the validated rules bundle
    result: dict        # what scripts.build.build returned (timings, coverage)

    def page(self, lang: str, path: str = "") -> str:
        """HTML of a page, path as in the site ("" home, "procedures/renouvellement/")."""
        return (self.site / lang / path / "index.html").read_text(encoding="utf-8")


def build_site(tmp: Path, rules: Path = ROOT / "rules", langs=None) -> BuiltSite:
    from scripts.build import build
    from scripts.rules import load_rules
    out, build_dir = tmp / "site", tmp / "build"
    result = build(out=out, langs=langs, rules_root=rules, build_dir=build_dir, quiet=True)
    return BuiltSite(out, build_dir, rules, result["langs"], load_rules(rules), result)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    return build_site(tmp_path_factory.mktemp("guichet"))


@dataclass
class SubpathSite:
    """Every language built for https://HOST/guichet/ as on GitHub Pages, served at `url`
    (http://127.0.0.1:PORT/guichet/) from `root` (root/guichet -> the site)."""
    built: BuiltSite
    root: Path
    port: int
    prefix: str = "guichet"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.prefix}/"


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def subpath_site(tmp_path_factory) -> SubpathSite:
    """The whole site built with GUICHET_SITE_URL=http://127.0.0.1:PORT/guichet/ (tests/test_privacy.py,
    tests/test_offline.py serve it on that port with scripts.dev.server)."""
    port = free_port()
    tmp = tmp_path_factory.mktemp("subpath")
    old = os.environ.get("GUICHET_SITE_URL")
    os.environ["GUICHET_SITE_URL"] = f"http://127.0.0.1:{port}/guichet/"
    try:
        built = build_site(tmp / "work")
    finally:
        if old is None:
            os.environ.pop("GUICHET_SITE_URL", None)
        else:
            os.environ["GUICHET_SITE_URL"] = old
    root = tmp / "root"
    root.mkdir()
    (root / "guichet").symlink_to(built.site, target_is_directory=True)
    return SubpathSite(built, root, port)


# ---------------------------------------------------------------- HTML helpers (html.parser only)
from html.parser import HTMLParser  # noqa: E402


class Page(HTMLParser):
    """ids, links (tag, attr, url), checkboxes, text outside <script>/<style>, for one HTML file."""

    URL_ATTRS = {"href", "src", "action", "poster", "data", "srcset"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.checkboxes, self.text_parts, self.tags = set(), [], 0, [], []
        self._skip = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for k, v in attrs:
            if k in self.URL_ATTRS and v is not None:
                self.links.append((tag, k, v))
        if tag == "input" and a.get("type") == "checkbox":
            self.checkboxes += 1
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())


def parse(path_or_text) -> Page:
    text = path_or_text.read_text(encoding="utf-8") if isinstance(path_or_text, Path) else path_or_text
    return Page(text)
