// Material's search worker, unchanged, plus one normalisation ("folding") applied to the words of the
// index and to the reader's query alike, so that a word is found however it was typed:
//   - Latin accents: "recepisse" finds "récépissé", "basvuru" "başvuru" (French, Spanish, Portuguese,
//     Turkish; French words inside the other languages' pages too); Turkish dotless ı, French œ and æ;
//   - Russian ё written е;
//   - Arabic script: vowel marks and tatweel, hamza on alef/waw/yeh, alef wasla, alef maqsura, ta
//     marbuta, Arabic kaf and yeh against the Persian/Pashto ones (the letters an Arabic, Persian or
//     Pashto keyboard types differently), the zero-width non-joiner inside Persian words;
//   - compatibility forms (NFKD): full-width Latin of a Chinese input method, Arabic presentation forms.
//
// Why here: Material ships the pages' text (search/search_index.json) and builds its lunr index in this
// worker, so the index's pipeline runs here, not at build time; folding the shipped text instead would
// show the results without their accents. One function serves both sides, so they cannot disagree. The
// query must be folded before lunr parses it: Material adds a trailing wildcard to every word ("recepisse*")
// and lunr runs no pipeline on wildcard words.
//
// The page loads this file instead of Material's worker (assets/guichet/lazy-material.js rewrites the
// worker address in Material's configuration) and names Material's worker after "#" (a fragment: no
// request carries it; the site's URLs have no query string). It lives next to Material's worker because
// that worker loads its language files from "../lunr/", relative to this file.
"use strict";

const LETTERS = {
  "ı": "i", "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ё": "е", "Ё": "Е",
  "\u0671": "\u0627", // alef wasla → alef
  "\u0649": "\u06cc", "\u064a": "\u06cc", // alef maqsura, Arabic yeh → Persian yeh
  "\u0643": "\u06a9", // Arabic kaf → keheh (Persian, Pashto)
  "\u0629": "\u0647", // ta marbuta → heh
};

function fold(text) {
  return text.normalize("NFKD")
    .replace(/([A-Za-z])[\u0300-\u036f]+/g, "$1") // accents of Latin letters only (not Cyrillic й, ї)
    .replace(/[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c]/g, "") // Arabic marks, tatweel, ZWNJ
    .normalize("NFC")
    .replace(/[ıœŒæÆёЁ\u0671\u0649\u064a\u0643\u0629]/g, (c) => LETTERS[c]);
}

// Query side: Material's handler reads `event.data`; a query is the one message whose data is a string.
const listen = self.addEventListener;
self.addEventListener = function (type, handler, options) {
  const folding = (event) => handler(typeof event.data?.data === "string"
    ? { data: { ...event.data, data: fold(event.data.data) } } : event);
  return listen.call(self, type, type === "message" ? folding : handler, options);
};
const material = decodeURIComponent(self.location.hash.slice(1));
if (!/^search\.[0-9a-f]+\.min\.js$/.test(material)) throw new Error(`not Material's search worker: ${material}`);
importScripts(material);
delete self.addEventListener; // back to the usual one

// Index side: once Material has set the language's pipeline (overlay.py keeps only the stop-word filter:
// no stemmer, which would have to come after the folding), before the first page is added, fold every word.
const lunr = self.lunr;
const foldToken = (token) => fold(token.toString()) ? token.update(fold) : undefined; // a lone mark: no word
lunr.Pipeline.registerFunction(foldToken, "guichetFold");
const add = lunr.Builder.prototype.add;
lunr.Builder.prototype.add = function (doc, attributes) {
  if (!this.pipeline._stack.includes(foldToken)) this.pipeline.add(foldToken); // lunr 2.3: no public getter
  return add.call(this, doc, attributes);
};
