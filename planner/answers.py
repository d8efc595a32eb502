"""Turn what a person typed into typed values, or into errors a form can show next to each field.

Amounts are read as people write them (``25000``, ``25 000``, ``25000,50``); ``25,000`` or ``25.000`` is
refused rather than read as 25 €, since a comma or a dot before exactly three digits is a thousands
separator in half of our languages and a decimal one in the other half.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from . import dates
from .messages import Invalid, N_, date_param, error

MAX_AMOUNT = 1_000_000_000
TRUE, FALSE = {"true", "yes", "oui", "1"}, {"false", "no", "non", "0"}
SPACES = re.compile(r"[\s\u00a0\u202f\u2009€]+")
DECIMAL = re.compile(r"^\d+(?:[.,]\d{1,2})?$")
GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?$")
# control characters (C1 and the line/paragraph separators too), bidirectional overrides and isolates,
# lone surrogates: never kept in typed text
# digits of the scripts our readers type in (Arabic-Indic, Persian, Bengali, Tamil) read as 0-9; the
# Arabic thousands separator is dropped and its decimal separator read as a comma
DIGITS = {**{zero + i: str(i) for zero in (0x660, 0x6F0, 0x9E6, 0xBE6, 0x966) for i in range(10)},
          0x66C: None, 0x66B: ","}
UNSAFE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


class Bad(Exception):
    """One field's error (the structured error dict is ``args[0]``)."""


def bad(code: str, field, msgid: str, **params) -> Bad:
    return Bad(error(code, field, msgid, **params))


def date_value(field, raw, low=None, high=None) -> dt.date:
    try:
        day = dates.parse(raw)
    except (ValueError, TypeError):
        shown = raw[:40] if isinstance(raw, str) else type(raw).__name__
        raise bad("date_invalide", field, N_("« {value} » n'est pas une date valide (attendu : AAAA-MM-JJ)."),
                  value=clean_text(shown)) from None
    if low and day < low or high and day > high:
        raise bad("date_hors_limites", field, N_("La date doit être comprise entre le {min} et le {max}."),
                  min=date_param(low or dt.date(1, 1, 1)), max=date_param(high or dt.date(9999, 12, 31)))
    return day


def boolean_value(field, raw) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in TRUE:
        return True
    if isinstance(raw, str) and raw.strip().lower() in FALSE:
        return False
    raise bad("oui_non_attendu", field, N_("Répondez par oui ou par non."))


def number_value(field, raw, kind: str, low=0, high=MAX_AMOUNT):
    """An amount (euros, cents allowed) or an integer, within [low, high]."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise bad("nombre_invalide", field, N_("Ce n'est pas un nombre."))
    if isinstance(raw, str):
        compact = SPACES.sub("", clean_text(raw).translate(DIGITS))
        negative = compact.startswith("-")
        digits = compact[1:] if negative else compact
        if kind == "amount" and GROUPED.match(digits) and not DECIMAL.match(digits):
            raise bad("separateur_milliers", field,
                      N_("Écrivez le montant sans point ni virgule entre les milliers, par exemple 25000 ou 25 000."))
        if not (DECIMAL.match(digits) if kind == "amount" else digits.isascii() and digits.isdigit()):
            raise bad("nombre_invalide", field, N_("« {value} » n'est pas un nombre."), value=clean_text(raw[:40]))
        if len(digits.lstrip("0")) > 15:
            raise bad("trop_grand", field, N_("La valeur doit être au plus {max}."), max=high)
        value = float(digits.replace(",", ".")) if kind == "amount" else int(digits)
        value = -value if negative else value
    else:
        if isinstance(raw, int) and abs(raw) > 10 ** 15:
            raise bad("trop_grand", field, N_("La valeur doit être au plus {max}."), max=high)
        value = raw
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise bad("nombre_invalide", field, N_("Ce n'est pas un nombre."))
    if kind == "integer" and value != int(value):
        raise bad("entier_attendu", field, N_("Indiquez un nombre entier."))
    if value < low:
        if kind == "amount":
            raise bad("montant_negatif", field, N_("Le montant ne peut pas être négatif."))
        raise bad("trop_petit", field, N_("La valeur doit être au moins {min}."), min=low)
    if value > high:
        raise bad("trop_grand", field, N_("La valeur doit être au plus {max}."), max=high)
    if kind == "integer":
        return int(value)
    return int(value) if float(value).is_integer() else round(float(value), 2)


def clean_text(value: str) -> str:
    """Typed text without control characters, bidi overrides or lone surrogates (they would reorder or
    hide what a letter prints)."""
    return UNSAFE_TEXT.sub("", value).strip()


def text_value(field, raw, max_length=500, pattern=None) -> str:
    if not isinstance(raw, str):
        raise bad("texte_attendu", field, N_("Un texte est attendu."))
    value = (" ".join(clean_text(raw).split()) if "\n" not in raw else clean_text(raw)).translate(DIGITS)
    if any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN") for ch in value):
        # every typed text goes into a letter in French: a name in another script cannot be read there
        raise bad("lettres_latines", field, N_("Écrivez-le en lettres latines, comme sur votre passeport : ce texte "
                                               "va dans une lettre en français."))
    if len(value) > max_length:
        raise bad("texte_trop_long", field, N_("Ce texte est trop long ({max} caractères au plus)."), max=max_length)
    if pattern and not re.fullmatch(pattern, value):
        raise bad("format_invalide", field, N_("Le format ne convient pas."))
    return value


def choice_value(field, raw, values) -> str:
    if not isinstance(raw, str) or raw not in values:
        raise bad("choix_invalide", field, N_("Choisissez une des réponses proposées."))
    return raw


def departement_value(field, raw, codes) -> str:
    code = str(raw).strip().upper().zfill(2) if isinstance(raw, (str, int)) and not isinstance(raw, bool) else None
    if code not in codes:
        shown = raw[:10] if isinstance(raw, str) else type(raw).__name__
        raise bad("departement_inconnu", field, N_("Département inconnu : « {value} »."), value=clean_text(shown))
    return code


def today(answers) -> dt.date:
    """The day the plan is computed for: ``answers["today"]`` (tests, volunteers) or the clock."""
    raw = answers.get("today") if isinstance(answers, dict) else None
    if raw in (None, ""):
        return dt.date.today()
    try:
        return date_value("today", raw, dt.date(1990, 1, 1), dt.date(2100, 12, 31))
    except Bad as err:
        raise Invalid([err.args[0]]) from None
