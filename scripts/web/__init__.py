"""Web stage: what the built site needs beyond MkDocs' pages: the planner's files, a CSP, the service worker."""
from __future__ import annotations

from pathlib import Path


def finish(site: Path, langs: list[str], rules_json: Path, translators: dict) -> None:
    """Run once every language is built into site/<lang>/, in this order: the service worker's build id
    covers the final files."""
    from scripts.web import csp, offline, planner_bundle

    planner_bundle.bundle_site(site, langs, rules_json, translators)
    csp.apply(site)
    offline.write_service_worker(site, langs)
