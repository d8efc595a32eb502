"""The widget's message renderer (overrides/assets/planner/messages.js, in Node) writes every message of
the engine's answers exactly as planner.messages.Renderer does with the same catalog: the same
translation looked up, the same plural form picked (Intl.PluralRules mapped at build time to the
catalog's Plural-Forms, scripts/web/planner_bundle.plural_map), the same nesting, blanks and fallback
to the French when a translation does not fit its parameters. Dates, numbers and money are given the
same stand-in formats on both sides: each language's own formats are Intl's and Babel's business."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from scripts.web import vectors

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("fr", "en", "ar", "fa", "uk", "ru", "pt", "zh", "bn")
NODE = """
import { readFileSync, writeFileSync } from "node:fs";
const { Renderer } = await import(process.argv[2]);
const input = JSON.parse(readFileSync(process.argv[3], "utf8"));
const out = {};
for (const [lang, c] of Object.entries(input.langs)) {
  const formats = {
    date: (iso) => `D<${iso}>`, number: (n) => `N<${n}>`, money: (n) => `M<${n}>`,
    plural: new Intl.PluralRules(c.locale),
  };
  const r = new Renderer(lang, { catalog: c.catalog, plural: c.plural, units: input.units }, formats);
  out[lang] = input.messages.map((m) => r.text(m));
}
writeFileSync(process.argv[4], JSON.stringify(out));
"""


def _messages(node, out):
    """Every message object in an answer (nested ones are rendered through their parents too)."""
    if isinstance(node, dict):
        if "msgid" in node and "params" in node:
            out.append(node)
        for v in node.values():
            _messages(v, out)
    elif isinstance(node, list):
        for v in node:
            _messages(v, out)
    return out


def _number(n) -> str:
    return str(int(n)) if float(n).is_integer() else repr(n)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from planner import api
    from planner.messages import UNITS, Renderer, msg, plural, text
    from scripts.i18n.catalogs import Translator
    from scripts.rules import load_rules
    from scripts.site.formatting import LOCALES
    from scripts.web.planner_bundle import catalog_of, plural_map

    bundle = load_rules(ROOT / "rules")
    messages = []
    attempts = [{"date": "2026-11-03", "time": "08:05", "prefecture": "Bobigny"}, {"date": "2026-11-12", "time": "17:40"}]
    letters = [{"command": "letters", "procedure": pid, "attempts": attempts, "done": {"courriel-1": "2026-11-02"},
                "answers": {"today": "2026-11-29", "expiration": "2027-02-12", "anef": "false", "nom": "Zed"}}
               for pid in bundle["procedures"]]  # documents with blanks: facts not given
    for request in [*vectors.requests(bundle), *letters]:
        _messages(api.run(bundle, request), messages)
    # every plural form of every language, and translations that do not fit their parameters
    messages += [plural("{n} jour", "{n} jours", n) for n in [*range(0, 130), 1000, 1001, 10 ** 6]]
    messages += [msg("{n} mois", n=3), {"msgid": "Ce champ est obligatoire.", "params": {}, "text": ""},
                 text("Depuis le {date:2024-05-29}, {euros:180} dus sous {jours:120} ; {semaines:1}, {mois:4}, {ans:2}."),
                 msg("Le {jour} et le {date:2026-01-01} {{littéral}}", jour={"date": "2026-02-03"})]
    # a translation that cannot be read (a positional field) shows the French; one naming a parameter
    # the message lacks keeps the placeholder as it is, as the engine's renderer does
    broken = {"messages": {"Nom": "{} Nom", "Prénom": "{inconnu} Prénom"},
              "plurals": {"{n} semaine": ["{n}", "{x}", "{n}"]}}
    messages += [msg("Nom"), msg("Prénom"), *(plural("{n} semaine", "{n} semaines", n) for n in range(0, 12))]
    tmp = tmp_path_factory.mktemp("renderer")
    langs, python = {}, {}
    for lang in LANGS:
        tr = Translator.load(ROOT / "rules", lang)
        if lang != "fr":  # the same broken entries on both sides
            for msgid, translation in broken["messages"].items():
                tr.messages[msgid] = (translation, False)
            tr.messages[("{n} semaine", "{n} semaines")] = (tuple(broken["plurals"]["{n} semaine"]), False)
        langs[lang] = {"catalog": catalog_of(tr), "plural": plural_map(tr), "locale": LOCALES.get(lang, lang).replace("_", "-")}
        r = Renderer(tr.gettext, tr.ngettext, date_format=lambda iso: f"D<{iso}>",
                     number_format=lambda n: f"N<{_number(n)}>", money_format=lambda n: f"M<{_number(n)}>")
        python[lang] = [r.message(m) for m in messages]
    (tmp / "in.json").write_text(json.dumps({"langs": langs, "units": UNITS, "messages": messages}, ensure_ascii=False),
                                 encoding="utf-8")
    (tmp / "run.mjs").write_text(NODE, encoding="utf-8")
    module = (ROOT / "overrides" / "assets" / "planner" / "messages.js").as_uri()
    proc = subprocess.run(["node", str(tmp / "run.mjs"), module, str(tmp / "in.json"), str(tmp / "out.json")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return messages, python, json.loads((tmp / "out.json").read_text(encoding="utf-8"))


def test_there_are_messages_of_every_kind(rendered):
    messages, _, _ = rendered
    text = json.dumps(messages)
    assert len(messages) > 500
    for kind in ('"date"', '"money"', '"duration"', '"blank"', '"plural"'):
        assert kind in text, kind


@pytest.mark.parametrize("lang", LANGS)
def test_javascript_renders_as_python(rendered, lang):
    messages, python, js = rendered
    diff = [(m["msgid"][:60], p, j) for m, p, j in zip(messages, python[lang], js[lang]) if p != j]
    assert not diff, diff[:5]


def test_a_translation_that_cannot_be_read_shows_the_french(rendered):
    messages, python, js = rendered
    i = next(i for i, m in enumerate(messages) if m["msgid"] == "Nom")
    assert js["uk"][i] == "Nom" == python["uk"][i]
    i = next(i for i, m in enumerate(messages) if m["msgid"] == "Prénom")
    assert js["uk"][i] == "{inconnu} Prénom" == python["uk"][i]


def test_dates_as_the_pages_write_them(tmp_path):
    """The widget's own date format agrees with the pages' (Babel, scripts/site/formatting.Formatter): « 1er »
    in French as in the letters, British English, the Babel CLDR pattern for a locale the runtime lacks."""
    from scripts.site.formatting import Formatter
    from scripts.web.planner_bundle import cldr_dates
    days = ["2026-12-01", "2027-03-15"]
    script = tmp_path / "dates.mjs"
    script.write_text(
        'const { intlFormats } = await import(process.argv[2]);\n'
        'const [langs, days] = JSON.parse(process.argv[3]);\n'
        'console.log(JSON.stringify(langs.map(([locale, cldr]) => days.map((d) => intlFormats(locale, cldr).date(d)))));\n',
        encoding="utf-8")
    # (page language, the locale the manifest gives, its CLDR data); qq: no runtime has it, so the CLDR data is used
    langs = [("fr", "fr", "fr"), ("en", "en-GB", "en_GB"), ("ps", "qq", "ps")]
    arg = json.dumps([[[locale, cldr_dates(cldr)] for _, locale, cldr in langs], days])
    module = (ROOT / "overrides" / "assets" / "planner" / "messages.js").as_uri()
    out = json.loads(subprocess.run(["node", str(script), module, arg], capture_output=True, text=True, check=True).stdout)
    space = lambda s: " ".join(s.split())  # noqa: E731  (CLDR versions differ on no-break spaces)
    for (lang, _, _), written in zip(langs, out):
        assert [space(w) for w in written] == [space(Formatter(lang).date(d)) for d in days], lang
    assert out[0][0] == "1er décembre 2026" and out[1][0] == "1 December 2026"


def test_a_date_ending_with_a_period_ends_the_sentence_once(tmp_path):
    """Ukrainian and Russian long dates end with « р. » / « г. »: before a sentence's own period the
    widget and the pages write one period, never « р.. »."""
    from planner.messages import Renderer as PyRenderer, msg
    from scripts.site.formatting import Formatter
    catalog = {"La période s'est terminée le {fin}. Déposez depuis le {date:2024-05-29}.":
               "Період закінчився {fin}. Подавайте з {date:2024-05-29}."}
    m = msg("La période s'est terminée le {fin}. Déposez depuis le {date:2024-05-29}.", fin={"date": "2026-11-20"})
    script = tmp_path / "period.mjs"
    script.write_text(
        'const { Renderer } = await import(process.argv[2]);\n'
        'const [catalog, m] = JSON.parse(process.argv[3]);\n'
        'console.log(new Renderer("uk", { catalog: { messages: catalog }, locale: "uk" }).text(m));\n', encoding="utf-8")
    module = (ROOT / "overrides" / "assets" / "planner" / "messages.js").as_uri()
    widget = subprocess.run(["node", str(script), module, json.dumps([catalog, m])], capture_output=True, text=True,
                            check=True).stdout.strip()
    pages = PyRenderer(catalog.get, date_format=Formatter("uk").date).message(m)
    for written in (" ".join(widget.split()), " ".join(pages.split())):  # CLDR versions differ on no-break spaces
        assert ".." not in written and written.startswith("Період закінчився 20 листопада 2026 р. Подавайте"), written
        assert written.endswith("2024 р."), written
