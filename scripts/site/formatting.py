"""Dates, amounts and numbers in the page's language (Babel), and rule text made safe for Markdown."""
from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from markupsafe import Markup, escape

MD_SPECIAL = re.compile(r"([*_`\\])")


def _as_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def md_escape(text) -> Markup:
    """Text into Markdown/HTML: no raw HTML (``&<>"'`` escaped), no accidental emphasis. ``Markup``, text
    already made safe for the page, is kept as it is."""
    if hasattr(text, "__html__"):
        return Markup(text)
    return Markup(MD_SPECIAL.sub(r"\\\1", str(escape(text))))


# The CLDR locale of a language code where the bare code is not the one our readers use: Persian is
# written Dari-first (Afghan month names, « دسمبر » not Iran's « دسامبر »), Chinese is Simplified.
LOCALES = {"zh": "zh_Hans", "fa": "fa_AF", "en": "en_GB"}  # en: the British way (30 November 2026), read in Europe


class Formatter:
    def __init__(self, lang: str):
        self.lang = lang
        self.locale = LOCALES.get(lang, lang)

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
