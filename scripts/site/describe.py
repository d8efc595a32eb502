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

    # The rule language changed (issue 15): timing, conditions and figures are put into words by the
    # engine (planner.explain) and written in the page's language here. Stopgap until the static pages'
    # rewrite lands; the widget's branch needs a site that builds.
    def _explain(self, proc: dict):
        from planner.explain import Describer as Explain
        return Explain(self.bundle, proc, date.fromisoformat(self.today))

    def _words(self, message: dict) -> str:
        from planner.messages import Renderer
        return self.esc(Renderer(self.tr.gettext, self.tr.ngettext, self.fmt.date, self.fmt.number,
                                 self.fmt.money).message(message))

    def when(self, proc: dict, step: dict) -> str:
        return self._words(self._explain(proc).when(step)) if step.get("when") else ""

    def condition(self, proc: dict, cond) -> str:
        if not cond:
            return ""
        from planner.messages import N_, msg
        return self._words(msg(N_("Seulement si {condition}."), condition=self._explain(proc).condition(cond)))

    def figures(self, proc: dict, item: dict) -> list[str]:
        """The parameters shown with a step or a warning (fees, durations), with today's value."""
        from planner.messages import N_, msg
        explain = self._explain(proc)
        out = []
        for node in item.get("figures") or []:
            f = explain.figure(node)
            line = msg(N_("{label} : {value}"), label=f["label"], value=f["shown"])
            out.append(self._words(msg(N_("{figure} ({condition})"), figure=line, condition=f["condition"])
                                   if "condition" in f else line))
        return out

    def step_text(self, step: dict, text: str) -> str:
        return self.esc(self._(text))

    def produces(self, item) -> str:
        """A document a step produces: its id, or ``{document, if}`` when it depends on an answer."""
        doc = item if isinstance(item, str) else item["document"]
        return self.esc(self._(self.bundle["evidence"]["documents"][doc]["label"]))

    # ------------------------------------------------------------ letters
    def letter(self, tpl: dict, proc: dict, text, translate: bool = False) -> str:
        """HTML of one letter field with its blanks: French by default (what the préfecture reads)."""
        if isinstance(text, list):  # a field is now a list of parts: stopgap, the unconditional ones
            return "\n\n".join(self.letter(tpl, proc, part, translate) for part in text if isinstance(part, str))
        letter = proc.get("letter") or {}
        fills = {k: letter.get(v) if isinstance(letter.get(v), str) else None
                 for k, v in (("objet", "object"), ("situation", "situation"), ("demande", "request"))}
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
