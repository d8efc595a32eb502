"""Web stage: what the built site needs beyond MkDocs' pages: the planner's files, a CSP, the service worker."""
from __future__ import annotations

from pathlib import Path


def finish(site: Path, langs: list[str], rules_json: Path, translators: dict) -> None:
    """Run once every language is built into site/<lang>/, in this order: the pages carry their
    manifest's digest, and the service worker's build id and digests cover the final files."""
    from scripts.site.overlay import base_config, site_url
    from scripts.web import csp, integrity, offline, planner_bundle

    dedicated, warning = integrity.origin_policy(site_url(base_config()))
    if warning:
        integrity.warn(warning)
    planner_bundle.bundle_site(site, langs, rules_json, translators)
    integrity.stamp(site, langs, dedicated)
    csp.apply(site)
    offline.write_service_worker(site, langs)
