"""Search in the built site, in Debian Chromium, however the words arrive (issue 13): typed key by key,
or inserted at once as a paste, an input method's commit or voice input do (CDP `Input.insertText`, no
key events), before Material's script has loaded or after. Words are read from each language's built
search index, so the test follows the catalogs. The site's Content-Security-Policy is enforced, every
request to another host is refused and recorded, and no typed word may reach the server.
"""
from __future__ import annotations

import json
import re
import time
import unicodedata
from collections import Counter

import pytest

from scripts.i18n.languages import LANGUAGES
from tests.browser.test_browser_planner import Session
from tests.browser.test_languages_in_browser import browser, server  # noqa: F401  (fixtures)

BUNDLE = re.compile(r"/assets/javascripts/bundle\.[0-9a-f]+\.min\.js$")
TAGS = re.compile(r"<[^>]+>")


def _index(built_site, lang: str) -> dict:
    return json.loads((built_site.site / lang / "search" / "search_index.json").read_text(encoding="utf-8"))


def native_word(index: dict) -> str:
    """The longest word of the title of the "which court" page in this language, leaving out the French
    name given in brackets (Chinese words are cut by jieba at build time, joined with U+200B)."""
    title = next(d["title"] for d in index["docs"] if d["location"] == "tribunal/")
    title = re.sub(r"[(（][^)）]*[)）]", " ", title)
    return max((w for w in re.split(r"[\s\u200b?？؟¿]+", title) if w), key=len)


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word.replace("ı", "i")) if not unicodedata.combining(c))


def accented_word(index: dict, french: dict) -> str:
    """The most frequent word of this language's pages (not of the French ones) written with an accent
    or a Turkish letter, e.g. "máximo", "doğrulandı"."""
    def words(ix):
        for doc in ix["docs"]:
            yield from (w.lower() for w in re.findall(r"[^\W\d_]{5,}", TAGS.sub(" ", doc["title"] + " " + doc["text"])))
    known = set(words(french))
    counts = Counter(w for w in words(index) if w not in known and _plain(w) != w and _plain(w).isascii())
    return counts.most_common(1)[0][0]


class Search:
    """One page with a CDP session: open the search box, enter words, read the results."""

    def __init__(self, session: Session):
        self.page = session.ctx.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.cdp = session.ctx.new_cdp_session(self.page)
        self.held = []  # Material's bundle requests, answered when the test says so
        self.page.route(lambda url: bool(BUNDLE.search(url)), lambda route: self.held.append(route))
        self.box = self.page.locator("input.md-search__input")

    def open(self, url: str, hold: bool = False):
        """Open the page and its search box. The touch on the search button is the page's first
        interaction: it asks for Material's bundle, which is held back if `hold`, else let through."""
        self.page.goto(url)
        self.page.locator("label[for=__search]:visible").first.click()
        self.box.focus()
        if not hold:
            self.release()

    def release(self):
        deadline = time.monotonic() + 10
        while not self.held and time.monotonic() < deadline:
            self.page.wait_for_timeout(20)
        assert self.held, "Material's bundle was never asked for"
        self.held.pop().continue_()

    def keys(self, word: str):
        """Key by key: a key press with the character, then its release, as a keyboard of that script types."""
        for ch in word:
            self.cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": ch, "text": ch, "unmodifiedText": ch})
            self.cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": ch})

    def insert(self, word: str, compose: str | None = None):
        """At once, without key events: a paste, voice input, or an input method committing its text
        (after showing `compose` while the reader picks the word, as a Chinese pinyin keyboard does)."""
        if compose:
            for n in range(1, len(compose) + 1):
                self.cdp.send("Input.imeSetComposition", {"text": compose[:n], "selectionStart": n, "selectionEnd": n})
        self.cdp.send("Input.insertText", {"text": word})

    def clear(self):
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Backspace")
        self.wait(lambda: not self.links(), "results left after clearing the box")

    def links(self) -> list[str]:
        return self.page.eval_on_selector_all(".md-search-result__link", "as => as.map(a => a.href)")

    def marks(self, where: str = "") -> list[str]:
        return [m.lower() for m in self.page.locator(f".md-search-result__item {where} mark").all_inner_texts()]

    def wait(self, ready, what: str, seconds: float = 20):
        """Poll `ready` (from the test: the site's CSP forbids wait_for_function's eval)."""
        deadline = time.monotonic() + seconds
        while not ready():
            assert time.monotonic() < deadline, what
            self.page.wait_for_timeout(50)


@pytest.fixture(scope="module")
def search(browser, server):  # noqa: F811
    session = Session(browser, server)
    yield Search(session), session
    session.ctx.close()


def test_a_native_word_is_found_in_every_language_however_it_is_typed(search, server, built_site):  # noqa: F811
    """Each language: its word entered while Material's bundle is still loading (key by key in half the
    languages, at once in the other half), then, with search running, entered the other way."""
    s, session = search
    assert set(LANGUAGES) <= set(built_site.langs)
    typed = []
    for n, lang in enumerate(LANGUAGES):
        word = native_word(_index(built_site, lang))
        typed.append(word)
        compose = "fayuan" if lang == "zh" else None
        before, after = ((s.keys, lambda w: s.insert(w, compose)) if n % 2 == 0
                         else (lambda w: s.insert(w, compose), s.keys))
        s.open(f"{server.url}{lang}/", hold=True)
        before(word)
        s.page.keyboard.press("Enter")  # before Material runs: the form must not be sent (words in its URL)
        assert s.page.url == f"{server.url}{lang}/", lang
        assert s.box.input_value() == word and not s.links(), lang
        s.release()
        s.wait(lambda: any(h.endswith(f"/{lang}/tribunal/") for h in s.links()),
               f"{lang}: {word!r} typed before Material's script ran did not find its page")
        assert all(f"/{lang}/" in h for h in s.links()), (lang, word, s.links())  # the page's language only
        found = s.links()[:10]  # drawn at once; Material adds the others as the list is scrolled
        s.clear()
        after(word)
        assert s.box.input_value() == word, lang
        s.wait(lambda: s.links()[:10] == found, f"{lang}: {word!r} entered the other way: {s.links()} instead of {found}")
    assert not s.errors, s.errors
    session.check_privacy(typed)


@pytest.mark.parametrize("lang", ["fr", "es", "pt", "tr"])
def test_search_ignores_accents(search, server, built_site, lang):  # noqa: F811
    """"recepisse" finds "récépissé"; in Spanish, Portuguese and Turkish a frequent word of their own
    pages written with its accents or Turkish letters is found written without them."""
    s, _ = search
    word = "récépissé" if lang == "fr" else accented_word(_index(built_site, lang), _index(built_site, "fr"))
    s.open(f"{server.url}{lang}/")
    s.insert(_plain(word))
    s.wait(lambda: word in s.marks(), f"{lang}: {_plain(word)!r} did not find {word!r}")
    assert all(f"/{lang}/" in h for h in s.links())
    assert not s.errors, s.errors


def test_words_next_to_punctuation_are_found(search, server):  # noqa: F811
    """The Arabic title "أي محكمة إدارية (tribunal administratif)؟": "tribunal" is found in it (the
    bracket is not part of the word), and a question typed with the Arabic question mark finds its page."""
    s, _ = search
    s.open(f"{server.url}ar/")
    s.insert("tribunal")
    s.wait(lambda: "tribunal" in s.marks("h1"), f"'tribunal' not marked in the titles: {s.marks('h1')}")
    s.clear()
    s.insert("أي محكمة؟")
    s.wait(lambda: "محكمة" in s.marks(), f"'محكمة؟' not found: {s.marks()}")
    assert not s.errors, s.errors
