"""The planner's form as HTML, written at build time into every page that has the widget's mount point
(``<div id="planner" data-procedure="…">``), so that the form is laid out before the first paint and the
widget only attaches to it (scripts run later, if at all).

One model: the sections and questions come from ``planner.form.sections``, as the engine checks them
and as the manifest gives them to the widget; the words are the rules' French labels and the widget's
own strings (scripts/web/ui.py), translated by the page's catalog. Every text is escaped. A label the
catalog does not translate yet is marked ``lang="fr"``. Both forms say ``autocomplete="off"``: the browser
neither suggests typed values nor puts them back when the page is shown again from its history (after
"erase everything", the Back button would bring the answers back). Without JavaScript the whole mount is hidden
(a ``<noscript>`` style in overrides/planner/planner.html): the page never shows a calculator that
cannot run, the checklist stays.

A page with ``data-procedure=""`` (the home page) gets every procedure's form with a selector: the
sections they share are written once, each procedure's own sections carry ``data-procedures`` and all
but the first are hidden until chosen.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from planner import form as model
from planner.messages import Renderer
from scripts.site.formatting import Formatter
from scripts.site.pages import procedure_ids
from scripts.web.ui import UI

MOUNT = re.compile(r'<div id="planner"([^>]*)>')
DIV = re.compile(r"<(/?)div\b", re.I)
BEGIN, END = "<!-- gp-form -->", "<!-- /gp-form -->"
GENERATED = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
RADIOS_UP_TO = 6  # a choice with more options is a <select>


def esc(value) -> str:
    return html.escape(str(value), quote=True)


class Writer:
    """Writes one language's form. ``tr``: the language's Translator (scripts/i18n/catalogs.py)."""

    def __init__(self, bundle: dict, tr):
        self.bundle, self.tr = bundle, tr
        fmt = Formatter(tr.lang)  # the typed literals of rule texts ({date:…}, {jours:90}) the page's way
        self.literals = Renderer(tr.gettext, tr.ngettext, fmt.date, fmt.number, fmt.money).literals

    # ---- words ---------------------------------------------------------------------------------
    def words(self, french: str) -> str:
        """A French text in the page's language, escaped; marked French when not translated yet."""
        if self.tr.translated(french):
            return esc(self.literals(self.tr.gettext(french)))
        return f'<span lang="fr" dir="ltr">{esc(Renderer().literals(french))}</span>'

    def ui(self, key: str) -> str:
        return self.words(UI[key])

    def count(self, key: str) -> str:
        """"<label> : <n>" as the widget writes it (evidence.js), the count in its own element."""
        label = self.tr.gettext(UI[key])
        before, _, after = (esc(part.replace("{label}", label)) for part in self.tr.gettext(UI["figure"]).partition("{value}"))
        mark = "" if self.tr.translated(UI[key]) else ' lang="fr" dir="ltr"'  # the words are the label's
        return f'<span{mark}>{before}<strong data-count="{esc(key)}">0</strong>{after}</span>'

    def option(self, value, french: str) -> str:
        """An <option>: text only inside, so the language mark goes on the element."""
        mark = "" if self.tr.translated(french) else ' lang="fr" dir="ltr"'
        return f'<option value="{esc(value)}"{mark}>{esc(self.literals(self.tr.gettext(french)))}</option>'

    def message(self, m: dict) -> str:
        return self.words(m["msgid"])  # form labels are plain texts (planner.messages.text)

    # ---- fields --------------------------------------------------------------------------------
    def field(self, q: dict, prefix: str) -> str:
        fid = f"{prefix}{q['id']}"
        help_id, err_id = f"{fid}-help", f"{fid}-err"
        label = self.message(q["label"])
        if q["required"]:
            label += f' <span class="gp-req">{self.ui("required_mark")}</span>'
        help_html = f'<p class="gp-help" id="{esc(help_id)}">{self.message(q["help"])}</p>' if q.get("help") else ""
        described = f' aria-describedby="{esc(help_id)}"' if q.get("help") else ""
        error = f'<p class="gp-error" id="{esc(err_id)}" hidden></p>'
        data = f' data-q="{esc(q["id"])}"'
        options = q.get("options")
        if q["type"] == "boolean" or (q["type"] == "choice" and len(options) <= RADIOS_UP_TO):
            choices = ([("true", self.ui("yes")), ("false", self.ui("no"))] if q["type"] == "boolean"
                       else [(o["value"], self.message(o["label"])) for o in options])
            required = " required" if q["required"] else ""
            radios = "".join(
                f'<div class="gp-radio"><input type="radio" name="{esc(q["id"])}" id="{esc(fid)}-{i}" '
                f'value="{esc(value)}"{required}><label for="{esc(fid)}-{i}">{text}</label></div>'
                for i, (value, text) in enumerate(choices))
            return (f'<fieldset class="gp-field gp-radios" id="{esc(fid)}"{data}{described}>'
                    f"<legend>{label}</legend>{radios}{help_html}{error}</fieldset>")
        common = f'id="{esc(fid)}" name="{esc(q["id"])}"{described}{" required" if q["required"] else ""}'
        if q["type"] in ("choice", "departement"):
            opts = "".join(self.option(o["value"], o["label"]["msgid"]) for o in options) if q["type"] == "choice" \
                else "".join(f'<option value="{esc(row["code"])}">{esc(row["code"])} – {esc(row["departement"])}</option>'
                             for row in self.bundle["tribunaux"]["departements"])
            control = f'<select {common}>{self.option("", UI["choose"])}{opts}</select>'
        elif q["type"] == "date":
            control = f'<input type="date" {common}>'
        elif q["type"] in ("amount", "integer"):  # sent as typed: the engine reads "25 000", refuses "25,000"
            mode = "decimal" if q["type"] == "amount" else "numeric"
            control = f'<input type="text" inputmode="{mode}" autocomplete="off" {common}>'
        else:
            control = (f'<input type="text" autocomplete="off" spellcheck="false" '
                       f'maxlength="{q.get("max_length", 500)}" {common}>')
        return f'<div class="gp-field"{data}><label for="{esc(fid)}">{label}</label>{control}{help_html}{error}</div>'

    # ---- sections ------------------------------------------------------------------------------
    def section(self, section: dict, procs: list[str], prefix: str, shown: bool) -> str:
        """A fieldset; a long section with nothing required, the done dates and an optional section are
        collapsed (<details>): the procedure's questions stay in view."""
        sid = section["id"]
        attrs = (f' data-section="{esc(sid)}" data-procedures="{esc(" ".join(procs))}"'
                 + (' data-optional=""' if section["optional"] else "") + ("" if shown else " hidden"))
        fields = "".join(self.field(q, prefix) for q in section["questions"])
        help_html = f'<p class="gp-help">{self.message(section["help"])}</p>' if section.get("help") else ""
        status = '<div class="gp-section-status" role="status"></div>' if section["optional"] else ""
        title = self.message(section["title"])
        qs = section["questions"]
        if section["optional"] or sid == model.DONE or (len(qs) > 3 and not any(q["required"] for q in qs)):
            head = f"{prefix}{sid}-title"
            cls = "gp-group gp-collapsible" + (" gp-optional" if section["optional"] else "")
            return (f'<details class="{cls}"{attrs}><summary id="{esc(head)}">{title}</summary>'
                    f'<div class="gp-group-body" role="group" aria-labelledby="{esc(head)}">'
                    f"{help_html}{fields}{status}</div></details>")
        return f'<fieldset class="gp-group"{attrs}><legend>{title}</legend>{help_html}{fields}{status}</fieldset>'

    def sections(self, pids: list[str]) -> str:
        """Every section of ``pids`` in display order: shared ones once, each procedure's own scoped to it."""
        procs = self.bundle["procedures"]
        rows: dict = {}  # key -> [section, procedures, prefix]
        forms = {pid: model.sections(self.bundle, procs[pid]) for pid in pids}
        for i in range(max(len(f) for f in forms.values())):
            for pid, sections in forms.items():
                if i >= len(sections):
                    continue
                s = sections[i]
                shared = s["id"] in self.bundle["questions"]
                key = s["id"] if shared else (pid, s["id"])
                prefix = "gp-" if shared or len(pids) == 1 else f"gp-{pid}-"
                rows.setdefault(key, [s, [], prefix])[1].append(pid)
        return "".join(self.section(s, ps, prefix, pids[0] in ps) for s, ps, prefix in rows.values())

    # ---- the whole widget ----------------------------------------------------------------------
    def widget(self, pids: list[str]) -> str:
        procs = self.bundle["procedures"]
        chooser = ""
        if len(pids) > 1:
            opts = "".join(self.option(p, procs[p]["title"]) for p in pids)
            chooser = (f'<div class="gp-field"><label for="gp-procedure">{self.ui("procedure")}</label>'
                       f'<select id="gp-procedure" name="procedure">{opts}</select></div>')
        ev = [("date", "date", ' required'), ("time", "time", ' required'),
              ("pref", "text", ' maxlength="120" autocomplete="off"'),
              ("note", "text", ' maxlength="500" autocomplete="off"')]
        ev_labels = {"date": "attempt_date", "time": "attempt_time", "pref": "attempt_prefecture", "note": "attempt_note"}
        ev_fields = "".join(f'<div class="gp-field"><label for="gp-ev-{k}">{self.ui(ev_labels[k])}</label>'
                            f'<input type="{t}" id="gp-ev-{k}"{extra}></div>' for k, t, extra in ev)
        heads = "".join(f"<th scope=\"col\">{self.ui(k)}</th>" for k in
                        ("attempt_date", "attempt_day", "attempt_time", "attempt_prefecture", "attempt_note"))
        return (
            f'<section class="gp" aria-labelledby="gp-title">'
            f'<h2 id="gp-title">{self.ui("title")}</h2><p class="gp-intro">{self.ui("intro")}</p>'
            f'<form class="gp-form" novalidate autocomplete="off">{chooser}<div class="gp-questions">{self.sections(pids)}</div>'
            f'<div class="gp-keep"><input type="checkbox" id="gp-keep" aria-describedby="gp-keep-help">'
            f'<label for="gp-keep">{self.ui("keep")}</label><p class="gp-help" id="gp-keep-help">{self.ui("keep_help")}</p></div>'
            f'<p class="gp-help gp-keep-shared" hidden>{self.ui("keep_shared")}</p>'
            f'<div class="gp-actions"><button type="submit" class="md-button md-button--primary gp-submit">'
            f'{self.ui("submit")}</button></div>'
            f'<progress class="gp-progress" max="1" hidden aria-label="{esc(self.tr.gettext(UI["loading"]))}"></progress>'
            f'<div class="gp-status" role="status"></div><p class="gp-form-error" role="alert" hidden></p>'
            f'<p class="gp-load-error" role="alert" data-kind="download" hidden>{self.ui("error_download")}</p>'
            f'<p class="gp-load-error" role="alert" data-kind="integrity" hidden>{self.ui("error_integrity")}</p></form>'
            f'<div class="gp-results"></div>'
            f'<section class="gp-evidence" aria-labelledby="gp-ev-title"><h3 id="gp-ev-title">{self.ui("evidence")}</h3>'
            f'<p class="gp-help">{self.ui("evidence_help")}</p>'
            f'<form class="gp-ev-add" novalidate autocomplete="off"><div class="gp-ev-row">{ev_fields}</div>'
            f'<p class="gp-error" id="gp-ev-err" role="alert" hidden></p>'
            f'<button type="submit" class="md-button">{self.ui("add_attempt")}</button></form>'
            f'<div class="gp-ev-summary"><p class="gp-ev-count">{self.count("attempts")}</p>'
            f'<div class="gp-ev-verdict"></div></div>'
            f'<div class="gp-ev-table-wrap"><table class="gp-ev-table" hidden><thead><tr>{heads}'
            f'<th scope="col"><span class="gp-visually-hidden">{self.ui("remove")}</span></th></tr></thead>'
            f"<tbody></tbody></table></div>"
            f'<p class="gp-ev-tools"><button type="button" class="md-button gp-export">{self.ui("export")}</button> '
            f'<label for="gp-ev-file" class="md-button gp-import" tabindex="0">{self.ui("import")}</label>'
            f'<input type="file" accept="application/json,.json" id="gp-ev-file" class="gp-visually-hidden" tabindex="-1"></p>'
            f'<div class="gp-ev-msg" role="status"></div></section>'
            f'<section class="gp-erase"><button type="button" class="md-button gp-forget" aria-expanded="false" '
            f'aria-controls="gp-confirm">{self.ui("forget")}</button>'
            f'<div class="gp-confirm" id="gp-confirm" hidden><p>{self.ui("forget_confirm")}</p>'
            f'<button type="button" class="md-button gp-forget-yes">{self.ui("forget_yes")}</button> '
            f'<button type="button" class="md-button gp-forget-no">{self.ui("forget_no")}</button></div>'
            f'<p class="gp-erase-status" role="status"></p></section></section>'
        )


def _mount_end(text: str, start: int) -> int:
    """Where the mount's own </div> starts (the mount may hold other divs)."""
    depth = 1
    for m in DIV.finditer(text, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.start()
    raise ValueError("the planner's mount point is not closed")


def write_into(page_html: str, writer: Writer) -> str:
    """The page with its mount point holding the form (again: an earlier form is replaced)."""
    page_html = GENERATED.sub("", page_html)
    m = MOUNT.search(page_html)
    if not m:
        return page_html
    pid = html.unescape(re.search(r'data-procedure="([^"]*)"', m.group(1)).group(1)) \
        if "data-procedure=" in m.group(1) else ""
    known = procedure_ids(writer.bundle)
    pids = [pid] if pid in known else known
    end = _mount_end(page_html, m.end())
    return page_html[:end] + BEGIN + writer.widget(pids) + END + page_html[end:]


def write_forms(site_dir: Path, bundle: dict, tr) -> int:
    """Write the form into every page of one language's site that has the mount point; returns how many."""
    writer, n = Writer(bundle, tr), 0
    for page in sorted(Path(site_dir).rglob("*.html")):
        if "assets" in page.relative_to(site_dir).parts:
            continue
        text = page.read_text(encoding="utf-8")
        if 'id="planner"' not in text:
            continue
        new = write_into(text, writer)
        if new != text:
            page.write_text(new, encoding="utf-8")
        n += 1
    return n
