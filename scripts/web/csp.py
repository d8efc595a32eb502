"""A Content-Security-Policy <meta> in every built HTML page (run on the whole site once every language
is built, before the service worker lists the files).

The policy allows nothing from another host and no inline code except the exact inline scripts and
styles the page was built with (Material's two small head scripts, the root pages' <style>), each
allowed by its SHA-256 hash, computed here from the final HTML:

    default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-…'; style-src 'self' 'sha256-…';
    img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self';
    manifest-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'

- 'wasm-unsafe-eval': Pyodide compiles WebAssembly. It runs in a module Web Worker, which Chromium
  gives the worker's own (empty) policy, but some browsers apply the page's policy to its workers.
  It allows compiling WebAssembly only, not JavaScript eval.
- 'unsafe-hashes' + hashes appear only on pages with style="" attributes (Markdown table alignment,
  `style="text-align: right;"`): it allows those exact attribute values, nothing else.
- data: images: Material's icons are data: SVGs in its stylesheet.
- A <meta> policy cannot carry frame-ancestors, report-uri or sandbox (GitHub Pages sets no headers):
  the planner refuses to run in another page's frame itself (assets/planner/trust.js, refuseInFrame).
- The planner's module worker gets no policy from this page (Chromium gives it its script's headers,
  none on GitHub Pages): what it runs is held to the SHA-256 digests the page vouches for instead
  (scripts/web/integrity.py), and its fetches are limited to the files its manifest lists.
"""
from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

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


def policy_for(html_text: str) -> str:
    """The policy for one page: BASE plus the hashes of its inline scripts, styles, style attributes."""
    scripts, styles, attrs = [], [], []
    for m in SCRIPT_RE.finditer(html_text):
        a = m.group(1)
        if _attr(a, "src") is not None:
            continue
        if (_attr(a, "type") or "").strip().lower() not in JS_TYPES:
            continue  # data blocks (Material's application/json config) never run
        scripts.append(_sha(m.group(2)))
    for m in STYLE_RE.finditer(html_text):
        styles.append(_sha(m.group(1)))
    for m in STYLE_ATTR_RE.finditer(html_text):
        value = m.group(1) if m.group(1) is not None else m.group(2)
        attrs.append(_sha(html.unescape(value)))
    d = {k: list(v) for k, v in BASE.items()}
    d["script-src"] += sorted(set(scripts))
    if attrs:
        d["style-src"].append("'unsafe-hashes'")
    d["style-src"] += sorted(set(styles) | set(attrs))
    return "; ".join(f"{k} {' '.join(v)}" for k, v in d.items())


def apply_to_html(html_text: str) -> str:
    html_text = META_RE.sub("", html_text)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html_text)}">'
    m = CHARSET_RE.search(html_text)
    if m:
        return html_text[:m.end()] + "\n  " + meta + html_text[m.end():]
    m = re.search(r"<head\b[^>]*>", html_text, re.I)
    if not m:
        raise ValueError("no <head> to put the Content-Security-Policy in")
    return html_text[:m.end()] + meta + html_text[m.end():]


def apply(site: Path) -> int:
    """Add (or refresh) the policy in every .html file under `site`; returns the number of pages."""
    n = 0
    for page in sorted(Path(site).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        new = apply_to_html(text)
        if new != text:
            page.write_text(new, encoding="utf-8")
        n += 1
    return n


def policy_of(html_text: str) -> str | None:
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html_text, re.I)
    return m.group(1) if m else None

