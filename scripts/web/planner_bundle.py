"""Put what the in-browser planner needs into the built site (never committed).

Layout written (idempotent: run again over the same site it changes nothing; stale hashed files
are removed):

    site/assets/pyodide/<version>/     pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm (copied from
                                       node_modules/pyodide; shared by every language, keyed by
                                       version), python_stdlib-<hash>.zip (only the modules the
                                       planner and Pyodide import: stdlib.py)
    site/assets/planner-data/          planner-<hash>.zip (the planner package, plain .py files)
                                       rules-<hash>.json  (build/rules.json, copied byte for byte)
    site/<lang>/assets/planner/        manifest.json  (read on page view: small; relative URLs
                                       of the above, the lock `info`, the widget's words, the
                                       plural rule, each procedure's form model)
                                       messages.json  (fetched on first use: the <lang> catalog,
                                       every plural form, for the engine's messages)
    site/<lang>/**/index.html          the form, written into each page with the widget's mount
                                       point (scripts/web/form_html.py)

The widget's JS and CSS live in overrides/assets/planner/ (MkDocs copies them into each language).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from babel import Locale
from babel.dates import get_date_format
from babel.numbers import get_decimal_symbol, get_group_symbol

from planner import form
from planner.messages import UNITS
from scripts.i18n import languages as L
from scripts.i18n.catalogs import Translator
from scripts.site.formatting import LOCALES
from scripts.site.pages import procedure_ids
from scripts.web.form_html import write_forms
from scripts.web.integrity import sri
from scripts.web.ui import UI
from scripts.web.runtime import RUNTIME_FILES, pack_planner, pyodide_dir, pyodide_version
from scripts.web.stdlib import trimmed_zip

def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def _copy_if_changed(src: Path, dst: Path) -> bool:
    if dst.exists():
        s, d = src.stat(), dst.stat()
        if s.st_size == d.st_size and int(s.st_mtime) == int(d.st_mtime):
            return False
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".tmp")
    shutil.copy2(src, tmp)
    os.replace(tmp, dst)
    return True


def _rel(target: Path, start_dir: Path) -> str:
    rel = os.path.relpath(target, start_dir).replace(os.sep, "/")
    if target.is_dir() or str(target).endswith("/"):
        rel += "/"
    return rel


def catalog_of(tr: Translator) -> dict:
    """The language's translations for the browser: ``{"messages": {msgid: text}, "plurals": {singular:
    [forms in the catalog's order]}}``, non-fuzzy and complete entries only, from the site's own Translator
    (so a dropped placeholder fails the build as it does for the pages)."""
    messages, plurals = {}, {}
    for msgid, (string, fuzzy) in tr.messages.items():
        if fuzzy or not string:
            continue
        if isinstance(msgid, tuple):
            plurals[msgid[0]] = list(string)
        else:
            messages[msgid] = string
    return {"messages": messages, "plurals": plurals}


def _french_plural(n: int) -> int:
    return 0 if n in (0, 1) else 1  # planner.messages.Renderer's own rule, the msgids' language


PLURAL_SAMPLE = [*range(0, 1001), 10 ** 6, 2 * 10 ** 6]


def plural_map(tr: Translator) -> dict:
    """How the browser picks a plural form without evaluating the catalog's Plural-Forms (the CSP forbids
    eval): each CLDR plural category of the language (``Intl.PluralRules`` in the browser, Babel here)
    mapped to the catalog's form index, plus the counts where the two disagree. ``{"categories":
    {"one": 0, "few": 1, ...}, "exceptions": {"0": 1}}``."""
    from babel import Locale

    rule = Locale.parse(LOCALES.get(tr.lang, tr.lang)).plural_form
    index = tr.plural if tr.plural else _french_plural
    votes: dict = {}
    for n in PLURAL_SAMPLE:
        counts = votes.setdefault(rule(n), {})
        counts[index(n)] = counts.get(index(n), 0) + 1
    categories = {cat: max(counts, key=counts.get) for cat, counts in votes.items()}
    exceptions = {str(n): index(n) for n in PLURAL_SAMPLE if index(n) != categories[rule(n)]}
    if len(exceptions) > 20:
        raise ValueError(f"{tr.lang}: the catalog's Plural-Forms and CLDR disagree on {len(exceptions)} counts")
    return {"categories": categories, "exceptions": exceptions}


def form_model(bundle: dict, proc: dict) -> list[dict]:
    """What the widget reads of the form (planner.form): sections, fields, types, limits and the done
    steps; the labels are in the page, written by scripts/web/form_html.py."""
    keep = ("id", "type", "required", "min", "max", "pattern", "max_length", "step")
    return [{"id": s["id"], "optional": s["optional"],
             "questions": [{k: q[k] for k in keep if k in q} for q in s["questions"]]}
            for s in form.public(form.sections(bundle, proc))]


def cldr_dates(locale: str) -> dict:
    """What the pages write dates and numbers with (Babel's CLDR), for a browser whose Intl lacks the
    language (Debian's Chromium has no Pashto: it would write English month names)."""
    loc = Locale.parse(locale)
    return {"pattern": get_date_format("long", locale=loc).pattern,
            "months": [loc.months["format"]["wide"][m] for m in range(1, 13)],
            "weekdays": [loc.days["format"]["wide"][d] for d in range(7)],  # Monday first
            "decimal": get_decimal_symbol(loc), "group": get_group_symbol(loc)}


def manifest_for(bundle: dict, lang: str, tr: Translator) -> dict:
    """The widget's small file, read on page view: its words (French msgids and their translations), how
    to pick plural forms, the duration units, each procedure's form model, and the locale whose dates
    and numbers the pages write (scripts/site/formatting.py: Dari for Persian)."""
    ids = set()
    for fr in UI.values():
        ids.update(fr if isinstance(fr, tuple) else [fr])
    for forms in UNITS.values():
        ids.add(forms[0])
    catalog = catalog_of(tr)
    return {"lang": lang, "dir": L.direction(lang), "locale": LOCALES.get(lang, lang).replace("_", "-"),
            "cldr": cldr_dates(LOCALES.get(lang, lang)), "ui": UI,
            "catalog": {kind: {k: v for k, v in entries.items() if k in ids} for kind, entries in catalog.items()},
            "plural": plural_map(tr), "units": UNITS,
            "procedures": {pid: {"form": form_model(bundle, bundle["procedures"][pid])} for pid in procedure_ids(bundle)}}


def bundle_shared(shared_root: Path, rules_json: Path) -> dict:
    """Copy the runtime, the planner zip and the rules bundle (as they are) under shared_root/assets/."""
    pdir = pyodide_dir()
    version = pyodide_version(pdir)
    rt = shared_root / "assets" / "pyodide" / version
    files = {}
    for name in RUNTIME_FILES:
        _copy_if_changed(pdir / name, rt / name)
        files[name] = (rt / name).stat().st_size
    stdlib = trimmed_zip(pdir)  # issue 7: 0.4 MB gzip instead of 2.5 MB
    stdlib_name = f"python_stdlib-{_sha(stdlib)[:12]}.zip"  # hashed: cache-first in the service worker
    _write_if_changed(rt / stdlib_name, stdlib)
    for old in rt.glob("python_stdlib*.zip"):
        if old.name != stdlib_name:
            old.unlink()
    files[stdlib_name] = len(stdlib)
    lock = json.loads((pdir / "pyodide-lock.json").read_text())
    data_dir = shared_root / "assets" / "planner-data"
    zip_bytes = pack_planner()
    rules_bytes = Path(rules_json).read_bytes()
    zip_name = f"planner-{_sha(zip_bytes)[:12]}.zip"
    rules_name = f"rules-{_sha(rules_bytes)[:12]}.json"
    _write_if_changed(data_dir / zip_name, zip_bytes)
    _write_if_changed(data_dir / rules_name, rules_bytes)
    for old in data_dir.glob("*"):
        if old.name not in (zip_name, rules_name):
            old.unlink()
    return {"runtime_dir": rt, "version": version, "lock_info": lock["info"], "runtime_files": files,
            "stdlib": stdlib_name, "planner_zip": data_dir / zip_name, "rules": data_dir / rules_name,
            "bundle": json.loads(rules_bytes), "sizes": {"planner": len(zip_bytes), "rules": len(rules_bytes)}}


def bundle_language(site_dir: Path, lang: str, shared: dict, tr: Translator) -> Path:
    """Write site_dir/assets/planner/{manifest,messages}.json pointing at the shared files, and the form
    into the pages that have the widget."""
    out_dir = site_dir / "assets" / "planner"
    out_dir.mkdir(parents=True, exist_ok=True)
    write_forms(site_dir, shared["bundle"], tr)
    man = manifest_for(shared["bundle"], lang, tr)
    man["pyodide"] = {
        "version": shared["version"],
        "url": _rel(shared["runtime_dir"], out_dir),
        "lock_info": shared["lock_info"],
        "files": shared["runtime_files"],
        "stdlib": shared["stdlib"],
    }
    man["planner"] = {"url": _rel(shared["planner_zip"], out_dir), "size": shared["sizes"]["planner"]}
    man["rules"] = {"url": _rel(shared["rules"], out_dir), "size": shared["sizes"]["rules"]}
    man["messages"] = {"url": "messages.json"}
    msgs = json.dumps(catalog_of(tr), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    _write_if_changed(out_dir / "messages.json", msgs)
    man["integrity"] = integrity_of(man, out_dir)
    data = json.dumps(man, ensure_ascii=False, separators=(",", ":")).encode()  # keeps procedure order
    _write_if_changed(out_dir / "manifest.json", data)
    return out_dir / "manifest.json"


def integrity_of(man: dict, out_dir: Path) -> dict[str, str]:
    """{URL as the manifest gives it: SHA-256} of every file the planner loads, written beside them: the
    widget and its worker use nothing that does not match (scripts/web/integrity.py, issue 14)."""
    urls = [man["pyodide"]["url"] + name for name in man["pyodide"]["files"]]
    urls += [man["planner"]["url"], man["rules"]["url"], man["messages"]["url"]]
    return {url: sri((out_dir / url).read_bytes()) for url in urls}


def bundle_site(site: Path, langs: list[str], rules_json: Path, translators: dict[str, Translator]) -> list[Path]:
    """Everything, for a site built as site/<lang>/: the shared files once, a manifest per language."""
    shared = bundle_shared(site, rules_json)
    return [bundle_language(site / lang, lang, shared, translators[lang]) for lang in langs]
