"""Dates, amounts and numbers in the page's language (Babel), and rule text made safe for Markdown."""
from __future__ import annotations

import html
import re
from datetime import date

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal


def _as_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def md_escape(text) -> str:
    """Rule text into Markdown/HTML: no raw HTML from the rules, no accidental emphasis."""
    s = html.escape(str(text), quote=False)
    return re.sub(r"([*_`\\])", r"\\\1", s)


class Formatter:
    def __init__(self, lang: str):
        self.lang = lang
        self.locale = lang if lang != "zh" else "zh_Hans"

    def date(self, value, fmt: str = "long") -> str:
        d = _as_date(value)
        return format_date(d, fmt, locale=self.locale) if d else str(value or "")

    def money(self, value) -> str:
        if value is None:
            return "—"
        s = format_currency(value, "EUR", locale=self.locale)
        return re.sub(r"[.,٫]00(?!\d)", "", s) if float(value).is_integer() else s

    def number(self, value) -> str:
        return format_decimal(value, locale=self.locale)
