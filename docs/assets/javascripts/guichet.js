// Guichet, every page: suggest the guide in the browser's language (a link, no redirect, no cookie)
// and read the page aloud when the device has a voice for its language. Nothing leaves the device.
(() => {
  "use strict";
  const lang = document.documentElement.lang;
  const base = (code) => String(code || "").toLowerCase().split(/[-_]/)[0];

  const box = document.getElementById("lang-suggest");
  if (box) {
    for (const wanted of (navigator.languages || [navigator.language]).map(base)) {
      if (wanted === lang) break; // the reader's preferred language is this page's
      const link = box.querySelector(`a[hreflang="${CSS.escape(wanted)}"]`);
      if (link) { link.hidden = false; box.hidden = false; break; }
    }
  }

  const button = document.querySelector(".g-listen");
  const synth = window.speechSynthesis;
  if (!button || !synth || typeof SpeechSynthesisUtterance !== "function") return;
  const voice = () => synth.getVoices().find((v) => base(v.lang) === lang);
  const offer = () => { button.hidden = !voice(); };
  offer();
  synth.addEventListener("voiceschanged", offer);

  const label = button.textContent;
  const done = () => { button.textContent = label; button.setAttribute("aria-pressed", "false"); };
  button.addEventListener("click", () => {
    if (synth.speaking || synth.pending) { synth.cancel(); done(); return; }
    const blocks = document.querySelectorAll(".md-content__inner :is(h1, h2, h3, p, td, li:not(:has(p)))");
    const texts = [...blocks].filter((el) => !el.closest("#planner, .g-noprint, nav"))
      .map((el) => el.innerText.trim()).filter(Boolean);
    texts.forEach((text, i) => { // one utterance per block: long ones are cut off by some engines
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = lang;
      utterance.voice = voice();
      if (i === texts.length - 1) utterance.onend = done;
      synth.speak(utterance);
    });
    button.textContent = button.dataset.stop;
    button.setAttribute("aria-pressed", "true");
  });
})();
