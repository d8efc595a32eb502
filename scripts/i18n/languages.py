"""The languages the guide knows about: name in the language itself, direction, Material theme code.

A language is built when it is French (the source) or when it has a catalog at
rules/locales/<code>/LC_MESSAGES/guichet.po.
"""
from __future__ import annotations

from pathlib import Path

SOURCE = "fr"

# code -> (native name, direction, Material theme language or None when Material lacks it)
LANGUAGES: dict[str, tuple[str, str, str | None]] = {
    "fr": ("Français", "ltr", "fr"),
    "en": ("English", "ltr", "en"),
    "ar": ("العربية", "rtl", "ar"),
    "fa": ("دری (فارسی)", "rtl", "fa"),
    "ps": ("پښتو", "rtl", None),
    "es": ("Español", "ltr", "es"),
    "pt": ("Português", "ltr", "pt"),
    "ru": ("Русский", "ltr", "ru"),
    "uk": ("Українська", "ltr", "uk"),
    "zh": ("简体中文", "ltr", "zh"),
    "tr": ("Türkçe", "ltr", "tr"),
    "bn": ("বাংলা", "ltr", "bn"),
    "ta": ("தமிழ்", "ltr", "ta"),
}


# The one sentence that invites a reader to the guide in their own language, written in that language:
# shown on the home page of every other language when the browser prefers it (like the native names
# above, it is read by people who do not read the page's language). Not yet reviewed by native speakers.
INVITATIONS: dict[str, str] = {
    "fr": "Ce guide existe en français",
    "en": "This guide is available in English",
    "ar": "هذا الدليل متوفر باللغة العربية",
    "fa": "این رهنما به دری (فارسی) هم موجود است",
    "ps": "دا لارښود په پښتو ژبه هم شته",
    "es": "Esta guía está disponible en español",
    "pt": "Este guia está disponível em português",
    "ru": "Это руководство есть на русском языке",
    "uk": "Цей посібник є українською мовою",
    "zh": "本指南有简体中文版",
    "tr": "Bu rehber Türkçe olarak da var",
    "bn": "এই নির্দেশিকাটি বাংলাতেও আছে",
    "ta": "இந்த வழிகாட்டி தமிழிலும் உள்ளது",
}


def invitations(codes, current: str) -> list[dict]:
    """Links to the guide in each other built language, each worded in its own language."""
    return [{"code": c, "name": name(c), "dir": direction(c), "text": INVITATIONS.get(c, name(c))}
            for c in codes if c != current]


def name(code: str) -> str:
    return LANGUAGES.get(code, (code, "ltr", None))[0]


def direction(code: str) -> str:
    return LANGUAGES.get(code, (code, "ltr", None))[1]


def theme_language(code: str) -> str:
    """Material's language code; a missing one falls back to our override partials/languages/<code>.html."""
    theme = LANGUAGES.get(code, (code, "ltr", None))[2]
    return theme or code


def available(locales: Path) -> list[str]:
    """French first, then every language with a catalog, in the order of LANGUAGES."""
    found = {p.parent.parent.name for p in locales.glob("*/LC_MESSAGES/guichet.po")}
    ordered = [c for c in LANGUAGES if c == SOURCE or c in found]
    return ordered + sorted(found - set(ordered))
