"""The engine's words on the static pages: each procedure described by ``planner.explain`` and the
letters modelled by ``planner.letters``, written in the page's language.

No rule is read here: the engine puts the rules into messages, this module only translates and formats
them (the catalog, Babel's formats) and makes them safe for Markdown. The widget does the same in the
browser, so a page and a plan cannot word the same rule differently.
"""
from __future__ import annotations

import html
import re
from datetime import date

from markupsafe import Markup

from planner import explain, letters
from planner.params import value_at
from planner.messages import FRENCH, Renderer, text
from scripts.site.formatting import md_escape


BLANK = re.compile(r"\[[^\[\]\n]+\]")


def letter_html(french: str) -> Markup:
    """A document's text for a ``white-space: pre-wrap`` block: escaped, each [blank] marked."""
    return Markup(BLANK.sub(lambda m: f'<span class="g-blank">{m.group(0)}</span>', html.escape(french, quote=False)))


class PageText:
    """Messages in one language, as Markdown-safe text (or, for a document's block, escaped HTML)."""

    def __init__(self, tr, fmt):
        self.tr = tr
        self.renderer = Renderer(tr.gettext, tr.ngettext, fmt.date, fmt.number, fmt.money)

    def plain(self, message) -> str:
        if message is None:
            return ""
        if isinstance(message, str):
            message = text(message)
        if not (isinstance(message, dict) and "msgid" in message):
            return self.renderer.param(message)
        shown = self.renderer.message(message)  # also records a fallback for the page's notice
        key = (message["msgid"], message["plural"]) if "plural" in message else message["msgid"]
        # French words not translated yet take French dates too (« le 20 novembre 2026. »)
        return shown if self.tr.translated(key) else FRENCH.message(message)

    def __call__(self, message) -> Markup:
        """A message, or a typed parameter (a date, an amount, a duration), in the page's language."""
        return Markup(md_escape(self.plain(message)))

    def html(self, message) -> Markup:
        return letter_html(self.plain(message))


class Procedure:
    """What the procedure page shows of one procedure, on ``day`` (the values in force that day)."""

    def __init__(self, bundle: dict, proc: dict, day: date):
        self.proc, self.day = proc, day
        self.words = explain.Describer(bundle, proc, day)
        self.documents = [(variant, letters.model(bundle, proc["id"], day, variant))
                          for variant in letters.variants(proc)]

    def when(self, step: dict) -> dict:
        return self.words.when(step)

    def condition(self, cond) -> dict | None:
        return self.words.condition(cond) if cond else None

    def warning(self, warning: dict) -> dict:
        return self.words.warning(warning)

    def figures(self, item: dict) -> list[dict]:
        return [self.words.figure(node) for node in item.get("figures", [])]

    def variant_condition(self, variant: dict) -> dict | None:
        """The answer that selects a letter variant, in words (None for the default)."""
        if not variant:
            return None
        (qid, value), = variant.items()
        return self.words.condition({"answer": qid, "is": value})

    def evidence(self) -> dict:
        """The evidence thresholds in force on ``day``, as typed parameters."""
        return {key: self.words.duration(node) if key == "min_span" else
                value_at(self.words.rules, node["param"], self.day)[0]
                for key, node in self.proc["evidence"].items() if key != "period"}
