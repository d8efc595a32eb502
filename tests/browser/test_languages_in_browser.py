"""Thirteen languages in Debian Chromium (Playwright, no `playwright install`): no accessibility
violation, no horizontal scroll at 320 px, the planner form follows the page direction, the invitation
to the reader's own language and the "listen" button. Search in each language: test_search.py."""
from __future__ import annotations

import pytest
from playwright import sync_api as playwright_api  # make test installs Chromium: no skip

from tests.browser.test_browser_planner import ARGS, CHROMIUM
from tests.site.test_languages import RTL


@pytest.fixture(scope="module")
def server(built_site):
    from scripts.dev.server import serve

    with serve(built_site.site) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _page(browser, width=390, **context):
    ctx = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True, service_workers="block", **context)
    return ctx, ctx.new_page()


def test_no_accessibility_violation_in_any_language(browser, server, built_site):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    ctx, page = _page(browser)
    failures = []
    for lang in built_site.langs:
        for path in ("", "procedures/renouvellement/"):
            page.goto(f"{server.url}{lang}/{path}")
            if path:  # the planner form is drawn from the manifest: audit it too
                page.wait_for_selector("#planner form, #planner .gp-questions", timeout=15000)
            result = axe.run(page)
            if result.violations_count:
                failures.append(f"{lang}/{path}: " + "; ".join(
                    f"{v['id']} ({len(v['nodes'])})" for v in result.response["violations"]))
    ctx.close()
    assert failures == []


def test_no_horizontal_scroll_at_320px(browser, server, built_site):
    ctx, page = _page(browser, width=320)
    wide = []
    for lang in built_site.langs:
        for path in ("", "procedures/renouvellement/", "procedures/admission-exceptionnelle/", "aide-juridictionnelle/"):
            page.goto(f"{server.url}{lang}/{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide.append(f"{lang}/{path}: {width}px")
    ctx.close()
    assert wide == []


@pytest.mark.parametrize("lang", sorted(RTL | {"fr"}))
def test_planner_form_follows_the_page_direction(browser, server, built_site, lang):
    assert lang in built_site.langs
    ctx, page = _page(browser)
    page.goto(f"{server.url}{lang}/procedures/renouvellement/")
    page.wait_for_selector("#planner form, #planner .gp-questions", timeout=15000)
    direction = page.evaluate("""[...document.querySelectorAll('#planner .gp, #planner select, #planner input[type=text]')]
        .map(el => getComputedStyle(el).direction)""")
    ctx.close()
    assert len(direction) > 2 and set(direction) == {"rtl" if lang in RTL else "ltr"}


@pytest.mark.parametrize("locale,shown", [("ar-MA", "ar"), ("zh-CN", "zh"), ("fr-FR", None), ("de-DE", None)])
def test_home_suggests_the_browser_language_without_redirect(browser, server, built_site, locale, shown):
    ctx, page = _page(browser, locale=locale)
    page.goto(f"{server.url}fr/")
    visible = page.eval_on_selector_all("#lang-suggest a", "as => as.filter(a => !a.hidden).map(a => a.hreflang)")
    assert page.url == f"{server.url}fr/"
    assert ctx.cookies() == []
    ctx.close()
    assert visible == ([shown] if shown else [])


FAKE_VOICES = """
window.__spoken = [];
const voices = [{lang: "ar-SA", name: "Arabic"}, {lang: "fr-FR", name: "French"}];
Object.defineProperty(window, "speechSynthesis", {value: {
  getVoices: () => voices, speaking: false, pending: false,
  speak(u) { window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.lang}); },
  cancel() {}, addEventListener() {},
}});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


@pytest.mark.parametrize("lang,has_voice", [("ar", True), ("bn", False)])
def test_listen_button_only_with_a_voice_for_the_language(browser, server, built_site, lang, has_voice):
    assert lang in built_site.langs
    ctx, page = _page(browser)
    ctx.add_init_script(FAKE_VOICES)
    page.goto(f"{server.url}{lang}/procedures/renouvellement/")
    button = page.locator(".g-listen")
    assert button.is_visible() == has_voice
    if has_voice:
        button.click()
        spoken = page.evaluate("window.__spoken")
        assert spoken and all(s["lang"] == lang and s["voice"] == "ar-SA" for s in spoken)
        assert any(built_site.bundle["procedures"]["renouvellement"]["title"] != s["text"] for s in spoken)
    ctx.close()
