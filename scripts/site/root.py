"""The site's root, outside every language: index.html lists the languages (no redirect, no cookie),
404.html catches unknown paths (GitHub Pages serves it), both from docs/templates/languages.html."""
from __future__ import annotations

import re
from pathlib import Path

import jinja2

from scripts.i18n import languages as L

TEMPLATES = Path(__file__).resolve().parents[2] / "docs" / "templates"


def write_root_pages(out: Path, langs: list[str], site_url: str) -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    page = env.get_template("languages.html")
    languages = [{"code": c, "name": L.name(c), "dir": L.direction(c)} for c in langs]
    base_path = re.sub(r"^[a-z]+://[^/]+", "", site_url) or "/"  # 404.html is served at any depth
    (out / "index.html").write_text(page.render(languages=languages, prefix="", not_found=False), encoding="utf-8")
    (out / "404.html").write_text(page.render(languages=languages, prefix=base_path, not_found=True), encoding="utf-8")
    (out / ".nojekyll").write_text("", encoding="utf-8")
