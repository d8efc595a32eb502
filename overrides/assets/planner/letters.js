// The filled documents on screen: the e-mail, the registered letter, the court application and the
// evidence annex, always in French (what the préfecture and the court read), left to right. On a page in
// another language each paragraph has its translation beside it, rendered from the paragraph's message
// with the catalog; a paragraph the catalog does not translate yet shows its French again, marked.

import { h, say, word } from "./dom.js";

export const ORDER = ["courriel", "lettre-recommandee", "requete-refere", "annexe-tentatives"];
const RUN_ON = new Set(["subject", "place_date"]); // fields whose parts make one line (planner.letters.JOIN)

/** The blocks as rows: one per paragraph, the parts of a one-line field together. */
function rows(blocks) {
  const out = [];
  for (const b of blocks) {
    const last = out[out.length - 1];
    if (last && RUN_ON.has(b.field) && last.field === b.field) last.blocks.push(b);
    else out.push({ field: b.field, blocks: [b] });
  }
  return out;
}

// how a document's field joins its paragraphs (planner.letters.JOIN)
const JOIN = { heading: "\n", sender: "\n", recipient: "\n", place_date: "", subject: "", body: "\n\n" };

/** The typed or cited values of a message: its text parameters, its nested messages' too. */
function textParams(m, out = []) {
  for (const p of Object.values((m && m.params) || {})) {
    if (typeof p === "string" && p.trim()) out.push(p);
    else if (p && typeof p === "object" && "msgid" in p) textParams(p, out);
  }
  return out;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The engine's French text of `blocks`, word for word, with what the person typed in <bdi>: a
 * right-to-left page around it never reorders it. */
export function frenchNodes(blocks, join = "") {
  return blocks.flatMap((b, i) => {
    const values = [...new Set(textParams(b))].sort((x, y) => y.length - x.length);
    const out = i ? [join] : [];
    let last = 0;
    if (values.length) {
      for (const m of b.text.matchAll(new RegExp(values.map(escape).join("|"), "g"))) {
        out.push(b.text.slice(last, m.index), h("bdi", { text: m[0] }));
        last = m.index + m[0].length;
      }
    }
    out.push(b.text.slice(last));
    return out;
  });
}

/** The French of one field of a document (its paragraphs joined as the engine joins them), or null. */
export function fieldNodes(doc, field) {
  const blocks = doc.blocks.filter((b) => b.field === field);
  return blocks.length ? frenchNodes(blocks, JOIN[field]) : null;
}

function french(nodes, cls) {
  return h("p", { class: `gp-fr ${cls}`, lang: "fr", dir: "ltr" }, nodes);
}

/** The translation of one row, or its French marked as not translated yet. */
function translation(r, row) {
  if (row.blocks.every((b) => r.translated(b))) {
    return h("p", { class: "gp-tr" }, row.blocks.map((b) => r.nodes(b)));
  }
  return h("div", { class: "gp-tr gp-untranslated" }, word(r, "p", "not_translated", { class: "gp-untranslated-mark" }),
    h("p", { lang: "fr", dir: "ltr" }, frenchNodes(row.blocks)));
}

/** Everything a document says, as plain text in its order (copy to the clipboard). */
export function plainText(doc) {
  return ["heading", "sender", "recipient", "place_date", "subject", "body"].map((f) => doc[f]).filter(Boolean).join("\n\n");
}

function actions(r, id, doc, frNode) {
  const copy = word(r, "button", "copy", { type: "button", class: "md-button gp-copy" });
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(id === "courriel" ? `${doc.subject}\n\n${doc.body}` : plainText(doc));
      copy.replaceWith(word(r, "button", "copied", { type: "button", class: "md-button gp-copy", disabled: true }));
    } catch { // no clipboard permission: select the text for a manual copy
      const range = document.createRange();
      range.selectNodeContents(frNode);
      const sel = getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    }
  });
  const mail = doc.mailto && /^mailto:/.test(doc.mailto) ? word(r, "a", "mailto", { class: "md-button gp-mailto", href: doc.mailto }) : null;
  return h("p", { class: "gp-doc-actions" }, copy, " ", mail);
}

function documentBox(r, id, doc) {
  const pairs = !r.french;
  const body = h("div", { class: `gp-doc-text${pairs ? " gp-pairs" : ""}`, lang: pairs ? null : "fr", dir: pairs ? null : "ltr" });
  for (const row of rows(doc.blocks)) {
    const fr = french(frenchNodes(row.blocks), `gp-part-${row.field}`);
    body.append(pairs ? h("div", { class: "gp-pair" }, fr, translation(r, row)) : fr);
  }
  const steps = doc.instructions && doc.instructions.length
    ? [word(r, "h5", "instructions", { class: "gp-sub" }), h("ol", { class: "gp-instructions" }, doc.instructions.map((m) => say(r, "li", m)))] : [];
  return h("section", { class: "gp-doc", "data-doc": id }, say(r, "h4", doc.title), body, steps, actions(r, id, doc, body));
}

/** The annex: a French table (the court's exhibit) and its summary, translated beside on screen. The
 * préfecture and the note are typed: isolated. */
export function annexTable(annex) {
  const typed = (text) => h("td", {}, h("bdi", { text }));
  return h("table", { class: "gp-annex-table", lang: "fr", dir: "ltr" },
    h("thead", {}, h("tr", {}, annex.columns.map((c) => h("th", { scope: "col", text: c })))),
    h("tbody", {}, annex.rows.map((row) => h("tr", {},
      h("td", { text: String(row.n) }), h("td", { text: row.day }), h("td", { text: row.time }),
      typed(row.prefecture), typed(row.shows)))));
}

/** The name the annex is for (typed), isolated. */
export function annexPerson(annex) {
  return annex.person ? h("p", { lang: "fr", dir: "ltr" }, h("bdi", { text: annex.person })) : null;
}

function annexBox(r, annex) {
  const own = french(frenchNodes([annex.summary]), "");
  const summary = !r.french ? h("div", { class: "gp-pair" }, own, translation(r, { blocks: [annex.summary] })) : own;
  return h("section", { class: "gp-doc", "data-doc": "annexe-tentatives" }, say(r, "h4", annex.title),
    annexPerson(annex),
    h("div", { class: "gp-table-wrap" }, annexTable(annex)), summary);
}

/**
 * The documents as a section.
 * @param letters  the letters command's `letters`
 * @param ctx  {r, onPrintCaseFile()}
 */
export function renderLetters(letters, ctx) {
  const r = ctx.r;
  const docs = ORDER.filter((id) => letters[id]).concat(Object.keys(letters).filter((id) => !ORDER.includes(id)));
  return h("section", { class: "gp-letters", "aria-labelledby": "gp-letters-title" },
    word(r, "h3", "letters", { id: "gp-letters-title" }),
    word(r, "p", "letters_note", { class: "gp-help" }),
    r.french ? null : word(r, "p", "letters_beside", { class: "gp-help" }),
    docs.map((id) => (id === "annexe-tentatives" ? annexBox(r, letters[id]) : documentBox(r, id, letters[id]))),
    h("p", {}, word(r, "button", "print_case", { type: "button", class: "md-button gp-print-case", onclick: () => ctx.onPrintCaseFile() })));
}
