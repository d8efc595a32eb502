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
                                       of the above, the lock `info`, the widget strings and the
                                       questions of every procedure in <lang>)
                                       messages.json  (fetched on first use: French msgid ->
                                       <lang> text, for the engine's output)

The widget's JS and CSS live in overrides/assets/planner/ (MkDocs copies them into each language).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from scripts.i18n import languages as L
from scripts.i18n.catalogs import Translator
from scripts.web.integrity import sri
from scripts.web.runtime import RUNTIME_FILES, pack_planner, pyodide_dir, pyodide_version
from scripts.web.stdlib import trimmed_zip

QUESTION_TYPES = {"date", "boolean", "choice", "amount", "integer", "text", "departement"}


def N_(s: str) -> str:  # marks a string for Babel extraction (default keyword N_)
    return s


# The widget's own strings (French source; msgids for the gettext catalogs).
UI = {
    "title": N_("Votre plan personnel"),
    "intro": N_("Répondez à quelques questions : le calcul se fait sur votre téléphone, rien n'est envoyé."),
    "procedure": N_("Votre situation"),
    "submit": N_("Calculer mon plan"),
    "loading": N_("Préparation du calculateur sur votre téléphone…"),
    "loading_bytes": N_("Téléchargement : {done} sur {total}"),
    "ready": N_("Calculateur prêt."),
    "computing": N_("Calcul en cours…"),
    "error_wasm": N_("Votre navigateur ne peut pas faire ce calcul (WebAssembly indisponible). Suivez la liste à cocher de cette page : elle contient les mêmes étapes."),
    "error_download": N_("Le calculateur n'a pas pu être chargé (connexion interrompue ?). Réessayez plus tard, ou suivez la liste à cocher de cette page : elle contient les mêmes étapes."),
    "retry": N_("Réessayer"),
    "see_checklist": N_("Voir la liste à cocher"),
    "fix_errors": N_("Certaines réponses sont à corriger : voir les messages à côté des champs."),
    "required": N_("Réponse obligatoire."),
    "yes": N_("Oui"),
    "no": N_("Non"),
    "choose": N_("Choisir…"),
    "keep": N_("Garder mes réponses sur ce téléphone"),
    "keep_help": N_("Enregistrées seulement dans ce navigateur, jamais envoyées."),
    "forget": N_("Tout effacer"),
    "forgotten": N_("Vos réponses et votre journal ont été effacés de ce téléphone."),
    "plan": N_("Votre plan daté"),
    "status_overdue": N_("En retard"),
    "status_now": N_("Maintenant"),
    "status_later": N_("Plus tard"),
    "status_done": N_("Fait"),
    "why": N_("Pourquoi cette date"),
    "reference": N_("Référence"),
    "aid": N_("Aide juridictionnelle"),
    "tribunal": N_("Tribunal administratif compétent"),
    "letters": N_("Courriel et lettre recommandée"),
    "letters_note": N_("Le texte reste en français, la langue que lit la préfecture."),
    "translation": N_("Traduction"),
    "copy": N_("Copier"),
    "copied": N_("Copié."),
    "mailto": N_("Ouvrir dans ma messagerie"),
    "print_letter": N_("Imprimer la lettre"),
    "ics": N_("Ajouter les rappels à mon agenda (.ics)"),
    "evidence": N_("Journal des tentatives de rendez-vous"),
    "evidence_help": N_("Notez chaque tentative sans rendez-vous disponible, avec sa capture d'écran."),
    "attempt_date": N_("Date"),
    "attempt_time": N_("Heure"),
    "attempt_prefecture": N_("Préfecture"),
    "attempt_note": N_("Note"),
    "add_attempt": N_("Ajouter la tentative"),
    "remove": N_("Supprimer"),
    "attempts": N_("Tentatives"),
    "distinct_days": N_("Jours distincts"),
    "distinct_weeks": N_("Semaines distinctes"),
    "sufficient": N_("Dossier de preuves suffisant"),
    "insufficient": N_("Dossier de preuves encore mince"),
    "export": N_("Exporter le journal (JSON)"),
    "import": N_("Importer un journal"),
    "imported": N_("Journal importé : {n} tentatives."),
    "import_refused": N_("Fichier refusé : {reason}. Votre journal actuel n'a pas été modifié."),
    "print_log": N_("Imprimer le journal (annexe)"),
    "print": N_("Imprimer"),
    "not_translated": N_("Pas encore traduit : texte en français."),
    "rules_version": N_("Version des règles"),
    "verified": N_("vérifié le"),
    "today_is": N_("Plan calculé pour le "),
    "aid_date": N_("Barème appliqué : celui en vigueur le "),
    "aid_none": N_("Pas d'aide juridictionnelle"),
    "missing_evidence": N_("Preuves encore à réunir"),
}


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


def catalog_of(tr: Translator) -> dict[str, str]:
    """msgid -> translation (non-fuzzy, non-empty entries only), from the site's own Translator (so a
    dropped placeholder fails the build as it does for the pages)."""
    out: dict[str, str] = {}
    for msgid, (string, fuzzy) in tr.messages.items():
        first = string if isinstance(string, str) else string[0]
        if first and not fuzzy:
            out[msgid if isinstance(msgid, str) else msgid[0]] = first
    return out


def _tr(s: str | None, cat: dict[str, str]) -> str | None:
    if s is None:
        return None
    return cat.get(s, s)


def _norm_question(q: dict, cat: dict[str, str]) -> dict:
    qtype = q.get("type", "text")
    label = q.get("label") or q.get("question") or q.get("title") or q["id"]
    entry = {
        "id": q["id"],
        "type": qtype if qtype in QUESTION_TYPES else "text",
        "label": _tr(label, cat),
        "required": bool(q.get("required", True)),
    }
    if cat and label not in cat:
        entry["untranslated"] = True
    if q.get("help"):
        entry["help"] = _tr(q["help"], cat)
    for k in ("min", "max", "default", "pattern", "max_length", "unit", "placeholder"):
        if k in q:
            entry[k] = q[k]
    choices = q.get("options") or q.get("choices")
    if choices:
        norm = []
        for c in choices:
            if isinstance(c, dict):
                v = c.get("value", c.get("id"))
                norm.append({"value": v, "label": _tr(c.get("label", str(v)), cat)})
            else:
                norm.append({"value": c, "label": _tr(str(c), cat)})
        entry["choices"] = norm
    return entry


def form_groups(bundle: dict, proc: dict, cat: dict[str, str]) -> list[dict]:
    """The procedure's own questions first, then each shared set it uses (`uses`), as fieldsets."""
    shared = bundle.get("questions") or {}
    groups: list[dict] = []
    seen: set[str] = set()

    def add(title, items):
        qs = []
        for q in items or []:
            if isinstance(q, dict) and q.get("id") and q["id"] not in seen:
                seen.add(q["id"])
                qs.append(_norm_question(q, cat))
        if qs:
            groups.append({"title": _tr(title, cat), "questions": qs})

    add(proc.get("title"), [q for q in proc.get("questions") or [] if isinstance(q, dict)])
    names = list(proc.get("uses") or []) + [q for q in proc.get("questions") or [] if isinstance(q, str)]
    for name in names:
        group = shared.get(name)
        if isinstance(group, dict):
            add(group.get("title", name), group.get("questions"))
        elif isinstance(group, list):
            add(name, group)
    return groups


def manifest_for(bundle: dict, lang: str, cat: dict[str, str]) -> dict:
    ui = {k: fr if lang == L.SOURCE else cat.get(fr, fr) for k, fr in UI.items()}
    procs = {}
    for pid, proc in (bundle.get("procedures") or {}).items():
        procs[pid] = {
            "title": _tr(proc.get("title", pid), cat),
            "summary": _tr(proc.get("summary"), cat),
            "groups": form_groups(bundle, proc, cat),
        }
    deps = []
    for d in (bundle.get("tribunaux") or {}).get("departements", []):
        deps.append({"code": d.get("code"), "name": d.get("departement"), "prefecture": d.get("prefecture")})
    return {"lang": lang, "dir": L.direction(lang), "ui": ui, "procedures": procs,
            "departements": deps, "rules_version": bundle.get("version")}


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


def bundle_language(site_dir: Path, lang: str, shared: dict, cat: dict[str, str]) -> Path:
    """Write site_dir/assets/planner/{manifest,messages}.json pointing at the shared files."""
    out_dir = site_dir / "assets" / "planner"
    out_dir.mkdir(parents=True, exist_ok=True)
    man = manifest_for(shared["bundle"], lang, cat)
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
    msgs = json.dumps(cat, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
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
    return [bundle_language(site / lang, lang, shared, catalog_of(translators[lang])) for lang in langs]
