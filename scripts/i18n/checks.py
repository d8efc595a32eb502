"""What a translation may hold: the placeholders and the markup of its French text, nothing more.

A translation is text. It lands in Markdown, in HTML text and attributes, in ``<title>`` and in a page's
front matter; the site escapes it everywhere (scripts/site/pages.py), and this check refuses, before
anything is rendered, a translation that tries to be more than text or that would break its formatting:

- a placeholder its French text does not have (``%(x)s``, ``{x}``, ``{x!r}``, ``{: onclick=…}``), a
  ``%`` that is not ``%%`` in a text formatted with ``%``, or one it drops;
- markup its French text does not have: ``<`` (tags, ``</title>``, autolinks), a Markdown link or
  image or a link target the French does not have, ``javascript:``/``data:``/``vbscript:``, a URL, a
  table cell separator ``|``, a new line where the French has none (front matter, headings, admonitions).

Used by the build (``Translator.load``) and by ``python -m scripts.i18n merge``, so a bad translation
is refused with its catalog file and line wherever it comes from.
"""
from __future__ import annotations

import re
from collections import Counter

NAME = r"[a-zA-Z_][a-zA-Z0-9_]*"
PERCENT_FIELD = re.compile(rf"%\({NAME}\)[sd]")
PERCENT_ANY = re.compile(rf"%%|%\({NAME}\)[sd]|%")
BRACE_FIELD = re.compile(r"\{[^{}]*\}")
BRACE_NAME = re.compile(rf"\{{{NAME}\}}")
MARKUP = re.compile(r"<|!\[|\]\([^)]*\)|\]\[|\[\^|\||\\|://|\b(?:java|vb)script\s*:|\bdata\s*:\s*\w+/|\n", re.I)


def percent_formatted(msgid: str) -> bool:
    """A text formatted with ``%`` (the pages' templates and helpers): it uses ``%(name)s`` or ``%%``."""
    return "%%" in msgid or bool(PERCENT_FIELD.search(msgid))


def placeholders(text: str) -> set:
    """``%(name)s`` and every ``{…}`` group, each as written (a format spec or conversion included)."""
    return set(PERCENT_FIELD.findall(text) + BRACE_FIELD.findall(text))


def _markup(text: str) -> Counter:
    out = Counter(m.group(0).lower().replace(" ", "") for m in MARKUP.finditer(text))
    stray = BRACE_FIELD.sub("", text)
    out.update(c for c in stray if c in "{}")
    return out


def problems(msgid, msgstr) -> list[str]:
    """Why ``msgstr`` cannot stand for ``msgid`` (empty: it can). A plural message is a tuple of
    (singular, plural) and a tuple of forms; each form may use what either French text has."""
    ids = [msgid] if isinstance(msgid, str) else list(msgid)
    forms = [msgstr] if isinstance(msgstr, str) else list(msgstr)
    allowed_fields = set()
    allowed_markup = Counter()
    for source in ids:
        allowed_fields |= placeholders(source)
        allowed_markup |= _markup(source)
    out = []
    for form in forms:
        extra = placeholders(form) - allowed_fields
        if extra:
            out.append(f"adds placeholder(s) its French text does not have: {', '.join(sorted(extra))}")
        markup = _markup(form) - allowed_markup
        if markup:
            shown = ", ".join(repr(m) for m in sorted(markup))
            out.append(f"adds markup its French text does not have: {shown} (a translation is text)")
        if any(percent_formatted(s) for s in ids):
            stray = [m.group(0) for m in PERCENT_ANY.finditer(form) if m.group(0) == "%"]
            if stray:
                out.append("has a '%' that is not a placeholder: write '%%' for a percent sign")
    if isinstance(msgid, str):
        dropped = placeholders(msgid) - placeholders(msgstr)
        if dropped:
            out.append(f"drops placeholder(s) {', '.join(sorted(dropped))}")
    return out
