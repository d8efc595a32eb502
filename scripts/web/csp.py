"""A Content-Security-Policy <meta> in every built HTML page (run on the whole site once every language
is built, before the service worker lists the files).

The policy allows nothing from another host and no inline code except the inline scripts and styles
that the templates write (Material's small head scripts, the root pages' <style>), each allowed by the
SHA-256 hash of the text it has on that page. Only a script or style that a template source holds is
hashed: ``Allowed`` reads the theme, overrides/ and docs/ and keeps each inline script's text, each
``{{ expression }}`` in it standing for any text that cannot leave the quoted string it fills. A
<script> that reached a page any other way (a translation, a rule text) matches no template and is
not allowed to run, even if every check before this one missed it:

    default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-…'; style-src 'self' 'sha256-…';
    img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self';
    manifest-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'

- 'wasm-unsafe-eval': Pyodide compiles WebAssembly. It runs in a module Web Worker, which Chromium
  gives the worker's own (empty) policy, but some browsers apply the page's policy to its workers.
  It allows compiling WebAssembly only, not JavaScript eval.
- 'unsafe-hashes' + hashes appear only on pages with style="" attributes (Markdown table alignment,
  `style="text-align: right;"`, or a value written in a template): it allows those exact attribute
  values, nothing else.
- data: images: Material's icons are data: SVGs in its stylesheet.
- A <meta> policy cannot carry frame-ancestors, report-uri or sandbox (GitHub Pages sets no headers):
  the planner refuses to run in another page's frame itself (assets/planner/trust.js, refuseInFrame).
- The planner's module worker gets no policy from this page (Chromium gives it its script's headers,
  none on GitHub Pages): what it runs is held to the SHA-256 digests the page vouches for instead
  (scripts/web/integrity.py), and its fetches are limited to the files its manifest lists.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

import material

ROOT = Path(__file__).resolve().parents[2]
# where the pages' HTML comes from: Material's templates, our overrides, our page sources
TEMPLATE_DIRS = (Path(material.__file__).parent / "templates", ROOT / "overrides", ROOT / "docs")
TEMPLATE_SUFFIXES = {".html", ".md", ".j2"}
# what Python-Markdown's tables extension writes for a column's alignment
MARKDOWN_STYLES = frozenset(f"text-align: {side};" for side in ("left", "right", "center"))
JINJA_RE = re.compile(r"\{\{(.*?)\}\}|\{%.*?%\}|\{#.*?#\}", re.S)

META_RE = re.compile(r'\n?[ \t]*<meta http-equiv="Content-Security-Policy"[^>]*>', re.I)
SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
STYLE_RE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.I | re.S)
STYLE_ATTR_RE = re.compile(r"""<[a-zA-Z][^<>]*?\sstyle=(?:"([^"]*)"|'([^']*)')""")
CHARSET_RE = re.compile(r"<meta\s+charset=[\"']?utf-8[\"']?\s*/?>", re.I)
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}

BASE = {
    "default-src": ["'none'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "object-src": ["'none'"],
}


def _sha(text: str) -> str:
    # the HTML parser turns CR LF into LF before the browser hashes the element's text
    data = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    return "'sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode() + "'"


def _attr(attrs: str, name: str) -> str | None:
    m = re.search(rf"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", attrs, re.I)
    if not m:
        return None
    return next(g for g in m.groups() if g is not None)


def _rendered(source: str) -> re.Pattern | None:
    """The texts a template's inline script or style can render to: its literal text, each
    ``{{ expression }}`` any text that cannot leave the quoted string it fills. None (nothing matches)
    when an expression is not a whole quoted string, or a tag or whitespace control sits inside."""
    out, pos = [], 0
    for m in JINJA_RE.finditer(source):
        if m.group(0).startswith("{#"):
            out.append(re.escape(source[pos:m.start()]))
            pos = m.end()
            continue
        quote = source[m.start() - 1:m.start()]
        if m.group(1) is None or m.group(1).startswith("-") or m.group(1).endswith("-") \
                or quote not in ("'", '"') or source[m.end():m.end() + 1] != quote:
            return None
        out += [re.escape(source[pos:m.start()]), f"[^{quote}\\\\<\\n]*"]
        pos = m.end()
    out.append(re.escape(source[pos:]))
    return re.compile("".join(out), re.S)


@dataclass(frozen=True)
class Allowed:
    """The inline code the templates write: their inline scripts and styles (as patterns), and the
    style attribute values (theirs and Markdown's table alignment)."""
    scripts: tuple
    styles: tuple
    style_attrs: frozenset

    @classmethod
    def from_sources(cls, sources) -> "Allowed":
        scripts, styles, attrs = [], [], set(MARKDOWN_STYLES)
        for text in sources:
            for m in SCRIPT_RE.finditer(text):
                if _runs(m.group(1)):
                    scripts.append(_rendered(m.group(2)))
            styles += [_rendered(m.group(1)) for m in STYLE_RE.finditer(text)]
            attrs.update(a or b for a, b in STYLE_ATTR_RE.findall(text) if "{" not in (a or b))
        return cls(tuple(p for p in scripts if p), tuple(p for p in styles if p), frozenset(attrs))

    def script(self, text: str) -> bool:
        return any(p.fullmatch(text) for p in self.scripts)

    def style(self, text: str) -> bool:
        return any(p.fullmatch(text) for p in self.styles)


@functools.lru_cache(maxsize=1)
def templates() -> Allowed:
    """What the templates in TEMPLATE_DIRS allow, read once per process."""
    files = [Path(folder, name) for d in TEMPLATE_DIRS for folder, _, names in os.walk(d)
             for name in names if Path(name).suffix in TEMPLATE_SUFFIXES]
    return Allowed.from_sources(f.read_text(encoding="utf-8") for f in files)


def _runs(attrs: str) -> bool:
    """An inline script the browser runs: no src, a JavaScript type (not a data block such as
    Material's application/json config)."""
    return _attr(attrs, "src") is None and (_attr(attrs, "type") or "").strip().lower() in JS_TYPES


def policy_for(html_text: str, allowed: Allowed | None = None) -> str:
    """The policy for one page: BASE plus the hashes of its inline scripts, styles and style attributes
    that the templates wrote (``allowed``, by default read from TEMPLATE_DIRS)."""
    allowed = allowed or templates()
    scripts = [_sha(m.group(2)) for m in SCRIPT_RE.finditer(html_text) if _runs(m.group(1)) and allowed.script(m.group(2))]
    styles = [_sha(m.group(1)) for m in STYLE_RE.finditer(html_text) if allowed.style(m.group(1))]
    attrs = []
    for m in STYLE_ATTR_RE.finditer(html_text):
        value = html.unescape(m.group(1) if m.group(1) is not None else m.group(2))
        if value in allowed.style_attrs:
            attrs.append(_sha(value))
    d = {k: list(v) for k, v in BASE.items()}
    d["script-src"] += sorted(set(scripts))
    if attrs:
        d["style-src"].append("'unsafe-hashes'")
    d["style-src"] += sorted(set(styles) | set(attrs))
    return "; ".join(f"{k} {' '.join(v)}" for k, v in d.items())


def apply_to_html(html_text: str, allowed: Allowed | None = None) -> str:
    html_text = META_RE.sub("", html_text)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html_text, allowed)}">'
    m = CHARSET_RE.search(html_text)
    if m:
        return html_text[:m.end()] + "\n  " + meta + html_text[m.end():]
    m = re.search(r"<head\b[^>]*>", html_text, re.I)
    if not m:
        raise ValueError("no <head> to put the Content-Security-Policy in")
    return html_text[:m.end()] + meta + html_text[m.end():]


def apply(site: Path, allowed: Allowed | None = None) -> int:
    """Add (or refresh) the policy in every .html file under `site`; returns the number of pages."""
    n = 0
    for page in sorted(Path(site).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        new = apply_to_html(text, allowed)
        if new != text:
            page.write_text(new, encoding="utf-8")
        n += 1
    return n


def policy_of(html_text: str) -> str | None:
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html_text, re.I)
    return m.group(1) if m else None

