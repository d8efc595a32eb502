"""What lets the browser trust the files it keeps (issue 14): digests, and whether the site has its origin
to itself.

On GitHub Pages every project of an owner is served from the same origin (https://OWNER.github.io/a/,
https://OWNER.github.io/b/): they share the Cache API, IndexedDB and localStorage, so any of them can
rewrite what another keeps for offline reading. The HTML page, from the network or checked by the
service worker, is the root of trust:

- sw.js (offline.py) holds the SHA-256 of every file it may cache and serves a cached file only if it
  matches;
- each language's manifest.json holds the SHA-256 of every file the planner loads (planner_bundle.py,
  `integrity`), and every page with the planner holds the SHA-256 of its manifest
  (data-guichet-manifest, written here: the manifest is only known once the pages are built), which
  the widget and its worker check (assets/planner/trust.js);
- data-guichet-origin says whether the worker may keep a memory snapshot of Python: a snapshot is code
  made in the browser, so no build can know its digest, and on a shared origin anyone could replace it
  together with whatever digest the page kept beside it. "dedicated" only when the deployer says so
  (GUICHET_DEDICATED_ORIGIN=1) or when the site is at the root of an origin that is not github.io.

The digests are in Subresource Integrity form, "sha256-<base64>", as the browser's crypto.subtle gives
them back in trust.js and sw.js.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

ENV = "GUICHET_DEDICATED_ORIGIN"
MANIFEST = Path("assets") / "planner" / "manifest.json"
ATTRS_RE = re.compile(r'(<script\b[^>]*?\sdata-guichet-manifest=")[^"]*("[^>]*?\sdata-guichet-origin=")[^"]*(")')


def sri(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()


def origin_policy(url: str, env=os.environ) -> tuple[bool, str | None]:
    """(dedicated, warning) for a site published at `url`: GUICHET_DEDICATED_ORIGIN=1 or 0 decides;
    else only the root of an origin other than github.io counts as dedicated. The warning (None when
    the deployer said 1) says why the origin may be shared."""
    flag = env.get(ENV, "").strip().lower()
    if flag in ("1", "true", "yes"):
        return True, None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    github = host == "github.io" or host.endswith(".github.io")
    sub_path = parts.path.strip("/") != ""
    dedicated = flag not in ("0", "false", "no") and not github and not sub_path
    if not (github or sub_path):
        return dedicated, None
    origin = f"{parts.scheme}://{parts.netloc}"
    if github:
        why = f"every GitHub Pages site of the owner is served from {origin}"
    else:
        why = f"the site is a sub-path of {origin}, where other sites may be served"
    return dedicated, (f"warning: {url}: {why} and could read or rewrite what this guide keeps in the browser; "
                       f"the planner starts without its memory snapshot. Deploy on an origin of its own "
                       f"(README, Deployment), then set {ENV}=1.")


def warn(message: str) -> None:
    """One line on stderr; an annotation in GitHub Actions."""
    prefix = "::warning::" if os.environ.get("GITHUB_ACTIONS") == "true" else ""
    print(prefix + message, file=sys.stderr)


def stamp(site: Path, langs: list[str], dedicated: bool) -> int:
    """Write the manifest's digest and the origin flag into each language's pages that load the planner
    (overrides/planner/planner.html); returns the number of pages changed. Idempotent."""
    changed = 0
    for lang in langs:
        manifest = site / lang / MANIFEST
        if not manifest.exists():
            continue
        values = (sri(manifest.read_bytes()), "dedicated" if dedicated else "shared")
        for page in sorted((site / lang).rglob("*.html")):
            text = page.read_text(encoding="utf-8")
            new = ATTRS_RE.sub(lambda m: m.group(1) + values[0] + m.group(2) + values[1] + m.group(3), text)
            if new != text:  # a new file, not a rewrite: a hard-linked copy of the site keeps its own
                tmp = page.with_name(page.name + ".tmp")
                tmp.write_text(new, encoding="utf-8")
                os.replace(tmp, page)
                changed += 1
    return changed
