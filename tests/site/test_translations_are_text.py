"""A translation is text (issue 14, point 2). A msgstr that carries markup its French text does not
have, or a placeholder it does not have, is refused with its catalog file and line, by the build and
by ``python -m scripts.i18n merge``. Should one get past that check, the pages escape it wherever it
lands (Markdown, HTML, <title>, front matter, the navigation, the theme's strings), and the
Content-Security-Policy allows only the inline scripts the templates write, never an injected one.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from scripts.build import build
from scripts.i18n import catalogs
from scripts.i18n.catalogs import CatalogError, Translator
from scripts.rules import load_rules
from scripts.site import overlay, pages
from scripts.web import csp
from tests.conftest import ROOT, parse

HOME = "Obtenir un rendez-vous en préfecture"          # the home page's title (front matter and <h1>)
STEPS = "Liste des étapes"                             # a heading of every procedure page
VERIFIED = "Règles vérifiées le %(date)s."             # a template text with a placeholder
LETTER = "{ville}, le {date_envoi}"                    # a rule text with placeholders (a letter)
SCRIPT = "<script>window.__injected=1</script>"


def _rules_with(tmp_path, translations: dict) -> tuple[Path, dict]:
    """A copy of rules/ whose English catalog says ``translations`` ({msgid: msgstr}); returns the
    rules folder and the line of each changed message in guichet.po."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    po = catalogs.po_path(rules, "en")
    with open(po, "rb") as fh:
        cat = read_po(fh, locale="en")
    for msgid, msgstr in translations.items():
        cat[msgid].string = msgstr
        cat[msgid].flags.discard("fuzzy")
    catalogs.write_catalog(cat, po, catalogs.review_status(po))
    with open(po, "rb") as fh:
        lines = {m.id: m.lineno for m in read_po(fh, locale="en") if m.id in translations}
    return rules, lines


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# ---------------------------------------------------------------- refused, with the file and line

def test_script_in_a_translation_stops_the_build_and_keeps_the_site(tmp_path):
    rules, lines = _rules_with(tmp_path, {STEPS: "Checklist" + SCRIPT})
    out = tmp_path / "site"
    (out / "en").mkdir(parents=True)
    (out / "en" / "index.html").write_text("previous", encoding="utf-8")
    before = _snapshot(out)
    with pytest.raises(CatalogError) as caught:
        build(out=out, langs=["fr", "en"], rules_root=rules, build_dir=tmp_path / "build", quiet=True)
    message = str(caught.value)
    assert re.search(rf"en/LC_MESSAGES/guichet\.po:{lines[STEPS]}: .*adds markup .*'<'", message), message
    assert _snapshot(out) == before


INJECTIONS = [  # (name, msgid, msgstr, words of the refusal)
    ("script", STEPS, "Checklist" + SCRIPT, "adds markup"),
    ("out of <title>", HOME, "Appointments</title><script>alert(1)</script>", "adds markup"),
    ("new front matter key", HOME, 'Appointments"\nhide: [navigation, toc]', "'\\n'"),
    ("escape in a quoted YAML value", HOME, "Appointments\\u003cscript\\u003e", "'\\\\'"),
    ("Markdown link", STEPS, "Checklist [here](javascript:alert(1))", "](javascript:alert(1)"),
    ("Markdown image", STEPS, "Checklist ![x](https://tracker.invalid/p.png)", "'!['"),
    ("attribute list", STEPS, 'Checklist { onclick="alert(1)" }', "adds placeholder"),
    ("table cell", "Valeur", "Value | injected", "'|'"),
    ("extra %-placeholder", VERIFIED, "Rules verified on %(date)s by %(who)s.", "adds placeholder(s) its French text does not have: %(who)s"),
    ("stray percent sign", VERIFIED, "Rules verified on %(date)s at 100%.", "'%' that is not a placeholder"),
    ("extra {placeholder}", LETTER, "{ville}, on {date_envoi} ({nom})", "adds placeholder(s) its French text does not have: {nom}"),
    ("conversion", LETTER, "{ville}, on {date_envoi!r}", "{date_envoi!r}"),
    ("huge width", LETTER, "{ville:>100000}, on {date_envoi}", "{ville:>100000}"),
    ("dropped placeholder", VERIFIED, "Rules verified.", "drops placeholder(s) %(date)s"),
]


@pytest.mark.parametrize("name,msgid,msgstr,words", INJECTIONS, ids=[i[0] for i in INJECTIONS])
def test_injected_translation_is_refused_with_file_and_line(tmp_path, name, msgid, msgstr, words):
    rules, lines = _rules_with(tmp_path, {msgid: msgstr})
    with pytest.raises(CatalogError) as caught:
        Translator.load(rules, "en")
    message = str(caught.value)
    assert re.match(rf".*en/LC_MESSAGES/guichet\.po:{lines[msgid]}: ", message), message
    assert words in message, message


def test_merge_refuses_an_injected_translation_with_file_and_line(tmp_path):
    rules, _ = _rules_with(tmp_path, {})
    po = catalogs.po_path(rules, "en")
    original = po.read_text(encoding="utf-8")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({STEPS: "Checklist" + SCRIPT, HOME: "Getting an appointment"}), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "scripts.i18n", "merge", "en", str(answers), "--rules", str(rules)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line = next(m.lineno for m in read_po(po.open("rb"), locale="en") if m.id == STEPS)
    assert re.search(rf"guichet\.po:{line}: {STEPS}: adds markup", proc.stdout), proc.stdout
    merged = {m.id: m.string for m in read_po(po.open("rb"), locale="en")}
    assert merged[STEPS] == "Checklist" and merged[HOME] == "Getting an appointment"
    assert "<script>" not in po.read_text(encoding="utf-8") and po.read_text(encoding="utf-8") != original


def test_every_catalog_passes_the_check():
    for lang in catalogs.catalog_languages(ROOT / "rules"):
        Translator.load(ROOT / "rules", lang)  # raises CatalogError on the first refused translation


# ---------------------------------------------------------------- escaped, even past the check

def _unchecked(translations: dict) -> Translator:
    """A translator that never went through the catalog check (as if it had a hole)."""
    return Translator("en", {k: (v, False) for k, v in translations.items()}, "not-reviewed")


def _front_matter(markdown: str) -> dict:
    assert markdown.startswith("---\n"), markdown[:80]
    return yaml.safe_load(markdown[4:markdown.index("\n---\n", 3)])


@pytest.mark.parametrize("source,expected", [
    ('{{ _("A %(x)s", x="<u>") }}', "&lt;b&gt;A&lt;/b&gt; &lt;u&gt;"),
    ('{{ gettext("A %(x)s", x=say_ok) }}', "&lt;b&gt;A&lt;/b&gt; <em>ok</em>"),  # Markup passes as it is
    ('{{ ngettext("%(n)s jour", "%(n)s jours", 2, n=2) }}', "2 days&lt;i&gt;"),
    ('{% trans x="<u>" %}A {{ x }}{% endtrans %}', "&lt;b&gt;A&lt;/b&gt; &lt;u&gt;"),
    ('{% trans n=1 %}{{ n }} jour{% pluralize %}{{ n }} jours{% endtrans %}', "&lt;i&gt;1 day"),
    ('{{ "T"|t }}|{{ "T"|tr_raw }}|{{ _("T")|attr }}|{{ plain }}', "&lt;s&gt;T|&lt;s&gt;T|&lt;s&gt;T|&lt;q&gt;"),
])
def test_every_way_a_template_asks_for_a_translation_escapes_it(source, expected):
    tr = Translator("en", {"A %(x)s": ("<b>A</b> %(x)s", False), "T": ("<s>T", False),
                           ("%(n)s jour", "%(n)s jours"): (("<i>%(n)s day", "%(n)s days<i>"), False)},
                    plural=lambda n: int(n != 1))
    env = pages._env(ROOT / "docs", tr)
    assert env.from_string(source).render(say_ok=pages.Markup("<em>ok</em>"), plain="<q>") == expected


def test_pages_escape_a_translation_wherever_it_lands():
    bundle = load_rules(ROOT / "rules")
    proc = bundle["procedures"]["renouvellement"]
    tr = _unchecked({
        HOME: 'Home</title><script>alert(1)</script>"\nhide: [navigation, toc]',
        STEPS: "Checklist" + SCRIPT,
        VERIFIED: "Checked on %(date)s <img src=x onerror=alert(2)>",
        proc["title"]: "Renewal</title><script>alert(3)</script>",
        "Effacer ce que ce site a gardé sur ce téléphone": 'Erase"><script>alert(4)</script>',
    })
    rendered = pages.Pages(ROOT / "docs", bundle, tr, ["fr", "en"]).all(
        [p.name for p in (ROOT / "docs").glob("*.md")])
    for uri, markdown in rendered.items():
        assert "<script" not in markdown and "<img" not in markdown and "</title>" not in markdown, uri
        assert set(_front_matter(markdown)) <= pages.FRONT_MATTER, uri
    home = _front_matter(rendered["index.md"])
    assert home["title"] == "Home&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#34; hide: [navigation, toc]"
    assert "&lt;script&gt;window.__injected=1&lt;/script&gt;" in rendered["procedures/renouvellement.md"]
    assert "Erase&#34;&gt;&lt;script&gt;" in rendered["a-propos.md"]
    nav = json.dumps(pages.Pages(ROOT / "docs", bundle, tr, ["fr"]).nav({k: k for k, _ in pages.NAV}))
    assert "Renewal&lt;/title&gt;" in nav and "<" not in nav


def test_a_yaml_escape_in_a_translation_stays_text_in_the_front_matter():
    """Every page writes its front matter with the serializer: a YAML escape in a translation is kept as
    the characters it is made of, never decoded into a tag."""
    bundle = load_rules(ROOT / "rules")
    tr = _unchecked({bundle["procedures"]["renouvellement"]["title"]: "Renewal \\u003cscript\\u003e"})
    page = pages.Pages(ROOT / "docs", bundle, tr, ["fr", "en"]).all([])["procedures/renouvellement.md"]
    assert _front_matter(page)["title"] == "Renewal \\u003cscript\\u003e" and "<script" not in page


def test_theme_strings_are_escaped_in_the_overlay(tmp_path):
    base = overlay.base_config()
    tr = _unchecked({base["site_name"]: "Guichet</title><script>alert(1)</script>",
                     base["extra"]["guichet"]["t"]["listen"]: 'Listen"><script>alert(2)</script>'})
    config = overlay.overlay(base, "en", ["fr", "en"], tr, tmp_path, tmp_path / "site", ROOT / "rules",
                             tmp_path / "rules.json", tmp_path)
    assert config["site_name"] == "Guichet&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert config["extra"]["guichet"]["t"]["listen"] == "Listen&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"


# ---------------------------------------------------------------- the CSP allows template scripts only

def test_policy_never_allows_a_script_that_got_past_the_check_and_the_escaping(tmp_path, monkeypatch):
    """Both guards off (the catalog check and the pages' escaping): the script reaches the page, and
    the policy still does not allow it, while it allows every script the templates wrote."""
    monkeypatch.setattr(catalogs.checks, "problems", lambda msgid, msgstr: [])
    monkeypatch.setattr(pages, "_filled", lambda source, translation, variables: pages.Markup(translation % variables
                        if pages.checks.percent_formatted(source) else translation))
    rules, _ = _rules_with(tmp_path, {STEPS: "Checklist" + SCRIPT})
    built = build(out=tmp_path / "site", langs=["fr", "en"], rules_root=rules, build_dir=tmp_path / "build",
                  workers=1, quiet=True)
    assert built["langs"] == ["fr", "en"]
    html = (tmp_path / "site" / "en" / "procedures" / "renouvellement" / "index.html").read_text(encoding="utf-8")
    assert SCRIPT in html  # it got through: only the policy stands between it and the reader
    policy = csp.policy_of(html)
    assert csp._sha("window.__injected=1") not in policy
    template_scripts = [m.group(2) for m in csp.SCRIPT_RE.finditer(html)
                        if csp._runs(m.group(1)) and m.group(2) != "window.__injected=1"]
    assert template_scripts and all(csp._sha(s) in policy for s in template_scripts)
