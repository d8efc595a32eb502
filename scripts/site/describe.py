"""Plain-language descriptions of rule data for the static pages (no JavaScript needed):
when a step happens, when it applies, what it costs, the letters with blanks.

Everything returned is Markdown-safe text in the page's language; French rule text goes through the
translator (and falls back to French with a notice when not translated).
"""
from __future__ import annotations

import html
import re
from datetime import date

PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")


class Describer:
    def __init__(self, bundle: dict, tr, fmt, esc):
        self.bundle, self.tr, self.fmt, self.esc = bundle, tr, fmt, esc
        self._ = tr.gettext
        self.today = date.today().isoformat()

    # ------------------------------------------------------------ lookups
    def param(self, name: str) -> dict:
        params = self.bundle.get("parameters") or {}
        if name in params:
            return params[name]
        short = name.split(".")[-1]
        for key, p in params.items():
            if key.split(".")[-1].split("/")[-1] == short:
                return p
        return {}

    def value_in_force(self, name: str, on: str | None = None):
        p = self.param(name)
        vals = p.get("values") or []
        if isinstance(vals, dict):
            vals = [dict(v, date=k) for k, v in vals.items()]
        current = None
        for v in sorted(vals, key=lambda v: str(v.get("date"))):
            if str(v.get("date")) <= (on or self.today):
                current = v
        return current

    def questions(self, proc: dict) -> dict:
        out = {}
        shared = self.bundle.get("questions") or {}
        for set_id in proc.get("uses") or []:
            for q in (shared.get(set_id) or {}).get("questions") or []:
                out[q["id"]] = q
        for q in proc.get("questions") or []:
            out[q["id"]] = q
        return out

    # ------------------------------------------------------------ durations and values
    def duration(self, value) -> str:
        if not isinstance(value, dict):
            return self.format_value(value)
        parts = []
        if value.get("years") is not None:
            parts.append(self.tr.ngettext("%(n)s an", "%(n)s ans", value["years"]) % {"n": value["years"]})
        if value.get("months") is not None:
            parts.append(self.tr.ngettext("%(n)s mois", "%(n)s mois", value["months"]) % {"n": value["months"]})
        if value.get("weeks") is not None:
            parts.append(self.tr.ngettext("%(n)s semaine", "%(n)s semaines", value["weeks"]) % {"n": value["weeks"]})
        if value.get("days") is not None:
            parts.append(self.tr.ngettext("%(n)s jour", "%(n)s jours", value["days"]) % {"n": value["days"]})
        return " ".join(parts)

    def format_value(self, value, unit: str = "") -> str:
        if isinstance(value, dict):
            return self.duration(value)
        if isinstance(value, bool):
            return self._("oui") if value else self._("non")
        if isinstance(value, (int, float)):
            if unit.startswith("EUR"):
                return self.fmt.money(value)
            if unit == "ratio":
                return self.fmt.number(value)
            return self.fmt.number(value)
        if value is None:
            return "—"
        return self.esc(self._(str(value)))

    def param_text(self, ref: dict | str) -> str:
        name = ref.get("param") if isinstance(ref, dict) else ref
        v = self.value_in_force(name)
        p = self.param(name)
        return self.format_value(v.get("value") if v else None, p.get("unit", ""))

    # ------------------------------------------------------------ anchors, timing, conditions
    def anchor(self, proc: dict, ref) -> str:
        if isinstance(ref, dict):
            base = self.anchor(proc, ref.get("from"))
            if "plus" in ref:
                return self._("%(duree)s après %(ancre)s") % {"duree": self.param_text(ref["plus"]), "ancre": base}
            if "minus" in ref:
                return self._("%(duree)s avant %(ancre)s") % {"duree": self.param_text(ref["minus"]), "ancre": base}
            return base
        ref = str(ref)
        name, _, edge = ref.partition(".")
        steps = {s["id"]: s for s in proc.get("steps") or []}
        if name in steps:
            return self._("l'étape « %(etape)s »") % {"etape": f"[{self.esc(self._(steps[name]['title']))}](#etape-{name})"}
        periods = proc.get("periods") or {}
        if name in periods:
            label = self.esc(self._(periods[name].get("label", name)))
            if edge == "start":
                return self._("le début de la « %(periode)s »") % {"periode": label}
            if edge == "end":
                return self._("la fin de la « %(periode)s »") % {"periode": label}
            return label
        q = self.questions(proc).get(name)
        if q:
            return self._("la date indiquée : « %(question)s »") % {"question": self.esc(self._(q.get("label", name)))}
        return self.esc(ref)

    def when(self, proc: dict, step: dict) -> str:
        w = step.get("when") or {}
        if "period" in w:
            text = self._("Pendant la « %(periode)s ».") % {"periode": self.anchor(proc, w["period"])}
        elif "by" in w:
            text = self._("Au plus tard : %(ancre)s.") % {"ancre": self.anchor(proc, w["by"])}
        elif "at" in w or "on" in w:
            at = w.get("at", w.get("on"))
            if isinstance(at, dict) and ("plus" in at or "minus" in at):
                text = self._("Quand : %(ancre)s.") % {"ancre": self.anchor(proc, at)}
            else:
                text = self._("Dès %(ancre)s.") % {"ancre": self.anchor(proc, at)}
        elif "after" in w:
            text = self._("Après %(ancre)s.") % {"ancre": self.anchor(proc, w["after"])}
        else:
            return ""
        if w.get("extends_to_working_day"):
            text += " " + self._("Un délai qui finit un samedi, un dimanche ou un jour férié est prolongé au jour ouvré suivant.")
        return text

    def condition(self, proc: dict, cond) -> str:
        if not cond:
            return ""
        qs = self.questions(proc)
        parts = []
        for key, val in cond.items():
            if key == "today_after":
                parts.append(self._("si la date du jour est après %(ancre)s") % {"ancre": self.anchor(proc, val)})
            elif key in ("answered", "unanswered"):
                label = self.esc(self._(qs.get(val, {}).get("label", val)))
                parts.append((self._("si vous avez répondu à « %(question)s »") if key == "answered"
                              else self._("si vous n'avez pas répondu à « %(question)s »")) % {"question": label})
            elif key in qs:
                q = qs[key]
                label = self.esc(self._(q.get("label", key)))
                shown = self.format_value(val)
                for opt in q.get("options") or []:
                    if opt.get("value") == val:
                        shown = self.esc(self._(opt.get("label", val)))
                parts.append(self._("si « %(question)s » : %(reponse)s") % {"question": label, "reponse": shown})
            else:
                parts.append(self.esc(f"{key}: {val}"))
        return self._("Seulement %(conditions)s.") % {"conditions": " ; ".join(parts)}

    def figures(self, proc: dict, item: dict) -> list[str]:
        """The parameters shown with a step or a warning (fees, durations), with today's value."""
        out = []
        for f in item.get("figures") or item.get("costs") or []:
            p = self.param(f.get("param", ""))
            line = self._("%(quoi)s : %(valeur)s") % {
                "quoi": self.esc(self._(p.get("description", f.get("param", "")))), "valeur": self.param_text(f)}
            cond = self.condition(proc, f.get("only_if"))
            out.append(f"{line} ({cond[:-1] if cond.endswith('.') else cond})" if cond else line)
        return out

    def step_text(self, step: dict, text: str) -> str:
        return self.esc(self._(text))

    def produces(self, item: str) -> str:
        return self.esc(self._(self.bundle["evidence"]["documents"][item]["label"]))

    # ------------------------------------------------------------ letters
    def letter(self, tpl: dict, proc: dict, text: str, translate: bool = False) -> str:
        """HTML of one letter field with its blanks: French by default (what the préfecture reads)."""
        letter = proc.get("letter") or {}
        fills = {"objet": letter.get("object"), "situation": letter.get("situation"), "demande": letter.get("request")}
        qs = self.questions(proc)
        labels = tpl.get("placeholders") or {}
        get = self._ if translate else (lambda s: s)

        def blank(name: str) -> str:
            label = labels.get(name) or qs.get(name, {}).get("label") or name
            return f'<span class="g-blank">[{html.escape(get(label))}]</span>'

        def fill(s: str, depth: int = 0) -> str:
            out, pos = [], 0
            for m in PLACEHOLDER.finditer(s):
                out.append(html.escape(s[pos:m.start()]))
                name = m.group(1)
                if fills.get(name) and depth == 0:
                    out.append(fill(get(fills[name]), depth + 1))
                else:
                    out.append(blank(name))
                pos = m.end()
            out.append(html.escape(s[pos:]))
            return "".join(out)
        return fill(get(text))

    def produces_all(self, items) -> str:
        return ", ".join(self.produces(i) for i in items or [])

    def values_of(self, p: dict) -> list[dict]:
        vals = p.get("values") or []
        if isinstance(vals, dict):
            vals = [dict(v, date=k) for k, v in vals.items()]
        return sorted(vals, key=lambda v: str(v.get("date")))
