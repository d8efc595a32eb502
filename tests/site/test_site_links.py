"""A link checker over the built site (html.parser only): every internal link and anchor resolves,
and no page asks another host for anything (plain <a href> to legal sources is fine)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.conftest import parse


def _target(site: Path, page: Path, url: str) -> tuple[Path, str]:
    parts = urlsplit(url)
    path = unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        target = site / path.lstrip("/")
    else:
        target = (page.parent / path).resolve()
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def test_internal_links_and_anchors_resolve(built_site):
    site = built_site.site.resolve()
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    assert pages
    cache = lru_cache(maxsize=None)(lambda p: parse(p))
    broken = []
    for page in pages:
        for tag, attr, url in cache(page).links:
            if attr == "srcset" or url.startswith(("http:", "https:", "mailto:", "tel:", "data:", "javascript:")):
                continue
            target, frag = _target(site, page, url)
            if not str(target.resolve()).startswith(str(site)):
                broken.append((page.relative_to(site), url, "outside the site"))
                continue
            if not target.exists():
                broken.append((page.relative_to(site), url, "missing"))
            elif frag and target.suffix == ".html" and frag not in cache(target.resolve()).ids:
                broken.append((page.relative_to(site), url, "missing anchor"))
    assert not broken, broken[:20]


def test_no_external_requests(built_site):
    site = built_site.site
    offenders = []
    for page in site.rglob("*.html"):
        p = parse(page)
        for tag, attr, url in p.links:
            if url.startswith(("http:", "https:", "//")) and not (tag == "a" and attr == "href"):
                if tag == "link" and attr == "href" and any(
                        dict(a).get("rel") == "canonical" for t, a in p.tags if t == "link" and a.get("href") == url):
                    continue  # a canonical link is not a request
                offenders.append((str(page.relative_to(site)), tag, url))
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        if "@import url(http" in text or "url(https://" in text or "url(http://" in text:
            offenders.append((str(css.relative_to(site)), "css", "url(http...)"))
    assert not offenders, offenders[:20]
